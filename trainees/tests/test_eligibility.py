"""Eligibility on the signing date (DESIGN.md, Trainee categories): boundary dates written out by hand."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from jianxi_portal.core.dates import add_months
from trainees.dates import add_years, age_on, period_end
from trainees.eligibility import eligibility_failures
from trainees.models import Placement, TraineeCategory
from trainees.services.events import placement_cancel, placement_complete, placement_start
from trainees.tests.factories import TraineeFactory, YouthTraineeFactory

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------------------ calendar arithmetic


def test_age_counts_the_birthday_itself():
    assert age_on(date(2010, 5, 10), date(2026, 5, 9)) == 15
    assert age_on(date(2010, 5, 10), date(2026, 5, 10)) == 16


def test_leap_day_birthday_falls_on_first_of_march_in_common_years():
    assert add_years(date(2000, 2, 29), 25) == date(2025, 3, 1)
    assert add_years(date(2000, 2, 29), 24) == date(2024, 2, 29)
    assert age_on(date(2000, 2, 29), date(2025, 2, 28)) == 24
    assert age_on(date(2000, 2, 29), date(2025, 3, 1)) == 25


def test_agreed_period_ends_the_day_before_the_same_date_months_later():
    assert period_end(date(2026, 3, 1), 6) == date(2026, 8, 31)
    assert period_end(date(2026, 3, 15), 6) == date(2026, 9, 14)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


# ------------------------------------------------------------------------------ graduates: 2 years


def test_graduate_eligible_when_diploma_is_exactly_two_years_before_signing():
    trainee = TraineeFactory(left_school_on=date(2024, 7, 1))
    assert eligibility_failures(trainee, date(2026, 7, 1)) == []


def test_graduate_refused_one_day_after_two_years_with_the_dates():
    trainee = TraineeFactory(left_school_on=date(2024, 7, 1))
    failures = eligibility_failures(trainee, date(2026, 7, 2))
    assert failures == [
        "离校已超过2年：毕业（离校）日期 2024-07-01，协议签订日期 2026-07-02，离校2年内的最后一天为 2026-07-01。"
    ]


def test_vocational_graduate_follows_the_same_two_year_rule():
    trainee = TraineeFactory(category=TraineeCategory.VOCATIONAL_GRADUATE, left_school_on=date(2024, 6, 30))
    assert eligibility_failures(trainee, date(2026, 6, 30)) == []
    assert "离校已超过2年" in eligibility_failures(trainee, date(2026, 7, 1))[0]


def test_graduate_who_has_not_left_school_yet_is_refused():
    trainee = TraineeFactory(left_school_on=date(2026, 7, 1))
    assert eligibility_failures(trainee, date(2026, 6, 30)) == [
        "尚未毕业：毕业（离校）日期 2026-07-01 晚于协议签订日期 2026-06-30。"
    ]


# ------------------------------------------------------------------------------ unemployed youth: 16 ≤ age < 25


def test_youth_refused_the_day_before_turning_16():
    trainee = YouthTraineeFactory(birth=date(2010, 5, 10))
    assert eligibility_failures(trainee, date(2026, 5, 9)) == [
        "年龄不足16周岁：出生日期 2010-05-10，2026-05-10 年满16周岁，协议签订日期 2026-05-09。"
    ]


def test_youth_eligible_on_the_16th_birthday():
    trainee = YouthTraineeFactory(birth=date(2010, 5, 10))
    assert eligibility_failures(trainee, date(2026, 5, 10)) == []


def test_youth_eligible_the_day_before_the_25th_birthday():
    trainee = YouthTraineeFactory(birth=date(2001, 5, 10))
    assert eligibility_failures(trainee, date(2026, 5, 9)) == []


def test_youth_refused_on_the_25th_birthday():
    trainee = YouthTraineeFactory(birth=date(2001, 5, 10))
    assert eligibility_failures(trainee, date(2026, 5, 10)) == [
        "年龄已满25周岁：出生日期 2001-05-10，2026-05-10 年满25周岁，协议签订日期 2026-05-10；失业青年须为16—24岁。"
    ]


def test_youth_must_be_registered_unemployed():
    trainee = YouthTraineeFactory(unemployment_registered=False)
    assert eligibility_failures(trainee, date(2026, 3, 1)) == ["人员类别为“16—24岁失业青年”，须已进行失业登记。"]


def test_employed_person_is_refused():
    trainee = TraineeFactory(employed=True)
    assert eligibility_failures(trainee, date(2026, 3, 1)) == [
        "已就业人员不能参加就业见习（人员信息中登记为“已就业”）。"
    ]


# ------------------------------------------------------------------------------ a person takes part once


def test_second_placement_refused_for_someone_who_already_took_part(grad_cc, post_a, sign, city_cc):
    first = sign(grad_cc, post_a, signed_on=date(2025, 9, 1))
    placement_start(placement_id=first.pk, started_on=date(2025, 9, 1), by=city_cc)
    placement_complete(placement_id=first.pk, ended_on=date(2026, 2, 28), by=city_cc)
    with pytest.raises(ValidationError) as exc:
        sign(grad_cc, post_a, signed_on=date(2026, 3, 1))
    assert exc.value.message_dict["trainee"] == [
        "已参加过就业见习：2025-09-01 与“长春甲单位”签订见习协议（2025-09-01 至 2026-02-28，已结束），"
        "每人只能参加一次。"
    ]
    assert Placement.objects.filter(trainee=grad_cc).count() == 1


def test_a_cancelled_agreement_does_not_count_as_taking_part(grad_cc, post_a, sign, city_cc):
    first = sign(grad_cc, post_a, signed_on=date(2026, 3, 1))
    placement_cancel(placement_id=first.pk, cancelled_on=date(2026, 3, 2), reason="本人放弃", by=city_cc)
    second = sign(grad_cc, post_a, signed_on=date(2026, 3, 10))
    assert second.status == Placement.Status.PLANNED


def test_ineligible_trainee_cannot_be_placed_and_nothing_is_saved(post_a, sign):
    youth = YouthTraineeFactory(birth=date(2010, 5, 10))
    with pytest.raises(ValidationError) as exc:
        sign(youth, post_a, signed_on=date(2026, 5, 9))
    assert "年龄不足16周岁" in exc.value.message_dict["trainee"][0]
    assert not Placement.objects.exists()


def test_youth_placed_on_the_16th_birthday(post_a, sign):
    youth = YouthTraineeFactory(birth=date(2010, 5, 10))
    placement = sign(youth, post_a, signed_on=date(2026, 5, 10))
    assert placement.category == TraineeCategory.UNEMPLOYED_YOUTH
