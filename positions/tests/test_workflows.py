"""The post's closing machine, declared in `positions.workflows`: only a published post closes."""

import pytest

from jianxi_portal.core.workflow import InvalidTransition
from positions.models import Post
from positions.workflows import CLOSING

S = Post.Status


@pytest.mark.parametrize("status", S.values)
def test_closing_table(status):
    post = Post(status=status)
    step = CLOSING["close"]
    assert (step.label, step.permission, step.opinion_required) == ("关闭", "positions.close_post", True)
    if status == S.APPROVED:
        assert CLOSING.ensure(post, "close").target == S.CLOSED
    else:
        with pytest.raises(InvalidTransition) as refused:
            CLOSING.ensure(post, "close")
        assert str(refused.value) == f"岗位当前状态为“{S(status).label}”，只有已发布的岗位可以关闭。"
