"""Shared set-up of the outreach tests: registered young people with a profile, published posts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jianxi_portal.core.models import Region, User
from jianxi_portal.tests.factories import UserFactory
from positions.tests.factories import ApprovedPostFactory
from trainees.tests.factories import TraineeFactory


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def make_seeker(db):
    """`make_seeker(major=..., education=..., region="changchun", prefer=[codes], categories=[...])`:
    a young person with an account and a trainee record (their profile follows by the save signal)."""
    counter = iter(range(1, 10_000))

    def make(*, major="会计学", education="bachelor", region="changchun", prefer=(), categories=(), email="",
             **trainee_fields):
        n = next(counter)
        user = UserFactory(username=f"seeker{n}", role=User.Role.YOUTH, email=email)
        trainee = TraineeFactory(user=user, major=major, education=education,
                                 region=Region.objects.get(code=region), name=f"求职者{n}", **trainee_fields)
        profile = trainee.seeker
        if prefer or categories:
            profile.categories = list(categories)
            profile.save()
            profile.preferred_regions.set(Region.objects.filter(code__in=prefer))
        return profile

    return make


@pytest.fixture
def make_post(db):
    """`make_post(unit=..., majors=..., published_days_ago=0, **fields)`: a published post."""

    def make(*, published_days_ago=0, **fields):
        day = timezone.localdate() - timedelta(days=published_days_ago)
        return ApprovedPostFactory(first_approved_on=day, published_on=day, **fields)

    return make
