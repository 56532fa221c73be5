"""SECURITY.md, item 5: hostile files over every upload path.

The import pipeline's own refusals are proven file by file in exchange/tests/
test_files.py (service level). Here the same hostile files go through every upload path a person
can reach — the import page (UI; it queues the background import job), the unit's documents
(units) and the service-zone article files (outreach) — and each must be refused with a Chinese
message, no row written, no server error; memory stays bounded while a bomb is inspected; openpyxl
reads XML through defusedxml. (The API has no upload endpoint: imports are on the page only.)"""

import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from exchange.files import FileRefused
from exchange.imports import importer_for
from exchange.models import Job
from exchange.tests.helpers import replace_part, trainee_row, xlsx_bytes, zip_bomb
from exchange.tests.test_files import BILLION_LAUGHS, SHEET, XXE
from outreach.models import Article, ArticleFile
from trainees.models import Trainee
from units.models import UnitAttachment
from units.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _valid_xlsx() -> bytes:
    return xlsx_bytes([trainee_row(1), trainee_row(2)])


def _zip_bomb() -> bytes:
    return zip_bomb(_valid_xlsx())


def _hostile_spreadsheets() -> dict[str, tuple[str, bytes]]:
    headers_only_wrong = xlsx_bytes([{"某列": "x"}], headers=["某列"])
    return {
        "zip bomb": ("trainees.xlsx", _zip_bomb()),
        "billion laughs": ("trainees.xlsx", replace_part(_valid_xlsx(), SHEET, BILLION_LAUGHS)),
        "XXE": ("trainees.xlsx", replace_part(_valid_xlsx(), SHEET, XXE)),
        ".xls renamed .xlsx": ("trainees.xlsx", OLE2),
        "50 MB file": ("trainees.xlsx", b"PK\x03\x04" + b"\x00" * (50 * 1024 * 1024)),
        "wrong headers": ("trainees.xlsx", headers_only_wrong),
        "empty sheet": ("trainees.xlsx", xlsx_bytes([], headers=[])),
    }


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_openpyxl_parses_through_defusedxml():
    import defusedxml.ElementTree
    import openpyxl.xml
    import openpyxl.xml.functions

    assert openpyxl.xml.DEFUSEDXML is True
    assert openpyxl.xml.functions.fromstring.__module__ == defusedxml.ElementTree.fromstring.__module__


def test_every_hostile_spreadsheet_through_the_import_page_is_refused_in_chinese(
    city_cc,
    client_for,
    settings,
    tmp_path,
    figures,
    django_capture_on_commit_callbacks,
):
    settings.MEDIA_ROOT = str(tmp_path)
    client = client_for(city_cc)
    refused = []
    for label, (name, content) in _hostile_spreadsheets().items():
        with django_capture_on_commit_callbacks(execute=True):  # the queued job runs, as a worker would
            response = client.post("/exchange/import/trainees/", {"file": SimpleUploadedFile(name, content, XLSX_TYPE)})
        assert response.status_code in (200, 302), (label, response.status_code)
        jobs = list(Job.objects.filter(owner=city_cc))
        if jobs:  # accepted as a file by the form: the background import job refused it
            assert [j.status for j in jobs] == [Job.Status.FAILED], (label, [(j.status, j.result) for j in jobs])
            message = jobs[0].error
            page = client.get(f"/exchange/jobs/{jobs[0].pk}/")
            assert page.status_code == 200 and message and message in page.content.decode(), label
        else:  # refused by the upload form before anything was stored
            body = response.content.decode()
            errors = response.context["form"].errors
            assert errors, label
            message = " ".join(str(m) for msgs in errors.values() for m in msgs)
            assert message in body, label
        assert _chinese(message), (label, message[:200])
        assert Trainee.objects.count() == 0, label
        Job.objects.filter(owner=city_cc).delete()
        refused.append(label)
    figures.add(
        "5",
        f"import page (UI → background job): {len(refused)} of 7 hostile files refused in Chinese "
        f"({', '.join(refused)}); 0 rows written, 0 server errors",
    )


def test_inspecting_a_zip_bomb_or_a_50_mb_file_keeps_memory_bounded(city_cc, tmp_path, figures):
    peaks = {}
    for label, content in (("zip bomb", _zip_bomb()), ("50 MB", b"PK\x03\x04" + b"\x00" * (50 * 1024 * 1024))):
        path = tmp_path / "upload.xlsx"
        path.write_bytes(content)
        del content
        tracemalloc.start()
        try:
            with open(path, "rb") as fh, pytest.raises(FileRefused):
                importer_for("trainees").run(fh, by=city_cc, dry_run=True)
            peaks[label] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peaks[label] < 16 * 1024 * 1024, (label, peaks[label])
    figures.add(
        "5",
        "memory while refusing: "
        + ", ".join(f"{k} peak {v / 1024:.0f} KB" for k, v in peaks.items())
        + " (bound 16 MB)",
    )


def _hostile_documents() -> dict[str, tuple[str, bytes]]:
    return {
        "zip bomb named .pdf": ("licence.pdf", _zip_bomb()),
        "XXE as .svg": ("licence.svg", XXE),
        "billion laughs as .png": ("licence.png", BILLION_LAUGHS),
        ".xls renamed .pdf": ("licence.pdf", OLE2),
        "50 MB PDF": ("licence.pdf", b"%PDF-1.4\n" + b"\x00" * (50 * 1024 * 1024)),
        "empty file": ("licence.pdf", b""),
    }


def test_hostile_files_as_unit_documents_are_refused(employer_a, client_for, settings, tmp_path, figures):
    settings.MEDIA_ROOT = str(tmp_path)
    unit = UnitFactory(region_code="changchun")
    employer_a.unit = unit
    employer_a.save(update_fields=["unit"])
    client = client_for(employer_a)
    refused = []
    for label, (name, content) in _hostile_documents().items():
        response = client.post(
            f"/manage/units/{unit.pk}/attachments/",
            {
                "kind": UnitAttachment.Kind.values[0],
                "file": SimpleUploadedFile(name, content, "application/octet-stream"),
            },
            follow=True,
        )
        assert response.status_code in (200, 400), (label, response.status_code)
        assert UnitAttachment.objects.count() == 0, label
        body = response.content.decode()
        assert any(word in body for word in ("材料文件", "文件", "格式")), label
        refused.append(label)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    figures.add(
        "5",
        f"unit documents (units): {len(refused)} of {len(_hostile_documents())} hostile files refused "
        f"with a Chinese message; 0 rows, 0 files stored, 0 server errors",
    )


def test_hostile_files_as_article_files_are_refused(city_cc, client_for, settings, tmp_path, figures):
    settings.MEDIA_ROOT = str(tmp_path)
    article = Article.objects.create(title="政策解读", summary="", body="正文", region=city_cc.region, author=city_cc)
    client = client_for(city_cc)
    cases = {**_hostile_documents(), ".xls renamed .xlsx": ("table.xlsx", OLE2)}
    refused = []
    for kind in (ArticleFile.Kind.IMAGE, ArticleFile.Kind.ATTACHMENT):
        for label, (name, content) in cases.items():
            upload = SimpleUploadedFile(name, content, "application/octet-stream")
            response = client.post(f"/manage/zone/{article.pk}/files/", {"kind": kind, "file": upload}, follow=True)
            assert response.status_code in (200, 400), (kind, label, response.status_code)
            assert ArticleFile.objects.count() == 0, (kind, label)
            assert "文件" in response.content.decode(), (kind, label)
            refused.append((kind, label))
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    figures.add(
        "5",
        f"article images and attachments (outreach): {len(refused)} of {len(refused)} hostile uploads "
        f"refused with a Chinese message; 0 rows, 0 files stored, 0 server errors",
    )


def test_abandoned_import_files_are_swept_after_an_hour(
    city_cc, settings, tmp_path, figures, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from exchange import handlers, jobs

    settings.MEDIA_ROOT = str(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        preview = jobs.job_start(
            kind=handlers.IMPORT_PREVIEW,
            owner=city_cc,
            title="导入见习人员（预检）",
            params={"register": "trainees", "filename": "t.xlsx"},
            input_file=ContentFile(_valid_xlsx()),
            input_name="t.xlsx",
        )
    preview.refresh_from_db()
    assert preview.status == Job.Status.DONE and preview.input_file
    lost = Job.objects.create(kind=handlers.IMPORT_PREVIEW, owner=city_cc, title="导入（任务丢失）")
    lost.input_file.save("lost.xlsx", ContentFile(_valid_xlsx()))
    Job.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(minutes=61))
    files = lambda: sorted(p.name for p in tmp_path.rglob("*") if p.is_file())  # noqa: E731
    assert len(files()) == 2

    jobs.purge_expired(now=preview.finished_at + timedelta(minutes=59))
    assert len(files()) == 1  # the preview's file is kept within the hour; the lost job's is gone
    lost.refresh_from_db()
    assert lost.status == Job.Status.FAILED and not lost.input_file and "重新发起" in lost.error

    jobs.purge_expired(now=preview.finished_at + timedelta(minutes=61))
    assert files() == []
    preview.refresh_from_db()
    assert not preview.input_file
    assert "exchange-purge-expired" in settings.CELERY_BEAT_SCHEDULE
    figures.add(
        "5",
        "abandoned import files: an unconfirmed preview's upload kept at 59 min, deleted at 61 min; "
        "a queued job lost for 61 min failed and its upload deleted (purge on the hourly beat)",
    )
