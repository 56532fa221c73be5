"""A wage rise that lifts the living-allowance floor above an agreement on duty (DESIGN.md, Subsidy
rules): 长春市区 1880 → 2120 from 2024-10-01, floor 1880 × 60% = 1128.00 → 2120 × 60% = 1272.00. An
agreement paying 1128.00 is flagged from October 2024 on, its unit and its city are told, the
October claim line shows the flag; raising the allowance to 1300.00 from 2024-10-01 clears it."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from jianxi_portal.core.models import MinimumWageVersion, Notification
from jianxi_portal.core.services import allowance_floor_rule_add, wage_version_create
from positions.tests.factories import ApprovedPostFactory
from subsidies import services
from subsidies.tests.factories import FiledPlacementFactory
from trainees.allowance import below_floor, flagged_months
from trainees.models import AllowanceChange, Placement
from trainees.services import allowance_change_record

SHANGHAI = ZoneInfo("Asia/Shanghai")
RISE = date(2024, 10, 1)


@pytest.fixture
def rise_undone(db):
    """The 2024-10-01 wage version taken out (as before it was published); returns a function that
    adds it again through the admin's service, with its classes and district mapping."""
    version = MinimumWageVersion.objects.get(effective_from=RISE)
    classes = [(c.monthly, c.hourly) for c in version.classes.order_by("number")]
    mapping = dict(version.district_classes.values_list("district_id", "wage_class__number"))
    document = version.document
    version.district_classes.all().delete()
    version.classes.all().delete()
    version.delete()

    def publish(by):
        return wage_version_create(by=by, effective_from=RISE, document=document, classes=classes, mapping=mapping)

    return publish


@pytest.fixture
def on_duty_1128(unit_a):
    """A college graduate on duty in 南关区 (长春市区) from 2024-07-01 to 2024-12-31 at 1128.00 a month."""
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


def months(found):
    return [m.isoformat()[:7] for m in flagged_months(found)]


def claim_line(employer, month):
    with time_machine.travel(datetime(2024, 11, 5, 10, tzinfo=SHANGHAI), tick=False):
        claim = services.claim_create(unit_id=employer.unit_id, period_from=month, period_to=month, by=employer)
    return claim.lines.get(kind="monthly")


def test_a_wage_rise_flags_the_agreement_tells_unit_and_city_and_a_change_clears_it(
    rise_undone, on_duty_1128, employer_a, city_cc, city_jl, employer_b, admin_user
):
    assert below_floor(Placement.objects.all()) == []  # 1128.00 = 1880 × 60%: at the floor
    rise_undone(admin_user)

    flagged = below_floor(Placement.objects.visible_to(employer_a))
    assert [(p, months(found)) for p, found in flagged] == [(on_duty_1128, ["2024-10", "2024-11", "2024-12"])]
    first = flagged[0][1][0]
    assert (first.first, first.last, first.allowance, first.floor.amount) == (
        RISE,
        date(2024, 12, 31),
        Decimal("1128.00"),
        Decimal("1272.00"),
    )

    # Both the unit and its city are told, nobody else.
    told = Notification.objects.order_by("recipient__username")
    assert [n.recipient.username for n in told] == ["city_cc", "employer_a"]
    assert told[0].title == "2024-10-01 起生活补贴下限提高：1 份见习协议的生活补贴低于下限"
    assert "赵强（长春甲单位）：2024-10-01 至 2024-12-31 生活补贴 1128.00 元/月，低于下限 1272.00 元" in told[0].body
    assert told[0].link == "/placements/allowance-shortfalls/"
    # Another city's staff and another unit see nothing of it.
    assert below_floor(Placement.objects.visible_to(city_jl)) == []
    assert below_floor(Placement.objects.visible_to(employer_b)) == []

    # The October claim line shows the flag; September's (1880 × 60% = 1128.00) has none.
    october = claim_line(employer_a, date(2024, 10, 1))
    assert october.allowance_problem == (
        "2024-10-01 至 2024-10-31 生活补贴 1128.00 元/月，低于下限 1272.00 元（当地月最低工资标准 2120.00 元 × 60%）"
    )
    assert claim_line(employer_a, date(2024, 9, 1)).allowance_problem == ""

    # The unit raises the allowance to 1300.00 from 2024-10-01: the flag is gone from October on.
    allowance_change_record(placement_id=on_duty_1128.pk, by=employer_a, effective_from=RISE, amount="1300")
    assert below_floor(Placement.objects.all()) == []
    october.refresh_from_db()
    assert october.allowance_problem == ""
    assert list(AllowanceChange.objects.values_list("effective_from", "amount", "recorded_by")) == [
        (RISE, Decimal("1300.00"), employer_a.pk)
    ]


def test_a_change_from_mid_october_leaves_october_flagged_and_clears_november(
    rise_undone, on_duty_1128, employer_a, admin_user
):
    rise_undone(admin_user)
    allowance_change_record(
        placement_id=on_duty_1128.pk, by=employer_a, effective_from=date(2024, 10, 16), amount="1272"
    )
    [(_, found)] = below_floor(Placement.objects.all())
    assert [(s.first, s.last) for s in found] == [(RISE, date(2024, 10, 15))]
    assert months(found) == ["2024-10"]


def test_a_citys_higher_floor_flags_its_own_agreements_only(on_duty_1128, city_cc, employer_a):
    # 长春市 college graduates from 2024-11-01: 2120 × 70% = 1484.00 > 1128.00 (and > 1272.00).
    allowance_floor_rule_add(
        by=city_cc, region_id=city_cc.region_id, category="college_graduate", ratio="0.70", valid_from=date(2024, 11, 1)
    )
    [(placement, found)] = below_floor(Placement.objects.all(), since=date(2024, 11, 1))
    assert placement == on_duty_1128 and found[0].floor.amount == Decimal("1484.00")
    assert Notification.objects.filter(recipient=employer_a).count() == 1


@pytest.mark.parametrize(
    "values, field, message",
    [
        ({"amount": "-1"}, "amount", "生活补贴不能为负数，收到 -1.00 元。"),
        ({"amount": "很多"}, "amount", "生活补贴应为金额（元），例如 1200.00。"),
        (
            {"amount": "1200"},
            "amount",
            "调整后的生活补贴仍低于下限：2024-10-01 至 2024-12-31 生活补贴 1200.00 元/月，低于下限 1272.00 元",
        ),
        (
            {"effective_from": date(2025, 1, 1)},
            "effective_from",
            "调整生效日期应在见习期间 2024-07-01 至 2024-12-31 之内，当前为 2025-01-01。",
        ),
    ],
)
def test_a_bad_allowance_change_is_refused_in_chinese_and_nothing_saved(
    on_duty_1128, employer_a, values, field, message
):
    values = {"effective_from": RISE, "amount": "1300", **values}
    with pytest.raises(ValidationError) as exc:
        allowance_change_record(placement_id=on_duty_1128.pk, by=employer_a, **values)
    assert message in " ".join(exc.value.message_dict[field])
    assert not AllowanceChange.objects.exists()


@pytest.mark.parametrize("who", ["employer_b", "city_jl", "province_user"])
def test_only_the_unit_or_its_city_records_an_allowance_change(request, on_duty_1128, who):
    with pytest.raises(PermissionDenied):
        allowance_change_record(
            placement_id=on_duty_1128.pk, by=request.getfixturevalue(who), effective_from=RISE, amount="1300"
        )
    assert not AllowanceChange.objects.exists()
