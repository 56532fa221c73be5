"""Core tasks. Periodic tasks are listed in settings.CELERY_BEAT_SCHEDULE. Their registered names are
the ones they had before the core moved into `jianxi_portal.core`, so messages already queued (and
the beat schedule) still find them."""

from datetime import date

from celery import shared_task

from jianxi_portal.core.review_reminders import send_review_reminders


@shared_task(name="jianxi_portal.tasks.ping")
def ping(value: int) -> int:
    """Round-trip check of the broker and a worker (used by the Celery integration test)."""
    return value + 1


@shared_task(name="jianxi_portal.tasks.review_reminders")
def review_reminders(today: str | None = None) -> dict:
    """Daily: remind city reviewers of items due within 3 working days and escalate overdue items
    to the province, over every kind in the review queue (idempotent per day). `today` as YYYY-MM-DD."""
    return send_review_reminders(today=date.fromisoformat(today) if today else None)
