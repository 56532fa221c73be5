"""SECURITY.md's figures, taken from the test suite's own output (SECURITY.md, the table).

The security tests record what they proved (`figures.add(item, text)` in
`jianxi_portal/tests/security/conftest.py`); at the end of a run the suite prints them under
"SECURITY figures" and writes them, with the run's outcome, to `.security-figures.json`.
This module puts that file into SECURITY.md, so no figure there is typed by hand:

    .venv/bin/python -m tools.security_report            # show what would change
    .venv/bin/python -m tools.security_report --write    # rewrite SECURITY.md's figures

It refuses to write figures from a partial run (some tests deselected), a run with failures, or a
run on SQLite (the PostgreSQL-only proofs would be missing); `--check` (CI) says whether
SECURITY.md quotes the figures of this run, apart from durations, and never fails the build.
"""

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURES_FILE = ROOT / ".security-figures.json"  # the last whole run
PARTIAL_FIGURES_FILE = ROOT / ".security-figures.partial.json"
SECURITY_MD = ROOT / "SECURITY.md"
ITEMS = tuple(str(n) for n in range(1, 10))
LAST_RUN = re.compile(r"^Last run: .*$", re.MULTILINE)
ROW = re.compile(r"^\| (?P<item>[1-9]) \|(?P<item_name>[^|]*)\|(?P<proof>[^|]*)\| (?P<figure>.*) \|$", re.MULTILINE)
DURATION = re.compile(r"\(\d+(\.\d+)? ?(s|ms)\)|\d+(\.\d+)?s \(\d+:\d\d:\d\d\)")


class NotQuotable(Exception):
    """The recorded run may not stand for the last run in SECURITY.md."""


def outcome_line(run: dict) -> str:
    counts = ", ".join(f"{n} {k}" for k, n in run["outcome"].items() if n)
    scope = "the whole suite" if run["whole_suite"] else f"part of the suite ({' '.join(run['args'])})"
    services = run["database"] + (" with Redis" if run["redis"] else ", no Redis")
    return f"Last run: {run['finished_at']}, {scope} on {services}: {counts} in {run['duration_s']:.0f} s."


def ensure_quotable(run: dict) -> None:
    if not run["whole_suite"]:
        raise NotQuotable("the run was not the whole suite")
    if run["outcome"].get("failed") or run["outcome"].get("error"):
        raise NotQuotable("the run had failures")
    if not run["database"].startswith("PostgreSQL"):
        raise NotQuotable("the run was on SQLite: the PostgreSQL-only proofs were skipped")
    missing = [item for item in ITEMS if not run["figures"].get(item)]
    if missing:
        raise NotQuotable(f"no figure recorded for item(s) {', '.join(missing)}")


def figure_cell(lines: list[str]) -> str:
    return "<br>".join(line.replace("|", "\\|").replace("\n", " ") for line in lines)


def render(markdown: str, run: dict) -> str:
    """SECURITY.md with the figure column and the "Last run" line taken from `run`."""
    markdown = LAST_RUN.sub(lambda _: outcome_line(run), markdown, count=1)

    def row(match: re.Match) -> str:
        lines = run["figures"].get(match["item"])
        if not lines:
            return match.group(0)
        return f"| {match['item']} |{match['item_name']}|{match['proof']}| {figure_cell(lines)} |"

    return ROW.sub(row, markdown)


def without_durations(text: str) -> str:
    return DURATION.sub("", LAST_RUN.sub("", text))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--figures", type=Path, default=FIGURES_FILE)
    parser.add_argument("--security-md", type=Path, default=SECURITY_MD)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="rewrite SECURITY.md's figures")
    mode.add_argument("--check", action="store_true", help="say whether SECURITY.md quotes this run")
    args = parser.parse_args(argv)
    if not args.figures.exists():
        print(f"security_report: {args.figures} not found: run the test suite first", file=sys.stderr)
        return 2
    run = json.loads(args.figures.read_text(encoding="utf-8"))
    current = args.security_md.read_text(encoding="utf-8")
    updated = render(current, run)
    if args.check:
        same = without_durations(updated) == without_durations(current)
        print(
            "security_report: SECURITY.md "
            + (
                "quotes this run's figures"
                if same
                else "differs from this run's figures (run `python -m tools.security_report` to see how)"
            )
        )
        return 0
    if not args.write:
        sys.stdout.writelines(_diff(current, updated))
        return 0
    try:
        ensure_quotable(run)
    except NotQuotable as exc:
        print(f"security_report: not written: {exc}", file=sys.stderr)
        return 1
    args.security_md.write_text(updated, encoding="utf-8")
    print(f"security_report: SECURITY.md figures written from the run of {run['finished_at']}")
    return 0


def _diff(before: str, after: str):
    import difflib

    return difflib.unified_diff(
        before.splitlines(True), after.splitlines(True), "SECURITY.md", "SECURITY.md (this run)"
    )


if __name__ == "__main__":
    sys.exit(main())
