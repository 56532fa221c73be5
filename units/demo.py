"""Demo units for `load_demo`: two employers, in 长春市 and 吉林市."""

from units.models import Industry, Unit, UnitType

DEMO_UNITS = [
    ("employer_cc", "长春", "91220101MA0Y3K7L2G", "长春一汽智能制造示范有限公司", "changchun", "朝阳区", UnitType.STATE_OWNED, Industry.C),
    ("employer_jl", "吉林", "91220201MA17D5TP2P", "吉林市江城软件科技有限公司", "jilin", "船营区", UnitType.PRIVATE, Industry.I),
]


def demo_units(District):
    result = []
    for username, label, code, name, region_code, district_name, unit_type, industry in DEMO_UNITS:
        district = District.objects.select_related("region").get(region__code=region_code, name=district_name)
        unit, _ = Unit.objects.get_or_create(
            credit_code=code,
            defaults=dict(
                name=name, unit_type=unit_type, industry=industry, region=district.region, district=district,
                address=f"{district}人民大街100号", contact_name="王经理", contact_phone="13904310000",
                employee_count=320, description="演示单位",
            ),
        )
        result.append((username, label, unit))
    return result
