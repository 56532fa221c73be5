"""Top-bar links of outreach (see jianxi_portal.core.navigation): the public columns, events and service
zone; a young person's recommendations; the staff pages of events, follow-up, articles and the
demonstration-unit ranking."""

from django.urls import reverse

from jianxi_portal.core.permissions import may
from outreach import dashboards


def nav_items(user):
    public = [
        ("招聘活动", reverse("outreach:event_list")),
        ("特色专栏", reverse("outreach:columns")),
        ("服务专区", reverse("outreach:zone")),
    ]
    if not user.is_authenticated:
        return public
    if user.is_youth:
        return [("为我推荐", reverse("outreach:recommended")), *public]
    items = []
    if user.is_city or user.sees_all_regions:
        items += [
            ("招聘活动管理", reverse("outreach:event_manage_list")),
            ("跟踪帮扶", reverse("outreach:followup_list")),
            ("服务专区管理", reverse("outreach:article_manage_list")),
        ]
    if user.is_province or user.is_admin:
        items.append(("示范单位评选", reverse("outreach:demonstration")))
    if user.is_employer:
        items.append(("参加的招聘活动", reverse("outreach:unit_events")))
    return items


def post_actions(user, post):
    """On a published post's public page: its unit (or city) reaches the ranked candidates."""
    if not user.is_authenticated:
        return []
    if may(user, "outreach.invite_post", post):
        return [
            ("查看推荐人选", reverse("outreach:post_candidates", args=[post.pk])),
            ("推送记录", reverse("outreach:post_pushes", args=[post.pk])),
        ]
    return []


def home_context(user):
    """The home page: the public landing, or the signed-in person's dashboard."""
    return dashboards.home_context(user)
