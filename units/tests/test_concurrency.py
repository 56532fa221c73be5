"""Two reviewers deciding the same item at the same moment: exactly one decision stands, with one
log row (row lock on PostgreSQL). Each thread has its own database connection."""

import time

import pytest

from jianxi_portal.core import review_queue
from jianxi_portal.core.models import ReviewLog, User
from jianxi_portal.core.review import DECISIONS, InvalidTransition
from jianxi_portal.tests.concurrency import run_together
from jianxi_portal.tests.factories import UserFactory
from positions.models import Post
from positions.tests.factories import SubmittedPostFactory
from units.models import Unit
from units.tests.factories import SubmittedUnitFactory


def race(decisions):
    """Run each (callable) in its own thread, released together: "decided", the refusal's message,
    or what else went wrong, for each."""
    return [
        "decided"
        if not isinstance(r, Exception)
        else str(r)
        if isinstance(r, InvalidTransition)
        else f"unexpected {type(r).__name__}: {r}"
        for r in run_together(*decisions)
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reviewers_approve_and_reject_one_post_at_once(city_cc, monkeypatch):
    colleague = UserFactory(username="city_cc_2", role=User.Role.CITY, region=city_cc.region)
    post = SubmittedPostFactory()
    source = review_queue.get_source("post")

    import positions.services as post_services

    original = post_services._check_approvable

    def slow_check(obj):
        # Hold the row long enough that, without the lock, the other reviewer would decide too.
        time.sleep(0.3)
        original(obj)

    monkeypatch.setattr(post_services, "_check_approvable", slow_check)
    outcomes = race(
        [
            lambda: review_queue.decide(source, post.pk, action="approve", by=city_cc),
            lambda: review_queue.decide(source, post.pk, action="reject", by=colleague, opinion="不符合条件"),
        ]
    )
    assert outcomes.count("decided") == 1 and len(outcomes) == 2
    refused = next(o for o in outcomes if o != "decided")
    assert refused in {"当前状态为“已通过”，不能不通过。", "当前状态为“未通过”，不能通过。"}
    decisions = ReviewLog.objects.filter(object_id=post.pk, content_type__model="post", action__in=DECISIONS)
    assert decisions.count() == 1
    post.refresh_from_db()
    assert post.status == decisions.get().to_status


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reviewers_approving_one_unit_at_once_leave_one_approval(city_cc):
    colleague = UserFactory(username="city_cc_3", role=User.Role.CITY, region=city_cc.region)
    unit = SubmittedUnitFactory()
    from units.services import unit_approve

    outcomes = race(
        [
            lambda: unit_approve(unit_id=unit.pk, by=city_cc),
            lambda: unit_approve(unit_id=unit.pk, by=colleague),
        ]
    )
    assert outcomes.count("decided") == 1
    assert ReviewLog.objects.filter(object_id=unit.pk, content_type__model="unit", action="approve").count() == 1
    assert Unit.objects.get(pk=unit.pk).status == Unit.Status.APPROVED
    assert Post.objects.count() == 0
