"""A year's holiday arrangement entered in one go: rows as the State Council notice lists them,
refused as a whole with every problem named; saving recomputes the stored deadlines of open items
whose window contains a changed day (audited, reviewers told); the warning stays until the year is
marked complete (DESIGN.md, Review workflow)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jianxi_portal.core.calendar_arrangement import (
    arrangement_save,
    calendar_year_set_complete,
    initial_rows,
    parse_day,
    parse_rows,
    rows_from_table,
)
from jianxi_portal.core.models import AuditLog, CalendarOverride, CalendarYear, Notification
from jianxi_portal.core.review_reminders import send_review_reminders
from jianxi_portal.core.workdays import is_working_day, years_needing_arrangement
from positions.tests.factories import SubmittedPostFactory
from units.tests.factories import SubmittedUnitFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
SUBMITTED_2026_12_21 = datetime(2026, 12, 21, 10, 0, tzinfo=SHANGHAI)


def rows(*values):
    return [(n, dict(zip(("name", "start", "end", "workdays"), v, strict=True))) for n, v in enumerate(values, 1)]


NOTICE_2027 = rows(
    ("元旦", "1月1日", "1月3日", ""),
    ("春节", "2月5日（星期五）", "2月11日（星期四）", "2月14日（星期日）、2月20日（星期六）"),
)


def pending_unit(**kwargs):
    """A unit submitted on Mon 2026-12-21, due 2027-01-12 (15 working days, 元旦 provisional)."""
    return SubmittedUnitFactory(submitted_at=SUBMITTED_2026_12_21, review_deadline=date(2027, 1, 12), **kwargs)


# --- parsing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2027-02-05", date(2027, 2, 5)),
        ("2027/2/5", date(2027, 2, 5)),
        ("2027年2月5日", date(2027, 2, 5)),
        ("2月5日", date(2027, 2, 5)),
        ("2月5日（星期五）", date(2027, 2, 5)),
        (" 2-5 ", date(2027, 2, 5)),
        (datetime(2027, 2, 5, 0, 0), date(2027, 2, 5)),
        ("2月30日", None),
        ("春节", None),
        ("", None),
    ],
)
def test_dates_are_read_as_the_notice_and_spreadsheets_write_them(text, expected):
    assert parse_day(text, 2027) == expected


def test_the_notice_rows_become_holidays_and_adjusted_working_days():
    arrangement = parse_rows(2027, NOTICE_2027, document="国办发明电〔2026〕7号")
    assert [(f.name, f.start, f.end) for f in arrangement.festivals] == [
        ("元旦", date(2027, 1, 1), date(2027, 1, 3)),
        ("春节", date(2027, 2, 5), date(2027, 2, 11)),
    ]
    assert len(arrangement.holidays()) == 10  # 3 + 7 days
    assert arrangement.workdays() == {date(2027, 2, 14): "春节调休上班", date(2027, 2, 20): "春节调休上班"}
    assert arrangement.document == "国办发明电〔2026〕7号"


@pytest.mark.parametrize(
    "bad, message",
    [
        (("春节", "2月30日", "", ""), "第1行（春节）：“放假开始”的“2月30日”不是有效日期"),
        (("春节", "2月11日", "2月5日", ""), "第1行（春节）：放假结束日期 2027-02-05 早于开始日期 2027-02-11。"),
        (("元旦", "2026-12-31", "2027-01-02", ""), "第1行（元旦）：“放假开始”的 2026-12-31 不在2027年内。"),
        (("春节", "2月5日", "2月11日", "2月8日"), "第1行（春节）：调休上班日 2027-02-08 在本节日的放假期间内。"),
        (("春节", "2月5日", "2月11日", "2月16日"), "调休上班日 2027-02-16（星期二）本就是工作日"),
        (("", "2月5日", "", ""), "第1行：请填写节日名称。"),
        (("春节", "", "2月11日", ""), "第1行（春节）：请填写“放假开始”日期。"),
    ],
)
def test_malformed_rows_are_refused_with_the_row_and_a_chinese_message(bad, message):
    with pytest.raises(ValidationError) as refused:
        parse_rows(2027, rows(bad))
    assert any(message in m for m in refused.value.message_dict["rows"]), refused.value.message_dict


def test_overlapping_festivals_and_a_working_day_inside_another_festival_are_refused_together():
    with pytest.raises(ValidationError) as refused:
        parse_rows(2027, rows(("国庆节", "10月1日", "10月7日", "10月9日"), ("中秋节", "10月6日", "10月8日", "10月2日")))
    assert refused.value.message_dict["rows"] == [
        "第2行（中秋节）：放假日期与第1行（国庆节）重叠（2027-10-06）。",
        "第2行（中秋节）：调休上班日 2027-10-02 是第1行（国庆节）的放假日。",
    ]


def test_an_empty_form_is_refused():
    with pytest.raises(ValidationError, match="请至少填写一个节日"):
        parse_rows(2027, rows(("", "", "", "")))


def test_a_file_with_other_columns_is_refused_naming_both_lists():
    with pytest.raises(ValidationError) as refused:
        rows_from_table(["日期", "类型", "说明"], [])
    assert refused.value.message_dict["file"] == [
        "文件的列应为 节日、放假开始、放假结束、调休上班（第一行为表头），"
        "收到的是 “日期”、“类型”、“说明”。请下载模板按列填写。"
    ]
    table = rows_from_table(
        ["调休上班", "节日", "放假开始", "放假结束"], [(2, ("2月14日", "春节", "2月5日", "2月11日"))]
    )
    assert table == [(2, {"name": "春节", "start": "2月5日", "end": "2月11日", "workdays": "2月14日"})]


def test_the_form_starts_from_the_statutory_days_then_from_what_was_entered(admin_user):
    assert initial_rows(2027)[:2] == [
        {"name": "元旦", "start": "2027-01-01", "end": "2027-01-01", "workdays": ""},
        {"name": "春节", "start": "2027-02-05", "end": "2027-02-08", "workdays": ""},
    ]
    assert len(initial_rows(2027)) == 7
    arrangement_save(arrangement=parse_rows(2027, NOTICE_2027), complete=False, by=admin_user)
    assert initial_rows(2027) == [
        {"name": "元旦", "start": "2027-01-01", "end": "2027-01-03", "workdays": ""},
        {"name": "春节", "start": "2027-02-05", "end": "2027-02-11", "workdays": "2027-02-14、2027-02-20"},
    ]


# --- saving, the warning, recomputed deadlines ---------------------------------------------------


def test_saving_replaces_the_years_dates_and_the_warning_stays_until_marked_complete(admin_user):
    CalendarOverride.objects.create(date=date(2027, 3, 1), kind="holiday", note="旧数据")
    arrangement_save(arrangement=parse_rows(2027, NOTICE_2027), complete=False, by=admin_user)
    assert CalendarOverride.objects.filter(date__year=2027).count() == 12  # 10 days off + 2 working days
    assert not CalendarOverride.objects.filter(date=date(2027, 3, 1)).exists()
    assert is_working_day(date(2027, 2, 14)) and not is_working_day(date(2027, 2, 11))
    assert years_needing_arrangement([2027]) == [2027]
    calendar_year_set_complete(year=2027, complete=True, by=admin_user)
    assert years_needing_arrangement([2027]) == []
    year = CalendarYear.objects.get(year=2027)
    assert (year.complete, year.completed_by) == (True, admin_user)
    assert year.history.count() == 2


def test_one_extra_holiday_inside_a_pending_items_window_moves_its_deadline_by_one_working_day(admin_user, city_cc):
    unit = pending_unit(name="待审单位")
    # Wed 2027-01-20: 01-21..22, 01-25..29, 02-01..04 (1..11), 春节 02-05 and 02-08 off, 02-09..12 (12..15).
    untouched = SubmittedUnitFactory(
        submitted_at=datetime(2027, 1, 20, 9, tzinfo=SHANGHAI), review_deadline=date(2027, 2, 12)
    )
    # The notice gives 元旦 1–4 January: Mon 2027-01-04 is one more holiday than the provisional calendar.
    arrangement = parse_rows(2027, rows(("元旦", "1月1日", "1月4日", ""), ("春节", "2月5日", "2月8日", "")))
    change = arrangement_save(arrangement=arrangement, complete=False, by=admin_user)

    assert change.days == [date(2027, 1, 4)]
    unit.refresh_from_db()
    untouched.refresh_from_db()
    assert unit.review_deadline == date(2027, 1, 13)
    assert untouched.review_deadline == date(2027, 2, 12)  # 春节 as entered = as provisional
    row = AuditLog.objects.get(event="deadline.recompute")
    assert (row.object_id, row.detail) == (
        str(unit.pk),
        {"from": "2027-01-12", "to": "2027-01-13", "days": ["2027-01-04"]},
    )
    note = Notification.objects.get(recipient=city_cc)
    assert note.title == "节假日安排调整：1项事项的期限已重新计算"
    assert note.body == "· 见习单位“待审单位”：2027-01-12 → 2027-01-13"


def test_marking_a_year_complete_drops_the_statutory_days_not_entered(admin_user, city_jl):
    # Submitted Mon 2027-02-01 under the provisional calendar (春节 02-05 Fri and 02-08 Mon off):
    # 02-02..04 (1..3), 02-09..12 (4..7), 02-15..19 (8..12), 02-22..24 (13..15).
    post = SubmittedPostFactory(
        unit__region_code="jilin",
        title="春节前提交的岗位",
        submitted_at=datetime(2027, 2, 1, 9, tzinfo=SHANGHAI),
        review_deadline=date(2027, 2, 24),
    )
    arrangement_save(arrangement=parse_rows(2027, rows(("元旦", "1月1日", "", ""))), complete=False, by=admin_user)
    post.refresh_from_db()
    assert post.review_deadline == date(2027, 2, 24)  # entering 元旦 alone changed nothing in its window
    change = calendar_year_set_complete(year=2027, complete=True, by=admin_user)
    # The weekdays among the statutory days not entered become working days.
    assert change.days == [
        date(2027, 2, 5),
        date(2027, 2, 8),
        date(2027, 4, 5),
        date(2027, 6, 9),
        date(2027, 9, 15),
        date(2027, 10, 1),
    ]
    post.refresh_from_db()
    assert post.review_deadline == date(2027, 2, 22)  # 02-02..05 (1..4), 02-08..12 (5..9), 02-15..19, 02-22 (15)
    assert Notification.objects.filter(recipient=city_jl).count() == 1


def test_bad_input_saves_nothing(admin_user):
    with pytest.raises(ValidationError):
        arrangement_save(
            arrangement=parse_rows(2027, rows(("春节", "2月11日", "2月5日", ""))), complete=True, by=admin_user
        )
    assert (CalendarOverride.objects.count(), CalendarYear.objects.count()) == (0, 0)


def test_only_admins_change_the_calendar(city_cc):
    with pytest.raises(PermissionDenied):
        arrangement_save(arrangement=parse_rows(2027, NOTICE_2027), complete=True, by=city_cc)
    with pytest.raises(PermissionDenied):
        calendar_year_set_complete(year=2027, complete=True, by=city_cc)
    assert CalendarOverride.objects.count() == 0


def test_a_year_cannot_be_marked_complete_with_no_holiday_entered(admin_user):
    with pytest.raises(ValidationError, match="尚未录入任何放假日期"):
        calendar_year_set_complete(year=2027, complete=True, by=admin_user)


def test_reminders_use_the_recomputed_deadline(admin_user, city_cc):
    pending_unit(name="待审单位")
    arrangement_save(
        arrangement=parse_rows(2027, rows(("元旦", "1月1日", "1月4日", ""))), complete=False, by=admin_user
    )
    send_review_reminders(today=date(2027, 1, 11))
    reminder = Notification.objects.get(recipient=city_cc, title__startswith="【审核提醒")
    assert "审核期限2027-01-13（暂定），剩余2个工作日" in reminder.body  # 2027 still not complete


def test_the_due_date_of_an_annex2_report_not_yet_submitted_moves_too(admin_user, changchun, city_cc):
    from reports.models import MonthlyReport

    # September 2027's report: due Sun 10-03 moved to Mon 10-04 (国庆 10-01..03 provisional).
    report = MonthlyReport.objects.create(
        region=changchun, year=2027, month=9, due_on=date(2027, 10, 4), computed_at=SUBMITTED_2026_12_21
    )
    submitted = MonthlyReport.objects.create(
        region=changchun,
        year=2027,
        month=8,
        due_on=date(2027, 10, 4),
        computed_at=SUBMITTED_2026_12_21,
        first_submitted_at=SUBMITTED_2026_12_21,
    )
    arrangement = parse_rows(2027, rows(("国庆节", "10月1日", "10月7日", "9月26日、10月9日")))
    arrangement_save(arrangement=arrangement, complete=False, by=admin_user)
    report.refresh_from_db()
    submitted.refresh_from_db()
    assert report.due_on == date(2027, 10, 8)  # 10-04..07 now off: Fri 10-08
    assert submitted.due_on == date(2027, 10, 4)  # submitted: judged against the date it had
    row = AuditLog.objects.get(event="deadline.recompute", object_id=str(report.pk))
    assert row.detail["from"] == "2027-10-04" and row.detail["to"] == "2027-10-08"
    assert Notification.objects.get(recipient=city_cc).body == "· 月报“长春市2027年9月”：2027-10-04 → 2027-10-08"
