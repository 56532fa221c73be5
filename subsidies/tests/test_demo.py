"""The demo claims are made through the services and only once."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from jianxi_portal.core.models import User
from jianxi_portal.tests.factories import UserFactory
from positions.tests.factories import ApprovedPostFactory
from subsidies import demo
from subsidies.models import Claim, Disbursement
from subsidies.tests.factories import FiledPlacementFactory


def test_demo_claims_are_made_once_through_the_services(unit_a, unit_b, changchun):
    employer = UserFactory(username="employer_cc", role=User.Role.EMPLOYER, unit=unit_a)
    UserFactory(username="city_changchun", role=User.Role.CITY, region=changchun)
    UserFactory(username="employer_jl", role=User.Role.EMPLOYER, unit=unit_b)  # no placements: no claim
    start = timezone.localdate().replace(day=1) - timedelta(days=120)
    FiledPlacementFactory(post=ApprovedPostFactory(unit=unit_a), signed_on=start.replace(day=1),
                          planned_end=start.replace(day=1) + timedelta(days=360))
    demo.load_demo()
    demo.load_demo()
    claim = Claim.objects.get()
    assert (claim.unit, claim.created_by, claim.status) == (unit_a, employer, "approved")
    assert claim.lines.count() == 3
    assert claim.total == Decimal("6360.00")  # three full months at 2120.00 (长春 class 1 since 2024-10-01)
    assert claim.paid_total == Decimal("3180.00") == Disbursement.objects.get().amount
