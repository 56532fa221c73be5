"""Invariants under concurrent requests (PostgreSQL row locks): two signings started together.

Each check is slowed down (a pause after it reads, before it writes) so that without the row lock
both requests would pass it: with the lock, the second waits for the first to commit and then sees
its row. Removing the `select_for_update` makes these tests fail."""

import time
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jianxi_portal.tests.concurrency import run_together
from positions.tests.factories import ApprovedPostFactory
from trainees.models import Application, Mentor, Placement
from trainees.services import placements as placement_services
from trainees.services import records as record_services
from trainees.services.applications import application_create
from trainees.services.placements import sign_placement
from trainees.services.records import placement_assign_mentor
from trainees.tests.factories import TraineeFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PAUSE = 0.4


def slowed(monkeypatch, module, name):
    original = getattr(module, name)

    def slow(*args, **kwargs):
        result = original(*args, **kwargs)
        time.sleep(PAUSE)
        return result

    monkeypatch.setattr(module, name, slow)


def sign_call(trainee, post, user):
    return lambda: sign_placement(
        trainee_id=trainee.pk, post_id=post.pk, signed_on=date(2026, 3, 1), planned_start=date(2026, 3, 1), by=user
    )


def test_last_slot_goes_to_exactly_one_of_two_concurrent_signings(monkeypatch, unit_a, city_cc):
    post = ApprovedPostFactory(unit=unit_a, slots=1, allowance=Decimal("1500"))
    first, second = TraineeFactory(), TraineeFactory()
    slowed(monkeypatch, placement_services, "check_slots")
    results = run_together(sign_call(first, post, city_cc), sign_call(second, post, city_cc))
    assert sorted(type(r).__name__ for r in results) == ["Placement", "ValidationError"]
    refused = next(r for r in results if isinstance(r, ValidationError))
    assert "名额已满" in refused.message_dict["post"][0]
    assert Placement.objects.filter(post=post, status__in=Placement.ACTIVE).count() == 1


def test_one_trainee_signed_on_two_posts_at_once_gets_one_placement(monkeypatch, unit_a, city_cc):
    post_1 = ApprovedPostFactory(unit=unit_a, allowance=Decimal("1500"))
    post_2 = ApprovedPostFactory(unit=unit_a, allowance=Decimal("1500"))
    trainee = TraineeFactory()
    slowed(monkeypatch, placement_services, "check_overlap")
    results = run_together(sign_call(trainee, post_1, city_cc), sign_call(trainee, post_2, city_cc))
    # The refusal is the service's message (lock), not the database backstop's IntegrityError.
    assert sorted(type(r).__name__ for r in results) == ["Placement", "ValidationError"]
    refused = next(r for r in results if isinstance(r, ValidationError))
    assert "重叠" in refused.message_dict["trainee"][0]
    assert Placement.objects.filter(trainee=trainee).count() == 1


def test_two_concurrent_applications_to_one_post_leave_one(unit_a, youth):
    post = ApprovedPostFactory(unit=unit_a, allowance=Decimal("1500"))
    TraineeFactory(user=youth)
    results = run_together(
        lambda: application_create(post_id=post.pk, by=youth), lambda: application_create(post_id=post.pk, by=youth)
    )
    assert sorted(type(r).__name__ for r in results) == ["Application", "ValidationError"]
    assert Application.objects.filter(post=post).count() == 1


def test_mentor_last_place_goes_to_one_of_two_concurrent_assignments(
    monkeypatch, settings, unit_a, city_cc, employer_a
):
    settings.MENTOR_MAX_TRAINEES = 1
    post = ApprovedPostFactory(unit=unit_a, allowance=Decimal("1500"), slots=3)
    placements = [sign_call(TraineeFactory(), post, city_cc)() for _ in range(2)]
    mentor = Mentor.objects.create(unit=unit_a, name="周工", position="主管", phone="13904310000")
    slowed(monkeypatch, record_services, "mentor_load")
    results = run_together(
        *[
            lambda p=p: placement_assign_mentor(placement_id=p.pk, mentor_id=mentor.pk, by=employer_a)
            for p in placements
        ]
    )
    assert sorted(type(r).__name__ for r in results) == ["Placement", "ValidationError"]
    assert Placement.objects.filter(mentor=mentor).count() == 1
