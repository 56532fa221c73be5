"""Writes with rules for the monthly Annex 2 reports and the Annex 1 baselines.

Who may do what (DESIGN.md, roles): the city bureau of a region prepares, recomputes, adjusts and
submits its region's report; the province accepts or returns submitted reports; the scheduled
tasks (`by=None`) generate drafts and send reminders. Which status may follow which is declared in
`reports.workflows.REPORT`; every transition is logged through
`jianxi_portal.core.review.log_transition`."""

import re
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jianxi_portal.core.audit import audit
from jianxi_portal.core.deadlines import DeadlineChange, days_within, record
from jianxi_portal.core.models import Notification, Region, User
from jianxi_portal.core.notifications import notify
from jianxi_portal.core.permissions import ensure_perm
from jianxi_portal.core.review import InvalidTransition, log_transition
from reports import rules
from reports.indicators import NUMBERS, Period
from reports.models import Annex1Baseline, MonthlyReport, ReportLine
from reports.selectors import annex2_rows
from reports.workflows import REPORT

Status = MonthlyReport.Status

PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")


def report_url(report: MonthlyReport) -> str:
    return reverse("annex2_report", args=[report.year, report.month, report.region.code])


# --- permissions ------------------------------------------------------------------------------


def ensure_city_of(user: User | None, report: MonthlyReport, perm: str = "reports.change_monthlyreport") -> None:
    """`perm` (reports.permissions): the city bureau of the report's region prepares, corrects and
    submits it (None: a scheduled task)."""
    if user is None:
        return
    ensure_perm(user, perm, report, message="只有本市（州）经办人员可以编制和上报本地区月报。")


def ensure_province(user: User, action: str) -> None:
    """The province accepts or returns a report (`reports.<action>_monthlyreport`, the workflow's);
    asked before the report is read: the province's role decides, whichever the report."""
    ensure_perm(user, REPORT[action].permission, None, message="只有省级用户可以接收或退回月报。")


def ensure_editable(report: MonthlyReport) -> None:
    if not report.is_editable:
        raise InvalidTransition(f"月报状态为“{report.get_status_display()}”，已冻结，不能修改。")


def ensure_period_ended(period: Period, today: date | None = None) -> None:
    if period.end >= (today or timezone.localdate()):
        raise ValidationError({"period": f"{period.label}尚未结束，月末之后才能生成月报。"})


# --- drafts -----------------------------------------------------------------------------------


def _lines(report: MonthlyReport, values: dict) -> list[ReportLine]:
    return [ReportLine(report=report, number=n, computed=Decimal(values[n])) for n in NUMBERS]


@transaction.atomic
def reports_generate(*, period: Period, by: User | None = None, today: date | None = None) -> list[MonthlyReport]:
    """Make sure every region has its report for `period`: create the missing drafts with the
    values computed now, and recompute the drafts not yet submitted (returned reports are left
    to the city, which may have adjusted them). Safe to run twice."""
    if by is not None and not by.sees_all_regions:
        raise PermissionDenied("只有省级用户或系统任务可以为全部地区生成月报。")
    ensure_period_ended(period, today)
    regions = list(Region.objects.all())
    existing = {r.region_id: r for r in MonthlyReport.objects.for_period(period).order_by().select_for_update()}
    due, now = period.due_on(), timezone.now()
    todo = [r for r in regions if r.pk not in existing or existing[r.pk].status == Status.DRAFT]
    computed = {row.region.pk: row.values for row in annex2_rows(period.year, period.month, todo)}
    created = MonthlyReport.objects.bulk_create(
        [
            MonthlyReport(region=r, year=period.year, month=period.month, due_on=due, computed_at=now)
            for r in todo
            if r.pk not in existing
        ]
    )
    ReportLine.objects.bulk_create([line for rep in created for line in _lines(rep, computed[rep.region_id])])
    for report in (existing[r.pk] for r in todo if r.pk in existing):
        _store_computed(report, computed[report.region_id], now)
    if created:
        audit("annex2.generate", user=by, detail={"period": period.label, "created": len(created)})
    return list(MonthlyReport.objects.for_period(period).select_related("region"))


@transaction.atomic
def report_prepare(*, region_id: int, period: Period, by: User, today: date | None = None) -> MonthlyReport:
    """The region's report for `period`, created as a draft with the values computed now if the
    monthly task has not made it yet. Idempotent."""
    ensure_city_of(by, MonthlyReport(region_id=region_id), "reports.add_monthlyreport")
    ensure_period_ended(period, today)
    report, created = MonthlyReport.objects.select_for_update().get_or_create(
        region_id=region_id,
        year=period.year,
        month=period.month,
        defaults={"due_on": period.due_on(), "computed_at": timezone.now()},
    )
    if created:
        values = annex2_rows(period.year, period.month, Region.objects.filter(pk=region_id))[0].values
        ReportLine.objects.bulk_create(_lines(report, values))
        audit("annex2.prepare", user=by, obj=report, detail={"period": period.label})
    return report


def _store_computed(report: MonthlyReport, values: dict, now) -> None:
    lines = list(report.lines.all())
    for line in lines:
        line.computed = Decimal(values[line.number])
    ReportLine.objects.bulk_update(lines, ["computed"])
    report.computed_at = now
    report.save(update_fields=["computed_at", "updated_at"])


@transaction.atomic
def report_recompute(*, report_id: int, by: User | None) -> MonthlyReport:
    """Recompute a draft or returned report from the records as they are now. The city's
    adjustments and their notes are kept; a submitted report is frozen and refused."""
    report = MonthlyReport.objects.select_for_update().select_related("region").get(pk=report_id)
    ensure_city_of(by, report)
    ensure_editable(report)
    values = annex2_rows(report.year, report.month, [report.region])[0].values
    _store_computed(report, values, timezone.now())
    audit("annex2.recompute", user=by, obj=report)
    return report


@transaction.atomic
def report_adjust(*, report_id: int, number: int, value, note: str, by: User) -> ReportLine:
    """Set the reported value of one indicator in place of the computed one, with the written
    note that explains it (both values are kept). An empty value removes the adjustment."""
    report = MonthlyReport.objects.select_for_update().get(pk=report_id)
    ensure_city_of(by, report)
    ensure_editable(report)
    if number not in NUMBERS:
        raise ValidationError({"number": f"没有指标{number}。"})
    line = report.lines.get(number=number)
    before = _shown(line.reported)
    if value in (None, ""):
        line.reported, line.note = None, ""
    else:
        line.reported, line.note = _clean_adjustment(number, value, note)
    line.adjusted_by, line.adjusted_at = by, timezone.now()
    line.save()
    detail = {"number": number, "before": before, "after": _shown(line.reported)}
    audit("annex2.adjust", user=by, obj=report, detail=detail)
    return line


def _shown(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _clean_adjustment(number: int, value, note: str) -> tuple[Decimal, str]:
    error = rules.value_error(number, value)
    if error:
        raise ValidationError({"value": error})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": f"调整{rules.name(number)}必须填写书面说明。"})
    return rules.as_decimal(value), note


# --- transitions ------------------------------------------------------------------------------


def _transition(report: MonthlyReport, action: str, *, by: User, opinion: str = "") -> MonthlyReport:
    target = REPORT.ensure(report, action).target
    source, now = report.status, timezone.now()
    report.status = target
    if action == "submit":
        report.submitted_at, report.submitted_by = now, by
        report.first_submitted_at = report.first_submitted_at or now
        report.decided_at = report.decided_by = None
    else:
        report.decided_at, report.decided_by, report.opinion = now, by, opinion
    report.save()
    log_transition(report, action=action, from_status=source, to_status=target, by=by, opinion=opinion, at=now)
    return report


@transaction.atomic
def report_submit(*, report_id: int, reporter_name: str, reporter_phone: str, by: User) -> MonthlyReport:
    """Submit the region's report: the form's rules must hold (the messages name the indicators
    and their values), the reporter and the phone are recorded, and the values freeze."""
    report = MonthlyReport.objects.select_for_update().select_related("region").get(pk=report_id)
    ensure_city_of(by, report, REPORT["submit"].permission)
    REPORT.ensure(report, "submit")
    errors = {}
    name, phone = (reporter_name or "").strip(), (reporter_phone or "").strip()
    if not name:
        errors["reporter_name"] = "请填写填报人。"
    if not PHONE_RE.match(phone):
        errors["reporter_phone"] = "联系电话应为11位手机号或区号加座机号（例如 0431-85611189）。"
    messages = rules.check(report.reported_values())
    if messages:
        errors["values"] = messages
    if errors:
        raise ValidationError(errors)
    report.reporter_name, report.reporter_phone = name, phone
    report = _transition(report, "submit", by=by)
    link = report_url(report)
    title = f"{report.region.name}{report.period.label}月报已上报"
    transaction.on_commit(
        lambda: notify(User.objects.filter(role=User.Role.PROVINCE, is_active=True), title=title, link=link)
    )
    return report


@transaction.atomic
def report_accept(*, report_id: int, by: User, opinion: str = "") -> MonthlyReport:
    """The province accepts a submitted report (final)."""
    ensure_province(by, "accept")
    report = MonthlyReport.objects.select_for_update().select_related("region").get(pk=report_id)
    report = _transition(report, "accept", by=by, opinion=(opinion or "").strip())
    _notify_city(report, f"{report.period.label}月报已被省级接收")
    return report


@transaction.atomic
def report_return(*, report_id: int, by: User, opinion: str) -> MonthlyReport:
    """The province returns a submitted report with its opinion; the city corrects and resubmits."""
    ensure_province(by, "return")
    opinion = (opinion or "").strip()
    if REPORT["return"].opinion_required and not opinion:
        raise ValidationError({"opinion": "退回时必须填写意见。"})
    report = MonthlyReport.objects.select_for_update().select_related("region").get(pk=report_id)
    report = _transition(report, "return", by=by, opinion=opinion)
    _notify_city(report, f"{report.period.label}月报被省级退回，请修改后重新上报", body=opinion)
    return report


def _city_staff(region_ids):
    return User.objects.filter(role=User.Role.CITY, region_id__in=region_ids, is_active=True)


def _notify_city(report: MonthlyReport, title: str, body: str = "") -> None:
    link, region_id = report_url(report), report.region_id
    transaction.on_commit(lambda: notify(_city_staff([region_id]), title=title, body=body, link=link))


# --- reminders --------------------------------------------------------------------------------


def reminders_due(today: date) -> list[tuple[list[User], str, str, str]]:
    """The reminders to send `today`: (recipients, title, body, link). On the 2nd, to the city
    bureaus that have not submitted last month's report; every day after the due date, to those
    still missing it (returned ones included) and to the province with the list of regions."""
    last = Period.reported_on(today)
    planned = []
    for period in (last, last.previous):
        due = period.due_on()
        overdue = today > due
        if not (overdue or (period == last and today.day == 2)):
            continue
        frozen = set(
            MonthlyReport.objects.for_period(period)
            .filter(status__in=MonthlyReport.FROZEN)
            .values_list("region_id", flat=True)
        )
        pending = [r for r in Region.objects.all() if r.pk not in frozen]
        if not pending:
            continue
        title = (
            f"{period.label}月报已逾期（报送期限{due:%Y年%m月%d日}），请尽快上报"
            if overdue
            else f"请于{due:%Y年%m月%d日}前上报{period.label}月报"
        )
        staff = list(_city_staff([r.pk for r in pending]))
        for region in pending:
            link = reverse("annex2_report", args=[period.year, period.month, region.code])
            planned.append(([u for u in staff if u.region_id == region.pk], title, "", link))
        if overdue:
            summary = reverse("annex2_summary") + f"?year={period.year}&month={period.month}"
            planned.append(
                (
                    list(User.objects.filter(role=User.Role.PROVINCE, is_active=True)),
                    f"{period.label}月报逾期未报：{len(pending)}个地区",
                    "、".join(r.name for r in pending),
                    summary,
                )
            )
    return planned


def reports_remind(*, today: date | None = None) -> int:
    """Send today's reminders (see `reminders_due`), each at most once a day per person, so the
    task is safe to run twice. Returns the number of notifications sent."""
    planned = reminders_due(today or timezone.localdate())
    # "Once a day" by the day the notification was really sent (the same as `today` in production).
    sent_today = Notification.objects.filter(created_at__date=timezone.localdate(), title__in=[p[1] for p in planned])
    already = set(sent_today.values_list("recipient_id", "title"))
    sent = 0
    for users, title, body, link in planned:
        fresh = [u for u in users if (u.pk, title) not in already]
        sent += len(notify(fresh, title=title, body=body, link=link))
    return sent


# --- Annex 1 baselines ------------------------------------------------------------------------


@transaction.atomic
def baseline_save(
    *, year: int, figures: dict[int, tuple[int | None, int | None]], note: str = "", by: User
) -> list[Annex1Baseline]:
    """Enter (or change, or with both figures empty remove) the Annex 1 baseline of `year` per
    region: {region id: (posts recruited, trainees organised)}. Admins only; history kept."""
    if not (by.is_authenticated and by.is_admin):
        raise PermissionDenied("只有系统管理员可以录入往年基数。")
    if not 2000 <= int(year) <= timezone.localdate().year:
        raise ValidationError({"year": "基数年度应为2000年至今年之间。"})
    saved = []
    for region_id, (posts, trainees) in figures.items():
        if posts is None and trainees is None:
            Annex1Baseline.objects.filter(region_id=region_id, year=year).delete()
            continue
        if posts is None or trainees is None or posts < 0 or trainees < 0:
            raise ValidationError({f"region_{region_id}": "已募集岗位数和已组织见习人数须同时填写非负整数。"})
        base = Annex1Baseline.objects.filter(region_id=region_id, year=year).first() or Annex1Baseline(
            region_id=region_id, year=year
        )
        base.posts_recruited, base.trainees_organised, base.note = posts, trainees, note
        base._history_user = by
        base.save()
        saved.append(base)
    audit("annex1.baseline", user=by, detail={"year": year, "regions": len(figures)})
    return saved


def report_due_dates_recompute(days: list[date], calendar, by: User) -> list[DeadlineChange]:
    """When the calendar of `days` changes (`deadlines.calendar_change`): a report not yet submitted
    keeps its month's due date — the 3rd of the next month, moved to the next working day
    (遇节假日顺延) — so one whose window (the 3rd .. its due date) holds a changed day is given the
    date under the new calendar, audited, and the city told."""
    changes = []
    reports = (
        MonthlyReport.objects.select_for_update(of=("self",))
        .select_related("region")
        .filter(first_submitted_at__isnull=True, due_on__gte=min(days))
        .order_by("pk")
    )
    for report in reports:
        period = Period(report.year, report.month)
        third = period.next.start.replace(day=3)
        inside = days_within(third - timedelta(days=1), report.due_on, days)
        new = period.due_on(calendar)
        if not inside or new == report.due_on:
            continue
        link = reverse("annex2_report", args=[period.year, period.month, report.region.code])
        title = f"{report.region.name}{period.label}"
        change = DeadlineChange("月报", title, report.region_id, report.due_on, new, link)
        MonthlyReport.objects.filter(pk=report.pk).update(due_on=new)
        record(change, report, by=by, days=inside)
        changes.append(change)
    return changes
