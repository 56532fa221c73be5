"""Stored deadlines and the calendar (DESIGN.md, Review workflow): a deadline whose window runs
through a year without a complete State Council arrangement is *provisional*, and a deadline stored
on an open item is recomputed when the calendar of a day inside its window changes — audited (old →
new) and the reviewers told the new date.

A calendar change (a year's arrangement saved, one date corrected, a year marked complete) runs
inside `calendar_change(years, by=...)`: it notes which days of those years were working days
before and, after the change, recomputes in the same transaction every stored deadline whose window
contains a day that changed. The review workflow's deadlines (every kind registered in
`review_queue`) are recomputed here; an app with deadlines of its own registers a recomputer
(`register`), as the Annex 2 report does for its due date."""

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from jianxi_portal.core.audit import audit
from jianxi_portal.core.models import User
from jianxi_portal.core.notifications import notify
from jianxi_portal.core.review import REVIEW_WORKING_DAYS, ReviewStatus
from jianxi_portal.core.review_queue import SOURCES
from jianxi_portal.core.workdays import Calendar, provisional_note

MAX_LINES = 30


@dataclass(frozen=True)
class DeadlineChange:
    """One stored deadline moved by a calendar change."""

    kind: str  # what the deadline belongs to, e.g. 见习单位 / 月报
    title: str
    region_id: int
    old: date
    new: date
    link: str

    def line(self) -> str:
        return f"· {self.kind}“{self.title}”：{self.old:%Y-%m-%d} → {self.new:%Y-%m-%d}"


# recomputer(changed days, the calendar after the change, by) -> the deadlines it moved
Recomputer = Callable[[list[date], Calendar, User], list[DeadlineChange]]
RECOMPUTERS: list[Recomputer] = []


def register(recomputer: Recomputer) -> Recomputer:
    if recomputer not in RECOMPUTERS:
        RECOMPUTERS.append(recomputer)
    return recomputer


@dataclass
class CalendarChange:
    """What a calendar change did: the days whose working status changed and the deadlines moved."""

    days: list[date] = field(default_factory=list)
    deadlines: list[DeadlineChange] = field(default_factory=list)


def _days_of(years) -> list[date]:
    days = []
    for year in sorted(set(years)):
        day = date(year, 1, 1)
        while day.year == year:
            days.append(day)
            day += timedelta(days=1)
    return days


@contextmanager
def calendar_change(years, *, by: User) -> Iterator[CalendarChange]:
    """Around a change of the calendar of `years` (the caller's transaction): afterwards, the days
    that changed and every stored deadline recomputed, audited and told to the reviewers."""
    days = _days_of(years)
    before = Calendar()
    was = {day: before.is_working_day(day) for day in days}
    change = CalendarChange()
    yield change
    after = Calendar()
    change.days = [day for day in days if after.is_working_day(day) != was[day]]
    if change.days:
        for recompute in [review_deadlines_recompute, *RECOMPUTERS]:
            change.deadlines += recompute(change.days, after, by)
        _tell_reviewers(change.deadlines)


def days_within(after: date, through: date, days: list[date]) -> list[date]:
    """The days of `days` in (after, through]: the window a deadline was counted over."""
    return [day for day in days if after < day <= through]


def review_deadlines_recompute(days: list[date], calendar: Calendar, by: User) -> list[DeadlineChange]:
    """Every item awaiting review whose window (submission day, deadline] contains a changed day
    gets the 15th working day after its submission day under the new calendar."""
    changes = []
    for source in SOURCES.values():
        field_name = getattr(source.model, "review_field", "status")
        rows = (
            source.model.objects.select_for_update(of=("self",))
            .filter(**{field_name: ReviewStatus.SUBMITTED}, review_deadline__gte=min(days), submitted_at__isnull=False)
            .select_related(*source.select_related)
            .order_by("pk")
        )
        for obj in rows:
            submitted_on = timezone.localdate(obj.submitted_at)
            inside = days_within(submitted_on, obj.review_deadline, days)
            if not inside:
                continue
            new = calendar.add_working_days(submitted_on, REVIEW_WORKING_DAYS)
            if new == obj.review_deadline:
                continue
            change = DeadlineChange(
                source.label, source.title(obj), source.region(obj).pk, obj.review_deadline, new, source.url(obj)
            )
            source.model.objects.filter(pk=obj.pk).update(review_deadline=new)
            record(change, obj, by=by, days=inside)
            changes.append(change)
    return changes


def record(change: DeadlineChange, obj, *, by: User, days: list[date]) -> None:
    """The audit row of one moved deadline: old → new and the changed days inside its window."""
    audit(
        "deadline.recompute",
        user=by,
        obj=obj,
        detail={"from": change.old.isoformat(), "to": change.new.isoformat(), "days": [d.isoformat() for d in days]},
    )


def _tell_reviewers(changes: list[DeadlineChange]) -> None:
    """One message per city reviewer of each region with moved deadlines, listing them."""
    by_region = defaultdict(list)
    for change in changes:
        by_region[change.region_id].append(change)
    if not by_region:
        return
    staff = defaultdict(list)
    for user in User.objects.filter(role=User.Role.CITY, is_active=True, region_id__in=list(by_region)):
        staff[user.region_id].append(user)
    for region_id, moved in by_region.items():
        lines = [c.line() for c in moved[:MAX_LINES]]
        if len(moved) > MAX_LINES:
            lines.append(f"……等共{len(moved)}项")
        notify(
            staff[region_id],
            title=f"节假日安排调整：{len(moved)}项事项的期限已重新计算",
            body="\n".join(lines),
            link=moved[0].link if len(moved) == 1 else reverse("review_queue"),
        )


def deadline_is_provisional(obj, calendar: Calendar | None = None) -> bool:
    """Whether `obj` awaits review under a deadline counted over a provisional year (statutory
    holidays assumed, the State Council arrangement not entered completely)."""
    return bool(deadline_note(obj, calendar))


def deadline_note(obj, calendar: Calendar | None = None) -> str:
    """「暂定」's explanation for `obj`'s review deadline, or "" when it is not provisional (or the
    item no longer awaits review)."""
    status = getattr(obj, getattr(obj, "review_field", "status"))
    if obj.review_deadline is None or obj.submitted_at is None or status != ReviewStatus.SUBMITTED:
        return ""
    return provisional_note(calendar or Calendar(), timezone.localdate(obj.submitted_at), obj.review_deadline)
