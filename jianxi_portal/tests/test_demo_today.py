"""`load_demo` dates everything from the day it runs (`--today`): the current programme year is open
and last month's Annex 2 counts the demo's units, posts and trainees (DESIGN.md, Programme years)."""

import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command
from django.db import transaction

from jianxi_portal.core.management.commands.load_demo import Command
from jianxi_portal.core.models import AnnualQuota, Region
from reports.selectors import annex2_rows


@time_machine.travel(datetime(2027, 1, 4, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_the_demo_run_on_2027_01_04_opens_2027_and_its_december_annex2_makes_sense():
    call_command("load_demo", today="2027-01-04", stdout=io.StringIO())
    assert AnnualQuota.objects.filter(year=2027).count() == 11
    assert AnnualQuota.objects.get(year=2027, region__code="changchun").post_quota == 4500  # as the last year
    [row] = annex2_rows(2026, 12, Region.objects.filter(code="changchun"))
    # 长春 in December 2026: the employer's unit (approved 2026-03-10) and the practice base (2026-10-05);
    # the employer's three approved posts (5 + 4 + 6 slots, 2026-04-10) and the base's two (3 + 1,
    # 2026-10-12); 王磊 retained early on 2026-12-05 (a vocational graduate); 陈静 on duty since
    # 2026-11-01; the demo's payment is dated 2027-01-04, outside 2026.
    assert row.as_list() == [2, 0, 19, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, Decimal("0.00")]


@time_machine.travel(datetime(2027, 1, 4, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_the_logins_are_printed_after_the_demo_is_committed_so_task_logs_come_before_them(
    transactional_db, monkeypatch
):
    # Without REDIS_URL the tasks the demo queues run in-process on commit and log a line each: the
    # logins of `make run` come after them, last on the screen.
    order = []
    load = Command._load

    def load_then_queue(self, today):
        logins = load(self, today)
        transaction.on_commit(lambda: order.append("task ran"))
        return logins

    monkeypatch.setattr(Command, "_load", load_then_queue)
    out = io.StringIO()
    real_print = Command._print
    monkeypatch.setattr(Command, "_print", lambda self, logins: (order.append("logins"), real_print(self, logins)))
    call_command("load_demo", today="2027-01-04", stdout=out)
    assert order == ["task ran", "logins"]
    assert out.getvalue().rstrip().endswith("青年")
