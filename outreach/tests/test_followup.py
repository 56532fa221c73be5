"""Follow-up (跟踪帮扶): who is on the list, recording contacts and outcomes, and the 30-day mark."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from outreach import followup
from outreach.models import FollowUpContact
from trainees.models import Placement
from trainees.tests.factories import PlacementFactory
from units.tests.factories import ApprovedUnitFactory

pytestmark = pytest.mark.django_db


def ended(unit=None, *, end, outcome="", ended_on=date(2026, 9, 1)):
    kwargs = {"post__unit": unit} if unit else {}
    return PlacementFactory(
        status=Placement.Status.ENDED,
        started_on=date(2026, 3, 1),
        ended_on=ended_on,
        end=end,
        outcome=outcome,
        **kwargs,
    )


@pytest.fixture
def cases(unit_a):
    return {
        "abnormal": ended(unit_a, end="abnormal"),
        "none": ended(unit_a, end="completed", outcome="none"),
        "unknown": ended(unit_a, end="completed", outcome=""),
        "retained": ended(unit_a, end="completed", outcome="retained"),
        "early": ended(unit_a, end="early_retained"),
        "other": ended(unit_a, end="completed", outcome="other_employment"),
        "on_duty": PlacementFactory(post__unit=unit_a, status=Placement.Status.ON_DUTY, started_on=date(2026, 3, 1)),
    }


def test_list_holds_ended_placements_without_retention_or_other_employment(cases, city_cc):
    listed = set(followup.follow_up_cases(city_cc))
    assert listed == {cases["abnormal"], cases["none"], cases["unknown"]}


def test_another_city_sees_none_of_them(cases, city_jl, client_for):
    assert not followup.follow_up_cases(city_jl).exists()
    client = client_for(city_jl)
    assert client.get("/follow-up/").context["page"].paginator.count == 0
    assert client.get(f"/follow-up/{cases['abnormal'].pk}/").status_code == 404


def test_recording_a_contact_and_the_30_day_mark(cases, city_cc, today):
    case = cases["abnormal"]
    due = {c.pk for c in followup.filtered(followup.follow_up_cases(city_cc, today=today), today=today, due=True)}
    assert due == {cases["abnormal"].pk, cases["none"].pk, cases["unknown"].pk}  # never contacted
    followup.contact_record(
        placement_id=case.pk,
        by=city_cc,
        contacted_on=today - timedelta(days=10),
        method="phone",
        outcome="looking",
        note="推荐了两个岗位",
    )
    followup.contact_record(
        placement_id=cases["none"].pk,
        by=city_cc,
        contacted_on=today - timedelta(days=31),
        method="visit",
        outcome="training",
        outcome_on=today - timedelta(days=31),
    )
    followup.contact_record(
        placement_id=cases["unknown"].pk,
        by=city_cc,
        contacted_on=today - timedelta(days=45),
        method="phone",
        outcome="employed",
        outcome_on=today - timedelta(days=40),
    )
    listed = {c.pk: c for c in followup.follow_up_cases(city_cc, today=today)}
    assert listed[case.pk].last_contacted_on == today - timedelta(days=10)
    assert listed[case.pk].latest_outcome == "looking"
    assert followup.is_due(listed[cases["none"].pk], today)  # 31 days ago
    assert not followup.is_due(listed[case.pk], today)  # 10 days ago
    assert not followup.is_due(listed[cases["unknown"].pk], today)  # employed: no more contacts
    due = {c.pk for c in followup.filtered(followup.follow_up_cases(city_cc, today=today), today=today, due=True)}
    assert due == {cases["none"].pk}


def test_due_count_is_the_length_of_the_due_list(cases, city_cc, city_jl, today):
    def listed():
        return followup.filtered(followup.follow_up_cases(city_cc, today=today), today=today, due=True).count()

    assert followup.due_count(city_cc, today=today) == listed() == 3  # never contacted
    followup.contact_record(
        placement_id=cases["abnormal"].pk,
        by=city_cc,
        contacted_on=today - timedelta(days=10),
        method="phone",
        outcome="looking",
    )  # contacted lately: not due
    followup.contact_record(
        placement_id=cases["none"].pk,
        by=city_cc,
        contacted_on=today - timedelta(days=31),
        method="visit",
        outcome="training",
        outcome_on=today - timedelta(days=31),
    )  # due
    followup.contact_record(
        placement_id=cases["unknown"].pk,
        by=city_cc,
        contacted_on=today - timedelta(days=45),
        method="phone",
        outcome="employed",
        outcome_on=today - timedelta(days=40),
    )  # employed
    assert followup.due_count(city_cc, today=today) == listed() == 1
    followup.contact_record(
        placement_id=cases["unknown"].pk,
        by=city_cc,
        contacted_on=today - timedelta(days=35),
        method="phone",
        outcome="looking",
    )  # lost that job: due again
    assert followup.due_count(city_cc, today=today) == listed() == 2
    assert followup.due_count(city_jl, today=today) == 0


def test_exactly_30_days_is_due_and_29_is_not(cases, city_cc, today):
    followup.contact_record(
        placement_id=cases["abnormal"].pk,
        by=city_cc,
        contacted_on=today - timedelta(days=30),
        method="phone",
        outcome="looking",
    )
    followup.contact_record(
        placement_id=cases["none"].pk,
        by=city_cc,
        contacted_on=today - timedelta(days=29),
        method="phone",
        outcome="looking",
    )
    due = {c.pk for c in followup.filtered(followup.follow_up_cases(city_cc, today=today), today=today, due=True)}
    assert cases["abnormal"].pk in due and cases["none"].pk not in due


def test_contact_rules(cases, city_cc, city_jl, today):
    case = cases["abnormal"]
    with pytest.raises(ValidationError) as err:
        followup.contact_record(
            placement_id=case.pk, by=city_cc, contacted_on=today + timedelta(days=1), method="phone", outcome="employed"
        )
    assert set(err.value.message_dict) == {"contacted_on", "outcome_on"}
    with pytest.raises(ValidationError) as err:
        followup.contact_record(
            placement_id=case.pk, by=city_cc, contacted_on=date(2026, 8, 1), method="phone", outcome="looking"
        )
    assert err.value.message_dict["contacted_on"] == ["联系日期不能早于见习结束日期 2026-09-01。"]
    with pytest.raises(PermissionDenied):
        followup.contact_record(placement_id=case.pk, by=city_jl, contacted_on=today, method="phone", outcome="looking")
    with pytest.raises(ValidationError):  # retained: not on the list
        followup.contact_record(
            placement_id=cases["retained"].pk, by=city_cc, contacted_on=today, method="phone", outcome="looking"
        )
    assert not FollowUpContact.objects.exists()


def test_list_page_marks_those_not_contacted_and_detail_records(client_for, cases, city_cc, today):
    client = client_for(city_cc)
    page = client.get("/follow-up/?due=1")
    assert page.context["page"].paginator.count == 3
    assert page.content.decode().count('class="overdue"') == 3
    response = client.post(
        f"/follow-up/{cases['abnormal'].pk}/",
        {
            "contacted_on": today.isoformat(),
            "method": "phone",
            "outcome": "employed",
            "outcome_on": today.isoformat(),
            "note": "已在长春某公司就业",
        },
    )
    assert response.status_code == 302
    assert client.get("/follow-up/?due=1").context["page"].paginator.count == 2


def test_province_reads_every_region_but_cannot_record(client_for, province_user, cases, today):
    jilin_case = ended(ApprovedUnitFactory(region_code="jilin"), end="abnormal")
    client = client_for(province_user)
    assert client.get("/follow-up/").context["page"].paginator.count == 4
    assert client.get("/follow-up/?region=jilin").context["page"].paginator.count == 1
    response = client.post(
        f"/follow-up/{jilin_case.pk}/", {"contacted_on": today.isoformat(), "method": "phone", "outcome": "looking"}
    )
    assert response.status_code == 200 and not FollowUpContact.objects.exists()


def test_employers_and_young_people_have_no_follow_up_pages(client_for, employer_a, youth, cases):
    for user in (employer_a, youth):
        assert client_for(user).get("/follow-up/").status_code == 403
