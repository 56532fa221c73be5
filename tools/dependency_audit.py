"""Known-vulnerable dependencies gate, as CI runs it (SECURITY.md, item 7):

    .venv/bin/python -m tools.dependency_audit requirements.txt requirements-dev.txt

1. Online first: pip-audit 2.10.1 against PyPI's advisory service, then OSV.
2. When those audit nothing (a registry mirror without PyPI's per-version JSON, OSV out of reach,
   or a closed intranet: the portal's normal home), the same pins are audited OFFLINE against a
   dated snapshot of the PyPA Advisory Database committed in `security/advisories/`.

Either way:
- a known vulnerability fails the run (exit 1), unless SECURITY.md's "pip-audit waivers" table
  names one of its ids with an ISO date and a reason; a waiver row without them fails the run too;
- what was audited is printed; what could not be audited is said loudly, never passed silently.

The offline audit covers every `==` pin of the files given and, like pip-audit -r, the packages
they pull in (resolved from what is installed in the running environment, with environment
markers evaluated). Lines that are not `==` pins are flagged. A snapshot older than
`STALE_AFTER_DAYS` days is flagged with its age. Advisory ranges are evaluated with
`packaging.version` as OSV defines them (ECOSYSTEM events introduced / fixed / last_affected,
plus explicit `versions`); withdrawn advisories are ignored.

Refreshing the snapshot where the database is reachable (from a git checkout of
https://github.com/pypa/advisory-database):

    .venv/bin/python -m tools.dependency_audit --refresh-snapshot /path/to/advisory-database \\
        requirements.txt requirements-dev.txt
"""

import argparse
import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "security" / "advisories" / "pypa-snapshot.json"
DEFAULT_REQUIREMENTS = ("requirements.txt", "requirements-dev.txt")
STALE_AFTER_DAYS = 90
SERVICES = ("pypi", "osv")
WAIVER_ROW = re.compile(r"^\|\s*([A-Za-z0-9-]+)\s*\|\s*([^|]+?)\s*\|\s*(\d{4}-\d{2}-\d{2})\s*\|\s*([^|]+?)\s*\|\s*$")
RANGE_EVENTS = ("introduced", "fixed", "last_affected")


# --- waivers (SECURITY.md) -----------------------------------------------------------------------


def waivers_from(markdown: str) -> dict[str, tuple[str, str]]:
    """{vulnerability id: (date, reason)} from the rows under '## pip-audit waivers'.

    A table row there without an ISO date and a reason raises ValueError: an undated or
    unexplained waiver must fail the gate, not be silently ignored."""
    section = markdown.split("## pip-audit waivers", 1)[1] if "## pip-audit waivers" in markdown else ""
    section = section.split("\n## ", 1)[0]
    waivers = {}
    for line in section.splitlines():
        line = line.strip()
        if not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if cells and (cells[0].lower() == "id" or set("".join(cells)) <= set("-: ")):
            continue  # header and separator rows
        match = WAIVER_ROW.match(line)
        if not match or not match.group(2).strip() or not match.group(4).strip():
            raise ValueError(f"SECURITY.md pip-audit waiver row needs id | package | ISO date | reason: {line}")
        date.fromisoformat(match.group(3))
        waivers[match.group(1)] = (match.group(3), match.group(4))
    return waivers


def _waivers_for(requirement_files: list[Path]) -> dict[str, tuple[str, str]]:
    security_md = requirement_files[0].resolve().parent / "SECURITY.md"
    return waivers_from(security_md.read_text(encoding="utf-8")) if security_md.exists() else {}


# --- online: pip-audit ----------------------------------------------------------------------------


@dataclass
class Outcome:
    status: str  # "ok" | "vulnerable" | "unreachable"
    audited: int = 0
    skipped: int = 0
    found: list[str] = field(default_factory=list)
    waived: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"pip-audit: {self.audited} packages audited, {len(self.found)} vulnerabilities, "
            f"{len(self.waived)} waived, {self.skipped} not auditable"
        )


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


def run_pip_audit(requirement_files: list[Path], service: str) -> dict | None:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        command = [sys.executable, "-m", "pip_audit"]
        for requirements in requirement_files:
            command += ["-r", str(requirements)]
        command += ["-s", service, "-f", "json", "-o", out.name, "--progress-spinner", "off"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=900)
        try:
            return json.loads(Path(out.name).read_text() or "null")
        except json.JSONDecodeError:
            sys.stderr.write(result.stderr[-2000:])
            return None


# --- offline: OSV range evaluation ---------------------------------------------------------------


def _version(text: str) -> Version:
    return Version("0") if text == "0" else Version(text)


def affected_by_events(version: Version, events: list[tuple[str, str]]) -> bool:
    """OSV's evaluation of one ECOSYSTEM range: walk the events sorted by version; `introduced`
    opens, `fixed` closes at that version, `last_affected` closes after it ("0" is the lowest)."""
    order = {"introduced": 0, "fixed": 1, "last_affected": 2}
    vulnerable = False
    for kind, at in sorted(events, key=lambda event: (_version(event[1]), order[event[0]])):
        bound = _version(at)
        if kind == "introduced" and version >= bound:
            vulnerable = True
        elif kind == "fixed" and version >= bound:
            vulnerable = False
        elif kind == "last_affected" and version > bound:
            vulnerable = False
    return vulnerable


def is_affected(version: str, advisory: dict) -> bool:
    """Whether `version` is affected by a snapshot advisory (withdrawn ones never are).
    Raises InvalidVersion when the pin or an advisory bound is not a PEP 440 version."""
    if advisory.get("withdrawn"):
        return False
    pinned = Version(version)
    for listed in advisory.get("versions", []):
        try:
            if listed == version or pinned == Version(listed):
                return True
        except InvalidVersion:
            continue  # a listed version pip could never install cannot be the pin
    return any(affected_by_events(pinned, [tuple(event) for event in events]) for events in advisory.get("ranges", []))


# --- offline: what to audit ----------------------------------------------------------------------


@dataclass
class Pin:
    name: str  # canonical name
    version: str | None
    where: str  # "requirements.txt:12"
    extras: frozenset = frozenset()


def read_requirements(paths: list[Path]) -> tuple[list[Pin], list[str]]:
    """`==` pins of the files (markers evaluated), and flags for every line that is not one."""
    pins, flags = [], []
    for path in paths:
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            line = re.sub(r"(^|\s)#.*$", "", raw).strip()
            if not line:
                continue
            where = f"{path.name}:{number}"
            if line.startswith("-"):
                flags.append(f"{where}: '{line}' is an option, not a pin: not audited")
                continue
            try:
                requirement = Requirement(line)
            except InvalidRequirement:
                flags.append(f"{where}: '{line}' is not a requirement this audit can read: not audited")
                continue
            if requirement.marker and not requirement.marker.evaluate():
                continue
            specifiers = list(requirement.specifier)
            exact = [s.version for s in specifiers if s.operator in ("==", "===") and "*" not in s.version]
            if requirement.url or len(specifiers) != 1 or not exact:
                flags.append(f"{where}: '{line}' is not pinned with ==: audited at the installed version, if any")
            pins.append(
                Pin(
                    canonicalize_name(requirement.name),
                    exact[0] if exact else None,
                    where,
                    frozenset(requirement.extras),
                )
            )
    return pins, flags


def _same_version(a: str, b: str) -> bool:
    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return a == b


def _installed(name: str):
    try:
        return metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return None


def resolve(pins: list[Pin]) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """{name: (version, origin)} for the lines of the files and what they pull in, as installed
    here. origin is "pin <file:line>", "unpinned <file:line>" or "dependency of <name>"."""
    packages: dict[str, tuple[str, str]] = {}
    notes: list[str] = []
    pinned = {pin.name: pin for pin in pins if pin.version}
    queue: list[tuple[str, frozenset, str]] = [
        (pin.name, pin.extras, ("pin " if pin.version else "unpinned ") + pin.where) for pin in pins
    ]
    seen: set[tuple[str, frozenset]] = set()
    environment = default_environment()
    while queue:
        name, extras, origin = queue.pop(0)
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        dist = _installed(name)
        if name not in packages:
            pin = pinned.get(name)
            if pin:
                packages[name] = (pin.version, "pin " + pin.where)
                if dist is None:
                    notes.append(
                        f"{name}=={pin.version} ({pin.where}) is not installed here: audited at the pin, "
                        "its dependencies are not"
                    )
                elif not _same_version(dist.version, pin.version):
                    notes.append(
                        f"{name}: installed {dist.version} differs from the pin {pin.version} "
                        f"({pin.where}); the pin is audited, its dependencies as installed"
                    )
            elif dist is None:
                notes.append(f"{name} ({origin}) is not installed here: not audited")
                continue
            else:
                packages[name] = (dist.version, origin)
        if dist is None:
            continue
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker and not any(
                requirement.marker.evaluate({**environment, "extra": extra}) for extra in (extras or {""})
            ):
                continue
            queue.append((canonicalize_name(requirement.name), frozenset(requirement.extras), "dependency of " + name))
    return packages, notes


# --- offline: the audit --------------------------------------------------------------------------


def load_snapshot(path: Path) -> dict:
    snapshot = json.loads(path.read_text(encoding="utf-8"))
    for key in ("snapshot_date", "packages"):
        if key not in snapshot:
            raise ValueError(f"{path}: not an advisory snapshot (no '{key}')")
    return snapshot


@dataclass
class Finding:
    package: str
    version: str
    ids: list[str]
    fixed: list[str]
    summary: str
    waiver: tuple[str, str] | None = None

    def label(self) -> str:
        fixed = ", ".join(self.fixed) or "no fixed version"
        text = f"{self.package} {self.version}: {' / '.join(self.ids)} (fixed in {fixed}) — {self.summary}"
        return text + (f" [waived {self.waiver[0]}: {self.waiver[1]}]" if self.waiver else "")


@dataclass
class OfflineOutcome:
    snapshot_date: str
    advisories: int
    snapshot_packages: int
    age_days: int
    newest: str
    pins: int = 0
    unpinned: int = 0
    dependencies: int = 0
    audited: list[str] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)
    found: list[Finding] = field(default_factory=list)
    waived: list[Finding] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def stale(self) -> bool:
        return self.age_days > STALE_AFTER_DAYS

    def summary(self) -> str:
        unpinned = f", {self.unpinned} not pinned" if self.unpinned else ""
        return (
            f"offline audit (PyPA advisory database snapshot of {self.snapshot_date}, {self.advisories:,} "
            f"advisories for {self.snapshot_packages} packages): {len(self.audited)} packages audited "
            f"({self.pins} pins{unpinned}, {self.dependencies} dependencies), {len(self.found)} vulnerable, "
            f"{len(self.waived)} waived; snapshot age {self.age_days} days; newest advisory {self.newest}"
        )


def _merge(findings: list[Finding]) -> list[Finding]:
    """One finding per vulnerability: records of one package sharing an id or alias are one issue
    (a database keeps both the pending PYSEC-0000 file and the allocated id, or a PYSEC and a GHSA)."""
    merged: list[Finding] = []
    for finding in findings:
        for other in merged:
            if other.package == finding.package and set(other.ids) & set(finding.ids):
                other.ids += [i for i in finding.ids if i not in other.ids]
                other.fixed += [v for v in finding.fixed if v not in other.fixed]
                break
        else:
            merged.append(finding)
    return merged


def audit_offline(
    requirement_files: list[Path],
    waivers: dict[str, tuple[str, str]],
    snapshot_path: Path = SNAPSHOT,
    today: date | None = None,
) -> OfflineOutcome:
    snapshot = load_snapshot(snapshot_path)
    today = today or date.today()
    packages = snapshot["packages"]
    newest = snapshot.get("newest_advisory", {})
    outcome = OfflineOutcome(
        snapshot_date=snapshot["snapshot_date"],
        advisories=sum(len(entry["advisories"]) for entry in packages.values()),
        snapshot_packages=len(packages),
        age_days=(today - date.fromisoformat(snapshot["snapshot_date"])).days,
        newest=f"{newest.get('published', '?')} ({newest.get('id', '?')})",
    )
    pins, outcome.flags = read_requirements(requirement_files)
    resolved, outcome.notes = resolve(pins)
    findings = []
    for name, (version, origin) in sorted(resolved.items()):
        if name not in packages:
            outcome.uncovered.append(f"{name} {version}")
            continue
        outcome.audited.append(f"{name} {version}")
        if origin.startswith("pin "):
            outcome.pins += 1
        elif origin.startswith("unpinned "):
            outcome.unpinned += 1
        else:
            outcome.dependencies += 1
        for advisory in packages[name]["advisories"]:
            try:
                hit = is_affected(version, advisory)
            except InvalidVersion as error:
                outcome.notes.append(f"{name} {version}: {advisory['id']} could not be evaluated ({error})")
                continue
            if hit:
                findings.append(
                    Finding(
                        name,
                        version,
                        [advisory["id"], *advisory.get("aliases", [])],
                        list(advisory.get("fixed", [])),
                        advisory.get("summary", ""),
                    )
                )
    for finding in _merge(findings):
        waived = [i for i in finding.ids if i in waivers]
        if waived:
            finding.waiver = waivers[waived[0]]
            outcome.waived.append(finding)
        else:
            outcome.found.append(finding)
    return outcome


def _print_offline(outcome: OfflineOutcome) -> None:
    print(outcome.summary())
    for flag in outcome.flags:
        print(f"  NOT PINNED: {flag}")
    for note in outcome.notes:
        print(f"  note: {note}")
    for finding in outcome.waived:
        print(f"  waived (SECURITY.md): {finding.label()}")
    for finding in outcome.found:
        print(f"  VULNERABLE: {finding.label()}")
    if outcome.uncovered or outcome.stale:
        print("=" * 78)
        if outcome.uncovered:
            print(
                f"WARNING: {len(outcome.uncovered)} packages are not in the advisory snapshot and were NOT "
                f"audited: {', '.join(outcome.uncovered)}"
            )
        if outcome.stale:
            print(
                f"WARNING: the advisory snapshot is {outcome.age_days} days old (of {outcome.snapshot_date}; "
                f"more than {STALE_AFTER_DAYS}): advisories published since then are not checked."
            )
        print("         Refresh it where the PyPA advisory database is reachable:")
        print("         python -m tools.dependency_audit --refresh-snapshot /path/to/advisory-database")
        print("=" * 78)


# --- refreshing the snapshot ---------------------------------------------------------------------


def _iso_day(value) -> str:
    """The day of an OSV timestamp, which YAML may have parsed into a datetime already."""
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    return str(value)[:10] if value else ""


def _one_line(text: str, limit: int = 160) -> str:
    line = " ".join(str(text or "").split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def snapshot_entry(osv: dict, name: str, source: list[str] | None = None) -> dict | None:
    """The part of one OSV advisory needed to evaluate a pin of `name`; None when it has no
    PyPI `affected` entry for that package."""
    ranges, versions = [], []
    for affected in osv.get("affected") or []:
        package = affected.get("package") or {}
        if canonicalize_name(str(package.get("name", ""))) != name or package.get("ecosystem", "PyPI") != "PyPI":
            continue
        for osv_range in affected.get("ranges") or []:
            if osv_range.get("type") in ("ECOSYSTEM", "SEMVER"):
                events = [
                    [kind, str(event[kind])]
                    for event in osv_range.get("events") or []
                    for kind in RANGE_EVENTS
                    if event.get(kind) not in (None, "")
                ]
                if events:
                    ranges.append(events)
        versions += [str(v) for v in affected.get("versions") or []]
    if not ranges and not versions:
        return None
    entry = {
        "id": osv["id"],
        "aliases": sorted({*osv.get("aliases", []), *osv.get("related", [])} - {osv["id"]}),
        "published": _iso_day(osv.get("published")),
        "summary": _one_line(osv.get("summary") or osv.get("details", "")),
        "ranges": ranges,
        "fixed": list(dict.fromkeys(v for events in ranges for kind, v in events if kind == "fixed")),
    }
    if not ranges:
        entry["versions"] = versions  # explicit versions only matter when no range says it
    if osv.get("withdrawn"):
        entry["withdrawn"] = _iso_day(osv["withdrawn"])
    if source:
        entry["src"] = source
    return entry


def _newest(advisories: list[dict]) -> dict:
    dated = [a for a in advisories if a.get("published")]
    if not dated:
        return {}
    newest = max(dated, key=lambda a: (a["published"], a["id"]))
    return {"published": newest["published"], "id": newest["id"]}


def build_snapshot(packages: dict[str, dict], snapshot_date: str, source: dict) -> dict:
    for entry in packages.values():
        entry["advisories"].sort(key=lambda a: (a.get("published", ""), a["id"]), reverse=True)
        if entry["advisories"]:
            entry["newest"] = _newest(entry["advisories"])
        else:
            entry.setdefault("note", "no advisories in the snapshot")
    everything = [a for entry in packages.values() for a in entry["advisories"]]
    return {
        "snapshot_date": snapshot_date,
        "source": source,
        "package_count": len(packages),
        "advisory_count": len(everything),
        "newest_advisory": _newest(everything),
        "packages": dict(sorted(packages.items())),
    }


def write_snapshot(snapshot: dict, path: Path) -> None:
    """JSON with one advisory per line, so a refresh reads as a short diff."""
    head = {k: v for k, v in snapshot.items() if k != "packages"}
    lines = ["{"]
    for key, value in head.items():
        text = json.dumps(value, ensure_ascii=False, indent=1 if isinstance(value, dict) and len(value) > 2 else None)
        lines.append(f" {json.dumps(key)}: {text.replace(chr(10), chr(10) + ' ')},")
    lines.append(' "packages": {')
    names = list(snapshot["packages"])
    for index, name in enumerate(names):
        entry = snapshot["packages"][name]
        lines.append(f"  {json.dumps(name)}: {{")
        for key, value in entry.items():
            if key != "advisories":
                lines.append(f"   {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},")
        advisories = [json.dumps(a, ensure_ascii=False) for a in entry["advisories"]]
        if advisories:
            lines.append('   "advisories": [')
            lines += [f"    {text}," for text in advisories[:-1]] + [f"    {advisories[-1]}"]
            lines.append("   ]")
        else:
            lines.append('   "advisories": []')
        lines.append("  }" + ("," if index < len(names) - 1 else ""))
    lines += [" }", "}"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def refresh_snapshot(
    database: Path, requirement_files: list[Path], out: Path = SNAPSHOT, today: date | None = None
) -> dict:
    """Rebuild the snapshot from a checkout of pypa/advisory-database for every package the
    requirement files pin or pull in (as installed here)."""
    import yaml  # PyYAML: installed with the test tools; only the refresh needs it

    vulns = database / "vulns"
    if not vulns.is_dir():
        raise ValueError(f"{database} has no vulns/ directory: not a pypa/advisory-database checkout")
    pins, _ = read_requirements(requirement_files)
    resolved, _ = resolve(pins)
    names = sorted(set(resolved) | {pin.name for pin in pins})
    directories = {canonicalize_name(d.name): d for d in vulns.iterdir() if d.is_dir()}
    packages = {}
    for name in names:
        entry: dict = {"advisories": []}
        folder = directories.get(name)
        if folder:
            files = sorted(folder.glob("*.yaml"))
            entry["files"] = len(files)
            for file in files:
                osv = yaml.safe_load(file.read_text(encoding="utf-8"))
                advisory = snapshot_entry(osv, name) if isinstance(osv, dict) and osv.get("id") else None
                if advisory:
                    entry["advisories"].append(advisory)
        else:
            entry["note"] = f"no advisories in the snapshot (no vulns/{name}/ directory)"
        packages[name] = entry
    commit = subprocess.run(["git", "-C", str(database), "rev-parse", "HEAD"], capture_output=True, text=True)
    source = {
        "database": "PyPA Advisory Database, https://github.com/pypa/advisory-database (CC-BY-4.0)",
        "read_from": str(database),
        "commit": commit.stdout.strip() if commit.returncode == 0 else "unknown (not a git checkout)",
        "read_on": (today or date.today()).isoformat(),
        "method": "every vulns/<package>/*.yaml of the audited packages; ECOSYSTEM ranges kept, GIT ranges dropped",
    }
    snapshot = build_snapshot(packages, (today or date.today()).isoformat(), source)
    write_snapshot(snapshot, out)
    return snapshot


# --- command line --------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.dependency_audit", description=__doc__.split("\n")[0])
    parser.add_argument("requirements", nargs="*", help="requirement files (default: requirements.txt)")
    parser.add_argument("--offline", action="store_true", help="skip pip-audit's online services")
    parser.add_argument("--snapshot", type=Path, default=SNAPSHOT, help="advisory snapshot (JSON)")
    parser.add_argument(
        "--refresh-snapshot",
        type=Path,
        metavar="ADVISORY_DATABASE",
        help="rebuild the snapshot from a checkout of pypa/advisory-database",
    )
    args = parser.parse_args(argv[1:])

    if args.refresh_snapshot:
        files = [Path(p) for p in args.requirements] or [p for p in map(Path, DEFAULT_REQUIREMENTS) if p.exists()]
        snapshot = refresh_snapshot(args.refresh_snapshot, files, args.snapshot)
        print(
            f"snapshot {args.snapshot}: {snapshot['advisory_count']} advisories for {snapshot['package_count']} "
            f"packages, from {snapshot['source']['commit']} of {snapshot['snapshot_date']}"
        )
        return 0

    files = [Path(p) for p in args.requirements] or [Path("requirements.txt")]
    try:
        waivers = _waivers_for(files)
    except ValueError as error:
        print(f"pip-audit: FAILED — {error}")
        return 1

    if not args.offline:
        outcome, skipped = Outcome(status="unreachable"), 0
        for service in SERVICES:
            report = run_pip_audit(files, service)
            outcome = evaluate(report, waivers) if report else Outcome(status="unreachable")
            skipped = max(skipped, outcome.skipped)
            if outcome.status != "unreachable":
                print(f"{outcome.summary()} (service: {service})")
                break
        if outcome.status != "unreachable":
            for label in outcome.waived:
                print(f"  waived (SECURITY.md): {label}")
            if outcome.status == "vulnerable":
                for label in outcome.found:
                    print(f"  VULNERABLE: {label}")
                print("pip-audit: FAILED — upgrade the pins above or add a dated, explained waiver to SECURITY.md")
                return 1
            return 0
        print(
            f"pip-audit could not audit online (PyPI per-version JSON, OSV): 0 packages audited "
            f"({skipped} not found there); auditing offline against the committed advisory snapshot."
        )

    if not args.snapshot.exists():
        print("=" * 78)
        print(f"WARNING: no advisory snapshot at {args.snapshot} and no online service: NOTHING WAS CHECKED —")
        print("         run `python -m tools.dependency_audit requirements.txt` where PyPI is reachable,")
        print("         or refresh the snapshot (--refresh-snapshot /path/to/advisory-database).")
        print("=" * 78)
        return 0
    offline = audit_offline(files, waivers, args.snapshot)
    _print_offline(offline)
    if offline.found:
        print("dependency audit: FAILED — upgrade the pins above or add a dated, explained waiver to SECURITY.md")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
