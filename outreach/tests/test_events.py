"""Recruitment events: a city creates, attaches its region's posts (their units confirm booths),
publishes (the young people its posts fit are told); the public sees upcoming events; young people
sign up and are checked in; cancelling or moving the event tells everyone signed up; applications
made from the event's page count for it; figures per event."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from jianxi_portal.core.models import Notification
from outreach import events as services
from outreach import push
from outreach.models import Event, EventApplication, EventPost, EventSignup, PushLog
from trainees.services.applications import application_accept
from units.tests.factories import ApprovedUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(city_cc, today):
    return services.event_create(
        by=city_cc,
        title="长春市高校毕业生就业见习专场",
        kind="special",
        starts_on=today + timedelta(days=5),
        place="长春市人力资源市场",
    )


def test_city_creates_an_event_of_its_own_region(event, changchun):
    assert event.region == changchun and event.status == Event.Status.DRAFT


def test_an_event_needs_a_place_or_a_live_link_and_a_future_day(city_cc, today):
    with pytest.raises(ValidationError) as err:
        services.event_create(by=city_cc, title="直播带岗", kind="live", starts_on=today - timedelta(days=1))
    assert err.value.message_dict == {
        "starts_on": ["活动日期不能早于今天。"],
        "place": ["请填写活动地点或直播链接（至少一项）。"],
    }
    with pytest.raises(ValidationError) as err:
        services.event_create(
            by=city_cc,
            title="直播带岗",
            kind="live",
            starts_on=today,
            live_url="javascript:alert(1)",
            start_time=time(10),
            end_time=time(9),
        )
    assert set(err.value.message_dict) == {"live_url", "end_time"}
    live = services.event_create(
        by=city_cc, title="直播带岗", kind="live", starts_on=today, live_url="https://live.example.cn/room/1"
    )
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
    past = services.event_create(
        by=city_cc, title="上周的双向洽谈会", kind="two_way", starts_on=today, place="会展中心"
    )
    Event.objects.filter(pk=past.pk).update(status="published", starts_on=today - timedelta(days=7))
    page = client.get("/events/")
    assert page.context["page"].paginator.count == 1
    assert event.title in page.content.decode() and "上周的双向洽谈会" not in page.content.decode()
    assert client.get(f"/events/{event.pk}/").status_code == 200


def test_a_draft_is_not_public_and_a_cancelled_event_says_it_is_cancelled(client, event, city_cc, make_post, unit_a):
    assert client.get(f"/events/{event.pk}/").status_code == 404
    services.event_post_add(event_id=event.pk, post_id=make_post(unit=unit_a, title="出纳见习").pk, by=city_cc)
    services.event_publish(event_id=event.pk, by=city_cc)
    services.event_cancel(event_id=event.pk, by=city_cc)
    page = client.get(f"/events/{event.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "已取消" in html and "本活动已于2026年12月1日取消" in html
    assert "出纳见习" not in html and "报名参加" not in html and "通过本活动申请" not in html
    assert event.title not in client.get("/events/").content.decode()


def test_application_through_the_event_counts_for_it(client_for, event, city_cc, make_post, make_seeker, unit_a):
    post = make_post(unit=unit_a)
    services.event_post_add(event_id=event.pk, post_id=post.pk, by=city_cc)
    services.event_publish(event_id=event.pk, by=city_cc)
    seeker = make_seeker()
    response = client_for(seeker.user).post(f"/events/{event.pk}/apply/{post.pk}/", {"note": "希望参加"})
    assert response.status_code == 302
    link = EventApplication.objects.get()
    assert link.event == event and link.application.post == post and link.application.trainee == seeker.trainee
    assert services.event_figures([event])[event.pk] == {
        "posts": 1,
        "confirmed": 0,
        "slots": 3,
        "signed_up": 0,
        "attended": 0,
        "applications": 1,
        "applied": 1,
        "accepted": 0,
        "placed": 0,
    }
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
    response = client.post(
        "/manage/events/new/",
        {
            "title": "进校园招募",
            "kind": "campus",
            "starts_on": (today + timedelta(days=3)).isoformat(),
            "place": "吉林大学前卫校区",
            "live_url": "",
            "description": "",
        },
    )
    event = Event.objects.get(title="进校园招募")
    assert response.status_code == 302
    post = make_post(unit=unit_a)
    client.post(f"/manage/events/{event.pk}/posts/", {"post": post.pk})
    client.post(f"/manage/events/{event.pk}/publish/")
    event.refresh_from_db()
    assert event.status == "published" and list(event.posts.all()) == [post]


# ---------------------------------------------------------------------------------------------
# Sign-up, check-in, booths, notices and figures


@pytest.fixture
def live(event, city_cc, make_post, unit_a):
    """The event published with one post of 长春甲单位 asking for 会计学."""
    post = make_post(unit=unit_a, majors="会计学", title="会计见习")
    services.event_post_add(event_id=event.pk, post_id=post.pk, by=city_cc)
    services.event_publish(event_id=event.pk, by=city_cc)
    return event, post


def test_adding_a_post_tells_its_unit_which_confirms_its_booth(
    client_for, event, city_cc, make_post, unit_a, employer_a, employer_b
):
    post = make_post(unit=unit_a)
    services.event_post_add(event_id=event.pk, post_id=post.pk, by=city_cc)
    note = Notification.objects.get(recipient=employer_a)
    assert note.title == f"您的岗位已加入招聘活动：{event.title}" and note.link == "/manage/my-events/"
    services.event_publish(event_id=event.pk, by=city_cc)
    assert client_for(employer_b).post(f"/manage/my-events/{event.pk}/posts/{post.pk}/confirm/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.event_booth_confirm(event_id=event.pk, post_id=post.pk, by=employer_b)
    client = client_for(employer_a)
    assert event.title in client.get("/manage/my-events/").content.decode()
    client.post(f"/manage/my-events/{event.pk}/posts/{post.pk}/confirm/")
    link = EventPost.objects.get()
    assert link.confirmed_by == employer_a and link.confirmed_at is not None
    assert services.event_figures([event])[event.pk]["confirmed"] == 1


def test_publishing_tells_the_young_people_its_posts_fit_within_consent(
    event, city_cc, make_post, make_seeker, unit_a, django_capture_on_commit_callbacks
):
    fits = make_seeker(major="会计学")
    make_seeker(major="会计学", consents=())  # no consent: not told
    make_seeker(major="机械工程")  # the post does not fit
    post = make_post(unit=unit_a, majors="会计学")
    services.event_post_add(event_id=event.pk, post_id=post.pk, by=city_cc)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_publish(event_id=event.pk, by=city_cc)
    log = PushLog.objects.get()
    assert (log.profile, log.kind, log.event, log.post) == (fits, "event", event, None)
    note = Notification.objects.get(recipient=fits.user)
    assert note.title == f"招聘活动邀请：{event.title}"
    assert "专场招募 · 2026年12月06日 · 长春市人力资源市场" in note.body


@override_settings(OUTREACH_PUSH_PER_WEEK=1)
def test_the_event_push_counts_for_the_weekly_limit(event, city_cc, make_post, make_seeker, unit_a):
    seeker = make_seeker(major="会计学")
    other = make_post(unit=unit_a, majors="会计学")
    assert push.push_post_approved(post_id=other.pk) == 1
    services.event_post_add(event_id=event.pk, post_id=make_post(unit=unit_a, majors="会计学").pk, by=city_cc)
    services.event_publish(event_id=event.pk, by=city_cc)
    assert push.push_event_published(event_id=event.pk) == 0
    assert not PushLog.objects.filter(profile=seeker, kind="event").exists()


def test_young_people_sign_up_and_cancel_before_the_day(client_for, live, make_seeker, city_jl):
    event, _ = live
    seeker = make_seeker()
    client = client_for(seeker.user)
    client.post(f"/events/{event.pk}/signup/")
    assert EventSignup.objects.get().user == seeker.user
    assert "您已报名" in client.get(f"/events/{event.pk}/").content.decode()
    client.post(f"/events/{event.pk}/signup/", {"cancel": "1"})
    assert EventSignup.objects.get().cancelled_at is not None
    assert services.event_figures([event])[event.pk]["signed_up"] == 0
    client.post(f"/events/{event.pk}/signup/")
    assert services.event_figures([event])[event.pk]["signed_up"] == 1
    assert client_for(city_jl).post(f"/events/{event.pk}/signup/").status_code == 403


def test_check_in_with_the_code_on_the_event_day_only(client_for, live, make_seeker, clock):
    event, _ = live
    seeker = make_seeker()
    services.event_signup(event_id=event.pk, by=seeker.user)
    with pytest.raises(ValidationError) as early:
        services.event_check_in_by_code(event_id=event.pk, code=event.checkin_code, by=seeker.user)
    assert early.value.message_dict["code"] == ["签到只在活动当天（2026年12月06日）进行。"]
    clock.move_to(datetime(2026, 12, 6, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
    client = client_for(seeker.user)
    client.post(f"/events/{event.pk}/check-in/", {"code": "000000" if event.checkin_code != "000000" else "111111"})
    assert EventSignup.objects.get().checked_in_at is None
    client.post(f"/events/{event.pk}/check-in/", {"code": event.checkin_code})
    signup = EventSignup.objects.get()
    assert (signup.check_in, signup.checked_in_by) == ("code", seeker.user)
    # A walk-in with the code is signed up and checked in at once.
    walk_in = make_seeker()
    services.event_check_in_by_code(event_id=event.pk, code=event.checkin_code, by=walk_in.user)
    figures = services.event_figures([event])[event.pk]
    assert (figures["signed_up"], figures["attended"]) == (2, 2)


def test_the_city_checks_people_in_from_the_list_and_another_city_cannot(
    client_for, live, make_seeker, city_cc, city_jl, clock
):
    event, _ = live
    seeker = make_seeker()
    signup = services.event_signup(event_id=event.pk, by=seeker.user)
    clock.move_to(datetime(2026, 12, 6, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    url = f"/manage/events/{event.pk}/signups/{signup.pk}/check-in/"
    assert client_for(city_jl).post(url).status_code == 404
    with pytest.raises(PermissionDenied):
        services.event_check_in_from_list(signup_id=signup.pk, by=city_jl)
    client_for(city_cc).post(url)
    signup.refresh_from_db()
    assert (signup.check_in, signup.checked_in_by) == ("list", city_cc)
    page = client_for(city_cc).get(f"/manage/events/{event.pk}/").content.decode()
    assert seeker.trainee.name in page and "工作人员名单签到" in page


def test_cancelling_tells_everyone_signed_up_and_the_units(live, make_seeker, city_cc, employer_a):
    event, _ = live
    coming = make_seeker(consents=())  # a notice about their own sign-up needs no push consent
    changed_mind = make_seeker()
    services.event_signup(event_id=event.pk, by=coming.user)
    services.event_signup(event_id=event.pk, by=changed_mind.user)
    services.event_signup_cancel(event_id=event.pk, by=changed_mind.user)
    Notification.objects.all().delete()
    services.event_cancel(event_id=event.pk, by=city_cc, reason="场地维修")
    told = {n.recipient: n for n in Notification.objects.all()}
    assert set(told) == {coming.user, employer_a}
    note = told[coming.user]
    assert note.title == f"招聘活动已取消：{event.title}" and note.link == f"/events/{event.pk}/"
    assert "原定2026年12月06日，长春市人力资源市场的活动已取消。" in note.body and "说明：场地维修" in note.body


def test_changing_the_day_or_place_tells_everyone_signed_up(live, make_seeker, city_cc, employer_a):
    event, _ = live
    seeker = make_seeker()
    services.event_signup(event_id=event.pk, by=seeker.user)
    Notification.objects.all().delete()
    services.event_update(event_id=event.pk, by=city_cc, description="增加简历指导")
    assert not Notification.objects.exists()  # not the appointment
    services.event_update(event_id=event.pk, by=city_cc, starts_on=date(2026, 12, 8), place="长春国际会展中心")
    note = Notification.objects.get(recipient=seeker.user)
    assert note.title == f"招聘活动时间或地点变更：{event.title}"
    assert "原安排：2026年12月06日，长春市人力资源市场" in note.body
    assert "新安排：2026年12月08日，长春国际会展中心" in note.body
    assert Notification.objects.filter(recipient=employer_a).exists()


def test_the_event_page_counts_signed_up_attended_applied_and_placed(
    client, client_for, live, make_seeker, employer_a, clock
):
    event, post = live
    people = [make_seeker() for _ in range(3)]
    for person in people:
        services.event_signup(event_id=event.pk, by=person.user)
    clock.move_to(datetime(2026, 12, 6, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    for person in people[:2]:
        services.event_check_in_by_code(event_id=event.pk, code=event.checkin_code, by=person.user)
    first = services.event_apply(event_id=event.pk, post_id=post.pk, by=people[0].user)
    services.event_apply(event_id=event.pk, post_id=post.pk, by=people[1].user)
    application_accept(
        application_id=first.pk, by=employer_a, signed_on=date(2026, 12, 6), planned_start=date(2026, 12, 10)
    )
    figures = services.event_figures([event])[event.pk]
    assert (figures["signed_up"], figures["attended"], figures["applied"], figures["accepted"], figures["placed"]) == (
        3,
        2,
        2,
        1,
        1,
    )
    html = client.get(f"/events/{event.pk}/").content.decode()
    assert "3 人，已签到 2 人" in html and "2 人（2 人次），已上岗 1 人" in html
