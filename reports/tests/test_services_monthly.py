"""The monthly report lifecycle: drafts on the 1st, recompute until submitted, adjustments only
with a note, the form's rules block submission, submission freezes, the province accepts or
returns, due dates, late and missing reports, reminders."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jianxi_portal.core.models import Notification, Region, ReviewLog
from jianxi_portal.core.review import InvalidTransition
from positions.models import Post
from reports import services
from reports.indicators import Period
from reports.models import MonthlyReport, ReportLine
from reports.selectors import annex2_rows, report_values
from reports.tasks import generate_monthly_drafts, send_report_reminders
from reports.tests.dataset import expected
from trainees.tests.factories import OnDutyPlacementFactory

MAY = Period(2022, 5)


@pytest.fixture
def cc_report(may_2022, city_cc):
    return services.report_prepare(region_id=city_cc.region_id, period=MAY, by=city_cc)


def submit(report, user, **extra):
    return services.report_submit(
        report_id=report.pk, reporter_name="王经办", reporter_phone="0431-85611189", by=user, **extra
    )


def values_of(report):
    report = MonthlyReport.objects.prefetch_related("lines").get(pk=report.pk)
    return [report_values(report)[n] for n in range(1, 15)]


def add_may_start(region_code="changchun"):
    post = (
        Post.objects.filter(region__code=region_code, first_approved_on=date(2022, 3, 15)).first()
        or Post.objects.filter(region__code=region_code).first()
    )
    return OnDutyPlacementFactory(post=post, signed_on=date(2022, 5, 16), planned_start=date(2022, 5, 16))


# --- drafts -----------------------------------------------------------------------------------


def test_drafts_are_generated_for_every_region_on_the_first_and_the_task_is_idempotent(may_2022):
    assert generate_monthly_drafts("2022-06-01") == 11
    assert generate_monthly_drafts("2022-06-01") == 11
    reports = MonthlyReport.objects.for_period(MAY)
    assert reports.count() == 11 and ReportLine.objects.count() == 11 * 14
    assert set(reports.values_list("status", flat=True)) == {"draft"}
    assert values_of(reports.get(region__code="changchun")) == expected("changchun")
    assert values_of(reports.get(region__code="jilin")) == expected("jilin")
    assert reports.get(region__code="changchun").due_on == date(2022, 6, 6)  # June 3 was 端午节


def test_the_task_recomputes_drafts_but_never_a_submitted_report(may_2022, city_cc, city_jl):
    generate_monthly_drafts("2022-06-01")
    submit(MonthlyReport.objects.get(region__code="jilin"), city_jl)
    add_may_start("changchun")
    add_may_start("jilin")
    generate_monthly_drafts("2022-06-01")
    assert values_of(MonthlyReport.objects.get(region__code="changchun"))[5] == 4  # 3 + 1
    assert values_of(MonthlyReport.objects.get(region__code="jilin"))[5] == 1  # frozen


def test_a_month_that_has_not_ended_cannot_be_prepared(city_cc):
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="尚未结束"):
        services.report_prepare(region_id=city_cc.region_id, period=Period.of(today), by=city_cc)


def test_only_the_citys_own_bureau_prepares_its_report(may_2022, city_jl, province_user):
    cc = Region.objects.get(code="changchun")
    for outsider in (city_jl, province_user):
        with pytest.raises(PermissionDenied):
            services.report_prepare(region_id=cc.pk, period=MAY, by=outsider)


def test_prepare_twice_gives_the_same_draft(cc_report, city_cc):
    again = services.report_prepare(region_id=city_cc.region_id, period=MAY, by=city_cc)
    assert again.pk == cc_report.pk and MonthlyReport.objects.count() == 1


def test_recompute_takes_new_records_and_keeps_the_adjustments(cc_report, city_cc):
    services.report_adjust(
        report_id=cc_report.pk, number=12, value="2", note="另有1人5月30日非正常结束，系统未登记", by=city_cc
    )
    add_may_start()
    services.report_recompute(report_id=cc_report.pk, by=city_cc)
    line6, line12 = cc_report.lines.get(number=6), cc_report.lines.get(number=12)
    assert line6.computed == 4
    assert (line12.computed, line12.reported, line12.note) == (1, 2, "另有1人5月30日非正常结束，系统未登记")


# --- adjustments and the form's rules ----------------------------------------------------------


def test_an_adjustment_needs_a_written_note(cc_report, city_cc):
    with pytest.raises(ValidationError) as exc:
        services.report_adjust(report_id=cc_report.pk, number=6, value="4", note="  ", by=city_cc)
    assert exc.value.message_dict == {"note": ["调整指标6“本期实际到岗人数”必须填写书面说明。"]}
    assert cc_report.lines.get(number=6).reported is None


def test_an_adjustment_keeps_both_values_and_can_be_removed(cc_report, city_cc):
    line = services.report_adjust(report_id=cc_report.pk, number=3, value="12", note="新增岗位1个待录入", by=city_cc)
    assert (line.computed, line.reported, line.value) == (11, 12, 12)
    line = services.report_adjust(report_id=cc_report.pk, number=3, value="", note="", by=city_cc)
    assert (line.reported, line.note, line.value) == (None, "", 11)


@pytest.mark.parametrize("number, value", [(6, "-1"), (6, "3.5"), (14, "2.505"), (6, "三")])
def test_an_adjustment_that_is_not_a_valid_value_is_refused(cc_report, city_cc, number, value):
    with pytest.raises(ValidationError) as exc:
        services.report_adjust(report_id=cc_report.pk, number=number, value=value, note="说明", by=city_cc)
    assert f"指标{number}" in exc.value.message_dict["value"][0]


def test_a_broken_adjustment_blocks_submission_with_the_indicators_and_values(cc_report, city_cc):
    services.report_adjust(report_id=cc_report.pk, number=7, value="5", note="按学籍库核对", by=city_cc)
    with pytest.raises(ValidationError) as exc:
        submit(cc_report, city_cc)
    assert exc.value.message_dict["values"] == [
        "指标6“本期实际到岗人数”（3）应不小于指标7“离校2年内未就业高校毕业生人数”（5）。"
    ]
    cc_report.refresh_from_db()
    assert cc_report.status == "draft" and cc_report.submitted_at is None


def test_a_consistent_adjustment_is_accepted(cc_report, city_cc):
    services.report_adjust(report_id=cc_report.pk, number=7, value="3", note="1人类别更正为高校毕业生", by=city_cc)
    report = submit(cc_report, city_cc)
    assert report.status == "submitted"
    assert values_of(report)[6] == 3


def test_submission_needs_the_reporter_and_a_phone(cc_report, city_cc):
    with pytest.raises(ValidationError) as exc:
        services.report_submit(report_id=cc_report.pk, reporter_name=" ", reporter_phone="12345", by=city_cc)
    assert set(exc.value.message_dict) == {"reporter_name", "reporter_phone"}


# --- submission freezes ------------------------------------------------------------------------


def test_submission_records_the_reporter_phone_and_time_and_logs_the_transition(cc_report, city_cc):
    before = timezone.now()
    report = submit(cc_report, city_cc)
    assert (report.reporter_name, report.reporter_phone, report.submitted_by) == ("王经办", "0431-85611189", city_cc)
    assert report.submitted_at >= before and report.first_submitted_at == report.submitted_at
    log = ReviewLog.objects.get(object_id=report.pk, action="submit")
    assert (log.from_status, log.to_status, log.by) == ("draft", "submitted", city_cc)


def test_a_submitted_report_does_not_change_when_the_records_change(cc_report, city_cc):
    report = submit(cc_report, city_cc)
    add_may_start()
    add_may_start()
    assert annex2_rows(2022, 5, Region.objects.filter(code="changchun"))[0].values[6] == 5
    assert values_of(report) == expected("changchun")
    with pytest.raises(InvalidTransition):
        services.report_recompute(report_id=report.pk, by=city_cc)
    with pytest.raises(InvalidTransition):
        services.report_adjust(report_id=report.pk, number=6, value="5", note="补录", by=city_cc)
    generate_monthly_drafts("2022-06-01")
    assert values_of(report) == expected("changchun")


def test_another_city_cannot_submit_and_a_city_cannot_decide(cc_report, city_cc, city_jl):
    with pytest.raises(PermissionDenied):
        submit(cc_report, city_jl)
    submit(cc_report, city_cc)
    with pytest.raises(PermissionDenied):
        services.report_accept(report_id=cc_report.pk, by=city_cc)


# --- the province decides ----------------------------------------------------------------------


def test_province_returns_with_an_opinion_then_the_city_corrects_and_resubmits(cc_report, city_cc, province_user):
    submit(cc_report, city_cc)
    with pytest.raises(ValidationError):
        services.report_return(report_id=cc_report.pk, by=province_user, opinion=" ")
    report = services.report_return(report_id=cc_report.pk, by=province_user, opinion="指标12请与台账核对")
    assert (report.status, report.opinion) == ("returned", "指标12请与台账核对")
    add_may_start()
    services.report_recompute(report_id=report.pk, by=city_cc)
    report = submit(report, city_cc)
    assert values_of(report)[5] == 4
    first = report.first_submitted_at
    report = services.report_accept(report_id=report.pk, by=province_user)
    assert report.status == "accepted" and report.first_submitted_at == first
    actions = list(ReviewLog.objects.filter(object_id=report.pk).values_list("action", "to_status", "opinion"))
    assert actions == [
        ("submit", "submitted", ""),
        ("return", "returned", "指标12请与台账核对"),
        ("submit", "submitted", ""),
        ("accept", "accepted", ""),
    ]
    with pytest.raises(InvalidTransition):
        services.report_return(report_id=report.pk, by=province_user, opinion="再看看")


def test_decisions_notify_the_city_and_submission_the_province(
    cc_report, city_cc, province_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(cc_report, city_cc)
    assert Notification.objects.filter(recipient=province_user, title="长春市2022年5月月报已上报").exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_return(report_id=cc_report.pk, by=province_user, opinion="请核对")
    assert Notification.objects.get(recipient=city_cc).body == "请核对"


def test_accepting_a_draft_is_refused(cc_report, province_user):
    with pytest.raises(InvalidTransition, match="草稿"):
        services.report_accept(report_id=cc_report.pk, by=province_user)


# --- due date, late and missing ---------------------------------------------------------------


def test_due_date_is_the_third_moved_to_the_next_working_day(db):
    assert Period(2022, 9).due_on() == date(2022, 10, 8)  # DESIGN.md: 国庆 → adjusted working Saturday
    assert Period(2022, 5).due_on() == date(2022, 6, 6)  # 端午节 June 3, then a weekend
    assert Period(2022, 10).due_on() == date(2022, 11, 3)  # a Thursday
    assert Period(2022, 12).due_on() == date(2023, 1, 3)  # 元旦 holiday ends January 2


def test_late_and_missing_reports_are_flagged(cc_report, city_cc):
    assert cc_report.timeliness(today=date(2022, 6, 6)) == "pending"
    assert cc_report.timeliness(today=date(2022, 6, 7)) == "overdue"
    submit(cc_report, city_cc)
    cc_report.refresh_from_db()
    on_due_day = timezone.make_aware(timezone.datetime(2022, 6, 6, 23, 0))
    MonthlyReport.objects.filter(pk=cc_report.pk).update(first_submitted_at=on_due_day)
    cc_report.refresh_from_db()
    assert cc_report.timeliness() == "on_time"
    MonthlyReport.objects.filter(pk=cc_report.pk).update(first_submitted_at=on_due_day + timedelta(hours=2))
    cc_report.refresh_from_db()
    assert cc_report.timeliness() == "late"


# --- reminders --------------------------------------------------------------------------------
# April 2022's reports are missing too in these tests (and overdue in June): only May's titles are
# looked at.

MAY_SOON = "请于2022年06月06日前上报2022年5月月报"
MAY_OVERDUE = "2022年5月月报已逾期（报送期限2022年06月06日），请尽快上报"


def may_notes(**filters):
    return Notification.objects.filter(title__contains="2022年5月", **filters)


def test_reminders_on_the_second_go_to_cities_that_have_not_submitted(cc_report, city_cc, city_jl):
    submit(cc_report, city_cc)
    send_report_reminders("2022-06-02")
    note = may_notes().get(recipient=city_jl)
    assert note.title == MAY_SOON
    assert note.link == "/reports/annex2/2022/5/jilin/"
    assert not may_notes(recipient=city_cc).exists()
    count = Notification.objects.count()
    assert send_report_reminders("2022-06-02") == 0  # once a day
    assert Notification.objects.count() == count


def test_no_reminder_about_may_between_the_second_and_the_due_date(may_2022, city_jl):
    send_report_reminders("2022-06-06")
    assert not may_notes().exists()


def test_after_the_due_date_reminders_go_daily_and_the_province_learns_who_is_missing(
    cc_report, city_cc, city_jl, province_user
):
    submit(cc_report, city_cc)
    send_report_reminders("2022-06-07")
    assert may_notes(recipient=city_jl).get().title == MAY_OVERDUE
    assert not may_notes(recipient=city_cc).exists()
    province = may_notes(recipient=province_user).get()
    assert province.title == "2022年5月月报逾期未报：10个地区"
    assert "吉林市" in province.body and "长春市" not in province.body
    assert send_report_reminders("2022-06-07") == 0  # not twice the same day
    Notification.objects.update(created_at=timezone.now() - timedelta(days=1))
    send_report_reminders("2022-06-08")
    assert may_notes(recipient=city_jl).count() == 2  # but again the next day


def test_a_returned_report_is_still_missing_for_the_reminders(cc_report, city_cc, province_user):
    submit(cc_report, city_cc)
    services.report_return(report_id=cc_report.pk, by=province_user, opinion="请核对")
    send_report_reminders("2022-06-07")
    assert may_notes(recipient=city_cc, title=MAY_OVERDUE).exists()
