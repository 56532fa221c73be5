"""The database checks (`check --database`, which `migrate` runs on every `make run`) on `make run`'s
default database (SQLite, DESIGN.md "Contracts") report nothing a user could act on: the covering
index's SQLite warning (models.W040) is silenced there."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_system_check_on_sqlite_prints_no_warning(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "jianxi_portal.settings",
    }
    env.pop("DATABASE_REPLICA_URL", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--database", "default"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout
    assert "W040" not in done.stdout + done.stderr
