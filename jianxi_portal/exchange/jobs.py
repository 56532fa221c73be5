"""Background jobs: start one, run it (from the Celery task), report progress, finish or fail, and
delete expired files.

A job kind is a handler registered with `@handler("kind")`: `fn(job, progress) -> JobOutcome`.
`job_start` creates the row and queues `exchange.run_job` after the transaction commits (with
`REDIS_URL` unset Celery runs it in-process). `job_run` claims the job by moving it from queued to
running in one UPDATE, so a task delivered twice runs the work once. Progress goes to the cache
(read by the job page even while a long transaction hides the row's updates) and to the row."""

import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone

from jianxi_portal.exchange.files import FileRefused
from jianxi_portal.models import Job

logger = logging.getLogger(__name__)

FILE_TTL = timedelta(hours=getattr(settings, "EXCHANGE_FILE_TTL_HOURS", 24))
STALE_AFTER = timedelta(hours=6)
# An uploaded import file nobody confirmed (or whose task never reached a worker) is removed after
# an hour (issue 9: abandoned import files are swept; the purge runs hourly on the beat).
ABANDONED_AFTER = timedelta(hours=1)
HANDLERS: dict[str, Callable] = {}


@dataclass
class JobOutcome:
    """What a handler hands back: a JSON-able result and, optionally, a file it wrote."""

    result: dict = field(default_factory=dict)
    path: str | None = None
    filename: str = ""


def handler(kind: str):
    def decorator(fn):
        HANDLERS[kind] = fn
        return fn

    return decorator


def _progress_key(job_id: int) -> str:
    return f"exchange:job:{job_id}:progress"


class Progress:
    """`progress(done)` / `progress.set_total(n)`: cheap to call often; writes every call to the
    cache and, outside a transaction, to the job row."""

    def __init__(self, job: Job):
        self.job_id, self.total, self.done = job.pk, job.progress_total, 0

    def set_total(self, total: int) -> None:
        self.total = total
        Job.objects.filter(pk=self.job_id).update(progress_total=total)
        cache.set(_progress_key(self.job_id), (0, total), 24 * 3600)

    def __call__(self, done: int) -> None:
        self.done = done
        cache.set(_progress_key(self.job_id), (done, self.total), 24 * 3600)
        if not connection.in_atomic_block:
            Job.objects.filter(pk=self.job_id).update(progress_done=done)


def live_progress(job: Job) -> tuple[int, int]:
    """(done, total) of a running job: the cache's newer figure when there is one."""
    cached = cache.get(_progress_key(job.pk))
    done, total = job.progress_done, job.progress_total
    if cached and job.status == Job.Status.RUNNING:
        done, total = max(done, cached[0]), cached[1] or total
    return done, total


def job_start(*, kind: str, owner, title: str, params: dict | None = None, input_file=None, input_name: str = "",
              parent: Job | None = None, total: int = 0) -> Job:
    """Create a queued job and run it after the current transaction commits."""
    from jianxi_portal.exchange.tasks import run_job

    job = Job(kind=kind, owner=owner, title=title, params=params or {}, parent=parent, progress_total=total)
    if input_file is not None:
        job.input_file.save(input_name or "upload", input_file, save=False)
    job.save()
    transaction.on_commit(lambda: _enqueue(run_job, job))
    return job


class QueueUnavailable(Exception):
    """The task broker could not be reached when the job was queued: the job and its uploaded file
    were removed (no orphan), and the person is told to try again."""

    message = "后台任务服务暂时不可用，本次操作未执行，也没有保存任何数据。请稍后重试；如仍失败请联系系统管理员。"


def _enqueue(task, job: Job) -> None:
    from kombu.exceptions import OperationalError

    try:
        task.delay(job.pk)
    except OperationalError as exc:
        logger.error("job %s (%s) not queued: broker unavailable (%s)", job.pk, job.kind, type(exc).__name__)
        if job.input_file:
            job.input_file.delete(save=False)
        Job.objects.filter(pk=job.pk).delete()
        raise QueueUnavailable(QueueUnavailable.message) from exc


def job_run(job_id: int) -> None:
    """Run the job `job_id` if it is still queued (a second delivery finds it running or finished
    and does nothing)."""
    from jianxi_portal.exchange import handlers  # noqa: F401  (registers the job kinds)

    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    job = Job.objects.select_related("owner").get(pk=job_id)
    progress = Progress(job)
    try:
        outcome = HANDLERS[job.kind](job, progress)
    except FileRefused as exc:
        _fail(job, exc.message)
    except ValidationError as exc:
        _fail(job, "；".join(exc.messages))
    except PermissionDenied as exc:
        _fail(job, str(exc) or "您没有执行该操作的权限。")
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _fail(job, "处理过程中发生内部错误，任务未完成，数据未作任何修改。"
                   f"请稍后重试；如仍失败请联系系统管理员（任务号 {job.pk}）。")
    else:
        _finish(job, outcome, progress)


def _finish(job: Job, outcome: JobOutcome, progress: Progress) -> None:
    now = timezone.now()
    job.result = outcome.result
    if outcome.path:
        with open(outcome.path, "rb") as fh:
            job.result_file.save(outcome.filename, File(fh), save=False)
        os.unlink(outcome.path)
        job.result_name = outcome.filename
    job.status, job.finished_at, job.expires_at = Job.Status.DONE, now, now + FILE_TTL
    # The row counted is the truth at the end (the total was an estimate from the file's size).
    job.progress_done = job.progress_total = max(progress.done, outcome.result.get("total", 0),
                                                 outcome.result.get("rows", 0))
    job.save()
    cache.delete(_progress_key(job.pk))


def _fail(job: Job, message: str) -> None:
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED, error=message, finished_at=now, expires_at=now + FILE_TTL
    )
    cache.delete(_progress_key(job.pk))


def temp_path(suffix: str = ".xlsx") -> str:
    handle, path = tempfile.mkstemp(suffix=suffix, prefix="jianxi-")
    os.close(handle)
    return path


def purge_expired(now=None) -> int:
    """Delete the files of expired jobs (uploads and results) and fail jobs stuck in running (a
    worker that died mid-job). Returns the number of jobs whose files were removed."""
    now = now or timezone.now()
    Job.objects.filter(status=Job.Status.RUNNING, started_at__lt=now - STALE_AFTER).update(
        status=Job.Status.FAILED, error="任务中断（处理进程意外停止），请重新发起。", finished_at=now,
        expires_at=now,
    )
    Job.objects.filter(status=Job.Status.QUEUED, created_at__lt=now - ABANDONED_AFTER).update(
        status=Job.Status.FAILED, error="任务未被处理（后台服务中断），请重新发起。", finished_at=now, expires_at=now,
    )
    purged = 0
    abandoned = (Job.objects.filter(kind="import_preview", finished_at__lt=now - ABANDONED_AFTER)
                 .exclude(input_file="").exclude(children__status__in=[Job.Status.QUEUED, Job.Status.RUNNING]))
    for job in abandoned:
        job.input_file.delete(save=False)
        job.save(update_fields=["input_file"])
        purged += 1
    for job in Job.objects.filter(expires_at__lte=now).exclude(input_file="", result_file=""):
        for file_field in (job.input_file, job.result_file):
            if file_field:
                file_field.delete(save=False)
        job.result = {**job.result, "expired": True}
        job.save(update_fields=["input_file", "result_file", "result"])
        purged += 1
    return purged
