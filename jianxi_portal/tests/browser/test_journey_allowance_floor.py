"""Journey: a unit sees an agreement below the raised living-allowance floor and records the raise;
the city sees its floor rules (DESIGN.md, Subsidy rules). Desktop and phone width."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from positions.tests.factories import ApprovedPostFactory
from subsidies.tests.factories import FiledPlacementFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def below(unit_a):
    post = ApprovedPostFactory(unit=unit_a, allowance=Decimal("1128.00"))
    return FiledPlacementFactory(
        post=post,
        trainee__name="赵强",
        trainee__left_school_on=date(2024, 6, 1),
        signed_on=date(2024, 6, 20),
        planned_start=date(2024, 7, 1),
        planned_end=date(2024, 12, 31),
        allowance=Decimal("1128.00"),
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_the_unit_raises_an_allowance_below_the_floor(live_server, page, login_as, employer_a, below, shot, width):
    page.set_viewport_size({"width": width, "height": 900})
    login_as(employer_a)
    page.goto(f"{live_server.url}/placements/allowance-shortfalls/")
    assert "2024年10月、2024年11月、2024年12月" in page.content()
    shot(f"allowance-shortfalls-{width}")
    page.get_by_role("link", name="登记调整").click()
    page.get_by_label("调整生效日期").fill("2024-10-01")
    page.get_by_label("调整后生活补贴（元/月）").fill("1300")
    page.get_by_role("button", name="确认生活补贴调整").click()
    page.wait_for_url(f"**/placements/{below.pk}/")
    expect(page.get_by_text("2024-10-01 起 1300.00 元/月")).to_be_visible()
    assert "生活补贴低于下限：" not in page.content()
    shot(f"allowance-change-done-{width}")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_city_sees_its_floor_rules_and_a_refused_ratio(live_server, page, login_as, city_cc, shot, width):
    page.set_viewport_size({"width": width, "height": 900})
    login_as(city_cc)
    page.goto(f"{live_server.url}/allowance-floors/")
    page.locator("#id_ratio").fill("12")
    page.locator("#id_valid_from").fill("2027-01-01")
    page.get_by_role("button", name="保存新版本").click()
    # The refusal is a new page: wait for its text rather than read the page mid-navigation.
    expect(page.get_by_text("最低比例应在0至10之间（当地月最低工资标准的倍数），收到 12。")).to_be_visible()
    shot(f"allowance-floors-city-{width}")
