from django.urls import reverse


def nav_items(user):
    items = []
    if user.is_authenticated and (user.sees_all_regions or user.is_city):
        items.append(("年度指标（附件1）", reverse("annex1")))
    if user.is_authenticated and user.is_admin:
        items += [
            ("节假日日历", reverse("calendar")),
            ("最低工资标准", reverse("wage_versions")),
            ("系统管理", reverse("admin:index")),
        ]
    return items
