"""Targeted push: matching candidates are told when a post is approved (in-app and email), at most N
per person in seven days, once per post, never after unsubscribing; weekly digests; invitations."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from jianxi_portal.core.models import Notification
from outreach import push
from outreach.models import PushLog
from outreach.seekers import seeker_unsubscribe
from positions import services as post_services
from positions.tests.factories import SubmittedPostFactory

pytestmark = pytest.mark.django_db


def test_approving_a_post_pushes_it_to_the_candidates_it_fits(make_seeker, city_cc, unit_a,
                                                               django_capture_on_commit_callbacks):
    fits = make_seeker(major="会计学", email="fits@example.cn")
    make_seeker(major="机械工程")  # home region and education only: below the push threshold
    post = SubmittedPostFactory(unit=unit_a, majors="会计学", title="会计见习")
    with django_capture_on_commit_callbacks(execute=True):
        post_services.post_approve(post_id=post.pk, by=city_cc)
    assert list(PushLog.objects.values_list("profile_id", "post_id", "kind")) == [(fits.pk, post.pk, "match")]
    note = Notification.objects.get(recipient=fits.user)
    assert note.title == "为您推荐见习岗位：会计见习"
    assert "推荐理由：专业匹配：会计学" in note.body
    assert note.link == f"/posts/{post.pk}/"
    sent = [m for m in mail.outbox if m.to == ["fits@example.cn"]]
    assert len(sent) == 1
    assert f"/unsubscribe/{fits.unsubscribe_token}/" in sent[0].body


def test_push_is_idempotent(make_seeker, make_post):
    seeker = make_seeker()
    post = make_post(majors="会计学")
    assert push.push_post_approved(post_id=post.pk) == 1
    assert push.push_post_approved(post_id=post.pk) == 0
    assert PushLog.objects.filter(profile=seeker).count() == 1


@override_settings(OUTREACH_PUSH_PER_WEEK=2)
def test_at_most_n_pushes_per_person_in_seven_days(make_seeker, make_post):
    seeker = make_seeker()
    posts = [make_post(majors="会计学") for _ in range(3)]
    assert [push.push_post_approved(post_id=p.pk) for p in posts] == [1, 1, 0]
    assert Notification.objects.filter(recipient=seeker.user).count() == 2
    # Eight days later the oldest pushes no longer count.
    PushLog.objects.update(sent_at=timezone.now() - timedelta(days=8))
    assert push.push_post_approved(post_id=posts[2].pk) == 1


def test_unsubscribed_or_opted_out_people_get_no_push(make_seeker, make_post):
    gone = make_seeker()
    seeker_unsubscribe(token=gone.unsubscribe_token)
    quiet = make_seeker()
    quiet.push_enabled = False
    quiet.save()
    post = make_post(majors="会计学")
    assert push.push_post_approved(post_id=post.pk) == 0
    assert not Notification.objects.exists()


def test_unsubscribe_link_asks_then_stops_pushes_and_digests(client, make_seeker):
    seeker = make_seeker()
    url = f"/unsubscribe/{seeker.unsubscribe_token}/"
    page = client.get(url)
    assert page.status_code == 200 and "确认退订" in page.content.decode()
    seeker.refresh_from_db()
    assert seeker.unsubscribed_at is None  # a GET (link checker) changes nothing
    assert "已退订" in client.post(url).content.decode()
    seeker.refresh_from_db()
    assert seeker.unsubscribed_at and not seeker.push_enabled and not seeker.digest_enabled
    assert client.get("/unsubscribe/not-a-token/").status_code == 404


def test_weekly_digest_lists_new_fitting_posts_once_a_week(make_seeker, make_post):
    seeker = make_seeker()
    new = make_post(majors="会计学", title="新会计岗位", published_days_ago=2)
    make_post(majors="会计学", title="旧会计岗位", published_days_ago=20)
    log = push.digest_send(profile_id=seeker.pk)
    assert log is not None and log.kind == "digest"
    note = Notification.objects.get(recipient=seeker.user)
    assert note.title == "本周为您推荐 1 个见习岗位"
    assert "新会计岗位" in note.body and "旧会计岗位" not in note.body
    assert f"/posts/{new.pk}/" in note.body and "退订" in note.body
    assert push.digest_send(profile_id=seeker.pk) is None  # same week: nothing more


def test_digest_skips_people_without_new_posts_and_those_who_unsubscribed(make_seeker, make_post):
    nothing_new = make_seeker()
    make_post(majors="会计学", published_days_ago=40)
    assert push.digest_send(profile_id=nothing_new.pk) is None
    gone = make_seeker()
    make_post(majors="会计学")
    seeker_unsubscribe(token=gone.unsubscribe_token)
    assert push.digest_send(profile_id=gone.pk) is None
    assert gone.pk not in push.digest_profile_ids()


def test_weekly_digest_task_sends_in_batches(make_seeker, make_post):
    from outreach.tasks import send_weekly_digests

    people = [make_seeker() for _ in range(3)]
    make_post(majors="会计学")
    assert send_weekly_digests() == 3
    assert PushLog.objects.filter(kind="digest").count() == 3
    assert {n.recipient_id for n in Notification.objects.all()} == {p.user_id for p in people}


def test_employer_invites_a_candidate_within_the_weekly_limit(make_seeker, make_post, employer_a, unit_a):
    seeker = make_seeker()
    post = make_post(unit=unit_a, majors="会计学")
    log = push.seeker_invite(post_id=post.pk, profile_id=seeker.pk, by=employer_a)
    assert log.kind == "invite"
    assert Notification.objects.get(recipient=seeker.user).title.startswith(f"{unit_a.name}邀请您申请见习岗位")
    with pytest.raises(Exception) as again:
        push.seeker_invite(post_id=post.pk, profile_id=seeker.pk, by=employer_a)
    assert "已收到过本岗位的信息" in str(again.value)


def test_another_unit_cannot_invite_for_a_post(make_seeker, make_post, employer_b, unit_a):
    from django.core.exceptions import PermissionDenied

    seeker = make_seeker()
    post = make_post(unit=unit_a, majors="会计学")
    with pytest.raises(PermissionDenied):
        push.seeker_invite(post_id=post.pk, profile_id=seeker.pk, by=employer_b)
