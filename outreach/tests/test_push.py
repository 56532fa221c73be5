"""Targeted push: people are told of a post only when its major requirement covers theirs (or it is
open to all) and it is within their stated preferences, with their consent, at most N per person in
seven days, once per post; every push logged with its reason and channel; refusals say why;
weekly digests; invitations; the link records the opening."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings

from jianxi_portal.core.models import Notification, ReviewLog
from outreach import push
from outreach.models import PushLog
from outreach.seekers import seeker_unsubscribe
from outreach.tests.conftest import NOW
from positions import services as post_services
from positions.tests.factories import SubmittedPostFactory
from units.tests.factories import ApprovedUnitFactory

pytestmark = pytest.mark.django_db


def test_approving_a_post_pushes_it_to_the_people_whose_major_it_covers(
    make_seeker, city_cc, unit_a, django_capture_on_commit_callbacks
):
    cs = make_seeker(major="计算机科学与技术", email="cs@example.cn")
    make_seeker(major="机械设计制造及其自动化")
    post = SubmittedPostFactory(unit=unit_a, majors="计算机类", title="软件开发见习")
    with django_capture_on_commit_callbacks(execute=True):
        post_services.post_approve(post_id=post.pk, by=city_cc)
    log = PushLog.objects.get()
    assert (log.profile, log.post, log.kind, log.channel, log.score) == (cs, post, "match", "in_app_email", 65)
    assert log.reason == (
        "专业相符：计算机科学与技术属于岗位要求的计算机类；学历不限；所在地区：长春市；岗位类别：技术（未设意向类别）"
    )
    note = Notification.objects.get(recipient=cs.user)
    assert note.title == "为您推荐见习岗位：软件开发见习"
    assert "推荐理由：专业相符：计算机科学与技术属于岗位要求的计算机类" in note.body
    assert "匹配度 65 分（满分 90）" in note.body
    assert note.link == push.push_open_url(log)
    sent = [m for m in mail.outbox if m.to == ["cs@example.cn"]]
    assert len(sent) == 1 and f"/unsubscribe/{cs.unsubscribe_token}/" in sent[0].body


def test_the_computer_science_graduate_is_not_pushed_the_mechanical_post(make_seeker, make_post):
    """Region, education and a recent sign-in once added up to a push without any major match."""
    cs = make_seeker(major="计算机科学与技术", categories=["technical"])
    mechanical = make_post(majors="机械类", category="technical", education="bachelor", slots=5)
    assert push.push_post_approved(post_id=mechanical.pk) == 0
    assert not PushLog.objects.filter(profile=cs).exists()


def test_a_post_outside_the_stated_preferences_is_not_pushed(make_seeker, make_post):
    elsewhere = make_seeker(prefer=["jilin"])
    other_kind = make_seeker(categories=["research"])
    post = make_post(majors="会计学", category="service")  # 长春市, service
    assert push.push_post_approved(post_id=post.pk) == 0
    assert not PushLog.objects.filter(profile__in=[elsewhere, other_kind]).exists()


def test_a_post_open_to_all_majors_is_pushed_within_the_preferences(make_seeker, make_post):
    seeker = make_seeker(major="历史学")
    post = make_post(majors="不限")
    assert push.push_post_approved(post_id=post.pk) == 1
    log = PushLog.objects.get()
    assert log.profile == seeker and log.reason.startswith("专业不限；")


def test_nothing_is_pushed_without_consent(make_seeker, make_post):
    make_seeker(consents=())
    make_seeker(consents=("digest", "employers"))
    post = make_post(majors="会计学")
    assert push.push_post_approved(post_id=post.pk) == 0
    assert not Notification.objects.exists()


def test_a_consent_given_after_the_approval_does_not_reach_back(make_seeker, make_post, clock, city_cc):
    """The demo approves posts and then the young person consents: they are not pushed those posts.
    The approval's time is read from the review log (the task carries only the post's id)."""
    post = make_post(majors="会计学")

    def approve():
        ReviewLog.objects.create(
            content_type=ContentType.objects.get_for_model(post),
            object_id=post.pk,
            action="approve",
            from_status="pending",
            to_status="approved",
            by=city_cc,
        )

    approve()
    clock.shift(timedelta(minutes=5))
    seeker = make_seeker()
    assert push.push_post_approved(post_id=post.pk) == 0
    clock.shift(timedelta(minutes=5))
    approve()  # approved again (after a change): now the consent was there
    assert push.push_post_approved(post_id=post.pk) == 1
    assert PushLog.objects.get().profile == seeker


def test_push_is_idempotent(make_seeker, make_post):
    seeker = make_seeker()
    post = make_post(majors="会计学")
    assert push.push_post_approved(post_id=post.pk) == 1
    assert push.push_post_approved(post_id=post.pk) == 0
    assert PushLog.objects.filter(profile=seeker).count() == 1


@override_settings(OUTREACH_PUSH_PER_WEEK=2)
def test_at_most_n_pushes_per_person_in_seven_days(make_seeker, make_post, clock):
    seeker = make_seeker()
    posts = [make_post(majors="会计学") for _ in range(3)]
    assert [push.push_post_approved(post_id=p.pk) for p in posts] == [1, 1, 0]
    assert Notification.objects.filter(recipient=seeker.user).count() == 2
    clock.shift(timedelta(days=8))  # the oldest pushes no longer count
    assert push.push_post_approved(post_id=posts[2].pk) == 1


def test_the_weekly_limit_refusal_names_its_cause_and_when_it_ends(make_seeker, make_post, employer_a, unit_a, clock):
    seeker = make_seeker()
    for _ in range(3):
        assert push.push_post_approved(post_id=make_post(majors="会计学").pk) == 1
        clock.shift(timedelta(hours=1))
    post = make_post(unit=unit_a, majors="会计学")
    with pytest.raises(ValidationError) as refused:
        push.seeker_invite(post_id=post.pk, profile_id=seeker.pk, by=employer_a)
    # The three pushes were at 10:00, 11:00 and 12:00 on 1 December: one frees up at 10:00 on the 8th.
    assert refused.value.message_dict["profile"] == [
        "暂不能邀请：近7天已收到3条推送（每人每7天最多3条），12月08日 10:00后可再推送。"
    ]


@override_settings(OUTREACH_PUSH_PER_WEEK=1)
@pytest.mark.parametrize("who", ["employer_a", "city_cc"])
def test_an_invitation_refused_by_the_weekly_limit_tells_the_inviter_why_on_the_page(
    request, client_for, make_seeker, make_post, unit_a, who
):
    seeker = make_seeker()
    assert push.push_post_approved(post_id=make_post(majors="会计学").pk) == 1
    post = make_post(unit=unit_a, majors="会计学")
    page = client_for(request.getfixturevalue(who)).post(
        f"/manage/posts/{post.pk}/candidates/{seeker.pk}/invite/", follow=True
    )
    assert "暂不能邀请：近7天已收到1条推送（每人每7天最多1条），12月08日 10:00后可再推送。" in page.content.decode()
    assert not PushLog.objects.filter(post=post).exists()


def test_each_refusal_names_its_own_cause(make_seeker, make_post, employer_a, unit_a):
    post = make_post(unit=unit_a, majors="会计学")
    no_push = make_seeker(consents=("employers",))
    gone = make_seeker()
    seeker_unsubscribe(token=gone.unsubscribe_token)  # still visible to employers, no longer pushed to
    told = make_seeker()
    push.seeker_invite(post_id=post.pk, profile_id=told.pk, by=employer_a)
    causes = {}
    for who in (no_push, gone, told):
        with pytest.raises(ValidationError) as refused:
            push.seeker_invite(post_id=post.pk, profile_id=who.pk, by=employer_a)
        causes[who] = refused.value.message_dict["profile"][0]
    assert causes[no_push] == "暂不能邀请：本人未同意接收岗位推送。"
    assert causes[gone].startswith("暂不能邀请：已于2026-12-01退订推送")
    assert causes[told] == "暂不能邀请：已收到过本岗位的信息。"


def test_unsubscribe_link_asks_then_withdraws_consent_with_a_record(client, make_seeker):
    seeker = make_seeker()
    url = f"/unsubscribe/{seeker.unsubscribe_token}/"
    page = client.get(url)
    assert page.status_code == 200 and "确认退订" in page.content.decode()
    seeker.refresh_from_db()
    assert seeker.unsubscribed_at is None  # a GET (link checker) changes nothing
    assert "已退订" in client.post(url).content.decode()
    seeker.refresh_from_db()
    assert seeker.unsubscribed_at and not seeker.push_enabled and not seeker.digest_enabled
    history = list(seeker.trainee.consent_changes.filter(source="unsubscribe").values_list("purpose", "granted"))
    assert sorted(history) == [("digest", False), ("push", False)]
    assert client.get("/unsubscribe/not-a-token/").status_code == 404


def test_the_push_link_records_the_opening(client, make_seeker, make_post):
    seeker = make_seeker()
    post = make_post(majors="会计学")
    push.push_post_approved(post_id=post.pk)
    log = PushLog.objects.get(profile=seeker)
    response = client.get(push.push_open_url(log))
    assert response.status_code == 302 and response["Location"] == f"/posts/{post.pk}/"
    log.refresh_from_db()
    assert log.opened_at == NOW
    assert client.get("/p/forged/").status_code == 404


def test_weekly_digest_lists_new_fitting_posts_once_a_week(make_seeker, make_post):
    seeker = make_seeker()
    new = make_post(majors="会计学", title="新会计岗位", published_days_ago=2)
    make_post(majors="会计学", title="旧会计岗位", published_days_ago=20)
    make_post(majors="机械类", title="机械岗位", published_days_ago=1)
    log = push.digest_send(profile_id=seeker.pk)
    assert log is not None and log.kind == "digest" and log.reason == "新会计岗位"
    note = Notification.objects.get(recipient=seeker.user)
    assert note.title == "本周为您推荐 1 个见习岗位"
    assert "新会计岗位" in note.body and "旧会计岗位" not in note.body and "机械岗位" not in note.body
    assert f"/posts/{new.pk}/" in note.body and "退订" in note.body
    assert push.digest_send(profile_id=seeker.pk) is None  # same week: nothing more


def test_digest_needs_its_own_consent(make_seeker, make_post):
    nothing_new = make_seeker()
    make_post(majors="会计学", published_days_ago=40)
    assert push.digest_send(profile_id=nothing_new.pk) is None
    push_only = make_seeker(consents=("push",))
    gone = make_seeker()
    make_post(majors="会计学")
    seeker_unsubscribe(token=gone.unsubscribe_token)
    assert push.digest_send(profile_id=push_only.pk) is None and push.digest_send(profile_id=gone.pk) is None
    assert push_only.pk not in push.digest_profile_ids() and gone.pk not in push.digest_profile_ids()


def test_weekly_digest_task_sends_in_batches(make_seeker, make_post):
    from outreach.tasks import send_weekly_digests

    people = [make_seeker() for _ in range(3)]
    make_post(majors="会计学")
    assert send_weekly_digests() == 3
    assert PushLog.objects.filter(kind="digest").count() == 3
    assert {n.recipient_id for n in Notification.objects.all()} == {p.user_id for p in people}


def test_employer_invites_a_candidate_and_the_log_says_it_was_an_invitation(make_seeker, make_post, employer_a, unit_a):
    seeker = make_seeker()
    post = make_post(unit=unit_a, majors="会计学")
    log = push.seeker_invite(post_id=post.pk, profile_id=seeker.pk, by=employer_a)
    assert (log.kind, log.by, log.region) == ("invite", employer_a, unit_a.region)
    assert Notification.objects.get(recipient=seeker.user).title.startswith(f"{unit_a.name}邀请您申请见习岗位")


def test_another_unit_cannot_invite_for_a_post(make_seeker, make_post, employer_b, unit_a):
    from django.core.exceptions import PermissionDenied

    seeker = make_seeker()
    post = make_post(unit=unit_a, majors="会计学")
    with pytest.raises(PermissionDenied):
        push.seeker_invite(post_id=post.pk, profile_id=seeker.pk, by=employer_b)


def test_a_person_who_keeps_out_of_candidate_lists_cannot_be_invited(make_seeker, make_post, employer_a, unit_a):
    hidden = make_seeker(consents=("push",))
    post = make_post(unit=unit_a, majors="会计学")
    with pytest.raises(ValidationError) as refused:
        push.seeker_invite(post_id=post.pk, profile_id=hidden.pk, by=employer_a)
    assert refused.value.message_dict["profile"] == ["该求职者不在本岗位的推荐名单中。"]


def test_in_app_messages_show_links_not_addresses(client_for, make_seeker, make_post):
    seeker = make_seeker()
    post = make_post(majors="会计学", unit=ApprovedUnitFactory(region_code="changchun"))
    push.push_post_approved(post_id=post.pk)
    html = client_for(seeker.user).get("/notifications/").content.decode()
    assert seeker.unsubscribe_token in html  # in the link …
    assert ">退订推送</a>" in html and ">查看详情</a>" in html
    body = html.split('<ul class="notifications">')[1]
    assert "http://" not in body  # … never written out as text
