"""Outreach in the API: events (write, publish, add posts, cancel; sign up and check in), articles,
follow-up contacts, the push log and nominations — each scoped like the pages, with outsider tests
(another city's or unit's object is a 404), and in the OpenAPI schema."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from outreach import events, push
from outreach.models import Article, Event, FollowUpContact, Nomination, PushLog
from trainees.models import Placement
from trainees.tests.factories import PlacementFactory
from units.tests.factories import ApprovedUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    def client(user):
        api_client = APIClient()
        api_client.force_authenticate(user)
        return api_client

    return client


@pytest.fixture
def event(city_cc, today):
    return events.event_create(
        by=city_cc, title="会计专场", kind="special", starts_on=today + timedelta(days=2), place="人才市场"
    )


def test_a_city_creates_publishes_and_fills_an_event_through_the_api(api, city_cc, make_post, unit_a, today):
    client = api(city_cc)
    created = client.post(
        "/api/v1/events/",
        {
            "title": "进园区招募",
            "kind": "park",
            "place": "高新区",
            "starts_on": (today + timedelta(days=4)).isoformat(),
        },
        format="json",
    )
    assert created.status_code == 201 and created.data["region"] == "changchun" and created.data["status"] == "draft"
    pk = created.data["id"]
    post = make_post(unit=unit_a, majors="会计学")
    assert client.post(f"/api/v1/events/{pk}/posts/", {"post": post.pk}, format="json").data["posts"] == [post.pk]
    published = client.post(f"/api/v1/events/{pk}/publish/")
    assert published.status_code == 200 and published.data["status"] == "published"
    assert len(published.data["checkin_code"]) == 6
    assert published.data["figures"] == {
        "posts": 1,
        "confirmed": 0,
        "slots": 3,
        "signed_up": 0,
        "attended": 0,
        "applications": 0,
        "applied": 0,
        "accepted": 0,
        "placed": 0,
    }
    cancelled = client.post(f"/api/v1/events/{pk}/cancel/", {"reason": "天气"}, format="json")
    assert cancelled.data["status"] == "cancelled" and cancelled.data["cancelled_at"]


def test_bad_event_input_names_the_field(api, city_cc):
    response = api(city_cc).post(
        "/api/v1/events/", {"title": "", "kind": "fair", "starts_on": "2026-12-05"}, format="json"
    )
    assert response.status_code == 400 and {"title", "kind"} <= set(response.data)
    past = api(city_cc).post(
        "/api/v1/events/", {"title": "招募会", "kind": "special", "starts_on": "2026-11-01", "place": ""}, format="json"
    )
    assert past.status_code == 400
    assert past.data == {"starts_on": ["活动日期不能早于今天。"], "place": ["请填写活动地点或直播链接（至少一项）。"]}
    assert not Event.objects.exists()


def test_events_are_scoped_and_another_city_gets_404(api, event, city_cc, city_jl, youth):
    assert api(city_jl).get(f"/api/v1/events/{event.pk}/").status_code == 404  # another city's draft
    assert api(youth).get(f"/api/v1/events/{event.pk}/").status_code == 404  # a draft is not public
    events.event_publish(event_id=event.pk, by=city_cc)
    seen = api(youth).get(f"/api/v1/events/{event.pk}/")
    assert seen.status_code == 200 and seen.data["checkin_code"] == ""  # only the event's city sees it
    assert api(city_cc).get(f"/api/v1/events/{event.pk}/").data["checkin_code"] == event.checkin_code
    for path, body in ((f"/api/v1/events/{event.pk}/cancel/", {}), (f"/api/v1/events/{event.pk}/publish/", {})):
        assert api(city_jl).post(path, body, format="json").status_code == 404
    assert api(city_jl).patch(f"/api/v1/events/{event.pk}/", {"place": "别处"}, format="json").status_code == 404
    event.refresh_from_db()
    assert (event.status, event.place) == ("published", "人才市场")
    events.event_cancel(event_id=event.pk, by=city_cc, reason="场地检修")
    cancelled = api(youth).get(f"/api/v1/events/{event.pk}/")  # its page stays and says so
    assert cancelled.status_code == 200 and cancelled.data["status"] == "cancelled"


def test_young_people_sign_up_and_check_in_through_the_api(api, event, city_cc, make_seeker, clock):
    events.event_publish(event_id=event.pk, by=city_cc)
    seeker = make_seeker()
    client = api(seeker.user)
    signed = client.post(f"/api/v1/events/{event.pk}/signup/")
    assert signed.status_code == 201 and signed.data["cancelled_at"] is None
    early = client.post(f"/api/v1/events/{event.pk}/check-in/", {"code": event.checkin_code}, format="json")
    assert early.status_code == 400 and "code" in early.data
    clock.move_to(datetime(2026, 12, 3, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    wrong = "000000" if event.checkin_code != "000000" else "111111"
    assert client.post(f"/api/v1/events/{event.pk}/check-in/", {"code": wrong}, format="json").status_code == 400
    done = client.post(f"/api/v1/events/{event.pk}/check-in/", {"code": event.checkin_code}, format="json")
    assert done.status_code == 200 and done.data["check_in"] == "code"
    assert api(city_cc).get(f"/api/v1/events/{event.pk}/").data["figures"]["attended"] == 1


def test_articles_are_written_by_their_city_and_read_when_published(api, city_cc, city_jl, youth):
    client = api(city_cc)
    created = client.post(
        "/api/v1/articles/",
        {"kind": "notice", "title": "报名通知", "body": "<p>欢迎<script>x</script></p>"},
        format="json",
    )
    assert created.status_code == 201
    assert (created.data["body"], created.data["region"]) == ("<p>欢迎</p>", "changchun")
    pk = created.data["id"]
    assert api(youth).get(f"/api/v1/articles/{pk}/").status_code == 404
    assert api(city_jl).get(f"/api/v1/articles/{pk}/").status_code == 404
    assert api(city_jl).post(f"/api/v1/articles/{pk}/publish/").status_code == 404
    assert client.post(f"/api/v1/articles/{pk}/publish/").data["status"] == "published"
    assert api(youth).get(f"/api/v1/articles/{pk}/").status_code == 200
    assert api(city_jl).patch(f"/api/v1/articles/{pk}/", {"title": "改"}, format="json").status_code == 404
    assert Article.objects.get().title == "报名通知"


def test_follow_ups_are_recorded_by_the_placements_city_only(api, city_cc, city_jl, employer_a, unit_a, today):
    case = PlacementFactory(
        post__unit=unit_a,
        status=Placement.Status.ENDED,
        started_on=date(2026, 3, 1),
        ended_on=date(2026, 9, 1),
        end="abnormal",
    )
    body = {"placement": case.pk, "contacted_on": today.isoformat(), "method": "phone", "outcome": "looking"}
    assert api(city_jl).post("/api/v1/follow-ups/", body, format="json").status_code == 400  # not on its list
    created = api(city_cc).post("/api/v1/follow-ups/", body, format="json")
    assert created.status_code == 201 and created.data["region"] == "changchun"
    pk = created.data["id"]
    assert api(city_jl).get(f"/api/v1/follow-ups/{pk}/").status_code == 404
    assert api(employer_a).get(f"/api/v1/follow-ups/{pk}/").status_code == 404
    assert api(city_jl).get("/api/v1/follow-ups/").data["count"] == 0
    assert FollowUpContact.objects.count() == 1


def test_the_push_log_in_the_api_is_scoped(
    api, city_cc, city_jl, employer_a, employer_b, make_seeker, make_post, unit_a
):
    seeker = make_seeker()
    post = make_post(unit=unit_a, majors="会计学")
    push.push_post_approved(post_id=post.pk)
    log = PushLog.objects.get()
    listed = api(city_cc).get(f"/api/v1/pushes/?post={post.pk}")
    assert [row["id"] for row in listed.data["results"]] == [log.pk]
    row = listed.data["results"][0]
    assert (row["kind"], row["recipient"], row["channel"], row["applied"], row["unsubscribed"]) == (
        "match",
        seeker.trainee.name,
        "in_app",
        False,
        False,
    )
    assert api(employer_a).get(f"/api/v1/pushes/{log.pk}/").status_code == 200
    assert api(seeker.user).get(f"/api/v1/pushes/{log.pk}/").status_code == 200
    for outsider in (city_jl, employer_b, make_seeker().user):
        assert api(outsider).get(f"/api/v1/pushes/{log.pk}/").status_code == 404
    assert api(city_cc).post("/api/v1/pushes/", {}, format="json").status_code == 405


def test_nominations_are_the_provinces(api, province_user, city_cc):
    unit = ApprovedUnitFactory(name="示范单位")
    assert (
        api(city_cc)
        .post("/api/v1/nominations/", {"unit": unit.pk, "year": 2026, "note": "好"}, format="json")
        .status_code
        == 403
    )
    created = api(province_user).post(
        "/api/v1/nominations/", {"unit": unit.pk, "year": 2026, "note": "留用率高"}, format="json"
    )
    assert created.status_code == 201 and created.data["unit_name"] == "示范单位"
    assert api(province_user).get("/api/v1/nominations/").data["count"] == 1
    assert api(city_cc).get("/api/v1/nominations/").data["count"] == 0  # the province's working note
    assert api(city_cc).delete(f"/api/v1/nominations/{created.data['id']}/").status_code == 404
    assert api(province_user).delete(f"/api/v1/nominations/{created.data['id']}/").status_code == 204
    assert not Nomination.objects.exists()


def test_outreach_endpoints_are_in_the_schema():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path in (
        "/api/v1/events/",
        "/api/v1/events/{id}/check-in/",
        "/api/v1/articles/",
        "/api/v1/follow-ups/",
        "/api/v1/pushes/",
        "/api/v1/nominations/",
    ):
        assert path in paths, path
    assert Event.objects.count() == 0
