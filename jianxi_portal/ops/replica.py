"""Reading from a PostgreSQL streaming replica (README: Read replica; DESIGN.md leaves the scale to
operations). With `DATABASE_REPLICA_URL` set, settings add the `replica` database and this router.

- Only read-only heavy pages read from the replica: the URL names in `REPLICA_READ_VIEWS` (the public
  post list and unit directory, the reports, dashboards and exports), for GET and HEAD, decided by
  `ReplicaMiddleware` when the view is resolved. Everything else — every write, every other page,
  tasks, management commands — uses the primary.
- A read that follows a write uses the primary: in the same request once anything was written or a
  transaction is open, and in the same browser for `REPLICA_PIN_SECONDS` after a request that wrote
  (a cookie, so a person sees their own change even while the replica catches up).
- The replica is used only while it is up and at most `REPLICA_MAX_LAG_SECONDS` behind the primary:
  its lag is measured at most every `REPLICA_CHECK_SECONDS` per process; when it is down, lagging or
  unreadable, reads fall back to the primary (and a log line says so once per check).
"""

import logging
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
PIN_COOKIE = "jianxi_primary"
# Per request: "replica" (this view may read from it), "pinned" (something was written), or "".
_state: ContextVar[str] = ContextVar("jianxi_replica_state", default="")
_health = {"checked": -1e9, "usable": False}
# Sign-in state is always read from and written to the primary, and its writes (a session touched on
# every request, a lockout counter, a device's last use) do not pin the person to the primary.
PRIMARY_ONLY_APPS = {"sessions", "axes", "otp_totp", "otp_static", "django_otp"}

LAG_SQL = """
SELECT CASE WHEN NOT pg_is_in_recovery() THEN NULL
            WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9) END
"""


def configured() -> bool:
    return REPLICA in settings.DATABASES


def measure_lag() -> float | None:
    """Seconds the replica is behind (0 when it has replayed all it received); None when the server
    is not a standby. Raises the driver's error when it cannot be reached."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(LAG_SQL)
        value = cursor.fetchone()[0]
    return None if value is None else float(value)


def replica_usable() -> bool:
    now = time.monotonic()
    if now - _health["checked"] < settings.REPLICA_CHECK_SECONDS:
        return _health["usable"]
    try:
        lag = measure_lag()
        usable = lag is not None and lag <= settings.REPLICA_MAX_LAG_SECONDS
        reason = "not a standby" if lag is None else f"{lag:.1f} s behind"
    except Exception as error:  # down, refused, timed out: the primary answers instead
        connections[REPLICA].close()
        usable, reason = False, f"unreachable ({error.__class__.__name__})"
    if not usable and (_health["usable"] or _health["checked"] < 0):
        logger.warning("replica not used: %s", reason)
    _health.update(checked=now, usable=usable)
    return usable


def reset_health() -> None:
    _health.update(checked=-1e9, usable=False)


def in_transaction() -> bool:
    """Reads inside an open transaction on the primary see its uncommitted writes only there."""
    return connections[DEFAULT_DB_ALIAS].in_atomic_block


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            _state.get() != "replica"
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or model._meta.label == settings.AUTH_USER_MODEL
            or in_transaction()
        ):
            return DEFAULT_DB_ALIAS
        return REPLICA if replica_usable() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        if model._meta.app_label not in PRIMARY_ONLY_APPS:
            _state.set("pinned")
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, **hints):
        return db == DEFAULT_DB_ALIAS


class ReplicaMiddleware:
    """Marks the request's reads for the replica when its view may use it; pins the browser to the
    primary for a while after a request that wrote."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _state.set("")
        try:
            response = self.get_response(request)
            if _state.get() == "pinned":
                response.set_cookie(
                    PIN_COOKIE,
                    "1",
                    max_age=settings.REPLICA_PIN_SECONDS,
                    httponly=True,
                    secure=settings.SESSION_COOKIE_SECURE,
                    samesite="Lax",
                )
            return response
        finally:
            _state.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            configured()
            and request.method in ("GET", "HEAD")
            and PIN_COOKIE not in request.COOKIES
            and match is not None
            and match.view_name in settings.REPLICA_READ_VIEWS
            and _state.get() == ""
        ):
            _state.set("replica")
