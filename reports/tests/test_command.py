"""`manage.py annex2 --year Y --month M [--region CODE] --json`."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reports.tests.dataset import TOTAL, expected


def run(*args) -> str:
    out = StringIO()
    call_command("annex2", *args, stdout=out)
    return out.getvalue()


def test_json_rows_for_every_region(may_2022):
    rows = json.loads(run("--year", "2022", "--month", "5", "--json"))
    assert len(rows) == 11
    cc = rows[0]
    assert cc["region"] == "changchun"
    assert [cc[str(n)] for n in range(1, 14)] == expected("changchun")[:13]
    assert cc["14"] == "2.51"


def test_one_region_and_the_total(may_2022):
    rows = json.loads(run("--year", "2022", "--month", "5", "--region", "jilin", "--json"))
    assert [r["region"] for r in rows] == ["jilin"] and rows[0]["14"] == "0.50"
    rows = json.loads(run("--year", "2022", "--month", "5", "--json", "--total"))
    assert rows[-1]["region"] == "province" and rows[-1]["14"] == str(TOTAL[13])


def test_plain_text_table(may_2022):
    text = run("--year", "2022", "--month", "5", "--region", "changchun")
    assert "changchun" in text and "2.51" in text


def test_bad_arguments(db):
    with pytest.raises(CommandError):
        run("--year", "2022", "--month", "13")
    with pytest.raises(CommandError):
        run("--year", "2022", "--month", "5", "--region", "nowhere")
