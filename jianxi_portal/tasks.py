"""Core tasks. Periodic tasks are listed in settings.CELERY_BEAT_SCHEDULE."""

from celery import shared_task


@shared_task
def ping(value: int) -> int:
    """Round-trip check of the broker and a worker (used by the Celery integration test)."""
    return value + 1
