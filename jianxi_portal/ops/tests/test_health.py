"""/healthz/ and /readyz/ (README: Health): open to the load balancer, nothing personal, 503 naming
each failing part."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection, connections

from jianxi_portal.ops import health, heartbeat

NOON = datetime(2026, 6, 1, 4, 0, tzinfo=UTC)
PARTS = {"database", "redis", "worker", "beat", "migrations", "disk"}


@pytest.fixture
def ready_parts(settings, own_redis):
    """Redis of the test's own, a worker heartbeat and a beat tick written at NOON."""
    settings.REDIS_URL = own_redis.url
    heartbeat.record(heartbeat.WORKER_KEY, now=NOON.timestamp())
    heartbeat.record(heartbeat.BEAT_KEY, now=NOON.timestamp())
    return own_redis


def readyz(client, at=NOON):
    with time_machine.travel(at, tick=False):
        response = client.get("/readyz/")
    return response.status_code, response.json()


def test_healthz_answers_without_the_database_for_any_host_over_plain_http(client, settings, django_assert_num_queries):
    settings.SECURE_SSL_REDIRECT = True  # production: the load balancer still asks over HTTP
    with django_assert_num_queries(0):
        response = client.get("/healthz/", HTTP_HOST="10.20.30.40:8000")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_200_when_every_part_answers(client, ready_parts):
    status, body = readyz(client, NOON + timedelta(seconds=5))
    assert status == 200
    assert body == {"status": "ok", "failing": [], "checks": dict.fromkeys(PARTS, "ok")}


def test_readyz_is_503_naming_redis_when_redis_is_stopped(client, ready_parts):
    assert readyz(client)[0] == 200
    ready_parts.stop()
    status, body = readyz(client)
    assert status == 503
    assert body["status"] == "unavailable"
    assert "redis" in body["failing"] and body["checks"]["redis"] == "Unavailable: ConnectionError"
    # the heartbeats live in Redis: unreadable too; the database is still fine
    assert set(body["failing"]) == {"redis", "worker", "beat"}
    assert body["checks"]["database"] == "ok"


def test_readyz_names_a_worker_whose_heartbeat_is_older_than_the_limit(client, ready_parts, settings):
    settings.READYZ_WORKER_MAX_AGE = 30
    assert readyz(client, NOON + timedelta(seconds=30))[0] == 200
    status, body = readyz(client, NOON + timedelta(seconds=31))
    assert (status, body["failing"]) == (503, ["worker"])
    assert body["checks"]["worker"] == "Unavailable: last heartbeat 31 s ago (limit 30 s)"


def test_readyz_names_beat_when_it_has_not_ticked(client, ready_parts, settings):
    heartbeat.redis_client().delete(heartbeat.BEAT_KEY)
    status, body = readyz(client)
    assert (status, body["failing"]) == (503, ["beat"])
    assert body["checks"]["beat"] == "Unavailable: no heartbeat recorded"


def test_readyz_names_the_database_when_it_points_at_a_wrong_one(client, ready_parts, monkeypatch):
    wrong = "/nonexistent-dir/jianxi.sqlite3" if connection.vendor == "sqlite" else "jianxi_no_such_database"
    monkeypatch.setitem(connections.settings["default"], "NAME", wrong)  # new connections (probe threads)
    monkeypatch.setattr(health, "_migrations_applied_at", {})
    status, body = readyz(client)
    assert status == 503
    assert set(body["failing"]) == {"database", "migrations"}
    assert body["checks"]["database"].startswith("Unavailable")


def test_readyz_names_the_disk_when_free_space_is_below_the_minimum(client, ready_parts, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.READYZ_MIN_FREE_MB = 10**12
    status, body = readyz(client)
    assert (status, body["failing"]) == (503, ["disk"])
    assert body["checks"]["disk"].endswith("MB free (minimum 1000000000000 MB)")


def test_migrations_check_fails_while_a_migration_is_not_applied(monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied_at", {})
    health.Migrations().run()  # applied: passes
    monkeypatch.setattr(health, "_migrations_applied_at", {})
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations WHERE app = 'outreach' AND name = "
            "(SELECT MAX(name) FROM django_migrations WHERE app = 'outreach')"
        )
    with pytest.raises(health.ServiceUnavailable, match=r"1 migration\(s\) not applied"):
        health.Migrations().run()


def test_without_redis_url_tasks_run_in_process_and_readyz_does_not_wait_for_a_worker(client, settings):
    settings.REDIS_URL = ""
    status, body = readyz(client)
    assert (status, body["failing"]) == (200, [])


def test_readyz_answers_part_names_and_errors_only(client, ready_parts, city_cc):
    ready_parts.stop()
    body = readyz(client)[1]
    assert set(body) == {"status", "failing", "checks"} and set(body["checks"]) == PARTS
    text = str(body)
    assert "city_cc" not in text and "127.0.0.1" not in text and str(ready_parts.port) not in text
