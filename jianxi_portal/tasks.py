"""Core tasks. Periodic tasks are listed in settings.CELERY_BEAT_SCHEDULE."""

from celery import shared_task

from jianxi_portal.exchange import tasks as exchange_tasks  # noqa: F401  (registers the exchange tasks)


@shared_task
def ping(value: int) -> int:
    """Round-trip check of the broker and a worker (used by the Celery integration test)."""
    return value + 1
