"""Recruitment events: a city creates, attaches its region's posts, publishes; the public sees
upcoming events; applications made from the event's page count for it."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from outreach import events as services
from outreach.models import Event, EventApplication
from units.tests.factories import ApprovedUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(city_cc, today):
    return services.event_create(by=city_cc, title="长春市高校毕业生就业见习专场", kind="special",
                                 starts_on=today + timedelta(days=5), place="长春市人力资源市场")


def test_city_creates_an_event_of_its_own_region(event, changchun):
    assert event.region == changchun and event.status == Event.Status.DRAFT


def test_an_event_needs_a_place_or_a_live_link_and_a_future_day(city_cc, today):
    with pytest.raises(ValidationError) as err:
        services.event_create(by=city_cc, title="直播带岗", kind="live", starts_on=today - timedelta(days=1))
    assert err.value.message_dict == {
        "starts_on": ["活动日期不能早于今天。"], "place": ["请填写活动地点或直播链接（至少一项）。"]}
    with pytest.raises(ValidationError) as err:
        services.event_create(by=city_cc, title="直播带岗", kind="live", starts_on=today,
                              live_url="javascript:alert(1)", start_time=time(10), end_time=time(9))
    assert set(err.value.message_dict) == {"live_url", "end_time"}
    live = services.event_create(by=city_cc, title="直播带岗", kind="live", starts_on=today,
                                 live_url="https://live.example.cn/room/1")
    assert live.place == ""


def test_only_city_staff_create_events(province_user, employer_a, today):
    for who in (province_user, employer_a):
        with pytest.raises(PermissionDenied):
            services.event_create(by=who, title="x", kind="special", starts_on=today, place="y")


def test_another_city_cannot_change_the_event(event, city_jl):
    with pytest.raises(PermissionDenied):
        services.event_publish(event_id=event.pk, by=city_jl)


def test_only_published_posts_of_the_region_are_attached(event, city_cc, make_post, unit_a, unit_b):
    own = make_post(unit=unit_a)
    services.event_post_add(event_id=event.pk, post_id=own.pk, by=city_cc)
    with pytest.raises(ValidationError):
        services.event_post_add(event_id=event.pk, post_id=own.pk, by=city_cc)  # twice
    with pytest.raises(ValidationError):
        services.event_post_add(event_id=event.pk, post_id=make_post(unit=unit_b).pk, by=city_cc)
    assert list(event.posts.all()) == [own]


def test_public_sees_published_upcoming_events_only(client, event, city_cc, today):
    draft_page = client.get("/events/")
    assert event.title not in draft_page.content.decode()
    services.event_publish(event_id=event.pk, by=city_cc)
    past = services.event_create(by=city_cc, title="上周的双向洽谈会", kind="two_way", starts_on=today,
                                 place="会展中心")
    Event.objects.filter(pk=past.pk).update(status="published", starts_on=today - timedelta(days=7))
    page = client.get("/events/")
    assert page.context["page"].paginator.count == 1
    assert event.title in page.content.decode() and "上周的双向洽谈会" not in page.content.decode()
    assert client.get(f"/events/{event.pk}/").status_code == 200


def test_cancelled_and_draft_events_are_not_public(client, event, city_cc):
    assert client.get(f"/events/{event.pk}/").status_code == 404
    services.event_publish(event_id=event.pk, by=city_cc)
    services.event_cancel(event_id=event.pk, by=city_cc)
    assert client.get(f"/events/{event.pk}/").status_code == 404


def test_application_through_the_event_counts_for_it(client_for, event, city_cc, make_post, make_seeker, unit_a):
    post = make_post(unit=unit_a)
    services.event_post_add(event_id=event.pk, post_id=post.pk, by=city_cc)
    services.event_publish(event_id=event.pk, by=city_cc)
    seeker = make_seeker()
    response = client_for(seeker.user).post(f"/events/{event.pk}/apply/{post.pk}/", {"note": "希望参加"})
    assert response.status_code == 302
    link = EventApplication.objects.get()
    assert link.event == event and link.application.post == post and link.application.trainee == seeker.trainee
    assert services.event_figures([event])[event.pk] == {"posts": 1, "slots": 3, "applications": 1, "accepted": 0}
    staff = client_for(city_cc).get(f"/manage/events/{event.pk}/")
    assert staff.context["figures"]["applications"] == 1
    assert seeker.trainee.name in staff.content.decode()


def test_application_rules_still_hold_through_an_event(event, city_cc, make_post, make_seeker, unit_a):
    post = make_post(unit=unit_a)
    services.event_post_add(event_id=event.pk, post_id=post.pk, by=city_cc)
    services.event_publish(event_id=event.pk, by=city_cc)
    seeker = make_seeker()
    services.event_apply(event_id=event.pk, post_id=post.pk, by=seeker.user)
    with pytest.raises(ValidationError) as err:
        services.event_apply(event_id=event.pk, post_id=post.pk, by=seeker.user)
    assert "只能申请一次" in str(err.value)
    assert EventApplication.objects.count() == 1


def test_a_post_not_in_the_event_cannot_be_applied_to_through_it(event, city_cc, make_post, make_seeker):
    services.event_publish(event_id=event.pk, by=city_cc)
    other = make_post(unit=ApprovedUnitFactory())
    with pytest.raises(ValidationError):
        services.event_apply(event_id=event.pk, post_id=other.pk, by=make_seeker().user)


def test_city_pages_create_publish_and_attach(client_for, city_cc, make_post, unit_a, today):
    client = client_for(city_cc)
    response = client.post("/manage/events/new/", {
        "title": "进校园招募", "kind": "campus", "starts_on": (today + timedelta(days=3)).isoformat(),
        "place": "吉林大学前卫校区", "live_url": "", "description": "",
    })
    event = Event.objects.get(title="进校园招募")
    assert response.status_code == 302
    post = make_post(unit=unit_a)
    client.post(f"/manage/events/{event.pk}/posts/", {"post": post.pk})
    client.post(f"/manage/events/{event.pk}/publish/")
    event.refresh_from_db()
    assert event.status == "published" and list(event.posts.all()) == [post]
