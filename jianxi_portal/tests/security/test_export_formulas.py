"""Formula injection over every download (SECURITY.md: Exports and formula injection): names and
titles typed by outsiders — a self-registered employer's unit name, a post title, a trainee's
name, a voucher number, a user's name, a region's name — come back from every export of every
register, the import templates and error reports, the placement list, the payment register, the
audit log, Annex 1 and Annex 2 and the holiday template as text: titles, headers, notes and sheet
names included, no cell a formula and no text beginning with = + - @, a tab or a carriage return."""

import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from exchange.exports import EXPORTERS, exporter_for
from exchange.imports import REGISTRY as IMPORTERS
from exchange.imports import load_registers
from exchange.models import Job
from exchange.tests.helpers import trainee_row, xlsx_bytes
from jianxi_portal.core import spreadsheets
from jianxi_portal.core.models import AuditLog, Region, User
from jianxi_portal.tests.factories import UserFactory
from positions.tests.factories import ApprovedPostFactory
from subsidies.tests.factories import DisbursementFactory
from trainees.tests.factories import MentorFactory, PlacementFactory, TraineeFactory
from units.models import Unit
from units.tests.factories import ApprovedUnitFactory

pytestmark = pytest.mark.django_db

INJECTION_START = ("=", "+", "-", "@", "\t", "\r")
HOSTILE_UNIT = '=HYPERLINK("http://x")'
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_of(response):
    assert response.status_code == 200, getattr(response, "content", b"")[:300]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(io.BytesIO(content))


def formula_census(workbook) -> dict:
    """What a spreadsheet program would evaluate in `workbook`, and what was made text instead."""
    census = {"cells": 0, "formulas": 0, "raw": 0, "neutralised": 0, "sheets": 0, "bad_sheet_names": 0}
    for sheet in workbook.worksheets:
        census["sheets"] += 1
        if (
            sheet.title.startswith(INJECTION_START + ("'",))
            or len(sheet.title) > 31
            or re.search(r"[\[\]:*?/\\]", sheet.title)
        ):
            census["bad_sheet_names"] += 1
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                census["cells"] += 1
                if cell.data_type == "f":
                    census["formulas"] += 1
                elif isinstance(cell.value, str) and cell.value.startswith(INJECTION_START):
                    census["raw"] += 1
                elif isinstance(cell.value, str) and cell.value[:2].startswith(tuple("'" + s for s in INJECTION_START)):
                    census["neutralised"] += 1
    return census


def employer_registers_unit_through_the_api(api_for, name: str) -> User:
    from positions.tests.test_api_posts_units import unit_payload

    employer = UserFactory(username="self_registered", role=User.Role.EMPLOYER)
    response = api_for(employer).post("/api/v1/units/", unit_payload(name=name), format="json")
    assert response.status_code == 201, response.json()
    employer.refresh_from_db()
    return employer


def test_a_self_registered_unit_named_like_a_formula_is_text_in_the_placement_list_title(api_for, client_for):
    employer = employer_registers_unit_through_the_api(api_for, HOSTILE_UNIT)
    assert employer.unit.name == HOSTILE_UNIT
    workbook = workbook_of(client_for(employer).get(reverse("trainees:placement_list"), {"export": "xlsx"}))
    title = workbook.worksheets[0]["A1"]
    assert title.data_type == "s"
    assert title.value.startswith("'" + HOSTILE_UNIT) and title.value.endswith("导出）")
    assert formula_census(workbook)["formulas"] == 0


@pytest.mark.parametrize(
    "name, expected",
    [
        ('=HYPERLINK("http://x")', 'HYPERLINK("http___x")'),
        ("@SUM(1)", "SUM(1)"),
        ("'引号'", "引号"),
        ("a[b]c:d*e?f/g\\h", "a_b_c_d_e_f_g_h"),
        ("长" * 40, "长" * 31),
        ("", "Sheet"),
        ("===", "Sheet"),
        ("History", "Sheet"),
        ("2026年节假日安排", "2026年节假日安排"),
    ],
)
def test_sheet_names_are_valid_and_never_begin_with_a_formula_sign(name, expected):
    assert spreadsheets.sheet_title(name) == expected


def test_both_workbooks_neutralise_whatever_a_caller_writes(tmp_path):
    book = spreadsheets.Workbook(write_only=True)
    sheet = book.create_sheet('=HYPERLINK("x")')
    cell = openpyxl.cell.WriteOnlyCell(sheet, value="=1+1")
    sheet.append([cell, "-2+3", "@A1", "\tx", "正常", 5, "坏\x01字符"])
    form = spreadsheets.Workbook()
    form.active.title = "+附件"
    form.active["A1"] = "=SUM(A2:A3)"
    form.active.cell(row=2, column=1, value="+86 0431")
    path = tmp_path / "xw.xlsx"
    writer = spreadsheets.XlsxWriterWorkbook(path)
    raw = writer.add_worksheet("@名单")
    raw.write(0, 0, "=1+1")
    raw.write_string(0, 1, "-1")
    with pytest.raises(ValueError):
        raw.write_formula(0, 2, "=1+1")
    with pytest.raises(ValueError):
        raw.write_url(0, 3, "http://x")
    writer.close()
    books = [
        openpyxl.load_workbook(io.BytesIO(book.to_bytes())),
        openpyxl.load_workbook(io.BytesIO(form.to_bytes())),
        openpyxl.load_workbook(path),
    ]
    assert [b.sheetnames for b in books] == [['HYPERLINK("x")'], ["附件"], ["名单"]]
    assert [c.value for c in books[0].worksheets[0][1]] == ["'=1+1", "'-2+3", "'@A1", "'\tx", "正常", 5, "坏字符"]
    assert [books[1].worksheets[0]["A1"].value, books[1].worksheets[0]["A2"].value] == ["'=SUM(A2:A3)", "'+86 0431"]
    assert [c.value for c in books[2].worksheets[0][1]] == ["'=1+1", "'-1"]
    assert sum(formula_census(b)["formulas"] + formula_census(b)["raw"] for b in books) == 0


WRITER_PATTERN = re.compile(
    r"\b(openpyxl\.Workbook|xlsxwriter\.Workbook|from openpyxl import Workbook|"
    r"from openpyxl import .*\bWorkbook\b)"
)


def test_no_module_creates_a_workbook_but_the_safe_one():
    """Every writer goes through jianxi_portal/core/spreadsheets.py, so no caller can write an
    unneutralised string (the tests, the benchmarks and the tools write their own files)."""
    root = Path(__file__).resolve().parents[3]
    offenders = []
    for path in root.rglob("*.py"):
        relative = path.relative_to(root)
        if relative.parts[0] in (".venv", "bench", "tools") or "tests" in relative.parts:
            continue
        if relative == Path("jianxi_portal/core/spreadsheets.py"):
            continue
        if WRITER_PATTERN.search(path.read_text(encoding="utf-8")):
            offenders.append(str(relative))
    assert offenders == []


HOSTILE_VALUES = (
    HOSTILE_UNIT,
    "=1+1",
    "-2+3",
    "+张三",
    "=cmd|' /C calc'!A0",
    "@SUM(1)",
    "\t吉林大学",
    "-带教",
    "=凭证",
    '=HYPERLINK("http://x","y")',
    "@SUM(1)长春市",
)


@pytest.fixture
def hostile_data(api_for, changchun):
    """Every kind of text an outsider or a careless clerk can type, in every register."""
    Region.objects.filter(pk=changchun.pk).update(name="@SUM(1)长春市")
    employer = employer_registers_unit_through_the_api(api_for, HOSTILE_UNIT)
    unit = ApprovedUnitFactory(name="=1+1", region_code="changchun", address="-2+3", contact_name="+张三")
    post = ApprovedPostFactory(unit=unit, title="=cmd|' /C calc'!A0")
    trainee = TraineeFactory(name="@SUM(1)", school="\t吉林大学")
    PlacementFactory(
        post=post, trainee=trainee, allowance=Decimal("1500"), mentor=MentorFactory(unit=unit, name="-带教")
    )
    DisbursementFactory(claim__unit=unit, voucher_no="=凭证")
    AuditLog.objects.create(event="login.failure", username='=HYPERLINK("http://x","y")', result="failed")
    return employer


def test_every_download_of_every_register_holds_no_formula(
    hostile_data, client_for, city_cc, province_user, admin_user, figures, django_capture_on_commit_callbacks
):
    load_registers()
    today = timezone.localdate()
    downloads: dict[str, openpyxl.Workbook] = {}
    for register in sorted(EXPORTERS):
        client = client_for(province_user if not exporter_for(register).may_export(city_cc) else city_cc)
        downloads[f"export {register}"] = workbook_of(client.get(reverse("exchange:export", args=[register])))
    for register in sorted(IMPORTERS):
        downloads[f"template {register}"] = workbook_of(
            client_for(city_cc).get(reverse("exchange:template", args=[register]))
        )
    for who in (hostile_data, city_cc):
        downloads[f"placement list ({who.role})"] = workbook_of(
            client_for(who).get(reverse("trainees:placement_list"), {"export": "xlsx"})
        )
    province = client_for(province_user)
    downloads["payment register"] = workbook_of(province.get(reverse("disbursement_list"), {"export": "xlsx"}))
    downloads["audit log"] = workbook_of(province.get("/security/audit/export/"))
    downloads["annex 1"] = workbook_of(province.get(reverse("annex1_xlsx")))
    downloads["annex 2"] = workbook_of(province.get(reverse("annex2_xlsx", args=[today.year, today.month])))
    downloads["holiday template"] = workbook_of(
        client_for(admin_user).get(reverse("calendar_arrangement_template", args=[today.year]))
    )
    downloads["import error report"] = error_report(client_for(city_cc), django_capture_on_commit_callbacks)

    census = {name: formula_census(book) for name, book in downloads.items()}
    total = {key: sum(c[key] for c in census.values()) for key in next(iter(census.values()))}
    assert {name: c for name, c in census.items() if c["formulas"] or c["raw"] or c["bad_sheet_names"]} == {}
    titles = [downloads[f"placement list ({who.role})"].worksheets[0]["A1"].value for who in (hostile_data, city_cc)]
    assert titles[0].startswith("'" + HOSTILE_UNIT) and titles[1].startswith("'@SUM(1)长春市")
    texts = [
        cell.value
        for book in downloads.values()
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]
    assert [v for v in HOSTILE_VALUES if not any(t.startswith("'" + v) for t in texts)] == []
    figures.add(
        "3",
        f"formula injection over every download: {len(downloads)} files ({len(EXPORTERS)} register "
        f"exports, {len(IMPORTERS)} import templates, an import error report, the placement list "
        "as an employer and a city, the payment register, the audit log, Annex 1 and 2, the holiday "
        f"template), {total['sheets']} sheet names, {total['cells']} cells with titles, headers and "
        f"notes: {total['neutralised']} formula-like values stored as text (the placement list's "
        "title with a self-registered unit's name and with a region's name among them); 0 formula "
        "cells, 0 cells beginning with = + - @ tab CR, 0 invalid sheet names",
    )


def error_report(client, capture):
    rows = [trainee_row(1), trainee_row(2, 手机号码="12")]
    with capture(execute=True):
        client.post(
            reverse("exchange:import", args=["trainees"]),
            {"file": SimpleUploadedFile("见习人员.xlsx", xlsx_bytes(rows), content_type=XLSX_TYPE)},
        )
    job = Job.objects.filter(kind__startswith="import").latest("pk")
    return workbook_of(client.get(reverse("exchange:job_errors", args=[job.pk])))


def test_a_unit_name_is_still_the_name_typed(api_for):
    """Neutralising is for files only: the register keeps what was typed."""
    employer_registers_unit_through_the_api(api_for, HOSTILE_UNIT)
    assert Unit.objects.get(name=HOSTILE_UNIT)
