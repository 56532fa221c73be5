"""Recruitment events (专场招募、双向洽谈、直播带岗、进校园、进园区): a city creates one for its region,
attaches published posts of its region (their units are told and confirm their booth) and
publishes it (the young people its posts fit are told, within consent and the weekly limit:
`outreach.push`). Young people sign up, are checked in at the event (with its code, or by the city
from the list), and apply from the event's page (the application itself is
`trainees.services.application_create`, so every application rule holds); such applications
count for the event. Cancelling it, or changing its day, time or place, tells everyone signed up
and the units at it. Figures per event: signed up, attended, applied, placed."""

from datetime import date, time
from urllib.parse import urlparse

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone

from jianxi_portal.core.audit import audit
from jianxi_portal.core.models import User
from jianxi_portal.core.notifications import notify
from jianxi_portal.core.permissions import ensure_perm, may
from outreach.models import Event, EventApplication, EventPost, EventSignup
from outreach.tasks import push_event
from positions.models import Post
from trainees.models import Application, Placement
from trainees.services.applications import application_create

FIELDS = ("title", "kind", "starts_on", "start_time", "end_time", "place", "live_url", "description")
EDITABLE = (Event.Status.DRAFT, Event.Status.PUBLISHED)


def _text(values, name, label, limit, errors, *, required=False) -> str:
    value = str(values.get(name) or "").strip()
    if required and not value:
        errors[name] = f"请填写{label}。"
    elif len(value) > limit:
        errors[name] = f"{label}不能超过{limit}个字。"
    return value


def _clean(values: dict, today: date) -> dict:
    """Every field at once; a ValidationError names each field that is wrong."""
    errors: dict[str, str] = {}
    cleaned = {
        "title": _text(values, "title", "活动名称", 100, errors, required=True),
        "place": _text(values, "place", "活动地点", 200, errors),
        "live_url": _text(values, "live_url", "直播链接", 300, errors),
        "description": _text(values, "description", "活动介绍", 5000, errors),
        "kind": values.get("kind") or "",
        "starts_on": values.get("starts_on"),
        "start_time": values.get("start_time") or None,
        "end_time": values.get("end_time") or None,
    }
    if cleaned["kind"] not in Event.Kind.values:
        errors["kind"] = "请选择活动类型。"
    if not isinstance(cleaned["starts_on"], date):
        errors["starts_on"] = "请填写活动日期。"
    elif cleaned["starts_on"] < today:
        errors["starts_on"] = "活动日期不能早于今天。"
    start, end = cleaned["start_time"], cleaned["end_time"]
    if isinstance(start, time) and isinstance(end, time) and end <= start:
        errors["end_time"] = "结束时间应晚于开始时间。"
    if cleaned["live_url"] and urlparse(cleaned["live_url"]).scheme not in ("http", "https"):
        errors["live_url"] = "直播链接应以 http:// 或 https:// 开头。"
    if not cleaned["place"] and not cleaned["live_url"] and "place" not in errors:
        errors["place"] = "请填写活动地点或直播链接（至少一项）。"
    if errors:
        raise ValidationError(errors)
    return cleaned


def _ensure_city_of(by: User, event: Event, perm: str = "outreach.change_event") -> None:
    """`perm` (outreach.permissions): city staff of the event's region."""
    ensure_perm(by, perm, event, message="只有本市（州）经办人员可以管理本地区的招聘活动。")


@transaction.atomic
def event_create(*, by: User, **values) -> Event:
    """A draft event of the city's own region."""
    if not by.is_city:
        raise PermissionDenied("招聘活动由市（州）经办人员创建。")
    event = Event.objects.create(region_id=by.region_id, created_by=by, **_clean(values, timezone.localdate()))
    audit("event.create", user=by, obj=event)
    return event


def _locked(event_id: int, by: User) -> Event:
    event = Event.objects.select_for_update().get(pk=event_id)
    _ensure_city_of(by, event)
    return event


# A change of these is a change of the appointment: everyone signed up is told.
APPOINTMENT = ("starts_on", "start_time", "end_time", "place", "live_url")


@transaction.atomic
def event_update(*, event_id: int, by: User, **values) -> Event:
    """Change a draft or published event (not a cancelled one); fields not given keep their values.
    A published event whose day, time or place changes tells everyone signed up and its units."""
    event = _locked(event_id, by)
    if event.status not in EDITABLE:
        raise ValidationError({"__all__": f"活动{event.get_status_display()}，不能修改。"})
    current = {name: getattr(event, name) for name in FIELDS}
    before = _when_where(event)
    for name, value in _clean({**current, **values}, timezone.localdate()).items():
        setattr(event, name, value)
    event.save()
    changed = [name for name in APPOINTMENT if getattr(event, name) != current[name]]
    if changed and event.status == Event.Status.PUBLISHED:
        _tell_everyone(
            event,
            title=f"招聘活动时间或地点变更：{event.title}",
            lines=[f"原安排：{before}", f"新安排：{_when_where(event)}", "请按新的时间、地点参加。"],
        )
    audit("event.update", user=by, obj=event, detail={"changed": changed})
    return event


def _when_where(event: Event) -> str:
    when = f"{event.starts_on:%Y年%m月%d日}"
    if event.start_time:
        when += f" {event.start_time:%H:%M}" + (f"—{event.end_time:%H:%M}" if event.end_time else "")
    where = "，".join(part for part in (event.place, "直播" if event.live_url else "") if part)
    return f"{when}，{where}"


def _tell_everyone(event: Event, *, title: str, lines: list[str]) -> int:
    """A notice about the event itself to everyone signed up and the employers of its units: not a
    push (they asked to come), so neither consent to pushes nor the weekly limit applies."""
    people = User.objects.filter(event_signups__event=event, event_signups__cancelled_at__isnull=True)
    units = EventPost.objects.filter(event=event).values("post__unit_id")
    employers = User.objects.filter(role=User.Role.EMPLOYER, unit_id__in=units, is_active=True)
    recipients = list({u.pk: u for u in [*people, *employers]}.values())
    notify(recipients, title=title, body="\n".join(lines), link=reverse("outreach:event_public", args=[event.pk]))
    return len(recipients)


@transaction.atomic
def event_publish(*, event_id: int, by: User) -> Event:
    """A draft goes on the public list of upcoming events."""
    event = _locked(event_id, by)
    if event.status != Event.Status.DRAFT:
        raise ValidationError({"__all__": f"活动当前状态为“{event.get_status_display()}”，只有草稿可以发布。"})
    if event.starts_on < timezone.localdate():
        raise ValidationError({"starts_on": "活动日期已过，不能发布。"})
    event.status = Event.Status.PUBLISHED
    event.save(update_fields=["status", "updated_at"])
    audit("event.publish", user=by, obj=event)
    transaction.on_commit(lambda: push_event.delay(event.pk))
    return event


@transaction.atomic
def event_cancel(*, event_id: int, by: User, reason: str = "") -> Event:
    """Cancel a draft or published event; a published one tells everyone signed up and its units.
    Its page stays and says it was cancelled."""
    event = _locked(event_id, by)
    if event.status == Event.Status.CANCELLED:
        raise ValidationError({"__all__": "活动已取消。"})
    was_published = event.status == Event.Status.PUBLISHED
    event.status, event.cancelled_at = Event.Status.CANCELLED, timezone.now()
    event.save(update_fields=["status", "cancelled_at", "updated_at"])
    if was_published:
        note = (reason or "").strip()[:200]
        _tell_everyone(
            event,
            title=f"招聘活动已取消：{event.title}",
            lines=[
                f"原定{_when_where(event)}的活动已取消。",
                *([f"说明：{note}"] if note else []),
                "您报名的记录仍保留，可浏览其他招聘活动和见习岗位。",
            ],
        )
    audit("event.cancel", user=by, obj=event)
    return event


@transaction.atomic
def event_post_add(*, event_id: int, post_id: int, by: User) -> EventPost:
    """Attach a published post of the event's region."""
    event = _locked(event_id, by)
    if event.status == Event.Status.CANCELLED:
        raise ValidationError({"post": "活动已取消，不能再添加岗位。"})
    post = Post.objects.published().filter(pk=post_id, region_id=event.region_id).first()
    if post is None:
        raise ValidationError({"post": "只能添加本市（州）已发布且未截止的岗位。"})
    link, created = EventPost.objects.get_or_create(event=event, post=post)
    if not created:
        raise ValidationError({"post": f"岗位“{post.title}”已在本活动中。"})
    employers = User.objects.filter(role=User.Role.EMPLOYER, unit_id=post.unit_id, is_active=True)
    notify(
        employers,
        title=f"您的岗位已加入招聘活动：{event.title}",
        body=f"岗位“{post.title}”已加入{_when_where(event)}的“{event.title}”。请确认是否参会（展位）。",
        link=reverse("outreach:unit_events"),
    )
    audit("event.post_add", user=by, obj=event, detail={"post": post.pk})
    return link


@transaction.atomic
def event_booth_confirm(*, event_id: int, post_id: int, by: User) -> EventPost:
    """The unit of a post at an event confirms its booth (参会)."""
    link = (
        EventPost.objects.select_for_update()
        .select_related("post", "event")
        .filter(event_id=event_id, post_id=post_id)
        .first()
    )
    if link is None or not may(by, "outreach.confirm_eventpost", link):
        raise PermissionDenied("只有岗位所属单位可以确认参会。")
    if link.event.status != Event.Status.PUBLISHED and link.event.status != Event.Status.DRAFT:
        raise ValidationError({"__all__": "活动已取消，无需确认。"})
    if link.confirmed_at is None:
        link.confirmed_at, link.confirmed_by = timezone.now(), by
        link.save(update_fields=["confirmed_at", "confirmed_by"])
        audit("event.booth_confirm", user=by, obj=link.event, detail={"post": post_id})
    return link


# ---------------------------------------------------------------------------------------------
# Sign-up and check-in


def _published(event_id: int) -> Event:
    event = Event.objects.filter(pk=event_id).first()
    if event is None or event.status != Event.Status.PUBLISHED:
        raise ValidationError({"__all__": "活动未发布或已取消，不能报名或签到。"})
    return event


@transaction.atomic
def event_signup(*, event_id: int, by: User) -> EventSignup:
    """A young person signs up (again, after cancelling) for a published event that has not passed."""
    if not (by.is_authenticated and by.is_youth):
        raise PermissionDenied("请以青年账号登录后报名。")
    event = _published(event_id)
    if event.starts_on < timezone.localdate():
        raise ValidationError({"__all__": "活动已经举办，不能再报名。"})
    signup, created = EventSignup.objects.select_for_update().get_or_create(event=event, user=by)
    if not created and signup.cancelled_at is not None:
        signup.cancelled_at, signup.created_at = None, timezone.now()
        signup.save(update_fields=["cancelled_at", "created_at"])
    audit("event.signup", user=by, obj=event)
    return signup


@transaction.atomic
def event_signup_cancel(*, event_id: int, by: User) -> EventSignup:
    signup = (
        EventSignup.objects.select_for_update()
        .filter(event_id=event_id, user_id=by.pk, cancelled_at__isnull=True)
        .first()
    )
    if signup is None:
        raise ValidationError({"__all__": "您没有报名这场活动。"})
    if signup.checked_in_at is not None:
        raise ValidationError({"__all__": "您已签到，不能取消报名。"})
    signup.cancelled_at = timezone.now()
    signup.save(update_fields=["cancelled_at"])
    audit("event.signup_cancel", user=by, obj=signup.event)
    return signup


def _check_in(signup: EventSignup, *, method: str, by: User) -> EventSignup:
    if signup.checked_in_at is None:
        signup.cancelled_at = None
        signup.checked_in_at, signup.check_in, signup.checked_in_by = timezone.now(), method, by
        signup.save(update_fields=["cancelled_at", "checked_in_at", "check_in", "checked_in_by"])
        audit("event.check_in", user=by, obj=signup.event, detail={"signup": signup.pk, "method": method})
    return signup


def _ensure_event_day(event: Event) -> None:
    if event.starts_on != timezone.localdate():
        raise ValidationError({"code": f"签到只在活动当天（{event.starts_on:%Y年%m月%d日}）进行。"})


@transaction.atomic
def event_check_in_by_code(*, event_id: int, code: str, by: User) -> EventSignup:
    """At the event, a signed-in young person types the code given out there: checked in (and
    signed up, if they came without signing up)."""
    if not (by.is_authenticated and by.is_youth):
        raise PermissionDenied("请以青年账号登录后签到。")
    event = _published(event_id)
    _ensure_event_day(event)
    if (code or "").strip() != event.checkin_code:
        raise ValidationError({"code": "签到码不正确，请向现场工作人员确认。"})
    signup, _ = EventSignup.objects.select_for_update().get_or_create(event=event, user=by)
    return _check_in(signup, method=EventSignup.CheckIn.CODE, by=by)


@transaction.atomic
def event_check_in_from_list(*, signup_id: int, by: User) -> EventSignup:
    """City staff of the event's region check a signed-up person in from the list."""
    signup = EventSignup.objects.select_for_update().select_related("event").filter(pk=signup_id).first()
    if signup is None:
        raise ValidationError({"__all__": "报名记录不存在。"})
    _ensure_city_of(by, signup.event, "outreach.checkin_event")
    if signup.event.status != Event.Status.PUBLISHED:
        raise ValidationError({"__all__": "活动未发布或已取消，不能签到。"})
    _ensure_event_day(signup.event)
    if signup.cancelled_at is not None:
        raise ValidationError({"__all__": "该报名已取消。"})
    return _check_in(signup, method=EventSignup.CheckIn.LIST, by=by)


@transaction.atomic
def event_post_remove(*, event_id: int, post_id: int, by: User) -> None:
    event = _locked(event_id, by)
    deleted, _ = EventPost.objects.filter(event=event, post_id=post_id).delete()
    if not deleted:
        raise ValidationError({"post": "该岗位不在本活动中。"})
    audit("event.post_remove", user=by, obj=event, detail={"post": post_id})


@transaction.atomic
def event_apply(*, event_id: int, post_id: int, by: User, note: str = "") -> Application:
    """A young person applies to a post from a published event's page: the application (with all
    its rules) plus the record that it came through the event."""
    event = Event.objects.filter(pk=event_id, status=Event.Status.PUBLISHED).first()
    if event is None or not EventPost.objects.filter(event=event, post_id=post_id).exists():
        raise ValidationError({"post": "该岗位不在这场招聘活动中，或活动已取消。"})
    application = application_create(post_id=post_id, by=by, note=note)
    EventApplication.objects.create(event=event, application=application)
    audit("event.apply", user=by, obj=event, detail={"application": application.pk})
    return application


PLACED = Exists(
    Placement.objects.filter(
        trainee_id=OuterRef("application__trainee_id"), post_id=OuterRef("application__post_id")
    ).exclude(status=Placement.Status.CANCELLED)
)


def event_figures(events) -> dict[int, dict]:
    """Per event: posts attached (and confirmed booths), their slots; people signed up (not
    cancelled) and attended (checked in); applications made through it, the people who made them,
    those accepted, and those placed (an agreement for that post, not cancelled). Three grouped
    queries for any number of events."""
    ids = [e.pk for e in events]
    posts = (
        EventPost.objects.filter(event_id__in=ids)
        .values("event_id")
        .annotate(
            posts=Count("pk"), confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)), slots=Sum("post__slots")
        )
    )
    signups = (
        EventSignup.objects.filter(event_id__in=ids)
        .values("event_id")
        .annotate(
            signed_up=Count("pk", filter=Q(cancelled_at__isnull=True)),
            attended=Count("pk", filter=Q(checked_in_at__isnull=False)),
        )
    )
    apps = (
        EventApplication.objects.filter(event_id__in=ids)
        .annotate(placed=PLACED)
        .values("event_id")
        .annotate(
            applications=Count("pk"),
            applied=Count("application__trainee_id", distinct=True),
            accepted=Count("pk", filter=Q(application__status=Application.Status.ACCEPTED)),
            placed=Count("application__trainee_id", filter=Q(placed=True), distinct=True),
        )
    )
    figures = {pk: dict.fromkeys(FIGURE_NAMES, 0) for pk in ids}
    for rows in (posts, signups, apps):
        for row in rows:
            figures[row.pop("event_id")].update({k: v or 0 for k, v in row.items()})
    return figures


FIGURE_NAMES = ("posts", "confirmed", "slots", "signed_up", "attended", "applications", "applied", "accepted", "placed")
