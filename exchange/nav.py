"""Top-bar links of data exchange (see jianxi_portal.core.navigation)."""

from django.urls import reverse


def nav_items(user):
    if not user.is_authenticated:
        return []
    items = []
    if user.is_city:
        items.append(("数据导入", reverse("exchange:import_index")))
    if not user.is_youth:
        items.append(("我的任务", reverse("exchange:jobs")))
    return items
