"""Top-bar links and home cards of subsidies."""

from django.db.models import F
from django.urls import reverse

from subsidies.models import Claim


def nav_items(user):
    if not user.is_authenticated:
        return []
    items = []
    if user.is_employer or user.is_city or user.sees_all_regions:
        items.append(("补贴申领", reverse("claim_list")))
    if user.is_city or user.sees_all_regions:
        items += [("拨付登记", reverse("disbursement_list")), ("补贴统计", reverse("subsidy_summary"))]
    if user.is_admin:
        items.append(("补贴规则", reverse("subsidy_rules")))
    return items


def home_cards(user):
    if not user.is_authenticated:
        return []
    claims = Claim.objects.visible_to(user)
    if user.is_employer:
        open_ = claims.filter(status__in=(Claim.Status.DRAFT, Claim.Status.RETURNED)).count()
        return [{"title": "待提交的补贴申领", "value": open_, "link": reverse("claim_list"), "note": "草稿或被退回"}]
    if user.is_city:
        pending = claims.filter(status=Claim.Status.SUBMITTED).count()
        unpaid = claims.filter(status=Claim.Status.APPROVED, paid_total__lt=F("approved_amount")).count()
        return [
            {
                "title": "待审核的补贴申领",
                "value": pending,
                "link": reverse("claim_list") + "?status=submitted",
                "note": "",
            },
            {
                "title": "待拨付的补贴申领",
                "value": unpaid,
                "link": reverse("disbursement_list"),
                "note": "已审核通过未拨付完毕",
            },
        ]
    return []
