"""subsidies.permissions: every permission × every role, on a claim of unit_a (长春市); `add_claim`
is asked of the unit. Who only: the states each action is open from are the workflow's; the claim
page shows an action when both allow it."""

from decimal import Decimal

import pytest
import rules
from django.urls import reverse

from jianxi_portal.tests.permission_table import actor, declared, table
from subsidies.models import Claim
from subsidies.tests.factories import ClaimFactory

ALLOWED = {
    "subsidies.add_claim": {"city_own", "employer_own"},
    "subsidies.change_claim": {"city_own", "employer_own"},
    "subsidies.delete_claim": {"city_own", "employer_own"},
    "subsidies.submit_claim": {"city_own", "employer_own"},
    "subsidies.approve_claim": {"city_own"},
    "subsidies.reject_claim": {"city_own"},
    "subsidies.return_claim": {"city_own"},
    "subsidies.pay_claim": {"city_own"},
}


def test_the_table_names_every_declared_permission():
    assert declared("subsidies.") == set(ALLOWED)


@table(ALLOWED)
def test_who_may(request, unit_a, perm, role, expected):
    claim = ClaimFactory.build(unit=unit_a)
    assert rules.has_perm(perm, actor(request, role), unit_a if perm == "subsidies.add_claim" else claim) is expected


@pytest.mark.parametrize(
    ("role", "status", "shown"),
    [
        ("city_own", Claim.Status.APPROVED, True),
        ("city_own", Claim.Status.SUBMITTED, False),
        ("employer_own", Claim.Status.APPROVED, False),
        ("province", Claim.Status.APPROVED, False),
        ("admin", Claim.Status.APPROVED, False),
    ],
)
def test_the_page_offers_payment_by_the_permission_and_the_state(request, client_for, unit_a, role, status, shown):
    """The claim page's 登记拨付 form: `subsidies.pay_claim` and an approved claim with money unpaid."""
    claim = ClaimFactory(unit=unit_a, status=status, total=Decimal("1880.00"), approved_amount=Decimal("1880.00"))
    page = client_for(actor(request, role)).get(reverse("claim_detail", args=[claim.pk]))
    assert page.status_code == 200
    assert page.context["can_pay"] is shown
