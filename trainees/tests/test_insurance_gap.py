"""Starting without accident insurance (the notice pays the subsidy partly for 人身意外伤害保险): the
start is recorded with a warning, and the placement shows the days on duty without a policy until
one covering them is recorded."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from jianxi_portal.core.models import ReviewLog
from trainees.models import Placement
from trainees.services import placement_set_insurance, placement_start

pytestmark = pytest.mark.django_db


def placement(**fields) -> Placement:
    """On duty from 2026-03-02, agreed 2026-03-01 to 2026-08-31 (not saved)."""
    values = {
        "status": Placement.Status.ON_DUTY,
        "planned_start": date(2026, 3, 1),
        "planned_end": date(2026, 8, 31),
        "started_on": date(2026, 3, 2),
    }
    return Placement(**{**values, **fields})


def insured(first: date, last: date) -> dict:
    return {"insurer": "中国人寿", "insurance_policy_no": "P-1", "insurance_from": first, "insurance_to": last}


@pytest.mark.parametrize(
    "fields, today, gaps",
    [
        ({}, date(2026, 3, 10), [(date(2026, 3, 2), date(2026, 3, 10))]),  # no policy: every day so far
        (insured(date(2026, 3, 5), date(2027, 3, 4)), date(2026, 3, 10), [(date(2026, 3, 2), date(2026, 3, 4))]),
        (insured(date(2026, 3, 1), date(2026, 5, 31)), date(2026, 7, 1), [(date(2026, 6, 1), date(2026, 7, 1))]),
        # Ended on 2026-04-30: the gap stops at the end, whatever today is.
        (
            {**insured(date(2026, 3, 1), date(2026, 3, 31)), "ended_on": date(2026, 4, 30)},
            date(2026, 9, 1),
            [(date(2026, 4, 1), date(2026, 4, 30))],
        ),
        (insured(date(2026, 3, 1), date(2026, 8, 31)), date(2026, 9, 30), []),  # covered
        ({"started_on": None, "status": Placement.Status.PLANNED}, date(2026, 3, 10), []),  # not started
    ],
)
def test_insurance_gaps_are_the_days_on_duty_so_far_without_a_policy(fields, today, gaps):
    assert placement(**fields).insurance_gaps(today) == gaps


def test_a_start_without_a_policy_covering_the_day_is_recorded_with_a_warning(grad_cc, post_a, sign, city_cc):
    planned = sign(grad_cc, post_a)
    placement_start(placement_id=planned.pk, started_on=date(2026, 3, 2), by=city_cc, today=date(2026, 3, 2))
    planned.refresh_from_db()
    assert planned.status == "on_duty"
    log = ReviewLog.objects.get(object_id=planned.pk, action="start")
    assert log.opinion == "到岗日期 2026-03-02；到岗日不在人身意外伤害保险期间内，请尽快登记或补充保险"


def test_a_start_on_a_covered_day_has_no_warning(grad_cc, post_a, sign, city_cc):
    planned = sign(grad_cc, post_a)
    placement_set_insurance(
        placement_id=planned.pk,
        insurer="中国人寿",
        policy_no="P-2",
        insured_from=date(2026, 3, 1),
        insured_to=date(2026, 8, 31),
        by=city_cc,
    )
    placement_start(placement_id=planned.pk, started_on=date(2026, 3, 2), by=city_cc, today=date(2026, 3, 2))
    assert ReviewLog.objects.get(object_id=planned.pk, action="start").opinion == "到岗日期 2026-03-02"


def test_the_pages_show_the_gap_until_a_policy_covers_it(grad_cc, post_a, sign, employer_a, client_for):
    planned = sign(grad_cc, post_a)
    client = client_for(employer_a)
    detail = reverse("trainees:placement_detail", args=[planned.pk])
    with time_machine.travel(date(2026, 3, 10), tick=False):
        response = client.post(
            reverse("trainees:placement_action", args=[planned.pk, "start"]), {"started_on": "2026-03-02"}, follow=True
        )
        page = response.content.decode()
        assert "到岗日不在人身意外伤害保险期间内，请尽快登记或补充保险（到岗日 2026-03-02）。" in page
        assert "未登记人身意外伤害保险：在岗期间 2026-03-02 至 2026-03-10 没有保险。" in page
        assert "保险缺口" in client.get(reverse("trainees:placement_list")).content.decode()
        client.post(
            reverse("trainees:placement_action", args=[planned.pk, "insurance"]),
            {"insurer": "中国人寿", "policy_no": "P-3", "insured_from": "2026-03-05", "insured_to": "2027-03-04"},
        )
        assert "人身意外伤害保险（2026-03-05 至 2027-03-04）未覆盖在岗期间 2026-03-02 至 2026-03-04。" in (
            client.get(detail).content.decode()
        )
        client.post(
            reverse("trainees:placement_action", args=[planned.pk, "insurance"]),
            {"insurer": "中国人寿", "policy_no": "P-3", "insured_from": "2026-03-01", "insured_to": "2027-02-28"},
        )
        assert "未覆盖在岗期间" not in client.get(detail).content.decode()
        assert "保险缺口" not in client.get(reverse("trainees:placement_list")).content.decode()


def test_the_api_lists_the_gaps_of_a_start_without_insurance(grad_cc, post_a, sign, employer_a, api_for):
    planned = sign(grad_cc, post_a)
    with time_machine.travel(date(2026, 3, 10), tick=False):
        response = api_for(employer_a).post(
            f"/api/v1/placements/{planned.pk}/start/", {"started_on": "2026-03-02"}, format="json"
        )
    assert response.status_code == 200
    assert response.json()["insurance_gaps"] == [{"first_day": "2026-03-02", "last_day": "2026-03-10"}]
