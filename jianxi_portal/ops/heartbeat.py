"""Heartbeats of the background processes, kept in Redis for `/readyz/` (README: Health):

- a Celery worker writes the time of each of its event heartbeats (every 2 s) from the
  `heartbeat_sent` signal: a worker that stopped, hangs or lost the broker stops writing;
- beat runs with `RecordingScheduler`, which writes the time of each scheduler tick (at least
  every `CELERY_BEAT_MAX_LOOP_INTERVAL` seconds).

Both keys live in the Redis database of REDIS_URL, so every web process of one portal reads the
same ones. A failed write is logged and never stops the worker or beat."""

import logging
import time

from celery.beat import PersistentScheduler
from celery.signals import heartbeat_sent
from django.conf import settings

logger = logging.getLogger(__name__)

WORKER_KEY = "jianxi:ops:worker_heartbeat"
BEAT_KEY = "jianxi:ops:beat_tick"
_clients: dict = {}


def redis_client():
    """One client per process and URL, with short timeouts (a probe must answer quickly)."""
    # lazy on purpose: the Redis client loads only when a broker is configured
    import redis

    url = settings.REDIS_URL
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    return _clients[url]


def record(key: str, now: float | None = None) -> None:
    if not settings.REDIS_URL:
        return
    # lazy on purpose: the Redis client loads only when a broker is configured
    import redis

    try:
        redis_client().set(key, repr(time.time() if now is None else now), ex=24 * 3600)
    except redis.RedisError as error:
        logger.warning("heartbeat %s not recorded: %s", key, error.__class__.__name__)


def age_seconds(key: str) -> float | None:
    """Seconds since the key was last written; None when it never was (or expired)."""
    value = redis_client().get(key)
    return None if value is None else max(0.0, time.time() - float(value))


@heartbeat_sent.connect
def record_worker_heartbeat(sender=None, **kwargs):
    record(WORKER_KEY)


class RecordingScheduler(PersistentScheduler):
    """Celery's default scheduler, recording each tick (`celery beat -S` or `beat_scheduler`)."""

    def tick(self, *args, **kwargs):
        interval = super().tick(*args, **kwargs)
        record(BEAT_KEY)
        return interval
