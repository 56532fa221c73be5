"""Celery tasks of data exchange. They take a job id and are safe to run twice."""

from celery import shared_task

from jianxi_portal.exchange import jobs


@shared_task(name="exchange.run_job", acks_late=True)
def run_job(job_id: int) -> None:
    jobs.job_run(job_id)


@shared_task(name="exchange.purge_expired")
def purge_expired() -> int:
    """Periodic (settings.CELERY_BEAT_SCHEDULE): delete files of expired jobs."""
    return jobs.purge_expired()
