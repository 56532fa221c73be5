"""Two province users deciding the same report at the same moment: exactly one decision stands,
with one log row (row lock on PostgreSQL). Each thread has its own database connection."""

import threading
import time

import pytest
from django.db import connection

from jianxi_portal.core.models import ReviewLog, User
from jianxi_portal.core.review import InvalidTransition
from jianxi_portal.tests.factories import UserFactory
from reports import services
from reports.indicators import Period
from reports.models import MonthlyReport


def race(calls):
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("decided")
        except InvalidTransition as exc:
            outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_accept_and_return_at_once_leave_one_decision(city_cc, province_user, monkeypatch):
    colleague = UserFactory(username="province_t2", role=User.Role.PROVINCE)
    report = services.report_prepare(region_id=city_cc.region_id, period=Period(2022, 5), by=city_cc)
    services.report_submit(report_id=report.pk, reporter_name="王经办", reporter_phone="13904310001", by=city_cc)
    original = services.REPORT.ensure

    def slow(report, action):
        time.sleep(0.3)  # hold the row: without the lock both decisions would pass this check
        return original(report, action)

    monkeypatch.setattr(services.REPORT, "ensure", slow)
    outcomes = race(
        [
            lambda: services.report_accept(report_id=report.pk, by=province_user),
            lambda: services.report_return(report_id=report.pk, by=colleague, opinion="请核对"),
        ]
    )
    assert sorted(o == "decided" for o in outcomes) == [False, True]
    assert ReviewLog.objects.filter(object_id=report.pk, action__in=["accept", "return"]).count() == 1
    assert MonthlyReport.objects.get(pk=report.pk).status in ("accepted", "returned")
