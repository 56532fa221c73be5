"""Health probes for load balancers and the operations team (README: Health).

- `/healthz/`: the process answers (no database, no Redis): 200 `{"status": "ok"}`.
- `/readyz/`: every part a request or a job needs — the database, Redis, a worker's heartbeat,
  beat's last tick, migrations applied, free disk for uploads — checked in parallel through
  django-health-check; 200 when all pass, 503 naming each failing part otherwise.

Both, and `/metrics` (jianxi_portal/ops/metrics.py, which decides itself who may read it), are
answered by `ProbeMiddleware`, first in the chain: before the host check (a load balancer asks by
address), the HTTPS redirect (it asks over plain HTTP behind the proxy), sessions and the audit.
The probes are open to anyone who reaches the port: the answer holds part names and error classes
only, never a person, a setting or a value (SECURITY.md: minimum necessary)."""

import asyncio
import dataclasses
import shutil
import time
from pathlib import Path

from asgiref.sync import async_to_sync
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from health_check.base import HealthCheck
from health_check.checks import Database
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from jianxi_portal.ops import heartbeat

HEALTHZ, READYZ, METRICS = "/healthz/", "/readyz/", "/metrics"


def _needs_broker() -> bool:
    """Without REDIS_URL tasks run in-process (README): no Redis, worker or beat to wait for."""
    return bool(settings.REDIS_URL)


@dataclasses.dataclass
class Redis(HealthCheck):
    def run(self):
        if not _needs_broker():
            return
        # lazy on purpose: the Redis client loads only when a broker is configured
        import redis

        try:
            heartbeat.redis_client().ping()
        except redis.RedisError as error:
            raise ServiceUnavailable(error.__class__.__name__) from error


@dataclasses.dataclass
class Heartbeat(HealthCheck):
    """A background process wrote its heartbeat key within `max_age` seconds."""

    part: str = "worker"
    key: str = heartbeat.WORKER_KEY
    max_age: int = 30

    def run(self):
        if not _needs_broker():
            return
        # lazy on purpose: the Redis client loads only when a broker is configured
        import redis

        try:
            age = heartbeat.age_seconds(self.key)
        except redis.RedisError as error:
            raise ServiceUnavailable(f"heartbeat unreadable ({error.__class__.__name__})") from error
        if age is None:
            raise ServiceUnavailable("no heartbeat recorded")
        if age > self.max_age:
            raise ServiceUnavailable(f"last heartbeat {age:.0f} s ago (limit {self.max_age} s)")


_migrations_applied_at: dict[str, float] = {}


@dataclasses.dataclass
class Migrations(HealthCheck):
    """No migration of the code is missing from the database (a release migrated before it serves).
    A pass is remembered for a minute: loading the migration graph costs tens of milliseconds."""

    alias: str = DEFAULT_DB_ALIAS

    def run(self):
        if time.monotonic() - _migrations_applied_at.get(self.alias, -1e9) < 60:
            return
        connection = connections[self.alias]
        try:  # runs in a worker thread: its connection is opened and closed here
            with connection.temporary_connection():
                executor = MigrationExecutor(connection)
                plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except Exception as error:  # the database itself is down: its own check names it
            raise ServiceUnavailable(f"cannot read applied migrations ({error.__class__.__name__})") from error
        if plan:
            raise ServiceUnavailable(f"{len(plan)} migration(s) not applied")
        _migrations_applied_at[self.alias] = time.monotonic()


@dataclasses.dataclass
class UploadDisk(HealthCheck):
    """Free space where uploads and job files are written (MEDIA_ROOT) of at least the minimum."""

    def run(self):
        path = Path(settings.MEDIA_ROOT)
        while not path.exists() and path != path.parent:
            path = path.parent
        free_mb = shutil.disk_usage(path).free // (1024 * 1024)
        if free_mb < settings.READYZ_MIN_FREE_MB:
            raise ServiceUnavailable(f"{free_mb} MB free (minimum {settings.READYZ_MIN_FREE_MB} MB)")


def readiness_checks() -> dict[str, HealthCheck]:
    return {
        "database": Database(),
        "redis": Redis(),
        "worker": Heartbeat("worker", heartbeat.WORKER_KEY, settings.READYZ_WORKER_MAX_AGE),
        "beat": Heartbeat("beat", heartbeat.BEAT_KEY, settings.READYZ_BEAT_MAX_AGE),
        "migrations": Migrations(),
        "disk": UploadDisk(),
    }


class ReadinessView(HealthCheckView):
    """django-health-check runs the checks (sync ones in threads, each under its timeout); the
    answer is ours: 503, not 500 (the service is unavailable, not broken), always JSON."""

    async def get(self, request, *args, **kwargs):
        checks = readiness_checks()
        with self.get_executor() as executor:
            results = await asyncio.gather(*(check.get_result(executor) for check in checks.values()))
        answers = {name: ("ok" if r.error is None else str(r.error)) for name, r in zip(checks, results, strict=True)}
        failing = [name for name, answer in answers.items() if answer != "ok"]
        return JsonResponse(
            {"status": "unavailable" if failing else "ok", "failing": failing, "checks": answers},
            status=503 if failing else 200,
        )


readiness_view = ReadinessView.as_view()


class ProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTHZ:
            response = JsonResponse({"status": "ok"})
        elif request.path_info == READYZ:
            response = async_to_sync(readiness_view)(request)
        elif request.path_info == METRICS:
            # lazy on purpose: prometheus_client and the metrics' queries load on the first /metrics only
            from jianxi_portal.ops.metrics import metrics_view

            response = metrics_view(request)
        else:
            return self.get_response(request)
        add_never_cache_headers(response)
        response._has_been_logged = True  # a 503 here is an answer, not a server error to log
        return response
