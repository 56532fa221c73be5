"""What this app needs to know about a post, in one place, so the owner of `positions` can change
the rule without a hunt through trainees: whether it takes applications, and whether new placement
agreements may be signed on it."""

from datetime import date

from django.utils import timezone

from positions.models import Post
from units.models import Unit


def post_open_for_applications(post: Post, today: date | None = None) -> bool:
    """Whether a young person may apply to `post` on `today`: the rule belongs to positions
    (`Post.is_open_for_applications`: published, unit approved, closing date not passed)."""
    return post.is_open_for_applications(today or timezone.localdate())


def post_refuses_placements(post: Post) -> str | None:
    """Why no new agreement may be signed on `post` (None: it may). Unlike applications, an
    agreement may follow the closing date (the employer accepts applicants after the deadline), but
    never a post that was closed, withdrawn or never published, nor a suspended or revoked unit."""
    if post.status != Post.Status.APPROVED:
        return f"岗位“{post.title}”当前状态为“{post.get_status_display()}”，不能签订见习协议。"
    if post.unit.status != Unit.Status.APPROVED:
        return f"见习单位“{post.unit.name}”当前状态为“{post.unit.get_status_display()}”，不能签订新的见习协议。"
    return None
