"""The working-day calendar used for every deadline (review within 15 working days, the Annex 2 due
date; DESIGN.md, Review workflow). Working days follow the State Council arrangement from the
`chinese-calendar` package (adjusted working weekends, 调休, count as working days), overridden by
`CalendarOverride` rows an admin enters.

The package covers 2004–2026 and raises NotImplementedError beyond. For such a year, until an admin
has entered the year's arrangement and marked it complete (`CalendarYear.complete`), the statutory
holidays that the `holidays` library computes for China (元旦, 春节 from 除夕, 清明, 劳动节, 端午, 中秋,
国庆) count as *provisional* holidays and weekends as usual; a deadline whose window runs through
such a year is provisional. Once the year is complete, its entered dates and the weekends are the
whole calendar of the year. The package's `find_workday` is not used: it counts one day too many
when the start day is not a working day."""

import functools
from datetime import date, timedelta

import chinese_calendar
import holidays

from jianxi_portal.core.models import CalendarOverride, CalendarYear

# The days 全国年节及纪念日放假办法 (2024 revision) gives everyone off, by their names in `holidays`
# (zh_CN). The library also lists its own copy of some years' in-lieu days (休息日（由 … 调休）) without
# the adjusted working weekends that go with them; only the State Council notice fixes those.
STATUTORY_NAMES = frozenset({"元旦", "农历除夕", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"})


@functools.cache
def package_covers(year: int) -> bool:
    """Whether the installed `chinese-calendar` knows the State Council arrangement for `year`."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@functools.lru_cache(maxsize=64)
def statutory_holidays(year: int) -> dict[date, str]:
    """China's statutory holidays of `year` (date → name), computed from the solar and lunar
    calendars: known for any year before the State Council publishes its arrangement."""
    days = holidays.China(years=year, observed=False, language="zh_CN")
    return {
        day: "、".join(names)
        for day, name in sorted(days.items())
        if (names := [n for n in name.split("; ") if n in STATUTORY_NAMES])
    }


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
        self._complete: frozenset[int] | None = None
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

    def cover(self, start: date, end: date) -> None:
        """Load the overrides of every day from `start` to `end` now, in one query (whole years):
        a caller that knows the days it is about to ask about pays one query however many years
        they cross, instead of one per year as the window grows (near New Year: two)."""
        self._load(start, end)

    @property
    def complete_years(self) -> frozenset[int]:
        """Years whose arrangement an admin marked complete (one query, the first time)."""
        if self._complete is None:
            self._complete = frozenset(CalendarYear.objects.filter(complete=True).values_list("year", flat=True))
        return self._complete

    def is_provisional_year(self, year: int) -> bool:
        """A year the package does not cover and whose arrangement is not complete yet."""
        return not package_covers(year) and year not in self.complete_years

    def is_working_day(self, day: date) -> bool:
        self._load(day, day)
        if day in self._overrides:
            return self._overrides[day]
        return self.default_is_working_day(day)

    def default_is_working_day(self, day: date) -> bool:
        """The day without the admin's overrides: the package's arrangement where it has one; else
        the weekends, and the statutory holidays while the year is provisional."""
        if package_covers(day.year):
            return _package_is_workday(day)
        if self.is_provisional_year(day.year) and day in statutory_holidays(day.year):
            return False
        return day.weekday() < 5

    def provisional_years(self, after: date, through: date) -> list[int]:
        """The provisional years that days of (after, through] fall in: a deadline computed over
        that window is provisional when there is one."""
        if through <= after:
            return []
        first = after + timedelta(days=1)
        return [y for y in range(first.year, through.year + 1) if self.is_provisional_year(y)]

    def is_provisional(self, after: date, through: date) -> bool:
        return bool(self.provisional_years(after, through))

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


def provisional_note(calendar: Calendar, after: date, through: date) -> str:
    """Why a deadline counted over (after, through] is provisional (「暂定」), naming the years; ""
    when it is not."""
    years = calendar.provisional_years(after, through)
    if not years:
        return ""
    named = "、".join(f"{y}年" for y in years)
    return f"{named}国务院放假安排尚未录入完整，期限按法定节假日暂定计算，录入后自动重算。"


def is_working_day(day: date) -> bool:
    return Calendar().is_working_day(day)


def add_working_days(start: date, n: int) -> date:
    return Calendar().add_working_days(start, n)


def working_days_between(a: date, b: date) -> int:
    return Calendar().working_days_between(a, b)


def next_working_day_on_or_after(day: date) -> date:
    return Calendar().next_working_day_on_or_after(day)


def years_needing_arrangement(years) -> list[int]:
    """Of `years`, those the package does not cover and whose arrangement no admin has marked
    complete yet: the admin pages warn about them (a few dates entered are not an arrangement)."""
    calendar = Calendar()
    return [y for y in years if calendar.is_provisional_year(y)]
