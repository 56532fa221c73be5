"""SECURITY.md figures: tests record what they proved with `figures.add(item, text)`, and the session
prints them at the end under "SECURITY figures" (SECURITY.md quotes that output)."""

import json
import os

import pytest
from django.db import connection
from django.utils import timezone
from django_otp.oath import totp

import pytest_clock
from tools import security_report

_FIGURES: dict[str, list[str]] = {}


class Figures:
    def add(self, item: str, text: str) -> None:
        _FIGURES.setdefault(item, []).append(text)


@pytest.fixture
def figures():
    return Figures()


def pytest_terminal_summary(terminalreporter, config):
    if not _FIGURES:
        return
    terminalreporter.section("SECURITY figures")
    for item in sorted(_FIGURES):
        for text in _FIGURES[item]:
            terminalreporter.write_line(f"item {item}: {text}")
    run = _run_record(terminalreporter, config)
    # A partial run never replaces the record of the last whole run, which SECURITY.md quotes.
    path = security_report.FIGURES_FILE if run["whole_suite"] else security_report.PARTIAL_FIGURES_FILE
    path.write_text(json.dumps(run, ensure_ascii=False, indent=1), encoding="utf-8")
    terminalreporter.write_line(
        f"(written to {path.name}; `python -m tools.security_report --write` "
        "puts a whole run's figures into SECURITY.md)"
    )


def _run_record(terminalreporter, config) -> dict:
    """What SECURITY.md's "Last run" line says: when, where, how many, how long."""
    stats = terminalreporter.stats
    outcome = {kind: len(stats.get(kind, [])) for kind in ("passed", "failed", "error", "skipped", "deselected")}
    # A run on a shifted day (README, "The suite on any date") proves the dates, not the record:
    # SECURITY.md quotes the real day's run, so a shifted run is kept as a partial one.
    whole = (
        config.args_source == pytest.Config.ArgsSource.TESTPATHS
        and not outcome["deselected"]
        and pytest_clock.shifted_day(config) is None
    )
    return {
        "finished_at": timezone.localtime().strftime("%Y-%m-%d %H:%M (+08:00)"),
        "whole_suite": whole,
        "args": list(config.args),
        "database": _database(),
        "redis": bool(os.environ.get("REDIS_URL")),
        "outcome": outcome,
        "duration_s": terminalreporter._session_start.elapsed().seconds,
        "figures": {item: lines for item, lines in sorted(_FIGURES.items())},
    }


def _database() -> str:
    if connection.vendor != "postgresql":
        return "SQLite"
    try:  # pg_version is cached on the connection by the run's first connect (the test database is gone now)
        version = connection.pg_version
        return f"PostgreSQL {version // 10000}.{version % 10000}"
    except Exception:  # the figures are written anyway; the version is a nicety
        return "PostgreSQL"


@pytest.fixture
def code_for():
    """`code_for(device)`: the TOTP code the person's authenticator shows now."""

    def code(device) -> str:
        return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"

    return code
