"""Date helpers every app shares: today in the portal's time zone (Asia/Shanghai, DESIGN.md) and
calendar months. The programme's anniversaries and agreed periods build on these in `trainees.dates`."""

import calendar
from datetime import date

from django.utils import timezone


def local_today() -> date:
    """Today in the portal's time zone (settings.TIME_ZONE), not the server's."""
    return timezone.localdate()


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb,
    29 Feb 2024 + 12 = 28 Feb 2025); `months` may be negative."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
