"""Annex 2 computed from the records: the hand-counted May 2022 dataset, the province row, the
queries (a fixed number whatever the data size) and the records behind every number."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianxi_portal.core.models import Region
from positions.models import Post
from reports.indicators import INDICATORS, NUMBERS, SCANS, Period
from reports.selectors import annex2_rows, annex2_total, indicator_records, indicator_value
from reports.tests.dataset import TOTAL, expected
from subsidies.tests.factories import DisbursementFactory
from trainees.models import Placement
from trainees.tests.factories import OnDutyPlacementFactory
from units.models import Unit


def test_every_indicator_matches_the_hand_count_in_every_region(may_2022):
    rows = annex2_rows(2022, 5, Region.objects.all())
    assert len(rows) == 11
    for row in rows:
        assert row.as_list() == expected(row.region.code), row.region.code


def test_province_row_is_the_sum_of_the_regions(may_2022):
    total = annex2_total(annex2_rows(2022, 5, Region.objects.all()))
    assert total.as_list() == TOTAL
    assert total.code == "province"


def test_indicator_14_is_ten_thousands_of_yuan_rounded_half_up(may_2022):
    (row,) = annex2_rows(2022, 5, Region.objects.filter(code="changchun"))
    # 12345.00 (May 31) + 7655.00 (Jan 1) + 5050.00 (Mar 15) = 25050.00 yuan = 2.505 万元 → 2.51;
    # the 50000.00 paid on June 1 and the 9999.00 of 2021 are outside January 1 – May 31.
    assert row.values[14] == Decimal("2.51")
    assert isinstance(row.values[14], Decimal)


def test_the_payment_of_june_1_counts_in_june(may_2022):
    (row,) = annex2_rows(2022, 6, Region.objects.filter(code="changchun"))
    assert row.values[14] == Decimal("7.51")  # 25050.00 + 50000.00


def test_a_placement_planned_in_may_but_started_in_june_counts_as_planned_in_may_and_started_in_june(may_2022):
    cc = Region.objects.filter(code="changchun")
    may = indicator_records(5, Period(2022, 5), Placement.objects.filter(region__in=cc))
    june = indicator_records(6, Period(2022, 6), Placement.objects.filter(region__in=cc))
    assert may_2022["cc_a"] in may
    assert may_2022["cc_a"] not in indicator_records(6, Period(2022, 5), Placement.objects.all())
    assert may_2022["cc_a"] in june


def test_started_and_ended_abnormally_in_the_same_month_counts_as_started_and_abnormal(may_2022):
    p = may_2022["cc_b"]
    for number in (5, 6, 7, 12):
        assert p in indicator_records(number, Period(2022, 5), Placement.objects.all()), number
    for number in (8, 9, 13):
        assert p not in indicator_records(number, Period(2022, 5), Placement.objects.all()), number


def test_early_retention_counts_as_completed_and_retained(may_2022):
    p = may_2022["cc_c"]
    assert p.outcome == ""
    for number in (8, 9, 10):
        assert p in indicator_records(number, Period(2022, 5), Placement.objects.all()), number


def test_a_unit_revoked_in_the_month_and_its_posts_are_not_counted(may_2022):
    revoked = may_2022["cc_u3"]
    assert revoked not in indicator_records(1, Period(2022, 5), Unit.objects.all())
    assert not indicator_records(3, Period(2022, 5), Post.objects.filter(unit=revoked)).exists()
    assert revoked not in indicator_records(2, Period(2022, 5), Unit.objects.all())


def test_a_unit_revoked_on_the_last_day_is_not_revoked_before_the_end(may_2022):
    assert may_2022["jl_u2"] in indicator_records(1, Period(2022, 5), Unit.objects.all())
    assert may_2022["jl_u2"] not in indicator_records(1, Period(2022, 6), Unit.objects.all())


@pytest.mark.parametrize("code", ["changchun", "jilin", "siping"])
def test_the_records_behind_each_number_make_that_number(may_2022, code):
    period = Period(2022, 5)
    region = Region.objects.get(code=code)
    (row,) = annex2_rows(2022, 5, [region])
    for ind in INDICATORS:
        base = ind.source.model.objects.filter(region=region)
        records = list(indicator_records(ind.number, period, base))
        if ind.measure == "slots":
            assert sum(p.slots for p in records) == row.values[ind.number], ind.number
        elif ind.measure == "amount":
            yuan = sum((d.amount for d in records), Decimal(0))
            assert (yuan / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) == row.values[14]
        else:
            assert len(records) == row.values[ind.number], ind.number
        assert indicator_value(ind.number, period, base) == row.values[ind.number]


def test_province_rows_take_eight_queries_whatever_the_data_size(may_2022, django_assert_num_queries):
    regions = list(Region.objects.all())
    # one per scan: units, posts, placements planned / started / ended in the month, never ended,
    # ended after the month, disbursements
    assert len(SCANS) == 8
    with django_assert_num_queries(8):
        annex2_rows(2022, 5, regions)
    post = Post.objects.filter(region__code="jilin", slots=10).get()
    for k in range(25):
        OnDutyPlacementFactory(
            post=post, signed_on=date(2022, 5, 3), planned_start=date(2022, 5, 3), category="unemployed_youth"
        )
        DisbursementFactory(claim__unit=post.unit, paid_on=date(2022, 5, 1 + k), amount=Decimal("100.00"))
    with django_assert_num_queries(8):
        rows = annex2_rows(2022, 5, regions)
    jilin = next(r for r in rows if r.region.code == "jilin")
    assert (jilin.values[6], jilin.values[7], jilin.values[13]) == (26, 1, 26)
    assert jilin.values[14] == Decimal("0.75")  # 4950.00 + 25 × 100.00 = 7450.00 yuan


def test_province_summary_page_queries_do_not_grow_with_the_data(may_2022, client_for, province_user):
    client = client_for(province_user)
    client.get("/reports/annex2/?year=2022&month=5")  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/reports/annex2/?year=2022&month=5").status_code == 200
    post = Post.objects.filter(region__code="changchun", slots=5).get()
    for _ in range(20):
        OnDutyPlacementFactory(post=post, signed_on=date(2022, 5, 9), planned_start=date(2022, 5, 9))
    with CaptureQueriesContext(connection) as large:
        response = client.get("/reports/annex2/?year=2022&month=5")
    assert len(large.captured_queries) == len(small.captured_queries) <= 15
    cc = next(r for r in response.context["rows"] if r.region.code == "changchun")
    assert cc.values[6] == 3 + 20


def test_an_empty_month_is_all_zero(db):
    rows = annex2_rows(2030, 1, Region.objects.all())
    assert all(r.as_list() == [0] * 13 + [Decimal("0.00")] for r in rows)
    assert NUMBERS == tuple(range(1, 15))
