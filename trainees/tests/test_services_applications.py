"""Applications: only open posts, once per post; acceptance signs a planned placement."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jianxi_portal.core.models import Notification
from positions.models import Post
from positions.tests.factories import ApprovedPostFactory, PostFactory
from trainees.models import Application, Placement
from trainees.services import (
    application_accept,
    application_create,
    application_decline,
    application_withdraw,
)
from trainees.tests.factories import TraineeFactory, YouthTraineeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(youth, changchun):
    return TraineeFactory(user=youth, name="青年甲", region=changchun)


def test_youth_applies_to_an_open_post_and_the_employer_is_notified(applicant, youth, post_a, employer_a):
    application = application_create(post_id=post_a.pk, by=youth, note="会计专业，可立即到岗")
    assert (application.trainee, application.status, application.note) == (applicant, "pending", "会计专业，可立即到岗")
    assert Notification.objects.filter(recipient=employer_a, title__contains="会计见习").exists()


@pytest.mark.parametrize(
    "change",
    [
        {"status": Post.Status.CLOSED},
        {"closing_date": "yesterday"},
    ],
)
def test_nobody_applies_to_a_closed_post(applicant, youth, post_a, change):
    if change.get("closing_date") == "yesterday":
        change = {"closing_date": timezone.localdate() - timedelta(days=1)}
    Post.objects.filter(pk=post_a.pk).update(**change)
    with pytest.raises(ValidationError) as exc:
        application_create(post_id=post_a.pk, by=youth)
    assert exc.value.message_dict["post"] == ["该岗位未发布、已关闭或已过报名截止日期，不能申请。"]
    assert not Application.objects.exists()


def test_post_open_on_its_closing_date(applicant, youth, post_a):
    Post.objects.filter(pk=post_a.pk).update(closing_date=timezone.localdate())
    assert application_create(post_id=post_a.pk, by=youth).status == "pending"


def test_nobody_applies_to_an_unpublished_post(applicant, youth, unit_a):
    draft = PostFactory(unit=unit_a, allowance=Decimal("1500"))
    with pytest.raises(ValidationError):
        application_create(post_id=draft.pk, by=youth)


def test_one_application_per_trainee_per_post(applicant, youth, post_a):
    application_create(post_id=post_a.pk, by=youth)
    with pytest.raises(ValidationError) as exc:
        application_create(post_id=post_a.pk, by=youth)
    assert exc.value.message_dict["post"] == ["您已申请过该岗位，每个岗位只能申请一次。"]
    assert Application.objects.count() == 1


def test_youth_without_a_record_must_register_first(youth, post_a):
    with pytest.raises(ValidationError) as exc:
        application_create(post_id=post_a.pk, by=youth)
    assert "登记个人信息" in exc.value.messages[0]


def test_only_young_people_apply(employer_a, post_a):
    with pytest.raises(PermissionDenied):
        application_create(post_id=post_a.pk, by=employer_a)


def test_acceptance_signs_a_planned_placement_and_withdraws_other_applications(
    applicant, youth, post_a, unit_a, employer_a
):
    other_post = ApprovedPostFactory(unit=unit_a, allowance=Decimal("1500"))
    application = application_create(post_id=post_a.pk, by=youth)
    other = application_create(post_id=other_post.pk, by=youth)
    placement = application_accept(
        application_id=application.pk, by=employer_a, signed_on=date(2026, 3, 1), planned_start=date(2026, 3, 2)
    )
    application.refresh_from_db()
    other.refresh_from_db()
    assert (
        placement.status,
        placement.application,
        placement.signed_on,
        placement.planned_start,
        placement.planned_end,
    ) == ("planned", application, date(2026, 3, 1), date(2026, 3, 2), date(2026, 9, 1))
    assert application.status == "accepted" and other.status == "withdrawn"
    assert Notification.objects.filter(recipient=youth, title__contains="已被录用").exists()


def test_acceptance_of_an_ineligible_applicant_saves_nothing(youth, post_a, employer_a, changchun):
    YouthTraineeFactory(user=youth, birth=date(2010, 5, 10), region=changchun)
    application = application_create(post_id=post_a.pk, by=youth)
    with pytest.raises(ValidationError) as exc:
        application_accept(
            application_id=application.pk, by=employer_a, signed_on=date(2026, 5, 9), planned_start=date(2026, 5, 9)
        )
    assert "年龄不足16周岁" in exc.value.message_dict["trainee"][0]
    application.refresh_from_db()
    assert application.status == "pending" and not Placement.objects.exists()


def test_another_units_employer_cannot_accept(applicant, youth, post_a, employer_b):
    application = application_create(post_id=post_a.pk, by=youth)
    with pytest.raises(PermissionDenied):
        application_accept(
            application_id=application.pk, by=employer_b, signed_on=date(2026, 3, 1), planned_start=date(2026, 3, 1)
        )


def test_declined_application_cannot_be_accepted_later(applicant, youth, post_a, employer_a):
    application = application_create(post_id=post_a.pk, by=youth)
    application_decline(application_id=application.pk, by=employer_a, note="专业不符")
    with pytest.raises(ValidationError):
        application_accept(
            application_id=application.pk, by=employer_a, signed_on=date(2026, 3, 1), planned_start=date(2026, 3, 1)
        )
    application.refresh_from_db()
    assert (application.status, application.decision_note) == ("declined", "专业不符")


def test_only_the_applicant_withdraws_a_pending_application(applicant, youth, post_a, employer_a):
    application = application_create(post_id=post_a.pk, by=youth)
    with pytest.raises(PermissionDenied):
        application_withdraw(application_id=application.pk, by=employer_a)
    assert application_withdraw(application_id=application.pk, by=youth).status == "withdrawn"


def test_someone_already_placed_cannot_apply_again(applicant, youth, post_a, unit_a, sign):
    sign(applicant, post_a)
    other_post = ApprovedPostFactory(unit=unit_a, allowance=Decimal("1500"))
    with pytest.raises(ValidationError) as exc:
        application_create(post_id=other_post.pk, by=youth)
    assert "每人只能参加一次" in exc.value.message_dict["post"][0]
