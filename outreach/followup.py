"""Follow-up of those not retained (跟踪帮扶): every placement that ended without retention or other
employment is on its city's follow-up list; staff record each contact and what became of the
person (employed, in training, still looking) with dates. The list shows who has not been
contacted within the last 30 days (a person known to be employed needs no more contacts)."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from jianxi_portal.core.audit import audit
from jianxi_portal.core.models import User
from jianxi_portal.core.permissions import ensure_perm
from outreach.models import FollowUpContact
from trainees.models import Placement

CONTACT_DAYS = 30

# Ended, not retained (提前留用 or 期满留用), and not in other employment.
NOT_RETAINED = (
    Q(status=Placement.Status.ENDED)
    & ~Q(end=Placement.End.EARLY_RETAINED)
    & ~Q(outcome__in=(Placement.Outcome.RETAINED, Placement.Outcome.OTHER_EMPLOYMENT))
)


def contact_due_q(today: date) -> Q:
    """Not contacted within the last 30 days, and not known to be employed."""
    since = today - timedelta(days=CONTACT_DAYS)
    # The latest outcome is NULL before the first contact: NOT (NULL = 'employed') is not true in SQL.
    not_employed = Q(latest_outcome__isnull=True) | ~Q(latest_outcome=FollowUpContact.Outcome.EMPLOYED)
    return (Q(last_contacted_on__isnull=True) | Q(last_contacted_on__lte=since)) & not_employed


def follow_up_cases(user, *, today: date | None = None) -> QuerySet:
    """Placements on `user`'s follow-up list (their own scope), each with its last contact day and
    latest outcome, longest without contact first. One query per page."""
    today = today or timezone.localdate()
    latest = FollowUpContact.objects.filter(placement_id=OuterRef("pk")).order_by("-contacted_on", "-pk")
    return (
        Placement.objects.visible_to(user)
        .filter(NOT_RETAINED)
        .select_related("trainee", "unit", "post", "region")
        .annotate(
            last_contacted_on=Subquery(latest.values("contacted_on")[:1]),
            latest_outcome=Subquery(latest.values("outcome")[:1]),
            latest_outcome_on=Subquery(latest.values("outcome_on")[:1]),
        )
        .order_by("last_contacted_on", "ended_on", "pk")
    )


def due_count(user, *, today: date | None = None) -> int:
    """How many of `user`'s follow-up cases are due (`contact_due_q`), as the list filtered by
    `due=1` counts them, without looking up every case's latest contact (a city's list holds
    ~90,000 cases at national scale: those subqueries took ~300 ms). A case never contacted is
    due by definition, so: all cases (counted from trainees_pl_region_status_idx alone), less
    those with a contact, plus those with a contact that are due. Three queries; the last two
    start from the contacts."""
    today = today or timezone.localdate()
    cases = Placement.objects.visible_to(user).filter(NOT_RETAINED)
    with_contacts = Q(pk__in=FollowUpContact.objects.values("placement_id"))
    contacted = cases.filter(with_contacts).count()
    contacted_due = follow_up_cases(user, today=today).filter(with_contacts).filter(contact_due_q(today)).count()
    return cases.count() - contacted + contacted_due


def filtered(
    cases: QuerySet, *, today: date, due: bool = False, outcome: str = "", region: str = "", q: str = ""
) -> QuerySet:
    if due:
        cases = cases.filter(contact_due_q(today))
    if outcome == "none":
        cases = cases.filter(latest_outcome__isnull=True)
    elif outcome in FollowUpContact.Outcome.values:
        cases = cases.filter(latest_outcome=outcome)
    if region:
        cases = cases.filter(region__code=region)
    if q:
        cases = cases.filter(trainee__name__contains=q)
    return cases


def is_due(case, today: date) -> bool:
    """The same rule as `contact_due_q`, for a case already read (the page's row marker)."""
    if case.latest_outcome == FollowUpContact.Outcome.EMPLOYED:
        return False
    return case.last_contacted_on is None or case.last_contacted_on <= today - timedelta(days=CONTACT_DAYS)


@transaction.atomic
def contact_record(
    *,
    placement_id: int,
    by: User,
    contacted_on: date,
    method: str,
    outcome: str,
    outcome_on: date | None = None,
    note: str = "",
) -> FollowUpContact:
    """Record a contact with a person on the follow-up list: city staff of the placement's region."""
    placement = Placement.objects.select_for_update().filter(pk=placement_id).filter(NOT_RETAINED).first()
    if placement is None:
        raise ValidationError({"__all__": "该见习协议不在跟踪帮扶名单中（未结束、已留用或已其他方式就业）。"})
    ensure_perm(
        by, "outreach.add_followupcontact", placement, message="只有见习协议所在市（州）的经办人员可以登记跟踪帮扶。"
    )
    today = timezone.localdate()
    errors = {}
    if contacted_on > today:
        errors["contacted_on"] = "联系日期不能晚于今天。"
    elif placement.ended_on and contacted_on < placement.ended_on:
        errors["contacted_on"] = f"联系日期不能早于见习结束日期 {placement.ended_on:%Y-%m-%d}。"
    if method not in FollowUpContact.Method.values:
        errors["method"] = "请选择联系方式。"
    if outcome not in FollowUpContact.Outcome.values:
        errors["outcome"] = "请选择当前状况。"
    elif outcome != FollowUpContact.Outcome.LOOKING and outcome_on is None:
        errors["outcome_on"] = "已就业或参加培训的，请填写开始日期。"
    elif outcome == FollowUpContact.Outcome.LOOKING:
        outcome_on = None
    if outcome_on and placement.ended_on and outcome_on < placement.ended_on:
        errors["outcome_on"] = f"开始日期不能早于见习结束日期 {placement.ended_on:%Y-%m-%d}。"
    note = (note or "").strip()
    if len(note) > 500:
        errors["note"] = "帮扶情况不能超过500个字。"
    if errors:
        raise ValidationError(errors)
    contact = FollowUpContact.objects.create(
        placement=placement,
        contacted_on=contacted_on,
        method=method,
        outcome=outcome,
        outcome_on=outcome_on,
        note=note,
        by=by,
    )
    audit("followup.contact", user=by, obj=placement, detail={"outcome": outcome})
    return contact
