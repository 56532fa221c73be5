"""Recruitment events (专场招募、双向洽谈、直播带岗、进校园、进园区): a city creates one for its region,
attaches published posts of its region and publishes it; young people apply from the event's page
(the application itself is `trainees.services.application_create`, so every application rule
holds) and such applications count for the event."""

from datetime import date, time
from urllib.parse import urlparse

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from jianxi_portal.core.audit import audit
from jianxi_portal.core.models import User
from outreach.models import Event, EventApplication, EventPost
from positions.models import Post
from trainees.models import Application
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
        "starts_on": values.get("starts_on"), "start_time": values.get("start_time") or None,
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


def _ensure_city_of(by: User, region_id: int) -> None:
    if not (by.is_city and by.region_id == region_id):
        raise PermissionDenied("只有本市（州）经办人员可以管理本地区的招聘活动。")


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
    _ensure_city_of(by, event.region_id)
    return event


@transaction.atomic
def event_update(*, event_id: int, by: User, **values) -> Event:
    """Change a draft or published event (not a cancelled one); fields not given keep their values."""
    event = _locked(event_id, by)
    if event.status not in EDITABLE:
        raise ValidationError({"__all__": f"活动{event.get_status_display()}，不能修改。"})
    current = {name: getattr(event, name) for name in FIELDS}
    for name, value in _clean({**current, **values}, timezone.localdate()).items():
        setattr(event, name, value)
    event.save()
    audit("event.update", user=by, obj=event)
    return event


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
    return event


@transaction.atomic
def event_cancel(*, event_id: int, by: User) -> Event:
    event = _locked(event_id, by)
    if event.status == Event.Status.CANCELLED:
        raise ValidationError({"__all__": "活动已取消。"})
    event.status = Event.Status.CANCELLED
    event.save(update_fields=["status", "updated_at"])
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
    audit("event.post_add", user=by, obj=event, detail={"post": post.pk})
    return link


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


def event_figures(events) -> dict[int, dict]:
    """Per event: posts attached, their slots, applications made through it and of those accepted
    (two grouped queries for any number of events)."""
    ids = [e.pk for e in events]
    posts = EventPost.objects.filter(event_id__in=ids).values("event_id").annotate(
        posts=Count("pk"), slots=Sum("post__slots"))
    apps = EventApplication.objects.filter(event_id__in=ids).values("event_id").annotate(
        applications=Count("pk"), accepted=Count("pk", filter=Q(application__status=Application.Status.ACCEPTED)))
    figures = {pk: {"posts": 0, "slots": 0, "applications": 0, "accepted": 0} for pk in ids}
    for row in posts:
        figures[row["event_id"]].update(posts=row["posts"], slots=row["slots"] or 0)
    for row in apps:
        figures[row["event_id"]].update(applications=row["applications"], accepted=row["accepted"])
    return figures
