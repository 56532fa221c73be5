"""Shared set-up of the outreach tests: a fixed clock (1 December 2026, 10:00 in Asia/Shanghai;
tests never read the real clock), registered young people with a profile and their consents,
published posts."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from jianxi_portal.core.models import Region, User
from jianxi_portal.tests.factories import UserFactory
from positions.tests.factories import ApprovedPostFactory
from trainees.models import ConsentChange
from trainees.services.consent import consent_set
from trainees.tests.factories import TraineeFactory

TODAY = date(2026, 12, 1)
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def today():
    return TODAY


@pytest.fixture
def make_seeker(db):
    """`make_seeker(major=..., education=..., region="changchun", prefer=[codes], categories=[...],
    consents=("push", "digest", "employers"))`: a young person with an account and a trainee record
    (their profile follows by the save signal) who ticked the given consents on their page."""
    counter = iter(range(1, 10_000))

    def make(
        *,
        major="会计学",
        education="bachelor",
        region="changchun",
        prefer=(),
        categories=(),
        email="",
        consents=("push", "digest", "employers"),
        **trainee_fields,
    ):
        n = next(counter)
        user = UserFactory(username=f"seeker{n}", role=User.Role.YOUTH, email=email)
        trainee = TraineeFactory(
            user=user,
            major=major,
            education=education,
            region=Region.objects.get(code=region),
            name=f"求职者{n}",
            **trainee_fields,
        )
        if consents:
            consent_set(
                trainee_id=trainee.pk, by=user, source=ConsentChange.Source.PROFILE, **dict.fromkeys(consents, True)
            )
        profile = trainee.seeker
        profile.refresh_from_db()
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
        day = TODAY - timedelta(days=published_days_ago)
        return ApprovedPostFactory(first_approved_on=day, published_on=day, **fields)

    return make
