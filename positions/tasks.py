"""Periodic tasks of posts (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from datetime import date

from celery import shared_task

from positions.services import posts_close_expired


@shared_task
def close_expired_posts(today: str | None = None) -> int:
    """Daily: close published posts past their closing date (idempotent). `today` as YYYY-MM-DD."""
    return posts_close_expired(today=date.fromisoformat(today) if today else None)
