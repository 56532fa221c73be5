"""The review pages shared by every reviewable kind: the queue (city: its region; province: every
region with the overdue count per region) and the generic decision view that dispatches by the
source's key to that app's service (`review_queue.decide`). Also small helpers the object pages use
to show the history, the deadline and the working days left, and to run a service from a form."""

from collections import Counter

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jianxi_portal import review_queue
from jianxi_portal.models import Region
from jianxi_portal.permissions import role_required
from jianxi_portal.review import (
    ACTION_LABELS,
    InvalidTransition,
    ReviewStatus,
    can_decide,
    local_today,
    review_history,
    working_days_left,
)
from jianxi_portal.workdays import Calendar


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        label="审核结论",
        choices=[("approve", "通过"), ("reject", "不通过"), ("return", "退回修改")],
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(
        label="审核意见",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="不通过或退回时必填",
    )


def error_text(exc: Exception) -> str:
    """One readable line from a service's refusal (field messages joined)."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return "；".join(m for msgs in exc.message_dict.values() for m in msgs)
        return "；".join(exc.messages)
    return str(exc) or "操作未完成。"


def perform(request, call, success: str) -> bool:
    """Run a service from a button; a refusal (rule, state, permission) becomes an error message
    on the next page instead of an error page. Returns whether it succeeded."""
    try:
        call()
    except (ValidationError, InvalidTransition, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
        return False
    messages.success(request, success)
    return True


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


# Labels of the models' own transitions (清单管理 of units, closing posts) beside the review ones.
EXTRA_ACTION_LABELS = {"suspend": "暂停", "resume": "恢复", "revoke": "撤销", "close": "关闭"}


def _labelled_history(obj) -> list:
    field = getattr(obj, "review_field", "status")
    statuses = dict(obj._meta.get_field(field).choices or ReviewStatus.choices)
    actions = {**EXTRA_ACTION_LABELS, **ACTION_LABELS}
    logs = list(review_history(obj))
    for log in logs:
        log.action_label = actions.get(log.action, log.action)
        log.from_label = statuses.get(log.from_status, log.from_status)
        log.to_label = statuses.get(log.to_status, log.to_status)
    return logs


def review_context(obj, user) -> dict:
    """History (who, when, from, to, opinion), the deadline and working days left of `obj`, and
    whether `user` may decide it now (the page then shows the decision form)."""
    field = getattr(obj, "review_field", "status")
    deadline = obj.review_deadline if obj.review_status == "submitted" else None
    return {
        "history": _labelled_history(obj),
        "status": getattr(obj, field),
        "status_label": getattr(obj, f"get_{field}_display")(),
        "deadline": deadline,
        "days_left": working_days_left(deadline),
        "can_decide": obj.review_status == "submitted" and can_decide(user, obj),
        "decision_form": DecisionForm(),
    }


@role_required("city", "province", "admin")
def queue(request):
    """Submitted items awaiting a decision, soonest deadline first; due within 3 working days and
    overdue rows highlighted. The province sees every region and the overdue count per region.
    Queries: one per registered kind, plus the calendar (constant in the number of items)."""
    user = request.user
    kind = request.GET.get("kind", "")
    kinds = [kind] if kind in review_queue.SOURCES else None
    calendar = Calendar()
    items = review_queue.pending_items(user, kinds=kinds, calendar=calendar)
    regions = list(Region.objects.all()) if user.sees_all_regions else []
    summary = _region_summary(items, regions) if user.sees_all_regions else []
    region_code = request.GET.get("region", "")
    if region_code and user.sees_all_regions:
        items = [i for i in items if i.region.code == region_code]
    only_overdue = request.GET.get("overdue") == "1"
    if only_overdue:
        items = [i for i in items if i.overdue]
    context = {
        "items": items,
        "summary": summary,
        "regions": regions,
        "region_code": region_code,
        "sources": review_queue.SOURCES.values(),
        "kind": kind if kinds else "",
        "today": local_today(),
        "decision_form": DecisionForm(),
        "can_decide": user.is_city,
        "overdue_total": sum(1 for i in items if i.overdue),
        "due_soon_total": sum(1 for i in items if i.due_soon),
    }
    return render(request, "review/queue.html", context)


def _region_summary(items, regions) -> list[dict]:
    pending, overdue = Counter(), Counter()
    for item in items:
        pending[item.region.pk] += 1
        overdue[item.region.pk] += item.overdue
    return [{"region": r, "pending": pending[r.pk], "overdue": overdue[r.pk]} for r in regions]


@role_required("city", "province", "admin")
@require_POST
def decide(request, key: str, pk: int):
    """Approve, reject or return one item of any registered kind. The item must be in the user's
    scope (another region's is a 404); the app's service checks the rest (city of the region only,
    opinion for reject and return, the item still submitted)."""
    source = review_queue.get_source(key)
    if source is None:
        raise Http404
    obj = get_object_or_404(source.model.objects.visible_to(request.user), pk=pk)
    form = DecisionForm(request.POST)
    fallback = source.url(obj)
    if not form.is_valid():
        messages.error(request, "请选择审核结论。")
        return redirect(safe_next(request, fallback))
    action, opinion = form.cleaned_data["action"], form.cleaned_data["opinion"]
    label = dict(form.fields["action"].choices)[action]
    perform(
        request,
        lambda: review_queue.decide(source, obj.pk, action=action, by=request.user, opinion=opinion),
        f"已{label}：{source.label}“{source.title(obj)}”。",
    )
    return redirect(safe_next(request, fallback))
