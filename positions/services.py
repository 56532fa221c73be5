"""Writes with rules for posts (见习岗位): create and edit, the review decisions (through
`jianxi_portal.core.review`), publication with a closing date, and closing (by the city, the employer,
the closing date, or the unit's revocation).

Every rule lives here once; the pages, the API, the daily task and the demo loader call these."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

# The floor is a wage rule of the core (ARCHITECTURE.md): posts, placements and claims all ask it.
from jianxi_portal.core.allowance import allowance_floor
from jianxi_portal.core.audit import audit
from jianxi_portal.core.dates import add_months
from jianxi_portal.core.models import District, User
from jianxi_portal.core.notifications import notify
from jianxi_portal.core.permissions import may
from jianxi_portal.core.review import DECISIONS, InvalidTransition, log_transition, review_transition
from jianxi_portal.core.wages import MinimumWageUnknown
from positions.models import Education, Post, PostCategory
from positions.permissions import own_employer
from positions.workflows import CLOSING
from units.models import Unit

MIN_DURATION, MAX_DURATION = 3, 12
# A published post stays on the list at most 12 months (the notice's 12-month publication window).
MAX_PUBLISHED_MONTHS = 12
SYSTEM_USERNAME = "system"

POST_LABELS = {
    "title": "岗位名称",
    "category": "岗位类别",
    "slots": "岗位数",
    "duration_months": "见习期限",
    "allowance": "单位发放生活补贴",
    "majors": "专业要求",
    "education": "学历要求",
    "district": "工作地点（区县）",
    "description": "岗位描述",
    "closing_date": "截止日期",
}
POST_FIELDS = (*POST_LABELS, "also_internship")


def latest_closing_date(published_on: date) -> date:
    return add_months(published_on, MAX_PUBLISHED_MONTHS)


def system_user() -> User:
    """The actor of automatic transitions (the daily closing of posts): an inactive account that
    cannot sign in, so the history still names who acted."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "系统自动", "role": User.Role.ADMIN, "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


# ---------------------------------------------------------------------------------------------
# Field rules


def _clean_post(values: dict, *, unit: Unit, today: date) -> dict:
    """Check every field at once and return the cleaned values; ValidationError names each field."""
    errors: dict[str, list[str]] = {}
    cleaned = {"also_internship": bool(values.get("also_internship"))}
    for field in ("title", "majors", "description"):
        cleaned[field] = str(values.get(field) or "").strip()
        limit = Post._meta.get_field(field).max_length
        if limit and len(cleaned[field]) > limit:
            errors[field] = [f"{POST_LABELS[field]}不能超过{limit}个字。"]
    if not cleaned["title"]:
        errors["title"] = ["请填写岗位名称。"]
    for field, choices in (("category", PostCategory), ("education", Education)):
        cleaned[field] = values.get(field) or ("any" if field == "education" else "")
        if cleaned[field] not in choices.values:
            errors[field] = [f"请选择{POST_LABELS[field]}。"]
    _clean_slots(values.get("slots"), cleaned, errors)
    _clean_duration(values.get("duration_months"), cleaned, errors)
    district = _clean_district(values.get("district"), unit, cleaned, errors)
    _clean_allowance(values.get("allowance"), district, today, cleaned, errors)
    _clean_closing_date(values.get("closing_date"), today, cleaned, errors)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _as_int(raw):
    if isinstance(raw, bool):
        raise ValueError
    return int(str(raw).strip())


def _clean_slots(raw, cleaned, errors) -> None:
    try:
        slots = _as_int(raw)
    except (TypeError, ValueError):
        errors["slots"] = ["岗位数必须是整数（人）。"]
        return
    if slots < 1:
        errors["slots"] = [f"岗位数至少为1人，收到{slots}。"]
    cleaned["slots"] = slots


def _clean_duration(raw, cleaned, errors) -> None:
    try:
        months = _as_int(raw)
    except (TypeError, ValueError):
        errors["duration_months"] = ["见习期限必须是整数（月）。"]
        return
    if not MIN_DURATION <= months <= MAX_DURATION:
        errors["duration_months"] = [f"见习期限应为{MIN_DURATION}至{MAX_DURATION}个月，收到{months}个月。"]
    cleaned["duration_months"] = months


def _clean_district(raw, unit: Unit, cleaned, errors):
    district = raw if isinstance(raw, District) or raw is None else District.objects.filter(pk=raw).first()
    if district is None:
        errors["district"] = ["请选择工作地点（区县）。"]
        return None
    if district.region_id != unit.region_id:
        errors["district"] = [f"工作地点应在本单位所在的{unit.region.name}范围内。"]
        return None
    cleaned["district"] = district
    return district


def _clean_allowance(raw, district, today: date, cleaned, errors) -> None:
    try:
        allowance = Decimal(str(raw).strip())
    except (InvalidOperation, TypeError, ValueError):
        errors["allowance"] = ["单位发放生活补贴必须是金额（元/月）。"]
        return
    if not allowance.is_finite() or allowance < 0 or allowance >= Decimal("1000000"):
        errors["allowance"] = ["单位发放生活补贴金额无效。"]
        return
    cleaned["allowance"] = allowance.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if district is None:
        return
    try:
        floor = allowance_floor(district, today)
    except MinimumWageUnknown:
        errors["district"] = [f"{district}在{today:%Y-%m-%d}没有适用的最低工资标准，请联系系统管理员。"]
        return
    if cleaned["allowance"] < floor.amount:
        errors["allowance"] = [
            f"单位发放生活补贴不得低于当地最低工资标准{floor.wage:.2f}元的{floor.percent}，即{floor.amount:.2f}元。"
        ]


def _clean_closing_date(raw, today: date, cleaned, errors) -> None:
    if raw in (None, ""):
        cleaned["closing_date"] = None
        return
    if not isinstance(raw, date):
        try:
            raw = date.fromisoformat(str(raw))
        except ValueError:
            errors["closing_date"] = ["截止日期格式应为 YYYY-MM-DD。"]
            return
    latest = latest_closing_date(today)
    if raw <= today:
        errors["closing_date"] = ["截止日期应晚于今天。"]
    elif raw > latest:
        errors["closing_date"] = [f"截止日期不得晚于发布之日起{MAX_PUBLISHED_MONTHS}个月（{latest:%Y-%m-%d}）。"]
    cleaned["closing_date"] = raw


def _editor_unit(by: User, unit: Unit, post: Post | None = None) -> None:
    """`positions.add_post` to the unit, or `positions.change_post` of its `post` (positions.permissions)."""
    if not (may(by, "positions.add_post", unit) if post is None else may(by, "positions.change_post", post)):
        audit("post.edit_denied", user=by, obj=unit, result="denied")
        raise PermissionDenied("您无权管理该单位的岗位。")


# ---------------------------------------------------------------------------------------------
# Create and edit


@transaction.atomic
def post_create(*, by: User, unit_id: int | None = None, **values) -> Post:
    """A draft post of the employer's own unit (or, for city staff, of a unit of their region).
    The unit may still be under review; the post is submitted once the unit is approved."""
    unit_id = by.unit_id if by.is_employer else unit_id
    if unit_id is None:
        raise ValidationError({"unit": "请先登记本单位，再发布岗位。" if by.is_employer else "请选择见习单位。"})
    unit = Unit.objects.select_related("region").filter(pk=unit_id).first()
    if unit is None:
        raise ValidationError({"unit": "见习单位不存在。"})
    _editor_unit(by, unit)
    if unit.status in (Unit.Status.REVOKED, Unit.Status.REJECTED):
        raise ValidationError({"unit": f"单位状态为“{unit.get_status_display()}”，不能新增岗位。"})
    cleaned = _clean_post(values, unit=unit, today=timezone.localdate())
    post = Post.objects.create(unit=unit, region_id=unit.region_id, **cleaned)
    audit("post.create", user=by, obj=post)
    return post


def _current_values(post: Post) -> dict:
    return {f: getattr(post, f) for f in POST_FIELDS}


@transaction.atomic
def post_update(*, post_id: int, by: User, **values) -> Post:
    """Change a draft or returned post (fields not given keep their values)."""
    post = Post.objects.select_for_update().select_related("unit__region", "district").get(pk=post_id)
    _editor_unit(by, post.unit, post)
    if not post.is_editable:
        raise InvalidTransition(f"岗位当前状态为“{post.get_status_display()}”，只有草稿或已退回的岗位可以修改。")
    cleaned = _clean_post({**_current_values(post), **values}, unit=post.unit, today=timezone.localdate())
    for field, value in cleaned.items():
        setattr(post, field, value)
    post.save()
    audit("post.update", user=by, obj=post)
    return post


# ---------------------------------------------------------------------------------------------
# Review and publication


def _check_submittable(post: Post) -> None:
    """A post is submitted only while its unit is approved, with every field valid today (the
    minimum wage may have risen since the draft was written)."""
    unit = Unit.objects.select_related("region").get(pk=post.unit_id)
    if unit.status != Unit.Status.APPROVED:
        raise ValidationError(
            {"unit": f"单位审核通过后才能提交岗位（单位“{unit.name}”当前状态：{unit.get_status_display()}）。"}
        )
    _clean_post(_current_values(post), unit=unit, today=timezone.localdate())


def _check_approvable(post: Post) -> None:
    unit = Unit.objects.get(pk=post.unit_id)
    if unit.status != Unit.Status.APPROVED:
        raise ValidationError({"unit": f"单位“{unit.name}”当前状态为“{unit.get_status_display()}”，不能通过其岗位。"})
    if post.closing_date is not None and post.closing_date <= timezone.localdate():
        raise ValidationError({"closing_date": f"单位申请的截止日期{post.closing_date:%Y-%m-%d}已到，请退回单位修改。"})


def post_submit(*, post_id: int, by: User, opinion: str = "") -> Post:
    """Submit a draft or returned post to the unit's city (deadline: 15 working days); the
    optional note goes into the review history."""
    return review_transition(Post, post_id, action="submit", by=by, opinion=opinion, check=_check_submittable)


@transaction.atomic
def post_decide(post_id: int, *, action: str, by: User, opinion: str = "") -> Post:
    """Approve, reject or return a submitted post (city staff of its region). Approval publishes
    it today, with the closing date the employer asked for or 12 months later at most."""
    if action not in DECISIONS:
        raise InvalidTransition(f"未知审核操作：{action}")
    check = _check_approvable if action == "approve" else None
    post = review_transition(Post, post_id, action=action, by=by, opinion=opinion, check=check)
    if action == "approve":
        _publish(post)
    _tell_unit(post, title=f"见习岗位“{post.title}”审核结果：{post.get_status_display()}", body=opinion)
    return post


def _publish(post: Post) -> None:
    # Still under the row lock taken by review_transition (same transaction).
    today = timezone.localdate()
    latest = latest_closing_date(today)
    post.published_on = today
    post.closing_date = min(post.closing_date or latest, latest)
    post.save(update_fields=["published_on", "closing_date", "updated_at"])


def post_approve(*, post_id: int, by: User, opinion: str = "") -> Post:
    return post_decide(post_id, action="approve", by=by, opinion=opinion)


def post_reject(*, post_id: int, by: User, opinion: str) -> Post:
    return post_decide(post_id, action="reject", by=by, opinion=opinion)


def post_return(*, post_id: int, by: User, opinion: str) -> Post:
    return post_decide(post_id, action="return", by=by, opinion=opinion)


def _tell_unit(post: Post, *, title: str, body: str = "") -> None:
    link = reverse("post_detail", args=[post.pk])
    users = User.objects.filter(unit_id=post.unit_id, is_active=True)
    transaction.on_commit(lambda: notify(users, title=title, body=body, link=link))


# ---------------------------------------------------------------------------------------------
# Closing


def _close(post: Post, *, by: User, reason: str, today: date) -> Post:
    source = post.status
    post.status, post.closed_on, post.close_reason = CLOSING["close"].target, today, reason[:200]
    post.save(update_fields=["status", "closed_on", "close_reason", "updated_at"])
    log_transition(post, action="close", from_status=source, to_status=post.status, by=by, opinion=reason)
    return post


@transaction.atomic
def post_close(*, post_id: int, by: User, reason: str) -> Post:
    """Close a published post with a reason: the city of its region (清单管理) or the unit's own
    employer (filled or withdrawn). It leaves the public list today; nobody can apply to it."""
    post = Post.objects.select_for_update().get(pk=post_id)
    if not may(by, "positions.close_post", post):
        audit("post.close_denied", user=by, obj=post, result="denied")
        raise PermissionDenied("您无权关闭该岗位。")
    reason = (reason or "").strip()
    if CLOSING["close"].opinion_required and not reason:
        raise ValidationError({"reason": "关闭岗位时必须填写原因。"})
    CLOSING.ensure(post, "close")
    _close(post, by=by, reason=reason, today=timezone.localdate())
    if not own_employer(by, post):  # closed by its city: tell the unit
        _tell_unit(post, title=f"见习岗位“{post.title}”已被关闭", body=reason)
    return post


def posts_close_for_unit(*, unit: Unit, by: User, reason: str, today: date) -> int:
    """Close the unit's published and pending posts (its revocation): they close the same day.
    Runs inside the caller's transaction, which holds the unit's row lock."""
    posts = (
        Post.objects.select_for_update()
        .filter(unit_id=unit.pk, status__in=(Post.Status.APPROVED, Post.Status.SUBMITTED))
        .order_by("pk")
    )
    count = 0
    for post in posts:
        _close(post, by=by, reason=reason, today=today)
        count += 1
    return count


def posts_close_expired(*, today: date | None = None) -> int:
    """Close every published post whose closing date has passed (the daily task). Idempotent: a
    second run the same day finds nothing left to close. Each post is closed in its own short
    transaction so the list is never locked for long."""
    today = today or timezone.localdate()
    by = system_user()
    due = list(Post.objects.filter(status=Post.Status.APPROVED, closing_date__lt=today).values_list("pk", flat=True))
    closed = 0
    for pk in due:
        with transaction.atomic():
            post = Post.objects.select_for_update().filter(pk=pk, status=Post.Status.APPROVED).first()
            if post is None or post.closing_date is None or post.closing_date >= today:
                continue
            _close(post, by=by, reason=f"已过截止日期（{post.closing_date:%Y-%m-%d}）", today=today)
            closed += 1
    return closed
