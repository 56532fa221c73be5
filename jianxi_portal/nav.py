from django.urls import reverse


def nav_items(user):
    items = []
    if user.is_authenticated and (user.sees_all_regions or user.is_city):
        items.append(("年度指标（附件1）", reverse("annex1")))
    if user.is_authenticated and user.is_admin:
        items += [
            ("项目年度", reverse("programme_years")),
            ("节假日日历", reverse("calendar")),
            ("最低工资标准", reverse("wage_versions")),
            ("安全管理", reverse("security_accounts")),
            ("系统管理", reverse("admin:index")),
        ]
    if user.is_authenticated and user.is_province:
        items.append(("审计日志", reverse("audit_log")))
    if user.is_authenticated and user.is_bureau_staff:
        items.append(("账户安全", reverse("account_security")))
    return items
