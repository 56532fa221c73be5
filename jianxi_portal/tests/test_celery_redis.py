"""A task round-trip through the real broker: Redis in, a real worker thread, the result back."""

import os

import pytest
from django.conf import settings

from jianxi_portal.celery import app
from jianxi_portal.core.tasks import ping

needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="REDIS_URL is unset: tasks run in-process, no broker to test"
)


@pytest.fixture
def real_worker():
    from celery.contrib.testing.worker import start_worker

    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
            yield worker
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@needs_redis
def test_task_round_trip_through_redis_and_a_real_worker(real_worker):
    assert app.conf.broker_url.startswith("redis://")
    result = ping.delay(41)
    assert result.get(timeout=20) == 42
    assert result.successful()


def test_broker_messages_are_json_only():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
