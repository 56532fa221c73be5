"""API: trainees, applications, placements with their events and filing; scoping, masking, audit."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from jianxi_portal.core.models import AuditLog, Region
from positions.models import Post
from trainees.models import Application, Placement, Trainee
from trainees.services import application_create
from trainees.tests.factories import MentorFactory, OnDutyPlacementFactory, TraineeFactory, make_id_number

pytestmark = pytest.mark.django_db

NEW_ID = make_id_number(date(2003, 9, 18), 135)


def trainee_payload(**extra):
    data = {
        "name": "王小明",
        "id_number": NEW_ID,
        "phone": "13912345678",
        "category": "college_graduate",
        "school": "长春工业大学",
        "education": "bachelor",
        "left_school_on": "2025-06-30",
    }
    data.update(extra)
    return data


@pytest.fixture
def placement(city_cc, api_for, grad_cc, post_a):
    """Created through the API by the city: signed 2026-03-01, planned 2026-03-01 to 2026-08-31."""
    response = api_for(city_cc).post(
        "/api/v1/placements/",
        {"trainee": grad_cc.pk, "post": post_a.pk, "signed_on": "2026-03-01", "planned_start": "2026-03-01"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return Placement.objects.get(pk=response.json()["id"])


@pytest.fixture
def started(placement, api_for, employer_a):
    response = api_for(employer_a).post(
        f"/api/v1/placements/{placement.pk}/start/", {"started_on": "2026-03-02"}, format="json"
    )
    assert response.status_code == 200 and response.json()["started_on"] == "2026-03-02"
    return placement


def post_event(api, placement, action, **data):
    return api.post(f"/api/v1/placements/{placement.pk}/{action}/", data, format="json")


# ------------------------------------------------------------------------------------------- trainees


def test_city_creates_a_trainee_and_the_response_is_masked(api_for, city_cc):
    response = api_for(city_cc).post("/api/v1/trainees/", trainee_payload(), format="json")
    assert response.status_code == 201
    assert response.json()["id_number"] == NEW_ID[:6] + "********" + NEW_ID[-4:]
    assert response.json()["birth_date"] == "2003-09-18" and response.json()["region"] == "changchun"
    assert not AuditLog.objects.filter(event="id_number.view").exists()


def test_own_city_list_shows_full_numbers_of_its_own_trainees_each_audited(api_for, city_cc, grad_cc, post_a):
    placed_here = TraineeFactory(name="外地人", region=Region.objects.get(code="jilin"))
    OnDutyPlacementFactory(trainee=placed_here, post=post_a)
    rows = {r["name"]: r["id_number"] for r in api_for(city_cc).get("/api/v1/trainees/").json()["results"]}
    assert rows == {"张明": grad_cc.id_number, "外地人": placed_here.id_number_masked}
    assert list(AuditLog.objects.filter(event="id_number.view").values_list("object_id", flat=True)) == [
        str(grad_cc.pk)
    ]


def test_own_city_reads_the_full_id_number_and_phone_and_each_view_is_audited(api_for, city_cc, grad_cc):
    response = api_for(city_cc).get(f"/api/v1/trainees/{grad_cc.pk}/")
    assert response.json()["id_number"] == grad_cc.id_number
    assert response.json()["phone"] == grad_cc.phone
    for event in ("id_number.view", "phone.view"):
        row = AuditLog.objects.get(event=event)
        assert (row.user, row.object_id, row.detail) == (city_cc, str(grad_cc.pk), {"via": "api"})


@pytest.mark.parametrize("who", ["province_user", "employer_a", "city_jl"])
def test_everyone_else_reads_the_id_number_masked(request, api_for, grad_cc, post_a, post_b, who):
    OnDutyPlacementFactory(trainee=grad_cc, post=post_a if who == "employer_a" else post_b)
    response = api_for(request.getfixturevalue(who)).get(f"/api/v1/trainees/{grad_cc.pk}/")
    assert response.status_code == 200
    assert response.json()["id_number"] == grad_cc.id_number_masked
    assert not AuditLog.objects.filter(event="id_number.view").exists()


def test_other_city_gets_404_on_a_trainee_and_the_list_leaves_it_out(api_for, city_jl, grad_cc):
    api = api_for(city_jl)
    assert api.get(f"/api/v1/trainees/{grad_cc.pk}/").status_code == 404
    assert api.patch(f"/api/v1/trainees/{grad_cc.pk}/", {"school": "x"}, format="json").status_code == 404
    assert api.get("/api/v1/trainees/").json()["results"] == []


def test_wrong_check_digit_is_a_400_naming_the_field_and_nothing_is_saved(api_for, city_cc):
    wrong = NEW_ID[:17] + ("0" if NEW_ID[17] != "0" else "1")
    response = api_for(city_cc).post("/api/v1/trainees/", trainee_payload(id_number=wrong), format="json")
    assert response.status_code == 400
    assert response.json() == {"id_number": [f"居民身份证号码校验位错误：第18位应为“{NEW_ID[17]}”。"]}
    assert not Trainee.objects.exists()


def test_duplicate_id_number_is_a_400_saying_only_registered_elsewhere(api_for, city_jl, changchun):
    TraineeFactory(id_number=NEW_ID, region=changchun)
    response = api_for(city_jl).post("/api/v1/trainees/", trainee_payload(), format="json")
    assert response.status_code == 400 and "已在其他市（州）登记" in response.json()["id_number"][0]
    assert "长春" not in response.content.decode()


def test_city_patches_a_trainee_of_its_region(api_for, city_cc, grad_cc):
    response = api_for(city_cc).patch(f"/api/v1/trainees/{grad_cc.pk}/", {"major": "审计学"}, format="json")
    assert response.status_code == 200 and response.json()["major"] == "审计学"


def test_employer_cannot_create_trainees(api_for, employer_a):
    assert api_for(employer_a).post("/api/v1/trainees/", trainee_payload(), format="json").status_code == 403


def test_anonymous_gets_nothing(api_for, grad_cc):
    assert api_for().get("/api/v1/trainees/").status_code in (401, 403)


# ----------------------------------------------------------------------------------------- applications


def test_youth_applies_and_the_employer_accepts_through_the_api(api_for, youth, employer_a, post_a, changchun):
    TraineeFactory(user=youth, region=changchun)
    response = api_for(youth).post("/api/v1/applications/", {"post": post_a.pk, "note": "可立即到岗"}, format="json")
    assert response.status_code == 201 and response.json()["status"] == "pending"
    application_id = response.json()["id"]
    response = api_for(employer_a).post(
        f"/api/v1/applications/{application_id}/accept/",
        {"signed_on": "2026-03-01", "planned_start": "2026-03-01"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["application"], body["planned_end"]) == ("planned", application_id, "2026-08-31")


def test_application_to_a_closed_post_is_refused_through_the_api(api_for, youth, post_a, changchun):
    TraineeFactory(user=youth, region=changchun)
    Post.objects.filter(pk=post_a.pk).update(status=Post.Status.CLOSED)
    response = api_for(youth).post("/api/v1/applications/", {"post": post_a.pk}, format="json")
    assert response.status_code == 400
    assert response.json() == {"post": ["该岗位未发布、已关闭或已过报名截止日期，不能申请。"]}
    Post.objects.filter(pk=post_a.pk).update(
        status=Post.Status.APPROVED, closing_date=timezone.localdate() - timedelta(days=1)
    )
    assert api_for(youth).post("/api/v1/applications/", {"post": post_a.pk}, format="json").status_code == 400
    assert not Application.objects.exists()


def test_second_application_to_a_post_is_refused(api_for, youth, post_a, changchun):
    TraineeFactory(user=youth, region=changchun)
    api = api_for(youth)
    api.post("/api/v1/applications/", {"post": post_a.pk}, format="json")
    response = api.post("/api/v1/applications/", {"post": post_a.pk}, format="json")
    assert response.status_code == 400 and Application.objects.count() == 1


def test_other_unit_gets_404_on_an_application(api_for, youth, employer_b, post_a, changchun):
    TraineeFactory(user=youth, region=changchun)
    application = application_create(post_id=post_a.pk, by=youth)
    api = api_for(employer_b)
    assert api.get(f"/api/v1/applications/{application.pk}/").status_code == 404
    assert api.post(f"/api/v1/applications/{application.pk}/decline/", {}, format="json").status_code == 404


# ------------------------------------------------------------------------------------------- lifecycle


def test_completed_and_retained_through_the_api(started, api_for, employer_a):
    api = api_for(employer_a)
    assert post_event(api, started, "complete", ended_on="2026-08-31").status_code == 200
    response = post_event(
        api,
        started,
        "outcome",
        outcome="retained",
        outcome_on="2026-09-01",
        contract_signed_on="2026-09-01",
        contract_months=12,
        social_insurance_paid=True,
    )
    body = response.json()
    assert (body["status"], body["end"], body["ended_on"], body["outcome"], body["outcome_on"]) == (
        "ended",
        "completed",
        "2026-08-31",
        "retained",
        "2026-09-01",
    )
    assert (body["contract_months"], body["social_insurance_paid"]) == (12, True)


def test_completed_and_other_employment_through_the_api(started, api_for, city_cc):
    api = api_for(city_cc)
    post_event(api, started, "complete", ended_on="2026-08-31")
    body = post_event(
        api, started, "outcome", outcome="other_employment", outcome_on="2026-10-08", other_employment_note="参军入伍"
    ).json()
    assert (body["outcome"], body["outcome_on"], body["other_employment_note"]) == (
        "other_employment",
        "2026-10-08",
        "参军入伍",
    )


def test_completed_and_none_through_the_api(started, api_for, city_cc):
    api = api_for(city_cc)
    post_event(api, started, "complete", ended_on="2026-08-31")
    body = post_event(api, started, "outcome", outcome="none", outcome_on="2026-08-31").json()
    assert (body["end"], body["outcome"]) == ("completed", "none")


def test_early_retention_through_the_api(started, api_for, employer_a):
    response = post_event(
        api_for(employer_a),
        started,
        "retain",
        ended_on="2026-05-31",
        contract_months=36,
        social_insurance_paid=True,
    )
    body = response.json()
    assert (body["end"], body["ended_on"], body["contract_signed_on"], body["contract_months"], body["outcome"]) == (
        "early_retained",
        "2026-05-31",
        "2026-05-31",
        36,
        "retained",
    )


def test_abnormal_end_through_the_api(started, api_for, employer_a):
    body = post_event(
        api_for(employer_a), started, "terminate", ended_on="2026-04-10", end_reason="other", end_note="家庭原因搬迁"
    ).json()
    assert (body["end"], body["ended_on"], body["end_reason"], body["end_note"]) == (
        "abnormal",
        "2026-04-10",
        "other",
        "家庭原因搬迁",
    )


def test_retention_on_an_eleven_month_contract_without_insurance_is_recorded(started, api_for, employer_a):
    response = post_event(
        api_for(employer_a), started, "retain", ended_on="2026-05-31", contract_months=11, social_insurance_paid=False
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["end"], body["outcome"], body["contract_months"], body["contract_ends_on"]) == (
        "early_retained",
        "retained",
        11,
        "2027-04-29",  # 2026-05-31 + 11 months is 2027-04-30 (April has no 31st); the term ends the day before
    )
    assert body["social_insurance_paid"] is False


def test_a_contract_ending_before_it_was_signed_is_a_400_naming_the_field(started, api_for, employer_a):
    response = post_event(api_for(employer_a), started, "retain", ended_on="2026-05-31", contract_ends_on="2026-05-01")
    assert response.status_code == 400
    assert response.json() == {"contract_ends_on": ["劳动合同终止日期 2026-05-01 应晚于合同签订日期 2026-05-31。"]}
    started.refresh_from_db()
    assert (started.status, started.ended_on, started.contract_months, started.contract_ends_on) == (
        "on_duty",
        None,
        None,
        None,
    )


def test_end_before_start_is_a_400(started, api_for, employer_a):
    response = post_event(api_for(employer_a), started, "terminate", ended_on="2026-03-01", end_reason="personal")
    assert response.status_code == 400
    assert response.json() == {"ended_on": ["结束日期 2026-03-01 早于到岗日期 2026-03-02。"]}


def test_second_end_is_a_409(started, api_for, employer_a):
    api = api_for(employer_a)
    post_event(api, started, "terminate", ended_on="2026-04-10", end_reason="personal")
    response = post_event(api, started, "complete", ended_on="2026-08-31")
    assert response.status_code == 409
    assert "不能办理“期满结业”" in response.json()["detail"]


def test_missing_date_is_a_400(started, api_for, employer_a):
    response = post_event(api_for(employer_a), started, "complete")
    assert response.status_code == 400 and "ended_on" in response.json()


def test_cancel_through_the_api(placement, api_for, employer_a):
    body = post_event(api_for(employer_a), placement, "cancel", cancelled_on="2026-03-01", reason="本人放弃").json()
    assert (body["status"], body["cancelled_on"]) == ("cancelled", "2026-03-01")


# ---------------------------------------------------------------------------------------------- filing


def test_filing_submit_and_approve_through_the_api(placement, api_for, employer_a, city_cc):
    employer = api_for(employer_a)
    assert post_event(employer, placement, "submit").status_code == 400
    post_event(
        employer,
        placement,
        "insurance",
        insurer="中国人寿",
        policy_no="P-1",
        insured_from="2026-03-01",
        insured_to="2026-08-31",
    )
    mentor = MentorFactory(unit=placement.unit)
    assert post_event(employer, placement, "mentor", mentor=mentor.pk).json()["mentor"] == mentor.pk
    training = post_event(employer, placement, "trainings", kind="pre_job", on="2026-03-01", content="安全", hours="4")
    assert training.status_code == 201
    assert post_event(employer, placement, "submit").json()["filing_status"] == "submitted"
    assert post_event(employer, placement, "approve").status_code == 403
    city = api_for(city_cc)
    assert post_event(city, placement, "reject").status_code == 400
    body = post_event(city, placement, "approve", opinion="同意").json()
    assert (body["filing_status"], body["first_approved_on"]) == ("approved", timezone.localdate().isoformat())
    assert post_event(city, placement, "approve").status_code == 409


def test_filing_return_through_the_api(placement, api_for, employer_a, city_cc):
    Placement.objects.filter(pk=placement.pk).update(filing_status="submitted")
    body = post_event(api_for(city_cc), placement, "return", opinion="请补充保单").json()
    assert body["filing_status"] == "returned"


# ---------------------------------------------------------------------------------------------- scoping


def test_other_city_gets_404_on_placements_and_their_events(started, api_for, city_jl):
    api = api_for(city_jl)
    assert api.get(f"/api/v1/placements/{started.pk}/").status_code == 404
    assert post_event(api, started, "terminate", ended_on="2026-04-10", end_reason="personal").status_code == 404
    assert post_event(api, started, "approve").status_code == 404
    assert api.get("/api/v1/placements/").json()["results"] == []
    started.refresh_from_db()
    assert started.status == "on_duty"


def test_other_units_employer_gets_404(started, api_for, employer_b):
    api = api_for(employer_b)
    assert api.get(f"/api/v1/placements/{started.pk}/").status_code == 404
    assert post_event(api, started, "complete", ended_on="2026-08-31").status_code == 404


def test_city_cannot_create_a_placement_in_another_region(api_for, city_jl, grad_cc, post_a):
    response = api_for(city_jl).post(
        "/api/v1/placements/",
        {"trainee": grad_cc.pk, "post": post_a.pk, "signed_on": "2026-03-01", "planned_start": "2026-03-01"},
        format="json",
    )
    assert response.status_code == 400 and not Placement.objects.exists()


def test_placement_list_filters(started, api_for, city_cc, post_a):
    OnDutyPlacementFactory(post=post_a, trainee=TraineeFactory(name="五月到岗"), started_on=date(2026, 5, 6))
    api = api_for(city_cc)
    names = [r["trainee_name"] for r in api.get("/api/v1/placements/", {"started": "2026-03"}).json()["results"]]
    assert names == ["张明"]
    assert api.get("/api/v1/placements/", {"started": "2026-3"}).status_code == 400
    assert len(api.get("/api/v1/placements/", {"status": "on_duty"}).json()["results"]) == 2


def test_youth_reads_only_their_own_placement(started, api_for, youth, changchun, post_a):
    mine = OnDutyPlacementFactory(trainee=TraineeFactory(user=youth, region=changchun), post=post_a)
    api = api_for(youth)
    assert [r["id"] for r in api.get("/api/v1/placements/").json()["results"]] == [mine.pk]
    assert api.get(f"/api/v1/placements/{started.pk}/").status_code == 404
    assert post_event(api, mine, "terminate", ended_on="2026-04-10", end_reason="personal").status_code == 403


def test_schema_builds(api_for, admin_user):
    assert api_for(admin_user).get("/api/schema/").status_code == 200


# ------------------------------------------------------------------------------------ mentors, interns


def test_employer_adds_a_mentor_and_other_units_cannot_see_it(api_for, employer_a, employer_b):
    response = api_for(employer_a).post(
        "/api/v1/mentors/", {"name": "刘工", "position": "主管", "phone": "13904311234"}, format="json"
    )
    assert response.status_code == 201 and response.json()["capacity"] == 3
    mentor_id = response.json()["id"]
    assert api_for(employer_b).get(f"/api/v1/mentors/{mentor_id}/").status_code == 404
    assert api_for(employer_b).get("/api/v1/mentors/").json()["results"] == []


def test_city_cannot_add_mentors_through_the_api(api_for, city_cc):
    response = api_for(city_cc).post(
        "/api/v1/mentors/", {"name": "刘工", "position": "主管", "phone": "1"}, format="json"
    )
    assert response.status_code == 403


def test_intern_recorded_and_converted_through_the_api(api_for, employer_a, city_jl, unit_a):
    from decimal import Decimal

    from positions.tests.factories import ApprovedPostFactory
    from units.models import Unit

    Unit.objects.filter(pk=unit_a.pk).update(is_practice_base=True)
    post = ApprovedPostFactory(unit=unit_a, also_internship=True, allowance=Decimal("1500"))
    api = api_for(employer_a)
    response = api.post(
        "/api/v1/internships/",
        {
            "post": post.pk,
            "name": "赵强",
            "id_number": make_id_number(date(2004, 4, 4), 317),
            "phone": "13700001111",
            "school": "吉林大学",
            "left_school_on": "2026-06-30",
            "started_on": "2025-09-01",
            "planned_end": "2026-06-30",
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["status"] == "active"
    internship_id = response.json()["id"]
    assert api_for(city_jl).get(f"/api/v1/internships/{internship_id}/").status_code == 404
    response = api.post(
        f"/api/v1/internships/{internship_id}/convert/",
        {"signed_on": "2026-07-01", "planned_start": "2026-07-01"},
        format="json",
    )
    assert response.status_code == 201
    assert (response.json()["internship"], response.json()["planned_end"]) == (internship_id, "2026-12-31")
    assert api.get(f"/api/v1/internships/{internship_id}/").json()["status"] == "converted"
