"""Top-bar links and home cards of posts (see jianxi_portal.core.navigation)."""

from django.urls import reverse

from positions.models import Post


def nav_items(user):
    if user.is_authenticated and (user.is_employer or user.is_city or user.sees_all_regions):
        return [("岗位管理", reverse("post_manage_list"))]
    return []


def home_cards(user):
    if not (user.is_authenticated and user.is_employer and user.unit_id):
        return []
    posts = Post.objects.visible_to(user)
    published = posts.published().count()
    pending = posts.filter(status=Post.Status.SUBMITTED).count()
    returned = posts.filter(status=Post.Status.RETURNED).count()
    cards = [
        {"title": "已发布岗位", "value": published, "link": reverse("post_manage_list"), "note": f"待审核 {pending} 个"}
    ]
    if returned:
        cards.insert(
            0,
            {
                "title": "被退回待修改的岗位",
                "value": returned,
                "note": "请按审核意见修改后重新提交",
                "link": reverse("post_manage_list") + "?status=returned",
            },
        )
    return cards
