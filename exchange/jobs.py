"""Background jobs: start one, run it (from the Celery task), report progress, finish or fail,
re-run the jobs of workers that died, and delete expired files.

A job kind is a handler registered with `@handler("kind")`: `fn(job, progress) -> JobOutcome`.
`job_start` creates the row and queues `exchange.run_job` after the transaction commits (with
`REDIS_URL` unset Celery runs it in-process). Progress goes to the cache (read by the job page even
while a long transaction hides the row's updates) and to the row.

Leases: a worker killed mid-task redoes nothing twice and loses nothing. The task acknowledges its
message only when it returns (acks_late), so when its worker is killed (SIGKILL, out of memory, host
lost) the broker still holds the message and hands it to another worker after the visibility
timeout (settings.CELERY_BROKER_TRANSPORT_OPTIONS), while the job row still says running.
- `job_claim` takes the job in one UPDATE, a compare-and-set on its status and heartbeat: a job
  queued, or running under an expired lease (no heartbeat for settings.JOB_LEASE_SECONDS), gets a
  new claim token, a heartbeat and one more attempt. Two deliveries never both hold a job, and a
  delivery finding a fresh lease (the job is being worked on) does nothing.
- The run renews the heartbeat from the progress callback, at most every fifth of the lease. Every
  write of a run (progress, heartbeat, finish, fail) is conditional on its token: a run whose lease
  was taken over (a stalled worker waking up) is refused, and stops at its next progress call.
- After settings.JOB_MAX_ATTEMPTS claims the job fails with a message instead of running again.
- `recover_abandoned` (beat, every lease) re-queues the running jobs whose lease expired: the
  broker's copy of their message may be gone, or have come while the lease was still fresh.
Redoing is safe. An import writes in one transaction: PostgreSQL rolls it back when the killed
worker's connection drops, and an `atomic` handler's transaction commits only together with the
job's completion under the run's token. An export writes a new file; only the completing run's
file becomes the job's result, and the partial files of killed runs on this host are removed."""

import glob
import logging
import os
import socket
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from time import monotonic

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Coalesce, Now
from django.utils import timezone

from exchange.files import FileRefused
from exchange.models import Job

logger = logging.getLogger(__name__)

FILE_TTL = timedelta(hours=getattr(settings, "EXCHANGE_FILE_TTL_HOURS", 24))
# An uploaded import file nobody confirmed (or whose task never reached a worker) is removed after
# an hour (SECURITY.md, item 5: abandoned import files are swept; the purge runs hourly on the beat).
ABANDONED_AFTER = timedelta(hours=1)
HANDLERS: dict[str, Callable] = {}
TEMP_PREFIX = "jianxi-"


@dataclass
class JobOutcome:
    """What a handler hands back: a JSON-able result and, optionally, a file it wrote."""

    result: dict = field(default_factory=dict)
    path: str | None = None
    filename: str = ""


def handler(kind: str, *, atomic: bool = False):
    """Register `fn(job, progress) -> JobOutcome` for `kind`. `atomic`: the handler's database writes
    and the job's completion commit in one transaction, only if the run still holds the job."""

    def decorator(fn):
        fn.atomic = atomic
        HANDLERS[kind] = fn
        return fn

    return decorator


class LeaseLost(Exception):
    """This run no longer holds its job: the lease expired and another delivery claimed it."""


@dataclass(frozen=True)
class Claim:
    job_id: int
    token: str


def lease() -> timedelta:
    return timedelta(seconds=settings.JOB_LEASE_SECONDS)


def _lease_expired() -> Q:
    """Running, and no heartbeat for a lease (database clock: one clock for every worker host)."""
    cutoff = ExpressionWrapper(Now() - Value(lease()), output_field=DateTimeField())
    return Q(status=Job.Status.RUNNING) & (Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=cutoff))


def _held(claim: Claim):
    """The job, if `claim` still holds it: every write of a run goes through this filter."""
    return Job.objects.filter(pk=claim.job_id, status=Job.Status.RUNNING, claim_token=claim.token)


def _progress_key(job_id: int) -> str:
    return f"exchange:job:{job_id}:progress"


def job_claim(job_id: int) -> Claim | None:
    """Take the job for this run if it is queued, or running under an expired lease (its worker
    died) with attempts left; None if it is finished, out of attempts or held by a live run. One
    UPDATE: of two deliveries, the second re-reads the row the first wrote and matches nothing."""
    token = uuid.uuid4().hex
    claimed = Job.objects.filter(
        Q(status=Job.Status.QUEUED) | _lease_expired(), pk=job_id, attempts__lt=settings.JOB_MAX_ATTEMPTS
    ).update(
        status=Job.Status.RUNNING,
        claim_token=token,
        claimed_by=f"{socket.gethostname()}:{os.getpid()}"[:200],
        heartbeat_at=Now(),
        attempts=F("attempts") + 1,
        started_at=Coalesce(F("started_at"), Now()),
        progress_done=0,
    )
    if claimed:
        return Claim(job_id, token)
    _give_up(Job.objects.filter(_lease_expired(), pk=job_id, attempts__gte=settings.JOB_MAX_ATTEMPTS))
    return None


def gave_up_message(job: Job) -> str:
    return (
        f"任务的处理进程已 {job.attempts} 次意外中断（如服务器重启或内存不足），系统不再自动重试；"
        f"本任务没有写入任何数据。请稍后重新发起；如仍失败请联系系统管理员（任务号 {job.pk}）。"
    )


def _give_up(stale) -> int:
    """Fail the jobs of `stale` (running, lease expired, out of attempts): each UPDATE re-checks the
    lease, so a job a run claimed meanwhile is left alone."""
    now, failed = timezone.now(), 0
    for job in stale.only("pk", "attempts"):
        failed += stale.filter(pk=job.pk).update(
            status=Job.Status.FAILED, error=gave_up_message(job), finished_at=now, expires_at=now + FILE_TTL
        )
        logger.error("job %s failed: its worker stopped %s times", job.pk, job.attempts)
    return failed


class Progress:
    """`progress(done)` / `progress.set_total(n)`: cheap to call often. Every call goes to the cache;
    the row (progress and heartbeat) is written at most every fifth of the lease, and only while
    this run holds the job: a run whose lease was taken over gets LeaseLost and stops.

    Inside the handler's own transaction (an import) the row is written on a second connection, so
    the heartbeat is seen at once (PostgreSQL; SQLite runs jobs in-process only, and there the row
    waits for the end). A run that began inside a transaction (tests) writes in it."""

    def __init__(self, job: Job, claim: Claim | None = None):
        self.job_id, self.total, self.done = job.pk, job.progress_total, 0
        self.token = claim.token if claim is not None else job.claim_token
        self.every = settings.JOB_LEASE_SECONDS / 5
        self._last_write = monotonic()
        self._in_caller_transaction = connection.in_atomic_block
        self._aside = None

    def set_total(self, total: int) -> None:
        self.total = total
        self._cache()
        self._write(progress_total=total)

    def __call__(self, done: int) -> None:
        self.done = done
        self._cache()
        if monotonic() - self._last_write >= self.every:
            self._write(progress_done=done)

    def heartbeat(self) -> None:
        """Renew the lease now (progress calls do it when it is due)."""
        self._write(progress_done=self.done)

    def close(self) -> None:
        if self._aside is not None:
            self._aside.close()
            self._aside = None

    def _cache(self) -> None:
        cache.set(_progress_key(self.job_id), (self.token, self.done, self.total), 24 * 3600)

    def _write(self, **fields) -> None:
        self._last_write = monotonic()
        if self._in_caller_transaction or not connection.in_atomic_block:
            written = Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING, claim_token=self.token).update(
                heartbeat_at=Now(), **fields
            )
        elif connection.vendor == "postgresql":
            written = self._write_aside(fields)
        else:
            return  # SQLite: a second connection would wait for this transaction's write lock
        if not written:
            raise LeaseLost(f"job {self.job_id}: lease taken over by another run")

    def _write_aside(self, fields: dict) -> int:
        if self._aside is None:
            self._aside = connection.copy()  # autocommit: the update is visible when it returns
        quote = connection.ops.quote_name
        assignments = ", ".join(f"{quote(Job._meta.get_field(name).column)} = %s" for name in fields)
        sql = (
            f"UPDATE {quote(Job._meta.db_table)} SET {assignments}, {quote('heartbeat_at')} = STATEMENT_TIMESTAMP() "
            f"WHERE {quote('id')} = %s AND {quote('status')} = %s AND {quote('claim_token')} = %s"
        )
        with self._aside.cursor() as cursor:
            cursor.execute(sql, [*fields.values(), self.job_id, Job.Status.RUNNING, self.token])
            return cursor.rowcount


def live_progress(job: Job) -> tuple[int, int]:
    """(done, total) of a running job: the cache's newer figure (of the run holding it) if any."""
    cached = cache.get(_progress_key(job.pk))
    done, total = job.progress_done, job.progress_total
    if cached and len(cached) == 3 and job.status == Job.Status.RUNNING and cached[0] == job.claim_token:
        done, total = max(done, cached[1]), cached[2] or total
    return done, total


def job_start(
    *,
    kind: str,
    owner,
    title: str,
    params: dict | None = None,
    input_file=None,
    input_name: str = "",
    parent: Job | None = None,
    total: int = 0,
) -> Job:
    """Create a queued job and run it after the current transaction commits."""
    # cycle: exchange.tasks imports this module at its top
    from exchange.tasks import run_job

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
    # lazy on purpose: the broker client (kombu) loads only when a job is queued
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
    """Run the job `job_id` if this delivery can claim it (see `job_claim`): a delivery finding it
    finished, or held by a live run, does nothing."""
    # cycle: exchange.handlers imports this module at its top (registers the job kinds)
    from exchange import handlers  # noqa: F401

    claim = job_claim(job_id)
    if claim is None:
        return
    job = Job.objects.select_related("owner").get(pk=job_id)
    if job.attempts > 1:
        logger.warning(
            "job %s (%s): run %s of %s, the previous run's worker stopped",
            job.pk,
            job.kind,
            job.attempts,
            settings.JOB_MAX_ATTEMPTS,
        )
        remove_temp_files(job)
    progress = Progress(job, claim)
    try:
        run = HANDLERS[job.kind]
        if getattr(run, "atomic", False):
            with transaction.atomic():
                _finish(job, claim, run(job, progress), progress)
        else:
            _finish(job, claim, run(job, progress), progress)
    except LeaseLost:
        logger.warning("job %s (%s): this run lost its lease to another; its work was discarded", job.pk, job.kind)
    except FileRefused as exc:
        _fail(claim, exc.message)
    except ValidationError as exc:
        _fail(claim, "；".join(exc.messages))
    except PermissionDenied as exc:
        _fail(claim, str(exc) or "您没有执行该操作的权限。")
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _fail(
            claim,
            "处理过程中发生内部错误，任务未完成，数据未作任何修改。"
            f"请稍后重试；如仍失败请联系系统管理员（任务号 {job.pk}）。",
        )
    finally:
        progress.close()


def _finish(job: Job, claim: Claim, outcome: JobOutcome, progress: Progress) -> None:
    """Record the outcome if `claim` still holds the job, else discard its file and raise LeaseLost
    (inside an atomic handler's transaction, that rolls its writes back)."""
    now = timezone.now()
    stored = ""
    if outcome.path:
        with open(outcome.path, "rb") as fh:
            job.result_file.save(outcome.filename, File(fh), save=False)
        stored = job.result_file.name
        os.unlink(outcome.path)
    # The row counted is the truth at the end (the total was an estimate from the file's size).
    counted = max(progress.done, outcome.result.get("total", 0), outcome.result.get("rows", 0))
    finished = _held(claim).update(
        status=Job.Status.DONE,
        result=outcome.result,
        result_file=stored,
        result_name=outcome.filename if stored else "",
        finished_at=now,
        expires_at=now + FILE_TTL,
        heartbeat_at=Now(),
        progress_done=counted,
        progress_total=counted,
    )
    if not finished:
        if stored:
            job.result_file.storage.delete(stored)
        raise LeaseLost(f"job {job.pk}: lease taken over before the run finished")
    cache.delete(_progress_key(job.pk))


def _fail(claim: Claim, message: str) -> bool:
    now = timezone.now()
    failed = _held(claim).update(status=Job.Status.FAILED, error=message, finished_at=now, expires_at=now + FILE_TTL)
    if failed:
        cache.delete(_progress_key(claim.job_id))
    else:
        logger.warning("job %s: a run that lost its lease could not record its failure", claim.job_id)
    return bool(failed)


def temp_path(suffix: str = ".xlsx", *, job: Job | None = None) -> str:
    """A new temporary file; a job's are named after it and its attempt (see `remove_temp_files`)."""
    prefix = f"{TEMP_PREFIX}job{job.pk}-{job.attempts}-" if job is not None else TEMP_PREFIX
    handle, path = tempfile.mkstemp(suffix=suffix, prefix=prefix)
    os.close(handle)
    return path


def remove_temp_files(job: Job) -> int:
    """Remove the temporary files earlier runs of `job` left on this host (a killed export's part)."""
    removed = 0
    for path in glob.glob(os.path.join(tempfile.gettempdir(), f"{TEMP_PREFIX}job{job.pk}-*")):
        if not os.path.basename(path).startswith(f"{TEMP_PREFIX}job{job.pk}-{job.attempts}-"):
            try:
                os.unlink(path)
                removed += 1
            except FileNotFoundError:
                pass
    return removed


def recover_abandoned() -> int:
    """Re-queue every running job whose lease expired (its worker died, and the broker's copy of the
    message is gone or came while the lease was fresh); fail those out of attempts. The claim keeps
    a job re-queued twice (or also redelivered) from running twice. Returns the number re-queued."""
    # lazy on purpose: the broker client (kombu) loads only when a job is queued
    from kombu.exceptions import OperationalError

    # cycle: exchange.tasks imports this module at its top
    from exchange.tasks import run_job

    stale = Job.objects.filter(_lease_expired())
    _give_up(stale.filter(attempts__gte=settings.JOB_MAX_ATTEMPTS))
    requeued = 0
    for job_id in stale.filter(attempts__lt=settings.JOB_MAX_ATTEMPTS).values_list("pk", flat=True):
        try:
            run_job.delay(job_id)
        except OperationalError as exc:  # the next sweep tries again
            logger.error("job %s not re-queued: broker unavailable (%s)", job_id, type(exc).__name__)
            break
        logger.warning("job %s re-queued: its worker stopped sending heartbeats", job_id)
        requeued += 1
    return requeued


def purge_expired(now=None) -> int:
    """Delete the files of expired jobs (uploads and results), fail jobs still queued after an hour
    (their task never reached a worker) and sweep abandoned uploads. A job stuck in running is not
    failed here: its lease expires and `recover_abandoned` runs it again. Returns the number of jobs
    whose files were removed."""
    now = now or timezone.now()
    Job.objects.filter(status=Job.Status.QUEUED, created_at__lt=now - ABANDONED_AFTER).update(
        status=Job.Status.FAILED,
        error="任务未被处理（后台服务中断），请重新发起。",
        finished_at=now,
        expires_at=now,
    )
    purged = 0
    abandoned = (
        Job.objects.filter(kind="import_preview", finished_at__lt=now - ABANDONED_AFTER)
        .exclude(input_file="")
        .exclude(children__status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
    )
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
