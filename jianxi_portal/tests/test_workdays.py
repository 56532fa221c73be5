"""The working-day calendar on real dates of 2022–2027 (State Council arrangements), and the years
beyond the `chinese-calendar` package: statutory holidays counted provisionally until an admin marks
the year's arrangement complete (DESIGN.md, Review workflow)."""

from datetime import date

import pytest

from jianxi_portal.core.models import CalendarOverride, CalendarYear
from jianxi_portal.core.workdays import (
    Calendar,
    add_working_days,
    is_working_day,
    next_working_day_on_or_after,
    package_covers,
    statutory_holidays,
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


def test_deadline_crossing_into_2027_counts_new_year_provisionally():
    assert not package_covers(2027)
    # Thu 2026-12-10 + 15 working days: 12-11 (1), 12-14..18 (2..6), 12-21..25 (7..11), 12-28..31 (12..15).
    assert add_working_days(date(2026, 12, 10), 15) == date(2026, 12, 31)
    assert not Calendar().is_provisional(date(2026, 12, 10), date(2026, 12, 31))
    # Wed 2026-12-16: 12-17,18 (1,2), 12-21..25 (3..7), 12-28..31 (8..11), 2027-01-01 Fri is 元旦 (a
    # provisional holiday), 01-04..07 (12..15).
    assert add_working_days(date(2026, 12, 16), 15) == date(2027, 1, 7)
    assert Calendar().provisional_years(date(2026, 12, 16), date(2027, 1, 7)) == [2027]


def test_submission_on_2026_12_21_is_due_on_2027_01_12_provisionally():
    # Mon 2026-12-21: 12-22..25 (1..4), 12-28..31 (5..8), Fri 2027-01-01 元旦 (provisional holiday),
    # 01-04..08 (9..13), 01-11 (14), 01-12 (15).
    assert add_working_days(date(2026, 12, 21), 15) == date(2027, 1, 12)
    assert Calendar().is_provisional(date(2026, 12, 21), date(2027, 1, 12))


def test_spring_festival_2027_days_are_provisional_holidays():
    # 除夕 2027-02-05 (Fri) and 春节 02-06..08 from the lunar calendar; the weekend as usual.
    assert statutory_holidays(2027)[date(2027, 2, 5)] == "农历除夕"
    assert [is_working_day(date(2027, 2, d)) for d in range(4, 11)] == [True, False, False, False, False, True, True]
    # Thu 2027-02-04: 02-05 and 02-08 are holidays, 02-09..12 (1..4), 02-15 (5).
    assert add_working_days(date(2027, 2, 4), 5) == date(2027, 2, 15)


def test_the_statutory_days_of_a_later_year_are_the_thirteen_of_the_law():
    # 全国年节及纪念日放假办法 (2024): 元旦 1, 春节 4 (除夕 to 初三), 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3.
    assert sorted(statutory_holidays(2030)) == [
        date(2030, 1, 1),
        date(2030, 2, 2),
        date(2030, 2, 3),
        date(2030, 2, 4),
        date(2030, 2, 5),
        date(2030, 4, 5),
        date(2030, 5, 1),
        date(2030, 5, 2),
        date(2030, 6, 5),
        date(2030, 9, 12),
        date(2030, 10, 1),
        date(2030, 10, 2),
        date(2030, 10, 3),
    ]


def test_override_table_corrects_a_year_the_package_does_not_cover():
    CalendarOverride.objects.create(date=date(2027, 1, 4), kind=CalendarOverride.Kind.HOLIDAY, note="元旦调休")
    assert not is_working_day(date(2027, 1, 4))
    assert add_working_days(date(2026, 12, 16), 15) == date(2027, 1, 8)


def test_a_complete_year_is_its_entered_dates_and_weekends_only():
    CalendarOverride.objects.create(date=date(2027, 1, 1), kind=CalendarOverride.Kind.HOLIDAY, note="元旦")
    CalendarYear.objects.create(year=2027, complete=True)
    assert not is_working_day(date(2027, 1, 1))
    assert is_working_day(date(2027, 2, 5))  # 除夕 not entered: a working Friday once the year is complete
    assert not Calendar().is_provisional(date(2026, 12, 21), date(2027, 1, 12))


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


def test_years_without_arrangement_are_flagged_until_marked_complete():
    assert years_needing_arrangement([2026, 2027]) == [2027]
    CalendarOverride.objects.create(date=date(2027, 2, 6), kind=CalendarOverride.Kind.HOLIDAY)
    assert years_needing_arrangement([2026, 2027]) == [2027]  # one date is not an arrangement
    CalendarYear.objects.create(year=2027, complete=False)
    assert years_needing_arrangement([2026, 2027]) == [2027]
    CalendarYear.objects.filter(year=2027).update(complete=True)
    assert years_needing_arrangement([2026, 2027]) == []
