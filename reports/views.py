"""Report pages: Annex 1 progress, the monthly Annex 2 report of a region, the province summary,
the records behind every number, and the Excel files. Thin: parse, call a selector or a
service, render."""

from decimal import Decimal
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianxi_portal.core import personal
from jianxi_portal.core.audit import audit
from jianxi_portal.core.models import AnnualQuota, Region
from jianxi_portal.core.permissions import admin_required, may, role_required
from jianxi_portal.core.query import YearQuery, parse_query
from jianxi_portal.core.review import InvalidTransition, review_history
from reports import excel, rules, selectors, services
from reports.forms import PeriodQuery, RegionQuery
from reports.indicators import INDICATORS, NUMBERS, Period, indicator
from reports.models import TIMELINESS_LABELS, Annex1Baseline, MonthlyReport
from reports.selectors import (
    annex1_chart,
    annex1_rows,
    annex2_rows,
    indicator_records,
    indicator_value,
    normalise,
    report_values,
)
from reports.workflows import REPORT

STAFF = ("admin", "province", "city")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request) -> int:
    return parse_query(request, YearQuery)["year"] or timezone.localdate().year


def _period_from(year, month) -> Period:
    try:
        return Period(int(year), int(month))
    except (TypeError, ValueError):
        raise Http404("无效的统计月份") from None


def _period_query(request) -> Period:
    default, query = Period.reported_on(timezone.localdate()), parse_query(request, PeriodQuery)
    return Period(query["year"] or default.year, query["month"] or default.month)


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(name: str) -> str:
    return quote(name)


# ---------------------------------------------------------------------------------------------
# Annex 1


@role_required(*STAFF)
def annex1(request):
    """Annex 1: quotas and progress per region for a year, compared with the previous year
    (只增不减); a city sees only its own row."""
    year = _year(request)
    rows, total = annex1_rows(year, Region.objects.visible_to(request.user))
    years = sorted(set(AnnualQuota.objects.values_list("year", flat=True)) | {year}, reverse=True)
    context = {
        "year": year,
        "prev_year": year - 1,
        "years": years,
        "rows": rows,
        "total": total,
        "show_total": request.user.sees_all_regions,
        "chart": annex1_chart(rows),
        "below": [r for r in rows if r.below_prev],
        "quota_notes": [r for r in rows if r.quota_note],
    }
    return render(request, "reports/annex1.html", context)


@role_required(*STAFF)
def annex1_xlsx(request):
    year = _year(request)
    rows, total = annex1_rows(year, Region.objects.visible_to(request.user))
    wb = excel.annex1_workbook(year, rows, total, show_total=request.user.sees_all_regions)
    audit("annex1.export", user=request.user, detail={"year": year})
    return _xlsx(excel.to_bytes(wb), f"附件1_{year}年度目标任务完成情况.xlsx")


@admin_required
def annex1_baseline(request):
    """Admins enter a year's Annex 1 figures per region for years before the portal's records."""
    year = _year(request) if request.method == "GET" else int(request.POST.get("year", 0) or 0)
    regions = list(Region.objects.all())
    current = {b.region_id: b for b in Annex1Baseline.objects.filter(year=year)}
    errors = {}
    if request.method == "POST":
        figures, errors = _baseline_figures(request.POST, regions)
        if not errors:
            try:
                services.baseline_save(
                    year=year, figures=figures, note=request.POST.get("note", "").strip(), by=request.user
                )
            except ValidationError as exc:
                errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
            else:
                messages.success(request, f"已保存{year}年往年基数。")
                return redirect(f"{reverse('annex1')}?year={year + 1}")
    rows = [_baseline_row(r, current.get(r.pk), request.POST if errors else None, errors) for r in regions]
    note = next((b.note for b in current.values() if b.note), "")
    history = Annex1Baseline.history.select_related("region", "history_user").order_by("-history_date")[:30]
    context = {"year": year, "rows": rows, "errors": errors, "note": note, "history": history}
    return render(request, "reports/annex1_baseline.html", context)


def _baseline_row(region, base, posted, errors) -> dict:
    if posted is not None:
        posts, trainees = posted.get(f"posts_{region.pk}", ""), posted.get(f"trainees_{region.pk}", "")
    else:
        posts, trainees = getattr(base, "posts_recruited", ""), getattr(base, "trainees_organised", "")
    return {"region": region, "posts": posts, "trainees": trainees, "error": errors.get(f"region_{region.pk}", "")}


def _baseline_figures(data, regions):
    figures, errors = {}, {}
    for region in regions:
        raw = (data.get(f"posts_{region.pk}", "").strip(), data.get(f"trainees_{region.pk}", "").strip())
        if raw == ("", ""):
            figures[region.pk] = (None, None)
        elif all(v.isdigit() for v in raw):
            figures[region.pk] = (int(raw[0]), int(raw[1]))
        else:
            errors[f"region_{region.pk}"] = f"{region.name}：两项须同时填写非负整数。"
    return figures, errors


# ---------------------------------------------------------------------------------------------
# Annex 2: summary, region report, records, Excel


def _records_url(period: Period, number: int, region: Region | None) -> str:
    url = reverse("annex2_records", args=[period.year, period.month, number])
    return f"{url}?region={region.code}" if region is not None else url


def _cells(period: Period, values: dict, region: Region | None) -> list[dict]:
    return [{"number": n, "value": values[n], "url": _records_url(period, n, region)} for n in NUMBERS]


def _months(period: Period) -> dict:
    return {
        "years": list(range(timezone.localdate().year, 2021, -1)),
        "months": list(range(1, 13)),
        "prev": period.previous,
        "next": period.next,
    }


@role_required(*STAFF)
def annex2_summary(request):
    """The province summary of a month; a city goes to its own region's report."""
    period = _period_query(request)
    if not request.user.sees_all_regions:
        return redirect("annex2_report", period.year, period.month, request.user.region.code)
    rows, total = selectors.annex2_summary(period, Region.objects.visible_to(request.user))
    for row in rows:
        row.cells = _cells(period, row.values, row.region)
        row.url = reverse("annex2_report", args=[period.year, period.month, row.region.code])
    total.cells = _cells(period, total.values, None)
    context = {
        "period": period,
        "rows": rows,
        "total": total,
        "indicators": INDICATORS,
        "submitted": sum(1 for r in rows if r.submitted),
        "invalid": sum(1 for r in rows if not r.valid),
        "can_generate": period.end < timezone.localdate()
        and any(r.status in ("none", MonthlyReport.Status.DRAFT) for r in rows),
        "due_on": total.due_on,
        **_months(period),
    }
    return render(request, "reports/annex2_summary.html", context)


@role_required("admin", "province")
@require_POST
def annex2_generate(request, year, month):
    """The province (re)generates the drafts of every region for a month, as the task of the 1st
    does; submitted reports are untouched."""
    period = _period_from(year, month)
    try:
        services.reports_generate(period=period, by=request.user)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, f"已生成或更新{period.label}各地区月报草稿。")
    return redirect(f"{reverse('annex2_summary')}?year={period.year}&month={period.month}")


def _region_or_404(user, code: str) -> Region:
    return get_object_or_404(Region.objects.visible_to(user), code=code)


def _report_or_none(user, period: Period, region: Region) -> MonthlyReport | None:
    return (
        MonthlyReport.objects.visible_to(user)
        .for_period(period)
        .filter(region=region)
        .select_related("submitted_by", "decided_by")
        .prefetch_related("lines")
        .first()
    )


def _report_lines(period: Period, region: Region, report: MonthlyReport | None, live: dict) -> list[dict]:
    stored = report.lines_by_number() if report is not None else {}
    lines = []
    for ind in INDICATORS:
        line = stored.get(ind.number)
        computed = normalise(ind.number, line.computed) if line is not None else live[ind.number]
        reported = normalise(ind.number, line.reported) if line is not None and line.reported is not None else None
        lines.append(
            {
                "indicator": ind,
                "live": live[ind.number],
                "computed": computed,
                "reported": reported,
                "value": reported if reported is not None else computed,
                "note": line.note if line else "",
                "line": line,
                "url": _records_url(period, ind.number, region),
                "stale": line is not None and computed != live[ind.number],
                "posted_value": None,
                "posted_note": None,
            }
        )
    return lines


@role_required(*STAFF)
def annex2_report(request, year, month, region):
    """A region's monthly report: the 14 values (computed with links to their records, the city's
    adjustments with notes), the rule messages, the state, the history and the actions."""
    period = _period_from(year, month)
    region = _region_or_404(request.user, region)
    return _render_report(request, period, region)


def _render_report(request, period, region, *, status=200, adjust_errors=None, posted=None, submit_errors=None):
    user = request.user
    report = _report_or_none(user, period, region)
    live = annex2_rows(period.year, period.month, [region])[0].values
    lines = _report_lines(period, region, report, live)
    if posted:
        for line in lines:
            line["posted_value"], line["posted_note"] = posted.get(line["indicator"].number, ("", ""))
    values = {line["indicator"].number: line["value"] for line in lines}
    # Who may act: reports.permissions; from which states: reports.workflows.
    city_here = may(user, "reports.change_monthlyreport", report) if report is not None else False
    may_prepare = may(user, "reports.add_monthlyreport", MonthlyReport(region=region))
    ended = period.end < timezone.localdate()
    can_edit = city_here and report is not None and report.is_editable
    context = {
        "period": period,
        "region": region,
        "report": report,
        "lines": lines,
        "rule_messages": rules.check(values),
        "ended": ended,
        "can_prepare": may_prepare and report is None and ended,
        "can_edit": can_edit,
        "can_decide": report is not None
        and may(user, REPORT["accept"].permission, report)
        and report.status == MonthlyReport.Status.SUBMITTED,
        "stale": report is not None and report.is_editable and any(line["stale"] for line in lines),
        "frozen_changed": report is not None and report.is_frozen and any(line["stale"] for line in lines),
        "history": _history(report),
        "actions": REPORT.labels,
        "due_on": report.due_on if report is not None else period.due_on(),
        "timeliness_label": TIMELINESS_LABELS[report.timeliness()] if report is not None else "",
        "adjust_errors": adjust_errors or {},
        "submit_errors": submit_errors or {},
        "reporter_name": request.POST.get("reporter_name")
        or (report and report.reporter_name)
        or user.get_full_name()
        or user.username,
        "reporter_phone": request.POST.get("reporter_phone") or (_reporter_phone(user, report) if can_edit else ""),
        "xlsx_url": reverse("annex2_xlsx", args=[period.year, period.month]) + f"?region={region.code}",
        **_months(period),
    }
    return render(request, "reports/annex2_report.html", context, status=status)


def _reporter_phone(user, report: MonthlyReport) -> str:
    """The phone the submit form starts with: the report's (returned for correction), or else the
    person's own; a full value put into the page is a full view, audited by `personal.shown`."""
    if report.reporter_phone_masked:
        return personal.shown(user, report, "reporter_phone", via="page")
    return personal.shown(user, user, "phone", via="page")


def _history(report: MonthlyReport | None) -> list[dict]:
    if report is None:
        return []
    label = dict(MonthlyReport.Status.choices)
    return [
        {
            "at": log.at,
            "by": log.by,
            "action": REPORT.labels.get(log.action, log.action),
            "from": label.get(log.from_status, log.from_status),
            "to": label.get(log.to_status, log.to_status),
            "opinion": log.opinion,
        }
        for log in review_history(report)
    ]


ACTIONS = {"prepare", "recompute", "adjust", "submit", "accept", "return"}


@role_required(*STAFF)
@require_POST
def annex2_action(request, year, month, region, action):
    """The buttons of the report page; each calls one service."""
    period = _period_from(year, month)
    region = _region_or_404(request.user, region)
    if action not in ACTIONS:
        raise Http404
    report = _report_or_none(request.user, period, region)
    if report is None and action != "prepare":
        raise Http404
    back = redirect("annex2_report", period.year, period.month, region.code)
    try:
        if action == "adjust":
            return _adjust(request, period, region, report) or back
        if action == "submit":
            services.report_submit(
                report_id=report.pk,
                reporter_name=request.POST.get("reporter_name", ""),
                reporter_phone=request.POST.get("reporter_phone", ""),
                by=request.user,
            )
            messages.success(request, f"{region.name}{period.label}月报已上报。")
        else:
            _simple_action(request, action, period, region, report)
    except PermissionDenied:
        raise
    except InvalidTransition as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        if action == "submit":
            return _render_report(request, period, region, status=400, submit_errors=exc.message_dict)
        for text in exc.messages:
            messages.error(request, text)
    return back


def _simple_action(request, action, period, region, report):
    user = request.user
    if action == "prepare":
        services.report_prepare(region_id=region.pk, period=period, by=user)
        messages.success(request, f"已生成{region.name}{period.label}月报草稿。")
    elif action == "recompute":
        services.report_recompute(report_id=report.pk, by=user)
        messages.success(request, "已按最新记录重新计算。")
    elif action == "accept":
        services.report_accept(report_id=report.pk, by=user, opinion=request.POST.get("opinion", ""))
        messages.success(request, f"已接收{region.name}{period.label}月报。")
    elif action == "return":
        services.report_return(report_id=report.pk, by=user, opinion=request.POST.get("opinion", ""))
        messages.success(request, f"已退回{region.name}{period.label}月报。")


def _adjust(request, period, region, report):
    """Apply the changed lines of the adjustment form; on any refusal show the page again with
    what was typed and the message beside the line."""
    lines = report.lines_by_number()
    posted, errors = {}, {}
    for n in NUMBERS:
        value = request.POST.get(f"value_{n}", "").strip()
        note = request.POST.get(f"note_{n}", "").strip()
        posted[n] = (value, note)
        line = lines[n]
        current = ("" if line.reported is None else str(normalise(n, line.reported)), line.note)
        if (value, note if value else "") == current:
            continue
        try:
            services.report_adjust(report_id=report.pk, number=n, value=value, note=note, by=request.user)
        except ValidationError as exc:
            errors[n] = " ".join(exc.messages)
    if errors:
        return _render_report(request, period, region, status=400, adjust_errors=errors, posted=posted)
    messages.success(request, "已保存调整。")
    return None


PER_PAGE = 50


@role_required(*STAFF)
def annex2_records(request, year, month, number):
    """The records behind one number: the same filter as the aggregate, over the records the
    user may see (one region, or all of them for the 全省 row)."""
    period = _period_from(year, month)
    try:
        ind = indicator(number)
    except LookupError:
        raise Http404 from None
    code = parse_query(request, RegionQuery)["region"]
    region = _region_or_404(request.user, code) if code else None
    if region is None and not request.user.sees_all_regions:
        region = request.user.region
    base = ind.source.model.objects.visible_to(request.user)
    if region is not None:
        base = base.filter(region=region)
    records = indicator_records(ind.number, period, base).order_by("pk")
    page = Paginator(records, PER_PAGE).get_page(request.GET.get("page"))
    value = indicator_value(ind.number, period, base)
    frozen = None
    if region is not None:
        report = _report_or_none(request.user, period, region)
        if report is not None and report.is_frozen:
            frozen = report_values(report)[ind.number]
    _attach_detail_urls(ind.source.key, page.object_list)
    context = {
        "period": period,
        "indicator": ind,
        "region": region,
        "page": page,
        "value": value,
        "definition": ind.definition,
        "count": page.paginator.count,
        "frozen": frozen,
        "source": ind.source.key,
        "page_sum": sum((getattr(r, ind.measure) for r in page.object_list), Decimal(0)) if ind.measure else None,
        "report_url": (
            reverse("annex2_report", args=[period.year, period.month, region.code])
            if region
            else reverse("annex2_summary") + f"?year={period.year}&month={period.month}"
        ),
        "yuan": _yuan(ind, period, base) if ind.is_money else None,
    }
    return render(request, "reports/annex2_records.html", context)


def _yuan(ind, period, base) -> Decimal:
    return base.filter(ind.q(period)).aggregate(s=Sum(ind.measure))["s"] or Decimal("0.00")


# The management page of each kind of record, where the app that owns it provides one.
DETAIL_URLS = {
    "units": ("unit_detail", "pk"),
    "posts": ("post_detail", "pk"),
    "placements": ("placement_detail", "pk"),
    "disbursements": ("claim_detail", "claim_id"),
}


def _attach_detail_urls(source_key: str, records) -> None:
    name, attr = DETAIL_URLS[source_key]
    for record in records:
        try:
            record.detail_url = reverse(name, args=[getattr(record, attr)])
        except NoReverseMatch:
            record.detail_url = ""


@role_required(*STAFF)
def annex2_xlsx(request, year, month):
    """A city's own one-row form, or (province) the summary; `?region=` narrows to one region."""
    period = _period_from(year, month)
    code = parse_query(request, RegionQuery)["region"]
    if not request.user.sees_all_regions:
        code = request.user.region.code
    regions = [_region_or_404(request.user, code)] if code else list(Region.objects.visible_to(request.user))
    rows, total = selectors.annex2_summary(period, regions)
    data = [(r.region.name, r.values) for r in rows]
    if not code:
        data.append(("全省", total.values))
    wb = excel.annex2_workbook(period, data, _footer(request.user, rows, code))
    audit("annex2.export", user=request.user, detail={"period": period.label, "region": code or "province"})
    name = f"附件2_{period.year}年{period.month}月_{rows[0].region.name if code else '全省汇总'}.xlsx"
    return _xlsx(excel.to_bytes(wb), name)


def _footer(user, rows, code) -> excel.Footer:
    if code:
        report = rows[0].report
        when = report.submitted_at if report is not None and report.is_frozen else None
        return excel.Footer(
            unit=rows[0].region.name,
            date=f"{timezone.localtime(when):%Y年%m月%d日}" if when else "",
            reporter=report.reporter_name if when else "",
            phone=personal.shown(user, report, "reporter_phone", via="export") if when else "",
        )
    return excel.Footer(
        unit="吉林省人才交流开发中心",
        date=f"{timezone.localdate():%Y年%m月%d日}",
        reporter=user.get_full_name() or user.username,
        phone=personal.shown(user, user, "phone", via="export"),
    )
