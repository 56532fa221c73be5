"""The public post list's pages by keyset (jianxi_portal/core/pagination.py `KeysetPaginator`):
下一页 carries the last row's sort key in an opaque cursor, so following the links shows every
published post once, in the chosen order, ties broken by id; an older `?page=N` link shows the
same rows as before; a cursor the list did not write is a 400; a deep page costs the same number
of queries as the first and reads no OFFSET."""

import base64
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jianxi_portal.core import pagination
from positions.selectors import PostFilters, posts_public
from positions.tests.factories import ApprovedPostFactory
from units.tests.factories import ApprovedUnitFactory


@pytest.fixture
def ties(db, monkeypatch):
    """Fourteen posts with many equal keys: four days, three allowances, closing dates with NULLs."""
    monkeypatch.setattr("positions.views.PAGE_SIZE", 3)
    today = timezone.localdate()
    unit = ApprovedUnitFactory()
    posts = []
    for n in range(14):
        posts.append(
            ApprovedPostFactory(
                unit=unit,
                title=f"并列岗位{n:02d}",
                published_on=today - timedelta(days=n % 4),
                allowance=("2000.00", "2500.00", "2000.00")[n % 3],
                closing_date=None if n % 5 == 0 else today + timedelta(days=10 * (n % 2)),
            )
        )
    return posts


def titles(html: str) -> list[str]:
    return [cell.split("<")[0] for cell in html.split('">并列岗位')[1:]]


def next_query(html: str) -> str | None:
    if 'rel="next"' not in html:
        return None
    return html.split('rel="next"')[0].rsplit('href="?', 1)[1].split('"')[0].replace("&amp;", "&")


def walk(params: str) -> list[list[str]]:
    pages, query = [], params
    while query is not None:
        response = Client().get(reverse("post_list") + "?" + query)
        assert response.status_code == 200
        html = response.content.decode()
        pages.append(titles(html))
        query = next_query(html)
        assert len(pages) < 20
    return pages


@pytest.mark.parametrize("sort", ["", "allowance", "closing"])
def test_following_next_shows_every_post_once_in_the_chosen_order(ties, sort):
    expected = [p.title.removeprefix("并列岗位") for p in posts_public(PostFilters(sort=sort))]
    pages = walk(f"sort={sort}" if sort else "")
    assert [len(page) for page in pages] == [3, 3, 3, 3, 2]
    assert [t for page in pages for t in page] == expected


def test_the_next_link_is_an_opaque_cursor_tied_to_the_sort_and_carrying_the_page_number(ties):
    html = Client().get(reverse("post_list"), {"sort": "allowance"}).content.decode()
    query = next_query(html)
    assert query.startswith("sort=allowance&after=") and "page=" not in query
    second = Client().get(reverse("post_list") + "?" + query).content.decode()
    assert "第 2 页" in second and "本页为第 4–6 个" in second  # not counted: no "/ 5"
    assert 'href="?sort=allowance&amp;page=1" rel="prev"' in second
    # the same cursor under another sort is refused, in Chinese, naming the parameter
    cursor = query.split("after=")[1]
    other = Client().get(reverse("post_list"), {"sort": "closing", "after": cursor})
    assert other.status_code == 400 and "翻页链接已失效" in other.content.decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "not-base64!",
        base64.urlsafe_b64encode(b"{}").decode(),
        base64.urlsafe_b64encode(json.dumps(["", ["x", 1], 2]).encode()).decode(),  # not a date
        base64.urlsafe_b64encode(json.dumps(["", ["2026-01-01"], 2]).encode()).decode(),  # too few keys
        base64.urlsafe_b64encode(json.dumps(["", ["2026-01-01", 1], 0]).encode()).decode(),  # page 0
        base64.urlsafe_b64encode(json.dumps(["", [None, 1], 2]).encode()).decode(),  # NULL where none sorts
        base64.urlsafe_b64encode(json.dumps(["", ["2026-01-01", 2**70], 2]).encode()).decode(),  # beyond bigint
        base64.urlsafe_b64encode(json.dumps(["", ["2026-01-01", 1], 10**12]).encode()).decode(),  # page number
        base64.urlsafe_b64encode(json.dumps(["", [["2026-01-01"], 1], 2]).encode()).decode(),  # not a scalar
        base64.urlsafe_b64encode(json.dumps(["allowance", ["1e999999", "2026-01-01", 1], 2]).encode()).decode(),
    ],
)
def test_a_cursor_the_list_did_not_write_is_a_400(ties, cursor):
    sort = "allowance" if b"allowance" in base64.urlsafe_b64decode(cursor + "==") else ""
    response = Client().get(reverse("post_list"), {"after": cursor, "sort": sort})
    assert response.status_code == 400 and "翻页位置" in response.content.decode()


def test_an_old_page_link_shows_the_same_rows_and_leads_on_by_cursor(ties):
    expected = [p.title.removeprefix("并列岗位") for p in posts_public(PostFilters())]
    html = Client().get(reverse("post_list"), {"page": 3}).content.decode()
    assert titles(html) == expected[6:9] and "第 3 页" in html
    after = Client().get(reverse("post_list") + "?" + next_query(html)).content.decode()
    assert titles(after) == expected[9:12] and "第 4 页" in after


def test_an_old_link_past_the_end_shows_the_last_page(ties):
    html = Client().get(reverse("post_list"), {"page": 99}).content.decode()
    assert "第 5 / 5 页" in html and len(titles(html)) == 2 and 'rel="next"' not in html


def test_a_page_number_the_list_cannot_read_is_a_400(ties):
    assert Client().get(reverse("post_list"), {"page": "abc"}).status_code == 400
    assert Client().get(reverse("post_list"), {"page": "0"}).status_code == 400


def test_the_count_stops_at_its_bound_however_deep_the_page(ties, monkeypatch):
    monkeypatch.setattr(pagination, "PUBLIC_COUNT_BOUND", 5)
    pages = walk("")
    assert len(pages) == 5
    html = Client().get(reverse("post_list"), {"page": 4, "count": 1}).content.decode()
    assert "超过 5 个在招岗位" in html and "第 4 页" in html and "末页" not in html


def test_a_first_page_holding_every_row_is_not_counted_again(db):
    ApprovedPostFactory(title="并列岗位01")
    with CaptureQueriesContext(connection) as ctx:
        html = Client().get(reverse("post_list")).content.decode()
    assert "共 1 个在招岗位" in html
    assert not [q for q in ctx.captured_queries if "COUNT(" in q["sql"]]


def test_a_deep_keyset_page_costs_the_queries_of_the_first_and_reads_no_offset(ties):
    def run(query: str):
        with CaptureQueriesContext(connection) as ctx:
            html = Client().get(reverse("post_list") + "?" + query).content.decode()
        return html, ctx.captured_queries

    html, first = run("")
    for _ in range(3):
        html, queries = run(next_query(html))
    # The first page: regions for the filter form, the page, the count (on PostgreSQL wrapped in
    # SET/RESET of its parallel workers, jianxi_portal/core/pagination.py). A deeper one: the page,
    # the count; the filter form is the one kept from the first (positions.views._filters_form).
    assert len(first) <= (5 if connection.vendor == "postgresql" else 3)
    assert len(queries) == len(first) - 1
    page_sql = [q["sql"] for q in queries if "并列" not in q["sql"] and "LIMIT" in q["sql"] and "COUNT" not in q["sql"]]
    assert page_sql and all("OFFSET" not in sql for sql in page_sql)


@pytest.fixture(autouse=True)
def _no_remembered_counts():
    """Counts that stopped at their bound are remembered (`count_bounded`); each test counts anew."""
    from django.core.cache import cache

    cache.clear()


def test_a_capped_count_is_remembered_for_the_same_list_whatever_the_sort_or_page(ties, monkeypatch):
    monkeypatch.setattr(pagination, "PUBLIC_COUNT_BOUND", 5)

    def counts(params):
        with CaptureQueriesContext(connection) as ctx:
            html = Client().get(reverse("post_list"), params).content.decode()
        assert "超过 5 个在招岗位" in html
        return len([q for q in ctx.captured_queries if "COUNT(" in q["sql"]])

    assert counts({"count": 1}) == 1  # counted once (统计总数, or the page's script: post_list_count)
    assert counts({"page": 3}) == 0 and counts({"sort": "allowance"}) == 0  # then shown at once
    assert counts({"sort": "allowance", "q": "并列", "count": 1}) == 1  # another list: counted


# The total off the page's critical path (positions.views.post_list, post_list_count) -----------


def count_queries(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]


def test_the_page_runs_no_count_when_nothing_is_remembered(ties):
    for params in ({}, {"sort": "allowance"}, {"page": 3}):
        with CaptureQueriesContext(connection) as ctx:
            html = Client().get(reverse("post_list"), params).content.decode()
        assert not count_queries(ctx), params
        assert 'rel="next"' in html and "在招岗位" not in html and "末页" not in html
    # what it shows instead: the rows' place, a link that counts without JavaScript, and the URL the
    # page's script asks, in an aria-live region
    html = Client().get(reverse("post_list"), {"sort": "allowance"}).content.decode()
    assert '<span id="post-total" aria-live="polite"' in html
    assert 'data-count-url="/posts/count/?sort=allowance"' in html
    assert '<a href="?sort=allowance&amp;count=1">统计总数</a></span>，本页为第 1–3 个' in html
    assert "js/post_count.js" in html
    deep = Client().get(reverse("post_list") + "?" + next_query(html))
    with CaptureQueriesContext(connection) as ctx:
        Client().get(reverse("post_list") + "?" + next_query(deep.content.decode()))
    assert not count_queries(ctx) and len(ctx.captured_queries) == 1  # the page's rows, nothing else


def test_without_javascript_the_link_counts_on_the_page_and_the_page_is_complete(ties):
    html = Client().get(reverse("post_list"), {"sort": "allowance", "count": 1}).content.decode()
    assert "共 14 个在招岗位</span>，本页为第 1–3 个" in html and "第 1 / 5 页" in html and "末页" in html
    assert "统计总数" not in html and "data-count-url" not in html and "js/post_count.js" not in html
    assert 'href="?sort=allowance&amp;after=' in html  # 下一页 keeps the sort, not the count


@pytest.mark.parametrize("params", [{}, {"sort": "allowance"}, {"q": "并列岗位0"}, {"q": "没有这样的岗位"}])
def test_the_count_endpoint_answers_the_rows_of_the_list(ties, params):
    rows = sum(len(page) for page in walk("&".join(f"{k}={v}" for k, v in params.items())))
    response = Client().get(reverse("post_list_count"), params)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = response.json()
    assert body == {"count": rows, "capped": False, "text": f"共 {rows} 个在招岗位"}


def test_the_count_endpoint_stops_at_the_bound_and_remembers_it_for_the_list(ties, monkeypatch):
    monkeypatch.setattr(pagination, "PUBLIC_COUNT_BOUND", 5)
    body = Client().get(reverse("post_list_count")).json()
    assert body["count"] == 5 and body["capped"] and body["text"].startswith("超过 5 个在招岗位")
    with CaptureQueriesContext(connection) as ctx:
        html = Client().get(reverse("post_list"), {"sort": "closing"}).content.decode()
    assert not count_queries(ctx) and "超过 5 个在招岗位" in html and "data-count-url" not in html


def test_the_count_endpoint_refuses_bad_filters_politely(ties):
    response = Client().get(reverse("post_list_count"), {"region": "<script>", "sort": "nonsense"})
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    errors = response.json()
    assert errors and all(isinstance(m, str) and m for ms in errors.values() for m in ms)
    assert not any("<script>" in m for ms in errors.values() for m in ms)
