"""The working-day calendar used for every deadline (review within 15 working days, the Annex 2 due
date). Working days follow the State Council arrangement from the `chinese-calendar` package
(adjusted working weekends, 调休, count as working days), overridden by `CalendarOverride` rows.

The package covers 2004–2026 and raises NotImplementedError beyond: for such a date the calendar is
weekends plus the override table, never an exception. The package's `find_workday` is not used: it
counts one day too many when the start day is not a working day."""

import functools
from datetime import date, timedelta

import chinese_calendar

from jianxi_portal.core.models import CalendarOverride


def package_covers(year: int) -> bool:
    """Whether the installed `chinese-calendar` knows the State Council arrangement for `year`."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


# The package's answer for a day never changes within a process; each call costs a scan of its
# whole holiday table (its date-range check takes min() and max() of it), which a review queue page
# of long-overdue items paid a thousand times per request.
@functools.lru_cache(maxsize=8192)
def _package_is_workday(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


class Calendar:
    """Working days over a window, with the overrides of that window loaded in one query.
    Grows its window on demand, so callers that loop (a review queue) pay one query per year."""

    def __init__(self, start: date | None = None, end: date | None = None):
        self._overrides: dict[date, bool] = {}
        self._start = self._end = None
        if start and end:
            self._load(start, end)

    def _load(self, start: date, end: date) -> None:
        if self._start is not None and self._start <= start and end <= self._end:
            return
        start = min(start, self._start or start).replace(month=1, day=1)
        end = max(end, self._end or end).replace(month=12, day=31)
        rows = CalendarOverride.objects.filter(date__range=(start, end)).values_list("date", "kind")
        self._overrides = {d: kind == CalendarOverride.Kind.WORKDAY for d, kind in rows}
        self._start, self._end = start, end

    def is_working_day(self, day: date) -> bool:
        self._load(day, day)
        if day in self._overrides:
            return self._overrides[day]
        return _package_is_workday(day)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start`; `start` itself is not counted (day 1 is the first
        working day after it). n = 0 gives `start`."""
        if n < 0:
            raise ValueError("n must not be negative")
        day, counted = start, 0
        while counted < n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]: after a, up to and including b; negative when b is before a.
        So `working_days_between(d, add_working_days(d, n)) == n`."""
        if b < a:
            return -self.working_days_between(b, a)
        self._load(a, b)
        return sum(1 for k in range(1, (b - a).days + 1) if self.is_working_day(a + timedelta(days=k)))

    def next_working_day_on_or_after(self, day: date) -> date:
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day


def is_working_day(day: date) -> bool:
    return Calendar().is_working_day(day)


def add_working_days(start: date, n: int) -> date:
    return Calendar().add_working_days(start, n)


def working_days_between(a: date, b: date) -> int:
    return Calendar().working_days_between(a, b)


def next_working_day_on_or_after(day: date) -> date:
    return Calendar().next_working_day_on_or_after(day)


def years_needing_arrangement(years) -> list[int]:
    """Of `years`, those the package does not cover and for which no admin has entered a holiday
    arrangement yet (no override rows in that year): the admin calendar page warns about them."""
    entered = set(CalendarOverride.objects.filter(date__year__in=list(years)).values_list("date__year", flat=True))
    return [y for y in years if not package_covers(y) and y not in entered]
