from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from jianxi_portal.core.review import review_deadline_for
from positions.models import Post, PostCategory
from units.tests.factories import ApprovedUnitFactory


class PostFactory(DjangoModelFactory):
    """A draft post of an approved unit (in 长春市 unless `unit` is given)."""

    class Meta:
        model = Post

    unit = factory.SubFactory(ApprovedUnitFactory)
    region = factory.LazyAttribute(lambda o: o.unit.region)
    district = factory.LazyAttribute(lambda o: o.unit.district)
    title = factory.Sequence(lambda n: f"见习岗位{n}")
    category = PostCategory.TECHNICAL
    slots = 3
    duration_months = 6
    allowance = Decimal("1300.00")  # above the 2024 floor of 长春 class 1 (2120 × 60% = 1272)
    majors = "计算机科学与技术"


class ApprovedPostFactory(PostFactory):
    """A published post."""

    status = Post.Status.APPROVED
    first_approved_on = factory.LazyFunction(timezone.localdate)
    published_on = factory.LazyAttribute(lambda o: o.first_approved_on)


class SubmittedPostFactory(PostFactory):
    """A post awaiting review, submitted today (deadline: 15 working days later)."""

    status = Post.Status.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)
    review_deadline = factory.LazyFunction(lambda: review_deadline_for(timezone.localdate()))
