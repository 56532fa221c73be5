"""gunicorn settings of the portal's web process (README: Serving; `make serve` and
deploy/systemd/jianxi-web.service use it). Every value can be set from the environment.

Sync workers: each request holds one worker; the database connection is kept (CONN_MAX_AGE).
No access log of gunicorn's own: the app writes one JSON line per request with its id (README: Logs).
"""

import os
import shutil
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
worker_class = "sync"
# A request longer than this is killed and answered 502 by nginx (proxy_read_timeout is longer):
# long work runs as a background job, never in a request.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (memory held by a large page or export is given back).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Trust X-Forwarded-* only from the local proxy (nginx on the same machine).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "jianxi-web"
# gunicorn's own records (start, worker boot and timeout) as JSON lines too, like the app's.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "jianxi_portal.ops.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "loggers": {"gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False}},
}

# Prometheus metrics of all workers as one (README: Metrics): each worker writes its samples to files
# in this directory, /metrics reads them all. Emptied when gunicorn starts; a dead worker's files
# are marked so its gauges go away.
MULTIPROC_DIR = Path(
    os.environ.setdefault(
        "PROMETHEUS_MULTIPROC_DIR", str(Path(__file__).resolve().parent.parent / ".run" / "prometheus")
    )
)


def on_starting(server):
    shutil.rmtree(MULTIPROC_DIR, ignore_errors=True)
    MULTIPROC_DIR.mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    # env-dependent: prometheus_client reads PROMETHEUS_MULTIPROC_DIR (set above) when first imported
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
