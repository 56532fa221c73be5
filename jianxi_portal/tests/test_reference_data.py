"""Reference data loaded by migrations: Annex 1 quotas, Jilin's districts, both minimum-wage versions."""

from datetime import date
from decimal import Decimal

import pytest

from jianxi_portal.core.models import AnnualQuota, District, Region
from jianxi_portal.core.wages import MinimumWageUnknown, minimum_wage, minimum_wage_entry

ANNEX1_2022 = {
    "changchun": (4500, 2100),
    "jilin": (1800, 700),
    "siping": (700, 550),
    "liaoyuan": (300, 150),
    "tonghua": (500, 360),
    "baishan": (450, 240),
    "baicheng": (250, 150),
    "songyuan": (400, 150),
    "yanbian": (750, 450),
    "changbaishan": (150, 50),
    "meihekou": (200, 100),
}


def test_quotas_seeded_exactly_as_annex1(db):
    quotas = AnnualQuota.objects.filter(year=2022).select_related("region")
    rows = {q.region.code: (q.post_quota, q.trainee_quota) for q in quotas}
    assert rows == ANNEX1_2022
    assert sum(p for p, _ in rows.values()) == 10000
    assert sum(t for _, t in rows.values()) == 5000


def test_eleven_regions_in_annex1_order(db):
    assert list(Region.objects.values_list("code", flat=True)) == list(ANNEX1_2022)


def test_every_district_of_jilin_is_loaded_with_its_region(db):
    assert District.objects.count() == 61
    assert District.objects.get(name="公主岭市").region.code == "changchun"
    assert District.objects.get(name="长白山保护开发区").kind == "zone"
    assert District.objects.get(name="梅河口市").region.code == "meihekou"
    assert District.objects.filter(region__code="yanbian").count() == 8


@pytest.mark.parametrize(
    "district, before, after",
    [
        ("朝阳区", "1880", "2120"),  # 长春市区: class 1 in both versions
        ("九台区", "1880", "2120"),  # 长春市区 incl. 九台区 (named in 2024)
        ("船营区", "1760", "1920"),  # 吉林市区: class 2 → 2
        ("延吉市", "1760", "1920"),
        ("浑江区", "1640", "1920"),  # 白山市区: class 3 → 2
        ("铁西区", "1640", "1780"),  # 四平市区: class 3 → 3
        ("抚松县", "1640", "1780"),  # named in class 3 in 2021
        ("洮北区", "1540", "1780"),  # 白城市区: class 4 → 3
        ("长白山保护开发区", "1540", "1780"),
        ("农安县", "1540", "1780"),
    ],
)
def test_minimum_wage_of_each_class_before_and_after_2024_10_01(db, district, before, after):
    d = District.objects.get(name=district)
    assert minimum_wage(d, date(2022, 6, 1)) == Decimal(before)
    assert minimum_wage(d, date(2025, 1, 1)) == Decimal(after)


def test_minimum_wage_changes_on_the_effective_day_not_before(db):
    d = District.objects.get(name="朝阳区")
    assert minimum_wage(d, date(2024, 9, 30)) == Decimal("1880")
    assert minimum_wage(d, date(2024, 10, 1)) == Decimal("2120")
    assert minimum_wage_entry(d, date(2024, 10, 1)).class_number == 1


def test_minimum_wage_before_any_version_is_an_explicit_error(db):
    with pytest.raises(MinimumWageUnknown):
        minimum_wage(District.objects.get(name="朝阳区"), date(2021, 11, 30))


def test_no_minimum_wage_version_cites_a_document_without_its_number(db):
    from jianxi_portal.core.models import MinimumWageVersion

    documents = dict(MinimumWageVersion.objects.values_list("effective_from", "document"))
    assert documents[date(2021, 12, 1)] == "2021年12月1日起执行"  # the number is in none of the sources
    assert documents[date(2024, 10, 1)] == "吉政函〔2024〕66号"
    assert not any("〕号" in d for d in documents.values())
