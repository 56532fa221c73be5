"""The push log: per post and per event, each recipient with the kind (automatic, invitation, by
hand, event), reason, channel and what followed (opened, applied, unsubscribed); the city's push
by hand to a filtered group after a preview that says who will not receive it and why; employers
tell an invitation from an automatic push and see whether the person applied."""

from datetime import timedelta

import pytest
from django.test import override_settings

from jianxi_portal.core.models import Notification
from outreach import events, push, pushlog
from outreach.models import PushLog
from outreach.seekers import seeker_unsubscribe
from trainees.services.applications import application_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def pushed(make_seeker, make_post, unit_a, employer_a, client):
    """A post of 长春甲单位 asking for 会计学: pushed to three people (one opens it and applies, one
    unsubscribes), and an invitation to a fourth."""
    people = [make_seeker(email="a@example.cn"), make_seeker(), make_seeker()]
    post = make_post(unit=unit_a, majors="会计学", title="会计见习")
    assert push.push_post_approved(post_id=post.pk) == 3
    opener = PushLog.objects.get(profile=people[0])
    client.get(push.push_open_url(opener))
    application_create(post_id=post.pk, by=people[0].user)
    seeker_unsubscribe(token=people[1].unsubscribe_token)
    invited = make_seeker()
    push.seeker_invite(post_id=post.pk, profile_id=invited.pk, by=employer_a)
    return post, people, invited


def test_the_log_of_a_post_says_who_why_how_and_what_followed(client_for, city_cc, pushed):
    post, people, invited = pushed
    rows = {log.profile: log for log in pushlog.push_log(city_cc, post=post)}
    assert set(rows) == {*people, invited}
    assert (rows[people[0]].channel, rows[people[0]].opened_at is not None, rows[people[0]].applied) == (
        "in_app_email",
        True,
        True,
    )
    assert (rows[people[1]].unsubscribed, rows[people[1]].applied) == (True, False)
    assert (rows[invited].kind, rows[invited].by.username) == ("invite", "employer_a")
    totals = pushlog.totals(pushlog.push_log(city_cc, post=post))
    assert (totals.sent, totals.opened, totals.applied, totals.unsubscribed) == (4, 1, 1, 1)
    assert totals.by_kind == {"岗位推送": 3, "单位邀请": 1}
    html = client_for(city_cc).get(f"/manage/posts/{post.pk}/pushes/").content.decode()
    assert "共推送 <strong>4</strong> 人" in html and "已申请" in html and "已退订" in html
    assert "专业相符：会计学" in html and "站内消息和邮件" in html


def test_the_log_is_scoped_like_the_post(client_for, city_jl, employer_b, pushed):
    post, _, _ = pushed
    assert client_for(city_jl).get(f"/manage/posts/{post.pk}/pushes/").status_code == 404
    assert client_for(employer_b).get(f"/manage/posts/{post.pk}/pushes/").status_code == 404
    assert not pushlog.push_log(city_jl, post=post).exists()


def test_the_employer_sees_only_people_who_let_employers_see_them(employer_a, make_seeker, make_post, unit_a):
    hidden = make_seeker(consents=("push",))
    shown = make_seeker()
    post = make_post(unit=unit_a, majors="会计学")
    push.push_post_approved(post_id=post.pk)
    assert {log.profile for log in pushlog.push_log(employer_a, post=post)} == {shown}
    assert PushLog.objects.filter(profile=hidden).exists()


def test_the_candidate_list_tells_an_invitation_from_an_automatic_push(client_for, employer_a, pushed):
    post, people, invited = pushed
    html = client_for(employer_a).get(f"/manage/posts/{post.pk}/candidates/").content.decode()
    row = html.split(invited.trainee.name)[1].split("</tr>")[0]
    assert "单位邀请（12-01）" in row
    row = html.split(people[0].trainee.name)[1].split("</tr>")[0]
    assert "岗位推送（12-01） · 已申请" in row


def test_push_by_hand_previews_the_group_and_says_why_some_are_left_out(
    client_for, city_cc, make_seeker, make_post, unit_a
):
    cs = make_seeker(major="计算机科学与技术")
    software = make_seeker(major="软件工程")
    quiet = make_seeker(major="计算机科学与技术", consents=("employers",))
    make_seeker(major="计算机科学与技术", region="jilin")  # another city's resident: not in the group
    make_seeker(major="机械工程")  # the post does not fit
    post = make_post(unit=unit_a, majors="计算机类", title="软件开发见习")
    client = client_for(city_cc)
    page = client.get(f"/manage/push/?post={post.pk}")
    rows = {row.profile: row for row in page.context["rows"]}
    assert set(rows) == {cs, software, quiet}
    assert rows[quiet].blocked.message == "本人未同意接收岗位推送" and rows[cs].blocked is None
    assert "预览：3 人相符，将推送 2 人" in page.content.decode()
    narrowed = client.get(f"/manage/push/?post={post.pk}&major=080902")
    assert [row.profile for row in narrowed.context["rows"]] == [software]
    assert not PushLog.objects.exists()  # a preview sends nothing
    client.post("/manage/push/", {"post": post.pk})
    assert {(log.profile, log.kind, log.by) for log in PushLog.objects.all()} == {
        (cs, "hand", city_cc),
        (software, "hand", city_cc),
    }
    assert not Notification.objects.filter(recipient=quiet.user).exists()


@override_settings(OUTREACH_PUSH_PER_WEEK=1)
def test_the_preview_names_the_weekly_limit_as_the_cause(client_for, city_cc, make_seeker, make_post, unit_a):
    seeker = make_seeker()
    push.push_post_approved(post_id=make_post(unit=unit_a, majors="会计学").pk)
    post = make_post(unit=unit_a, majors="会计学")
    row = client_for(city_cc).get(f"/manage/push/?post={post.pk}").context["rows"][0]
    assert row.profile == seeker
    assert row.blocked.message == "近7天已收到1条推送（每人每7天最多1条），12月08日 10:00后可再推送"


def test_push_by_hand_is_the_citys_own(client_for, city_jl, employer_a, make_post, unit_a):
    post = make_post(unit=unit_a, majors="会计学")
    page = client_for(city_jl).get(f"/manage/push/?post={post.pk}")
    assert page.status_code == 200 and page.context["rows"] == []
    assert "只能推送本市（州）已发布的岗位或招聘活动" in page.content.decode()
    client_for(city_jl).post("/manage/push/", {"post": post.pk})
    assert client_for(employer_a).get(f"/manage/push/?post={post.pk}").status_code == 403
    assert not PushLog.objects.exists()


def test_the_log_of_an_event(client_for, city_cc, city_jl, make_seeker, make_post, unit_a, today):
    seeker = make_seeker()
    event = events.event_create(
        by=city_cc, title="会计专场", kind="special", starts_on=today + timedelta(days=3), place="人才市场"
    )
    events.event_post_add(event_id=event.pk, post_id=make_post(unit=unit_a, majors="会计学").pk, by=city_cc)
    events.event_publish(event_id=event.pk, by=city_cc)
    assert push.push_event_published(event_id=event.pk) == 1
    page = client_for(city_cc).get(f"/manage/events/{event.pk}/pushes/")
    assert [log.profile for log in page.context["page"]] == [seeker]
    assert "活动推送" in page.content.decode()
    assert client_for(city_jl).get(f"/manage/events/{event.pk}/pushes/").status_code == 404


def test_an_event_is_pushed_by_hand_after_a_preview_and_not_twice(
    client_for, city_cc, make_seeker, make_post, unit_a, today
):
    fits = make_seeker()
    quiet = make_seeker(consents=("employers",))
    make_seeker(major="机械工程")  # the event's post does not fit
    event = events.event_create(
        by=city_cc, title="会计专场", kind="special", starts_on=today + timedelta(days=3), place="人才市场"
    )
    events.event_post_add(event_id=event.pk, post_id=make_post(unit=unit_a, majors="会计学").pk, by=city_cc)
    events.event_publish(event_id=event.pk, by=city_cc)
    client = client_for(city_cc)
    page = client.get(f"/manage/push/?event={event.pk}")
    rows = {row.profile: row.blocked for row in page.context["rows"]}
    assert set(rows) == {fits, quiet} and rows[fits] is None
    assert rows[quiet].message == "本人未同意接收岗位推送"
    assert "预览：2 人相符，将推送 1 人" in page.content.decode()
    response = client.post("/manage/push/", {"event": event.pk})
    assert response.url == f"/manage/events/{event.pk}/pushes/"
    assert [(log.profile, log.kind, log.event, log.by) for log in PushLog.objects.all()] == [
        (fits, "hand", event, city_cc)
    ]
    assert Notification.objects.get(recipient=fits.user).title == "招聘活动邀请：会计专场"
    again = client.get(f"/manage/push/?event={event.pk}").context["rows"]
    assert {row.profile: row.blocked.message for row in again}[fits] == "已收到过本活动的信息"
