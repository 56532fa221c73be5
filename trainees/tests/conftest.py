"""Fixtures of the trainees tests: published posts whose allowance clears the 60% floor (长春 2120
× 60% = 1272; 吉林 1920 × 60% = 1152), trainees in both cities, and a signing helper."""

from datetime import date
from decimal import Decimal

import pytest

from positions.tests.factories import ApprovedPostFactory
from trainees.services.placements import sign_placement
from trainees.tests.factories import TraineeFactory


@pytest.fixture
def post_a(unit_a):
    return ApprovedPostFactory(unit=unit_a, title="会计见习", slots=2, duration_months=6, allowance=Decimal("1500.00"))


@pytest.fixture
def post_b(unit_b):
    return ApprovedPostFactory(
        unit=unit_b, title="软件测试见习", slots=2, duration_months=6, allowance=Decimal("1500.00")
    )


@pytest.fixture
def grad_cc(changchun):
    """A college graduate registered in 长春市, left school 2025-07-01, born 2002-03-04."""
    return TraineeFactory(name="张明", region=changchun)


@pytest.fixture
def grad_jl(jilin_region):
    return TraineeFactory(name="李华", region=jilin_region, birth=date(2001, 8, 9))


@pytest.fixture
def sign(city_cc):
    """sign(trainee, post, by=..., signed_on=..., planned_start=...) through the one signing service."""

    def make(trainee, post, *, by=None, signed_on=date(2026, 3, 1), planned_start=None, **extra):
        return sign_placement(
            trainee_id=trainee.pk,
            post_id=post.pk,
            signed_on=signed_on,
            planned_start=planned_start or signed_on,
            by=by or city_cc,
            **extra,
        )

    return make
