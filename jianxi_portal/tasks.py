"""Core tasks. Periodic tasks are listed in settings.CELERY_BEAT_SCHEDULE."""

from celery import shared_task

from jianxi_portal.exchange import tasks as exchange_tasks  # noqa: F401  (registers the exchange tasks)


@shared_task
def ping(value: int) -> int:
    """Round-trip check of the broker and a worker (used by the Celery integration test)."""
    return value + 1


@shared_task
def review_reminders(today: str | None = None) -> dict:
    """Daily: remind city reviewers of items due within 3 working days and escalate overdue items
    to the province, over every kind in the review queue (idempotent per day). `today` as YYYY-MM-DD."""
    from datetime import date

    from jianxi_portal.review_reminders import send_review_reminders

    return send_review_reminders(today=date.fromisoformat(today) if today else None)
