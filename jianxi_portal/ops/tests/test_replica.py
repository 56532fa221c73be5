"""The read replica (README: Read replica) against a real PostgreSQL streaming replica started here:
a throwaway primary (initdb in a temporary folder, a free port on 127.0.0.1, the portal's schema and
reference data copied from the test database) and its standby (`pg_basebackup -R`, another port),
both run as the `postgres` user when the test runs as root; CI's own cluster is not touched.
A process of its own (replica_scenario.py) serves pages with DATABASE_URL on the primary and
DATABASE_REPLICA_URL on the standby and counts each page's SELECTs per database. Skipped, with the
reason printed, where the server binaries are missing."""

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection

from jianxi_portal.ops import replica
from jianxi_portal.ops.tests.conftest import free_port
from units.models import Unit

BIN = next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)), "")
NEEDED = ("initdb", "pg_ctl", "pg_basebackup", "postgres")


def as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL's server refuses to run as root: run it as the `postgres` user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def run(command, **kwargs):
    return subprocess.run(as_postgres(command), check=True, capture_output=True, text=True, timeout=120, **kwargs)


class Server:
    def __init__(self, folder: Path, port: int):
        self.folder, self.port = folder, port

    def start(self):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder.parent} -c fsync=off"
        run(
            [
                f"{BIN}/pg_ctl",
                "-D",
                str(self.folder),
                "-o",
                options,
                "-l",
                f"{self.folder}.log",
                "-w",
                "-t",
                "60",
                "start",
            ]
        )

    def stop(self):
        subprocess.run(
            as_postgres([f"{BIN}/pg_ctl", "-D", str(self.folder), "-m", "immediate", "-w", "stop"]),
            capture_output=True,
            timeout=60,
        )


@pytest.fixture
def primary_and_replica():
    missing = [name for name in NEEDED if not BIN or not os.access(f"{BIN}/{name}", os.X_OK)]
    if missing or (os.geteuid() == 0 and shutil.which("runuser") is None):
        pytest.skip(
            f"PostgreSQL server binaries not found ({', '.join(missing) or 'runuser'} in "
            f"{BIN or '/usr/lib/postgresql/*/bin'}): cannot start a primary and a streaming replica"
        )
    top = Path(tempfile.mkdtemp(prefix="jianxi-replica-"))
    if os.geteuid() == 0:
        shutil.chown(top, "postgres", "postgres")
    primary, standby = Server(top / "primary", free_port()), Server(top / "replica", free_port())
    try:
        run(
            [
                f"{BIN}/initdb",
                "-D",
                str(primary.folder),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ]
        )
        primary.start()
        name = connection.settings_dict["NAME"]
        source = connection.settings_dict
        dump = subprocess.run(
            [
                "pg_dump",
                "-Fc",
                "-h",
                source["HOST"] or "127.0.0.1",
                "-p",
                str(source["PORT"] or 5432),
                "-U",
                source["USER"],
                name,
            ],
            check=True,
            capture_output=True,
            timeout=120,
        ).stdout
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres", "jianxi"], check=True, timeout=60
        )
        subprocess.run(
            ["pg_restore", "--no-owner", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres", "-d", "jianxi"],
            input=dump,
            check=True,
            capture_output=True,
            timeout=120,
        )
        run(
            [
                f"{BIN}/pg_basebackup",
                "-h",
                "127.0.0.1",
                "-p",
                str(primary.port),
                "-U",
                "postgres",
                "-D",
                str(standby.folder),
                "-R",
                "-X",
                "stream",
                "--checkpoint=fast",
                "--no-sync",
            ]
        )
        standby.start()
        yield primary, standby
    finally:
        standby.stop()
        primary.stop()
        shutil.rmtree(top, ignore_errors=True)


@pytest.mark.postgres(reason="a streaming replica of PostgreSQL")
def test_heavy_pages_read_from_a_real_streaming_replica_until_it_lags_or_goes_down(primary_and_replica):
    primary, standby = primary_and_replica
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jianxi_portal.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{primary.port}/jianxi",
        "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{standby.port}/jianxi",
        "FIELD_ENCRYPTION_KEY": settings.FIELD_ENCRYPTION_KEY,
        "REPLICA_MAX_LAG_SECONDS": "1",
        "REPLICA_CHECK_SECONDS": "5",
        "CONN_MAX_AGE": "0",
    }
    env.pop("REDIS_URL", None)  # tasks in-process: nothing here needs a broker
    scenario = subprocess.Popen(
        [sys.executable, "-m", "jianxi_portal.ops.tests.replica_scenario"],
        cwd=settings.BASE_DIR,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = scenario.stdout.readline()
        assert first.strip() == '{"ready_to_stop": true}', first + scenario.stderr.read()[-3000:]
        standby.stop()
        out, err = scenario.communicate("stopped\n", timeout=120)
    finally:
        if scenario.poll() is None:
            scenario.kill()
    assert scenario.returncode == 0, err[-3000:]
    result = json.loads(out.strip().splitlines()[-1])

    # Caught up: the unit directory reads from the replica only; a page not listed reads the primary.
    assert result["caught_up"]["status"] == 200
    assert result["caught_up"]["default"] == 0 and result["caught_up"]["replica"] >= 1
    assert result["other_page"]["replica"] == 0
    # A browser that has just written reads from the primary, until its pin runs out.
    assert result["login_status"] == 302
    assert result["after_write"]["replica"] == 0 and result["after_write"]["default"] >= 1
    assert result["after_pin"]["replica"] >= 1
    # Replay paused: more than 1 s behind, the primary answers with the newest unit; resumed: back.
    assert result["lag_seconds"] > 1
    assert result["lagging"]["replica"] == 0 and result["lagging_shows_new_unit"] is True
    assert result["resumed"]["replica"] >= 1 and result["resumed_shows_new_unit"] is True
    # Down: the primary answers at once (connection refused), and the next page does not retry it.
    assert result["down"]["status"] == 200 and result["down"]["replica"] == 0
    assert result["down_again_seconds"] - result["down_seconds"] < 2


# -- decisions of the router, without a replica ----------------------------------------------------


@pytest.fixture
def routed(monkeypatch):
    monkeypatch.setattr(replica, "configured", lambda: True)
    monkeypatch.setattr(replica, "replica_usable", lambda: True)
    monkeypatch.setattr(replica, "in_transaction", lambda: False)  # the test's own transaction aside
    router = replica.ReplicaRouter()
    seen = []

    def view_reads(request):
        seen.append(router.db_for_read(Unit))
        if request.GET.get("write"):
            router.db_for_write(Unit)
            seen.append(router.db_for_read(Unit))
        from django.http import HttpResponse

        return HttpResponse("ok")

    return view_reads, seen


def serve(rf, view, path, name, cookies=None, method="get"):
    from django.urls import ResolverMatch

    request = getattr(rf, method)(path)
    request.COOKIES.update(cookies or {})
    request.resolver_match = ResolverMatch(view, (), {}, url_name=name)
    middleware = replica.ReplicaMiddleware(view)

    def chain(req):
        middleware.process_view(req, view, (), {})
        return view(req)

    middleware.get_response = chain
    return middleware(request)


def test_only_listed_views_read_from_the_replica_and_only_for_get(rf, routed, settings):
    view, seen = routed
    settings.REPLICA_READ_VIEWS = ["unit_directory"]
    serve(rf, view, "/units/", "unit_directory")
    serve(rf, view, "/manage/units/", "unit_manage_list")
    serve(rf, view, "/units/", "unit_directory", method="post")
    assert seen == ["replica", DEFAULT_DB_ALIAS, DEFAULT_DB_ALIAS]


def test_a_read_after_a_write_in_the_same_request_uses_the_primary_and_pins_the_browser(rf, routed, settings):
    view, seen = routed
    settings.REPLICA_READ_VIEWS = ["unit_directory"]
    response = serve(rf, view, "/units/?write=1", "unit_directory")
    assert seen == ["replica", DEFAULT_DB_ALIAS]
    assert response.cookies[replica.PIN_COOKIE]["max-age"] == settings.REPLICA_PIN_SECONDS
    serve(rf, view, "/units/", "unit_directory", cookies={replica.PIN_COOKIE: "1"})
    assert seen[-1] == DEFAULT_DB_ALIAS


def test_a_read_inside_an_open_transaction_uses_the_primary(routed, monkeypatch):
    monkeypatch.setattr(replica, "in_transaction", lambda: True)
    token = replica._state.set("replica")
    try:
        assert replica.ReplicaRouter().db_for_read(Unit) == DEFAULT_DB_ALIAS
    finally:
        replica._state.reset(token)


def test_sessions_and_accounts_are_always_read_from_the_primary(rf, routed, settings):
    from django.contrib.sessions.models import Session

    from jianxi_portal.core.models import User

    settings.REPLICA_READ_VIEWS = ["unit_directory"]
    router = replica.ReplicaRouter()
    token = replica._state.set("replica")
    try:
        assert [router.db_for_read(m) for m in (Unit, Session, User)] == ["replica", "default", "default"]
        router.db_for_write(Session)  # touching the session does not pin
        assert router.db_for_read(Unit) == "replica"
    finally:
        replica._state.reset(token)


def test_migrations_run_on_the_primary_only():
    router = replica.ReplicaRouter()
    assert router.allow_migrate("default", "units") is True and router.allow_migrate("replica", "units") is False
