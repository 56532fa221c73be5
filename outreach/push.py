"""Targeted push (精准推送岗位信息): when a post is approved, the young people it fits best are told
(in-app, and by email where they gave one), at most `push_limit()` messages per person in any
seven days, never twice for the same post, never after they unsubscribed; employers may invite a
candidate to apply under the same limits; and once a week each person gets a digest of the new
posts that fit them. Every message carries the unsubscribe link."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jianxi_portal.core.audit import audit
from jianxi_portal.core.models import User
from jianxi_portal.core.notifications import notify
from outreach.models import PushLog, SeekerProfile
from outreach.recommend import Match, candidates_for_post, posts_for_seeker
from outreach.seekers import post_index
from positions.models import Post

# Pushed only when the fit is real: a wanted major with the education, or region and category wanted.
PUSH_MIN_SCORE = 50
PUSH_MAX_PER_POST = 200
DIGEST_SIZE = 5
LIMITED_KINDS = (PushLog.Kind.MATCH, PushLog.Kind.INVITE)


def push_limit() -> int:
    """The notice asks for precise pushes, not a flood: a person hears of at most this many posts
    in any seven days (settings.OUTREACH_PUSH_PER_WEEK)."""
    return getattr(settings, "OUTREACH_PUSH_PER_WEEK", 3)


def absolute(path: str) -> str:
    return getattr(settings, "PORTAL_URL", "").rstrip("/") + path


def unsubscribe_url(profile: SeekerProfile) -> str:
    return absolute(reverse("outreach:unsubscribe", args=[profile.unsubscribe_token]))


def pushes_this_week(profile_id: int, now=None) -> int:
    since = (now or timezone.now()) - timedelta(days=7)
    return PushLog.objects.filter(profile_id=profile_id, kind__in=LIMITED_KINDS, sent_at__gt=since).count()


def _body(lines: list[str], profile: SeekerProfile) -> str:
    footer = f"不想再收到岗位推送？退订：{unsubscribe_url(profile)}（也可在“求职意向”中修改推送设置）"
    return "\n".join([*lines, "", footer])


def _post_lines(post: Post, match: Match | None) -> list[str]:
    lines = [f"{post.unit.name} · {post.region.name} · {post.slots}人 · {post.allowance}元/月"]
    if match is not None:
        lines.append("推荐理由：" + "；".join(match.reason_texts))
    lines.append(absolute(reverse("post_public", args=[post.pk])))
    return lines


@transaction.atomic
def _send_limited(*, profile_id: int, post: Post, kind: str, title: str, lines: list[str], by: User | None = None,
                  now=None) -> PushLog | None:
    """One message about `post` to one person under their row lock: refused (None) when they
    unsubscribed, already heard of the post, or reached the weekly limit."""
    profile = SeekerProfile.objects.select_for_update().select_related("user").get(pk=profile_id)
    if not profile.receives_push or PushLog.objects.filter(profile=profile, post=post).exists():
        return None
    if pushes_this_week(profile.pk, now) >= push_limit():
        return None
    log = PushLog.objects.create(profile=profile, post=post, kind=kind, sent_at=now or timezone.now(), by=by)
    notify([profile.user], title=title, body=_body(lines, profile), link=reverse("post_public", args=[post.pk]))
    return log


def push_post_approved(*, post_id: int, today: date | None = None) -> int:
    """Tell the best-fitting candidates of a newly published post about it. Idempotent (a person
    hears of a post once); each person is handled in a short transaction of their own."""
    post = Post.objects.published(today).select_related("unit", "region").filter(pk=post_id).first()
    if post is None:
        return 0
    post_index(post)
    matches = candidates_for_post(post, limit=PUSH_MAX_PER_POST, today=today, for_employers=False, for_push=True,
                                  min_score=PUSH_MIN_SCORE)
    title = f"为您推荐见习岗位：{post.title}"
    sent = sum(
        _send_limited(profile_id=m.obj.pk, post=post, kind=PushLog.Kind.MATCH, title=title,
                      lines=_post_lines(post, m)) is not None
        for m in matches
    )
    audit("outreach.push", obj=post, detail={"candidates": len(matches), "sent": sent})
    return sent


def seeker_invite(*, post_id: int, profile_id: int, by: User) -> PushLog:
    """An employer (or the post's city) invites a candidate to apply to its published post. The
    person must be one the post's candidate list shows; the weekly limit and unsubscribe apply."""
    post = Post.objects.published().select_related("unit", "region").filter(pk=post_id).first()
    if post is None:
        raise ValidationError({"post": "只能为已发布且未截止的岗位邀请求职者。"})
    own = (by.is_employer and by.unit_id == post.unit_id) or (by.is_city and by.region_id == post.region_id)
    if not own:
        raise PermissionDenied("只有岗位所属单位或所在市（州）可以邀请求职者。")
    shown = {m.obj.pk: m for m in candidates_for_post(post, limit=PUSH_MAX_PER_POST)}
    if profile_id not in shown:
        raise ValidationError({"profile": "该求职者不在本岗位的推荐名单中。"})
    title = f"{post.unit.name}邀请您申请见习岗位：{post.title}"
    log = _send_limited(profile_id=profile_id, post=post, kind=PushLog.Kind.INVITE, by=by, title=title,
                        lines=_post_lines(post, shown[profile_id]))
    if log is None:
        raise ValidationError(
            {"profile": f"该求职者已收到过本岗位的信息、已退订，或本周已收到{push_limit()}条推送，暂不能邀请。"}
        )
    audit("outreach.invite", user=by, obj=post, detail={"profile": profile_id})
    return log


# ---------------------------------------------------------------------------------------------
# Weekly digest


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def digest_profile_ids() -> list[int]:
    return list(
        SeekerProfile.objects.filter(digest_enabled=True, unsubscribed_at__isnull=True, active=True)
        .order_by("pk").values_list("pk", flat=True)
    )


def digest_send(*, profile_id: int, today: date | None = None) -> PushLog | None:
    """One person's digest of the week: the best-fitting posts published in the last seven days.
    Nothing when there is none, when they unsubscribed, or when this week's digest was sent."""
    today = today or timezone.localdate()
    monday = week_of(today)
    profile = SeekerProfile.objects.select_related("user", "region").filter(pk=profile_id).first()
    if profile is None or not profile.digest_enabled or profile.unsubscribed_at is not None:
        return None
    if PushLog.objects.filter(profile=profile, kind=PushLog.Kind.DIGEST, week_of=monday).exists():
        return None
    since = today - timedelta(days=7)
    fresh = [m for m in posts_for_seeker(profile, limit=50, today=today) if m.obj.published_on > since]
    if not fresh:
        return None
    return _send_digest(profile, monday, fresh[:DIGEST_SIZE])


@transaction.atomic
def _send_digest(profile: SeekerProfile, monday: date, matches: list[Match]) -> PushLog | None:
    locked = SeekerProfile.objects.select_for_update().get(pk=profile.pk)
    if PushLog.objects.filter(profile=locked, kind=PushLog.Kind.DIGEST, week_of=monday).exists():
        return None
    log = PushLog.objects.create(profile=locked, kind=PushLog.Kind.DIGEST, week_of=monday)
    lines = []
    for n, m in enumerate(matches, 1):
        post = m.obj
        lines += [f"{n}. {post.title}（{post.unit.name}，{post.region.name}）", "   " + "；".join(m.reason_texts),
                  "   " + absolute(reverse("post_public", args=[post.pk]))]
    notify([profile.user], title=f"本周为您推荐 {len(matches)} 个见习岗位", body=_body(lines, profile),
           link=reverse("outreach:recommended"))
    return log
