"""Accident insurance, mentors (limited number of trainees each) and training records."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from trainees.services import (
    mentor_create,
    placement_assign_mentor,
    placement_set_insurance,
    placement_start,
    training_add,
)
from trainees.tests.factories import MentorFactory, TraineeFactory

pytestmark = pytest.mark.django_db


def test_insurance_period_must_run_forward(grad_cc, post_a, sign, employer_a):
    placement = sign(grad_cc, post_a)
    with pytest.raises(ValidationError) as exc:
        placement_set_insurance(
            placement_id=placement.pk,
            insurer="人保",
            policy_no="P1",
            insured_from=date(2026, 3, 1),
            insured_to=date(2026, 3, 1),
            by=employer_a,
        )
    assert exc.value.message_dict["insurance_to"] == ["保险止期 2026-03-01 应晚于起期 2026-03-01。"]


def test_mentor_guides_at_most_the_configured_number(settings, post_a, sign, employer_a):
    settings.MENTOR_MAX_TRAINEES = 2
    post_a.slots = 5
    post_a.save()
    mentor = mentor_create(unit=post_a.unit, name="刘工", position="财务主管", phone="13904311234", by=employer_a)
    placements = [sign(TraineeFactory(), post_a) for _ in range(3)]
    for placement in placements[:2]:
        placement_assign_mentor(placement_id=placement.pk, mentor_id=mentor.pk, by=employer_a)
    with pytest.raises(ValidationError) as exc:
        placement_assign_mentor(placement_id=placements[2].pk, mentor_id=mentor.pk, by=employer_a)
    assert exc.value.message_dict["mentor"] == ["带教老师刘工已带教 2 名见习人员，每名带教老师最多带教 2 名。"]


def test_a_mentors_own_limit_overrides_the_default(post_a, sign, employer_a):
    mentor = MentorFactory(unit=post_a.unit, max_trainees=1)
    first, second = sign(TraineeFactory(), post_a), sign(TraineeFactory(), post_a)
    placement_assign_mentor(placement_id=first.pk, mentor_id=mentor.pk, by=employer_a)
    with pytest.raises(ValidationError):
        placement_assign_mentor(placement_id=second.pk, mentor_id=mentor.pk, by=employer_a)


def test_default_limit_is_three(post_a, sign, employer_a):
    post_a.slots = 5
    post_a.save()
    mentor = MentorFactory(unit=post_a.unit)
    for _ in range(3):
        placement_assign_mentor(placement_id=sign(TraineeFactory(), post_a).pk, mentor_id=mentor.pk, by=employer_a)
    with pytest.raises(ValidationError):
        placement_assign_mentor(placement_id=sign(TraineeFactory(), post_a).pk, mentor_id=mentor.pk, by=employer_a)


def test_mentor_must_belong_to_the_placements_unit(grad_cc, post_a, sign, employer_a, unit_b):
    placement = sign(grad_cc, post_a)
    with pytest.raises(ValidationError) as exc:
        placement_assign_mentor(placement_id=placement.pk, mentor_id=MentorFactory(unit=unit_b).pk, by=employer_a)
    assert exc.value.message_dict["mentor"] == ["请选择本单位的带教老师。"]


def test_pre_job_training_before_the_start_and_skills_training_during(grad_cc, post_a, sign, employer_a):
    placement = sign(grad_cc, post_a)
    pre = training_add(
        placement_id=placement.pk,
        kind="pre_job",
        on=date(2026, 3, 1),
        content="安全生产与岗位规范",
        hours="8",
        by=employer_a,
    )
    with pytest.raises(ValidationError) as exc:
        training_add(
            placement_id=placement.pk, kind="skills", on=date(2026, 3, 3), content="财务软件", hours=4, by=employer_a
        )
    assert "请先登记到岗" in exc.value.message_dict["on"][0]
    placement_start(placement_id=placement.pk, started_on=date(2026, 3, 2), by=employer_a)
    skills = training_add(
        placement_id=placement.pk,
        kind="skills",
        on=date(2026, 4, 10),
        content="财务软件操作",
        hours="2.5",
        by=employer_a,
    )
    with pytest.raises(ValidationError):
        training_add(
            placement_id=placement.pk,
            kind="pre_job",
            on=date(2026, 3, 5),
            content="迟到的岗前培训",
            hours=2,
            by=employer_a,
        )
    assert [(t.kind, t.on, str(t.hours)) for t in placement.trainings.all()] == [
        ("pre_job", date(2026, 3, 1), "8.0"),
        ("skills", date(2026, 4, 10), "2.5"),
    ]
    assert pre.pk and skills.pk


def test_training_hours_must_be_positive(grad_cc, post_a, sign, employer_a):
    placement = sign(grad_cc, post_a)
    with pytest.raises(ValidationError) as exc:
        training_add(
            placement_id=placement.pk, kind="pre_job", on=date(2026, 3, 1), content="培训", hours=0, by=employer_a
        )
    assert "学时" in exc.value.message_dict["hours"][0]
