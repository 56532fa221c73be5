"""Pages of placements (见习协议): the filtered list with its Excel download, the employer's current
trainees, the city's offline entry, a placement's page, and one form page per event."""

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from jianxi_portal.core.allowance import FloorBook, FloorUnknown
from jianxi_portal.core.audit import audit
from jianxi_portal.core.deadlines import deadline_note
from jianxi_portal.core.permissions import may, role_required
from jianxi_portal.core.query import parse_query, query_form
from jianxi_portal.core.review import ReviewStatus, working_days_left
from trainees import selectors, services
from trainees.allowance import below_floor, flagged_months
from trainees.allowance import shortfalls as allowance_shortfalls_of
from trainees.exports import placements_xlsx
from trainees.forms import (
    AllowanceChangeForm,
    CancelForm,
    CompleteForm,
    ContinueForm,
    FilingForm,
    InsuranceForm,
    MentorAssignForm,
    OutcomeForm,
    PlacementCreateForm,
    PlacementFilterForm,
    RetainForm,
    StartForm,
    TerminateForm,
    TraineeParam,
    TrainingForm,
)
from trainees.models import Placement, Trainee
from trainees.services.events import INSURANCE_GAP_AT_START
from trainees.services.register import find_by_id_number
from trainees.views.common import data_or_none, run
from trainees.workflows import EVENTS, FILING

STAFF = ("city", "province", "admin", "employer")


@role_required(*STAFF)
def placement_list(request):
    units = selectors.units_for_filter(request.user)
    form = query_form(request, PlacementFilterForm, units=units, show_region=request.user.sees_all_regions)
    qs = selectors.placements_filtered(selectors.placements_for(request.user), form.cleaned_data)
    if form.cleaned_data["export"] == "xlsx":
        return _export(request, qs, {k: str(v) for k, v in form.cleaned_data.items() if v and k != "export"})
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "trainees/placement_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_create": request.user.is_city,
        },
    )


def _export(request, qs, filters: dict):
    today = timezone.localdate()
    who = (
        request.user.region.name
        if request.user.region_id
        else (request.user.unit.name if request.user.unit_id else "全省")
    )
    content = placements_xlsx(qs, title=f"{who}见习协议清单（{today:%Y-%m-%d} 导出）")
    audit("placement.export", user=request.user, detail={"filters": filters})
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="placements-{today:%Y%m%d}.xlsx"'
    return response


@role_required("employer", "city")
def placement_current(request):
    """The employer's current trainees (planned and on duty), who ends this month first."""
    today = timezone.localdate()
    rows = [(p, selectors.ends_in_month(p, today)) for p in selectors.current_placements(request.user, today)]
    return render(
        request,
        "trainees/placement_current.html",
        {
            "rows": rows,
            "today": today,
            "ending": sum(1 for _, ending in rows if ending),
        },
    )


def _offline_trainee(request, data):
    """The trainee of an offline agreement: chosen on their page (pk) or typed by ID number; only
    people registered in the city's own region."""
    own = Trainee.objects.editable_by(request.user)
    if data.get("trainee_pk"):
        return own.filter(pk=data["trainee_pk"]).first()
    found = find_by_id_number(data.get("id_number") or "")
    return found if found is not None and own.filter(pk=found.pk).exists() else None


@role_required("city")
def placement_create(request):
    chosen, asked = None, parse_query(request, TraineeParam)["trainee"]
    if asked:
        chosen = get_object_or_404(Trainee.objects.editable_by(request.user), pk=asked)
    form = PlacementCreateForm(data_or_none(request), user=request.user, initial={"trainee_pk": chosen and chosen.pk})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        trainee = _offline_trainee(request, data)
        if trainee is None:
            form.add_error("id_number", "本市（州）未登记该身份证号的见习人员，请先登记。")
        else:
            del data["trainee_pk"], data["id_number"]
            post = data.pop("post")
            placement = run(
                form, lambda: services.placement_create(trainee_id=trainee.pk, post_id=post.pk, by=request.user, **data)
            )
            if placement is not None:
                messages.success(request, f"已录入 {trainee.name} 的见习协议。")
                return redirect("trainees:placement_detail", placement.pk)
    return render(request, "trainees/placement_form.html", {"form": form, "chosen": chosen})


def _scoped(request, pk) -> Placement:
    return get_object_or_404(selectors.placements_for(request.user), pk=pk)


def available_actions(user, placement: Placement, today) -> list[tuple[str, str]]:
    """The event buttons to show, from the declared machines (`trainees.workflows`), each by its
    permission (`trainees.permissions`); the services decide again when the form is sent."""
    actions = []
    if may(user, "trainees.change_placement", placement):
        # 期满结业 is offered once the agreed end has come.
        events = [
            t
            for t in EVENTS.available(placement)
            if may(user, t.permission, placement) and (t.action != "complete" or today >= placement.planned_end)
        ]
        actions += [(t.action, t.label) for t in events]
        if not events and placement.may_be_continued and may(user, "trainees.continue_placement", placement):
            actions.append(("continue", ACTIONS["continue"][0]))
        if placement.status in Placement.ACTIVE:
            actions += [(a, ACTIONS[a][0]) for a in ("insurance", "mentor", "training", "allowance")]
            if FILING.allows(placement, "submit") and may(user, FILING["submit"].permission, placement):
                actions.append(("submit", FILING.label("submit")))
    if FILING.allows(placement, "approve") and may(user, FILING["approve"].permission, placement):
        actions += [(a, FILING.label(a)) for a in ("approve", "return", "reject")]
    return actions


@role_required(*STAFF, "youth")
def placement_detail(request, pk):
    placement = _scoped(request, pk)
    today = timezone.localdate()
    return render(
        request,
        "trainees/placement_detail.html",
        {
            "placement": placement,
            "events": selectors.events_by_object([placement]).get(placement.pk, []),
            "trainings": placement.trainings.all(),
            "actions": [] if request.user.is_youth else available_actions(request.user, placement, today),
            "insurance_gap": placement.insurance_gap_text(today),
            "allowance_changes": placement.allowance_changes.select_related("recorded_by"),
            "allowance_shortfalls": _shortfalls(placement),
            "days_left": working_days_left(placement.review_deadline)
            if placement.filing_status == ReviewStatus.SUBMITTED
            else None,
            "deadline_note": deadline_note(placement),
        },
    )


def _shortfalls(placement: Placement) -> list:
    """The days the allowance in force falls below the floor (DESIGN.md, Subsidy rules)."""
    if placement.status == Placement.Status.CANCELLED:
        return []
    try:
        return allowance_shortfalls_of(placement, FloorBook([placement.post.district_id]))
    except FloorUnknown:
        return []


@role_required("employer", "city", "province", "admin")
def allowance_shortfalls(request):
    """The agreements (planned or on duty) whose living allowance is below the floor on some day:
    the unit's own, the city's region, everything for the province (scoped by `visible_to`)."""
    rows = [
        (placement, found, flagged_months(found))
        for placement, found in below_floor(selectors.placements_for(request.user))
    ]
    return render(request, "trainees/allowance_shortfalls.html", {"rows": rows})


def _filing(action):
    def call(placement, data, by):
        return services.placement_filing(placement_id=placement.pk, action=action, by=by, opinion=data["opinion"])

    return call


def _event(action):
    def call(placement, data, by):
        return services.EVENT_SERVICES[action](placement_id=placement.pk, by=by, **data)

    return call


ACTIONS = {
    "start": (EVENTS.label("start"), StartForm, _event("start")),
    "complete": (EVENTS.label("complete"), CompleteForm, _event("complete")),
    "retain": (EVENTS.label("retain"), RetainForm, _event("retain")),
    "terminate": (EVENTS.label("terminate"), TerminateForm, _event("terminate")),
    "outcome": (EVENTS.label("outcome"), OutcomeForm, _event("outcome")),
    "cancel": (EVENTS.label("cancel"), CancelForm, _event("cancel")),
    "insurance": (
        "意外伤害保险",
        InsuranceForm,
        lambda p, d, by: services.placement_set_insurance(placement_id=p.pk, by=by, **d),
    ),
    "mentor": (
        "带教老师",
        MentorAssignForm,
        lambda p, d, by: services.placement_assign_mentor(placement_id=p.pk, mentor_id=d["mentor"].pk, by=by),
    ),
    "training": ("培训记录", TrainingForm, lambda p, d, by: services.training_add(placement_id=p.pk, by=by, **d)),
    "continue": (
        "批准接续见习",
        ContinueForm,
        lambda p, d, by: services.placement_continue(placement_id=p.pk, by=by, post_id=d.pop("post").pk, **d),
    ),
    "allowance": (
        "生活补贴调整",
        AllowanceChangeForm,
        lambda p, d, by: services.allowance_change_record(placement_id=p.pk, by=by, **d),
    ),
    "submit": (FILING.label("submit"), FilingForm, _filing("submit")),
    "approve": (FILING.label("approve"), FilingForm, _filing("approve")),
    "reject": (FILING.label("reject"), FilingForm, _filing("reject")),
    "return": (FILING.label("return"), FilingForm, _filing("return")),
}


def _initial(action: str, placement: Placement, today) -> dict:
    if action == "complete":
        return {"ended_on": placement.planned_end}
    if action == "insurance":
        return {
            "insurer": placement.insurer,
            "policy_no": placement.insurance_policy_no,
            "insured_from": placement.insurance_from or placement.planned_start,
            "insured_to": placement.insurance_to or placement.planned_end,
        }
    if action == "mentor":
        return {"mentor": placement.mentor_id}
    if action == "continue" and placement.ended_on:
        return {"signed_on": today, "planned_start": max(today, placement.ended_on + timedelta(days=1))}
    return {}


def _make_form(action: str, placement: Placement, data, initial, user):
    form_class = ACTIONS[action][1]
    if form_class is MentorAssignForm:
        return form_class(data, unit_id=placement.unit_id, initial=initial)
    if form_class is ContinueForm:
        return form_class(data, placement=placement, user=user, initial=initial)
    return form_class(data, initial=initial)


@role_required("employer", "city")
def placement_action(request, pk, action):
    """One page per event: the form with its date and details; the service decides."""
    if action not in ACTIONS:
        raise Http404
    placement = _scoped(request, pk)
    label, _, call = ACTIONS[action]
    initial = _initial(action, placement, timezone.localdate())
    form = _make_form(action, placement, data_or_none(request), initial, request.user)
    if request.method == "POST" and form.is_valid():
        done = run(form, lambda: call(placement, form.cleaned_data, request.user))
        if done is not None:
            messages.success(request, f"已办理：{label}。")
            if action == "start" and not done.insured_on(done.started_on):
                messages.warning(request, f"{INSURANCE_GAP_AT_START}（到岗日 {done.started_on:%Y-%m-%d}）。")
            # A continuation is a new agreement: its page is where the unit files it.
            return redirect("trainees:placement_detail", done.pk if isinstance(done, Placement) else placement.pk)
    return render(
        request,
        "trainees/placement_action.html",
        {
            "placement": placement,
            "form": form,
            "label": label,
            "action": action,
        },
    )
