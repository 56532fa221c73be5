from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianxi_portal.core import services
from jianxi_portal.core.forms import CalendarOverrideForm, QuotaForm, WageVersionForm
from jianxi_portal.core.models import AnnualQuota, CalendarOverride, District, MinimumWageVersion, Notification
from jianxi_portal.core.navigation import home_cards, home_context
from jianxi_portal.core.permissions import admin_required
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
    (a date, a choice of record) shows its own errors only: the service cannot read raw text there."""
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
    initial = {"post_quota": quota.post_quota, "trainee_quota": quota.trainee_quota}
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
def calendar_page(request):
    today = timezone.localdate()
    years = list(range(today.year, today.year + 2))
    form = CalendarOverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.calendar_override_save(by=request.user, **form.cleaned_data)
        messages.success(request, f"已保存 {form.cleaned_data['date']} 的安排。")
        return redirect("calendar")
    context = {
        "form": form,
        "overrides": CalendarOverride.objects.filter(date__year__gte=today.year - 1),
        "missing_years": years_needing_arrangement(years),
        "coverage": [(y, package_covers(y)) for y in years],
    }
    return render(request, "core/calendar.html", context)


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
                by=request.user, effective_from=form.cleaned_data["effective_from"],
                document=form.cleaned_data["document"], classes=classes, mapping=mapping,
            )
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, "已新增最低工资标准版本。")
            return redirect("wage_versions")
    rows = [(d, request.POST.get(f"district_{d.pk}") or current.get(d.pk, "")) for d in districts]
    return render(request, "core/wage_versions.html", {"versions": versions, "form": form, "rows": rows})


@login_required
def notifications(request):
    items = Notification.objects.filter(recipient=request.user)[:100]
    return render(request, "core/notifications.html", {"items": items})


@login_required
@require_POST
def notifications_read(request):
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notifications")
