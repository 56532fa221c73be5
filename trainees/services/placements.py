"""Signing a placement agreement (见习协议), the one path every channel takes: an employer accepting
an application, a city entering an offline agreement, a practice base converting an internship.

Invariants (DESIGN.md, Placement lifecycle), enforced under row locks taken in one order — the
post, then the trainee — so concurrent signings queue instead of deadlocking:
- a post never has more active (planned or on-duty) placements than its slots (lock: the Post row);
- a trainee never has two overlapping placements, and takes part once (lock: the Trainee row; the
  partial unique constraint on active placements is the database's backstop)."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jianxi_portal.core.allowance import FloorBook
from jianxi_portal.core.dates import add_months, local_today
from jianxi_portal.core.models import User
from jianxi_portal.core.permissions import ensure_perm
from jianxi_portal.core.review import InvalidTransition, log_transition
from jianxi_portal.core.wages import MinimumWageUnknown
from positions.models import Post
from trainees.allowance import shortfalls
from trainees.dates import period_end
from trainees.eligibility import ensure_eligible
from trainees.models import Application, Internship, Placement, Trainee
from trainees.permissions import region_staff
from trainees.post_rules import post_refuses_placements
from trainees.services.common import clean_text, ensure_date, fmt

MIN_MONTHS, MAX_MONTHS = 3, 12


def default_planned_end(post: Post, planned_start: date) -> date:
    """The post's duration from the planned start: 6 months from 1 March end on 31 August."""
    return period_end(planned_start, post.duration_months)


def check_period(planned_start: date, planned_end: date) -> None:
    """The agreed period runs 3 to 12 months (DESIGN.md, Posts: duration 3–12 months)."""
    shortest, longest = period_end(planned_start, MIN_MONTHS), period_end(planned_start, MAX_MONTHS)
    if planned_end < shortest or planned_end > longest:
        raise ValidationError(
            {
                "planned_end": f"见习期限应为3—12个月：计划开始日期 {fmt(planned_start)} 时，计划结束日期应在 "
                f"{fmt(shortest)} 至 {fmt(longest)} 之间，当前为 {fmt(planned_end)}。"
            }
        )


def clean_allowance(allowance, field: str = "allowance") -> Decimal:
    """A monthly amount in yuan, not negative, to the cent."""
    try:
        amount = Decimal(str(allowance).strip()).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        raise ValidationError({field: "生活补贴应为金额（元），例如 1200.00。"}) from None
    if not amount.is_finite() or amount >= Decimal("1000000"):
        raise ValidationError({field: "生活补贴应为金额（元），例如 1200.00。"})
    if amount < 0:
        raise ValidationError({field: f"生活补贴不能为负数，收到 {amount} 元。"})
    return amount


def check_allowance(post: Post, allowance, planned_start: date, planned_end: date, category: str) -> Decimal:
    """The unit pays at least the floor (DESIGN.md, Subsidy rules: 60% of the local minimum wage in
    the notice; a city may set more per category) on every day of the agreement, at the wage
    versions and floor rules known on signing (`jianxi_portal.core.allowance`)."""
    amount = clean_allowance(allowance)
    draft = Placement(
        post=post, category=category, planned_start=planned_start, planned_end=planned_end, allowance=amount
    )
    try:
        found = shortfalls(draft, FloorBook([post.district_id]), steps=[(planned_start, amount)])
    except MinimumWageUnknown as exc:
        raise ValidationError({"allowance": f"无法确定生活补贴下限：{exc}。"}) from None
    if found:
        first, floor = found[0], found[0].floor
        raise ValidationError(
            {
                "allowance": f"单位发放的生活补贴每月不得低于当地最低工资标准的{floor.percent}："
                f"{first.first.year}年{first.first.month}月起（{fmt(first.first)}）当地最低工资 {floor.wage} 元，"
                f"下限 {floor.amount} 元，当前为 {amount} 元。"
            }
        )
    return amount


def check_dates(*, signed_on: date, planned_start: date, today: date) -> None:
    ensure_date(signed_on, field="signed_on", label="协议签订日期", today=today)
    if planned_start is None:
        raise ValidationError({"planned_start": "请填写计划开始日期。"})
    if planned_start < signed_on:
        raise ValidationError(
            {"planned_start": f"计划开始日期 {fmt(planned_start)} 早于协议签订日期 {fmt(signed_on)}。"}
        )
    if planned_start > add_months(signed_on, 12):
        raise ValidationError({"planned_start": "计划开始日期不能晚于协议签订日期一年以上。"})


def check_overlap(trainee: Trainee, planned_start: date, planned_end: date) -> None:
    """No two placements of a trainee overlap in time (ended ones up to their actual end)."""
    for other in Placement.objects.filter(trainee=trainee).exclude(status=Placement.Status.CANCELLED):
        other_end = other.ended_on or other.planned_end
        other_start = other.started_on or other.planned_start
        if other_start <= planned_end and planned_start <= other_end:
            raise ValidationError(
                {
                    "trainee": f"与该人员已有的见习协议时间重叠（{fmt(other_start)} 至 {fmt(other_end)}，"
                    f"{other.get_status_display()}）。"
                }
            )


def check_slots(post: Post) -> None:
    active = Placement.objects.filter(post=post, status__in=Placement.ACTIVE).count()
    if active >= post.slots:
        raise ValidationError(
            {"post": f"岗位“{post.title}”共 {post.slots} 个名额，已有 {active} 名待到岗或在岗见习人员，名额已满。"}
        )


@transaction.atomic
def sign_placement(
    *,
    trainee_id: int,
    post_id: int,
    signed_on: date,
    planned_start: date,
    planned_end: date | None = None,
    allowance=None,
    by: User,
    application: Application | None = None,
    internship: Internship | None = None,
    continues: Placement | None = None,
    today: date | None = None,
) -> Placement:
    """Create a planned placement after every rule; the callers check who may sign. A continuation
    (`continues`) runs for the remaining days its caller checked instead of 3–12 months, keeps the
    category of the agreement it continues, and is eligible as that agreement's person was on its
    signing day (the same participation: DESIGN.md, Trainee categories and eligibility)."""
    today = today or local_today()
    post = Post.objects.select_for_update().get(pk=post_id)
    refusal = post_refuses_placements(post)
    if refusal:
        raise ValidationError({"post": refusal})
    check_dates(signed_on=signed_on, planned_start=planned_start, today=today)
    planned_end = planned_end or default_planned_end(post, planned_start)
    if continues is None:
        check_period(planned_start, planned_end)
    trainee = Trainee.objects.select_for_update().get(pk=trainee_id)
    category = continues.category if continues else trainee.category
    amount = check_allowance(
        post, post.allowance if allowance in (None, "") else allowance, planned_start, planned_end, category
    )
    check_overlap(trainee, planned_start, planned_end)
    if continues is None:
        ensure_eligible(trainee, signed_on)
    else:
        linked = continues.linked()
        ensure_eligible(trainee, linked[0].signed_on, exclude=[p.pk for p in linked])
    check_slots(post)
    placement = Placement.objects.create(
        trainee=trainee,
        post=post,
        unit_id=post.unit_id,
        region_id=post.region_id,
        category=category,
        application=application,
        internship=internship,
        continues=continues,
        signed_on=signed_on,
        planned_start=planned_start,
        planned_end=planned_end,
        allowance=amount,
        created_by=by,
    )
    log_transition(
        placement,
        action="sign",
        from_status="",
        to_status=Placement.Status.PLANNED,
        by=by,
        opinion=f"协议签订日期 {fmt(signed_on)}；计划 {fmt(planned_start)} 至 {fmt(planned_end)}；"
        f"生活补贴 {amount} 元/月" + (f"；接续 {continues.unit.name} 的见习协议" if continues else ""),
    )
    return placement


def placement_create(
    *,
    trainee_id: int,
    post_id: int,
    signed_on: date,
    planned_start: date,
    planned_end: date | None = None,
    allowance=None,
    by: User,
    today: date | None = None,
) -> Placement:
    """The offline channel: city staff enter an agreement signed on paper, for a trainee registered
    in their region, on a post of their region."""
    if not by.is_city:
        raise PermissionDenied("只有市（州）经办人员可以直接录入见习协议；单位请通过录用申请签订协议。")
    post = Post.objects.filter(pk=post_id).only("region_id").first()
    trainee = Trainee.objects.filter(pk=trainee_id).only("region_id").first()
    if post is None or not region_staff(by, post):
        raise ValidationError({"post": "请选择本市（州）已发布的见习岗位。"})
    if trainee is None or not region_staff(by, trainee):
        raise ValidationError({"trainee": "只能为本市（州）登记的见习人员录入见习协议。"})
    return sign_placement(
        trainee_id=trainee_id,
        post_id=post_id,
        signed_on=signed_on,
        planned_start=planned_start,
        planned_end=planned_end,
        allowance=allowance,
        by=by,
        today=today,
    )


def _continuation_end(first: Placement, planned_start: date, planned_end: date | None) -> date:
    """The continuation's end: at most the first agreement's remaining days from its start."""
    if planned_start is None:
        raise ValidationError({"planned_start": "请填写计划开始日期。"})
    if planned_start <= first.ended_on:
        raise ValidationError(
            {
                "planned_start": f"接续见习应在原协议结束日期 {fmt(first.ended_on)} 之后开始，"
                f"当前为 {fmt(planned_start)}。"
            }
        )
    days = first.remaining_days
    latest = planned_start + timedelta(days=days - 1)
    if planned_end is not None and planned_end > latest:
        raise ValidationError(
            {
                "planned_end": f"接续见习不能超过原协议的剩余期限：原协议 {fmt(first.planned_start)} 至 "
                f"{fmt(first.planned_end)}，已于 {fmt(first.started_on)} 至 {fmt(first.ended_on)} 见习，"
                f"剩余 {days} 天，"
                f"自 {fmt(planned_start)} 起最迟至 {fmt(latest)}；当前为 {fmt(planned_end)}。"
            }
        )
    if planned_end is not None and planned_end <= planned_start:
        raise ValidationError(
            {"planned_end": f"计划结束日期 {fmt(planned_end)} 应晚于计划开始日期 {fmt(planned_start)}。"}
        )
    return planned_end or latest


def _continuable(placement_id: int, by: User) -> Placement:
    if not by.is_city:
        raise PermissionDenied("接续见习须由市（州）经办人员审批。")
    first = Placement.objects.select_for_update().select_related("unit").get(pk=placement_id)
    ensure_perm(by, "trainees.continue_placement", first, message="只能审批本市（州）见习协议的接续见习。")
    if not first.may_be_continued:
        if Placement.objects.filter(continues_id=first.pk).exists():
            raise InvalidTransition("该见习协议已批准接续见习，不能重复接续。")
        raise InvalidTransition("只有因单位变动非正常结束的见习协议可以接续见习。")
    if first.remaining_days < 2:
        raise InvalidTransition(f"原见习协议剩余期限为 {first.remaining_days} 天，不足以接续见习。")
    return first


@transaction.atomic
def placement_continue(
    *,
    placement_id: int,
    post_id: int,
    signed_on: date,
    planned_start: date,
    planned_end: date | None = None,
    allowance=None,
    opinion: str = "",
    by: User,
    today: date | None = None,
) -> Placement:
    """接续见习 (DESIGN.md, Trainee categories): the city approves, for a placement of its region that
    ended abnormally because of the unit (单位变动), a new agreement at another unit of its region for
    the remaining days at most, linked to the first. Returns the new (planned) placement."""
    first = _continuable(placement_id, by)
    post = Post.objects.filter(pk=post_id).only("region_id", "unit_id").first()
    if post is None or not region_staff(by, post):
        raise ValidationError({"post": "请选择本市（州）已发布的见习岗位。"})
    if post.unit_id == first.unit_id:
        raise ValidationError({"post": f"接续见习应在另一见习单位：所选岗位仍属于“{first.unit.name}”。"})
    if signed_on is not None and signed_on < first.ended_on:
        raise ValidationError(
            {"signed_on": f"接续协议签订日期 {fmt(signed_on)} 早于原协议结束日期 {fmt(first.ended_on)}。"}
        )
    planned_end = _continuation_end(first, planned_start, planned_end)
    note = clean_text(opinion, field="opinion", label="审批意见", max_length=200)
    placement = sign_placement(
        trainee_id=first.trainee_id,
        post_id=post_id,
        signed_on=signed_on,
        planned_start=planned_start,
        planned_end=planned_end,
        allowance=allowance,
        by=by,
        continues=first,
        today=today,
    )
    log_transition(
        first,
        action="continue",
        from_status=first.status,
        to_status=first.status,
        by=by,
        opinion=f"批准接续见习：{placement.unit.name}，{fmt(planned_start)} 至 {fmt(planned_end)}"
        + (f"；{note}" if note else ""),
    )
    return placement
