"""The working-day calendar on real dates of 2022–2027 (State Council arrangements)."""

from datetime import date

import pytest

from jianxi_portal.core.models import CalendarOverride
from jianxi_portal.core.workdays import (
    add_working_days,
    is_working_day,
    next_working_day_on_or_after,
    package_covers,
    working_days_between,
    years_needing_arrangement,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "day, working",
    [
        (date(2022, 10, 1), False),  # National Day
        (date(2022, 10, 7), False),  # last day of the 2022 National Day week
        (date(2022, 10, 8), True),  # adjusted working Saturday
        (date(2022, 10, 9), True),  # adjusted working Sunday
        (date(2022, 10, 10), True),
        (date(2023, 1, 28), True),  # Spring Festival 2023 adjusted Saturday
        (date(2024, 2, 4), True),  # Spring Festival 2024 adjusted Sunday
        (date(2024, 2, 12), False),  # Spring Festival 2024 holiday (Monday)
        (date(2025, 5, 1), False),  # Labour Day
        (date(2025, 4, 27), True),  # adjusted working Sunday before Labour Day 2025
        (date(2026, 9, 20), True),  # adjusted working Sunday before National Day 2026
        (date(2026, 9, 27), False),  # an ordinary Sunday
        (date(2026, 10, 1), False),
        (date(2026, 10, 7), False),
        (date(2026, 10, 10), True),  # adjusted working Saturday after National Day 2026
        (date(2026, 11, 27), True),  # an ordinary Friday
    ],
)
def test_is_working_day_on_real_dates(day, working):
    assert is_working_day(day) is working


def test_deadline_skips_national_day_and_counts_adjusted_weekend_2022():
    # Submitted Thu 2022-09-29: day 1 = Fri 09-30, then 10-01..10-07 holiday, 10-08 (Sat) and 10-09 (Sun)
    # are adjusted working days = days 2 and 3, 10-10..10-14 = 4..8, 10-17..10-21 = 9..13, 10-24 = 14, 10-25 = 15.
    assert add_working_days(date(2022, 9, 29), 1) == date(2022, 9, 30)
    assert add_working_days(date(2022, 9, 29), 2) == date(2022, 10, 8)
    assert add_working_days(date(2022, 9, 29), 15) == date(2022, 10, 25)


def test_deadline_around_national_day_2026():
    # Submitted Fri 2026-09-18: Sun 09-20 is an adjusted working day (day 1), 09-21..25 = 2..6,
    # Sun 09-27 is not, 09-28..30 = 7..9, 10-01..08 holiday, Fri 10-09 = 10, Sat 10-10 adjusted = 11,
    # 10-12..15 = 12..15.
    assert add_working_days(date(2026, 9, 18), 1) == date(2026, 9, 20)
    assert add_working_days(date(2026, 9, 18), 11) == date(2026, 10, 10)
    assert add_working_days(date(2026, 9, 18), 15) == date(2026, 10, 15)


def test_submission_on_a_saturday_counts_from_the_next_working_day():
    # Sat 2026-11-21: day 1 is Mon 11-23 (the package's find_workday would give one day too many).
    assert add_working_days(date(2026, 11, 21), 1) == date(2026, 11, 23)
    assert add_working_days(date(2026, 11, 21), 15) == date(2026, 12, 11)


def test_deadline_crossing_into_2027_uses_weekends_without_error():
    assert not package_covers(2027)
    # Thu 2026-12-10 + 15 working days: 12-11 (1), 12-14..18 (2..6), 12-21..25 (7..11), 12-28..31 (12..15).
    assert add_working_days(date(2026, 12, 10), 15) == date(2026, 12, 31)
    # Wed 2026-12-16: 12-17,18 (1,2), 12-21..25 (3..7), 12-28..31 (8..11), 2027-01-01 Fri (12, weekends only),
    # 01-04..06 (13..15).
    assert add_working_days(date(2026, 12, 16), 15) == date(2027, 1, 6)


def test_override_table_corrects_a_year_the_package_does_not_cover():
    CalendarOverride.objects.create(date=date(2027, 1, 1), kind=CalendarOverride.Kind.HOLIDAY, note="元旦")
    assert not is_working_day(date(2027, 1, 1))
    assert add_working_days(date(2026, 12, 16), 15) == date(2027, 1, 7)


def test_override_table_wins_over_the_package():
    CalendarOverride.objects.create(date=date(2026, 11, 28), kind=CalendarOverride.Kind.WORKDAY, note="测试")
    assert is_working_day(date(2026, 11, 28))


def test_working_days_between_is_the_inverse_of_add_working_days():
    start = date(2022, 9, 29)
    assert working_days_between(start, add_working_days(start, 15)) == 15
    assert working_days_between(date(2022, 10, 25), date(2022, 10, 21)) == -2
    assert working_days_between(start, start) == 0


def test_next_working_day_on_or_after_moves_the_annex2_due_date():
    assert next_working_day_on_or_after(date(2022, 10, 3)) == date(2022, 10, 8)  # DESIGN.md example
    assert next_working_day_on_or_after(date(2022, 11, 3)) == date(2022, 11, 3)


def test_years_without_arrangement_are_flagged_until_entered():
    assert years_needing_arrangement([2026, 2027]) == [2027]
    CalendarOverride.objects.create(date=date(2027, 2, 6), kind=CalendarOverride.Kind.HOLIDAY)
    assert years_needing_arrangement([2026, 2027]) == []
