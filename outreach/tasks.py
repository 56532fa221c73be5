"""Outreach tasks (scheduled in settings.CELERY_BEAT_SCHEDULE): each takes ids or a date string,
calls a service and is safe to run twice."""

from datetime import date

from celery import shared_task

from outreach import push, seekers

DIGEST_BATCH = 500


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@shared_task
def push_post(post_id: int, today: str | None = None) -> int:
    """After a post's approval: tell the candidates it fits (queued on commit by outreach.signals)."""
    return push.push_post_approved(post_id=post_id, today=_day(today))


@shared_task
def push_event(event_id: int, today: str | None = None) -> int:
    """After an event's publication: tell the people its posts fit (queued on commit by outreach.events)."""
    return push.push_event_published(event_id=event_id, today=_day(today))


@shared_task
def send_weekly_digests(today: str | None = None) -> int:
    """Weekly: queue the digests in batches of DIGEST_BATCH people."""
    ids = push.digest_profile_ids()
    for start in range(0, len(ids), DIGEST_BATCH):
        send_digest_batch.delay(ids[start : start + DIGEST_BATCH], today)
    return len(ids)


@shared_task
def send_digest_batch(profile_ids: list[int], today: str | None = None) -> int:
    return sum(push.digest_send(profile_id=pk, today=_day(today)) is not None for pk in profile_ids)


@shared_task
def refresh_matching() -> dict:
    """Nightly: refresh the profiles of registered people and index published posts without keys
    (records loaded in bulk skip the save signals)."""
    return {"seekers": seekers.seekers_refresh_all(), "post_keys": seekers.posts_reindex()}
