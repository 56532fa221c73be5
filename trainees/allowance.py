"""The living allowance (生活补贴) of an agreement against the floor, day by day (DESIGN.md, Subsidy
rules): the unit pays from its own funds at least the floor in force each day — the local minimum
wage of the post's district × the floor rule of its region and the trainee's category
(`jianxi_portal.core.allowance`). The allowance is the agreement's own until the unit records a
change (`AllowanceChange`), each change holding from its effective date.

Used at signing (every month of the agreement, with the versions known then), by the list of
agreements that fall below after a wage version or floor rule raised the floor, and by each
month's claim line."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from jianxi_portal.core.allowance import Floor, FloorBook, FloorUnknown, months_of
from trainees.models import AllowanceChange, Placement


@dataclass(frozen=True)
class Shortfall:
    """Days `first`..`last` on which `allowance` is below `floor.amount`."""

    first: date
    last: date
    allowance: Decimal
    floor: Floor

    @property
    def text(self) -> str:
        return (
            f"{self.first:%Y-%m-%d} 至 {self.last:%Y-%m-%d} 生活补贴 {self.allowance} 元/月，"
            f"低于下限 {self.floor.amount} 元（当地月最低工资标准 {self.floor.wage} 元 × {self.floor.percent}）"
        )


def schedule(placement: Placement, changes=None) -> list[tuple[date, Decimal]]:
    """(first day, monthly allowance) from the agreement's start, then each recorded change."""
    if changes is None:
        changes = placement.allowance_changes.all() if placement.pk else []
    start = placement.started_on or placement.planned_start
    steps = {start: placement.allowance}
    for change in sorted(changes, key=lambda c: (c.effective_from, c.pk if c.pk is not None else float("inf"))):
        steps[max(change.effective_from, start)] = change.amount
    return sorted(steps.items())


def period(placement: Placement) -> tuple[date, date]:
    """The days the allowance is owed: from the start (or the planned start) to the end (or the
    agreed end)."""
    return placement.started_on or placement.planned_start, placement.ended_on or placement.planned_end


def shortfalls(
    placement: Placement, book: FloorBook, *, first: date | None = None, last: date | None = None, steps=None
) -> list[Shortfall]:
    """The stretches of `first`..`last` (default: the whole agreement) where the allowance in force
    is below the floor in force. Raises `FloorUnknown` when a day has no wage or rule."""
    start, end = period(placement)
    first, last = max(first or start, start), min(last or end, end)
    if last < first:
        return []
    steps = steps if steps is not None else schedule(placement)
    found = []
    for stretch in book.stretches(placement.post.district_id, placement.category, first, last):
        cuts = [stretch.first] + [d for d, _ in steps if stretch.first < d <= stretch.last]
        ends = [d - timedelta(days=1) for d in cuts[1:]] + [stretch.last]
        for a, b in zip(cuts, ends, strict=True):
            amount = [value for d, value in steps if d <= a][-1]
            if amount < stretch.floor.amount:
                found.append(Shortfall(a, b, amount, stretch.floor))
    return found


def month_shortfalls(placement: Placement, month: date, book: FloorBook | None = None) -> list[Shortfall]:
    """The shortfalls within calendar month `month` (the claim line's flag)."""
    month = month.replace(day=1)
    month_last = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    book = book or FloorBook([placement.post.district_id])
    try:
        return shortfalls(placement, book, first=month, last=month_last)
    except FloorUnknown:
        return []


def flagged_months(found: list[Shortfall]) -> list[date]:
    """The calendar months the shortfalls touch."""
    months = set()
    for s in found:
        months.update(months_of(s.first, s.last))
    return sorted(months)


def below_floor(placements, *, since: date | None = None) -> list[tuple[Placement, list[Shortfall]]]:
    """The agreements of `placements` (planned or on duty) whose allowance falls below the floor on
    some day from `since` (default: their start), with the shortfalls; one book for all."""
    rows = list(
        placements.filter(status__in=Placement.ACTIVE)
        .select_related("post", "unit", "trainee", "region")
        .prefetch_related("allowance_changes")
    )
    book = FloorBook({p.post.district_id for p in rows})
    result = []
    for placement in rows:
        try:
            found = shortfalls(placement, book, first=since)
        except FloorUnknown:
            continue
        if found:
            result.append((placement, found))
    return result


__all__ = [
    "AllowanceChange",
    "Shortfall",
    "below_floor",
    "flagged_months",
    "month_shortfalls",
    "period",
    "schedule",
    "shortfalls",
]
