"""Fixtures of the subsidies tests: a claim of each cast unit, built through the services.

unit_a (长春市南关区, class 1: 2120 from 2024-10-01) and unit_b (吉林市昌邑区, class 2: 1920)."""

from datetime import date

import pytest

from positions.tests.factories import ApprovedPostFactory
from subsidies import services
from subsidies.tests.factories import FiledPlacementFactory

MARCH = date(2026, 3, 1)


@pytest.fixture
def claim_a(unit_a, employer_a):
    """A draft claim of unit_a for March 2026: one college graduate, 2120.00 × 100% × 31 ÷ 31."""
    FiledPlacementFactory(post=ApprovedPostFactory(unit=unit_a), trainee__name="王甲")
    return services.claim_create(unit_id=unit_a.pk, period_from=MARCH, period_to=MARCH, by=employer_a)


@pytest.fixture
def claim_b(unit_b, employer_b):
    """A draft claim of unit_b for March 2026: 1920.00 × 100% × 31 ÷ 31."""
    FiledPlacementFactory(post=ApprovedPostFactory(unit=unit_b), trainee__name="李乙")
    return services.claim_create(unit_id=unit_b.pk, period_from=MARCH, period_to=MARCH, by=employer_b)


@pytest.fixture
def approve():
    """approve(claim, employer, city) → the claim submitted and approved through the services."""

    def run(claim, employer, city):
        services.claim_submit(claim_id=claim.pk, by=employer)
        return services.claim_approve(claim_id=claim.pk, by=city)

    return run
