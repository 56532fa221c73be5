"""How Annex 2 reads the records (reports.indicators.SCANS): each indicator part lies within the
scan that counts it, an indicator's parts are disjoint, and together they are exactly the records
its list shows — so a number still equals the length of its list. Then the boundaries of the two
indicators counted in two parts (5 and 13) and of the posts of a revoked unit (3), hand-counted."""

from datetime import date
from itertools import combinations

import pytest

from jianxi_portal.core.models import Region
from positions.tests.factories import ApprovedPostFactory
from reports.indicators import INDICATORS, Period
from reports.selectors import annex2_rows
from reports.tests.dataset import _placement
from units.tests.factories import ApprovedUnitFactory

D = date
PERIODS = [Period(2021, 12), Period(2022, 4), Period(2022, 5), Period(2022, 6)]


@pytest.mark.parametrize("period", PERIODS, ids=str)
def test_parts_lie_within_their_scans_are_disjoint_and_make_the_indicator(may_2022, period):
    for ind in INDICATORS:
        records = ind.source.model.objects.all()
        whole = set(records.filter(ind.q(period)).values_list("pk", flat=True))
        parts = [set(records.filter(part.condition(period)).values_list("pk", flat=True)) for part in ind.parts]
        for part, rows in zip(ind.parts, parts, strict=True):
            assert part.scan.source is ind.source, ind.number
            scanned = set(records.filter(part.scan.where(period)).values_list("pk", flat=True))
            assert rows <= scanned, (ind.number, part.scan.name)
        for a, b in combinations(parts, 2):
            assert not a & b, ind.number
        assert set().union(*parts) == whole, ind.number


def values(code="changchun", period=None):
    period = period or Period(2022, 5)
    (row,) = annex2_rows(period.year, period.month, [Region.objects.get(code=code)])
    return row.values


@pytest.fixture
def post(db):
    return ApprovedPostFactory(
        unit=ApprovedUnitFactory(first_approved_on=D(2022, 1, 5)), first_approved_on=D(2022, 1, 10), slots=2
    )


def test_on_duty_at_month_end_counts_each_side_of_the_last_day(post):
    _placement(post, planned=D(2022, 5, 31), started=D(2022, 5, 31))  # 13 (started on E)
    _placement(post, planned=D(2022, 6, 1), started=D(2022, 6, 1))  # starts after E: no
    _placement(
        post, planned=D(2022, 1, 3), started=D(2022, 1, 3), ended=D(2022, 5, 31), end="abnormal"
    )  # ended on E: no
    _placement(
        post, planned=D(2022, 1, 4), started=D(2022, 1, 4), ended=D(2022, 6, 1), end="abnormal"
    )  # 13 (ends after E)
    _placement(post, planned=D(2021, 3, 1), started=D(2021, 3, 1))  # 13 (never ended)
    _placement(post, planned=D(2022, 5, 9), status="planned")  # not started: no
    _placement(post, planned=D(2022, 5, 10), status="cancelled")  # cancelled: no
    assert values()[13] == 3
    assert values(period=Period(2022, 6))[13] == 3  # 5-31 start, 2021-03 start, 6-1 start; 6-1 end is out


def test_planned_in_the_month_counts_an_agreement_once(post):
    _placement(post, planned=D(2022, 5, 2), started=D(2022, 5, 2))  # 5 (both in May)
    _placement(post, planned=D(2022, 4, 25), started=D(2022, 5, 3))  # 5 (started in May)
    _placement(post, planned=D(2022, 5, 30), started=D(2022, 6, 2))  # 5 (planned in May)
    _placement(post, planned=D(2022, 5, 12), status="cancelled")  # cancelled: no
    _placement(post, planned=D(2022, 4, 1), started=D(2022, 4, 1))  # April: no
    assert (values()[5], values()[6]) == (3, 2)


def test_posts_of_a_unit_revoked_on_the_last_day_are_not_open(db):
    revoked_on_end = ApprovedUnitFactory(first_approved_on=D(2022, 1, 5), status="revoked", revoked_on=D(2022, 5, 31))
    revoked_after = ApprovedUnitFactory(first_approved_on=D(2022, 1, 5), status="revoked", revoked_on=D(2022, 6, 1))
    ApprovedPostFactory(unit=revoked_on_end, first_approved_on=D(2022, 2, 1), slots=4)  # unit revoked on E: no
    ApprovedPostFactory(unit=revoked_after, first_approved_on=D(2022, 2, 1), slots=3)  # 3: +3
    ApprovedPostFactory(unit=revoked_after, first_approved_on=D(2022, 5, 2), slots=5)  # 3, 4: +5
    assert (values()[1], values()[3], values()[4]) == (2, 8, 5)  # a unit revoked ON E still counts as a unit


def test_summary_computes_only_the_regions_without_a_complete_report(may_2022):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.selectors import annex2_summary
    from reports.services import reports_generate

    period = Period(2022, 5)
    regions = list(Region.objects.all())
    with CaptureQueriesContext(connection) as before:
        rows, _ = annex2_summary(period, regions, today=date(2022, 6, 2))
    reports_generate(period=period, today=date(2022, 6, 2))  # every region's report, with its 14 lines
    with CaptureQueriesContext(connection) as after:
        stored, _ = annex2_summary(period, regions, today=date(2022, 6, 2))
    scans = [q for q in before.captured_queries if "GROUP BY" in q["sql"]]
    assert len(scans) == 8
    assert not [q for q in after.captured_queries if "GROUP BY" in q["sql"]]
    assert [r.values for r in stored] == [r.values for r in rows]  # the stored values are the same figures
