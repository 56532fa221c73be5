"""The living-allowance floor is a wage rule of the core (DESIGN.md, Subsidy rules): 60% of the
local minimum wage in force each day by default, per region and trainee category; a city may set a
higher floor for its own region; versions are added, never edited; bad ratios are refused."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jianxi_portal.core.allowance import FloorBook, allowance_floor
from jianxi_portal.core.models import AllowanceFloorRule
from jianxi_portal.core.services import allowance_floor_rule_add
from jianxi_portal.tests.factories import district

NANGUAN = ("changchun", "南关区")  # 长春市区: 1880 from 2021-12-01, 2120 from 2024-10-01
NONGAN = ("changchun", "农安县")  # 1540, then 1780
CHUANYING = ("jilin", "船营区")  # 1760, then 1920


def test_the_notices_sixty_percent_floor_survives_the_move_to_the_core(db):
    rule = AllowanceFloorRule.objects.get()
    assert (rule.region, rule.category, rule.ratio, rule.valid_from) == (None, "", Decimal("0.60"), date(2021, 12, 1))
    assert rule.history.count() == 1  # the seeded history row came with the table


@pytest.mark.parametrize(
    "place, day, wage, expected",
    [
        (NANGUAN, date(2024, 9, 30), "1880.00", "1128.00"),  # 1880 × 60%
        (NANGUAN, date(2024, 10, 1), "2120.00", "1272.00"),  # 2120 × 60%
        (NONGAN, date(2024, 9, 30), "1540.00", "924.00"),  # 1540 × 60%
        (NONGAN, date(2024, 10, 1), "1780.00", "1068.00"),  # 1780 × 60%
    ],
)
def test_the_floor_is_sixty_percent_of_the_minimum_wage_in_force_that_day(db, place, day, wage, expected):
    floor = allowance_floor(district(*place), day, "college_graduate")
    assert (floor.wage, floor.amount, floor.percent) == (Decimal(wage), Decimal(expected), "60%")


def test_a_city_sets_a_higher_floor_for_one_category_in_its_own_region_only(city_cc):
    allowance_floor_rule_add(
        by=city_cc,
        region_id=city_cc.region_id,
        category="college_graduate",
        ratio="1.5",
        valid_from=date(2025, 1, 1),
        document="长春市文件",
    )
    book = FloorBook()
    nanguan, chuanying = district(*NANGUAN).pk, district(*CHUANYING).pk
    # 长春市区 college graduates from 2025: 2120 × 150% = 3180.00; before: 2120 × 60% = 1272.00
    assert book.floor_on(nanguan, "college_graduate", date(2025, 1, 1)).amount == Decimal("3180.00")
    assert book.floor_on(nanguan, "college_graduate", date(2024, 12, 31)).amount == Decimal("1272.00")
    # Other categories, and a post before anyone is placed, keep the province's 60%.
    assert book.floor_on(nanguan, "unemployed_youth", date(2025, 1, 1)).amount == Decimal("1272.00")
    assert book.floor_on(nanguan, "", date(2025, 1, 1)).amount == Decimal("1272.00")
    # 吉林市 船营区: 1920 × 60% = 1152.00
    assert book.floor_on(chuanying, "college_graduate", date(2025, 1, 1)).amount == Decimal("1152.00")


def test_a_citys_lower_ratio_never_lowers_the_provinces_floor(city_cc):
    allowance_floor_rule_add(by=city_cc, region_id=city_cc.region_id, ratio="0.50", valid_from=date(2025, 1, 1))
    assert allowance_floor(district(*NANGUAN), date(2025, 1, 1)).amount == Decimal("1272.00")  # 2120 × 60%


def test_a_new_province_version_closes_the_open_one_with_history(admin_user):
    rule = allowance_floor_rule_add(by=admin_user, ratio="0.70", valid_from=date(2026, 1, 1))
    old = AllowanceFloorRule.objects.exclude(pk=rule.pk).get()
    assert old.valid_to == date(2025, 12, 31)
    assert old.history.order_by("-history_date").first().history_user == admin_user
    assert allowance_floor(district(*NANGUAN), date(2026, 1, 1)).amount == Decimal("1484.00")  # 2120 × 70%


@pytest.mark.parametrize(
    "who, region", [("city_cc", None), ("city_cc", "jilin"), ("employer_a", "changchun"), ("province_user", None)]
)
def test_a_floor_rule_only_by_an_admin_or_for_the_citys_own_region(request, who, region):
    from jianxi_portal.core.models import Region

    region_id = Region.objects.get(code=region).pk if region else None
    with pytest.raises(PermissionDenied):
        allowance_floor_rule_add(
            by=request.getfixturevalue(who), region_id=region_id, ratio="0.8", valid_from=date(2027, 1, 1)
        )
    assert AllowanceFloorRule.objects.count() == 1


@pytest.mark.parametrize(
    "values, field, message",
    [
        ({"ratio": "10.5"}, "ratio", "最低比例应在0至10之间（当地月最低工资标准的倍数），收到 10.5。"),
        ({"ratio": "-0.1"}, "ratio", "最低比例应在0至10之间（当地月最低工资标准的倍数），收到 -0.1。"),
        ({"ratio": "六成"}, "ratio", "最低比例必须是数字（如 0.60），收到“六成”。"),
        ({"ratio": ""}, "ratio", "请填写最低比例（当地月最低工资标准的倍数，如 0.60）。"),
        ({"ratio": "0.655"}, "ratio", "最低比例最多保留两位小数，收到 0.655。"),
        ({"ratio": "0.7", "category": "pupil"}, "category", "未知的人员类别“pupil”。"),
        ({"ratio": "0.7", "valid_from": date(2021, 12, 1)}, "valid_from", "已有版本不能修改"),
    ],
)
def test_bad_floor_rules_are_refused_in_chinese_and_nothing_saved(admin_user, values, field, message):
    values = {"valid_from": date(2027, 1, 1), **values}
    with pytest.raises(ValidationError) as exc:
        allowance_floor_rule_add(by=admin_user, **values)
    assert message in " ".join(exc.value.message_dict[field])
    assert AllowanceFloorRule.objects.count() == 1
    assert AllowanceFloorRule.objects.get().valid_to is None
