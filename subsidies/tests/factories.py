from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from jianxi_portal.core.review import ReviewStatus
from jianxi_portal.tests.factories import UserFactory
from subsidies.models import Claim, Disbursement
from trainees.tests.factories import OnDutyPlacementFactory
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


class FiledPlacementFactory(OnDutyPlacementFactory):
    """On duty since `planned_start` (2026-03-01 unless given), its filing confirmed by the city and
    insured against accidents for the agreed period: a placement that earns subsidies. Pass
    `post__unit=unit` for a unit's placement, `trainee__category=...` for another category."""

    filing_status = ReviewStatus.APPROVED
    first_approved_on = factory.LazyAttribute(lambda o: o.planned_start)
    insurer = "中国人寿财产保险股份有限公司"
    insurance_policy_no = factory.Sequence(lambda n: f"PICC2026{n:06d}")
    insurance_from = factory.LazyAttribute(lambda o: o.planned_start)
    insurance_to = factory.LazyAttribute(lambda o: o.planned_end)
