"""The review pages shared by every reviewable kind: the queue (city: its region; province: every
region with the overdue count per region) and the generic decision view that dispatches by the
source's key to that app's service (`review_queue.decide`). Also small helpers the object pages use
to show the history, the deadline and the working days left, and to run a service from a form."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jianxi_portal.core import review_queue
from jianxi_portal.core.audit import audit_denied
from jianxi_portal.core.deadlines import deadline_note
from jianxi_portal.core.models import Region
from jianxi_portal.core.permissions import role_required
from jianxi_portal.core.query import QueryForm, choice_field, code_field, flag_field, parse_query
from jianxi_portal.core.review import (
    DECISION_CHOICES,
    InvalidTransition,
    ReviewStatus,
    can_decide,
    review_history,
    working_days_left,
)
from jianxi_portal.core.templatetags.review_tags import DRAFT_KEY
from jianxi_portal.core.workflow import labels_for


def _kind_choices():
    return [("", "全部"), *((key, source.label) for key, source in review_queue.SOURCES.items())]


class QueueQuery(QueryForm):
    """The queue's filters; `overdue=1` is how links said "overdue" before the due filter."""

    kind = forms.ChoiceField(label="类型", required=False, choices=_kind_choices)
    region = code_field("市（州）")
    due = choice_field("期限", [(key, label) for key, (label, _) in review_queue.DUE_FILTERS.items()])
    overdue = flag_field("已逾期")


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        label="审核结论",
        choices=DECISION_CHOICES,
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
        if isinstance(exc, PermissionDenied):
            audit_denied(request, 403)  # the answer is a message, not a 403 the middleware would see
        messages.error(request, error_text(exc))
        return False
    messages.success(request, success)
    return True


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def _labelled_history(obj) -> list:
    field = getattr(obj, "review_field", "status")
    statuses = dict(obj._meta.get_field(field).choices or ReviewStatus.choices)
    actions = labels_for(obj)  # the declared machines of its model (jianxi_portal.core.workflow)
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
    deadline = obj.review_deadline if obj.review_status == ReviewStatus.SUBMITTED else None
    return {
        "history": _labelled_history(obj),
        "status": getattr(obj, field),
        "status_label": getattr(obj, f"get_{field}_display")(),
        "deadline": deadline,
        "days_left": working_days_left(deadline),
        "deadline_note": deadline_note(obj),
        "can_decide": obj.review_status == ReviewStatus.SUBMITTED and can_decide(user, obj),
        "decision_form": DecisionForm(),
    }


QUEUE_PAGE_SIZE = 50


@role_required("city", "province", "admin")
def queue(request):
    """Submitted items awaiting a decision, soonest deadline first (then kind), 50 a page, with
    filters by kind, deadline (overdue / due within 3 working days) and, for the province, region;
    due-soon and overdue rows highlighted. The numbers per kind and the province's per-region
    summary come from one grouped query. Queries: that one, the page's keys (one UNION), one per
    kind on the page, the calendar — constant in the number of items."""
    user = request.user
    regions = list(Region.objects.all()) if user.sees_all_regions else []
    filters, params = _queue_filters(parse_query(request, QueueQuery), regions)
    pending = review_queue.PendingQueue(user, filters)
    page = Paginator(pending, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    counts = pending.counts
    in_view = {"kinds": filters.kinds, "region_id": filters.region_id}
    context = {
        "page": page,
        "items": page.object_list,
        "params": params,
        "summary": _region_summary(counts, regions, filters.kinds),
        "regions": regions,
        "region_code": params.get("region", ""),
        "sources": _kind_options(counts, filters.region_id),
        "kind": params.get("kind", ""),
        "due": filters.due,
        "due_filters": [(key, label) for key, (label, _) in review_queue.DUE_FILTERS.items()],
        "today": pending.bounds.today,
        "can_decide": user.is_city,
        "pending_total": counts.total("pending", **in_view),
        "overdue_total": counts.total("overdue", **in_view),
        "due_soon_total": counts.total("due_soon", **in_view),
    }
    return render(request, "review/queue.html", context)


def _queue_filters(query: dict, regions) -> tuple[review_queue.QueueFilter, dict]:
    """The queue's filters (`QueueQuery`, cleaned); the region filter only for those who see every
    region (`regions` non-empty; an unknown code is no filter)."""
    kind = query["kind"]
    region = next((r for r in regions if r.code == query["region"]), None)
    due = query["due"] or ("overdue" if query["overdue"] else "")
    filters = review_queue.QueueFilter(kinds=(kind,) if kind else (), region_id=region.pk if region else None, due=due)
    kept = {"kind": kind, "region": region.code if region else "", "due": due}
    return filters, {k: v for k, v in kept.items() if v}


def _kind_options(counts, region_id) -> list[dict]:
    pending = counts.by_kind("pending", region_id=region_id)
    return [{"key": s.key, "label": s.label, "pending": pending[s.key]} for s in review_queue.SOURCES.values()]


def _region_summary(counts, regions, kinds) -> list[dict]:
    pending, overdue = counts.by_region("pending", kinds=kinds), counts.by_region("overdue", kinds=kinds)
    return [{"region": r, "pending": pending.get(r.pk, 0), "overdue": overdue.get(r.pk, 0)} for r in regions]


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
    item_url = source.url(obj)
    back = safe_next(request, item_url)
    if not form.is_valid():
        _keep_draft(request, key, pk, "请选择审核结论。")
        return redirect(back)
    action, opinion = form.cleaned_data["action"], form.cleaned_data["opinion"]
    label = dict(form.fields["action"].choices)[action]
    decided = perform(
        request,
        lambda: review_queue.decide(source, obj.pk, action=action, by=request.user, opinion=opinion),
        f"已{label}：{source.label}“{source.title(obj)}”。",
    )
    if not decided:
        obj.refresh_from_db()
        if obj.review_status == ReviewStatus.SUBMITTED and can_decide(request.user, obj):
            # the form is shown again where we go back: the reason stands beside it
            _keep_draft(request, key, pk, _last_error(request))
        # otherwise (a province user, an item someone already decided) the refusal stays a message
        return redirect(back)
    if back == item_url:  # decided on the item's own page: on to the next item of the queue
        return redirect(_next_in_queue(request))
    return redirect(back)


def _keep_draft(request, key: str, pk: int, error: str) -> None:
    """The refused decision goes back into its form (review_tags.review_draft): the chosen
    conclusion and the typed opinion stay, with the reason beside them."""
    request.session[DRAFT_KEY] = {
        "key": key,
        "pk": pk,
        "action": request.POST.get("action", "")[:10],
        "opinion": request.POST.get("opinion", "")[:1000],
        "error": error,
    }


def _last_error(request) -> str:
    """The refusal `perform` queued as a message, taken back to show beside the form instead."""
    storage = messages.get_messages(request)
    queued = list(storage)
    errors = [m for m in queued if m.level == messages.ERROR]
    for message in queued:
        if message not in errors:
            messages.add_message(request, message.level, message.message, message.extra_tags)
    return "；".join(str(m.message) for m in errors)


def _next_in_queue(request) -> str:
    """The first item still waiting in the reviewer's queue (soonest deadline first), or the queue
    itself when nothing is left."""
    waiting = review_queue.PendingQueue(request.user)[0:1]
    if waiting:
        messages.info(request, f"下一项：{waiting[0].source.label}“{waiting[0].title}”。")
        return waiting[0].url
    messages.info(request, "审核队列中已没有待审核事项。")
    return reverse("review_queue")
