"""Background jobs and the exchange pages: upload → preview → confirm through the browser, the
progress endpoint, owner-only access, idempotent tasks, failures that say why, expiry."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from exchange import handlers, jobs
from exchange.models import Job
from exchange.tasks import purge_expired, run_job
from exchange.tests.helpers import replace_part, trainee_row, xlsx_bytes
from exchange.tests.test_files import BILLION_LAUGHS, SHEET
from trainees.models import Trainee
from trainees.resources import TraineeResource

pytestmark = pytest.mark.django_db

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def run_on_commit(django_capture_on_commit_callbacks):
    """Tests run inside a transaction: run the jobs queued "after commit" when a request ends."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def upload(client, content: bytes, name="见习人员.xlsx", register="trainees"):
    with CAPTURE[0](execute=True):
        return client.post(
            reverse("exchange:import", args=[register]),
            {"file": SimpleUploadedFile(name, content, content_type=XLSX_TYPE)},
        )


CAPTURE = []


@pytest.fixture(autouse=True)
def _capture(django_capture_on_commit_callbacks):
    CAPTURE[:] = [django_capture_on_commit_callbacks]


def test_upload_preview_confirm_in_the_browser(client_for, city_cc, run_on_commit):
    client = client_for(city_cc)
    rows = [trainee_row(1), trainee_row(2), trainee_row(3, 手机号码="12")]
    response = upload(client, xlsx_bytes(rows))
    preview = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("exchange:job", args=[preview.pk])
    assert (preview.kind, preview.status, preview.owner) == ("import_preview", "done", city_cc)
    assert Trainee.objects.count() == 0

    page = client.get(reverse("exchange:job", args=[preview.pk])).content.decode()
    assert "预检结果（尚未写入）" in page and "确认导入 2 条无误的记录" in page
    assert '<td class="num">4</td><td style="white-space: nowrap">手机号码</td>' in page

    response = run_on_commit(client.post, reverse("exchange:job_confirm", args=[preview.pk]))
    confirm = Job.objects.get(kind="import_confirm")
    assert response["Location"] == reverse("exchange:job", args=[confirm.pk])
    assert (confirm.status, confirm.result["create"], confirm.parent) == ("done", 2, preview)
    assert Trainee.objects.count() == 2

    client.post(reverse("exchange:job_confirm", args=[preview.pk]))  # a second click
    assert Job.objects.filter(kind="import_confirm").count() == 1 and Trainee.objects.count() == 2
    assert "已确认导入" in client.get(reverse("exchange:job", args=[preview.pk])).content.decode()


def test_renamed_xls_is_refused_on_the_upload_form(client_for, city_cc):
    response = upload(client_for(city_cc), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert response.status_code == 200 and "旧版 Excel（.xls）" in response.content.decode()
    assert not Job.objects.exists()


def test_hostile_workbook_fails_the_job_with_a_reason_and_no_rows(client_for, city_cc):
    client = client_for(city_cc)
    upload(client, replace_part(xlsx_bytes([trainee_row(1)]), SHEET, BILLION_LAUGHS))
    job = Job.objects.get()
    assert (job.status, job.error) == ("failed", "文件中含有不安全的 XML 内容（实体定义或外部引用），已拒绝。")
    page = client.get(reverse("exchange:job", args=[job.pk]))
    assert page.status_code == 200 and "任务失败" in page.content.decode()
    assert Trainee.objects.count() == 0


def test_wrong_headers_fail_the_preview_with_the_columns_named(client_for, city_cc):
    upload(client_for(city_cc), xlsx_bytes([{"单位名称": "x"}], headers=["单位名称"]))
    assert "缺少必需的列" in Job.objects.get().error


def test_job_status_json_reports_progress(client_for, city_cc):
    job = Job.objects.create(
        kind="export", owner=city_cc, title="t", status=Job.Status.RUNNING, progress_done=30, progress_total=120
    )
    data = client_for(city_cc).get(reverse("exchange:job_status", args=[job.pk])).json()
    assert data == {
        "id": job.pk,
        "status": "running",
        "status_label": "处理中",
        "done": 30,
        "total": 120,
        "percent": 25,
        "finished": False,
        "error": "",
        "download": None,
    }


def test_progress_written_in_a_transaction_reaches_the_page_through_the_cache(client_for, city_cc):
    job = Job.objects.create(kind="export", owner=city_cc, title="t", status=Job.Status.RUNNING, progress_total=100)
    from django.db import transaction

    with transaction.atomic():
        jobs.Progress(job)(60)
    assert client_for(city_cc).get(reverse("exchange:job_status", args=[job.pk])).json()["done"] == 60


def test_job_page_polls_with_the_local_script(client_for, city_cc):
    job = Job.objects.create(kind="export", owner=city_cc, title="导出", status=Job.Status.RUNNING)
    page = client_for(city_cc).get(reverse("exchange:job", args=[job.pk])).content.decode()
    assert "/static/js/jobs.js" in page and reverse("exchange:job_status", args=[job.pk]) in page
    assert "http://" not in page.split("<main")[1]  # no CDN


@pytest.mark.parametrize("name", ["exchange:job", "exchange:job_status", "exchange:job_download"])
def test_someone_elses_job_is_404_even_for_province_and_admin(client_for, city_cc, province_user, admin_user, name):
    job = Job.objects.create(kind="export", owner=city_cc, title="t", status=Job.Status.DONE)
    job.result_file.save("x.xlsx", ContentFile(b"data"))
    for user in (province_user, admin_user):
        assert client_for(user).get(reverse(name, args=[job.pk])).status_code == 404


def test_confirm_of_someone_elses_preview_is_404(client_for, city_cc):
    from jianxi_portal.tests.factories import UserFactory

    other = UserFactory(username="city_cc2", role="city", region=city_cc.region)
    preview = Job.objects.create(
        kind="import_preview",
        owner=other,
        title="t",
        status=Job.Status.DONE,
        params={"register": "trainees"},
        result={"create": 1},
    )
    preview.input_file.save("x.xlsx", ContentFile(xlsx_bytes([trainee_row(1)])))
    assert client_for(city_cc).post(reverse("exchange:job_confirm", args=[preview.pk])).status_code == 404
    assert Trainee.objects.count() == 0


def test_job_list_shows_only_own_jobs(client_for, city_cc, city_jl):
    Job.objects.create(kind="export", owner=city_cc, title="长春的导出")
    Job.objects.create(kind="export", owner=city_jl, title="吉林的导出")
    page = client_for(city_cc).get(reverse("exchange:jobs")).content.decode()
    assert "长春的导出" in page and "吉林的导出" not in page


def test_a_task_delivered_twice_runs_the_work_once(city_cc, monkeypatch):
    calls = []
    monkeypatch.setitem(jobs.HANDLERS, "test_kind", lambda job, progress: calls.append(job.pk) or jobs.JobOutcome())
    job = Job.objects.create(kind="test_kind", owner=city_cc, title="t")
    run_job(job.pk)
    run_job(job.pk)
    assert calls == [job.pk]
    job.refresh_from_db()
    assert job.status == "done" and job.expires_at > timezone.now()


def test_an_unexpected_error_fails_the_job_without_details(city_cc, monkeypatch):
    def crash(job, progress):
        raise RuntimeError("secret internals")

    monkeypatch.setitem(jobs.HANDLERS, "test_kind", crash)
    job = Job.objects.create(kind="test_kind", owner=city_cc, title="t")
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "内部错误" in job.error and "secret" not in job.error


def test_a_failed_import_confirm_rolls_back_every_row(city_cc, monkeypatch, run_on_commit):
    from trainees.resources import TraineeImporter

    original = TraineeImporter.write

    def write_then_crash(self, creates, updates, by):
        original(self, creates, updates, by)
        raise RuntimeError("disk full")

    preview = Job.objects.create(kind="import_preview", owner=city_cc, title="t", params={"register": "trainees"})
    preview.input_file.save("x.xlsx", ContentFile(xlsx_bytes([trainee_row(1), trainee_row(2)])))
    monkeypatch.setattr(TraineeImporter, "write", write_then_crash)
    confirm = run_on_commit(
        jobs.job_start, kind=handlers.IMPORT_CONFIRM, owner=city_cc, title="t", params=preview.params, parent=preview
    )
    confirm.refresh_from_db()
    assert confirm.status == "failed" and Trainee.objects.count() == 0


# A fixed instant for the expiry tests (tests never read the real clock): the purge and the download
# view run under it.
NOON = datetime(2026, 12, 3, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_expired_files_are_deleted_and_a_running_job_is_left_to_its_lease(city_cc):
    done = Job.objects.create(
        kind="export",
        owner=city_cc,
        title="t",
        status=Job.Status.DONE,
        expires_at=NOON - timedelta(minutes=1),
    )
    done.result_file.save("old.xlsx", ContentFile(b"data"))
    path = done.result_file.path
    fresh = Job.objects.create(
        kind="export", owner=city_cc, title="t", status=Job.Status.DONE, expires_at=NOON + timedelta(hours=1)
    )
    fresh.result_file.save("new.xlsx", ContentFile(b"data"))
    long = Job.objects.create(
        kind="export",
        owner=city_cc,
        title="t",
        status=Job.Status.RUNNING,
        started_at=NOON - timedelta(hours=7),
        heartbeat_at=NOON,
    )
    with time_machine.travel(NOON, tick=False):
        assert purge_expired() == 1
    done.refresh_from_db()
    fresh.refresh_from_db()
    long.refresh_from_db()
    assert not done.result_file and done.result["expired"] and not __import__("os").path.exists(path)
    assert fresh.result_file
    # Seven hours but still sending heartbeats: alive. A dead one is re-run by recover_jobs (see
    # jianxi_portal/tests/security/test_worker_kill.py).
    assert long.status == "running"


def test_expired_download_is_404(client_for, city_cc):
    job = Job.objects.create(
        kind="export",
        owner=city_cc,
        title="t",
        status=Job.Status.DONE,
        expires_at=NOON - timedelta(seconds=1),
    )
    job.result_file.save("x.xlsx", ContentFile(b"data"))
    with time_machine.travel(NOON, tick=False):
        assert client_for(city_cc).get(reverse("exchange:job_download", args=[job.pk])).status_code == 404


def test_purge_and_recovery_are_on_the_beat_schedule(settings):
    assert settings.CELERY_BEAT_SCHEDULE["exchange-purge-expired"]["task"] == "exchange.purge_expired"
    recover = settings.CELERY_BEAT_SCHEDULE["exchange-recover-jobs"]
    assert recover == {"task": "exchange.recover_jobs", "schedule": float(settings.JOB_LEASE_SECONDS)}


def test_blank_template_has_the_headers_and_an_explanation_sheet(client_for, city_cc):
    response = client_for(city_cc).get(reverse("exchange:template", args=["trainees"]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["见习人员", "填写说明", "填写示例"]
    assert [c.value for c in workbook["见习人员"][1]] == TraineeResource.headers()
    guide = [[c for c in row] for row in workbook["填写说明"].iter_rows(values_only=True)]
    category = next(row for row in guide if row[0] == "人员类别")
    assert category[1] == "是" and "16—24岁失业青年" in category[3]


@pytest.mark.parametrize("register", ["units", "posts", "trainees", "placements"])
def test_every_register_has_a_template_and_upload_page(client_for, city_cc, register):
    client = client_for(city_cc)
    assert client.get(reverse("exchange:template", args=[register])).status_code == 200
    assert client.get(reverse("exchange:import", args=[register])).status_code == 200


@pytest.mark.parametrize("who", ["province_user", "employer_a", "youth"])
def test_import_pages_are_for_city_staff(client_for, who, request):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("exchange:import_index")).status_code == 403
    assert client.get(reverse("exchange:import", args=["trainees"])).status_code == 403
    assert upload(client, xlsx_bytes([trainee_row(1)])).status_code == 403
    assert not Job.objects.exists()


def test_navigation_links(client_for, city_cc, province_user):
    from jianxi_portal.core.navigation import nav_items

    assert ("数据导入", reverse("exchange:import_index")) in nav_items(city_cc)
    assert ("数据导入", reverse("exchange:import_index")) not in nav_items(province_user)
    assert ("我的任务", reverse("exchange:jobs")) in nav_items(province_user)


# With REDIS_URL set (CI): the job goes through the broker to a real worker thread, and its page
# follows it. The worker has its own database connection, so the data must be committed.
from jianxi_portal.tests.test_celery_redis import needs_redis, real_worker  # noqa: E402,F401


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_export_job_runs_in_a_real_worker(real_worker, client_for, city_cc, monkeypatch):  # noqa: F811
    import time

    from exchange import exports, views
    from units.tests.factories import UnitFactory

    monkeypatch.setattr(exports, "DIRECT_LIMIT", 1)
    monkeypatch.setattr(views, "DIRECT_LIMIT", 1)
    for n in range(3):
        UnitFactory(name=f"单位{n}", region_code="changchun")
    client = client_for(city_cc)
    client.get(reverse("exchange:export", args=["units"]))
    job = Job.objects.get()
    deadline = time.monotonic() + 30
    while client.get(reverse("exchange:job_status", args=[job.pk])).json()["status"] != "done":
        assert time.monotonic() < deadline, "the worker did not finish the job in 30 s"
        time.sleep(0.2)
    workbook = openpyxl.load_workbook(
        io.BytesIO(b"".join(client.get(reverse("exchange:job_download", args=[job.pk])).streaming_content))
    )
    assert workbook.worksheets[0].max_row == 4


def test_finished_import_shows_the_rows_counted(client_for, city_cc):
    upload(client_for(city_cc), xlsx_bytes([trainee_row(n) for n in range(1, 8)]))
    job = Job.objects.get()
    assert (job.progress_done, job.progress_total, job.percent) == (7, 7, 100)
    assert "7 / 7（100%）" in client_for(city_cc).get(reverse("exchange:job", args=[job.pk])).content.decode()
