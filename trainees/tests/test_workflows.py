"""The placement's machines, declared in `trainees.workflows`: the five lifecycle events and the
cancellation (each allowed from its from-states, refused from the others with the services'
message) and the filing (the review workflow under the filing's own words, 上报备案)."""

from datetime import date

import pytest

from jianxi_portal.core.workflow import InvalidTransition, label_of
from trainees import api, resources
from trainees.models import Placement
from trainees.services import EVENT_SERVICES
from trainees.views import placements as pages
from trainees.workflows import EVENTS, FILING

S, E, OUT = Placement.Status, Placement.End, Placement.Outcome
ENDED_ON, CANCELLED_ON = date(2026, 5, 20), date(2026, 3, 1)

# The states a placement can be in: (status, end, outcome) and how a refusal names it.
STATES = {
    "planned": ((S.PLANNED, "", ""), "当前状态为“待到岗”"),
    "on_duty": ((S.ON_DUTY, "", ""), "当前状态为“在岗见习”"),
    "completed": ((S.ENDED, E.COMPLETED, ""), "已于 2026-05-20 以“期满”结束"),
    "completed_with_outcome": ((S.ENDED, E.COMPLETED, OUT.NONE), "已于 2026-05-20 以“期满”结束"),
    "early_retained": ((S.ENDED, E.EARLY_RETAINED, OUT.RETAINED), "已于 2026-05-20 以“提前留用”结束"),
    "abnormal": ((S.ENDED, E.ABNORMAL, ""), "已于 2026-05-20 以“非正常结束”结束"),
    "cancelled": ((S.CANCELLED, "", ""), "已于 2026-03-01 取消"),
}
TABLE = {  # action: (label, the states it is allowed from, the status it leads to)
    "start": ("到岗", {"planned"}, S.ON_DUTY),
    "complete": ("期满结业", {"on_duty"}, S.ENDED),
    "retain": ("提前留用", {"on_duty"}, S.ENDED),
    "terminate": ("非正常结束", {"on_duty"}, S.ENDED),
    "outcome": ("登记去向", {"completed"}, S.ENDED),
    "cancel": ("取消协议", {"planned"}, S.CANCELLED),
}


def placement(state: str) -> Placement:
    (status, end, outcome), _ = STATES[state]
    return Placement(
        status=status,
        end=end,
        outcome=outcome,
        ended_on=ENDED_ON if status == S.ENDED else None,
        cancelled_on=CANCELLED_ON if status == S.CANCELLED else None,
    )


def test_one_label_per_event_everywhere():
    """The page's button, the form's title, the history and the refusal all say 到岗 (DESIGN.md,
    Placement lifecycle; CONVENTIONS.md names)."""
    assert EVENTS.labels == {action: label for action, (label, _, _) in TABLE.items()}
    assert label_of("start", "trainees.placement") == "到岗"
    assert [t.permission for t in EVENTS] == [f"trainees.{a}_placement" for a in TABLE]
    assert [t.action for t in EVENTS if t.opinion_required] == ["cancel"]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", TABLE)
def test_event_table(action, state):
    label, allowed, target = TABLE[action]
    p = placement(state)
    if state in allowed:
        assert EVENTS.ensure(p, action).target == target
    else:
        with pytest.raises(InvalidTransition) as refused:
            EVENTS.ensure(p, action)
        named = STATES[state][1]
        expected = (
            f"只有期满结业的见习协议才能登记去向；该见习协议{named}。"
            if action == "outcome"
            else f"该见习协议{named}，不能办理“{label}”。"
        )
        assert str(refused.value) == expected


def test_the_filing_is_the_review_workflow_in_the_filings_words():
    assert FILING.field == "filing_status"
    assert FILING.labels == {"submit": "上报备案", "approve": "备案通过", "reject": "备案不通过", "return": "备案退回"}
    assert {t.action for t in FILING if t.opinion_required} == {"reject", "return"}
    with pytest.raises(InvalidTransition, match="当前状态为“已通过”，不能上报备案。"):
        FILING.ensure(Placement(filing_status="approved"), "submit")


def test_every_declared_event_has_one_service_that_the_pages_api_and_import_share():
    assert set(EVENT_SERVICES) == {t.action for t in EVENTS}
    for action, service in EVENT_SERVICES.items():
        assert api.EVENTS[action][1] is service
        assert pages.ACTIONS[action][0] == EVENTS.label(action)
    assert resources.EVENT_SERVICES is EVENT_SERVICES
