"""Logs as JSON lines (README: Logs), one object a line, for the operations team's collector:

- every record gets `time` (ISO 8601, +08:00), `level`, `logger`, `message` and the `request_id`
  of the request or task it was written in;
- `RequestLogMiddleware` writes one line per request (logger `jianxi.request`): request id, user
  id, method, route (the URL pattern, never the path or query: a path or a search can hold an ID
  number), status and duration. Only the numeric user id: never a name, phone or ID number
  (SECURITY.md: personal data in logs);
- one line per task run (logger `jianxi.task`): task name and id, the request id of the request
  (or task) that queued it — carried in the message's `jianxi_request_id` header —, state and
  duration.

Personal numbers inside messages are masked by the `scrub_personal` filter of settings.LOGGING."""

import logging
import time
from datetime import datetime

from celery.signals import before_task_publish, setup_logging, task_postrun, task_prerun
from django.utils import timezone
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from jianxi_portal.ops.context import new_request_id, request_id

request_logger = logging.getLogger("jianxi.request")
task_logger = logging.getLogger("jianxi.task")
HEADER = "jianxi_request_id"


class JsonFormatter(_JsonFormatter):
    """python-json-logger with the portal's fixed keys, Chinese kept readable (not \\u escapes)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("json_ensure_ascii", False)
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        super().__init__("{levelname}{name}{message}", *args, style="{", **kwargs)

    def add_fields(self, log_record, record, message_dict):
        created = datetime.fromtimestamp(record.created, tz=timezone.get_default_timezone())
        log_record["time"] = created.isoformat(timespec="milliseconds")
        super().add_fields(log_record, record, message_dict)
        log_record.setdefault("request_id", None)


_make_record = logging.getLogRecordFactory()


def _record_with_request_id(*args, **kwargs):
    """Every record is stamped with the request id when it is made (a handler may format it later,
    on another thread)."""
    record = _make_record(*args, **kwargs)
    record.request_id = request_id.get() or None
    return record


logging.setLogRecordFactory(_record_with_request_id)


def _route(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.route if match is not None and match.route else "<unmatched>"


def _user_id(request):
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


class RequestLogMiddleware:
    """Outermost but for the probes: sets the request id (a proxy's `X-Request-ID` is kept), times
    the whole chain, writes the line and returns the id in `X-Request-ID`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = new_request_id(request.headers.get("X-Request-ID"))
        token = request_id.set(request.request_id)
        start = time.perf_counter()
        try:
            response = self.get_response(request)
            duration = time.perf_counter() - start
            route = _route(request)
            request_logger.info(
                "request",
                extra={
                    "event": "request",
                    "user_id": _user_id(request),
                    "method": request.method,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": round(duration * 1000, 1),
                },
            )
            response["X-Request-ID"] = request.request_id
            return response
        finally:
            request_id.reset(token)


@setup_logging.connect
def keep_django_logging(**kwargs):
    """A receiver here tells Celery's worker and beat not to configure logging themselves: they log
    through settings.LOGGING (JSON lines) like the web processes, and never change the root level."""


@before_task_publish.connect
def carry_request_id(headers=None, **kwargs):
    if headers is not None and request_id.get():
        headers.setdefault(HEADER, request_id.get())


_running: dict[str, tuple] = {}


@task_prerun.connect
def task_started(task_id=None, task=None, **kwargs):
    carried = getattr(task.request, HEADER, None) or request_id.get() or None
    _running[task_id] = (request_id.set(carried or new_request_id()), time.perf_counter())


@task_postrun.connect
def task_finished(task_id=None, task=None, state=None, **kwargs):
    token, start = _running.pop(task_id, (None, time.perf_counter()))
    duration_ms = round((time.perf_counter() - start) * 1000, 1)
    task_logger.info(
        "task",
        extra={"event": "task", "task": task.name, "task_id": task_id, "state": state, "duration_ms": duration_ms},
    )
    if token is not None:
        request_id.reset(token)
