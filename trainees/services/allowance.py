"""The living allowance after signing (DESIGN.md, Subsidy rules): when a wage version or a floor rule
raises the floor, the agreements that fall below are told to their unit and their city; the unit
records an allowance change from its effective date, which clears the flag from that day."""

from collections import defaultdict
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from jianxi_portal.core.allowance import FloorBook, FloorUnknown
from jianxi_portal.core.audit import audit
from jianxi_portal.core.models import User
from jianxi_portal.core.notifications import notify
from trainees.allowance import below_floor, period, schedule, shortfalls
from trainees.models import AllowanceChange, Placement
from trainees.services.common import ensure_can_manage_placement, fmt
from trainees.services.placements import clean_allowance

MAX_LISTED = 10


def floor_rise_notify(*, since: date, region_id: int | None, **_) -> list[tuple[Placement, list]]:
    """Tell each unit and each city of the agreements (planned or on duty, reaching `since`) whose
    allowance is now below the floor from `since` on; returns them. Receiver of
    `jianxi_portal.core.allowance.floor_may_have_risen`, inside the writer's transaction."""
    placements = Placement.objects.filter(planned_end__gte=since)
    if region_id is not None:
        placements = placements.filter(region_id=region_id)
    flagged = below_floor(placements, since=since)
    by_unit, by_region = defaultdict(list), defaultdict(list)
    for placement, found in flagged:
        by_unit[placement.unit_id].append((placement, found))
        by_region[placement.region_id].append((placement, found))
    link = reverse("trainees:allowance_shortfalls")
    title = f"{fmt(since)} 起生活补贴下限提高：{{n}} 份见习协议的生活补贴低于下限"
    for unit_id, rows in by_unit.items():
        users = User.objects.filter(role=User.Role.EMPLOYER, unit_id=unit_id, is_active=True)
        notify(users, title=title.format(n=len(rows)), body=_body(rows, with_unit=False), link=link)
    for region_id_, rows in by_region.items():
        users = User.objects.filter(role=User.Role.CITY, region_id=region_id_, is_active=True)
        notify(users, title=title.format(n=len(rows)), body=_body(rows, with_unit=True), link=link)
    return flagged


def _body(rows, *, with_unit: bool) -> str:
    lines = []
    for placement, found in rows[:MAX_LISTED]:
        who = f"{placement.trainee.name}（{placement.unit.name}）" if with_unit else placement.trainee.name
        lines.append(f"{who}：{found[0].text}")
    if len(rows) > MAX_LISTED:
        lines.append(f"……共 {len(rows)} 份，请在“生活补贴低于下限”页面查看。")
    lines.append("请单位自调整之日起按不低于下限发放生活补贴，并登记生活补贴调整。")
    return "\n".join(lines)


@transaction.atomic
def allowance_change_record(*, placement_id: int, by: User, effective_from, amount, note: str = "") -> AllowanceChange:
    """Record that the unit pays `amount` a month from `effective_from` on (history kept: the change
    is added, never written over). The day must fall within the agreement, and the new amount must
    reach the floor over the days it governs."""
    placement = Placement.objects.select_for_update().select_related("post").get(pk=placement_id)
    ensure_can_manage_placement(by, placement)
    if placement.status == Placement.Status.CANCELLED:
        raise ValidationError({"effective_from": "该见习协议已取消，不能登记生活补贴调整。"})
    cleaned = clean_allowance(amount, field="amount")
    if not isinstance(effective_from, date):
        raise ValidationError({"effective_from": "请填写调整生效日期。"})
    first, last = period(placement)
    if not first <= effective_from <= last:
        raise ValidationError(
            {
                "effective_from": f"调整生效日期应在见习期间 {fmt(first)} 至 {fmt(last)} 之内，"
                f"当前为 {fmt(effective_from)}。"
            }
        )
    change = AllowanceChange(
        placement=placement,
        effective_from=effective_from,
        amount=cleaned,
        note=(note or "").strip()[:200],
        recorded_by=by,
    )
    steps = schedule(placement, [*placement.allowance_changes.all(), change])
    later = [d for d, _ in steps if d > effective_from]
    governs_to = (later[0] - timedelta(days=1)) if later else last
    try:
        found = shortfalls(
            placement, FloorBook([placement.post.district_id]), first=effective_from, last=governs_to, steps=steps
        )
    except FloorUnknown as exc:
        raise ValidationError({"effective_from": f"无法确定生活补贴下限：{exc}。"}) from None
    if found:
        raise ValidationError({"amount": f"调整后的生活补贴仍低于下限：{found[0].text}。"})
    change.save()
    audit(
        "placement.allowance_change",
        user=by,
        obj=placement,
        detail={"effective_from": effective_from.isoformat(), "amount": str(cleaned)},
    )
    return change
