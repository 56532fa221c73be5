"""The unit's listing machine (清单管理), declared in `units.workflows`: each transition allowed from
its from-states and refused from every other status with the services' message."""

import pytest

from jianxi_portal.core.workflow import InvalidTransition
from units.models import Unit
from units.workflows import LISTING

S = Unit.Status
TABLE = {  # action: (from, to, label)
    "suspend": ({S.APPROVED}, S.SUSPENDED, "暂停"),
    "resume": ({S.SUSPENDED}, S.APPROVED, "恢复"),
    "revoke": ({S.APPROVED, S.SUSPENDED}, S.REVOKED, "撤销"),
}


def test_the_listing_machine_is_the_table():
    assert {t.action: (set(t.sources), t.target, t.label) for t in LISTING} == TABLE
    assert all(t.opinion_required for t in LISTING)  # a reason, always
    assert {t.permission for t in LISTING} == {"units.suspend_unit", "units.resume_unit", "units.revoke_unit"}


@pytest.mark.parametrize("status", S.values)
@pytest.mark.parametrize("action", TABLE)
def test_listing_table(action, status):
    sources, target, label = TABLE[action]
    unit = Unit(status=status)
    if status in sources:
        assert LISTING.ensure(unit, action).target == target
        assert (action, label) in [(t.action, t.label) for t in LISTING.available(unit)]
    else:
        with pytest.raises(InvalidTransition) as refused:
            LISTING.ensure(unit, action)
        assert str(refused.value) == f"单位当前状态为“{S(status).label}”，不能{label}。"
