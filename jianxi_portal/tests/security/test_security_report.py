"""SECURITY.md quotes the suite's own figures: `tools.security_report` puts a whole run's
recorded figures into the table and refuses a run that cannot stand for "the last run"."""

import json

import pytest

from tools import security_report

TABLE = """# Security

Last run: 2026-01-01, typed by hand.

| # | item | proved by | figure on the last run |
| --- | --- | --- | --- |
| 1 | Isolation | `test_isolation_matrix.py` | isolation: old figure |
| 2 | Sign-in | `test_lockout.py` | lockout: old figure |
"""


def whole_run(**changes) -> dict:
    run = {
        "finished_at": "2026-11-27 16:00 (+08:00)",
        "whole_suite": True,
        "args": ["jianxi_portal", "units"],
        "database": "PostgreSQL 15.19",
        "redis": True,
        "outcome": {"passed": 1250, "failed": 0, "error": 0, "skipped": 1, "deselected": 0},
        "duration_s": 241.7,
        "figures": {item: [f"item {item} figure"] for item in security_report.ITEMS},
    }
    run["figures"]["1"] = ["isolation: 0 of 3804 attempts | succeeded", "coverage 100%"]
    run.update(changes)
    return run


def test_render_replaces_each_rows_figure_and_the_last_run_line_and_keeps_the_rest():
    out = security_report.render(TABLE, whole_run())

    assert (
        "| 1 | Isolation | `test_isolation_matrix.py` | isolation: 0 of 3804 attempts \\| succeeded<br>coverage 100% |"
    ) in out
    assert "| 2 | Sign-in | `test_lockout.py` | item 2 figure |" in out
    assert (
        "Last run: 2026-11-27 16:00 (+08:00), the whole suite on PostgreSQL 15.19 with Redis: "
        "1250 passed, 1 skipped in 242 s."
    ) in out
    assert "old figure" not in out and "typed by hand" not in out
    assert out.startswith("# Security\n\n") and "| --- | --- | --- | --- |" in out


def test_a_row_without_a_recorded_figure_is_left_as_it_was():
    run = whole_run()
    del run["figures"]["2"]
    assert "| 2 | Sign-in | `test_lockout.py` | lockout: old figure |" in security_report.render(TABLE, run)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"whole_suite": False}, "not the whole suite"),
        ({"outcome": {"passed": 10, "failed": 1}}, "failures"),
        ({"database": "SQLite"}, "SQLite"),
        ({"figures": {"1": ["x"]}}, r"no figure recorded for item\(s\) 2, 3, 4, 5, 6, 7, 8"),
    ],
)
def test_a_run_that_cannot_stand_for_the_last_run_is_refused(changes, reason):
    with pytest.raises(security_report.NotQuotable, match=reason):
        security_report.ensure_quotable(whole_run(**changes))


def test_write_refuses_a_partial_run_and_leaves_the_file_alone(tmp_path, capsys):
    figures, doc = tmp_path / "figures.json", tmp_path / "SECURITY.md"
    figures.write_text(json.dumps(whole_run(whole_suite=False)), encoding="utf-8")
    doc.write_text(TABLE, encoding="utf-8")

    assert security_report.main(["--figures", str(figures), "--security-md", str(doc), "--write"]) == 1
    assert doc.read_text(encoding="utf-8") == TABLE
    assert "not the whole suite" in capsys.readouterr().err


def test_write_then_check_reports_that_security_md_quotes_the_run_even_when_only_durations_differ(tmp_path, capsys):
    figures, doc = tmp_path / "figures.json", tmp_path / "SECURITY.md"
    run = whole_run()
    run["figures"]["6"] = ["two reviewers: 50 of 50 rounds (1.1 s)"]
    figures.write_text(json.dumps(run), encoding="utf-8")
    doc.write_text(TABLE.replace("| 2 |", "| 6 |"), encoding="utf-8")

    assert security_report.main(["--figures", str(figures), "--security-md", str(doc), "--write"]) == 0
    assert "two reviewers: 50 of 50 rounds (1.1 s)" in doc.read_text(encoding="utf-8")

    run["figures"]["6"] = ["two reviewers: 50 of 50 rounds (2.3 s)"]
    run["duration_s"] = 300
    figures.write_text(json.dumps(run), encoding="utf-8")
    capsys.readouterr()
    assert security_report.main(["--figures", str(figures), "--security-md", str(doc), "--check"]) == 0
    assert "quotes this run's figures" in capsys.readouterr().out

    run["figures"]["6"] = ["two reviewers: 49 of 50 rounds (2.3 s)"]
    figures.write_text(json.dumps(run), encoding="utf-8")
    security_report.main(["--figures", str(figures), "--security-md", str(doc), "--check"])
    assert "differs from this run's figures" in capsys.readouterr().out


def test_security_md_has_one_row_per_item():
    rows = security_report.ROW.findall(security_report.SECURITY_MD.read_text(encoding="utf-8"))
    assert [row[0] for row in rows] == list(security_report.ITEMS)
