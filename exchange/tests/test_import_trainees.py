"""Trainee import: the 20,000-row acceptance file with 30 bad rows, idempotence, updates, scoping,
and the batch pipeline's promise of no SQL per row."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from exchange.imports import importer_for
from exchange.tests.helpers import id_number, phone, trainee_row, xlsx_bytes
from jianxi_portal.core import crypto
from jianxi_portal.core.models import AuditLog
from trainees.models import Trainee
from trainees.tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db

BIRTHS = [date(2001, 1, 1), date(2001, 6, 15), date(2002, 3, 1), date(2002, 9, 9), date(2003, 2, 28)]


def unique_row(n: int) -> dict:
    """Row n of a large file: a distinct valid ID number (birth date × sequence)."""
    birth = date(2000, 1, 1).fromordinal(date(2000, 1, 1).toordinal() + n // 1000)
    return trainee_row(n, number=id_number(birth, n % 1000), birth=birth)


def spoil(row: dict, k: int) -> tuple[dict, str]:
    """Ten kinds of bad row, each failing one rule of the register; returns the column it fails."""
    kind = k % 10
    if kind == 0:
        number = row["居民身份证号"]
        return {**row, "居民身份证号": number[:17] + ("0" if number[17] != "0" else "1")}, "居民身份证号"
    if kind == 1:
        return {**row, "手机号码": "1234"}, "手机号码"
    if kind == 2:
        return {**row, "人员类别": "退休人员"}, "人员类别"
    if kind == 3:
        return {**row, "毕业院校": ""}, "毕业院校"
    if kind == 4:
        return {**row, "毕业（离校）日期": "去年夏天"}, "毕业（离校）日期"
    if kind == 5:
        return {**row, "姓名": ""}, "姓名"
    if kind == 6:
        return {**row, "已就业": "也许"}, "已就业"
    if kind == 7:
        return {**row, "学历": "小学"}, "学历"
    if kind == 8:
        return {**row, "居民身份证号": "22010219991332123X"}, "居民身份证号"
    return {**row, "毕业（离校）日期": ""}, "毕业（离校）日期"


def test_20000_rows_with_30_bad_preview_confirm_and_reimport(city_cc):
    bad_at = {n * 661 + 17 for n in range(30)}  # spread over the file
    rows, expected_errors = [], {}
    for n in range(20_000):
        row = unique_row(n)
        if n in bad_at:
            row, column = spoil(row, len(expected_errors))
            expected_errors[n + 2] = column  # +1 for the header, +1 for 1-based rows
        rows.append(row)
    content = xlsx_bytes(rows)
    importer = importer_for("trainees")

    preview = importer.run(io.BytesIO(content), by=city_cc, dry_run=True)
    assert Trainee.objects.count() == 0
    assert (preview.total, preview.create, preview.update, preview.invalid) == (20_000, 19_970, 0, 30)
    assert {e.row: e.column for e in preview.errors} == expected_errors
    assert all(e.message for e in preview.errors)

    confirm = importer.run(io.BytesIO(content), by=city_cc, dry_run=False)
    assert (confirm.create, confirm.invalid) == (19_970, 30)
    assert Trainee.objects.count() == 19_970
    valid_digests = {crypto.digest(r["居民身份证号"]) for n, r in enumerate(rows) if n + 2 not in expected_errors}
    assert set(Trainee.objects.values_list("id_number_digest", flat=True)) == valid_digests

    again = importer.run(io.BytesIO(content), by=city_cc, dry_run=False)
    assert (again.create, again.update, again.unchanged, again.invalid) == (0, 0, 19_970, 30)
    assert Trainee.objects.count() == 19_970


def test_imported_trainee_carries_the_register_fields(city_cc):
    number = id_number(date(2002, 3, 1), 7)
    importer_for("trainees").run(
        io.BytesIO(xlsx_bytes([trainee_row(7, number=number, 姓名="王小明")])), by=city_cc, dry_run=False
    )
    trainee = Trainee.objects.get()
    assert (trainee.name, trainee.region, trainee.created_by) == ("王小明", city_cc.region, city_cc)
    assert trainee.id_number == number and trainee.id_number_masked == number[:6] + "********" + number[-4:]
    assert trainee.phone == phone(7) and trainee.birth_date == date(2002, 3, 1)
    assert (trainee.category, trainee.left_school_on) == ("college_graduate", date(2025, 6, 30))
    assert AuditLog.objects.filter(event="trainee.import", detail__created=1).exists()


def test_changed_row_updates_and_only_changed_rows_count(city_cc):
    importer = importer_for("trainees")
    rows = [trainee_row(1), trainee_row(2)]
    importer.run(io.BytesIO(xlsx_bytes(rows)), by=city_cc, dry_run=False)
    rows[1] = {**rows[1], "专业": "软件工程", "手机号码": "13800000002"}
    report = importer.run(io.BytesIO(xlsx_bytes(rows)), by=city_cc, dry_run=False)
    assert (report.create, report.update, report.unchanged) == (0, 1, 1)
    changed = Trainee.objects.get(id_number_digest=crypto.digest(rows[1]["居民身份证号"]))
    assert (changed.major, changed.phone) == ("软件工程", "13800000002")
    assert changed.updated_at > changed.created_at


def test_preview_of_a_change_writes_nothing(city_cc):
    importer = importer_for("trainees")
    importer.run(io.BytesIO(xlsx_bytes([trainee_row(1)])), by=city_cc, dry_run=False)
    report = importer.run(io.BytesIO(xlsx_bytes([trainee_row(1, 专业="哲学")])), by=city_cc, dry_run=True)
    assert report.update == 1
    assert Trainee.objects.get().major == "计算机科学与技术"


def test_same_person_twice_in_a_file_is_refused_on_the_second_row(city_cc):
    rows = [trainee_row(1), trainee_row(2), trainee_row(1, 姓名="重复的人")]
    report = importer_for("trainees").run(io.BytesIO(xlsx_bytes(rows)), by=city_cc, dry_run=True)
    assert [(e.row, e.column) for e in report.errors] == [(4, "居民身份证号")]
    assert "与第2行重复" in report.errors[0].message


def test_city_cannot_import_over_another_regions_trainee(city_cc, jilin_region):
    number = id_number(date(2002, 3, 1), 5)
    TraineeFactory(id_number=number, region=jilin_region)
    report = importer_for("trainees").run(
        io.BytesIO(xlsx_bytes([trainee_row(5, number=number, 姓名="改名")])), by=city_cc, dry_run=False
    )
    assert report.invalid == 1 and "已在其他市（州）登记" in report.errors[0].message
    assert "吉林" not in report.errors[0].message
    assert Trainee.objects.get().name != "改名"


def test_import_lands_in_the_importers_region_only(city_jl):
    importer_for("trainees").run(io.BytesIO(xlsx_bytes([trainee_row(1)])), by=city_jl, dry_run=False)
    assert Trainee.objects.get().region.code == "jilin"


@pytest.mark.parametrize("who", ["province_user", "admin_user", "employer_a", "youth"])
def test_only_city_staff_import(who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        importer_for("trainees").run(io.BytesIO(xlsx_bytes([trainee_row(1)])), by=user, dry_run=False)
    assert Trainee.objects.count() == 0


def test_youth_category_without_school_is_valid_and_graduate_without_school_is_not(city_cc):
    rows = [
        trainee_row(1, category="16—24岁失业青年", school="", left="", 已进行失业登记="是"),
        trainee_row(2, school=""),
    ]
    report = importer_for("trainees").run(io.BytesIO(xlsx_bytes(rows)), by=city_cc, dry_run=True)
    assert report.create == 1
    assert [(e.row, e.column, e.message) for e in report.errors] == [(3, "毕业院校", "毕业生须填写毕业院校。")]


def test_no_sql_per_row(city_cc, django_assert_max_num_queries):
    """1,500 rows = two batches: one existence query each and multi-row INSERTs (PostgreSQL: 500
    rows per statement; SQLite's 999-parameter limit allows ~45), never a statement per row."""
    from django.db import connection

    content = xlsx_bytes([unique_row(n) for n in range(1500)])
    limit = 12 if connection.vendor == "postgresql" else 45
    with django_assert_max_num_queries(limit):
        report = importer_for("trainees").run(io.BytesIO(content), by=city_cc, dry_run=False)
    assert report.create == 1500


def test_csv_file_imports_like_xlsx(city_cc):
    from exchange.tests.helpers import csv_bytes

    rows = [trainee_row(1), trainee_row(2, 手机号码="12")]
    for encoding in ("utf-8-sig", "gb18030"):
        report = importer_for("trainees").run(io.BytesIO(csv_bytes(rows, encoding=encoding)), by=city_cc, dry_run=True)
        assert (report.create, report.invalid, report.errors[0].row) == (1, 1, 3)
    importer_for("trainees").run(io.BytesIO(csv_bytes(rows)), by=city_cc, dry_run=False)
    assert Trainee.objects.get().name == "学员1"
