"""The API of units and posts: create through the services (same messages as the pages), the
review actions, 清单管理, history, and role scoping."""

from datetime import timedelta

from django.utils import timezone

from jianxi_portal.core.models import District, User
from jianxi_portal.core.workdays import add_working_days
from jianxi_portal.tests.factories import UserFactory
from positions.models import Post
from positions.tests.factories import ApprovedPostFactory, SubmittedPostFactory
from units.models import Unit
from units.tests.factories import SubmittedUnitFactory, credit_code


def unit_payload(**overrides):
    district = District.objects.get(region__code="jilin", name="船营区")
    return {
        "name": "吉林化纤见习基地",
        "credit_code": credit_code(777),
        "unit_type": "state_owned",
        "industry": "C",
        "region": "jilin",
        "district": district.pk,
        "address": "吉林市船营区1号",
        "contact_name": "孙六",
        "contact_phone": "13904320000",
        "employee_count": 900,
        "is_state_owned": True,
    } | overrides


def post_payload(unit, **overrides):
    return {
        "title": "化工工艺见习",
        "category": "technical",
        "slots": 2,
        "duration_months": 6,
        "allowance": "1500.00",
        "district": unit.district_id,
        "majors": "化学工程",
        "education": "bachelor",
    } | overrides


def test_employer_registers_submits_and_city_approves_through_the_api(api_for, city_jl, db):
    employer = UserFactory(username="api_emp", role=User.Role.EMPLOYER)
    api = api_for(employer)
    response = api.post("/api/v1/units/", unit_payload(), format="json")
    assert response.status_code == 201, response.json()
    unit_id = response.json()["id"]
    assert response.json()["status"] == "draft" and response.json()["region"] == "jilin"
    body = api.post(f"/api/v1/units/{unit_id}/submit/").json()
    assert body["status"] == "submitted"
    assert body["review_deadline"] == add_working_days(timezone.localdate(), 15).isoformat()
    assert api.post(f"/api/v1/units/{unit_id}/approve/").status_code == 403

    city = api_for(city_jl)
    assert city.post(f"/api/v1/units/{unit_id}/reject/", {"opinion": ""}, format="json").json() == {
        "opinion": ["不通过时必须填写审核意见。"]
    }
    assert (
        city.post(f"/api/v1/units/{unit_id}/approve/", {"opinion": "同意"}, format="json").json()["status"]
        == "approved"
    )
    assert city.post(f"/api/v1/units/{unit_id}/approve/").status_code == 409

    response = api.post("/api/v1/posts/", post_payload(Unit.objects.get(pk=unit_id)), format="json")
    assert response.status_code == 201, response.json()
    post_id = response.json()["id"]
    assert api.post(f"/api/v1/posts/{post_id}/submit/").json()["status"] == "submitted"
    body = city.post(f"/api/v1/posts/{post_id}/approve/").json()
    assert body["status"] == "approved" and body["published_on"] == timezone.localdate().isoformat()
    history = city.get(f"/api/v1/posts/{post_id}/history/").json()
    assert [(h["action"], h["by"]) for h in history] == [("submit", "api_emp"), ("approve", "city_jl")]
    # The same names as the page's history and buttons (the declared machines).
    assert [h["action_label"] for h in history] == ["提交", "通过"]
    assert api_for(None).get("/api/v1/public/posts/").json()["count"] == 1


def test_bad_input_through_the_api_names_the_field(api_for, employer_a, unit_b):
    api = api_for(employer_a)
    unit = employer_a.unit
    response = api.post(
        "/api/v1/posts/", post_payload(unit, slots=0, duration_months=13, allowance="1000"), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "slots": ["岗位数至少为1人，收到0。"],
        "duration_months": ["见习期限应为3至12个月，收到13个月。"],
        "allowance": ["单位发放生活补贴不得低于当地最低工资标准2120.00元的60%，即1272.00元。"],
    }
    assert not Post.objects.exists()
    other = api_for(UserFactory(username="api_emp2", role=User.Role.EMPLOYER))
    response = other.post("/api/v1/units/", unit_payload(credit_code=unit_b.credit_code), format="json")
    assert response.status_code == 400 and "一个统一社会信用代码只能登记一个单位" in response.json()["credit_code"][0]
    bad = unit_b.credit_code[:17] + ("0" if unit_b.credit_code[17] != "0" else "1")
    response = other.post("/api/v1/units/", unit_payload(credit_code=bad), format="json")
    assert response.json()["credit_code"][0].startswith("统一社会信用代码校验位错误")


def test_employer_patches_only_while_draft_or_returned(api_for, employer_a):
    api = api_for(employer_a)
    post = api.post(
        "/api/v1/posts/", post_payload(employer_a.unit, district=employer_a.unit.district_id), format="json"
    )
    post_id = post.json()["id"]
    assert api.patch(f"/api/v1/posts/{post_id}/", {"slots": 5}, format="json").json()["slots"] == 5
    Post.objects.filter(pk=post_id).update(status=Post.Status.APPROVED)
    assert api.patch(f"/api/v1/posts/{post_id}/", {"slots": 6}, format="json").status_code == 409


def test_list_management_through_the_api(api_for, city_cc, employer_a):
    unit = employer_a.unit
    post = ApprovedPostFactory(unit=unit)
    city = api_for(city_cc)
    assert city.post(f"/api/v1/units/{unit.pk}/suspend/", {"reason": ""}, format="json").json() == {
        "reason": ["暂停单位时必须填写原因。"]
    }
    assert (
        city.post(f"/api/v1/units/{unit.pk}/suspend/", {"reason": "核查"}, format="json").json()["status"]
        == "suspended"
    )
    assert (
        city.post(f"/api/v1/units/{unit.pk}/resume/", {"reason": "完毕"}, format="json").json()["status"] == "approved"
    )
    body = city.post(f"/api/v1/units/{unit.pk}/revoke/", {"reason": "注销"}, format="json").json()
    assert body["status"] == "revoked" and body["revoked_on"] == timezone.localdate().isoformat()
    assert Post.objects.get(pk=post.pk).closed_on == timezone.localdate()
    assert api_for(employer_a).post(f"/api/v1/units/{unit.pk}/suspend/", {"reason": "x"}).status_code == 403


def test_employer_closes_its_post_through_the_api(api_for, employer_a):
    post = ApprovedPostFactory(unit=employer_a.unit)
    body = api_for(employer_a).post(f"/api/v1/posts/{post.pk}/close/", {"reason": "已招满"}, format="json").json()
    assert body["status"] == "closed" and body["close_reason"] == "已招满"


def test_return_action_is_routed(api_for, city_cc):
    post = SubmittedPostFactory()
    body = (
        api_for(city_cc).post(f"/api/v1/posts/{post.pk}/return/", {"opinion": "补贴标准写清楚"}, format="json").json()
    )
    assert body["status"] == "returned"
    unit = SubmittedUnitFactory()
    assert (
        api_for(city_cc).post(f"/api/v1/units/{unit.pk}/return/", {"opinion": "补材料"}).json()["status"] == "returned"
    )


def test_resubmission_note_goes_into_the_history_and_the_return_opinion_is_required(api_for, city_cc, employer_a):
    post = SubmittedPostFactory(unit=employer_a.unit)
    city, employer = api_for(city_cc), api_for(employer_a)

    refused = city.post(f"/api/v1/posts/{post.pk}/return/", {}, format="json")
    assert refused.status_code == 400 and "opinion" in refused.json()
    assert city.post(f"/api/v1/posts/{post.pk}/return/", {"opinion": "补贴标准写清楚"}).status_code == 200
    again = employer.post(f"/api/v1/posts/{post.pk}/submit/", {"opinion": "已写明补贴为每月1500元"}, format="json")
    assert again.status_code == 200 and again.json()["status"] == "submitted"

    history = city.get(f"/api/v1/posts/{post.pk}/history/").json()
    assert [(h["action"], h["opinion"]) for h in history][-2:] == [
        ("return", "补贴标准写清楚"),
        ("submit", "已写明补贴为每月1500元"),
    ]


def test_every_reviewable_kind_answers_the_four_review_actions_in_the_schema(api_for, admin_user):
    schema = api_for(admin_user).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for kind in ("units", "posts", "claims", "placements"):
        for verb in ("submit", "approve", "reject", "return"):
            operation = schema["paths"][f"/api/v1/{kind}/{{id}}/{verb}/"]["post"]
            body = operation["requestBody"]["content"]["application/json"]["schema"]
            assert body["$ref"].endswith("/OpinionRequest"), (kind, verb)


def test_roles_see_their_scope_in_lists(api_for, city_cc, province_user, employer_a, youth, unit_b):
    mine = ApprovedPostFactory(unit=employer_a.unit)
    theirs = ApprovedPostFactory(unit=unit_b)
    closed = ApprovedPostFactory(
        unit=unit_b, status=Post.Status.CLOSED, closing_date=timezone.localdate() - timedelta(days=1)
    )

    def ids(user):
        return {row["id"] for row in api_for(user).get("/api/v1/posts/").json()["results"]}

    assert ids(employer_a) == {mine.pk}
    assert ids(city_cc) == {mine.pk}
    assert ids(province_user) == {mine.pk, theirs.pk, closed.pk}
    assert ids(youth) == {mine.pk, theirs.pk}
    assert api_for(None).get("/api/v1/posts/").status_code in (401, 403)


def test_city_cannot_create_a_post_for_another_regions_unit(api_for, city_jl, unit_a):
    response = api_for(city_jl).post("/api/v1/posts/", post_payload(unit_a) | {"unit": unit_a.pk}, format="json")
    assert response.status_code == 400 and "unit" in response.json()
    assert not Post.objects.exists()


def test_openapi_schema_lists_the_review_actions(api_for, admin_user):
    schema = api_for(admin_user).get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in (
        "/api/v1/units/{id}/approve/",
        "/api/v1/units/{id}/revoke/",
        "/api/v1/posts/{id}/return/",
        "/api/v1/posts/{id}/close/",
        "/api/v1/public/posts/",
    ):
        assert path in schema


def test_the_action_routes_are_named_as_the_declared_machines_name_them(api_for, admin_user):
    import json

    from positions.workflows import CLOSING
    from trainees.workflows import EVENTS
    from units.workflows import LISTING

    paths = json.loads(api_for(admin_user).get("/api/schema/", HTTP_ACCEPT="application/json").content)["paths"]
    routes = [("units", t) for t in LISTING] + [("posts", t) for t in CLOSING] + [("placements", t) for t in EVENTS]
    for kind, t in routes:
        assert paths[f"/api/v1/{kind}/{{id}}/{t.action}/"]["post"]["summary"] == t.label
    assert paths["/api/v1/placements/{id}/start/"]["post"]["summary"] == "到岗"


def test_non_numeric_ids_are_not_found(api_for, city_cc):
    api = api_for(city_cc)
    for url in (
        "/api/v1/units/x:y/",
        "/api/v1/posts/%E4%B8%AD/",
        "/api/v1/posts/1e3/approve/",
        "/api/v1/public/posts/-1/",
    ):
        assert api.get(url).status_code == 404
