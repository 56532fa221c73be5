"""`load_demo` for reports: last month's drafts, one accepted and one submitted report; idempotent."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from jianxi_portal.core.models import User
from jianxi_portal.tests.factories import UserFactory
from reports.demo import load_demo
from reports.indicators import Period
from reports.models import MonthlyReport


@time_machine.travel(datetime(2026, 12, 3, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_demo_reports_are_idempotent(changchun, jilin_region, django_capture_on_commit_callbacks):
    UserFactory(username="province", role=User.Role.PROVINCE)
    UserFactory(username="city_changchun", role=User.Role.CITY, region=changchun, first_name="长春市人社局")
    UserFactory(username="city_jilin", role=User.Role.CITY, region=jilin_region)
    with django_capture_on_commit_callbacks(execute=True):
        load_demo(date(2026, 12, 3))
        load_demo(date(2026, 12, 3))
    reports = MonthlyReport.objects.for_period(Period(2026, 11))
    assert reports.count() == 11
    states = dict(reports.values_list("region__code", "status"))
    assert (states["changchun"], states["jilin"], states["siping"]) == ("accepted", "submitted", "draft")
    assert reports.get(region__code="changchun").reporter_name == "长春市人社局"
