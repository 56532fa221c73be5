"""The shared helpers of the core: calendar months and the regions a user may see (ARCHITECTURE.md:
the core is below every app, so each rule is written once there)."""

from datetime import date

import pytest

from jianxi_portal.core.dates import add_months
from jianxi_portal.core.models import Region


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 11, 27), 12, date(2027, 11, 27)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 15), -13, date(2024, 12, 15)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last_day(day, months, expected):
    assert add_months(day, months) == expected


def test_province_and_admin_see_every_region(province_user, admin_user):
    every = set(Region.objects.values_list("code", flat=True))
    assert set(Region.objects.visible_to(province_user).values_list("code", flat=True)) == every
    assert set(Region.objects.visible_to(admin_user).values_list("code", flat=True)) == every


def test_a_city_sees_its_own_region_only(city_cc):
    assert list(Region.objects.visible_to(city_cc).values_list("code", flat=True)) == ["changchun"]


def test_employers_and_young_people_see_no_region_figures(employer_a, youth):
    assert not Region.objects.visible_to(employer_a).exists()
    assert not Region.objects.visible_to(youth).exists()
