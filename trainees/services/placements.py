"""Signing a placement agreement (见习协议), the one path every channel takes: an employer accepting
an application, a city entering an offline agreement, a practice base converting an internship.

Invariants (DESIGN.md, Placement lifecycle), enforced under row locks taken in one order — the
post, then the trainee — so concurrent signings queue instead of deadlocking:
- a post never has more active (planned or on-duty) placements than its slots (lock: the Post row);
- a trainee never has two overlapping placements, and takes part once (lock: the Trainee row; the
  partial unique constraint on active placements is the database's backstop)."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jianxi_portal.core.models import User
from jianxi_portal.core.review import log_transition
from jianxi_portal.core.wages import MinimumWageUnknown
from positions.models import Post
from positions.services import allowance_floor
from trainees.dates import add_months, period_end
from trainees.eligibility import ensure_eligible
from trainees.models import Application, Internship, Placement, Trainee
from trainees.post_rules import post_refuses_placements
from trainees.services.common import ensure_date, fmt, local_today

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


def check_allowance(post: Post, allowance, on: date) -> Decimal:
    """The unit pays at least the floor ratio (60% in the notice; `subsidies.rules`) of the local
    minimum wage of the post's district (DESIGN.md)."""
    try:
        amount = Decimal(str(allowance)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        raise ValidationError({"allowance": "生活补贴应为金额（元），例如 1200.00。"}) from None
    try:
        floor = allowance_floor(post.district_id, on)
    except MinimumWageUnknown as exc:
        raise ValidationError({"allowance": f"无法确定当地最低工资标准：{exc}。"}) from None
    if amount < floor.amount:
        raise ValidationError(
            {
                "allowance": f"单位发放的生活补贴不得低于当地最低工资标准的{floor.percent}：{fmt(on)} 当地最低工资 "
                f"{floor.wage} 元，下限 {floor.amount} 元，当前为 {amount} 元。"
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
    today: date | None = None,
) -> Placement:
    """Create a planned placement after every rule; the callers check who may sign."""
    today = today or local_today()
    post = Post.objects.select_for_update().get(pk=post_id)
    refusal = post_refuses_placements(post)
    if refusal:
        raise ValidationError({"post": refusal})
    check_dates(signed_on=signed_on, planned_start=planned_start, today=today)
    planned_end = planned_end or default_planned_end(post, planned_start)
    check_period(planned_start, planned_end)
    amount = check_allowance(post, post.allowance if allowance in (None, "") else allowance, planned_start)
    trainee = Trainee.objects.select_for_update().get(pk=trainee_id)
    check_overlap(trainee, planned_start, planned_end)
    ensure_eligible(trainee, signed_on)
    check_slots(post)
    placement = Placement.objects.create(
        trainee=trainee,
        post=post,
        unit_id=post.unit_id,
        region_id=post.region_id,
        category=trainee.category,
        application=application,
        internship=internship,
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
        f"生活补贴 {amount} 元/月",
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
    if post is None or post.region_id != by.region_id:
        raise ValidationError({"post": "请选择本市（州）已发布的见习岗位。"})
    if trainee is None or trainee.region_id != by.region_id:
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
