"""Celery tasks of data exchange. They take a job id and are safe to run twice."""

from celery import shared_task

from exchange import jobs


@shared_task(name="exchange.run_job", acks_late=True)
def run_job(job_id: int) -> None:
    """Acknowledged when it returns: a worker killed mid-job leaves the message to the broker, and
    the job's lease lets the next delivery (or `recover_jobs`) redo it once."""
    jobs.job_run(job_id)


@shared_task(name="exchange.purge_expired")
def purge_expired() -> int:
    """Periodic (settings.CELERY_BEAT_SCHEDULE): delete files of expired jobs."""
    return jobs.purge_expired()


@shared_task(name="exchange.recover_jobs")
def recover_jobs() -> int:
    """Periodic (every settings.JOB_LEASE_SECONDS): re-queue the running jobs whose worker died."""
    return jobs.recover_abandoned()
