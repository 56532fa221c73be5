"""Pages of subsidies: claims (employer, city, province), the payment register with its Excel
download, the province's yearly view, and the admin's rule pages. Thin: parse, call a service or
selector, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianxi_portal.core.allowance import FloorBook
from jianxi_portal.core.audit import audit
from jianxi_portal.core.deadlines import deadline_note
from jianxi_portal.core.models import Region
from jianxi_portal.core.permissions import admin_required, may, role_required
from jianxi_portal.core.query import YearQuery, parse_query, query_form
from jianxi_portal.core.review import (
    InvalidTransition,
    ReviewStatus,
    can_decide,
    review_history,
    working_days_left,
)
from jianxi_portal.core.views import form_errors_from
from jianxi_portal.core.workflow import label_of
from subsidies import selectors, services
from subsidies.exports import disbursements_xlsx
from subsidies.forms import (
    ClaimForm,
    ClaimQuery,
    DisbursementForm,
    DisbursementQuery,
    OpinionForm,
    RuleForm,
)
from subsidies.models import RULE_MODELS, Claim, Disbursement
from subsidies.rules import rule_version
from subsidies.workflows import REVIEW
from trainees.models import TraineeCategory

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RULE_TITLES = {
    "rate": "见习补贴标准",
    "bonus": "带教补贴标准",
    "remaining": "剩余期限补贴政策",
}
STATUS_LABELS = dict(ReviewStatus.choices)
EDITABLE = (Claim.Status.DRAFT, Claim.Status.RETURNED)


def _year(request) -> int:
    return parse_query(request, YearQuery)["year"] or timezone.localdate().year


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _error_text(exc: ValidationError) -> str:
    return "；".join(m for messages_ in exc.message_dict.values() for m in messages_)


@role_required("employer", "city", "province", "admin")
def claim_list(request):
    """The employer's own claims; a city's claims of its region; everything for the province."""
    form = query_form(request, ClaimQuery)
    qs = selectors.claims_for(request.user, form.cleaned_data)
    context = {
        "page": _page(request, qs),
        "statuses": Claim.Status.choices,
        "payments": Claim.PaymentStatus.choices,
        "regions": Region.objects.all() if request.user.sees_all_regions else [],
        "filters": form.data,
    }
    return render(request, "subsidies/claim_list.html", context)


@role_required("employer")
def claim_new(request):
    """An employer claims the subsidies of its unit for one month or a range of months."""
    if request.user.unit_id is None:
        raise Http404
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.claim_create(unit_id=request.user.unit_id, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, f"已生成申领：{claim.period_label}，共 {claim.total} 元。请核对明细后提交。")
            return redirect("claim_detail", pk=claim.pk)
    return render(request, "subsidies/claim_new.html", {"form": form})


def _claim_or_404(request, pk):
    return get_object_or_404(
        Claim.objects.visible_to(request.user).select_related("unit", "region", "created_by"), pk=pk
    )


def _detail_context(request, claim, disbursement_form=None):
    user = request.user
    lines = list(selectors.claim_lines(claim).prefetch_related("placement__allowance_changes"))
    flagged = [line for line in lines if line.insurance_problem]
    book = FloorBook({line.placement.post.district_id for line in lines})
    for line in lines:
        line.allowance_flag = line.allowance_problem_in(book)
    # Who may act: subsidies.permissions; the states each action is open from.
    can_pay = may(user, "subsidies.pay_claim", claim) and claim.status == Claim.Status.APPROVED
    return {
        "claim": claim,
        "lines": lines,
        "flagged": flagged,
        "allowance_flagged": [line for line in lines if line.allowance_flag],
        "history": [
            (
                log,
                label_of(log.action, claim),
                STATUS_LABELS.get(log.from_status, log.from_status),
                STATUS_LABELS.get(log.to_status, log.to_status),
            )
            for log in review_history(claim)
        ],
        "disbursements": claim.disbursements.select_related("recorded_by"),
        "review_labels": REVIEW.labels,
        "can_edit": may(user, "subsidies.change_claim", claim) and claim.status in EDITABLE,
        "can_delete": may(user, "subsidies.delete_claim", claim)
        and claim.status == Claim.Status.DRAFT
        and claim.submitted_at is None,
        "can_decide": can_decide(user, claim) and claim.status == Claim.Status.SUBMITTED,
        "opinion_form": OpinionForm(),
        "can_pay": can_pay and claim.unpaid_amount > 0,
        "disbursement_form": disbursement_form
        or DisbursementForm(
            initial={"amount": claim.unpaid_amount if can_pay else "", "paid_on": timezone.localdate()}
        ),
        "days_left": working_days_left(claim.review_deadline) if claim.status == Claim.Status.SUBMITTED else None,
        "deadline_note": deadline_note(claim),
    }


@role_required("employer", "city", "province", "admin")
def claim_detail(request, pk):
    """A claim with its lines, each with the rule rows used and the arithmetic, the review history
    and the payments."""
    claim = _claim_or_404(request, pk)
    return render(request, "subsidies/claim_detail.html", _detail_context(request, claim))


ACTIONS = {
    "submit": (services.claim_submit, "已提交审核。"),
    "approve": (services.claim_approve, "已审核通过。"),
    "reject": (services.claim_reject, "已作出不通过决定。"),
    "return": (services.claim_return, "已退回单位修改。"),
}


@role_required("employer", "city")
@require_POST
def claim_action(request, pk, action):
    """Review actions, recomputation and deletion of a claim; the services decide who may."""
    claim = _claim_or_404(request, pk)
    try:
        if action in ACTIONS:
            service, done = ACTIONS[action]
            service(claim_id=claim.pk, by=request.user, opinion=request.POST.get("opinion", ""))
        elif action == "regenerate":
            claim = services.claim_regenerate(claim_id=claim.pk, by=request.user)
            done = f"已按最新备案信息重新计算，共 {claim.total} 元。"
        elif action == "delete":
            services.claim_delete(claim_id=claim.pk, by=request.user)
            messages.success(request, "已删除该申领草稿。")
            return redirect("claim_list")
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    except InvalidTransition as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("claim_detail", pk=claim.pk)


@role_required("city")
@require_POST
def claim_disburse(request, pk):
    """City staff record a payment against an approved claim of their region."""
    claim = _claim_or_404(request, pk)
    form = DisbursementForm(request.POST)
    if form.is_valid():
        try:
            services.disbursement_record(claim_id=claim.pk, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, f"已登记拨付 {form.cleaned_data['amount']} 元。")
            return redirect("claim_detail", pk=claim.pk)
    claim.refresh_from_db()
    return render(request, "subsidies/claim_detail.html", _detail_context(request, claim, form), status=400)


@role_required("city", "province", "admin")
def disbursement_list(request):
    """The payment register (拨付登记): a city's payments, or every region's for the province;
    filters, totals and the .xlsx download of the filtered rows."""
    form = query_form(request, DisbursementQuery)
    qs = selectors.disbursements_for(request.user, form.cleaned_data)
    if form.cleaned_data["export"] == "xlsx":
        filters = {k: str(v) for k, v in form.cleaned_data.items() if v and k != "export"}
        audit("disbursement.export", user=request.user, detail=filters)
        response = HttpResponse(disbursements_xlsx(qs), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="disbursements-{timezone.localtime():%Y%m%d%H%M}.xlsx"'
        return response
    awaiting = selectors.claims_awaiting_payment(request.user) if request.user.is_city else Claim.objects.none()
    context = {
        "page": _page(request, qs),
        "total": selectors.total_paid(qs),
        "levels": Disbursement.FundingLevel.choices,
        "filters": form.data,
        "awaiting": awaiting[:100],
        "regions": Region.objects.all() if request.user.sees_all_regions else [],
        "query": request.GET.urlencode(),
    }
    return render(request, "subsidies/disbursement_list.html", context)


@role_required("city", "province", "admin")
def subsidy_summary(request):
    """The year's subsidies by region, trainee category and funding level (the province row sums
    the regions; a city sees its own row)."""
    year = _year(request)
    rows, total = selectors.subsidy_summary(year, Region.objects.visible_to(request.user))
    context = {
        "year": year,
        "rows": rows,
        "total": total,
        "show_total": request.user.sees_all_regions,
        "categories": TraineeCategory.choices,
        "levels": Disbursement.FundingLevel.choices,
        "years": list(range(timezone.localdate().year, 2021, -1)),
    }
    return render(request, "subsidies/summary.html", context)


def _state(row, today) -> str:
    if row.valid_from > today:
        return "future"
    return "current" if row.covers(today) else "expired"


@admin_required
def rule_list(request):
    """Every version of every subsidy rule, with the change history; links to add a version."""
    today = timezone.localdate()
    sections = []
    for kind, model in RULE_MODELS.items():
        rows = list(model.objects.select_related("created_by").order_by("-valid_from"))
        history = model.history.select_related("history_user").order_by("-history_date")[:20]
        sections.append(
            {
                "kind": kind,
                "title": RULE_TITLES[kind],
                "rows": [(r, rule_version(r), _state(r, today)) for r in rows],
                "history": history,
                "model": model,
            }
        )
    return render(request, "subsidies/rule_list.html", {"sections": sections, "today": today})


@admin_required
def rule_new(request, kind):
    """Add a new effective-dated version of a rule; existing versions are never edited."""
    if kind not in RULE_MODELS:
        raise Http404
    form = RuleForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_version_add(kind=kind, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, f"已新增{RULE_TITLES[kind]}版本，自 {form.cleaned_data['valid_from']} 起执行。")
            return redirect("subsidy_rules")
    current = [rule_version(r) for r in RULE_MODELS[kind].objects.order_by("-valid_from")]
    return render(
        request, "subsidies/rule_new.html", {"form": form, "kind": kind, "title": RULE_TITLES[kind], "current": current}
    )
