"""Pages of units: employer registration, the unit's own page (review history, documents, posts),
the city's and province's unit list with 清单管理, and the public unit directory."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jianxi_portal.core.audit import audit
from jianxi_portal.core.models import Region
from jianxi_portal.core.permissions import may, role_required
from jianxi_portal.core.query import parse_query
from jianxi_portal.core.views import form_errors_from, run_every_check
from jianxi_portal.core.views_review import perform, review_context
from units import sections, services
from units.forms import (
    AttachmentForm,
    EmployerRegisterForm,
    PayeeForm,
    ReasonForm,
    UnitCreateForm,
    UnitForm,
    UnitManageQuery,
    UnitQuery,
)
from units.models import Industry, Unit, UnitAttachment, UnitType
from units.selectors import COLUMNS, UnitFilters, units_managed, units_public
from units.workflows import LISTING

MANAGING_ROLES = ("employer", "city", "province", "admin")
PAGE_SIZE = 20


def _scoped_unit(request, pk):
    return get_object_or_404(Unit.objects.visible_to(request.user).select_related("region", "district"), pk=pk)


# ---------------------------------------------------------------------------------------------
# Employer registration


def employer_register(request):
    """Step 1 of self-registration: the employer's account. Step 2 is the unit (`unit_create`)."""
    if request.user.is_authenticated:
        return redirect("my_unit" if request.user.is_employer else "home")
    # Bound on every POST, an empty one too: it shows each missing field's error.
    form = EmployerRegisterForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        user = run_every_check(
            form,
            lambda data: services.employer_account_create(
                username=data["username"],
                password=data["password"],
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
            ),
        )
        if user is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "账号已创建。请登记本单位信息并提交审核。")
            return redirect("unit_create")
    return render(request, "units/register.html", {"form": form})


@role_required("employer")
def my_unit(request):
    return redirect("unit_detail", pk=request.user.unit_id) if request.user.unit_id else redirect("unit_create")


@role_required("employer", "city")
def unit_create(request):
    """Step 2 of self-registration (or a city registering a unit of its region offline)."""
    user = request.user
    if user.is_employer and user.unit_id:
        messages.info(request, "您的账号已登记单位。")
        return redirect("unit_detail", pk=user.unit_id)
    initial = {"region": user.region.code} if user.is_city else {}
    form = UnitCreateForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        licence = data.pop("licence", None)
        linked_unit_id = user.unit_id
        try:
            with transaction.atomic():
                unit = services.unit_create(by=user, **data)
                if licence:
                    services.unit_attachment_add(unit_id=unit.pk, by=user, upload=licence)
        except ValidationError as exc:
            user.unit_id = linked_unit_id  # the rolled-back link must not show on this page either
            form_errors_from(exc, form)
        else:
            messages.success(request, "单位信息已保存为草稿。请核对后提交审核。")
            return redirect("unit_detail", pk=unit.pk)
    return render(request, "units/form.html", {"form": form, "creating": True})


# ---------------------------------------------------------------------------------------------
# The unit's page and its actions


@role_required(*MANAGING_ROLES)
def unit_detail(request, pk):
    """Everything about one unit for the people who work on it: fields, status, the review
    deadline and working days left, the full history, documents, the actions the user may take now,
    and the sections the registers on it add (its posts)."""
    user = request.user
    unit = _scoped_unit(request, pk)
    context = {
        "unit": unit,
        "attachments": list(unit.attachments.all()),
        # The registers on the unit add theirs (positions: its posts), see units.sections.
        "sections": sections.sections_for(sections.DETAIL, request, unit),
        # Who may act is asked in the template ({% may %}, units.permissions); the 清单管理
        # actions are those open now that the person may take.
        "management_actions": services.management_actions(unit, user),
        "reason_form": ReasonForm(),
        "attachment_form": AttachmentForm(),
        **review_context(unit, user),
    }
    return render(request, "units/detail.html", context)


@role_required("employer", "city")
def unit_edit(request, pk):
    user = request.user
    unit = _scoped_unit(request, pk)
    if not (may(user, "units.change_unit", unit) and unit.is_editable):
        messages.error(request, f"单位当前状态为“{unit.get_status_display()}”，不能修改。")
        return redirect("unit_detail", pk=unit.pk)
    form = UnitForm(request.POST or None, initial=UnitForm.initial_from(unit), unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(unit_id=unit.pk, by=user, **form.service_values())
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, "单位信息已保存。")
            return redirect("unit_detail", pk=unit.pk)
    return render(request, "units/form.html", {"form": form, "unit": unit, "creating": False})


@role_required("employer", "city")
def unit_payee(request, pk):
    """The unit's payee account (补贴收款账户): its employer or its city, at any status but revoked.
    The stored account is never shown back here; the masked copy is."""
    user = request.user
    unit = _scoped_unit(request, pk)
    if not may(user, "units.change_unit", unit) or unit.status == Unit.Status.REVOKED:
        messages.error(request, "您不能修改该单位的补贴收款账户。")
        return redirect("unit_detail", pk=unit.pk)
    form = PayeeForm(request.POST or None, initial={"bank_name": unit.bank_name})
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_payee_update(unit_id=unit.pk, by=user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, "补贴收款账户已保存。")
            return redirect("unit_detail", pk=unit.pk)
    return render(request, "units/payee.html", {"form": form, "unit": unit})


@role_required("employer", "city")
@require_POST
def unit_submit(request, pk):
    unit = _scoped_unit(request, pk)
    perform(
        request,
        lambda: services.unit_submit(unit_id=unit.pk, by=request.user),
        "已提交审核，市（州）人社部门将在15个工作日内审核。",
    )
    return redirect("unit_detail", pk=unit.pk)


@role_required("city")
@require_POST
def unit_manage(request, pk, action):
    """清单管理: suspend, resume or revoke a unit (city of its region), with a reason."""
    unit = _scoped_unit(request, pk)
    service = services.UNIT_MANAGEMENT_SERVICES[action]
    reason = request.POST.get("reason", "")
    label = LISTING.label(action)
    perform(request, lambda: service(unit_id=unit.pk, by=request.user, reason=reason), f"已{label}单位“{unit.name}”。")
    return redirect("unit_detail", pk=unit.pk)


@role_required("employer", "city")
@require_POST
def attachment_add(request, pk):
    unit = _scoped_unit(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择材料类型和文件。")
    else:
        perform(
            request,
            lambda: services.unit_attachment_add(
                unit_id=unit.pk, by=request.user, upload=form.cleaned_data["file"], kind=form.cleaned_data["kind"]
            ),
            "材料已上传。",
        )
    return redirect("unit_detail", pk=unit.pk)


@role_required("employer", "city")
@require_POST
def attachment_delete(request, pk, attachment_pk):
    unit = _scoped_unit(request, pk)
    attachment = get_object_or_404(UnitAttachment, pk=attachment_pk, unit_id=unit.pk)
    perform(
        request, lambda: services.unit_attachment_delete(attachment_id=attachment.pk, by=request.user), "材料已删除。"
    )
    return redirect("unit_detail", pk=unit.pk)


@role_required(*MANAGING_ROLES)
def attachment_download(request, pk, attachment_pk):
    """A document, to the unit itself, its city and the province only (never public)."""
    unit = _scoped_unit(request, pk)
    attachment = get_object_or_404(UnitAttachment, pk=attachment_pk, unit_id=unit.pk)
    audit("unit.attachment_view", user=request.user, obj=unit, detail={"attachment": attachment.pk})
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


# ---------------------------------------------------------------------------------------------
# Lists


@role_required("city", "province", "admin", "employer")
def unit_manage_list(request):
    """Units in the user's scope (city: its region; province: all) by status, for review and
    清单管理. An employer goes to its own unit."""
    user = request.user
    if user.is_employer:
        return redirect("my_unit")
    qs = Unit.objects.visible_to(user).select_related("region", "district").order_by("region__order", "name", "pk")
    query = parse_query(request, UnitManageQuery)
    if not user.sees_all_regions:
        query["region"] = ""
    qs = units_managed(qs, query)
    status, q, region = query["status"], query["q"], query["region"]
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": Unit.Status.choices,
        "q": q,
        "region": region,
        "regions": Region.objects.all() if user.sees_all_regions else [],
        "params": {k: v for k, v in {"status": status, "region": region, "q": q}.items() if v},
        "may_create": user.is_city,
    }
    return render(request, "units/manage_list.html", context)


def unit_directory(request):
    """The public unit directory (见习单位目录): approved units, searchable, no login needed."""
    filters = UnitFilters(**parse_query(request, UnitQuery))
    page = Paginator(units_public(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "extra_columns": sections.directory_columns(page),
        "filters": filters,
        "params": filters.as_params(),
        "regions": Region.objects.all(),
        "industries": Industry.choices,
        "unit_types": UnitType.choices,
        "columns": [(k, label) for k, (_, label) in COLUMNS.items()],
    }
    return render(request, "units/directory.html", context)


def unit_public(request, pk):
    """A unit's public page: its description and what the registers on it add (its published posts)."""
    unit = get_object_or_404(Unit.objects.listed().select_related("region", "district"), pk=pk)
    context = {"unit": unit, "sections": sections.sections_for(sections.PUBLIC, request, unit)}
    return render(request, "units/public_detail.html", context)
