"""The unit's state machines (ARCHITECTURE.md, One home for each kind of rule): its review (DESIGN.md,
Review workflow) and its listing (清单管理: suspend, resume, revoke — city staff of its region, with a
reason; revoking closes its open posts the same day)."""

from jianxi_portal.core.review import review_machine
from jianxi_portal.core.workflow import Machine, transition
from units.models import Unit

S = Unit.Status

REVIEW = review_machine("units.unit")

LISTING = Machine(
    "units.unit",
    [
        transition("suspend", [S.APPROVED], S.SUSPENDED, "暂停", permission="units.suspend_unit", opinion=True),
        transition("resume", [S.SUSPENDED], S.APPROVED, "恢复", permission="units.resume_unit", opinion=True),
        transition(
            "revoke", [S.APPROVED, S.SUSPENDED], S.REVOKED, "撤销", permission="units.revoke_unit", opinion=True
        ),
    ],
    refusal="单位当前状态为“{state}”，不能{label}。",
    name="units.unit.listing",
)
