"""Browser forms: every lifecycle path with the exact dates stored, bad input, filing, lists and Excel."""

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jianxi_portal.core.models import AuditLog
from trainees.dates import month_bounds
from trainees.models import Placement, Trainee
from trainees.services import placement_start
from trainees.tests.factories import MentorFactory, OnDutyPlacementFactory, PlacementFactory, TraineeFactory

pytestmark = pytest.mark.django_db


def act(client, placement, action, **data):
    return client.post(reverse("trainees:placement_action", args=[placement.pk, action]), data)


@pytest.fixture
def planned(grad_cc, post_a, client_for, city_cc):
    """An agreement entered by the city through the offline form: signed 2026-03-01, 6 months."""
    client = client_for(city_cc)
    response = client.post(
        reverse("trainees:placement_create"),
        {
            "id_number": grad_cc.id_number,
            "post": post_a.pk,
            "signed_on": "2026-03-01",
            "planned_start": "2026-03-01",
            "planned_end": "",
            "allowance": "",
        },
    )
    placement = Placement.objects.get(trainee=grad_cc)
    assert response.status_code == 302 and response.url == reverse("trainees:placement_detail", args=[placement.pk])
    return placement


@pytest.fixture
def started(planned, client_for, employer_a):
    client = client_for(employer_a)
    assert act(client, planned, "start", started_on="2026-03-02").status_code == 302
    planned.refresh_from_db()
    return planned


def test_offline_form_signs_with_the_posts_defaults(planned):
    assert (planned.signed_on, planned.planned_start, planned.planned_end, planned.allowance) == (
        date(2026, 3, 1),
        date(2026, 3, 1),
        date(2026, 8, 31),
        Decimal("1500.00"),
    )


def test_completed_and_retained_through_the_forms(started, client_for, employer_a):
    client = client_for(employer_a)
    assert act(client, started, "complete", ended_on="2026-08-31").status_code == 302
    response = act(
        client,
        started,
        "outcome",
        outcome="retained",
        outcome_on="2026-09-01",
        contract_signed_on="2026-09-01",
        contract_months="24",
        social_insurance_paid="on",
    )
    assert response.status_code == 302
    started.refresh_from_db()
    assert (started.status, started.started_on, started.ended_on, started.end) == (
        "ended",
        date(2026, 3, 2),
        date(2026, 8, 31),
        "completed",
    )
    assert (started.outcome, started.outcome_on, started.contract_months, started.social_insurance_paid) == (
        "retained",
        date(2026, 9, 1),
        24,
        True,
    )


def test_completed_and_other_employment_through_the_forms(started, client_for, city_cc):
    client = client_for(city_cc)
    act(client, started, "complete", ended_on="2026-08-31")
    act(
        client,
        started,
        "outcome",
        outcome="other_employment",
        outcome_on="2026-09-15",
        other_employment_note="自主创业",
    )
    started.refresh_from_db()
    assert (started.end, started.outcome, started.outcome_on, started.other_employment_note) == (
        "completed",
        "other_employment",
        date(2026, 9, 15),
        "自主创业",
    )


def test_completed_and_none_through_the_forms(started, client_for, employer_a):
    client = client_for(employer_a)
    act(client, started, "complete", ended_on="2026-08-31")
    act(client, started, "outcome", outcome="none", outcome_on="2026-09-30")
    started.refresh_from_db()
    assert (started.ended_on, started.outcome, started.outcome_on) == (date(2026, 8, 31), "none", date(2026, 9, 30))


def test_early_retention_through_the_form(started, client_for, employer_a):
    response = act(
        client_for(employer_a),
        started,
        "retain",
        ended_on="2026-06-15",
        contract_signed_on="2026-06-14",
        contract_months="12",
        social_insurance_paid="on",
    )
    assert response.status_code == 302
    started.refresh_from_db()
    assert (started.end, started.ended_on, started.contract_signed_on, started.contract_months, started.outcome) == (
        "early_retained",
        date(2026, 6, 15),
        date(2026, 6, 14),
        12,
        "retained",
    )


def test_abnormal_end_through_the_form(started, client_for, employer_a):
    act(client_for(employer_a), started, "terminate", ended_on="2026-04-30", end_reason="personal", end_note="考研")
    started.refresh_from_db()
    assert (started.end, started.ended_on, started.end_reason, started.end_note) == (
        "abnormal",
        date(2026, 4, 30),
        "personal",
        "考研",
    )


def test_retention_with_a_six_month_contract_and_no_insurance_is_recorded_on_the_form(started, client_for, employer_a):
    response = act(client_for(employer_a), started, "retain", ended_on="2026-06-15", contract_months="6")
    assert response.status_code == 302
    started.refresh_from_db()
    assert (started.end, started.contract_months, started.contract_ends_on, started.social_insurance_paid) == (
        "early_retained",
        6,
        date(2026, 12, 14),
        False,
    )
    page = client_for(employer_a).get(reverse("trainees:placement_detail", args=[started.pk])).content.decode()
    assert "2026-06-15 签订，至 2026-12-14，期限 6 个月；社会保险未缴纳" in page


def test_a_contract_ending_before_it_was_signed_is_refused_on_the_form(started, client_for, employer_a):
    response = act(client_for(employer_a), started, "retain", ended_on="2026-06-15", contract_ends_on="2026-06-01")
    assert response.status_code == 200
    assert "劳动合同终止日期 2026-06-01 应晚于合同签订日期 2026-06-15。" in response.content.decode()
    started.refresh_from_db()
    assert (started.status, started.end, started.contract_months) == ("on_duty", "", None)


def test_end_before_start_is_refused_on_the_form(started, client_for, employer_a):
    response = act(client_for(employer_a), started, "terminate", ended_on="2026-03-01", end_reason="personal")
    assert "结束日期 2026-03-01 早于到岗日期 2026-03-02。" in response.content.decode()
    started.refresh_from_db()
    assert started.ended_on is None


def test_second_end_is_refused_on_the_form(started, client_for, employer_a):
    client = client_for(employer_a)
    act(client, started, "terminate", ended_on="2026-04-30", end_reason="personal")
    response = act(client, started, "complete", ended_on="2026-08-31")
    assert "不能办理“期满结业”" in response.content.decode()
    started.refresh_from_db()
    assert (started.end, started.ended_on) == ("abnormal", date(2026, 4, 30))


def test_cancel_through_the_form_frees_the_slot(planned, client_for, employer_a):
    act(client_for(employer_a), planned, "cancel", cancelled_on="2026-03-01", reason="本人放弃")
    planned.refresh_from_db()
    assert (planned.status, planned.cancelled_on) == ("cancelled", date(2026, 3, 1))


def test_ineligible_offline_agreement_shows_the_rule_and_dates(client_for, city_cc, post_a):
    trainee = TraineeFactory(left_school_on=date(2023, 6, 30))
    response = client_for(city_cc).post(
        reverse("trainees:placement_create"),
        {"trainee_pk": trainee.pk, "post": post_a.pk, "signed_on": "2026-03-01", "planned_start": "2026-03-01"},
    )
    assert (
        "离校已超过2年：毕业（离校）日期 2023-06-30，协议签订日期 2026-03-01，离校2年内的最后一天为 2025-06-30。"
        in (response.content.decode())
    )
    assert not Placement.objects.exists()


def test_filing_through_the_forms(planned, client_for, employer_a, city_cc):
    client = client_for(employer_a)
    mentor = MentorFactory(unit=planned.unit, name="刘老师")
    act(
        client,
        planned,
        "insurance",
        insurer="中国人寿",
        policy_no="P-9",
        insured_from="2026-03-01",
        insured_to="2026-08-31",
    )
    act(client, planned, "mentor", mentor=mentor.pk)
    act(client, planned, "training", kind="pre_job", on="2026-03-01", content="岗前安全培训", hours="4")
    assert act(client, planned, "submit", opinion="").status_code == 302
    planned.refresh_from_db()
    assert (planned.filing_status, planned.mentor, planned.insurance_policy_no) == ("submitted", mentor, "P-9")
    city = client_for(city_cc)
    page = city.get(reverse("trainees:placement_detail", args=[planned.pk])).content.decode()
    assert "备案通过" in page and "剩余" in page
    assert act(city, planned, "approve", opinion="同意备案").status_code == 302
    planned.refresh_from_db()
    assert planned.filing_status == "approved" and planned.first_approved_on == timezone.localdate()


def test_reject_without_opinion_shows_the_message(planned, client_for, employer_a, city_cc):
    planned.insurer, planned.insurance_policy_no = "人保", "X1"
    planned.insurance_from, planned.insurance_to = date(2026, 3, 1), date(2026, 9, 1)
    planned.mentor = MentorFactory(unit=planned.unit)
    planned.save()
    act(client_for(employer_a), planned, "submit", opinion="")
    response = act(client_for(city_cc), planned, "reject", opinion="")
    assert "不通过时必须填写审核意见。" in response.content.decode()


def test_employer_cannot_approve_a_filing(planned, client_for, employer_a):
    planned.filing_status = "submitted"
    planned.save()
    assert act(client_for(employer_a), planned, "approve", opinion="").status_code == 403


def test_placement_page_lists_every_event(started, client_for, city_cc):
    page = client_for(city_cc).get(reverse("trainees:placement_detail", args=[started.pk])).content.decode()
    assert "签订协议" in page and "到岗日期 2026-03-02" in page


# ------------------------------------------------------------------------------------------- scoping


def test_other_city_gets_404_on_placement_pages(started, client_for, city_jl):
    client = client_for(city_jl)
    assert client.get(reverse("trainees:placement_detail", args=[started.pk])).status_code == 404
    assert act(client, started, "terminate", ended_on="2026-04-30", end_reason="personal").status_code == 404
    assert started.trainee.name not in client.get(reverse("trainees:placement_list")).content.decode()


def test_other_units_employer_gets_404(started, client_for, employer_b):
    client = client_for(employer_b)
    assert client.get(reverse("trainees:placement_detail", args=[started.pk])).status_code == 404
    assert act(client, started, "complete", ended_on="2026-08-31").status_code == 404


def test_unknown_action_is_404(started, client_for, city_cc):
    assert client_for(city_cc).get(f"/placements/{started.pk}/delete/").status_code == 404


# ------------------------------------------------------------------------------------ lists and Excel


@pytest.fixture
def mixed(unit_a, post_a, post_b, city_cc):
    """Three placements of 长春: on duty since March (college), ended in May (youth), planned; one of 吉林."""
    a = OnDutyPlacementFactory(post=post_a, trainee=TraineeFactory(name="在岗甲"), started_on=date(2026, 3, 2))
    b = OnDutyPlacementFactory(
        post=post_a,
        trainee=TraineeFactory(name="结束乙", category="unemployed_youth"),
        started_on=date(2026, 3, 9),
        status="ended",
        end="abnormal",
        ended_on=date(2026, 5, 20),
    )
    c = PlacementFactory(post=post_a, trainee=TraineeFactory(name="待到岗丙"), signed_on=date(2026, 4, 1))
    d = OnDutyPlacementFactory(post=post_b, trainee=TraineeFactory(name="吉林丁"))
    return a, b, c, d


def names(response):
    return [p.trainee.name for p in response.context["page"]]


@pytest.mark.parametrize(
    "query, expected",
    [
        ({}, ["待到岗丙", "结束乙", "在岗甲"]),
        ({"status": "on_duty"}, ["在岗甲"]),
        ({"category": "unemployed_youth"}, ["结束乙"]),
        ({"started": "2026-03"}, ["结束乙", "在岗甲"]),
        ({"ended": "2026-05"}, ["结束乙"]),
        ({"ended": "2026-06"}, []),
        ({"filing": "unfiled_on_duty"}, ["在岗甲"]),
    ],
)
def test_city_filters_its_placement_list(mixed, client_for, city_cc, query, expected):
    response = client_for(city_cc).get(reverse("trainees:placement_list"), query)
    assert sorted(names(response)) == sorted(expected)


def test_unit_filter_and_bad_month(mixed, client_for, city_cc, post_a, unit_b):
    client = client_for(city_cc)
    assert len(names(client.get(reverse("trainees:placement_list"), {"unit": post_a.unit_id}))) == 3
    assert names(client.get(reverse("trainees:placement_list"), {"unit": unit_b.pk})) == []
    response = client.get(reverse("trainees:placement_list"), {"started": "2026-13"})
    assert "到岗月份格式应为 YYYY-MM。" in response.content.decode()


def test_a_unit_number_beyond_any_database_key_is_refused_not_a_server_error(mixed, client_for, city_cc):
    """SECURITY.md item 9: SQLite cannot even bind an integer above 2**63 − 1, so the form refuses it."""
    response = client_for(city_cc).get(reverse("trainees:placement_list"), {"unit": "9" * 30})
    assert response.status_code == 400


def test_excel_download_holds_the_filtered_list_with_masked_ids(mixed, client_for, city_cc):
    response = client_for(city_cc).get(reverse("trainees:placement_list"), {"started": "2026-03", "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:4] == ("序号", "姓名", "身份证号", "人员类别")
    body = sorted(rows[2:], key=lambda r: r[1])
    assert [(r[1], r[10].date() if r[10] else None) for r in body] == [
        ("在岗甲", date(2026, 3, 2)),
        ("结束乙", date(2026, 3, 9)),
    ]
    assert all("********" in r[2] for r in body)
    assert AuditLog.objects.filter(event="placement.export", user=city_cc).exists()


def test_province_sees_every_region_and_filters_by_region(mixed, client_for, province_user):
    client = client_for(province_user)
    assert len(names(client.get(reverse("trainees:placement_list")))) == 4
    assert names(client.get(reverse("trainees:placement_list"), {"region": "jilin"})) == ["吉林丁"]


def test_placement_list_queries_do_not_grow_with_rows(client_for, city_cc, post_a, django_assert_max_num_queries):
    post_a.slots = 50
    post_a.save()
    client = client_for(city_cc)
    OnDutyPlacementFactory(post=post_a, mentor=MentorFactory(unit=post_a.unit))
    client.get(reverse("trainees:placement_list"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("trainees:placement_list"))
    for _ in range(20):
        OnDutyPlacementFactory(post=post_a, mentor=MentorFactory(unit=post_a.unit))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("trainees:placement_list"))


def test_employer_current_trainees_flag_who_ends_this_month(client_for, employer_a, post_a):
    today = timezone.localdate()
    first, last = month_bounds(today.year, today.month)
    ending = OnDutyPlacementFactory(
        post=post_a,
        trainee=TraineeFactory(name="本月期满"),
        signed_on=first - timedelta(days=90),
        planned_start=first - timedelta(days=90),
        planned_end=last,
    )
    OnDutyPlacementFactory(
        post=post_a,
        trainee=TraineeFactory(name="下月期满"),
        signed_on=first - timedelta(days=60),
        planned_start=first - timedelta(days=60),
        planned_end=last + timedelta(days=20),
    )
    OnDutyPlacementFactory(trainee=TraineeFactory(name="别的单位"))
    response = client_for(employer_a).get(reverse("trainees:placement_current"))
    rows = response.context["rows"]
    assert [(p.trainee.name, flag) for p, flag in rows] == [("本月期满", True), ("下月期满", False)]
    assert response.context["ending"] == 1
    assert 'class="due-soon"' in response.content.decode()
    assert ending.pk in [p.pk for p, _ in rows]


def test_start_recorded_by_the_service_shows_in_the_employer_list(planned, client_for, employer_a):
    placement_start(placement_id=planned.pk, started_on=date(2026, 3, 3), by=employer_a)
    page = client_for(employer_a).get(reverse("trainees:placement_current")).content.decode()
    assert "2026-03-03" in page and Trainee.objects.get(pk=planned.trainee_id).name in page
