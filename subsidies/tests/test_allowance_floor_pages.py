"""The living-allowance floor in the browser and the API (DESIGN.md, Subsidy rules): the floor rules
page and endpoint (admins; a city for its own region), the list of agreements below the floor and
the unit's allowance change, each scoped to role and region (SECURITY.md: another city's or unit's
record is a 404); bad input answered in Chinese naming the field, nothing saved."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from jianxi_portal.core.models import AllowanceFloorRule
from jianxi_portal.core.services import allowance_floor_rule_add
from positions.tests.factories import ApprovedPostFactory
from subsidies import services
from subsidies.tests.factories import FiledPlacementFactory
from trainees.models import AllowanceChange

SHANGHAI = ZoneInfo("Asia/Shanghai")
SHORTFALLS = "/placements/allowance-shortfalls/"


@pytest.fixture
def on_duty_1128(unit_a):
    """On duty in 南关区 (长春市区) July–December 2024 at 1128.00: below 2120 × 60% = 1272.00 from
    2024-10-01 (entered before the rise; the factory skips the signing check)."""
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


def test_the_unit_and_its_city_see_the_agreement_below_the_floor(client_for, on_duty_1128, employer_a, city_cc):
    for user in (employer_a, city_cc):
        page = client_for(user).get(SHORTFALLS).content.decode()
        assert "赵强" in page and "2024年10月、2024年11月、2024年12月" in page
        assert "低于下限 1272.00 元（当地月最低工资标准 2120.00 元 × 60%）" in page


def test_another_city_and_another_unit_see_nothing_and_may_not_change_the_allowance(
    client_for, api_for, on_duty_1128, employer_b, city_jl
):
    for user in (employer_b, city_jl):
        client = client_for(user)
        page = client.get(SHORTFALLS).content.decode()
        assert "赵强" not in page and "没有生活补贴低于下限的见习协议" in page
        url = reverse("trainees:placement_action", args=[on_duty_1128.pk, "allowance"])
        assert client.get(url).status_code == 404
        assert client.post(url, {"effective_from": "2024-10-01", "amount": "1300"}).status_code == 404
        response = api_for(user).post(
            f"/api/v1/placements/{on_duty_1128.pk}/allowance-changes/",
            {"effective_from": "2024-10-01", "amount": "1300"},
            format="json",
        )
        assert response.status_code == 404
    assert not AllowanceChange.objects.exists()


def test_the_unit_raises_the_allowance_in_the_browser_and_the_flag_clears(client_for, on_duty_1128, employer_a):
    client = client_for(employer_a)
    detail = client.get(reverse("trainees:placement_detail", args=[on_duty_1128.pk])).content.decode()
    assert "生活补贴低于下限：2024-10-01 至 2024-12-31 生活补贴 1128.00 元/月" in detail
    url = reverse("trainees:placement_action", args=[on_duty_1128.pk, "allowance"])
    refused = client.post(url, {"effective_from": "2024-10-01", "amount": "-5"}).content.decode()
    assert "生活补贴不能为负数，收到 -5.00 元。" in refused and not AllowanceChange.objects.exists()
    response = client.post(url, {"effective_from": "2024-10-01", "amount": "1300", "note": "按新标准"})
    assert response.status_code == 302
    detail = client.get(reverse("trainees:placement_detail", args=[on_duty_1128.pk])).content.decode()
    assert "生活补贴低于下限" not in detail and "2024-10-01 起 1300.00 元/月（按新标准）" in detail
    assert "赵强" not in client.get(SHORTFALLS).content.decode()


def test_a_negative_allowance_in_the_api_names_the_field_and_saves_nothing(api_for, on_duty_1128, employer_a):
    response = api_for(employer_a).post(
        f"/api/v1/placements/{on_duty_1128.pk}/allowance-changes/",
        {"effective_from": "2024-10-01", "amount": "-1"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"amount": ["生活补贴不能为负数，收到 -1.00 元。"]}
    assert not AllowanceChange.objects.exists()


def test_the_october_claim_page_shows_the_months_flag(client_for, on_duty_1128, employer_a):
    with time_machine.travel(datetime(2024, 11, 5, 10, tzinfo=SHANGHAI), tick=False):
        claim = services.claim_create(
            unit_id=employer_a.unit_id, period_from=date(2024, 10, 1), period_to=date(2024, 10, 1), by=employer_a
        )
        page = client_for(employer_a).get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert "1 条明细的当月生活补贴低于下限" in page
    assert "生活补贴低于下限：2024-10-01 至 2024-10-31 生活补贴 1128.00 元/月，低于下限 1272.00 元" in page


@pytest.mark.parametrize("ratio", ["10.01", "-0.5"])
def test_a_floor_ratio_out_of_range_is_refused_in_the_api_naming_the_field(api_for, admin_user, ratio):
    response = api_for(admin_user).post(
        "/api/v1/allowance-floors/", {"ratio": ratio, "valid_from": "2027-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"ratio": [f"最低比例应在0至10之间（当地月最低工资标准的倍数），收到 {ratio}。"]}
    assert AllowanceFloorRule.objects.count() == 1


def test_a_city_adds_its_own_floor_in_the_api_but_not_another_citys(api_for, city_cc):
    api = api_for(city_cc)
    response = api.post(
        "/api/v1/allowance-floors/", {"region": "jilin", "ratio": "0.8", "valid_from": "2027-01-01"}, format="json"
    )
    assert response.status_code == 403
    response = api.post(
        "/api/v1/allowance-floors/",
        {"region": "changchun", "category": "college_graduate", "ratio": "0.8", "valid_from": "2027-01-01"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["region"] == "changchun"
    assert AllowanceFloorRule.objects.count() == 2


def test_the_floor_page_for_admin_and_city_scoped_to_the_citys_region(
    client_for, admin_user, city_cc, city_jl, employer_a
):
    allowance_floor_rule_add(
        by=city_jl, region_id=city_jl.region_id, ratio="0.9", valid_from=date(2027, 1, 1), document="吉林市下限文件"
    )
    assert "吉林市下限文件" in client_for(admin_user).get("/allowance-floors/").content.decode()
    page = client_for(city_cc).get("/allowance-floors/").content.decode()
    assert "全省" in page and "60%（0.60）" in page and "吉林市下限文件" not in page
    refused = (
        client_for(city_cc)
        .post("/allowance-floors/", {"region": str(city_cc.region_id), "ratio": "12", "valid_from": "2027-01-01"})
        .content.decode()
    )
    assert "最低比例应在0至10之间（当地月最低工资标准的倍数），收到 12。" in refused
    assert AllowanceFloorRule.objects.count() == 2
    assert client_for(employer_a).get("/allowance-floors/").status_code == 403


def test_a_city_adds_a_higher_floor_on_its_page(client_for, city_cc):
    response = client_for(city_cc).post(
        "/allowance-floors/",
        {
            "region": str(city_cc.region_id),
            "category": "unemployed_youth",
            "ratio": "0.80",
            "valid_from": "2027-01-01",
            "document": "长春市文件",
        },
    )
    assert response.status_code == 302
    rule = AllowanceFloorRule.objects.get(region=city_cc.region)
    assert (rule.category, rule.ratio, rule.created_by) == ("unemployed_youth", Decimal("0.80"), city_cc)
