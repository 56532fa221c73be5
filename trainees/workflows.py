"""The placement's state machines (ARCHITECTURE.md, One home for each kind of rule): its lifecycle
events (DESIGN.md, Placement lifecycle) and its filing (上报备案, the review workflow on
`filing_status`), with the names of the other events a placement or an internship logs.

    planned ──start──▶ on_duty ──complete──▶ ended (completed) ──outcome──▶ (retained | other_employment | none)
       │                  ├──retain───▶ ended (early_retained: counts as completed and retained)
       │                  └──terminate─▶ ended (abnormal: personal | unit_change | other)
       └──cancel──▶ cancelled (the trainee never arrived; frees the slot)

The dates and details of each event are the services' (`trainees.services.events`)."""

from jianxi_portal.core.review import review_machine
from jianxi_portal.core.workflow import Machine, record_labels, transition
from trainees.models import Placement

S = Placement.Status


def _day(day) -> str:
    return f"{day:%Y-%m-%d}" if day else "—"


def state_text(placement: Placement) -> str:
    """「已于 2026-05-20 以“非正常结束”结束」: the agreement's state as a refusal names it."""
    if placement.status == S.ENDED:
        return f"已于 {_day(placement.ended_on)} 以“{placement.get_end_display()}”结束"
    if placement.status == S.CANCELLED:
        return f"已于 {_day(placement.cancelled_on)} 取消"
    return f"当前状态为“{placement.get_status_display()}”"


def _completed_without_outcome(placement: Placement) -> bool:
    return placement.end == Placement.End.COMPLETED and not placement.outcome


EVENTS = Machine(
    "trainees.placement",
    [
        transition("start", [S.PLANNED], S.ON_DUTY, "到岗", permission="trainees.start_placement"),
        transition("complete", [S.ON_DUTY], S.ENDED, "期满结业", permission="trainees.complete_placement"),
        transition("retain", [S.ON_DUTY], S.ENDED, "提前留用", permission="trainees.retain_placement"),
        transition("terminate", [S.ON_DUTY], S.ENDED, "非正常结束", permission="trainees.terminate_placement"),
        transition(
            "outcome",
            [S.ENDED],
            S.ENDED,
            "登记去向",
            permission="trainees.outcome_placement",
            when=_completed_without_outcome,
            refusal="只有期满结业的见习协议才能登记去向；该见习协议{state}。",
        ),
        transition(
            "cancel", [S.PLANNED], S.CANCELLED, "取消协议", permission="trainees.cancel_placement", opinion=True
        ),
    ],
    refusal="该见习协议{state}，不能办理“{label}”。",
    state=state_text,
)

FILING = review_machine(
    "trainees.placement",
    field="filing_status",
    labels={"submit": "上报备案", "approve": "备案通过", "reject": "备案不通过", "return": "备案退回"},
)

# What else a placement's and an internship's history shows (logged, not transitions of a machine).
record_labels(
    "trainees.placement",
    {
        "sign": "签订协议",
        "mentor": "指定带教老师",
        "convert": "实习转见习",
        "continue": "批准接续见习",
    },
)
record_labels("trainees.internship", {"intern": "登记实习", "end": "实习结束", "convert": "实习转见习"})
