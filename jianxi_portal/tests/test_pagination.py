"""CappedPaginator: a long list counts only past the requested page and says so; a short list
gets its exact count; every `?page=N` still works. Shown on the public post list and its API."""

import pytest
from django.test import Client
from django.urls import reverse

from jianxi_portal.core import pagination
from jianxi_portal.core.pagination import CappedPaginator
from positions.models import Post
from positions.tests.factories import ApprovedPostFactory
from units.tests.factories import ApprovedUnitFactory


@pytest.fixture(autouse=True)
def _no_remembered_counts():
    """Counts that stopped at their bound are remembered (`count_bounded`); each test counts anew."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def twelve_posts(db):
    unit = ApprovedUnitFactory()
    return [ApprovedPostFactory(unit=unit, title=f"分页岗位{n:02d}") for n in range(12)]


@pytest.fixture
def small_caps(monkeypatch):
    monkeypatch.setattr(CappedPaginator, "caps", (5, 8))
    monkeypatch.setattr("positions.views.PAGE_SIZE", 2)


def paginator(per_page=2):
    return CappedPaginator(Post.objects.order_by("pk"), per_page)


def test_short_list_gets_its_exact_count(twelve_posts):
    pages = paginator(per_page=5)
    page = pages.get_page(1)
    assert (pages.count, pages.capped, pages.num_pages) == (12, False, 3)
    assert [p.title for p in page] == [f"分页岗位{n:02d}" for n in range(5)]


def test_long_list_counts_to_the_first_cap_past_the_page(twelve_posts, small_caps):
    pages = paginator()
    page = pages.get_page(1)
    # page 1 ends at row 2; the first cap past it is 5: 12 rows match, so "more than 5"
    assert (pages.count, pages.capped, pages.num_pages) == (5, True, 3)
    assert page.has_next()


def test_the_last_counted_page_still_leads_on(twelve_posts, small_caps):
    pages = paginator()
    page = pages.get_page(3)  # rows 5–6: past 5, so counted to 8
    assert (pages.count, pages.capped, pages.num_pages) == (8, True, 4)
    assert page.has_next() and [p.title for p in page] == ["分页岗位04", "分页岗位05"]


def test_a_page_deeper_than_every_cap_counts_everything(twelve_posts, small_caps):
    pages = paginator()
    page = pages.get_page(5)  # rows 9–10: deeper than the caps
    assert (pages.count, pages.capped, pages.num_pages) == (12, False, 6)
    assert [p.title for p in page] == ["分页岗位08", "分页岗位09"]


def test_a_page_past_the_end_is_the_last_page(twelve_posts, small_caps):
    page = paginator().get_page(99)
    assert page.number == 6 and [p.title for p in page] == ["分页岗位10", "分页岗位11"]


def test_counting_for_a_shallow_page_is_redone_for_a_deeper_one(twelve_posts, small_caps):
    pages = paginator()
    assert pages.num_pages == 3  # e.g. DRF's page=last reads it before asking for the page
    page = pages.page(3)
    assert pages.count == 8 and page.has_next()


def test_default_caps_start_at_a_thousand():
    assert pagination.CAPS[0] == 1000


def test_post_list_says_when_it_stopped_counting(twelve_posts, small_caps, monkeypatch):
    monkeypatch.setattr(pagination, "PUBLIC_COUNT_BOUND", 5)
    html = Client().get(reverse("post_list") + "?count=1").content.decode()  # 统计总数 (no JavaScript)
    assert "超过 5 个在招岗位" in html and "第 1 页" in html
    assert "after=" in html and "末页" not in html
    # the count stops at the same bound however deep the page, and is remembered for the list
    third = Client().get(reverse("post_list") + "?page=3").content.decode()
    assert "超过 5 个在招岗位" in third and "第 3 页" in third and "本页为第 5–6 个" in third


def test_post_list_counting_everything_has_a_last_page_link(twelve_posts, small_caps, monkeypatch):
    monkeypatch.setattr(pagination, "PUBLIC_COUNT_BOUND", 20)
    html = Client().get(reverse("post_list") + "?page=5&count=1").content.decode()
    assert "共 12 个在招岗位" in html and "第 5 / 6 页" in html and "page=6" in html and "末页" in html


def test_public_api_says_when_the_count_is_a_lower_bound(twelve_posts, small_caps):
    body = Client().get("/api/v1/public/posts/?page_size=2").json()
    assert (body["count"], body["count_capped"], len(body["results"])) == (5, True, 2)
    assert body["next"].endswith("page=2&page_size=2")
    deep = Client().get("/api/v1/public/posts/?page_size=2&page=6").json()
    assert (deep["count"], deep["count_capped"], deep["next"]) == (12, False, None)


def test_a_deep_page_is_read_in_two_steps_with_the_same_rows(twelve_posts, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(CappedPaginator, "two_step_from", 4)
    pages = CappedPaginator(Post.objects.select_related("unit").order_by("-pk"), 2)
    pages.count  # noqa: B018
    with django_assert_num_queries(2):  # the page's ids, then those rows with their units
        page = pages.page(3)
        titles = [(p.title, p.unit.name) for p in page]
    unit = twelve_posts[0].unit.name
    assert titles == [("分页岗位07", unit), ("分页岗位06", unit)]
    with django_assert_num_queries(1):  # shallower: one query
        assert [p.title for p in pages.page(2)] == ["分页岗位09", "分页岗位08"]


@pytest.mark.postgres(reason="parallel workers are PostgreSQL's")
def test_the_capped_count_runs_without_parallel_workers_and_restores_the_setting(twelve_posts):
    from django.db import connection

    from jianxi_portal.core.pagination import count_serially

    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql.split(" FROM ")[0] if sql.startswith("SELECT") else sql)
        return execute(sql, params, many, context)

    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        before = cursor.fetchone()[0]
    with connection.execute_wrapper(record):
        assert count_serially(Post.objects.order_by()[:6]) == 6
    assert statements == [
        "SET max_parallel_workers_per_gather = 0",
        "SELECT COUNT(*)",
        "RESET max_parallel_workers_per_gather",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == before
