"""Item 7 — the dependency audit's offline half: OSV ranges evaluated against a dated snapshot of
the PyPA Advisory Database (security/advisories/pypa-snapshot.json), waivers, unpinned lines, the
online-first fallback and the snapshot refresh."""

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest
from packaging.version import Version

from tools import dependency_audit as audit
from tools.dependency_audit import affected_by_events, audit_offline, is_affected, waivers_from

ROOT = Path(__file__).resolve().parents[3]
REQUIREMENTS = [ROOT / "requirements.txt", ROOT / "requirements-dev.txt"]
WAIVER_TABLE = "## pip-audit waivers\n\n| id | package | date | reason |\n| --- | --- | --- | --- |\n"


def affected(version, *events, versions=(), withdrawn=None):
    advisory = {"id": "TEST-1", "ranges": [list(map(list, events))] if events else [], "versions": list(versions)}
    if withdrawn:
        advisory["withdrawn"] = withdrawn
    return is_affected(version, advisory)


# --- the range evaluator -------------------------------------------------------------------------


def test_introduced_zero_to_fixed_covers_everything_below_the_fix():
    events = (("introduced", "0"), ("fixed", "2.0"))
    assert affected("0.0.1", *events) and affected("1.9.9", *events)
    assert not affected("2.0", *events) and not affected("2.0.0", *events) and not affected("3.1", *events)


def test_pre_releases_and_post_releases_sort_as_pep_440_says():
    events = (("introduced", "0"), ("fixed", "2.0"))
    assert affected("2.0rc1", *events) and affected("2.0.dev3", *events)  # before the fixed final release
    assert not affected("2.0.post1", *events)
    pre_introduced = (("introduced", "2.0.0rc1"), ("fixed", "3.0.6"))  # werkzeug PYSEC-2026-3417
    assert affected("2.0.0rc1", *pre_introduced) and affected("3.0.5", *pre_introduced)
    assert not affected("2.0.0b1", *pre_introduced) and not affected("3.0.6", *pre_introduced)


def test_last_affected_includes_that_version_and_nothing_after():
    events = (("introduced", "1.0"), ("last_affected", "1.4"))
    assert affected("1.4", *events) and affected("1.0", *events)
    assert not affected("1.4.1", *events) and not affected("0.9", *events)


def test_introduced_without_a_fix_covers_every_later_version():
    assert affected("99.0", ("introduced", "3.1")) and not affected("3.0", ("introduced", "3.1"))


def test_several_ranges_in_one_event_list_in_any_order_as_django_writes_them():
    events = (
        ("introduced", "5.1"),
        ("fixed", "5.1.1"),
        ("introduced", "5.0"),
        ("fixed", "5.0.9"),
        ("introduced", "4.2"),
        ("fixed", "4.2.16"),
    )  # PYSEC-0000-CVE-2024-45230
    assert [
        affected(v, *events) for v in ("4.1.9", "4.2", "4.2.15", "4.2.16", "5.0.8", "5.0.9", "5.1", "5.1.1", "5.2.19")
    ] == [False, True, True, False, True, False, True, False, False]
    # CVE-2023-31047 as written: 'introduced 0' and 'introduced 4.0' before any fix
    odd = (("introduced", "0"), ("introduced", "4.0"), ("fixed", "4.1.9"), ("introduced", "3.2"), ("fixed", "3.2.19"))
    assert affected("3.1", *odd) and affected("4.0.1", *odd) and not affected("3.2.19", *odd)
    assert not affected("4.2", *odd)


def test_separate_ranges_each_count():
    advisory = {
        "id": "T",
        "ranges": [[["introduced", "1.0"], ["fixed", "1.2"]], [["introduced", "2.0"], ["fixed", "2.1"]]],
    }
    assert [is_affected(v, advisory) for v in ("1.1", "1.5", "2.0.1", "2.1")] == [True, False, True, False]


def test_explicit_versions_count_even_without_a_range_and_compare_as_versions():
    assert affected("1.2.3", versions=["1.2.3"]) and affected("1.2.3.0", versions=["1.2.3"])
    assert not affected("1.2.4", versions=["1.2.3"])


def test_withdrawn_advisories_never_match():
    # redis PYSEC-2022-43162 (a Redis *server* leak) says 'introduced 0' with no fix, and is withdrawn
    assert not affected("8.1.0", ("introduced", "0"), withdrawn="2024-11-22")
    assert affected("8.1.0", ("introduced", "0"))


def test_events_are_walked_by_version_not_by_position():
    assert affected_by_events(Version("1.5"), [("fixed", "2.0"), ("introduced", "1.0")])


# --- the committed snapshot ----------------------------------------------------------------------


def test_committed_snapshot_is_consistent_every_fix_evaluates_as_fixed():
    snapshot = audit.load_snapshot(audit.SNAPSHOT)
    advisories = [(name, a) for name, entry in snapshot["packages"].items() for a in entry["advisories"]]
    assert snapshot["advisory_count"] == len(advisories) and snapshot["package_count"] == len(snapshot["packages"])
    assert date.fromisoformat(snapshot["snapshot_date"]) and snapshot["source"]["read_on"] == snapshot["snapshot_date"]
    for name, advisory in advisories:
        assert advisory["id"] and (advisory["ranges"] or advisory.get("versions")), (name, advisory["id"])
        assert advisory["src"][0] in snapshot["source"]["read_from"] and len(advisory["src"][1]) == 40
        if advisory.get("withdrawn"):
            continue
        for events in advisory["ranges"]:
            for kind, version in events:
                if kind == "fixed":
                    assert not is_affected(version, advisory), (name, advisory["id"], version)
                elif kind == "introduced" and version != "0":
                    assert is_affected(version, advisory), (name, advisory["id"], version)
    empty = [name for name, entry in snapshot["packages"].items() if not entry["advisories"]]
    assert all("no advisories in the snapshot" in snapshot["packages"][name]["note"] for name in empty)


def test_the_real_requirements_are_audited_offline_against_the_snapshot(figures):
    snapshot = audit.load_snapshot(audit.SNAPSHOT)
    waivers = waivers_from((ROOT / "SECURITY.md").read_text(encoding="utf-8"))
    outcome = audit_offline(REQUIREMENTS, waivers, today=date.fromisoformat(snapshot["snapshot_date"]))
    assert outcome.flags == [] and outcome.uncovered == [], (outcome.flags, outcome.uncovered)
    assert outcome.found == [], [finding.label() for finding in outcome.found]
    # every pin, and every package they pull in as installed here (.ci/run installs both files)
    assert outcome.pins == len(audit.read_requirements(REQUIREMENTS)[0]), outcome.notes
    assert len(outcome.audited) == snapshot["package_count"], outcome.notes
    newest = snapshot["newest_advisory"]
    dated = (
        f"{outcome.advisories:,} PyPA advisories (snapshot {outcome.snapshot_date}; newest advisory "
        f"{newest['id']} of {newest['published']})"
    )
    figures.add(
        "7",
        f"offline audit of requirements.txt + requirements-dev.txt: {len(outcome.audited)} of "
        f"{len(outcome.audited) + len(outcome.uncovered)} packages ({outcome.pins} pins, "
        f"{outcome.dependencies} dependencies) audited against {dated}: {len(outcome.found)} vulnerable, "
        f"{len(outcome.waived)} waived",
    )


# --- the gate on a small snapshot ----------------------------------------------------------------

SQLPARSE_ADVISORY = {
    "id": "PYSEC-2099-1",
    "aliases": ["CVE-2099-1"],
    "published": "2099-01-01",
    "summary": "test advisory",
    "ranges": [[["introduced", "0"], ["fixed", "0.7.0"]]],
    "fixed": ["0.7.0"],
    "src": ["T", "0" * 40],
}


@pytest.fixture
def project(tmp_path):
    """A project with sqlparse (installed here, no dependencies) pinned and a one-advisory snapshot."""
    snapshot = audit.build_snapshot(
        {"sqlparse": {"advisories": [dict(SQLPARSE_ADVISORY)]}}, "2026-11-27", {"read_from": {"T": "test"}}
    )
    audit.write_snapshot(snapshot, tmp_path / "snapshot.json")
    (tmp_path / "requirements.txt").write_text("# test\nsqlparse==0.6.1  # pinned\n", encoding="utf-8")
    (tmp_path / "SECURITY.md").write_text(WAIVER_TABLE, encoding="utf-8")
    return tmp_path


def run_main(project, *extra):
    return audit.main(
        [
            "dependency_audit",
            str(project / "requirements.txt"),
            "--offline",
            "--snapshot",
            str(project / "snapshot.json"),
            *extra,
        ]
    )


def test_a_pinned_vulnerable_version_fails_the_gate(project, capsys):
    assert run_main(project) == 1
    out = capsys.readouterr().out
    assert "1 packages audited (1 pins, 0 dependencies), 1 vulnerable, 0 waived" in out
    assert "VULNERABLE: sqlparse 0.6.1: PYSEC-2099-1 / CVE-2099-1 (fixed in 0.7.0)" in out and "FAILED" in out


def test_a_dated_explained_waiver_passes_and_is_printed(project, capsys):
    (project / "SECURITY.md").write_text(WAIVER_TABLE + "| CVE-2099-1 | sqlparse | 2026-11-27 | reindent not used |\n")
    assert run_main(project) == 0
    out = capsys.readouterr().out
    assert "0 vulnerable, 1 waived" in out and "[waived 2026-11-27: reindent not used]" in out


@pytest.mark.parametrize(
    "row",
    [
        "| CVE-2099-1 | sqlparse |  | reindent not used |",
        "| CVE-2099-1 | sqlparse | 27.11.2026 | reindent not used |",
        "| CVE-2099-1 | sqlparse | 2026-11-27 |  |",
    ],
)
def test_an_undated_or_unexplained_waiver_fails_the_gate(project, capsys, row):
    (project / "SECURITY.md").write_text(WAIVER_TABLE + row + "\n")
    assert run_main(project) == 1
    assert "waiver row needs id | package | ISO date | reason" in capsys.readouterr().out


def test_an_unpinned_requirement_is_flagged(project, capsys):
    (project / "requirements.txt").write_text("sqlparse>=0.5\n-e git+https://example.invalid/x.git#egg=x\n")
    (project / "SECURITY.md").write_text(WAIVER_TABLE + "| CVE-2099-1 | sqlparse | 2026-11-27 | test |\n")
    assert run_main(project) == 0
    out = capsys.readouterr().out
    assert "NOT PINNED: requirements.txt:1: 'sqlparse>=0.5' is not pinned with ==" in out
    assert "NOT PINNED: requirements.txt:2: '-e git+https://example.invalid/x.git#egg=x' is an option" in out
    assert "(0 pins, 1 not pinned, 0 dependencies)" in out


def test_a_package_missing_from_the_snapshot_and_a_stale_snapshot_are_said_loudly(project, capsys):
    (project / "requirements.txt").write_text("sqlparse==0.7.0\npackaging==26.4\n")
    outcome = audit_offline([project / "requirements.txt"], {}, project / "snapshot.json", today=date(2027, 6, 1))
    assert outcome.uncovered == ["packaging 26.4"] and outcome.stale and outcome.age_days == 186
    audit._print_offline(outcome)
    out = capsys.readouterr().out
    assert "WARNING: 1 packages are not in the advisory snapshot and were NOT audited: packaging 26.4" in out
    assert "WARNING: the advisory snapshot is 186 days old" in out


def test_online_first_then_offline_when_the_services_audit_nothing(project, capsys, monkeypatch):
    calls = []

    def unreachable(files, service):
        calls.append(service)
        return {"dependencies": [{"name": "sqlparse", "skip_reason": "Dependency not found on PyPI"}]}

    monkeypatch.setattr(audit, "run_pip_audit", unreachable)
    status = audit.main(
        ["dependency_audit", str(project / "requirements.txt"), "--snapshot", str(project / "snapshot.json")]
    )
    out = capsys.readouterr().out
    assert calls == ["pypi", "osv"] and status == 1
    assert "pip-audit could not audit online" in out and "offline audit (PyPA advisory database snapshot" in out


def test_an_online_answer_is_used_without_the_snapshot(project, capsys, monkeypatch):
    monkeypatch.setattr(
        audit,
        "run_pip_audit",
        lambda files, service: {"dependencies": [{"name": "sqlparse", "version": "0.6.1", "vulns": []}]},
    )
    assert (
        audit.main(["dependency_audit", str(project / "requirements.txt"), "--snapshot", str(project / "missing.json")])
        == 0
    )
    out = capsys.readouterr().out
    assert "pip-audit: 1 packages audited, 0 vulnerabilities, 0 waived, 0 not auditable (service: pypi)" in out


# --- refreshing the snapshot from a checkout of the database -------------------------------------

ADVISORY_YAML = """\
id: PYSEC-2099-7
summary: ''
details: |-
  sqlparse before 0.7.0 is slow on crafted input.
  Second line of details.
aliases:
- CVE-2099-7
related:
- GHSA-xxxx-yyyy-zzzz
modified: 2099-01-03T00:00:00Z
published: 2099-01-02T10:00:00Z
affected:
- package:
    name: SQLParse
    ecosystem: PyPI
    purl: pkg:pypi/sqlparse
  ranges:
  - type: GIT
    repo: https://github.com/andialbrecht/sqlparse
    events:
    - introduced: '0'
    - fixed: 0123456789abcdef
  - type: ECOSYSTEM
    events:
    - introduced: '0'
    - fixed: 0.7.0
  versions:
  - 0.6.0
  - 0.6.1
"""


def test_refresh_builds_the_snapshot_from_a_tiny_database_checkout(tmp_path, capsys):
    database = tmp_path / "advisory-database"
    (database / "vulns" / "sqlparse").mkdir(parents=True)
    (database / "vulns" / "sqlparse" / "PYSEC-2099-7.yaml").write_text(ADVISORY_YAML)
    (database / "vulns" / "sqlparse" / "PYSEC-2099-8.yaml").write_text(
        "id: PYSEC-2099-8\ndetails: gone\nwithdrawn: '2099-02-01T00:00:00Z'\npublished: '2099-01-05'\naffected:\n"
        "- package: {name: sqlparse, ecosystem: PyPI}\n  ranges:\n  - type: ECOSYSTEM\n    events:\n"
        "    - introduced: '0'\n"
    )
    (database / "vulns" / "django").mkdir()
    (database / "vulns" / "django" / "PYSEC-2099-9.yaml").write_text(ADVISORY_YAML.replace("SQLParse", "django"))
    git = ["git", "-C", str(database), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run(["git", "init", "-q", str(database)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "fixture"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    (tmp_path / "requirements.txt").write_text("sqlparse==0.6.1\n")
    (tmp_path / "SECURITY.md").write_text(WAIVER_TABLE)
    out = tmp_path / "snapshot.json"

    assert (
        audit.main(
            [
                "dependency_audit",
                "--refresh-snapshot",
                str(database),
                str(tmp_path / "requirements.txt"),
                "--snapshot",
                str(out),
            ]
        )
        == 0
    )
    assert f"2 advisories for 1 packages, from {head}" in capsys.readouterr().out
    snapshot = json.loads(out.read_text())
    assert list(snapshot["packages"]) == ["sqlparse"] and snapshot["source"]["commit"] == head
    advisories = {a["id"]: a for a in snapshot["packages"]["sqlparse"]["advisories"]}
    assert advisories["PYSEC-2099-7"] == {
        "id": "PYSEC-2099-7",
        "aliases": ["CVE-2099-7", "GHSA-xxxx-yyyy-zzzz"],
        "published": "2099-01-02",
        "summary": "sqlparse before 0.7.0 is slow on crafted input. Second line of details.",
        "ranges": [[["introduced", "0"], ["fixed", "0.7.0"]]],
        "fixed": ["0.7.0"],
    }
    assert advisories["PYSEC-2099-8"]["withdrawn"] == "2099-02-01"
    assert snapshot["newest_advisory"] == {"published": "2099-01-05", "id": "PYSEC-2099-8"}

    requirements = str(tmp_path / "requirements.txt")
    assert audit.main(["dependency_audit", requirements, "--offline", "--snapshot", str(out)]) == 1
    result = capsys.readouterr().out
    vulnerable = [line for line in result.splitlines() if "VULNERABLE" in line]
    assert len(vulnerable) == 1 and "sqlparse 0.6.1: PYSEC-2099-7 / CVE-2099-7" in vulnerable[0]  # -8 is withdrawn


def test_refresh_refuses_a_directory_that_is_not_the_database(tmp_path):
    (tmp_path / "requirements.txt").write_text("sqlparse==0.6.1\n")
    with pytest.raises(ValueError, match="no vulns/ directory"):
        audit.refresh_snapshot(tmp_path, [tmp_path / "requirements.txt"], tmp_path / "out.json")
