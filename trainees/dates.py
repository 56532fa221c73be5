"""Calendar arithmetic of the programme: anniversaries (age, the 2-year window after leaving school)
and agreed periods in months. One definition, used by eligibility, placements and the pages."""

import calendar
from datetime import date, timedelta

from jianxi_portal.core.dates import add_months


def add_years(day: date, years: int) -> date:
    """The same month and day `years` later; 29 February becomes 1 March in a common year (a person
    born on 29 February 2008 turns 17 on 1 March 2025: the day after 28 February, never before)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def age_on(birth: date, day: date) -> int:
    """Completed years of age on `day` (the birthday itself counts: 16 on the 16th birthday)."""
    years = day.year - birth.year
    return years if day >= add_years(birth, years) else years - 1


def period_end(start: date, months: int) -> date:
    """The last day of a period of `months` months starting on `start`: 1 March + 6 months runs to
    31 August, 15 March to 14 September."""
    return add_months(start, months) - timedelta(days=1)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
