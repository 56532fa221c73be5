"""Top-bar links and home cards of units and the review queue (see jianxi_portal.core.navigation)."""

from django.urls import reverse

from jianxi_portal.core import review_queue
from jianxi_portal.core.review import ReviewStatus


def nav_items(user):
    # The two public lists first (the post list's pages live in positions/).
    items = [("见习岗位", reverse("post_list")), ("见习单位目录", reverse("unit_directory"))]
    if not user.is_authenticated:
        return items + [("单位注册", reverse("employer_register"))]
    if user.is_employer:
        own = reverse("unit_detail", args=[user.unit_id]) if user.unit_id else reverse("unit_create")
        items.append(("本单位", own))
    if user.is_city or user.sees_all_regions:
        items += [("审核队列", reverse("review_queue")), ("单位管理", reverse("unit_manage_list"))]
    return items


def home_cards(user):
    if not user.is_authenticated:
        return []
    if user.is_employer:
        return _employer_cards(user)
    if user.is_city or user.sees_all_regions:
        totals = review_queue.queue_totals(user)  # one grouped query, not the items
        overdue = totals["overdue"]
        note = f"3个工作日内到期 {totals['due_soon']} 项" + (f"，已逾期 {overdue} 项" if overdue else "")
        return [{"title": "待审核事项", "value": totals["pending"], "link": reverse("review_queue"), "note": note}]
    return []


def _employer_cards(user):
    unit = user.unit
    if unit is None:
        return [
            {"title": "本单位", "value": "未登记", "link": reverse("unit_create"), "note": "请先登记单位信息并提交审核"}
        ]
    note = (
        f"审核期限 {unit.review_deadline:%Y-%m-%d}"
        if unit.status == ReviewStatus.SUBMITTED and unit.review_deadline
        else unit.name
    )
    return [
        {
            "title": "本单位",
            "value": unit.get_status_display(),
            "link": reverse("unit_detail", args=[unit.pk]),
            "note": note,
        }
    ]
