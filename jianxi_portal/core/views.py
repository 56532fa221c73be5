import tempfile
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from exchange.files import FileRefused, open_table
from exchange.xlsx import Column, write_rows
from jianxi_portal.core import calendar_arrangement as arrangement
from jianxi_portal.core import services
from jianxi_portal.core.forms import AllowanceFloorRuleForm, CalendarOverrideForm, QuotaForm, WageVersionForm
from jianxi_portal.core.models import (
    AllowanceFloorRule,
    AnnualQuota,
    CalendarOverride,
    CalendarYear,
    District,
    MinimumWageVersion,
    Notification,
    Region,
)
from jianxi_portal.core.navigation import home_cards, home_context
from jianxi_portal.core.permissions import admin_required, role_required
from jianxi_portal.core.workdays import package_covers, years_needing_arrangement


def home(request):
    """The public landing page, or the signed-in person's dashboard (from the navigation providers)."""
    user = request.user
    return render(request, "home.html", {"cards": home_cards(user), **home_context(user)})


def form_errors_from(exc: ValidationError, form, *, beside_form_errors: bool = True) -> None:
    """Copy a service's ValidationError onto a form, so the page shows it beside the field
    (`beside_form_errors=False`: not on a field that already shows the form's own error)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        target = field if field in form.fields else None
        if beside_form_errors or target is None or target not in form.errors:
            form.add_error(target, errors)


def run_every_check(form, call):
    """Every error of a form at once: the service's checks run even when the form found errors of
    its own (a confirmation that does not match, a missing field), so a person fixes everything in
    one round. The service gets the typed values, and the raw text of any text field the form
    refused; its work is rolled back unless the form and the service both accepted. Returns the
    service's result, or None when anything was refused. A form whose refused field is not text
    (a date, a choice of record) shows its own errors only: the service cannot read raw text there.
    A form that is not bound (no data at all) has nothing to check: None, and no service call."""
    if not form.is_bound:
        return None
    form.is_valid()
    refused = [name for name in form.errors if name in form.fields]
    if any(not isinstance(form.fields[name], forms.CharField) for name in refused):
        return None
    values = {name: form.data.get(form.add_prefix(name), "") for name in refused} | form.cleaned_data
    with transaction.atomic():
        try:
            result = call(values)
        except ValidationError as exc:
            form_errors_from(exc, form, beside_form_errors=False)
            result = None
        if form.errors:
            transaction.set_rollback(True)
            return None
    return result


@admin_required
def quota_edit(request, pk):
    quota = get_object_or_404(AnnualQuota.objects.visible_to(request.user).select_related("region"), pk=pk)
    initial = {"post_quota": quota.post_quota, "trainee_quota": quota.trainee_quota, "note": quota.note}
    form = QuotaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.quota_update(quota_id=quota.pk, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, f"已更新{quota.region.name}{quota.year}年度指标。")
            return redirect(f"/annex1/?year={quota.year}")
    history = quota.history.select_related("history_user").order_by("-history_date")[:50]
    return render(request, "core/quota_edit.html", {"form": form, "quota": quota, "history": history})


@admin_required
def programme_years(request):
    """The programme years (DESIGN.md, Programme years): each opened year's province totals, the
    current and next year still to open, and the year-bound rules the admin extends beside them."""
    today = timezone.localdate()
    opened = list(
        AnnualQuota.objects.values("year")
        .annotate(posts=Sum("post_quota"), trainees=Sum("trainee_quota"), below=Count("pk", filter=~Q(note="")))
        .order_by("-year")
    )
    years = {row["year"] for row in opened}
    context = {
        "opened": opened,
        "to_open": [y for y in (today.year, today.year + 1) if y not in years],
        "calendar_years": [(y, package_covers(y)) for y in (today.year, today.year + 1)],
        "missing_calendar": years_needing_arrangement([today.year, today.year + 1]),
    }
    return render(request, "core/programme_years.html", context)


@admin_required
def programme_year_open(request, year):
    """Open a year: every region's quotas, prefilled from the previous programme year; a quota below
    it is kept only with a note (只增不减)."""
    if not 2000 <= year <= 2100:
        raise Http404("无效的年度")
    if AnnualQuota.objects.filter(year=year).exists():
        messages.info(request, f"{year}年度已开启，可在此修改各市（州）指标。")
        return redirect(f"{reverse('annex1')}?year={year}")
    previous_year, previous = services.previous_quotas(year)
    regions = list(Region.objects.all())
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        quotas = {r.pk: _posted_quota(request.POST, r.pk) for r in regions}
        try:
            services.programme_year_open(year=year, quotas=quotas, by=request.user)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, f"已开启{year}年度，下达{len(regions)}个市（州）的指标。")
            return redirect(f"{reverse('annex1')}?year={year}")
    rows = [
        _quota_row(r, previous.get(r.pk), request.POST if request.method == "POST" else None, errors) for r in regions
    ]
    context = {
        "year": year,
        "previous_year": previous_year,
        "rows": rows,
        "errors": errors.get("year", []),
        "has_errors": bool(errors),
    }
    return render(request, "core/programme_year_open.html", context)


def _posted_quota(data, region_id: int) -> dict:
    return {
        "post_quota": data.get(f"post_{region_id}", ""),
        "trainee_quota": data.get(f"trainee_{region_id}", ""),
        "note": data.get(f"note_{region_id}", ""),
    }


def _quota_row(region, previous, posted, errors) -> dict:
    if posted is not None:
        values = _posted_quota(posted, region.pk)
    else:
        values = {
            "post_quota": getattr(previous, "post_quota", ""),
            "trainee_quota": getattr(previous, "trainee_quota", ""),
            "note": "",
        }
    numbers = {f: int(v) for f, v in values.items() if f != "note" and str(v).strip().isdigit()}
    return {
        "region": region,
        "previous": previous,
        **values,
        "errors": errors.get(f"region_{region.pk}", []),
        "below": services.quota_shortfalls(numbers, previous),
    }


@admin_required
def calendar_page(request):
    """The holiday calendar: each year's state (built in, complete, provisional), the warning
    until a year's arrangement is marked complete, one date entered or corrected at a time."""
    today = timezone.localdate()
    years = list(range(today.year, today.year + 2))
    form = CalendarOverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.calendar_override_save(by=request.user, **form.cleaned_data)
        messages.success(request, f"已保存 {form.cleaned_data['date']} 的安排。")
        return redirect("calendar")
    entered = {y.year: y for y in CalendarYear.objects.filter(year__in=years)}
    context = {
        "form": form,
        "overrides": CalendarOverride.objects.filter(date__year__gte=today.year - 1),
        "missing_years": years_needing_arrangement(years),
        "years": [_year_state(y, entered.get(y)) for y in years],
    }
    return render(request, "core/calendar.html", context)


def _year_state(year: int, entered: CalendarYear | None) -> dict:
    if package_covers(year):
        state = "系统已内置国务院安排"
    elif entered is not None and entered.complete:
        state = f"已录入完整（{timezone.localtime(entered.completed_at):%Y-%m-%d}确认）"
    else:
        state = "未录入完整：法定节假日暂定计算"
    holidays = CalendarOverride.objects.filter(date__year=year, kind=CalendarOverride.Kind.HOLIDAY).count()
    return {"year": year, "state": state, "covered": package_covers(year), "entered": entered, "holidays": holidays}


ARRANGEMENT_ROWS = 10


def _arrangement_rows(data) -> list[tuple[int, dict]]:
    count = min(int(data.get("rows", ARRANGEMENT_ROWS) or ARRANGEMENT_ROWS), arrangement.MAX_ROWS)
    return [(n, {f: data.get(f"{f}_{n}", "") for f in arrangement.FIELDS}) for n in range(1, count + 1)]


def _form_rows(rows: list[dict]) -> list[tuple[int, dict]]:
    blank = dict.fromkeys(arrangement.FIELDS, "")
    rows = rows + [blank] * max(ARRANGEMENT_ROWS - len(rows), 3)
    return list(enumerate(rows[: arrangement.MAX_ROWS], start=1))


def _uploaded_rows(upload) -> list[dict]:
    """The rows of an uploaded arrangement file, checked like every upload (exchange.files)."""
    try:
        table = open_table(upload.file, size=upload.size)
        rows = arrangement.rows_from_table(table.headers, table.rows)
    except FileRefused as exc:
        raise ValidationError({"file": exc.message}) from None
    return [{f: arrangement.cell_text(v) for f, v in values.items()} for _, values in rows]


@admin_required
def calendar_arrangement(request, year):
    """A year's arrangement in one go: rows as the State Council notice lists them (or one file
    with the same columns), a preview of the whole year, then save (and mark complete)."""
    if not 2000 <= year <= 2100 or package_covers(year):
        raise Http404("该年度的安排已内置或年度无效。")
    entered = CalendarYear.objects.filter(year=year).first()
    data, errors, preview = request.POST, [], None
    rows = _arrangement_rows(data) if request.method == "POST" else _form_rows(arrangement.initial_rows(year))
    document = data.get("document", entered.document if entered else "").strip()
    action = data.get("action", "")
    try:
        if action == "upload":
            if "file" not in request.FILES:
                raise ValidationError({"file": "请选择要上传的文件（.xlsx 或 .csv）。"})
            rows = _form_rows(_uploaded_rows(request.FILES["file"]))
            action = "preview"
        if action in ("preview", "save"):
            parsed = arrangement.parse_rows(year, rows, document=document)
            if action == "save":
                change = arrangement.arrangement_save(
                    arrangement=parsed, complete=bool(data.get("complete")), by=request.user
                )
                messages.success(request, _saved_message(parsed, change))
                return redirect("calendar")
            preview = arrangement.preview(parsed)
    except ValidationError as exc:
        errors = [m for messages_ in exc.message_dict.values() for m in messages_]
    context = {
        "year": year,
        "rows": rows,
        "document": document,
        "errors": errors,
        "preview": preview,
        "entered": entered,
        "columns": arrangement.COLUMNS,
        "changed": sum(1 for _, weeks in preview or [] for week in weeks for d in week if d and d.changed),
    }
    return render(request, "core/calendar_arrangement.html", context)


def _saved_message(parsed, change) -> str:
    text = (
        f"已保存{parsed.year}年节假日安排：放假{len(parsed.holidays())}天，调休上班{len(parsed.workdays())}天"
        f"；{len(change.days)}天的工作日状态有变化"
    )
    if change.deadlines:
        text += f"，{len(change.deadlines)}项事项的期限已重新计算并通知审核人员"
    return text + "。"


@admin_required
def calendar_arrangement_template(request, year):
    """The arrangement file's template: the columns, and the form's starting rows for the year."""
    rows = [tuple(r[f] for f in arrangement.FIELDS) for r in arrangement.initial_rows(year)]
    columns = [Column(c, width=w) for c, w in zip(arrangement.COLUMNS, (10, 14, 14, 30), strict=True)]
    notes = [
        (
            "填写方法",
            "每行一个节日：放假开始、放假结束按国务院办公厅通知填写（如 2027-02-05 或 2月5日，"
            "结束日可与开始日相同）；调休上班填写该节日的调休上班日期，多个日期用顿号或逗号分隔。",
        ),
        ("预填内容", f"{year}年已录入的安排；尚未录入时为按农历和公历计算的法定节假日，请按通知补全放假调休的范围。"),
    ]
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as out:
        write_rows(out.name, sheet_name=f"{year}年节假日安排", columns=columns, rows=rows, notes=notes)
        content = out.read()
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{year}年节假日安排.xlsx')}"
    return response


@admin_required
@require_POST
def calendar_year_complete(request, year):
    complete = request.POST.get("complete") == "1"
    try:
        change = arrangement.calendar_year_set_complete(year=year, complete=complete, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    else:
        moved = f"，{len(change.deadlines)}项事项的期限已重新计算" if change.deadlines else ""
        done = "已标记为录入完整" if complete else "已改为未录入完整（法定节假日重新暂定计算）"
        messages.success(request, f"{year}年节假日安排{done}{moved}。")
    return redirect("calendar")


@admin_required
@require_POST
def calendar_delete(request, pk):
    get_object_or_404(CalendarOverride, pk=pk)
    services.calendar_override_delete(by=request.user, override_id=pk)
    messages.success(request, "已删除该日期的调整。")
    return redirect("calendar")


@admin_required
def wage_versions(request):
    versions = MinimumWageVersion.objects.prefetch_related(
        "classes", "district_classes__wage_class", "district_classes__district__region"
    )
    districts = list(District.objects.select_related("region"))
    latest = versions.first()
    current = {}
    if latest is not None:
        current = {m.district_id: m.wage_class.number for m in latest.district_classes.all()}
    form = WageVersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        mapping = {}
        for d in districts:
            raw = request.POST.get(f"district_{d.pk}", "")
            if raw.isdigit():
                mapping[d.pk] = int(raw)
        try:
            classes = services.parse_wage_classes(form.cleaned_data["classes"])
            services.wage_version_create(
                by=request.user,
                effective_from=form.cleaned_data["effective_from"],
                document=form.cleaned_data["document"],
                classes=classes,
                mapping=mapping,
            )
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, "已新增最低工资标准版本。")
            return redirect("wage_versions")
    rows = [(d, request.POST.get(f"district_{d.pk}") or current.get(d.pk, "")) for d in districts]
    return render(request, "core/wage_versions.html", {"versions": versions, "form": form, "rows": rows})


@role_required("admin", "city")
def allowance_floors(request):
    """The living-allowance floor rules (DESIGN.md, Subsidy rules): the province's (admins) and a
    city's own higher floors per category (the admin, or that city's staff); a new version is added,
    never edited; agreements that fall below are listed for their unit and city."""
    user = request.user
    rules = AllowanceFloorRule.objects.select_related("region", "created_by").order_by(
        "region__code", "category", "-valid_from"
    )
    if not user.is_admin:
        rules = rules.filter(Q(region__isnull=True) | Q(region_id=user.region_id))
    form = AllowanceFloorRuleForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rule = services.allowance_floor_rule_add(
                by=user,
                region_id=data["region"] or None,
                category=data["category"],
                ratio=data["ratio"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                document=data["document"],
            )
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, f"已新增生活补贴下限：{rule}。")
            return redirect("allowance_floors")
    history = AllowanceFloorRule.history.select_related("history_user").order_by("-history_date")
    if not user.is_admin:
        history = history.filter(Q(region__isnull=True) | Q(region_id=user.region_id))
    return render(request, "core/allowance_floors.html", {"rules": rules, "form": form, "history": history[:50]})


@login_required
def notifications(request):
    items = Notification.objects.filter(recipient=request.user)[:100]
    return render(request, "core/notifications.html", {"items": items})


@login_required
@require_POST
def notifications_read(request):
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notifications")
