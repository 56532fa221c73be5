"""reports.permissions: every permission × every role, on the 长春市 report. Who only: the states
each action is open from are the report's workflow (reports.workflows)."""

import rules

from jianxi_portal.tests.permission_table import actor, declared, table
from reports.models import MonthlyReport

ALLOWED = {
    "reports.add_monthlyreport": {"city_own"},
    "reports.change_monthlyreport": {"city_own"},
    "reports.submit_monthlyreport": {"city_own"},
    "reports.accept_monthlyreport": {"province"},
    "reports.return_monthlyreport": {"province"},
}


def test_the_table_names_every_declared_permission():
    assert declared("reports.") == set(ALLOWED)


@table(ALLOWED)
def test_who_may(request, changchun, perm, role, expected):
    report = MonthlyReport(region=changchun, year=2026, month=3)
    assert rules.has_perm(perm, actor(request, role), report) is expected
