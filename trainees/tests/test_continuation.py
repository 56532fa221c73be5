"""Continuation after a unit's change (DESIGN.md, Trainee categories and eligibility): a placement
that ended abnormally for the unit's reasons (单位变动) may be continued at another unit for the
remaining days, with the city's approval; Annex 2 counts the person once; the subsidy days of both
agreements never exceed the agreed period.

The first agreement: signed 2026-03-01 for 2026-03-01 to 2026-08-31 (184 days), on duty from
2026-03-02, ended 2026-05-20 because the unit moved: 80 days served, 104 left."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from jianxi_portal.core.models import ReviewLog
from jianxi_portal.core.review import InvalidTransition
from positions.tests.factories import ApprovedPostFactory
from reports.selectors import annex2_rows
from subsidies import services as subsidies
from trainees.models import Placement
from trainees.services import (
    mentor_create,
    placement_continue,
    placement_filing,
    placement_set_insurance,
    placement_start,
    placement_terminate,
)
from trainees.tests.factories import TraineeFactory
from units.tests.factories import ApprovedUnitFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


@pytest.fixture
def unit_c(db):
    return ApprovedUnitFactory(name="长春丙单位", region_code="changchun")


@pytest.fixture
def post_c(unit_c):
    return ApprovedPostFactory(unit=unit_c, title="出纳见习", slots=1, allowance=Decimal("1400.00"))


@pytest.fixture
def employer_c(unit_c):
    from jianxi_portal.core.models import User
    from jianxi_portal.tests.factories import UserFactory

    return UserFactory(username="employer_c", role=User.Role.EMPLOYER, unit=unit_c)


def file(placement: Placement, employer, city, *, insured=(date(2026, 3, 1), date(2027, 2, 28))) -> None:
    """Insurance and mentor recorded by the unit, filing submitted by it and approved by the city."""
    mentor = mentor_create(unit=placement.unit, name="带教", position="主管", phone="13904310000", by=employer)
    placement.mentor = mentor
    placement.save(update_fields=["mentor"])
    placement_set_insurance(
        placement_id=placement.pk,
        insurer="中国人寿",
        policy_no=f"P-{placement.pk}",
        insured_from=insured[0],
        insured_to=insured[1],
        by=employer,
    )
    placement_filing(placement_id=placement.pk, action="submit", by=employer)
    placement_filing(placement_id=placement.pk, action="approve", by=city)


@pytest.fixture
def ended_by_unit(changchun, post_a, sign, city_cc, employer_a):
    """A college graduate who left school on 2024-05-15: eligible on 2026-03-01 (within two years),
    no longer on 2026-06-01; the first agreement ended for the unit's reasons on 2026-05-20."""
    trainee = TraineeFactory(name="接续", region=changchun, left_school_on=date(2024, 5, 15))
    first = sign(trainee, post_a, today=date(2026, 3, 1))
    file(first, employer_a, city_cc)
    placement_start(placement_id=first.pk, started_on=date(2026, 3, 2), by=employer_a, today=date(2026, 3, 2))
    placement_terminate(
        placement_id=first.pk,
        ended_on=date(2026, 5, 20),
        end_reason="unit_change",
        end_note="单位搬迁外省",
        by=employer_a,
        today=date(2026, 5, 20),
    )
    first.refresh_from_db()
    return first


def continue_at(first, post, city, **dates):
    values = {"signed_on": TODAY, "planned_start": TODAY, **dates}
    return placement_continue(placement_id=first.pk, post_id=post.pk, by=city, today=TODAY, **values)


def test_the_continuation_runs_the_remaining_days_at_another_unit_and_annex2_counts_the_person_once(
    ended_by_unit, post_c, city_cc, employer_a, employer_c, changchun
):
    assert ended_by_unit.remaining_days == 104  # 184 agreed − 80 served (03-02 … 05-20)
    second = continue_at(ended_by_unit, post_c, city_cc)
    # 104 days from 2026-06-01: June 30 + July 31 + August 31 + 1–12 September.
    assert (second.continues, second.unit, second.planned_start, second.planned_end) == (
        ended_by_unit,
        post_c.unit,
        date(2026, 6, 1),
        date(2026, 9, 12),
    )
    assert (second.category, second.status, second.allowance) == ("college_graduate", "planned", Decimal("1400.00"))
    assert ReviewLog.objects.get(object_id=ended_by_unit.pk, action="continue").opinion == (
        "批准接续见习：长春丙单位，2026-06-01 至 2026-09-12"
    )
    # Eligible as on the first signing day (2026-03-01), not the second's (2026-06-01, past the two
    # years after 2024-05-15); the first agreement is not an "earlier placement".
    file(second, employer_c, city_cc, insured=(date(2026, 6, 1), date(2027, 5, 31)))
    placement_start(placement_id=second.pk, started_on=date(2026, 6, 1), by=employer_c, today=TODAY)
    rows = {m: annex2_rows(2026, m, [changchun])[0].values for m in (3, 5, 6)}
    assert (rows[3][5], rows[3][6], rows[3][7]) == (1, 1, 1)  # planned and arrived once, in March
    assert (rows[5][12], rows[5][13]) == (1, 0)  # the first agreement's abnormal end in May
    assert (rows[6][5], rows[6][6], rows[6][7], rows[6][13]) == (0, 0, 0, 1)  # not a new person; on duty
    with time_machine.travel(date(2026, 10, 10), tick=False):
        first_claim = subsidies.claim_create(
            unit_id=employer_a.unit_id, period_from=date(2026, 3, 1), period_to=date(2026, 5, 1), by=employer_a
        )
        second_claim = subsidies.claim_create(
            unit_id=employer_c.unit_id, period_from=date(2026, 6, 1), period_to=date(2026, 9, 1), by=employer_c
        )
    days = [line.explanation["data"]["days"] for claim in (first_claim, second_claim) for line in claim.lines.all()]
    assert days == [30, 30, 20, 30, 31, 31, 12]
    assert sum(days) == 184  # the agreed period, never more


def test_a_continuation_longer_than_the_remaining_days_is_refused_and_nothing_saved(ended_by_unit, post_c, city_cc):
    with pytest.raises(ValidationError) as exc:
        continue_at(ended_by_unit, post_c, city_cc, planned_end=date(2026, 9, 13))
    assert exc.value.message_dict["planned_end"] == [
        "接续见习不能超过原协议的剩余期限：原协议 2026-03-01 至 2026-08-31，已于 2026-03-02 至 2026-05-20 见习，"
        "剩余 104 天，自 2026-06-01 起最迟至 2026-09-12；当前为 2026-09-13。"
    ]
    assert not Placement.objects.filter(continues=ended_by_unit).exists()


def test_only_an_end_for_the_units_reasons_is_continued_once_at_another_unit(
    ended_by_unit, post_a, post_c, city_cc, grad_cc, sign, employer_a
):
    with pytest.raises(ValidationError) as exc:
        continue_at(ended_by_unit, ApprovedPostFactory(unit=post_a.unit), city_cc)
    assert exc.value.message_dict["post"] == ["接续见习应在另一见习单位：所选岗位仍属于“长春甲单位”。"]
    continue_at(ended_by_unit, post_c, city_cc)
    with pytest.raises(InvalidTransition, match="已批准接续见习，不能重复接续"):
        continue_at(ended_by_unit, ApprovedPostFactory(unit=post_c.unit), city_cc)
    personal = sign(grad_cc, post_a, today=date(2026, 3, 1))
    placement_start(placement_id=personal.pk, started_on=date(2026, 3, 2), by=employer_a, today=date(2026, 3, 2))
    placement_terminate(
        placement_id=personal.pk, ended_on=date(2026, 4, 1), end_reason="personal", by=employer_a, today=TODAY
    )
    with pytest.raises(InvalidTransition, match="只有因单位变动非正常结束的见习协议可以接续见习"):
        continue_at(personal, ApprovedPostFactory(unit=post_c.unit), city_cc)


def test_only_the_city_of_the_placement_approves_a_continuation(ended_by_unit, post_c, employer_a, city_jl):
    for outsider in (employer_a, city_jl):
        with pytest.raises(PermissionDenied):
            continue_at(ended_by_unit, post_c, outsider)


def test_the_city_approves_on_the_placement_page_and_lands_on_the_new_agreement(
    ended_by_unit, post_c, city_cc, client_for
):
    client = client_for(city_cc)
    with time_machine.travel(TODAY, tick=False):
        page = client.get(reverse("trainees:placement_detail", args=[ended_by_unit.pk])).content.decode()
        assert "剩余期限 104 天，可由市（州）批准在其他单位接续见习" in page
        assert reverse("trainees:placement_action", args=[ended_by_unit.pk, "continue"]) in page
        response = client.post(
            reverse("trainees:placement_action", args=[ended_by_unit.pk, "continue"]),
            {"post": post_c.pk, "signed_on": "2026-06-01", "planned_start": "2026-06-01", "opinion": "同意"},
        )
    second = Placement.objects.get(continues=ended_by_unit)
    assert response.status_code == 302 and response.url == reverse("trainees:placement_detail", args=[second.pk])
    page = client.get(response.url).content.decode()
    assert "长春甲单位</a> 的见习协议（因单位变动于 2026-05-20 结束，接续剩余期限）" in page
    first_page = client.get(reverse("trainees:placement_detail", args=[ended_by_unit.pk])).content.decode()
    assert "2026-06-01 至 2026-09-12" in first_page


def test_the_api_continues_a_placement_and_another_city_gets_404(ended_by_unit, post_c, city_cc, city_jl, api_for):
    url = f"/api/v1/placements/{ended_by_unit.pk}/continue/"
    body = {"post": post_c.pk, "signed_on": "2026-06-01", "planned_start": "2026-06-01"}
    assert api_for(city_jl).post(url, body, format="json").status_code == 404
    with time_machine.travel(TODAY, tick=False):
        too_long = api_for(city_cc).post(url, {**body, "planned_end": "2026-10-01"}, format="json")
        assert too_long.status_code == 400 and list(too_long.json()) == ["planned_end"]
        response = api_for(city_cc).post(url, body, format="json")
    assert response.status_code == 201
    assert (response.json()["continues"], response.json()["planned_end"]) == (ended_by_unit.pk, "2026-09-12")
    first = api_for(city_cc).get(f"/api/v1/placements/{ended_by_unit.pk}/").json()
    assert first["continuation"] == response.json()["id"]
