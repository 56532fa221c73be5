"""The post's state machines (ARCHITECTURE.md, One home for each kind of rule): its review (DESIGN.md,
Review workflow) and its closing (by its unit or its city, with a reason; also when its unit is
revoked or its closing date has passed)."""

from jianxi_portal.core.review import review_machine
from jianxi_portal.core.workflow import Machine, transition
from positions.models import Post

S = Post.Status

REVIEW = review_machine("positions.post")

CLOSING = Machine(
    "positions.post",
    [
        transition(
            "close",
            [S.APPROVED],
            S.CLOSED,
            "关闭",
            permission="positions.close_post",
            opinion=True,
            refusal="岗位当前状态为“{state}”，只有已发布的岗位可以关闭。",
        ),
    ],
    name="positions.post.closing",
)
