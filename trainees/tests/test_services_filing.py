"""Filing (上报备案) through the shared review workflow, and the review queue source."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jianxi_portal.core import review_queue
from jianxi_portal.core.review import InvalidTransition
from jianxi_portal.core.workdays import add_working_days
from trainees.models import Trainee
from trainees.services import (
    placement_assign_mentor,
    placement_filing,
    placement_set_insurance,
    placement_start,
)
from trainees.tests.factories import MentorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(grad_cc, post_a, sign, employer_a):
    """A planned placement with its insurance and mentor recorded, ready to file."""
    placement = sign(grad_cc, post_a)
    placement_set_insurance(
        placement_id=placement.pk,
        insurer="中国人寿吉林分公司",
        policy_no="PICC-2026-001",
        insured_from=date(2026, 3, 1),
        insured_to=date(2026, 8, 31),
        by=employer_a,
    )
    mentor = MentorFactory(unit=post_a.unit)
    return placement_assign_mentor(placement_id=placement.pk, mentor_id=mentor.pk, by=employer_a)


def test_filing_needs_the_insurance_and_the_mentor(grad_cc, post_a, sign, employer_a):
    placement = sign(grad_cc, post_a)
    with pytest.raises(ValidationError) as exc:
        placement_filing(placement_id=placement.pk, action="submit", by=employer_a)
    assert set(exc.value.message_dict) == {"insurer", "mentor"}
    placement.refresh_from_db()
    assert placement.filing_status == "draft"


def test_employer_files_and_the_city_confirms_within_fifteen_working_days(agreement, employer_a, city_cc):
    placement = placement_filing(placement_id=agreement.pk, action="submit", by=employer_a)
    today = timezone.localdate()
    assert (placement.filing_status, placement.review_deadline) == ("submitted", add_working_days(today, 15))
    placement = placement_filing(placement_id=agreement.pk, action="approve", by=city_cc, opinion="材料齐全")
    assert (placement.filing_status, placement.first_approved_on) == ("approved", today)


def test_only_the_city_of_the_region_confirms(agreement, employer_a, city_jl):
    placement_filing(placement_id=agreement.pk, action="submit", by=employer_a)
    for outsider in (employer_a, city_jl):
        with pytest.raises(PermissionDenied):
            placement_filing(placement_id=agreement.pk, action="approve", by=outsider)


def test_return_needs_an_opinion_and_the_employer_files_again(agreement, employer_a, city_cc):
    placement_filing(placement_id=agreement.pk, action="submit", by=employer_a)
    with pytest.raises(ValidationError):
        placement_filing(placement_id=agreement.pk, action="return", by=city_cc)
    placement_filing(placement_id=agreement.pk, action="return", by=city_cc, opinion="保单号有误")
    assert placement_filing(placement_id=agreement.pk, action="submit", by=employer_a).filing_status == "submitted"


def test_approval_rechecks_eligibility_on_the_signing_date(agreement, employer_a, city_cc):
    placement_filing(placement_id=agreement.pk, action="submit", by=employer_a)
    Trainee.objects.filter(pk=agreement.trainee_id).update(employed=True)
    with pytest.raises(ValidationError) as exc:
        placement_filing(placement_id=agreement.pk, action="approve", by=city_cc)
    assert "已就业人员" in exc.value.messages[0]


def test_start_may_be_recorded_while_the_filing_is_pending(agreement, employer_a):
    placement_filing(placement_id=agreement.pk, action="submit", by=employer_a)
    placement = placement_start(placement_id=agreement.pk, started_on=date(2026, 3, 2), by=employer_a)
    assert (placement.status, placement.filing_status) == ("on_duty", "submitted")


def test_approving_twice_is_an_invalid_transition(agreement, employer_a, city_cc):
    placement_filing(placement_id=agreement.pk, action="submit", by=employer_a)
    placement_filing(placement_id=agreement.pk, action="approve", by=city_cc)
    with pytest.raises(InvalidTransition):
        placement_filing(placement_id=agreement.pk, action="approve", by=city_cc)


def test_filings_wait_in_the_city_review_queue(agreement, employer_a, city_cc, city_jl):
    assert review_queue.SOURCES["filing"].model is type(agreement)
    placement_filing(placement_id=agreement.pk, action="submit", by=employer_a)
    items = review_queue.PendingQueue(city_cc, review_queue.QueueFilter(kinds=("filing",)))[0:50]
    assert [(i.obj.pk, i.source.label) for i in items] == [(agreement.pk, "见习协议备案")]
    assert items[0].title == "张明 · 长春甲单位 · 会计见习"
    assert items[0].url == f"/placements/{agreement.pk}/"
    assert review_queue.PendingQueue(city_jl, review_queue.QueueFilter(kinds=("filing",)))[0:50] == []


def test_queue_decisions_go_through_the_filing_service(agreement, employer_a, city_cc):
    placement_filing(placement_id=agreement.pk, action="submit", by=employer_a)
    Trainee.objects.filter(pk=agreement.trainee_id).update(employed=True)
    source = review_queue.get_source("filing")
    with pytest.raises(ValidationError):
        review_queue.decide(source, agreement.pk, action="approve", by=city_cc)
    Trainee.objects.filter(pk=agreement.trainee_id).update(employed=False)
    assert review_queue.decide(source, agreement.pk, action="approve", by=city_cc).filing_status == "approved"
