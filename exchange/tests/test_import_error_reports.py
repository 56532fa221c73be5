"""Imports say everything at once: every error of every row (also beside a cell that could not be
read), the preview's refused rows as an .xlsx with a column of messages, and templates with
drop-down lists for choice columns and a filled-in example row."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exchange.imports import importer_for
from exchange.models import Job
from exchange.tests.helpers import trainee_row, xlsx_bytes
from units.tests.factories import ApprovedUnitFactory

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_row_with_an_unknown_category_and_a_short_phone_reports_both(city_cc):
    rows = [trainee_row(1, 人员类别="大学生", 手机号码="1380431")]
    report = importer_for("trainees").run(io.BytesIO(xlsx_bytes(rows)), by=city_cc, dry_run=True)
    columns = sorted(e.column for e in report.errors)
    assert columns == ["人员类别", "手机号码"]
    assert report.invalid == 1


def test_every_profile_error_of_a_row_is_reported(city_cc):
    rows = [trainee_row(1, 姓名="", 毕业院校="", 手机号码="12")]
    report = importer_for("trainees").run(io.BytesIO(xlsx_bytes(rows)), by=city_cc, dry_run=True)
    assert sorted(e.column for e in report.errors) == ["姓名", "手机号码"]  # school comes after the name check


def test_a_unit_row_with_an_unknown_type_also_names_its_bad_phone(city_cc):
    from units.resources import UnitResource

    row = {
        "单位名称": "长春新单位",
        "统一社会信用代码": "91220101MA17A8K2X7",
        "单位性质": "外星企业",
        "所属行业": "C",
        "区县": "朝阳区",
        "地址": "长春市朝阳区1号",
        "联系人": "张明",
        "联系人手机号码": "139123",
    }
    report = importer_for("units").run(io.BytesIO(xlsx_bytes([row], UnitResource.headers())), by=city_cc, dry_run=True)
    assert sorted(e.column for e in report.errors) == ["单位性质", "联系人手机号码"]


@pytest.fixture
def preview_with_errors(client_for, city_cc, django_capture_on_commit_callbacks):
    client = client_for(city_cc)
    rows = [trainee_row(1), trainee_row(2, 人员类别="大学生", 手机号码="1380431"), trainee_row(3, 手机号码="12")]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("exchange:import", args=["trainees"]),
            {"file": SimpleUploadedFile("见习人员.xlsx", xlsx_bytes(rows), content_type=XLSX_TYPE)},
        )
    return client, Job.objects.get()


def test_the_preview_offers_its_refused_rows_as_xlsx_with_the_messages(preview_with_errors):
    client, preview = preview_with_errors
    page = client.get(reverse("exchange:job", args=[preview.pk])).content.decode()
    assert reverse("exchange:job_errors", args=[preview.pk]) in page
    response = client.get(reverse("exchange:job_errors", args=[preview.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "原文件行号" and rows[0][-1] == "错误说明" and rows[0][1] == "姓名"
    assert [r[0] for r in rows[1:]] == [3, 4]  # the header is row 1: data rows 3 and 4 were refused
    assert rows[1][1] == "学员2" and rows[1][4] == "大学生"
    assert "人员类别：" in rows[1][-1] and "手机号码：" in rows[1][-1]
    assert rows[2][-1].startswith("手机号码：")


def test_someone_elses_error_report_is_404(preview_with_errors, client_for, city_jl):
    _, preview = preview_with_errors
    assert client_for(city_jl).get(reverse("exchange:job_errors", args=[preview.pk])).status_code == 404


def test_a_clean_preview_has_no_error_report(client_for, city_cc, django_capture_on_commit_callbacks):
    client = client_for(city_cc)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("exchange:import", args=["trainees"]),
            {"file": SimpleUploadedFile("a.xlsx", xlsx_bytes([trainee_row(1)]), content_type=XLSX_TYPE)},
        )
    assert client.get(reverse("exchange:job_errors", args=[Job.objects.get().pk])).status_code == 404


@pytest.mark.parametrize("register", ["units", "posts", "trainees", "placements"])
def test_templates_offer_drop_downs_for_choices_and_an_example_row(client_for, city_cc, register):
    response = client_for(city_cc).get(reverse("exchange:template", args=[register]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    data = workbook.worksheets[0]
    assert data.max_row == 1  # the data sheet holds only the header: an untouched template imports nothing
    headers = [c.value for c in data[1]]
    importer = importer_for(register)
    choice_columns = {c.column_name for c in importer.resource.columns() if c.choices or c.kind == "bool"}
    validated = set()
    for validation in data.data_validations.dataValidation:
        assert validation.type == "list"
        for cell_range in validation.sqref.ranges:
            validated.add(headers[cell_range.min_col - 1])
    assert validated == choice_columns and choice_columns
    example = workbook["填写示例"]
    assert [c.value for c in example[1]] == headers
    values = dict(zip(headers, [c.value for c in example[2]], strict=True))
    for column in importer.resource.columns():
        if column.required:
            assert values[column.column_name], column.column_name


def test_the_units_example_row_passes_the_import_checks(city_cc):
    ApprovedUnitFactory  # noqa: B018 — the example's district 朝阳区 is reference data of 长春市
    from units.resources import UnitResource

    template_example = {c.column_name: c.spec for c in UnitResource.columns()}
    from django.utils import timezone

    from exchange.xlsx import example_value

    row = {name: example_value(spec, timezone.localdate()) for name, spec in template_example.items()}
    report = importer_for("units").run(io.BytesIO(xlsx_bytes([row], UnitResource.headers())), by=city_cc, dry_run=True)
    assert report.errors == [] and report.create == 1
