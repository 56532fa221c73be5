"""The posts on a unit's pages, registered with `units.sections` by `PositionsConfig.ready`
(ARCHITECTURE.md: Arrows that must turn around): units shows the sections without knowing posts."""

from jianxi_portal.core.permissions import may
from positions.models import Post
from positions.selectors import open_post_counts
from units import sections
from units.models import Unit


def unit_posts(request, unit) -> dict:
    """The unit's own page: its posts as the person may see them, and whether they may add one."""
    user = request.user
    return {
        "posts": Post.objects.visible_to(user).filter(unit_id=unit.pk).select_related("district").order_by("-pk"),
        # The unit's own button (the city's 代单位新增岗位 is the template's, by the same permission).
        "may_add_post": user.is_employer
        and may(user, "positions.add_post", unit)
        and unit.status not in (Unit.Status.REVOKED, Unit.Status.REJECTED),
    }


def unit_published_posts(request, unit) -> dict:
    """The unit's public page: its published posts, newest first."""
    posts = Post.objects.published().filter(unit_id=unit.pk).select_related("district")
    return {"posts": posts.order_by("-published_on", "-id")}


def register() -> None:
    sections.add_section(sections.DETAIL, sections.Section("positions/_unit_posts.html", unit_posts))
    sections.add_section(sections.PUBLIC, sections.Section("positions/_unit_public_posts.html", unit_published_posts))
    sections.add_directory_column(sections.Column("在招岗位", open_post_counts))
