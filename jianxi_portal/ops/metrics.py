"""Prometheus metrics at `/metrics` (README: Metrics), for the operations team's Prometheus:

- request latency by route and method: django-prometheus's middleware
  (`django_http_requests_latency_seconds_by_view_method`, labelled with the URL's name), with the
  rest of its request and response counters;
- the portal's own gauges, computed when Prometheus scrapes (a few grouped queries, each read from
  an index): background jobs queued and running per kind and the age of the oldest queued one,
  messages waiting in the Celery queue, review items pending and overdue per region and kind,
  the last Annex 2 submission per city (time and month).

Several gunicorn workers share one answer through prometheus_client's multiprocess mode when
`PROMETHEUS_MULTIPROC_DIR` is set (deploy/gunicorn.conf.py sets it and clears dead workers' files).

Who may read it: a scraper presenting `METRICS_TOKEN` (`Authorization: Bearer …`), or one whose own
address is in `METRICS_ALLOWED_NETWORKS` (default: this host). A request relayed by the proxy
(it carries `X-Forwarded-For`) is never trusted by address: the proxy's address is this host's."""

import hmac
import ipaddress
import os

from django.conf import settings
from django.db.models import Count, F, Max, Min
from django.http import HttpResponse
from django.utils import timezone
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from exchange.models import Job
from jianxi_portal.core.models import Region, User
from jianxi_portal.core.review_queue import due_bounds, queue_counts
from jianxi_portal.core.workdays import Calendar
from jianxi_portal.ops.heartbeat import redis_client
from reports.models import MonthlyReport

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    sent = request.headers.get("Authorization", "")
    if token and sent.startswith("Bearer ") and hmac.compare_digest(sent[7:].encode(), token.encode()):
        return True
    if "X-Forwarded-For" in request.headers:
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in settings.METRICS_ALLOWED_NETWORKS)


def _job_metrics():
    queued = GaugeMetricFamily("jianxi_jobs_queued", "Background jobs waiting for a worker", labels=["kind"])
    running = GaugeMetricFamily("jianxi_jobs_running", "Background jobs being run", labels=["kind"])
    age = GaugeMetricFamily(
        "jianxi_jobs_oldest_queued_age_seconds", "Age of the oldest queued background job", labels=["kind"]
    )
    now = timezone.now()
    active = (Job.Status.QUEUED, Job.Status.RUNNING)
    rows = (
        Job.objects.filter(status__in=active).values("kind", "status").annotate(n=Count("*"), oldest=Min("created_at"))
    )
    for row in rows.order_by("kind", "status"):
        (queued if row["status"] == Job.Status.QUEUED else running).add_metric([row["kind"]], row["n"])
        if row["status"] == Job.Status.QUEUED:
            age.add_metric([row["kind"]], (now - row["oldest"]).total_seconds())
    return [queued, running, age]


def _broker_metrics():
    length = GaugeMetricFamily("jianxi_celery_queue_length", "Task messages waiting in the broker", labels=["queue"])
    if settings.REDIS_URL:
        # lazy on purpose: the Redis client loads only when a broker is configured
        import redis

        try:
            length.add_metric(["celery"], redis_client().llen("celery"))
        except redis.RedisError:
            pass  # /readyz/ names Redis; the gauge is absent rather than a false zero
    return [length]


def _review_metrics():
    names = dict(Region.objects.values_list("pk", "code"))
    counts = queue_counts(User(role=User.Role.PROVINCE), due_bounds(timezone.localdate(), Calendar()))
    pending = GaugeMetricFamily("jianxi_review_pending", "Items awaiting review", labels=["region", "kind"])
    overdue = GaugeMetricFamily(
        "jianxi_review_overdue",
        "Items awaiting review past their deadline (15 working days)",
        labels=["region", "kind"],
    )
    for (kind, region_id), cell in sorted(counts.cells.items()):
        pending.add_metric([names.get(region_id, str(region_id)), kind], cell["pending"])
        overdue.add_metric([names.get(region_id, str(region_id)), kind], cell["overdue"])
    return [pending, overdue]


def _annex2_metrics():
    when = GaugeMetricFamily(
        "jianxi_annex2_last_submitted_timestamp_seconds",
        "When the city last submitted an Annex 2 report (0: never)",
        labels=["region"],
    )
    month = GaugeMetricFamily(
        "jianxi_annex2_last_submitted_month",
        "Latest month (YYYYMM) the city has submitted (0: none)",
        labels=["region"],
    )
    last = {
        row["region_id"]: row
        for row in MonthlyReport.objects.filter(status__in=MonthlyReport.FROZEN)
        .values("region_id")
        .annotate(at=Max("submitted_at"), period=Max(F("year") * 100 + F("month")))
    }
    for region_id, code in Region.objects.order_by("code").values_list("pk", "code"):
        row = last.get(region_id)
        when.add_metric([code], row["at"].timestamp() if row and row["at"] else 0)
        month.add_metric([code], row["period"] if row else 0)
    return [when, month]


class PortalCollector(Collector):
    def collect(self):
        yield from _job_metrics()
        yield from _broker_metrics()
        yield from _review_metrics()
        yield from _annex2_metrics()


_portal = CollectorRegistry(auto_describe=False)
_portal.register(PortalCollector())


def process_registry():
    """The request metrics of every gunicorn worker (multiprocess mode) or of this process."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return registry
    return REGISTRY


def metrics_view(request):
    if not allowed(request):
        return HttpResponse("403 Forbidden\n", status=403, content_type="text/plain; charset=utf-8")
    return HttpResponse(generate_latest(process_registry()) + generate_latest(_portal), content_type=CONTENT_TYPE)
