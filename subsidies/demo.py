"""Demo claims for `load_demo`, made through the services from the demo units' filed placements
(created by the trainees demo): 长春's claim for the last three ended months is approved and half
paid from central funds; 吉林's waits in the city's review queue. A unit without filed placements
gets no claim. Idempotent: a unit that already has a claim is left alone."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from jianxi_portal.core.models import User
from subsidies import services
from subsidies.calculator import month_start
from subsidies.models import Claim

DEMO = [("employer_cc", "city_changchun", True), ("employer_jl", "city_jilin", False)]


def _last_three_months(today: date):
    last = month_start(today) - timedelta(days=1)
    first = month_start(month_start(month_start(last) - timedelta(days=1)) - timedelta(days=1))
    return first, month_start(last)


def _demo_claim(employer: User, reviewer: User | None, pay: bool, today: date) -> Claim | None:
    first, last = _last_three_months(today)
    try:
        claim = services.claim_create(unit_id=employer.unit_id, period_from=first, period_to=last, by=employer)
    except ValidationError:
        return None  # nothing to claim for this unit (no filed placement on duty)
    if services.claim_submission_problems(claim) or reviewer is None:
        return claim
    services.claim_submit(claim_id=claim.pk, by=employer)
    if pay:
        claim = services.claim_approve(claim_id=claim.pk, by=reviewer, opinion="材料齐全，同意拨付。")
        half = (claim.approved_amount / 2).quantize(claim.approved_amount)
        services.disbursement_record(
            claim_id=claim.pk,
            amount=half,
            paid_on=today,
            funding_level="central",
            voucher_no=f"DEMO-{claim.pk:05d}",
            by=reviewer,
        )
    return claim


def load_demo(today: date) -> None:
    for username, reviewer_name, pay in DEMO:
        employer = User.objects.filter(username=username, unit__isnull=False).first()
        if employer is None or Claim.objects.filter(unit_id=employer.unit_id).exists():
            continue
        reviewer = User.objects.filter(username=reviewer_name).first()
        with transaction.atomic():
            _demo_claim(employer, reviewer, pay, today)
