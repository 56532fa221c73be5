"""The daily review reminders (DESIGN.md, Review workflow): city reviewers are told of the items of
their region due within 3 working days (and of those already overdue); overdue items are escalated
to the province. Generic over every kind registered in `review_queue` (units, posts, filings,
claims). In-app notifications, copied by email through Django's mail backend (`notify`).

Idempotent per day: each message carries the day in its title, and a user who already has that
day's message is skipped, so a second run (a retried task, a second beat) sends nothing new."""

from collections import defaultdict
from datetime import date

from django.urls import reverse

from jianxi_portal.core.dates import local_today
from jianxi_portal.core.models import Notification, User
from jianxi_portal.core.notifications import notify
from jianxi_portal.core.review import ReviewStatus
from jianxi_portal.core.review_queue import SOURCES, QueueItem, due_bounds, queue_item
from jianxi_portal.core.workdays import Calendar

MAX_LINES = 30


def _items_needing_attention(today: date) -> tuple[dict, dict, dict]:
    """(due soon by region id, overdue by region id, regions by id) over every registered kind.
    One query per kind plus the calendar's, whatever the number of items; only the items due soon
    or overdue are read (`due_bounds`), not the whole queue."""
    calendar = Calendar()
    bounds = due_bounds(today, calendar)
    due_soon, overdue, regions = defaultdict(list), defaultdict(list), {}
    for source in SOURCES.values():
        field = getattr(source.model, "review_field", "status")
        rows = source.model.objects.filter(**{field: ReviewStatus.SUBMITTED, "review_deadline__lt": bounds.soon_before})
        for obj in rows.select_related(*source.select_related).order_by("review_deadline", "pk"):
            item = queue_item(source, obj, calendar, today)
            if not (item.overdue or item.due_soon):
                continue
            regions[item.region.pk] = item.region
            (overdue if item.overdue else due_soon)[item.region.pk].append(item)
    return due_soon, overdue, regions


def _line(item: QueueItem) -> str:
    left = f"已逾期{-item.days_left}个工作日" if item.overdue else f"剩余{item.days_left}个工作日"
    provisional = "（暂定）" if item.provisional else ""
    return f"· {item.source.label}“{item.title}”，审核期限{item.deadline:%Y-%m-%d}{provisional}，{left}"


def _body(items: list[QueueItem]) -> str:
    lines = [_line(i) for i in items[:MAX_LINES]]
    if len(items) > MAX_LINES:
        lines.append(f"……等共{len(items)}项")
    return "\n".join(lines)


def _not_yet_told(users, prefix: str) -> list:
    told = set(Notification.objects.filter(title__startswith=prefix).values_list("recipient_id", flat=True))
    return [u for u in users if u.pk not in told]


def send_review_reminders(*, today: date | None = None) -> dict:
    """Send the day's reminders and escalations; returns what was found and who was told."""
    today = today or local_today()
    due_soon, overdue, regions = _items_needing_attention(today)
    link = reverse("review_queue")
    city_prefix = f"【审核提醒 {today:%Y-%m-%d}】"
    city_staff = defaultdict(list)
    for user in User.objects.filter(role=User.Role.CITY, is_active=True, region_id__in=list(regions)):
        city_staff[user.region_id].append(user)
    told_city = 0
    pending_city = _not_yet_told([u for users in city_staff.values() for u in users], city_prefix)
    for region_id, region in regions.items():
        items = overdue[region_id] + due_soon[region_id]
        users = [u for u in pending_city if u.region_id == region_id]
        late = f"，其中{len(overdue[region_id])}项已逾期" if overdue[region_id] else ""
        title = f"{city_prefix}{region.name}有{len(items)}项待审核事项3个工作日内到期{late}"
        notify(users, title=title, body=_body(items), link=link)
        told_city += len(users)
    told_province = _escalate(overdue, regions, today, link)
    return {
        "due_soon": sum(len(v) for v in due_soon.values()),
        "overdue": sum(len(v) for v in overdue.values()),
        "city_notified": told_city,
        "province_notified": told_province,
    }


def _escalate(overdue: dict, regions: dict, today: date, link: str) -> int:
    """Overdue items go up to the province (省级用户), one message per day listing each region."""
    late_regions = [regions[r] for r in regions if overdue[r]]
    if not late_regions:
        return 0
    prefix = f"【逾期督办 {today:%Y-%m-%d}】"
    users = _not_yet_told(User.objects.filter(role=User.Role.PROVINCE, is_active=True), prefix)
    total = sum(len(overdue[r.pk]) for r in late_regions)
    body = "\n\n".join(f"{r.name}：逾期{len(overdue[r.pk])}项\n{_body(overdue[r.pk])}" for r in late_regions)
    notify(
        users,
        title=f"{prefix}{len(late_regions)}个市（州）共{total}项待审核事项超过15个工作日审核期限",
        body=body,
        link=link,
    )
    return len(users)
