"""SECURITY.md, item 6 (races and faults): a Celery worker killed mid-task redoes the work once.

A background job is held under a lease (exchange/jobs.py, "Leases"): a delivery of
`exchange.run_job` claims it with one compare-and-set UPDATE when it is queued, or running with no
heartbeat for a lease; the run's writes carry its claim token; attempts are capped.

- The lease itself, delivery by delivery (any database), and a stalled import overtaken by a second
  run (PostgreSQL, two threads): the second redoes the work once, the first one's late writes are
  refused and its rows rolled back.
- The real thing (PostgreSQL + Redis): a real `celery worker` process imports 200 trainees, slowed
  down (worker_app.py); the test SIGKILLs its process group in the middle, starts a second worker
  and checks that the job finishes once, with the 200 rows imported once and 2 attempts. Redis
  gives the unacknowledged message to the second worker (visibility timeout); in the last run the
  message is deleted from the broker as well, and the recovery sweep on the second worker's beat
  re-queues the job. Lease 1 s, visibility timeout a little above the time to the kill: one run
  takes about 10 s.
"""

import math
import os
import signal
import subprocess
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.db import connection
from django.db.models import DateTimeField, ExpressionWrapper, Value
from django.db.models.functions import Now
from django.urls import reverse

from exchange import handlers, jobs
from exchange.imports import importer_for
from exchange.models import Job
from exchange.tasks import recover_jobs, run_job
from exchange.tests.helpers import trainee_row, xlsx_bytes
from jianxi_portal.core.models import AuditLog
from trainees.models import Trainee

TEST_KIND = "test_lease"


@pytest.fixture
def calls(monkeypatch):
    """A job kind whose every run is recorded; its result names the run."""
    runs = []

    def work(job, progress):
        runs.append(job.pk)
        progress(1)
        return jobs.JobOutcome(result={"run": len(runs)})

    monkeypatch.setitem(jobs.HANDLERS, TEST_KIND, work)
    return runs


def expire_lease(job_id):
    """The run holding the job stopped sending heartbeats a lease ago (its worker was killed). By the
    database's clock, as the lease is judged (one clock for every worker host; a shifted test clock,
    README "The suite on any date", does not move it)."""
    ago = ExpressionWrapper(Now() - Value(jobs.lease() + timedelta(seconds=1)), output_field=DateTimeField())
    Job.objects.filter(pk=job_id).update(heartbeat_at=ago)


# -- the lease, delivery by delivery ---------------------------------------------------------------


def test_a_second_delivery_while_the_lease_is_fresh_does_nothing(city_cc, calls):
    job = Job.objects.create(kind=TEST_KIND, owner=city_cc, title="t")
    first = jobs.job_claim(job.pk)
    run_job(job.pk)  # the broker delivers the message again while the first run works
    job.refresh_from_db()
    assert calls == []
    assert (job.status, job.claim_token, job.attempts) == ("running", first.token, 1)
    assert job.heartbeat_at is not None and job.claimed_by.endswith(f":{os.getpid()}")


def test_after_the_lease_expires_a_second_delivery_redoes_the_work_once_and_refuses_the_first(
    city_cc, calls, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    job = Job.objects.create(kind=TEST_KIND, owner=city_cc, title="t")
    first = jobs.job_claim(job.pk)
    first_progress = jobs.Progress(job, first)
    expire_lease(job.pk)

    run_job(job.pk)  # the redelivered message, after the lease expired
    run_job(job.pk)  # and once more, late
    job.refresh_from_db()
    assert calls == [job.pk]
    assert (job.status, job.result, job.attempts) == ("done", {"run": 1}, 2)
    assert job.claim_token != first.token

    # The first run wakes up: its progress, its finish (with an export's file) and its failure are
    # all refused, and its file is not kept.
    with pytest.raises(jobs.LeaseLost):
        first_progress.heartbeat()
    late_file = tmp_path / "late.xlsx"
    late_file.write_bytes(b"late")
    with pytest.raises(jobs.LeaseLost):
        jobs._finish(
            job, first, jobs.JobOutcome(result={"run": "late"}, path=str(late_file), filename="x.xlsx"), first_progress
        )
    assert jobs._fail(first, "late failure") is False
    job.refresh_from_db()
    assert (job.status, job.result, job.error, job.result_file.name) == ("done", {"run": 1}, "", "")
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_a_job_whose_worker_stopped_three_times_fails_with_a_message(city_cc, calls, settings):
    assert settings.JOB_MAX_ATTEMPTS == 3
    job = Job.objects.create(kind=TEST_KIND, owner=city_cc, title="t")
    for _ in range(3):
        assert jobs.job_claim(job.pk) is not None
        expire_lease(job.pk)
    run_job(job.pk)
    job.refresh_from_db()
    assert calls == []
    assert (job.status, job.attempts) == ("failed", 3)
    assert job.error == (
        "任务的处理进程已 3 次意外中断（如服务器重启或内存不足），系统不再自动重试；"
        f"本任务没有写入任何数据。请稍后重新发起；如仍失败请联系系统管理员（任务号 {job.pk}）。"
    )


def test_the_recovery_sweep_reruns_jobs_whose_worker_died_and_leaves_live_ones(city_cc, calls):
    dead, alive, worn_out = (Job.objects.create(kind=TEST_KIND, owner=city_cc, title=t) for t in "abc")
    for job in (dead, alive, worn_out):
        jobs.job_claim(job.pk)
    Job.objects.filter(pk=worn_out.pk).update(attempts=3)
    expire_lease(dead.pk)
    expire_lease(worn_out.pk)
    queued = Job.objects.create(kind=TEST_KIND, owner=city_cc, title="d")

    assert recover_jobs() == 1  # tasks run in-process here: the re-queued job runs at once
    for job in (dead, alive, worn_out, queued):
        job.refresh_from_db()
    assert calls == [dead.pk]
    assert (dead.status, dead.attempts) == ("done", 2)
    assert (alive.status, alive.attempts) == ("running", 1)
    assert worn_out.status == "failed" and "3 次意外中断" in worn_out.error
    assert queued.status == "queued"  # purge_expired keeps failing those lost for an hour


def test_a_redone_export_replaces_the_killed_runs_part_and_keeps_one_result_file(city_cc, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    job = Job.objects.create(kind=handlers.EXPORT, owner=city_cc, title="导出见习人员", params={"register": "trainees"})
    jobs.job_claim(job.pk)
    job.refresh_from_db()
    part = Path(jobs.temp_path(job=job))  # the first run was killed while writing this
    part.write_bytes(b"PK\x03\x04 half a workbook")
    expire_lease(job.pk)

    run_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2)
    assert not part.exists()
    assert [p.name for p in tmp_path.rglob("*.xlsx")] == [Path(job.result_file.name).name]


def test_the_page_shows_the_progress_of_the_run_holding_the_job_only(city_cc, client_for):
    job = Job.objects.create(kind=TEST_KIND, owner=city_cc, title="t", progress_total=100)
    first = jobs.job_claim(job.pk)
    jobs.Progress(job, first)(70)
    expire_lease(job.pk)
    second = jobs.job_claim(job.pk)
    jobs.Progress(job, second)(10)
    job.refresh_from_db()
    assert jobs.live_progress(job) == (10, 100)
    jobs.Progress(job, first)(90)  # the stalled first run's cache write is not shown
    assert jobs.live_progress(job) == (job.progress_done, 100) and job.progress_done < 90
    page = client_for(city_cc).get(reverse("exchange:job", args=[job.pk])).content.decode()
    assert "任务已自动重新开始（第 2 次处理）" in page


def test_the_visibility_timeout_is_set_above_the_lease_and_below_the_queued_job_cutoff(settings):
    from jianxi_portal.celery import app

    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert app.conf.broker_transport_options["visibility_timeout"] == visibility
    assert settings.JOB_LEASE_SECONDS < visibility < jobs.ABANDONED_AFTER.total_seconds()
    assert run_job.acks_late is True


# -- a stalled import overtaken by a second run (PostgreSQL, two threads) --------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_import_overtaken_by_a_second_run_is_rolled_back_and_imported_once(
    city_cc, settings, tmp_path, monkeypatch, figures
):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.JOB_LEASE_SECONDS = 1
    importer = importer_for("trainees")
    monkeypatch.setattr(importer, "batch_size", 20)
    paused, resume = threading.Event(), threading.Event()
    writes = []
    original_write = type(importer).write

    def write(self, creates, updates, by):
        original_write(self, creates, updates, by)
        writes.append(threading.current_thread().name)
        if len(writes) == 1:  # the first run stalls inside its transaction, 20 rows written
            paused.set()
            assert resume.wait(30)

    monkeypatch.setattr(type(importer), "write", write)
    job = _confirm_job(city_cc, [trainee_row(n) for n in range(1, 61)])

    def run(name):
        try:
            run_job(job.pk)
        finally:
            connection.close()

    first = threading.Thread(target=run, args=("first",), name="first")
    first.start()
    assert paused.wait(30)
    expire_lease(job.pk)
    second = threading.Thread(target=run, args=("second",), name="second")
    second.start()
    deadline = time.monotonic() + 30
    while Job.objects.get(pk=job.pk).attempts < 2:  # the second run claimed the job
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(jobs.lease().total_seconds() / 5)  # the first run's next progress call renews (tries to)
    resume.set()
    first.join(30)
    second.join(30)

    job.refresh_from_db()
    assert (job.status, job.attempts, job.result["create"], job.result["invalid"]) == ("done", 2, 60, 0)
    assert Trainee.objects.count() == 60
    assert writes.count("first") == 1 and writes.count("second") == 3  # the first stopped at its next heartbeat
    audited = AuditLog.objects.filter(event="trainee.import")
    assert sum(row.detail["created"] for row in audited) == 60
    figures.add(
        "6",
        "stalled import overtaken after its lease expired (2 threads): the second run imported "
        "60 of 60 rows once, the first run's 20 rows rolled back and its late writes refused",
    )


def _confirm_job(owner, rows, title="导入见习人员（确认导入）") -> Job:
    preview = Job.objects.create(
        kind=handlers.IMPORT_PREVIEW,
        owner=owner,
        title="导入见习人员（预检）",
        status=Job.Status.DONE,
        params={"register": "trainees"},
        result={"total": len(rows), "create": len(rows)},
    )
    preview.input_file.save("trainees.xlsx", ContentFile(xlsx_bytes(rows)))
    return Job.objects.create(
        kind=handlers.IMPORT_CONFIRM,
        owner=owner,
        title=title,
        params=preview.params,
        parent=preview,
        progress_total=len(rows),
    )


# -- the real thing: a Celery worker process killed mid-import -------------------------------------

CELERY = Path(django_settings.BASE_DIR) / ".venv" / "bin" / "celery"
LEASE_SECONDS = 1
ROWS = 200
KILL_AT = 0.4  # the share of rows written (uncommitted) when the worker is killed
REDELIVERED_RUNS = 3
needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="REDIS_URL is unset: no broker to redeliver a killed worker's task"
)
needs_celery = pytest.mark.skipif(not CELERY.exists(), reason=f"{CELERY} not found: cannot start a worker process")


class Worker:
    """`celery worker -P solo` in a process group of its own, logging to a file."""

    def __init__(self, name: str, env: dict, log_dir: Path, *, visibility: int, beat: bool = False):
        self.name, self.log = name, log_dir / f"{name}.log"
        command = [
            str(CELERY),
            "-A",
            "jianxi_portal.tests.security.worker_app",
            "worker",
            "-P",
            "solo",
            "-n",
            f"{name}@%h",
            "-Q",
            "celery",
            "-l",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        if beat:
            command += ["-B", "-s", str(log_dir / f"{name}-beat-schedule")]
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                command,
                cwd=django_settings.BASE_DIR,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env={**env, "CELERY_BROKER_VISIBILITY_TIMEOUT": str(visibility)},
            )

    def wait_ready(self, timeout=120):
        deadline = time.monotonic() + timeout
        while " ready." not in self.log.read_text(errors="replace"):
            assert self.process.poll() is None, f"worker {self.name} exited:\n{self.log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"worker {self.name} not ready:\n{self.log.read_text()[-3000:]}"
            time.sleep(0.1)
        return self

    def kill(self, sig=signal.SIGKILL, timeout=20):
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout)


@pytest.fixture
def broker():
    """A Redis database other than the suite's, and a key prefix of this test alone."""
    import redis
    from celery import Celery

    suite = urlparse(os.environ["REDIS_URL"])
    suite_db = int((suite.path or "/0").strip("/") or 0)
    url = urlunparse(suite._replace(path=f"/{15 if suite_db != 15 else 14}"))
    prefix = f"jianxi-worker-kill-{uuid.uuid4().hex[:12]}:"
    producer = Celery("worker-kill-test", broker=url, set_as_current=False)
    producer.conf.update(
        broker_transport_options={"global_keyprefix": prefix}, task_serializer="json", accept_content=["json"]
    )
    client = redis.Redis.from_url(url)
    yield {"url": url, "prefix": prefix, "producer": producer, "redis": client}
    producer.close()
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    client.close()


@pytest.mark.postgres
@needs_redis
@needs_celery
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_is_redone_once_by_a_second_worker(city_cc, settings, tmp_path, broker, figures):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jianxi_portal.tests.security.worker_settings",
        "JIANXI_WORKER_DB_NAME": connection.settings_dict["NAME"],
        "JIANXI_WORKER_MEDIA_ROOT": settings.MEDIA_ROOT,
        "JIANXI_WORKER_BROKER_URL": broker["url"],
        "JIANXI_WORKER_KEY_PREFIX": broker["prefix"],
        "JIANXI_WORKER_SLOW_BATCH": "20",
        "JIANXI_WORKER_SLOW_SECONDS": "0.2",
        "JOB_LEASE_SECONDS": str(LEASE_SECONDS),
    }
    workers = []

    def start(beat=False, visibility=600):
        # appended before it is awaited: a worker that never gets ready is still stopped below
        workers.append(
            Worker(f"w{len(workers) + 1}-{broker['prefix'][-7:-1]}", env, tmp_path, visibility=visibility, beat=beat)
        )
        return workers[-1].wait_ready()

    outcomes = []
    try:
        current = start()
        for run in range(REDELIVERED_RUNS + 1):
            lose_message = run == REDELIVERED_RUNS
            outcome, current = _kill_mid_import_and_redo(run, city_cc, current, start, broker, lose_message)
            outcomes.append(outcome)
    finally:
        for worker in workers:
            worker.kill(signal.SIGTERM)
    redelivered = [o for o in outcomes if not o["lost"]]
    killed_at = sorted(o["killed_at"] for o in outcomes)
    at = f"{killed_at[0]}%" if killed_at[0] == killed_at[-1] else f"{killed_at[0]}–{killed_at[-1]}%"
    figures.add(
        "6",
        f"worker killed mid-task (SIGKILL of its process group at {at} of a {ROWS}-row import): job "
        f"redone by a second worker, finished once, {ROWS} rows imported once (the killed run's rolled "
        f"back), attempts 2 — {len(redelivered)} of {REDELIVERED_RUNS} runs through Redis redelivering "
        f"the unacknowledged message, 1 of 1 with that message lost too through the recovery sweep on "
        f"the beat (lease {LEASE_SECONDS} s; at most {max(o['seconds'] for o in outcomes):.0f} s from "
        f"kill to done)",
    )


def _kill_mid_import_and_redo(run, owner, first, start, broker, lose_message):
    before = Trainee.objects.count()
    rows = [trainee_row(run * 1000 + n, birth=date(2002, 3, 1 + run)) for n in range(1, ROWS + 1)]
    job = _confirm_job(owner, rows, title=f"导入见习人员（第 {run + 1} 轮）")
    sent = time.monotonic()
    message = broker["producer"].send_task("exchange.run_job", args=[job.pk]).id

    deadline = sent + 30
    while True:  # running, and the worker's heartbeat reported KILL_AT of the rows written
        state = Job.objects.values("status", "progress_done").get(pk=job.pk)
        if state["status"] == "running" and state["progress_done"] >= ROWS * KILL_AT:
            break
        assert state["status"] in ("queued", "running"), state
        assert time.monotonic() < deadline, f"the job did not get going: {state}\n{first.log.read_text()[-3000:]}"
        time.sleep(0.02)
    first.kill()
    killed = time.monotonic()
    killed_at = Job.objects.get(pk=job.pk).progress_done * 100 // ROWS
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("running", 1)
    assert job.claimed_by.endswith(f":{first.process.pid}")
    assert Trainee.objects.count() == before  # nothing of the killed run was committed

    if lose_message:  # the broker lost the unacknowledged message too: only the recovery sweep is left
        deleted = broker["redis"].delete(f"{broker['prefix']}unacked", f"{broker['prefix']}unacked_index")
        assert deleted == 2
        second = start(beat=True)
    else:  # Redis redelivers once the message is older than the visibility timeout, set so that
        # the lease (1 s after the last heartbeat, at the latest the kill) has expired by then
        second = start(visibility=math.ceil(killed - sent) + LEASE_SECONDS + 1)

    deadline = time.monotonic() + 60
    while not Job.objects.get(pk=job.pk).is_finished:
        assert second.process.poll() is None, second.log.read_text()[-3000:]
        assert time.monotonic() < deadline, f"the job was not redone:\n{second.log.read_text()[-3000:]}"
        time.sleep(0.1)
    done = time.monotonic()
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert job.attempts == 2
    assert job.claimed_by.endswith(f":{second.process.pid}")
    counts = [job.result[key] for key in ("create", "update", "unchanged", "invalid")]
    assert counts == [ROWS, 0, 0, 0]  # all created by this run: none left by the killed one
    assert Trainee.objects.count() == before + ROWS
    assert job.progress_done == ROWS
    time.sleep(0.5)  # a late duplicate delivery (or sweep) would show now
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2) and Trainee.objects.count() == before + ROWS
    log = second.log.read_text(errors="replace")
    if lose_message:  # a sweep found the job and re-queued it: a new message
        assert "exchange.recover_jobs" in log and f"exchange.run_job[{message}]" not in log
    else:  # the very message the killed worker had taken, redelivered
        assert f"exchange.run_job[{message}] received" in log
    return {"killed_at": killed_at, "lost": lose_message, "seconds": done - killed}, second
