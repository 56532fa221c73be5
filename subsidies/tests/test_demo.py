"""The demo claims are made through the services and only once."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine

from jianxi_portal.core.models import User
from jianxi_portal.tests.factories import UserFactory
from positions.tests.factories import ApprovedPostFactory
from subsidies import demo
from subsidies.models import Claim, Disbursement
from subsidies.tests.factories import FiledPlacementFactory


@time_machine.travel(datetime(2026, 12, 3, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_demo_claims_are_made_once_through_the_services(unit_a, unit_b, changchun):
    employer = UserFactory(username="employer_cc", role=User.Role.EMPLOYER, unit=unit_a)
    UserFactory(username="city_changchun", role=User.Role.CITY, region=changchun)
    UserFactory(username="employer_jl", role=User.Role.EMPLOYER, unit=unit_b)  # no placements: no claim
    start = date(2026, 8, 1)
    FiledPlacementFactory(
        post=ApprovedPostFactory(unit=unit_a), signed_on=start, planned_end=start + timedelta(days=360)
    )
    demo.load_demo(date(2026, 12, 3))
    demo.load_demo(date(2026, 12, 3))
    claim = Claim.objects.get()
    assert (claim.period_from, claim.period_to) == (date(2026, 9, 1), date(2026, 11, 1))  # the last three months
    assert (claim.unit, claim.created_by, claim.status) == (unit_a, employer, "approved")
    assert claim.lines.count() == 3
    assert claim.total == Decimal("6360.00")  # three full months at 2120.00 (长春 class 1 since 2024-10-01)
    assert claim.paid_total == Decimal("3180.00") == Disbursement.objects.get().amount
    assert Disbursement.objects.get().paid_on == date(2026, 12, 3)
