"""The living allowance holds the floor every month of the agreement (DESIGN.md, Subsidy rules):
checked at signing at every wage version and floor rule known then; when a new one raises the
floor, the agreements that fall below are listed for their unit and city, both are told, each
month's claim line shows the flag, and the unit's allowance change clears it from its date."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from positions.tests.factories import ApprovedPostFactory
from trainees.models import Placement
from trainees.tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post_1128(unit_a):
    """A post of 长春甲单位 in 南关区 (长春市区) advertising 1128 a month: 60% of 1880, the wage before 2024-10-01."""
    return ApprovedPostFactory(unit=unit_a, title="文员见习", slots=3, duration_months=6, allowance=Decimal("1128.00"))


@pytest.fixture
def grad_2024(changchun):
    """A college graduate of 长春市 who left school on 2024-06-01."""
    return TraineeFactory(name="王芳", region=changchun, left_school_on=date(2024, 6, 1))


def sign_2024(trainee, post, by, *, allowance, planned_start=date(2024, 7, 1), planned_end=date(2024, 12, 31)):
    from trainees.services.placements import sign_placement

    return sign_placement(
        trainee_id=trainee.pk,
        post_id=post.pk,
        signed_on=date(2024, 6, 20),
        planned_start=planned_start,
        planned_end=planned_end,
        allowance=allowance,
        by=by,
        today=date(2024, 6, 20),
    )


def test_signing_checks_every_month_of_the_agreement_not_only_the_start(grad_2024, post_1128, city_cc):
    # July–December 2024 in 长春市区: 1880 × 60% = 1128.00 until September, 2120 × 60% = 1272.00 from
    # 2024-10-01 (the version known on the signing day): 1128 falls short from October.
    with pytest.raises(ValidationError) as exc:
        sign_2024(grad_2024, post_1128, city_cc, allowance="1128")
    assert exc.value.message_dict["allowance"] == [
        "单位发放的生活补贴每月不得低于当地最低工资标准的60%：2024年10月起（2024-10-01）当地最低工资 2120.00 元，"
        "下限 1272.00 元，当前为 1128.00 元。"
    ]
    assert not Placement.objects.exists()
    placement = sign_2024(grad_2024, post_1128, city_cc, allowance="1272")
    assert placement.allowance == Decimal("1272.00")


def test_an_agreement_ending_before_the_rise_may_pay_the_old_floor(grad_2024, post_1128, city_cc):
    placement = sign_2024(grad_2024, post_1128, city_cc, allowance="1128", planned_end=date(2024, 9, 30))
    assert placement.allowance == Decimal("1128.00")


def test_a_negative_allowance_at_signing_is_refused_and_nothing_saved(grad_2024, post_1128, city_cc):
    with pytest.raises(ValidationError) as exc:
        sign_2024(grad_2024, post_1128, city_cc, allowance="-1")
    assert exc.value.message_dict["allowance"] == ["生活补贴不能为负数，收到 -1.00 元。"]
    assert not Placement.objects.exists()
