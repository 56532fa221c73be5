"""Demo units for `load_demo`: the two employers' units (长春市, 吉林市) and a few units registered
offline by city bureaus, all approved through the review services; one more waits in 长春市's
review queue. Idempotent: an existing unit is only moved on to its demo state."""

from datetime import date, datetime, time

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from jianxi_portal.core.demo_accounts import demo_user
from jianxi_portal.core.models import District, ReviewLog, User
from jianxi_portal.core.review import review_deadline_for
from units import services
from units.models import Industry, Unit, UnitType

DEMO_UNITS = [
    (
        "employer_cc",
        "长春",
        "91220101MA0Y3K7L2G",
        "长春一汽智能制造示范有限公司",
        "changchun",
        "朝阳区",
        UnitType.STATE_OWNED,
        Industry.C,
    ),
    (
        "employer_jl",
        "吉林",
        "91220201MA17D5TP2P",
        "吉林市江城软件科技有限公司",
        "jilin",
        "船营区",
        UnitType.PRIVATE,
        Industry.I,
    ),
]

# (credit code, name, region, district, type, industry, special columns, approved?)
OFFLINE_UNITS = [
    (
        "91220301MA0Y8P3Q1Q",
        "四平市巨能农业机械有限公司",
        "siping",
        "铁西区",
        UnitType.PRIVATE,
        Industry.C,
        ("is_famous_manufacturer",),
        True,
    ),
    (
        "91222401MA17Q6HJ2Y",
        "延边长白山云数据科技有限公司",
        "yanbian",
        "延吉市",
        UnitType.PRIVATE,
        Industry.I,
        ("is_internet_major",),
        True,
    ),
    (
        "12220000MB1K8N2F52",
        "吉林省农业科学院实验站",
        "changchun",
        "南关区",
        UnitType.INSTITUTION,
        Industry.M,
        ("is_practice_base",),
        True,
    ),
    (
        "91220700MA13X2RE46",
        "松原市查干湖文旅发展有限公司",
        "songyuan",
        "宁江区",
        UnitType.STATE_OWNED,
        Industry.R,
        ("is_state_owned",),
        True,
    ),
    (
        "52220104MJ0A3K5X64",
        "长春市朝阳区青年就业服务中心",
        "changchun",
        "朝阳区",
        UnitType.SOCIAL_ORG,
        Industry.O,
        (),
        False,
    ),
]

DESCRIPTIONS = {
    Industry.C: "从事装备制造与零部件生产，设有技术中心和标准化车间，可提供生产管理、质量检验等见习岗位。",
    Industry.I: "专注软件开发与数据服务，提供研发、测试、运维等岗位的带教见习。",
    Industry.M: "开展作物育种与农业技术推广研究，面向农学、生物、植保等专业招收见习人员。",
    Industry.R: "负责查干湖景区文旅运营，提供文旅策划、新媒体运营、游客服务岗位。",
    Industry.O: "为辖区青年提供就业指导、创业服务和社区公益项目。",
}


def _city(region_code: str) -> User:
    return User.objects.get(username=f"city_{region_code}")


def months_back(today: date, months: int, day: int = 10) -> date:
    """The `day`-th (1–28) of the month `months` before `today`'s."""
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, day)


def backdate_review(obj, day: date, **fields) -> None:
    """Demo history: the services approved `obj` today; it was submitted and approved on `day`, so
    its review dates (and `fields`) and history rows move there, and the reports of past months
    count it. Only dates change; the audit log keeps the day the demo was loaded."""
    at = timezone.make_aware(datetime.combine(day, time(10, 0)))
    fields.update(submitted_at=at, decided_at=at, first_approved_on=day, review_deadline=review_deadline_for(day))
    type(obj).objects.filter(pk=obj.pk).update(**fields)
    history = ReviewLog.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
    history.update(at=at)


def _ensure_unit(
    code,
    name,
    region_code,
    district_name,
    unit_type,
    industry,
    flags=(),
    approved=True,
    approved_on: date | None = None,
) -> Unit:
    city = _city(region_code)
    unit = Unit.objects.filter(credit_code=code).first()
    if unit is None:
        district = District.objects.get(region__code=region_code, name=district_name)
        unit = services.unit_create(
            by=city,
            name=name,
            credit_code=code,
            unit_type=unit_type,
            industry=industry,
            region=district.region,
            district=district,
            address=f"{district}人民大街100号",
            contact_name="王经理",
            contact_phone="13904310000",
            employee_count=320,
            description=DESCRIPTIONS.get(industry, ""),
            # The payee account of its subsidies (a demo number: a code's digits, not a real account).
            bank_name="中国工商银行长春人民大街支行",
            bank_account="6222" + "".join(c for c in code if c.isdigit())[-12:].rjust(12, "0"),
            **{flag: True for flag in flags},
        )
    if unit.status in (Unit.Status.DRAFT, Unit.Status.RETURNED):
        unit = services.unit_submit(unit_id=unit.pk, by=city)
    if approved and unit.status == Unit.Status.SUBMITTED:
        unit = services.unit_approve(unit_id=unit.pk, by=city, opinion="材料齐全，符合见习单位条件，同意。")
        if approved_on is not None:
            backdate_review(unit, approved_on)
    return unit


def load_demo(today: date) -> list:
    """Called by `load_demo` after the city accounts exist: the demo units and the employers'
    accounts of the two employers' units. Returns the logins (user, label) it made."""
    logins = []
    for username, label, unit in demo_units(today):
        employer = demo_user(username, User.Role.EMPLOYER, unit=unit, first_name=unit.contact_name)
        logins.append((employer, f"单位用户（{label}）"))
    return logins


def demo_units(today: date):
    """The demo units, after the city accounts exist and before the employers' accounts: returns
    (username, label, unit) of the employers' units. The employers' units were approved
    ten months before `today` (before their placements began), the offline ones three months before."""
    result = []
    for username, label, code, name, region_code, district_name, unit_type, industry in DEMO_UNITS:
        flags = ("is_state_owned", "is_famous_manufacturer") if unit_type == UnitType.STATE_OWNED else ()
        unit = _ensure_unit(
            code, name, region_code, district_name, unit_type, industry, flags, approved_on=months_back(today, 10)
        )
        result.append((username, label, unit))
    for code, name, region_code, district_name, unit_type, industry, flags, approved in OFFLINE_UNITS:
        _ensure_unit(
            code,
            name,
            region_code,
            district_name,
            unit_type,
            industry,
            flags,
            approved,
            approved_on=months_back(today, 3, day=5),
        )
    return result
