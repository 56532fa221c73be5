"""The review queue a page at a time (50 items): one order across kinds (soonest deadline, then
kind, then pk) kept from page to page, filters by kind, deadline and region, the numbers from
grouped queries, the scope on every page, and a query count that does not grow with the queue."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from jianxi_portal.core import review_queue, views_review
from jianxi_portal.core.review import ReviewStatus
from jianxi_portal.core.review_queue import PendingQueue, QueueFilter, QueueItem, due_bounds
from jianxi_portal.core.workdays import Calendar, add_working_days
from positions.tests.factories import SubmittedPostFactory
from subsidies.models import Claim
from subsidies.tests.factories import ClaimFactory
from trainees.tests.factories import PlacementFactory
from units.models import Unit
from units.tests.factories import ApprovedUnitFactory, SubmittedUnitFactory, UnitFactory

D1, D2, D3, D4 = date(2030, 3, 4), date(2030, 3, 5), date(2030, 3, 6), date(2030, 3, 7)


@pytest.fixture(autouse=True)
def _fixed_day():
    """Every test here on one fixed day (10:00 Beijing): "today", the working days left and the
    deadlines counted from it never depend on the day the suite runs."""
    with time_machine.travel(datetime(2026, 12, 3, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


def pending(kind: str, deadline: date | None, region_code: str = "changchun"):
    """A submitted item of `kind` in `region_code` due on `deadline`."""
    extra = {"submitted_at": timezone.now(), "review_deadline": deadline}
    if kind == "unit":
        return SubmittedUnitFactory(region_code=region_code, **extra)
    if kind == "post":
        return SubmittedPostFactory(unit=ApprovedUnitFactory(region_code=region_code), **extra)
    if kind == "filing":
        return PlacementFactory(post__unit__region_code=region_code, filing_status=ReviewStatus.SUBMITTED, **extra)
    return ClaimFactory(unit__region_code=region_code, status=Claim.Status.SUBMITTED, **extra)


def due_in(working_days: int) -> date:
    """A deadline `working_days` working days from today (negative: that many days overdue)."""
    today, calendar = timezone.localdate(), Calendar()
    if working_days >= 0:
        return calendar.add_working_days(today, working_days)
    deadline = today
    while calendar.working_days_between(today, deadline) > working_days:
        deadline -= timedelta(days=1)
    return deadline


def listed(response) -> list[tuple[str, int]]:
    table = response.content.decode().split('<table class="data review-queue">')[1].split("</table>")[0]
    return [(kind, int(pk)) for kind, pk in re.findall(r'data-kind="(\w+)" data-pk="(\d+)"', table)]


def key(obj) -> tuple[str, int]:
    kind = {"Unit": "unit", "Post": "post", "Placement": "filing", "Claim": "claim"}[type(obj).__name__]
    return kind, obj.pk


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(views_review, "QUEUE_PAGE_SIZE", 4)


@pytest.fixture
def mixed_queue(db):
    """Nine items of 长春市 over four deadlines and four kinds, one without a deadline, and an item
    of 吉林市 due first. In queue order (deadline; at equal deadlines claim < filing < post < unit):
    D1 f2 p1 u2 | D2 c1 f1 u1 | D3 p2 u3 | D4 c2 | none u0."""
    items = {
        "u1": pending("unit", D2),
        "p1": pending("post", D1),
        "f1": pending("filing", D2),
        "c1": pending("claim", D2),
        "u2": pending("unit", D1),
        "p2": pending("post", D3),
        "u3": pending("unit", D3),
        "c2": pending("claim", D4),
        "f2": pending("filing", D1),
        "u0": pending("unit", None),
        "jl": pending("post", D1 - timedelta(days=1), region_code="jilin"),
    }
    return {name: key(obj) for name, obj in items.items()}


def test_page_two_has_the_next_items_in_deadline_order_across_kinds(city_cc, client_for, mixed_queue, small_pages):
    q = mixed_queue
    client = client_for(city_cc)
    assert listed(client.get(reverse("review_queue"))) == [q["f2"], q["p1"], q["u2"], q["c1"]]
    second = client.get(reverse("review_queue") + "?page=2")
    assert listed(second) == [q["f1"], q["u1"], q["p2"], q["u3"]]
    assert listed(client.get(reverse("review_queue") + "?page=3")) == [q["c2"], q["u0"]]
    page = second.content.decode()
    assert (
        "第 2 / 3 页" in page
        and 'href="?page=1" rel="prev">上一页' in page
        and 'href="?page=3" rel="next">下一页' in page
    )
    assert "共 10 项待审核" in page and "本页显示第 5–8 项" in page
    assert 'name="next" value="/review/?page=2"' in page  # a decision returns to this page


def test_the_pages_together_are_the_whole_queue_in_order_with_working_days_left(city_cc, province_user, mixed_queue):
    q = mixed_queue
    city_order = [q[n] for n in ("f2", "p1", "u2", "c1", "f1", "u1", "p2", "u3", "c2", "u0")]
    calendar = Calendar()
    for user, expected in ((city_cc, city_order), (province_user, [q["jl"], *city_order])):
        queue = PendingQueue(user)
        paged = [item for start in range(0, queue.count(), 3) for item in queue[start : start + 3]]
        assert [(i.source.key, i.obj.pk) for i in paged] == expected
        assert [i.days_left for i in paged] == [
            calendar.working_days_between(timezone.localdate(), i.deadline) if i.deadline else None for i in paged
        ]
    assert PendingQueue(province_user).count() == 11 and PendingQueue(city_cc).count() == 10


def test_filters_keep_the_order_and_the_page_links_keep_the_filters(city_cc, client_for, mixed_queue, small_pages):
    q = mixed_queue
    client = client_for(city_cc)
    units = client.get(reverse("review_queue") + "?kind=unit")
    assert listed(units) == [q["u2"], q["u1"], q["u3"], q["u0"]]
    assert listed(client.get(reverse("review_queue") + "?kind=claim")) == [q["c1"], q["c2"]]
    for _ in range(5):
        pending("post", D4)
    posts = client.get(reverse("review_queue") + "?kind=post&page=2")
    assert len(listed(posts)) == 3
    page = posts.content.decode()
    assert 'href="?kind=post&amp;page=1" rel="prev"' in page and "第 2 / 2 页" in page
    assert '<option value="post" selected>见习岗位（7）</option>' in page
    assert (
        '<option value="unit">见习单位（4）</option>' in page and '<option value="claim">补贴申领（2）</option>' in page
    )


def test_deadline_filters_show_overdue_and_due_soon_items_with_their_totals(city_cc, client_for):
    late_unit, late_claim = pending("unit", due_in(-3)), pending("claim", due_in(-1))
    today_post, soon_filing = pending("post", due_in(0)), pending("filing", due_in(3))
    pending("unit", due_in(4))
    pending("post", due_in(-2), region_code="jilin")
    client = client_for(city_cc)
    overdue = client.get(reverse("review_queue") + "?due=overdue")
    assert listed(overdue) == [key(late_unit), key(late_claim)]
    soon = client.get(reverse("review_queue") + "?due=soon")
    assert listed(soon) == [key(today_post), key(soon_filing)]
    text = soon.content.decode()
    assert '共 5 项待审核，其中 3个工作日内到期 2 项，已逾期 <span class="overdue-text">2</span> 项' in text
    assert "当前筛选：3个工作日内到期，2 项" in text
    late_units = client.get(reverse("review_queue") + "?due=overdue&kind=unit")
    assert listed(late_units) == [key(late_unit)]


def test_province_filters_by_region_and_the_region_summary_follows_the_kind(province_user, client_for, mixed_queue):
    q = mixed_queue
    client = client_for(province_user)
    jilin = client.get(reverse("review_queue") + "?region=jilin")
    assert listed(jilin) == [q["jl"]]
    assert '<option value="jilin" selected>吉林市</option>' in jilin.content.decode()
    everything = client.get(reverse("review_queue"))
    assert listed(everything)[0] == q["jl"] and len(listed(everything)) == 11
    claims = client.get(reverse("review_queue") + "?kind=claim").content.decode()
    summary = claims.split('<table class="data region-summary">')[1].split("</table>")[0]
    assert '长春市</a></th>\n      <td class="num">2</td>' in summary
    assert '吉林市</a></th>\n      <td class="num">0</td>' in summary
    assert "共 2 项待审核" in claims


def test_a_city_never_sees_another_regions_items_on_any_page_or_filter(city_jl, client_for, mixed_queue, small_pages):
    for _ in range(6):
        pending("unit", D1, region_code="jilin")
    client = client_for(city_jl)
    first = client.get(reverse("review_queue"))
    assert first.context["page"].paginator.num_pages == 2
    seen = listed(first) + listed(client.get(reverse("review_queue") + "?page=2"))
    assert len(seen) == 7 and mixed_queue["jl"] in seen
    assert not set(seen) & {v for name, v in mixed_queue.items() if name != "jl"}
    for query in ("?kind=claim", "?kind=filing", "?region=changchun", "?region=changchun&kind=unit&page=2"):
        response = client.get(reverse("review_queue") + query)
        assert not set(listed(response)) & set(mixed_queue.values()) - {mixed_queue["jl"]}, query
    claims = client.get(reverse("review_queue") + "?kind=claim")
    assert listed(claims) == [] and "暂无待审核事项" in claims.content.decode()
    assert "共 0 项待审核" in claims.content.decode()


def test_invalid_page_numbers_give_the_last_or_first_page_like_the_other_lists(
    city_cc, client_for, mixed_queue, small_pages
):
    client = client_for(city_cc)
    for number, expected in (("99", 3), ("0", 3), ("-1", 3), ("abc", 1), ("", 1)):
        response = client.get(reverse("review_queue") + f"?page={number}")
        assert response.status_code == 200 and response.context["page"].number == expected, number


def test_fifty_a_page_and_working_days_left_only_for_the_page(city_cc, client_for, monkeypatch):
    deadline = add_working_days(timezone.localdate(), 10)
    units = [
        UnitFactory.build(status=Unit.Status.SUBMITTED, submitted_at=timezone.now(), review_deadline=deadline)
        for _ in range(51)
    ]
    Unit.objects.bulk_create(units)
    counted = []
    original = Calendar.working_days_between
    monkeypatch.setattr(Calendar, "working_days_between", lambda self, a, b: counted.append(b) or original(self, a, b))
    response = client_for(city_cc).get(reverse("review_queue"))
    assert len(listed(response)) == 50 and len(counted) == 50
    assert "第 1 / 2 页" in response.content.decode()
    assert len(listed(client_for(city_cc).get(reverse("review_queue") + "?page=2"))) == 1


MAX_QUERIES = 13


@pytest.mark.parametrize("who", ["city_cc", "province_user"])
def test_a_page_costs_the_same_queries_for_5_and_200_items(who, request, client_for, django_assert_max_num_queries):
    """Session and user; the calendar of the weeks around today (one query, also across New Year);
    the grouped counts; the page's keys (one UNION); one query per kind on the page (four here);
    the calendar grown to the page's deadlines; the years whose holiday arrangement is complete
    (for 「暂定」, deadlines beyond the package's years); the city's region or the province's
    regions; the unread notifications in the header."""
    user = request.getfixturevalue(who)
    client = client_for(user)
    for kind, deadline in (("filing", D1), ("claim", D1), ("unit", D2), ("post", D2), ("post", D3)):
        pending(kind, deadline)
    with django_assert_max_num_queries(MAX_QUERIES) as few:
        assert len(listed(client.get(reverse("review_queue")))) == 5
    unit = ApprovedUnitFactory()
    Unit.objects.bulk_create(
        UnitFactory.build(status=Unit.Status.SUBMITTED, submitted_at=timezone.now(), review_deadline=D4)
        for _ in range(100)
    )
    SubmittedPostFactory._meta.model.objects.bulk_create(
        SubmittedPostFactory.build(unit=unit, review_deadline=D3) for _ in range(95)
    )
    with django_assert_max_num_queries(MAX_QUERIES) as many:
        response = client.get(reverse("review_queue"))
    assert response.context["page"].paginator.count == 200 and len(listed(response)) == 50
    assert len(many.captured_queries) == len(few.captured_queries)


def test_due_bounds_on_new_years_eve_load_both_years_in_one_query(db, django_assert_num_queries):
    """On 31 December the 4th working day ahead is in the next year: the overrides of both years
    come in one query (and the complete years in one), so a queue page costs the same on any day."""
    with django_assert_num_queries(2):
        bounds = due_bounds(date(2027, 12, 31), Calendar())
    assert bounds.overdue_before == date(2027, 12, 31) and bounds.soon_before.year == 2028


def test_due_bounds_agree_with_working_days_left_around_national_day(db):
    """For every day from 2025-09-20 to 2025-10-20 (National Day week, the adjusted working
    Sunday 09-28 and Saturday 10-11) and every deadline within 30 days of it, the two dates say
    overdue / due soon exactly when the working days left do."""
    calendar = Calendar()
    for t in range(31):
        today = date(2025, 9, 20) + timedelta(days=t)
        bounds = due_bounds(today, calendar)
        for d in range(-30, 31):
            deadline = today + timedelta(days=d)
            item = QueueItem(None, None, deadline, calendar.working_days_between(today, deadline))
            assert (deadline < bounds.overdue_before) == item.overdue, (today, deadline)
            assert (bounds.overdue_before <= deadline < bounds.soon_before) == item.due_soon, (today, deadline)


def test_home_card_counts_the_queue_without_loading_it(city_cc, client_for, monkeypatch):
    pending("unit", due_in(-1))
    pending("post", due_in(2))
    pending("claim", due_in(9))
    monkeypatch.setattr(review_queue.PendingQueue, "__getitem__", lambda *a, **k: pytest.fail("loads items"))
    totals = review_queue.queue_totals(city_cc)
    assert totals == {"pending": 3, "overdue": 1, "due_soon": 1}
    home = client_for(city_cc).get("/").content.decode()
    assert "3个工作日内到期 1 项，已逾期 1 项" in home


def test_an_unknown_kind_on_the_page_is_a_400_and_unregistered_kinds_select_nothing(city_cc, client_for, mixed_queue):
    assert client_for(city_cc).get(reverse("review_queue") + "?kind=nothing").status_code == 400
    assert len(listed(client_for(city_cc).get(reverse("review_queue") + "?region=nowhere"))) == 10
    assert PendingQueue(city_cc, QueueFilter(kinds=("nothing",))).count() == 0
    assert PendingQueue(city_cc, QueueFilter(kinds=("nothing",)))[0:50] == []
