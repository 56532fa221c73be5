"""`manage.py deadline DATE [--days N] [--json]`: the deadline and whether it is provisional."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jianxi_portal.core.models import CalendarOverride, CalendarYear


def deadline(*args) -> list[str]:
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue().splitlines()


def test_a_submission_on_2026_12_21_is_due_on_2027_01_12_provisionally():
    lines = deadline("2026-12-21")
    assert lines[0] == "2027-01-12 provisional"
    assert lines[1] == (
        "2026-12-21 提交，次日起第15个工作日：2027-01-12（暂定：2027年国务院放假安排尚未录入完整，"
        "期限按法定节假日暂定计算，录入后自动重算。）"
    )


def test_a_deadline_inside_a_covered_year_is_final():
    # Fri 2022-09-30 is day 1 after Thu 09-29; National Day week off; Sat 10-08 is an adjusted working day.
    assert deadline("2022-09-29", "--days", "2") == [
        "2022-10-08 final",
        "2022-09-29 提交，次日起第2个工作日：2022-10-08（按已确定的国务院放假安排计算）",
    ]


def test_json_for_other_systems_and_the_answer_once_the_year_is_complete():
    assert json.loads(deadline("2026-12-21", "--json")[0]) == {
        "submitted_on": "2026-12-21",
        "working_days": 15,
        "deadline": "2027-01-12",
        "provisional": True,
        "provisional_years": [2027],
    }
    CalendarOverride.objects.create(date=date(2027, 1, 1), kind="holiday", note="元旦")
    CalendarYear.objects.create(year=2027, complete=True)
    assert deadline("2026-12-21")[0] == "2027-01-12 final"


@pytest.mark.parametrize(
    "args, message",
    [
        (("2026-13-01",), "日期应写成 YYYY-MM-DD，收到“2026-13-01”。"),
        (("2026-12-21", "--days", "-1"), "--days 应在0至366之间，收到 -1。"),
    ],
)
def test_bad_arguments_are_refused_with_a_message(args, message):
    with pytest.raises(CommandError, match=message):
        deadline(*args)
