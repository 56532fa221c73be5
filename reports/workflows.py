"""The monthly Annex 2 report's state machine (ARCHITECTURE.md, One home for each kind of rule;
DESIGN.md, Annex 2): the city bureau submits its region's report (上报), the province accepts it
(接收, final) or returns it with an opinion (退回); a returned report is corrected and submitted
again. Submitted and accepted reports are frozen."""

from jianxi_portal.core.workflow import Machine, transition
from reports.models import MonthlyReport

S = MonthlyReport.Status

REPORT = Machine(
    "reports.monthlyreport",
    [
        transition("submit", [S.DRAFT, S.RETURNED], S.SUBMITTED, "上报", permission="reports.submit_monthlyreport"),
        transition("accept", [S.SUBMITTED], S.ACCEPTED, "接收", permission="reports.accept_monthlyreport"),
        transition(
            "return", [S.SUBMITTED], S.RETURNED, "退回", permission="reports.return_monthlyreport", opinion=True
        ),
    ],
    refusal="月报状态为“{state}”，不能{label}。",
)
