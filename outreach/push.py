"""Targeted push (精准推送岗位信息). A young person hears of a post or an event only when its major
requirement fits them (or it is open to all majors) and it is within their stated region and
category preferences (`outreach.recommend`), only with their consent to pushes (SECURITY.md
"Consent"), at most `push_limit()` times in any seven days, never twice for the same post or event:

- when a post is approved, the people it fits who had consented by then (`push_post_approved`);
- when an employer (or the post's city) invites a candidate from the post's candidate list;
- when city staff push a post or an event by hand to a group they filtered, after a preview of
  who will receive it and who will not, and why (`hand_push_preview`, `hand_push_send`);
- when a city publishes an event, the people its posts fit (`push_event_published`);
- and once a week, each person who consented to the digest gets the new posts that fit them.

Every push is logged (`PushLog`: recipient, reason, score, channel, later whether it was opened).
A push that cannot go says exactly why (`Blocked`), for the invitation's refusal and the preview.
Every message carries the unsubscribe link; its link to the post opens through `push_open_url`,
which records the opening."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jianxi_portal.core.audit import audit
from jianxi_portal.core.models import ReviewLog, User
from jianxi_portal.core.notifications import notify
from jianxi_portal.core.permissions import may
from outreach.models import Event, PushLog, SeekerProfile
from outreach.permissions import region_staff
from outreach.recommend import EDUCATION_RANK, Match, candidates_for_post, posts_for_seeker
from outreach.seekers import post_index
from positions.models import Post

PUSH_MAX_PER_POST = 200
PUSH_MAX_PER_EVENT = 500
HAND_PUSH_MAX = 500
DIGEST_SIZE = 5
LIMITED_KINDS = (PushLog.Kind.MATCH, PushLog.Kind.INVITE, PushLog.Kind.HAND, PushLog.Kind.EVENT)
OPEN_SALT = "outreach.push.open"


def push_limit() -> int:
    """The notice asks for precise pushes, not a flood: a person hears of at most this many posts
    or events in any seven days (settings.OUTREACH_PUSH_PER_WEEK)."""
    return getattr(settings, "OUTREACH_PUSH_PER_WEEK", 3)


def absolute(path: str) -> str:
    return getattr(settings, "PORTAL_URL", "").rstrip("/") + path


def unsubscribe_url(profile: SeekerProfile) -> str:
    return absolute(reverse("outreach:unsubscribe", args=[profile.unsubscribe_token]))


def push_open_url(log: PushLog) -> str:
    """The push's link to its post or event: opening it records `opened_at` (no sign-in needed)."""
    return reverse("outreach:push_open", args=[signing.dumps(log.pk, salt=OPEN_SALT)])


def push_opened(*, token: str) -> PushLog | None:
    """The push a link token names, its first opening recorded; None for a token not ours."""
    try:
        pk = signing.loads(token, salt=OPEN_SALT)
    except signing.BadSignature:
        return None
    log = PushLog.objects.select_related("post", "event").filter(pk=pk).first()
    if log is not None and log.opened_at is None:
        log.opened_at = timezone.now()
        log.save(update_fields=["opened_at"])
    return log


# ---------------------------------------------------------------------------------------------
# Who may receive a push, and why not


@dataclass(frozen=True)
class Blocked:
    """Why a push does not go to a person, in the words staff and employers read."""

    code: str
    message: str


def weekly_pushes(profile_id: int, now: datetime) -> list[datetime]:
    since = now - timedelta(days=7)
    return list(
        PushLog.objects.filter(profile_id=profile_id, kind__in=LIMITED_KINDS, sent_at__gt=since)
        .order_by("sent_at")
        .values_list("sent_at", flat=True)
    )


def blocked(
    profile: SeekerProfile,
    *,
    now: datetime,
    post: Post | None = None,
    event: Event | None = None,
    counted: list[datetime] | None = None,
) -> Blocked | None:
    """The one reason a push about `post` or `event` may not go to `profile` now, or None."""
    if profile.unsubscribed_at is not None:
        return Blocked("unsubscribed", f"已于{timezone.localtime(profile.unsubscribed_at):%Y-%m-%d}退订推送")
    if not profile.push_enabled:
        return Blocked("no_consent", "本人未同意接收岗位推送")
    target = {"post": post} if post is not None else {"event": event}
    if PushLog.objects.filter(profile=profile, **target).exists():
        return Blocked("already", "已收到过本岗位的信息" if post is not None else "已收到过本活动的信息")
    counted = weekly_pushes(profile.pk, now) if counted is None else counted
    if len(counted) >= push_limit():
        again = timezone.localtime(counted[len(counted) - push_limit()] + timedelta(days=7))
        return Blocked(
            "limit",
            f"近7天已收到{len(counted)}条推送（每人每7天最多{push_limit()}条），{again:%m月%d日 %H:%M}后可再推送",
        )
    return None


def _body(lines: list[str], profile: SeekerProfile) -> str:
    footer = f"退订推送：{unsubscribe_url(profile)}（也可在“我的见习 · 信息使用授权”中修改）"
    return "\n".join([*lines, "", footer])


def _post_lines(post: Post, match: Match | None) -> list[str]:
    lines = [f"{post.unit.name} · {post.region.name} · {post.slots}人 · {post.allowance}元/月"]
    if match is not None:
        lines += ["推荐理由：" + match.summary(), match.explanation]
    return lines


@transaction.atomic
def _send(
    *,
    profile_id: int,
    kind: str,
    title: str,
    lines: list[str],
    post: Post | None = None,
    event: Event | None = None,
    match: Match | None = None,
    by: User | None = None,
    now: datetime | None = None,
) -> PushLog | Blocked:
    """One message about `post` or `event` to one person under their row lock, logged; or why not."""
    now = now or timezone.now()
    profile = SeekerProfile.objects.select_for_update().select_related("user").get(pk=profile_id)
    refusal = blocked(profile, now=now, post=post, event=event)
    if refusal is not None:
        return refusal
    channel = PushLog.Channel.IN_APP_EMAIL if profile.user.email else PushLog.Channel.IN_APP
    log = PushLog.objects.create(
        profile=profile,
        kind=kind,
        post=post,
        event=event,
        region_id=(post or event).region_id,
        channel=channel,
        reason=match.summary() if match is not None else "",
        score=match.score if match is not None else None,
        sent_at=now,
        by=by,
    )
    link = push_open_url(log)
    notify([profile.user], title=title, body=_body([*lines, f"查看详情：{absolute(link)}"], profile), link=link)
    return log


def _approved_before_consent(match: Match, approved_at: datetime | None) -> bool:
    consented = match.obj.push_consent_at
    return approved_at is not None and (consented is None or consented > approved_at)


def _approved_at(post: Post) -> datetime | None:
    """When the post was last approved (its review log; the task carries only the post's id)."""
    return (
        ReviewLog.objects.filter(
            content_type=ContentType.objects.get_for_model(Post), object_id=post.pk, action="approve"
        )
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )


def push_post_approved(*, post_id: int, today: date | None = None) -> int:
    """Tell the people a newly published post fits about it. Only those who had consented to
    pushes when it was approved (its last approval in the review log): a later consent does not
    reach back. Idempotent (a person hears of a post once); each person is handled in a short
    transaction of their own."""
    post = Post.objects.published(today).select_related("unit", "region").filter(pk=post_id).first()
    if post is None:
        return 0
    approved_at = _approved_at(post)
    post_index(post)
    matches = candidates_for_post(
        post, limit=PUSH_MAX_PER_POST, today=today, for_employers=False, for_push=True, pushable_only=True
    )
    title = f"为您推荐见习岗位：{post.title}"
    sent = sum(
        isinstance(
            _send(
                profile_id=m.obj.pk,
                post=post,
                kind=PushLog.Kind.MATCH,
                title=title,
                match=m,
                lines=_post_lines(post, m),
            ),
            PushLog,
        )
        for m in matches
        if not _approved_before_consent(m, approved_at)
    )
    audit("outreach.push", obj=post, detail={"candidates": len(matches), "sent": sent})
    return sent


def may_invite(user: User, post: Post) -> bool:
    """`outreach.invite_post` (outreach.permissions): the post's unit, or the city of its region."""
    return may(user, "outreach.invite_post", post)


def seeker_invite(*, post_id: int, profile_id: int, by: User) -> PushLog:
    """An employer (or the post's city) invites a candidate to apply to its published post. The
    person must be one the post's candidate list shows; consent, the weekly limit and
    unsubscribing apply, and a refusal says which one stopped it."""
    post = Post.objects.published().select_related("unit", "region").filter(pk=post_id).first()
    if post is None:
        raise ValidationError({"post": "只能为已发布且未截止的岗位邀请求职者。"})
    if not may_invite(by, post):
        raise PermissionDenied("只有岗位所属单位或所在市（州）可以邀请求职者。")
    shown = {m.obj.pk: m for m in candidates_for_post(post, limit=PUSH_MAX_PER_POST)}
    if profile_id not in shown:
        raise ValidationError({"profile": "该求职者不在本岗位的推荐名单中。"})
    title = f"{post.unit.name}邀请您申请见习岗位：{post.title}"
    result = _send(
        profile_id=profile_id,
        post=post,
        kind=PushLog.Kind.INVITE,
        by=by,
        title=title,
        match=shown[profile_id],
        lines=_post_lines(post, shown[profile_id]),
    )
    if isinstance(result, Blocked):
        raise ValidationError({"profile": f"暂不能邀请：{result.message}。"})
    audit("outreach.invite", user=by, obj=post, detail={"profile": profile_id})
    return result


# ---------------------------------------------------------------------------------------------
# Events


def _event_lines(event: Event) -> list[str]:
    when = f"{event.starts_on:%Y年%m月%d日}" + (f" {event.start_time:%H:%M}" if event.start_time else "")
    where = event.place or "线上直播"
    return [f"{event.get_kind_display()} · {when} · {where}", f"参会岗位 {event.posts.count()} 个，欢迎报名参加。"]


def event_candidates(event: Event, *, today: date | None = None) -> dict[int, Match]:
    """The people an event's posts fit (consenting to pushes, within their preferences): the best
    match per person, at most PUSH_MAX_PER_EVENT."""
    best: dict[int, Match] = {}
    posts = Post.objects.published(today).filter(eventpost__event=event).select_related("unit", "region")
    for post in posts:
        for m in candidates_for_post(
            post, limit=PUSH_MAX_PER_POST, today=today, for_employers=False, for_push=True, pushable_only=True
        ):
            if m.obj.pk not in best or m.score > best[m.obj.pk].score:
                best[m.obj.pk] = m
    ranked = sorted(best.values(), key=lambda m: (-m.score, m.obj.pk))[:PUSH_MAX_PER_EVENT]
    return {m.obj.pk: m for m in ranked}


def push_event_published(*, event_id: int, today: date | None = None) -> int:
    """Tell the people a newly published event's posts fit about the event (idempotent)."""
    event = Event.objects.select_related("region").filter(pk=event_id, status=Event.Status.PUBLISHED).first()
    if event is None:
        return 0
    matches = event_candidates(event, today=today)
    title = f"招聘活动邀请：{event.title}"
    lines = _event_lines(event)
    sent = sum(
        isinstance(
            _send(
                profile_id=pk,
                event=event,
                kind=PushLog.Kind.EVENT,
                title=title,
                match=m,
                lines=[*lines, "推荐理由（参会岗位）：" + m.summary()],
            ),
            PushLog,
        )
        for pk, m in matches.items()
    )
    audit("outreach.event_push", obj=event, detail={"candidates": len(matches), "sent": sent})
    return sent


# ---------------------------------------------------------------------------------------------
# Push by hand to a filtered group (city staff)


@dataclass
class PreviewRow:
    profile: SeekerProfile
    match: Match | None
    blocked: Blocked | None


def _hand_target(by: User, *, post_id: int | None, event_id: int | None) -> Post | Event:
    if not by.is_city:
        raise PermissionDenied("人工推送由市（州）经办人员发起。")
    if post_id:
        target = Post.objects.published().select_related("unit", "region").filter(pk=post_id).first()
    else:
        target = Event.objects.filter(pk=event_id, status=Event.Status.PUBLISHED).select_related("region").first()
    if target is None or not region_staff(by, target):
        raise ValidationError({"target": "只能推送本市（州）已发布的岗位或招聘活动。"})
    return target


def hand_push_group(
    by: User,
    target: Post | Event,
    *,
    major_code: str = "",
    education: str = "",
    category: str = "",
    today: date | None = None,
) -> list[Match]:
    """The filtered group: people of the city's region whom the target fits (as for automatic
    pushes: major, preferences), narrowed by a catalogue node (门类/专业类/专业), an education and a
    post category the person wants."""
    posts = (
        [target]
        if isinstance(target, Post)
        else list(Post.objects.published(today).filter(eventpost__event=target).select_related("unit", "region"))
    )
    best: dict[int, Match] = {}
    for post in posts:
        for m in candidates_for_post(
            post, limit=HAND_PUSH_MAX, today=today, for_employers=False, pushable_only=True, region_id=by.region_id
        ):
            if m.obj.pk not in best or m.score > best[m.obj.pk].score:
                best[m.obj.pk] = m
    group = list(best.values())
    if major_code:
        group = [m for m in group if major_code in (m.obj.major_code, m.obj.major_class, m.obj.major_category)]
    if education:
        group = [m for m in group if m.obj.education_rank == EDUCATION_RANK.get(education, -1)]
    if category:
        group = [m for m in group if category in (m.obj.categories or [])]
    return sorted(group, key=lambda m: (-m.score, m.obj.pk))[:HAND_PUSH_MAX]


def hand_push_preview(
    *, by: User, post_id: int | None = None, event_id: int | None = None, today: date | None = None, **filters
) -> list[PreviewRow]:
    """Who the push would reach and who not, with the reason, before anything is sent."""
    target = _hand_target(by, post_id=post_id, event_id=event_id)
    now = timezone.now()
    key = {"post": target} if isinstance(target, Post) else {"event": target}
    return [
        PreviewRow(m.obj, m, blocked(m.obj, now=now, **key))
        for m in hand_push_group(by, target, today=today, **filters)
    ]


def hand_push_send(
    *, by: User, post_id: int | None = None, event_id: int | None = None, today: date | None = None, **filters
) -> tuple[int, int]:
    """Send to the previewed group (computed again: whoever may no longer receive it is skipped).
    Returns (sent, skipped)."""
    target = _hand_target(by, post_id=post_id, event_id=event_id)
    group = hand_push_group(by, target, today=today, **filters)
    if isinstance(target, Post):
        title, kind = f"为您推荐见习岗位：{target.title}", {"post": target}
    else:
        title, kind = f"招聘活动邀请：{target.title}", {"event": target}
    sent = 0
    for m in group:
        lines = (
            _post_lines(target, m) if isinstance(target, Post) else [*_event_lines(target), "推荐理由：" + m.summary()]
        )
        result = _send(profile_id=m.obj.pk, kind=PushLog.Kind.HAND, title=title, match=m, lines=lines, by=by, **kind)
        sent += isinstance(result, PushLog)
    audit("outreach.hand_push", user=by, obj=target, detail={"group": len(group), "sent": sent, **filters})
    return sent, len(group) - sent


# ---------------------------------------------------------------------------------------------
# Weekly digest


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def digest_profile_ids() -> list[int]:
    return list(
        SeekerProfile.objects.filter(digest_enabled=True, unsubscribed_at__isnull=True, active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def digest_send(*, profile_id: int, today: date | None = None) -> PushLog | None:
    """One person's digest of the week: the best-fitting posts published in the last seven days.
    Nothing when there is none, when they withdrew consent, or when this week's digest was sent."""
    today = today or timezone.localdate()
    monday = week_of(today)
    profile = SeekerProfile.objects.select_related("user", "region").filter(pk=profile_id).first()
    if profile is None or not profile.digest_enabled or profile.unsubscribed_at is not None:
        return None
    if PushLog.objects.filter(profile=profile, kind=PushLog.Kind.DIGEST, week_of=monday).exists():
        return None
    since = today - timedelta(days=7)
    fresh = [m for m in posts_for_seeker(profile, limit=50, today=today) if m.obj.published_on > since and m.pushable]
    if not fresh:
        return None
    return _send_digest(profile, monday, fresh[:DIGEST_SIZE])


@transaction.atomic
def _send_digest(profile: SeekerProfile, monday: date, matches: list[Match]) -> PushLog | None:
    locked = SeekerProfile.objects.select_for_update().get(pk=profile.pk)
    if PushLog.objects.filter(profile=locked, kind=PushLog.Kind.DIGEST, week_of=monday).exists():
        return None
    channel = PushLog.Channel.IN_APP_EMAIL if profile.user.email else PushLog.Channel.IN_APP
    log = PushLog.objects.create(
        profile=locked,
        kind=PushLog.Kind.DIGEST,
        week_of=monday,
        channel=channel,
        reason="、".join(m.obj.title for m in matches)[:500],
    )
    lines = []
    for n, m in enumerate(matches, 1):
        post = m.obj
        lines += [
            f"{n}. {post.title}（{post.unit.name}，{post.region.name}）",
            "   " + m.summary(),
            f"   查看岗位：{absolute(reverse('post_public', args=[post.pk]))}",
        ]
    notify(
        [profile.user],
        title=f"本周为您推荐 {len(matches)} 个见习岗位",
        body=_body(lines, profile),
        link=reverse("outreach:recommended"),
    )
    return log
