"""SECURITY.md, item 6: races and faults on PostgreSQL.

Each race is repeated REPEAT times; in every round the two calls run in their own threads (own
database connections) and are released together by a barrier. Every round must end with exactly
one effect (one approval, one placement in the last slot, one live claim line for the
placement-month, one submission) and the other call refused with a clear error.
The setup follows units/tests/test_concurrency.py and trainees/tests/test_concurrency_postgres.py.
"""

import time
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from exchange.models import Job
from jianxi_portal.core.models import ReviewLog, User
from jianxi_portal.core.review import InvalidTransition
from jianxi_portal.tests.concurrency import run_together
from jianxi_portal.tests.factories import UserFactory
from positions.models import Post
from positions.services import post_submit
from positions.tests.factories import ApprovedPostFactory, PostFactory
from subsidies import services as subsidy_services
from subsidies.models import Claim, ClaimLine
from subsidies.tests.factories import FiledPlacementFactory
from trainees.models import Placement
from trainees.services.placements import sign_placement
from trainees.tests.factories import TraineeFactory
from units.models import Unit
from units.services import unit_approve
from units.tests.factories import ApprovedUnitFactory, SubmittedUnitFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# 50 rounds of each race: about 8 s for the four races together on this machine (PostgreSQL 15).
REPEAT = 50


def _split(results, refusal_types):
    effects = [r for r in results if not isinstance(r, Exception)]
    refusals = [r for r in results if isinstance(r, refusal_types)]
    others = [r for r in results if isinstance(r, Exception) and not isinstance(r, refusal_types)]
    return effects, refusals, others


def test_two_reviewers_approving_one_unit_at_once_leave_one_approval(city_cc, figures):
    colleague = UserFactory(username="city_cc_race", role=User.Role.CITY, region=city_cc.region)
    started = time.monotonic()
    for _ in range(REPEAT):
        unit = SubmittedUnitFactory()
        results = run_together(
            lambda unit=unit: unit_approve(unit_id=unit.pk, by=city_cc),
            lambda unit=unit: unit_approve(unit_id=unit.pk, by=colleague),
        )
        effects, refusals, others = _split(results, (InvalidTransition, ValidationError))
        assert (len(effects), len(refusals), others) == (1, 1, []), results
        assert ReviewLog.objects.filter(object_id=unit.pk, content_type__model="unit", action="approve").count() == 1
        assert Unit.objects.get(pk=unit.pk).status == Unit.Status.APPROVED
    figures.add(
        "6",
        f"two reviewers approve one unit: {REPEAT} of {REPEAT} rounds ended with exactly one "
        f"approval, the other refused ({time.monotonic() - started:.1f} s)",
    )


def test_two_signings_for_the_last_slot_leave_one_placement(unit_a, city_cc, figures):
    started = time.monotonic()
    for _ in range(REPEAT):
        post = ApprovedPostFactory(unit=unit_a, slots=1, allowance=Decimal("1500"))
        first, second = TraineeFactory(), TraineeFactory()

        def sign(trainee, post=post):
            return lambda: sign_placement(
                trainee_id=trainee.pk,
                post_id=post.pk,
                signed_on=date(2026, 3, 1),
                planned_start=date(2026, 3, 1),
                by=city_cc,
            )

        results = run_together(sign(first), sign(second))
        effects, refusals, others = _split(results, (ValidationError,))
        assert (len(effects), len(refusals), others) == (1, 1, []), results
        assert "名额已满" in refusals[0].message_dict["post"][0]
        assert Placement.objects.filter(post=post, status__in=Placement.ACTIVE).count() == 1
    figures.add(
        "6",
        f"two signings for the last slot: {REPEAT} of {REPEAT} rounds ended with one placement, "
        f"the other refused 名额已满 ({time.monotonic() - started:.1f} s)",
    )


def test_two_claims_for_one_placement_month_leave_one_live_line(figures):
    started = time.monotonic()
    for n in range(REPEAT):
        unit = ApprovedUnitFactory(region_code="changchun")
        employer = UserFactory(username=f"race_employer_{n}", role=User.Role.EMPLOYER, unit=unit)
        placement = FiledPlacementFactory(post=ApprovedPostFactory(unit=unit))

        def claim(employer=employer, unit=unit):
            return lambda: subsidy_services.claim_create(
                unit_id=unit.pk, period_from=date(2026, 3, 1), period_to=date(2026, 3, 1), by=employer
            )

        results = run_together(claim(), claim())
        effects, refusals, others = _split(results, (ValidationError,))
        assert (len(effects), len(refusals), others) == (1, 1, []), results
        assert ClaimLine.objects.filter(placement=placement, month=date(2026, 3, 1), live=True).count() == 1
        assert Claim.objects.filter(unit=unit).count() == 1
    figures.add(
        "6",
        f"two claims for one placement-month: {REPEAT} of {REPEAT} rounds ended with one claim and "
        f"one live line, the other refused ({time.monotonic() - started:.1f} s)",
    )


def test_a_double_clicked_submit_submits_once(unit_a, employer_a, figures):
    started = time.monotonic()
    for _ in range(REPEAT):
        post = PostFactory(unit=unit_a, allowance=Decimal("1500"))
        results = run_together(
            lambda post=post: post_submit(post_id=post.pk, by=employer_a),
            lambda post=post: post_submit(post_id=post.pk, by=employer_a),
        )
        effects, refusals, others = _split(results, (InvalidTransition, ValidationError))
        assert (len(effects), len(refusals), others) == (1, 1, []), results
        assert ReviewLog.objects.filter(object_id=post.pk, content_type__model="post", action="submit").count() == 1
        assert Post.objects.get(pk=post.pk).status == Post.Status.SUBMITTED
    figures.add(
        "6",
        f"double-clicked submit: {REPEAT} of {REPEAT} rounds recorded one submission, the second "
        f"click refused ({time.monotonic() - started:.1f} s)",
    )


def test_celery_accepts_json_only_and_acknowledges_late():
    from exchange.tasks import run_job
    from jianxi_portal.celery import app

    assert settings.CELERY_TASK_SERIALIZER == "json"
    assert settings.CELERY_RESULT_SERIALIZER == "json"
    assert settings.CELERY_ACCEPT_CONTENT == ["json"]
    assert app.conf.task_serializer == "json" and list(app.conf.accept_content) == ["json"]
    assert settings.CELERY_TASK_ACKS_LATE is True and app.conf.task_acks_late is True
    assert run_job.acks_late is True
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1


def test_a_job_delivered_twice_has_one_effect(city_cc, figures):
    """acks_late means a task can be delivered again (a worker killed before it acknowledged):
    the second run of the same job finds it no longer queued and does nothing."""
    from exchange import handlers, jobs

    job = Job.objects.create(kind=handlers.EXPORT, owner=city_cc, title="导出见习人员", params={"register": "trainees"})
    runs = []
    original = jobs.HANDLERS[handlers.EXPORT]

    def counting(job_, progress):
        runs.append(job_.pk)
        return original(job_, progress)

    jobs.HANDLERS[handlers.EXPORT] = counting
    try:
        results = run_together(lambda: jobs.job_run(job.pk), lambda: jobs.job_run(job.pk))
        jobs.job_run(job.pk)  # a third, late redelivery
    finally:
        jobs.HANDLERS[handlers.EXPORT] = original
    assert [r for r in results if isinstance(r, Exception)] == []
    assert runs == [job.pk]
    job.refresh_from_db()
    assert job.status in (Job.Status.DONE, Job.Status.FAILED)
    figures.add("6", "task delivered 3 times (2 at once, 1 late): the job's work ran once")


@pytest.fixture
def broker_down():
    """Celery as in production (not eager) with a broker nobody listens on."""
    from jianxi_portal.celery import app

    keys = (
        "task_always_eager",
        "broker_url",
        "broker_connection_retry",
        "broker_connection_max_retries",
        "task_publish_retry",
        "broker_connection_timeout",
    )
    old = {k: app.conf[k] for k in keys}
    app.conf.update(
        task_always_eager=False,
        broker_url="redis://127.0.0.1:1/0",
        broker_connection_retry=False,
        broker_connection_max_retries=0,
        task_publish_retry=False,
        broker_connection_timeout=1,
    )
    _drop_connections(app)
    yield app
    app.conf.update(old)
    _drop_connections(app)


def _drop_connections(app):
    """Forget pooled broker connections and producers (an earlier test may have opened them to a
    live Redis), so the next publish connects to the broker now configured. kombu keeps its pools
    in module-level registries keyed by broker URL: closing one without forgetting it leaves a
    closed pool that the next test of that URL would be handed ("Acquire on closed pool")."""
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def test_a_broker_down_at_enqueue_gives_a_clear_error_and_leaves_no_job_or_file(
    city_cc, client_for, broker_down, settings, tmp_path, figures
):
    from exchange import handlers, jobs

    settings.MEDIA_ROOT = str(tmp_path)
    with pytest.raises(jobs.QueueUnavailable, match="后台任务服务暂时不可用"):
        jobs.job_start(kind=handlers.EXPORT, owner=city_cc, title="导出见习人员", params={"register": "trainees"})
    assert Job.objects.count() == 0

    # Through the import page: the form says so in Chinese, no job row, no stored upload, no 500.
    from io import BytesIO

    from openpyxl import Workbook

    book, buffer = Workbook(), BytesIO()
    book.active.append(["姓名"])
    book.save(buffer)
    upload = buffer.getvalue()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(city_cc).post(
        "/exchange/import/trainees/",
        {
            "file": SimpleUploadedFile(
                "trainees.xlsx", upload, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
        },
    )
    assert response.status_code == 200
    assert "后台任务服务暂时不可用" in response.content.decode()
    assert Job.objects.count() == 0
    stored = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert stored == []
    figures.add(
        "6",
        "broker down at enqueue (service and import page): clear Chinese message, 0 job rows, "
        "0 stored upload files, no server error",
    )
