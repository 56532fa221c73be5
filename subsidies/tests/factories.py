from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from jianxi_portal.tests.factories import UserFactory
from subsidies.models import Claim, Disbursement
from units.tests.factories import ApprovedUnitFactory


class ClaimFactory(DjangoModelFactory):
    class Meta:
        model = Claim

    unit = factory.SubFactory(ApprovedUnitFactory)
    region = factory.LazyAttribute(lambda o: o.unit.region)
    period_from = date(2026, 3, 1)
    period_to = date(2026, 3, 1)
    created_by = factory.SubFactory(UserFactory, role="employer")


class ApprovedClaimFactory(ClaimFactory):
    status = Claim.Status.APPROVED
    total = Decimal("1880.00")
    approved_amount = Decimal("1880.00")


class DisbursementFactory(DjangoModelFactory):
    class Meta:
        model = Disbursement

    claim = factory.SubFactory(ApprovedClaimFactory)
    region = factory.LazyAttribute(lambda o: o.claim.region)
    amount = Decimal("1000.00")
    paid_on = date(2026, 3, 31)
    funding_level = Disbursement.FundingLevel.PROVINCE
    recorded_by = factory.SubFactory(UserFactory, role="city", region=factory.SelfAttribute("..region"))
