"""/metrics (README: Metrics): who may read it, request latency by route, the job queue, overdue
review items per region, the last Annex 2 submission per city."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from exchange.models import Job
from jianxi_portal.core.models import Region
from reports.models import MonthlyReport
from units.tests.factories import SubmittedUnitFactory

NOON = datetime(2026, 6, 10, 4, 0, tzinfo=UTC)  # 12:00 in Beijing, a Wednesday


def scrape(client, **headers) -> str:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return response.content.decode()


def value(text: str, name: str, **labels) -> float | None:
    """The sample of `name` with exactly these labels (any order), or None."""
    for line in text.splitlines():
        if line.startswith(name + "{") or line == name or line.startswith(name + " "):
            found = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}")[0])) if "{" in line else {}
            if found == {k: str(v) for k, v in labels.items()}:
                return float(line.rsplit(" ", 1)[1])
    return None


def test_refused_from_another_network_without_the_token(client, settings):
    settings.METRICS_TOKEN = "s3cret-metrics-token-of-the-test"
    assert client.get("/metrics", REMOTE_ADDR="10.9.8.7").status_code == 403
    wrong = client.get("/metrics", REMOTE_ADDR="10.9.8.7", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 403
    assert "jianxi_" not in wrong.content.decode()


def test_read_with_the_token_from_anywhere(client, settings):
    settings.METRICS_TOKEN = "s3cret-metrics-token-of-the-test"
    scrape(client, REMOTE_ADDR="10.9.8.7", HTTP_AUTHORIZATION="Bearer s3cret-metrics-token-of-the-test")


def test_read_from_an_allowed_network_but_never_through_the_proxy(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = ["192.168.50.0/24"]
    scrape(client, REMOTE_ADDR="192.168.50.9")
    assert client.get("/metrics", REMOTE_ADDR="192.168.51.9").status_code == 403
    relayed = client.get("/metrics", REMOTE_ADDR="192.168.50.9", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert relayed.status_code == 403


def test_request_latency_is_counted_by_route_and_method(client):
    before = (
        value(
            scrape(client), "django_http_requests_latency_seconds_by_view_method_count", method="GET", view="post_list"
        )
        or 0
    )
    client.get("/posts/")
    client.get("/posts/?page=2")
    after = value(
        scrape(client), "django_http_requests_latency_seconds_by_view_method_count", method="GET", view="post_list"
    )
    assert after == before + 2


def test_job_queue_length_and_the_age_of_its_oldest_job(client, city_cc):
    Job.objects.create(kind="export", owner=city_cc, title="a", created_at=NOON - timedelta(seconds=300))
    Job.objects.create(kind="export", owner=city_cc, title="b", created_at=NOON - timedelta(seconds=60))
    Job.objects.create(
        kind="import_confirm",
        owner=city_cc,
        title="c",
        status=Job.Status.RUNNING,
        created_at=NOON - timedelta(seconds=900),
    )
    Job.objects.create(
        kind="export", owner=city_cc, title="d", status=Job.Status.DONE, created_at=NOON - timedelta(days=1)
    )
    with time_machine.travel(NOON, tick=False):
        text = scrape(client)
    assert value(text, "jianxi_jobs_queued", kind="export") == 2
    assert value(text, "jianxi_jobs_oldest_queued_age_seconds", kind="export") == 300
    assert value(text, "jianxi_jobs_running", kind="import_confirm") == 1
    assert value(text, "jianxi_jobs_queued", kind="import_confirm") is None


def test_messages_waiting_in_the_celery_queue(client, settings, own_redis):
    import redis

    settings.REDIS_URL = own_redis.url
    redis.Redis.from_url(own_redis.url).rpush("celery", "m1", "m2", "m3")
    assert value(scrape(client), "jianxi_celery_queue_length", queue="celery") == 3


def test_overdue_review_items_per_region_and_kind(client):
    # Submitted 2026-05-06 (deadline 15 working days later: 2026-05-27): overdue on 2026-06-10.
    SubmittedUnitFactory(
        region_code="changchun", submitted_at=datetime(2026, 5, 6, 2, tzinfo=UTC), review_deadline=date(2026, 5, 27)
    )
    SubmittedUnitFactory(
        region_code="changchun", submitted_at=datetime(2026, 6, 9, 2, tzinfo=UTC), review_deadline=date(2026, 6, 30)
    )
    SubmittedUnitFactory(
        region_code="jilin", submitted_at=datetime(2026, 5, 6, 2, tzinfo=UTC), review_deadline=date(2026, 5, 27)
    )
    with time_machine.travel(NOON, tick=False):
        text = scrape(client)
    assert value(text, "jianxi_review_pending", region="changchun", kind="unit") == 2
    assert value(text, "jianxi_review_overdue", region="changchun", kind="unit") == 1
    assert value(text, "jianxi_review_overdue", region="jilin", kind="unit") == 1


def test_last_annex2_submission_per_city(client):
    changchun = Region.objects.get(code="changchun")
    submitted = datetime(2026, 6, 2, 1, 30, tzinfo=UTC)
    for month, status, at in (
        (4, "accepted", submitted - timedelta(days=30)),
        (5, "submitted", submitted),
        (6, "draft", None),
    ):
        report = MonthlyReport(
            region=changchun,
            year=2026,
            month=month,
            status=status,
            due_on=date(2026, month, 28),
            computed_at=NOON,
            submitted_at=at,
            reporter_name="王填报" if at else "",
        )
        report.reporter_phone = "13912345678" if at else ""
        report.save()
    text = scrape(client)
    assert value(text, "jianxi_annex2_last_submitted_timestamp_seconds", region="changchun") == submitted.timestamp()
    assert value(text, "jianxi_annex2_last_submitted_month", region="changchun") == 202605
    assert value(text, "jianxi_annex2_last_submitted_month", region="jilin") == 0


@pytest.mark.parametrize("path", ["/metrics", "/healthz/"])
def test_probes_and_metrics_leave_no_request_log_line(client, caplog, path):
    import logging

    caplog.set_level(logging.INFO, logger="jianxi.request")
    client.get(path)
    assert [r for r in caplog.records if r.name == "jianxi.request"] == []
