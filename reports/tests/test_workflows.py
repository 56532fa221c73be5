"""The monthly report's machine, declared in `reports.workflows` (the services no longer carry a
copy): each transition allowed from its from-states, refused from the others with the message."""

import pytest

from jianxi_portal.core.workflow import InvalidTransition
from reports.models import MonthlyReport
from reports.workflows import REPORT

S = MonthlyReport.Status
TABLE = {  # action: (from, to, label, opinion required)
    "submit": ({S.DRAFT, S.RETURNED}, S.SUBMITTED, "上报", False),
    "accept": ({S.SUBMITTED}, S.ACCEPTED, "接收", False),
    "return": ({S.SUBMITTED}, S.RETURNED, "退回", True),
}


def test_the_report_machine_is_the_table():
    assert {t.action: (set(t.sources), t.target, t.label, t.opinion_required) for t in REPORT} == TABLE
    assert [t.permission for t in REPORT] == [
        "reports.submit_monthlyreport",
        "reports.accept_monthlyreport",
        "reports.return_monthlyreport",
    ]


@pytest.mark.parametrize("status", S.values)
@pytest.mark.parametrize("action", TABLE)
def test_report_table(action, status):
    sources, target, label, _ = TABLE[action]
    report = MonthlyReport(status=status)
    if status in sources:
        assert REPORT.ensure(report, action).target == target
    else:
        with pytest.raises(InvalidTransition) as refused:
            REPORT.ensure(report, action)
        assert str(refused.value) == f"月报状态为“{S(status).label}”，不能{label}。"
