"""`pip-audit` of the pinned requirements, as CI runs it (issue 9, item 7):

    .venv/bin/python -m jianxi_portal.dependency_audit requirements.txt

- a known vulnerability fails the run (exit 1), unless SECURITY.md's "pip-audit waivers" table
  names its id with a date and a reason;
- an advisory service that cannot be reached (or that answers "not found" for every package, as a
  registry mirror without PyPI's per-version JSON does) does not fail the run, but says so loudly:
  nothing was audited, so nothing may be claimed;
- otherwise it prints how many packages were audited and how many vulnerabilities were waived.

PyPI's advisory service is tried first, then OSV."""

import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

SERVICES = ("pypi", "osv")
WAIVER_ROW = re.compile(r"^\|\s*([A-Za-z0-9-]+)\s*\|\s*([^|]+?)\s*\|\s*(\d{4}-\d{2}-\d{2})\s*\|\s*([^|]+?)\s*\|\s*$")


@dataclass
class Outcome:
    status: str  # "ok" | "vulnerable" | "unreachable"
    audited: int = 0
    skipped: int = 0
    found: list[str] = field(default_factory=list)
    waived: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"pip-audit: {self.audited} packages audited, {len(self.found)} vulnerabilities, "
                f"{len(self.waived)} waived, {self.skipped} not auditable")


def waivers_from(markdown: str) -> dict[str, tuple[str, str]]:
    """{vulnerability id: (date, reason)} from the rows under '## pip-audit waivers'."""
    section = markdown.split("## pip-audit waivers", 1)[1] if "## pip-audit waivers" in markdown else ""
    section = section.split("\n## ", 1)[0]
    waivers = {}
    for line in section.splitlines():
        match = WAIVER_ROW.match(line.strip())
        if match and match.group(1).lower() not in ("id", "---"):
            date.fromisoformat(match.group(3))
            waivers[match.group(1)] = (match.group(3), match.group(4))
    return waivers


def evaluate(report: dict, waivers: dict[str, tuple[str, str]]) -> Outcome:
    deps = report.get("dependencies", [])
    outcome = Outcome(status="ok")
    for dep in deps:
        if "skip_reason" in dep:
            outcome.skipped += 1
            continue
        outcome.audited += 1
        for vuln in dep.get("vulns", []):
            ids = {vuln["id"], *vuln.get("aliases", [])}
            fixed = ", ".join(vuln.get("fix_versions", [])) or "—"
            label = f"{dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixed})"
            waived = ids & set(waivers)
            (outcome.waived if waived else outcome.found).append(label)
    if outcome.found:
        outcome.status = "vulnerable"
    elif deps and outcome.audited == 0:
        outcome.status = "unreachable"
    return outcome


def run_pip_audit(requirements: Path, service: str) -> dict | None:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        command = [sys.executable, "-m", "pip_audit", "-r", str(requirements), "-s", service, "-f", "json",
                   "-o", out.name, "--progress-spinner", "off"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=900)
        try:
            return json.loads(Path(out.name).read_text() or "null")
        except json.JSONDecodeError:
            sys.stderr.write(result.stderr[-2000:])
            return None


def main(argv: list[str]) -> int:
    requirements = Path(argv[1] if len(argv) > 1 else "requirements.txt")
    security_md = requirements.resolve().parent / "SECURITY.md"
    waivers = waivers_from(security_md.read_text(encoding="utf-8")) if security_md.exists() else {}
    outcome, skipped = Outcome(status="unreachable"), 0
    for service in SERVICES:
        report = run_pip_audit(requirements, service)
        outcome = evaluate(report, waivers) if report else Outcome(status="unreachable")
        skipped = max(skipped, outcome.skipped)
        if outcome.status != "unreachable":
            print(f"{outcome.summary()} (service: {service})")
            break
    for label in outcome.waived:
        print(f"  waived (SECURITY.md): {label}")
    if outcome.status == "vulnerable":
        for label in outcome.found:
            print(f"  VULNERABLE: {label}")
        print("pip-audit: FAILED — upgrade the pins above or add a dated, explained waiver to SECURITY.md")
        return 1
    if outcome.status == "unreachable":
        print("=" * 78)
        print("WARNING: pip-audit could not reach a vulnerability service (PyPI per-version JSON, OSV):")
        print(f"         0 packages were audited ({skipped} not found there). NOTHING WAS CHECKED —")
        print("         run `python -m jianxi_portal.dependency_audit requirements.txt` where PyPI is reachable.")
        print("=" * 78)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
