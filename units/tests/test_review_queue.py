"""The review queue page (generic over every registered kind) and the generic decision view."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jianxi_portal.core import review_queue
from jianxi_portal.core.models import ReviewLog
from jianxi_portal.core.workdays import add_working_days
from positions.models import Post
from positions.tests.factories import SubmittedPostFactory
from units.models import Unit
from units.tests.factories import SubmittedUnitFactory


def with_deadline(obj, working_days_from_today):
    """Move `obj`'s deadline so that it is due in `working_days_from_today` (negative: overdue)."""
    today = timezone.localdate()
    if working_days_from_today >= 0:
        deadline = add_working_days(today, working_days_from_today)
    else:
        deadline = today - timedelta(days=1)
        while _days_left(deadline) > working_days_from_today:
            deadline -= timedelta(days=1)
    type(obj).objects.filter(pk=obj.pk).update(review_deadline=deadline)
    return deadline


def _days_left(deadline):
    from jianxi_portal.core.review import working_days_left

    return working_days_left(deadline)


def rows(html):
    return html.split('<table class="data review-queue">')[1].split("</table>")[0]


def test_city_queue_sorted_by_deadline_with_due_soon_and_overdue_highlighted(city_cc, client_for):
    relaxed = SubmittedUnitFactory(name="宽裕单位")
    soon = SubmittedPostFactory(title="临期岗位")
    late = SubmittedUnitFactory(name="逾期单位")
    with_deadline(relaxed, 10)
    with_deadline(soon, 2)
    with_deadline(late, -1)
    SubmittedUnitFactory(name="吉林单位", region_code="jilin")
    html = rows(client_for(city_cc).get(reverse("review_queue")).content.decode())
    assert html.index("逾期单位") < html.index("临期岗位") < html.index("宽裕单位")
    assert "吉林单位" not in html
    assert f'<tr class="overdue" data-kind="unit" data-pk="{late.pk}">' in html
    assert f'<tr class="due-soon" data-kind="post" data-pk="{soon.pk}">' in html
    assert f'<tr class="" data-kind="unit" data-pk="{relaxed.pk}">' in html
    assert "逾期1" in html


def test_province_sees_every_region_and_overdue_counts_per_region(province_user, client_for):
    for name in ("长春逾期一", "长春逾期二"):
        with_deadline(SubmittedUnitFactory(name=name), -2)
    SubmittedUnitFactory(name="长春正常")
    with_deadline(SubmittedPostFactory(unit=SubmittedUnitFactory(region_code="jilin"), title="吉林逾期岗位"), -1)
    page = client_for(province_user).get(reverse("review_queue")).content.decode()
    summary = page.split('<table class="data region-summary">')[1].split("</table>")[0]
    changchun = summary.split("长春市</a>")[1].split("</tr>")[0]
    assert '<td class="num">3</td>' in changchun
    assert '<a class="overdue-text" href="?region=changchun&amp;due=overdue">2</a>' in changchun
    jilin = summary.split("吉林市</a>")[1].split("</tr>")[0]
    assert (
        '<td class="num">2</td>' in jilin
        and '<a class="overdue-text" href="?region=jilin&amp;due=overdue">1</a>' in jilin
    )
    assert "长春正常" in page and "吉林逾期岗位" in page
    assert "提交审核结论" not in page  # the province reads, cities decide
    only_jilin = rows(client_for(province_user).get(reverse("review_queue") + "?region=jilin").content.decode())
    assert "吉林逾期岗位" in only_jilin and "长春正常" not in only_jilin
    for query in ("?region=changchun&due=overdue", "?region=changchun&overdue=1"):  # and links made before
        overdue_cc = rows(client_for(province_user).get(reverse("review_queue") + query).content.decode())
        assert "长春逾期一" in overdue_cc and "长春逾期二" in overdue_cc and "长春正常" not in overdue_cc


def test_decisions_from_the_queue_return_to_it(city_cc, client_for):
    unit = SubmittedUnitFactory(name="退回单位")
    client = client_for(city_cc)
    response = client.post(
        reverse("review_decide", args=["unit", unit.pk]),
        {"action": "return", "opinion": "请上传营业执照", "next": reverse("review_queue")},
    )
    assert response.url == reverse("review_queue")
    unit.refresh_from_db()
    assert unit.status == Unit.Status.RETURNED
    log = ReviewLog.objects.get(object_id=unit.pk)
    assert (log.action, log.from_status, log.to_status, log.by, log.opinion) == (
        "return",
        "submitted",
        "returned",
        city_cc,
        "请上传营业执照",
    )


def test_decision_view_ignores_an_offsite_next(city_cc, client_for):
    unit = SubmittedUnitFactory()
    response = client_for(city_cc).post(
        reverse("review_decide", args=["unit", unit.pk]), {"action": "approve", "next": "https://evil.example/"}
    )
    # the offsite address is dropped for the item's own page, and a decision there moves on to the
    # next item of the queue (none left here: the queue itself)
    assert response.url == reverse("review_queue")


def test_unknown_kind_is_a_404(city_cc, client_for):
    assert (
        client_for(city_cc).post(reverse("review_decide", args=["nothing", 1]), {"action": "approve"}).status_code
        == 404
    )


@pytest.fixture
def plain_source():
    """Another app's kind without its own service: the generic view falls back to the workflow."""
    source = review_queue.QueueSource(
        key="test_plain_unit",
        label="测试事项",
        model=Unit,
        title=lambda u: f"测试：{u.name}",
        url=lambda u: reverse("unit_detail", args=[u.pk]),
    )
    review_queue.register(source)
    yield source
    review_queue.SOURCES.pop(source.key)


def test_any_registered_source_is_listed_and_decided_generically(city_cc, client_for, plain_source):
    unit = SubmittedUnitFactory(name="通用来源")
    client = client_for(city_cc)
    page = client.get(reverse("review_queue") + "?kind=test_plain_unit").content.decode()
    assert "测试事项" in page and "测试：通用来源" in page
    client.post(reverse("review_decide", args=["test_plain_unit", unit.pk]), {"action": "approve"})
    assert Unit.objects.get(pk=unit.pk).status == Unit.Status.APPROVED


def test_queue_query_count_does_not_grow_with_items(city_cc, client_for):
    client = client_for(city_cc)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("review_queue")).status_code == 200
        return len(ctx.captured_queries)

    SubmittedUnitFactory()
    SubmittedPostFactory()
    few = count()
    for _ in range(8):
        SubmittedUnitFactory()
        SubmittedPostFactory()
    assert count() == few


def test_queue_query_count_for_the_province_does_not_grow_with_items(province_user, client_for):
    client = client_for(province_user)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("review_queue"))
        return len(ctx.captured_queries)

    SubmittedPostFactory()  # both kinds present: the page loads each kind on it with one query
    SubmittedUnitFactory()
    few = count()
    for code in ("jilin", "siping", "yanbian", "changchun"):
        SubmittedUnitFactory(region_code=code)
        SubmittedPostFactory(unit=SubmittedUnitFactory(region_code=code))
    assert count() == few


def test_post_detail_shows_deadline_and_working_days_left(city_cc, client_for):
    post = SubmittedPostFactory()
    page = client_for(city_cc).get(reverse("post_detail", args=[post.pk])).content.decode()
    assert f"{add_working_days(timezone.localdate(), 15):%Y-%m-%d}" in page
    assert "15 个工作日" in page
    assert "提交审核结论" in page
    assert Post.objects.get(pk=post.pk).status == Post.Status.SUBMITTED
