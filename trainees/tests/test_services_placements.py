"""Signing placements and their lifecycle events, with the exact dates stored and every refusal."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jianxi_portal.core.models import ReviewLog
from jianxi_portal.core.review import InvalidTransition
from positions.models import Post
from positions.tests.factories import ApprovedPostFactory
from trainees.models import Placement
from trainees.services import (
    placement_cancel,
    placement_complete,
    placement_create,
    placement_record_outcome,
    placement_retain,
    placement_start,
    placement_terminate,
)
from trainees.tests.factories import TraineeFactory
from units.models import Unit

pytestmark = pytest.mark.django_db


def actions(placement):
    return list(
        ReviewLog.objects.filter(object_id=placement.pk, content_type__model="placement").values_list(
            "action", flat=True
        )
    )


@pytest.fixture
def on_duty(grad_cc, post_a, sign, city_cc):
    """Signed 2026-03-01, planned 2026-03-01 to 2026-08-31, arrived 2026-03-02."""
    placement = sign(grad_cc, post_a)
    return placement_start(placement_id=placement.pk, started_on=date(2026, 3, 2), by=city_cc)


# ------------------------------------------------------------------------------------------- signing


def test_offline_agreement_copies_unit_region_category_and_defaults_the_end(city_cc, grad_cc, post_a):
    placement = placement_create(
        trainee_id=grad_cc.pk, post_id=post_a.pk, signed_on=date(2026, 3, 1), planned_start=date(2026, 3, 1), by=city_cc
    )
    assert (placement.unit, placement.region.code, placement.category) == (post_a.unit, "changchun", "college_graduate")
    assert (placement.planned_end, placement.allowance, placement.status) == (
        date(2026, 8, 31),
        Decimal("1500.00"),
        "planned",
    )
    assert actions(placement) == ["sign"]


def test_city_cannot_place_a_trainee_registered_in_another_region(city_cc, grad_jl, post_a):
    with pytest.raises(ValidationError) as exc:
        placement_create(
            trainee_id=grad_jl.pk,
            post_id=post_a.pk,
            signed_on=date(2026, 3, 1),
            planned_start=date(2026, 3, 1),
            by=city_cc,
        )
    assert "本市（州）登记" in exc.value.message_dict["trainee"][0]


def test_city_cannot_place_on_another_regions_post(city_cc, grad_cc, post_b):
    with pytest.raises(ValidationError):
        placement_create(
            trainee_id=grad_cc.pk,
            post_id=post_b.pk,
            signed_on=date(2026, 3, 1),
            planned_start=date(2026, 3, 1),
            by=city_cc,
        )


def test_employer_cannot_use_the_offline_channel(employer_a, grad_cc, post_a):
    with pytest.raises(PermissionDenied):
        placement_create(
            trainee_id=grad_cc.pk,
            post_id=post_a.pk,
            signed_on=date(2026, 3, 1),
            planned_start=date(2026, 3, 1),
            by=employer_a,
        )


def test_post_never_takes_more_active_placements_than_slots(post_a, sign):
    sign(TraineeFactory(), post_a)
    sign(TraineeFactory(), post_a)
    with pytest.raises(ValidationError) as exc:
        sign(TraineeFactory(), post_a)
    assert exc.value.message_dict["post"] == ["岗位“会计见习”共 2 个名额，已有 2 名待到岗或在岗见习人员，名额已满。"]
    assert Placement.objects.filter(post=post_a).count() == 2


def test_cancelled_and_ended_placements_free_their_slot(post_a, sign, city_cc):
    first, second = sign(TraineeFactory(), post_a), sign(TraineeFactory(), post_a)
    placement_cancel(placement_id=first.pk, cancelled_on=date(2026, 3, 1), reason="未到岗", by=city_cc)
    placement_start(placement_id=second.pk, started_on=date(2026, 3, 1), by=city_cc)
    placement_terminate(placement_id=second.pk, ended_on=date(2026, 4, 1), end_reason="personal", by=city_cc)
    sign(TraineeFactory(), post_a)
    sign(TraineeFactory(), post_a)


def test_trainee_never_has_two_overlapping_placements(grad_cc, post_a, post_b, sign):
    sign(grad_cc, post_a)
    with pytest.raises(ValidationError) as exc:
        sign(grad_cc, post_b, signed_on=date(2026, 4, 1))
    assert exc.value.message_dict["trainee"] == ["与该人员已有的见习协议时间重叠（2026-03-01 至 2026-08-31，待到岗）。"]


def test_allowance_below_sixty_percent_of_the_local_minimum_wage_is_refused(grad_cc, post_a, sign):
    with pytest.raises(ValidationError) as exc:
        sign(grad_cc, post_a, allowance="1271.99")
    assert exc.value.message_dict["allowance"] == [
        "单位发放的生活补贴每月不得低于当地最低工资标准的60%：2026年3月起（2026-03-01）当地最低工资 2120.00 元，"
        "下限 1272.00 元，当前为 1271.99 元。"
    ]
    assert sign(grad_cc, post_a, allowance="1272.00").allowance == Decimal("1272.00")


@pytest.mark.parametrize(
    "planned_end, ok",
    [
        (date(2026, 5, 31), True),
        (date(2026, 5, 30), False),
        (date(2027, 2, 28), True),
        (date(2027, 3, 1), False),
    ],
)
def test_agreed_period_runs_three_to_twelve_months(grad_cc, post_a, sign, planned_end, ok):
    if ok:
        assert sign(grad_cc, post_a, planned_end=planned_end).planned_end == planned_end
    else:
        with pytest.raises(ValidationError) as exc:
            sign(grad_cc, post_a, planned_end=planned_end)
        assert "2026-05-31 至 2027-02-28" in exc.value.message_dict["planned_end"][0]


def test_signing_date_in_the_future_is_refused(grad_cc, post_a, sign):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        sign(grad_cc, post_a, signed_on=tomorrow)
    assert "不能登记未来的日期" in exc.value.message_dict["signed_on"][0]


def test_planned_start_before_signing_is_refused(grad_cc, post_a, sign):
    with pytest.raises(ValidationError) as exc:
        sign(grad_cc, post_a, signed_on=date(2026, 3, 5), planned_start=date(2026, 3, 1))
    assert exc.value.message_dict["planned_start"] == ["计划开始日期 2026-03-01 早于协议签订日期 2026-03-05。"]


def test_no_agreement_on_a_closed_post_or_a_suspended_unit(grad_cc, unit_a, sign):
    closed = ApprovedPostFactory(unit=unit_a, allowance=Decimal("1500"), status=Post.Status.CLOSED)
    with pytest.raises(ValidationError) as exc:
        sign(grad_cc, closed)
    assert "已关闭" in exc.value.message_dict["post"][0]
    open_post = ApprovedPostFactory(unit=unit_a, allowance=Decimal("1500"))
    Unit.objects.filter(pk=unit_a.pk).update(status=Unit.Status.SUSPENDED)
    with pytest.raises(ValidationError) as exc:
        sign(grad_cc, open_post)
    assert "已暂停" in exc.value.message_dict["post"][0]


# ------------------------------------------------------------------------------------------- lifecycle


def test_completed_then_retained(on_duty, city_cc):
    placement_complete(placement_id=on_duty.pk, ended_on=date(2026, 8, 31), by=city_cc)
    placement_record_outcome(
        placement_id=on_duty.pk,
        outcome="retained",
        outcome_on=date(2026, 9, 1),
        by=city_cc,
        contract_signed_on=date(2026, 9, 1),
        contract_months=36,
        social_insurance_paid=True,
    )
    on_duty.refresh_from_db()
    assert (on_duty.started_on, on_duty.ended_on, on_duty.end, on_duty.outcome, on_duty.outcome_on) == (
        date(2026, 3, 2),
        date(2026, 8, 31),
        "completed",
        "retained",
        date(2026, 9, 1),
    )
    assert (on_duty.contract_signed_on, on_duty.contract_months, on_duty.social_insurance_paid) == (
        date(2026, 9, 1),
        36,
        True,
    )
    assert on_duty.is_retained
    assert actions(on_duty) == ["sign", "start", "complete", "outcome"]


def test_completed_then_other_employment(on_duty, city_cc):
    placement_complete(placement_id=on_duty.pk, ended_on=date(2026, 8, 31), by=city_cc)
    placement_record_outcome(
        placement_id=on_duty.pk,
        outcome="other_employment",
        outcome_on=date(2026, 9, 20),
        other_employment_note="考取事业单位",
        by=city_cc,
    )
    on_duty.refresh_from_db()
    assert (on_duty.outcome, on_duty.outcome_on, on_duty.other_employment_note) == (
        "other_employment",
        date(2026, 9, 20),
        "考取事业单位",
    )
    assert not on_duty.is_retained


def test_completed_then_none(on_duty, city_cc):
    placement_complete(placement_id=on_duty.pk, ended_on=date(2026, 8, 31), by=city_cc)
    placement_record_outcome(placement_id=on_duty.pk, outcome="none", outcome_on=date(2026, 8, 31), by=city_cc)
    on_duty.refresh_from_db()
    assert (on_duty.end, on_duty.outcome, on_duty.outcome_on) == ("completed", "none", date(2026, 8, 31))


def test_early_retention_counts_as_completed_and_retained(on_duty, employer_a):
    placement_retain(
        placement_id=on_duty.pk,
        ended_on=date(2026, 6, 15),
        contract_months=24,
        social_insurance_paid=True,
        by=employer_a,
    )
    on_duty.refresh_from_db()
    assert (on_duty.status, on_duty.end, on_duty.ended_on, on_duty.outcome) == (
        "ended",
        "early_retained",
        date(2026, 6, 15),
        "retained",
    )
    assert (on_duty.contract_signed_on, on_duty.contract_months) == (date(2026, 6, 15), 24)
    assert on_duty.is_retained


def test_abnormal_end_records_reason(on_duty, employer_a):
    placement_terminate(
        placement_id=on_duty.pk,
        ended_on=date(2026, 5, 20),
        end_reason="unit_change",
        end_note="单位搬迁",
        by=employer_a,
    )
    on_duty.refresh_from_db()
    assert (on_duty.end, on_duty.ended_on, on_duty.end_reason, on_duty.end_note, on_duty.outcome) == (
        "abnormal",
        date(2026, 5, 20),
        "unit_change",
        "单位搬迁",
        "",
    )


TODAY = date(2026, 12, 3)


def test_early_retention_on_a_six_month_contract_without_insurance_is_recorded_as_facts(on_duty, city_cc):
    placement_retain(
        placement_id=on_duty.pk,
        ended_on=date(2026, 6, 15),
        contract_months=6,
        social_insurance_paid=False,
        by=city_cc,
        today=TODAY,
    )
    on_duty.refresh_from_db()
    assert (on_duty.status, on_duty.end, on_duty.outcome, on_duty.is_retained) == (
        "ended",
        "early_retained",
        "retained",
        True,
    )
    # 2026-06-15 + 6 months runs to 2026-12-14.
    assert (on_duty.contract_signed_on, on_duty.contract_months, on_duty.contract_ends_on) == (
        date(2026, 6, 15),
        6,
        date(2026, 12, 14),
    )
    assert on_duty.social_insurance_paid is False
    row = ReviewLog.objects.get(object_id=on_duty.pk, action="retain")
    assert row.opinion == "提前留用 2026-06-15；劳动合同 2026-06-15 签订，至 2026-12-14，期限 6 个月；未缴纳社会保险"


def test_the_contract_term_may_be_given_by_its_last_day(on_duty, city_cc):
    placement_retain(
        placement_id=on_duty.pk,
        ended_on=date(2026, 6, 15),
        contract_ends_on=date(2027, 6, 13),  # one day short of 12 whole months (…-06-14)
        social_insurance_paid=True,
        by=city_cc,
        today=TODAY,
    )
    on_duty.refresh_from_db()
    assert (on_duty.contract_months, on_duty.contract_ends_on, on_duty.social_insurance_paid) == (
        11,
        date(2027, 6, 13),
        True,
    )


@pytest.mark.parametrize(
    "contract, field, message",
    [
        (
            {"contract_ends_on": date(2026, 6, 1)},
            "contract_ends_on",
            "劳动合同终止日期 2026-06-01 应晚于合同签订日期 2026-06-15。",
        ),
        (
            {"contract_months": 12, "contract_ends_on": date(2026, 12, 14)},
            "contract_ends_on",
            "劳动合同终止日期 2026-12-14 与期限 12 个月不符：2026-06-15 起 12 个月应至 2027-06-14。",
        ),
        ({"contract_months": 0}, "contract_months", "劳动合同期限应为1—600个月，收到 0 个月。"),
        ({"contract_months": -6}, "contract_months", "劳动合同期限应为1—600个月，收到 -6 个月。"),
        ({}, "contract_months", "请填写劳动合同期限（月）或合同终止日期。"),
    ],
)
def test_a_bad_contract_is_refused_with_the_field_named_and_nothing_saved(on_duty, city_cc, contract, field, message):
    with pytest.raises(ValidationError) as exc:
        placement_retain(placement_id=on_duty.pk, ended_on=date(2026, 6, 15), by=city_cc, today=TODAY, **contract)
    assert exc.value.message_dict[field] == [message]
    on_duty.refresh_from_db()
    assert (on_duty.status, on_duty.end, on_duty.ended_on, on_duty.contract_months) == ("on_duty", "", None, None)
    assert actions(on_duty) == ["sign", "start"]


def test_outcome_retained_after_completion_takes_a_short_contract(on_duty, city_cc):
    placement_complete(placement_id=on_duty.pk, ended_on=date(2026, 8, 31), by=city_cc, today=TODAY)
    placement_record_outcome(
        placement_id=on_duty.pk,
        outcome="retained",
        outcome_on=date(2026, 9, 1),
        contract_signed_on=date(2026, 9, 1),
        contract_months=3,
        by=city_cc,
        today=TODAY,
    )
    on_duty.refresh_from_db()
    assert (on_duty.outcome, on_duty.contract_months, on_duty.contract_ends_on, on_duty.social_insurance_paid) == (
        "retained",
        3,
        date(2026, 11, 30),
        False,
    )
    assert on_duty.is_retained


def test_end_before_start_is_refused(on_duty, city_cc):
    with pytest.raises(ValidationError) as exc:
        placement_terminate(placement_id=on_duty.pk, ended_on=date(2026, 3, 1), end_reason="personal", by=city_cc)
    assert exc.value.message_dict["ended_on"] == ["结束日期 2026-03-01 早于到岗日期 2026-03-02。"]
    on_duty.refresh_from_db()
    assert on_duty.ended_on is None


def test_start_before_signing_is_refused(grad_cc, post_a, sign, city_cc):
    placement = sign(grad_cc, post_a, signed_on=date(2026, 3, 1))
    with pytest.raises(ValidationError) as exc:
        placement_start(placement_id=placement.pk, started_on=date(2026, 2, 28), by=city_cc)
    assert exc.value.message_dict["started_on"] == ["到岗日期 2026-02-28 早于协议签订日期 2026-03-01。"]


def test_event_dates_after_today_are_refused(grad_cc, post_a, sign, city_cc):
    placement = sign(grad_cc, post_a)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        placement_start(placement_id=placement.pk, started_on=tomorrow, by=city_cc)
    assert "不能登记未来的日期" in exc.value.message_dict["started_on"][0]


def test_completion_must_be_on_the_agreed_end(on_duty, city_cc):
    with pytest.raises(ValidationError) as exc:
        placement_complete(placement_id=on_duty.pk, ended_on=date(2026, 8, 30), by=city_cc)
    assert "2026-08-31" in exc.value.message_dict["ended_on"][0]


def test_early_retention_on_or_after_the_agreed_end_is_refused(on_duty, city_cc):
    with pytest.raises(ValidationError):
        placement_retain(
            placement_id=on_duty.pk,
            ended_on=date(2026, 8, 31),
            contract_months=12,
            social_insurance_paid=True,
            by=city_cc,
        )


def test_no_second_end(on_duty, city_cc):
    placement_terminate(placement_id=on_duty.pk, ended_on=date(2026, 5, 20), end_reason="personal", by=city_cc)
    with pytest.raises(InvalidTransition) as exc:
        placement_complete(placement_id=on_duty.pk, ended_on=date(2026, 8, 31), by=city_cc)
    assert str(exc.value) == "该见习协议已于 2026-05-20 以“非正常结束”结束，不能办理“期满结业”。"


def test_no_end_before_a_start(grad_cc, post_a, sign, city_cc):
    placement = sign(grad_cc, post_a)
    with pytest.raises(InvalidTransition):
        placement_terminate(placement_id=placement.pk, ended_on=date(2026, 3, 5), end_reason="personal", by=city_cc)


def test_outcome_only_after_completion_and_only_once(on_duty, city_cc):
    with pytest.raises(InvalidTransition):
        placement_record_outcome(placement_id=on_duty.pk, outcome="none", outcome_on=date(2026, 9, 1), by=city_cc)
    placement_complete(placement_id=on_duty.pk, ended_on=date(2026, 8, 31), by=city_cc)
    placement_record_outcome(placement_id=on_duty.pk, outcome="none", outcome_on=date(2026, 9, 1), by=city_cc)
    with pytest.raises(InvalidTransition):
        placement_record_outcome(placement_id=on_duty.pk, outcome="none", outcome_on=date(2026, 9, 2), by=city_cc)


def test_outcome_before_completion_date_is_refused(on_duty, city_cc):
    placement_complete(placement_id=on_duty.pk, ended_on=date(2026, 8, 31), by=city_cc)
    with pytest.raises(ValidationError) as exc:
        placement_record_outcome(placement_id=on_duty.pk, outcome="none", outcome_on=date(2026, 8, 30), by=city_cc)
    assert exc.value.message_dict["outcome_on"] == ["去向登记日期 2026-08-30 早于结业日期 2026-08-31。"]


def test_abnormal_end_with_reason_other_needs_a_note(on_duty, city_cc):
    with pytest.raises(ValidationError) as exc:
        placement_terminate(placement_id=on_duty.pk, ended_on=date(2026, 5, 20), end_reason="other", by=city_cc)
    assert "end_note" in exc.value.message_dict


def test_other_units_employer_and_other_city_cannot_record_events(on_duty, employer_b, city_jl):
    for outsider in (employer_b, city_jl):
        with pytest.raises(PermissionDenied):
            placement_terminate(placement_id=on_duty.pk, ended_on=date(2026, 5, 20), end_reason="personal", by=outsider)


def test_each_event_is_logged_with_who_and_the_date(on_duty, employer_a):
    placement_retain(
        placement_id=on_duty.pk,
        ended_on=date(2026, 6, 15),
        contract_months=24,
        social_insurance_paid=True,
        by=employer_a,
    )
    row = ReviewLog.objects.get(object_id=on_duty.pk, action="retain")
    assert (row.by, row.from_status, row.to_status) == (employer_a, "on_duty", "ended")
    assert "2026-06-15" in row.opinion and "24 个月" in row.opinion
