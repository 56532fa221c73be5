"""The whole test suite on another day: `--today=YYYY-MM-DD` (or `JIANXI_TEST_TODAY=YYYY-MM-DD`).

The session starts at 09:00 Beijing time of that day and the clock ticks from there (time-machine),
so everything that reads the clock in Python — `datetime`, `time.time()`, `timezone.now()`,
`localdate()` — sees the shifted day, from Django's set-up and the test database's migrations to
the last test. Tests that need a particular day still fix it themselves (`time_machine.travel(...,
tick=False)` nests inside this one). DESIGN.md, Programme years: nothing may assume the year in
which it was written.

What it cannot move (README, "The suite on any date"): PostgreSQL's own `now()`, a Celery worker in
another process, Chromium's JavaScript clock and the modification times the file system writes. The
product takes its dates from Python for anything a test compares.

This is a plugin loaded by pytest.ini (`-p pytest_clock`), not the root conftest: pytest-django sets
Django up before any conftest is imported, and the clock must be moved before that."""

import os
from datetime import date, datetime, time, timedelta, timezone

import pytest
import time_machine

ENV = "JIANXI_TEST_TODAY"
# A fixed offset, not ZoneInfo("Asia/Shanghai"): time-machine would also set the process's TZ.
BEIJING = timezone(timedelta(hours=8), "+08:00")
START = time(9, 0)

_travel: time_machine.travel | None = None
_day: date | None = None


def pytest_addoption(parser):
    parser.addoption(
        "--today",
        metavar="YYYY-MM-DD",
        default=None,
        help=f"run the session as if today were this day, the clock ticking from 09:00 Beijing time "
        f"(default: ${ENV}, else the real day)",
    )


def shifted_day(config) -> date | None:
    value = config.known_args_namespace.today or os.environ.get(ENV, "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(f"--today / {ENV}: {value!r} is not a date (YYYY-MM-DD)") from None


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    global _travel, _day
    _day = shifted_day(early_config)
    if _day is not None:
        _travel = time_machine.travel(datetime.combine(_day, START, tzinfo=BEIJING), tick=True)
        _travel.start()
        # Subprocesses the suite starts (a Celery worker, a server) inherit the day they should use.
        os.environ[ENV] = _day.isoformat()


def pytest_report_header(config):
    if _day is not None:
        return f"clock: session started at {_day.isoformat()} 09:00 +08:00, ticking ({ENV} / --today)"
    return None


def pytest_terminal_summary(terminalreporter):
    if _day is not None:
        terminalreporter.write_line(f"clock: this run started at {_day.isoformat()} 09:00 +08:00 ({ENV})")


def pytest_unconfigure(config):
    global _travel
    if _travel is not None:
        _travel.stop()
        _travel = None
