"""Journey: a city reviewer opens the review queue, sees the working days left, returns one post
with an opinion and approves another; the employer sees both outcomes."""

import pytest

from jianxi_portal.core.review import working_days_left
from positions.models import Post
from positions.tests.factories import SubmittedPostFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_city_returns_one_item_and_approves_another_and_the_employer_sees_both(
    live_server, page, login_as, city_cc, employer_a, unit_a, shot
):
    to_return = SubmittedPostFactory(unit=unit_a, title="行政文员见习岗位")
    to_approve = SubmittedPostFactory(unit=unit_a, title="软件测试见习岗位")
    days = working_days_left(to_return.review_deadline)

    login_as(city_cc)
    page.goto(f"{live_server.url}/review/")
    assert page.get_by_role("heading", name="审核队列（长春市）").is_visible()
    row_return = page.locator("table.review-queue tbody tr", has_text="行政文员见习岗位")
    row_approve = page.locator("table.review-queue tbody tr", has_text="软件测试见习岗位")
    assert row_return.locator("td.num").inner_text() == str(days)
    assert days >= 14  # submitted today: 15 working days from tomorrow
    shot("city-review-queue")

    row_return.get_by_label("退回", exact=True).check()
    row_return.get_by_label("审核意见").fill("岗位职责描述过于笼统，请补充具体见习内容。")
    row_return.get_by_role("button", name="提交审核结论").click()
    page.wait_for_url("**/review/")
    assert "已退回：" in page.locator(".messages, main").first.inner_text()
    assert page.locator("table.review-queue tbody tr", has_text="行政文员见习岗位").count() == 0

    row_approve.get_by_label("通过", exact=True).check()
    row_approve.get_by_role("button", name="提交审核结论").click()
    page.wait_for_url("**/review/")
    assert page.locator("table.review-queue tbody tr", has_text="软件测试见习岗位").count() == 0
    shot("city-review-queue-after")

    login_as(employer_a)
    page.goto(f"{live_server.url}/manage/posts/")
    returned = page.locator("table.data tbody tr", has_text="行政文员见习岗位")
    approved = page.locator("table.data tbody tr", has_text="软件测试见习岗位")
    assert returned.locator("span.status").inner_text() == Post.Status.RETURNED.label
    assert approved.locator("span.status").inner_text() == Post.Status.APPROVED.label
    shot("employer-post-outcomes")
    returned.get_by_role("link", name="行政文员见习岗位").click()
    assert "岗位职责描述过于笼统，请补充具体见习内容。" in page.locator("table.history").inner_text()
    shot("employer-returned-post")
    assert Post.objects.get(pk=to_approve.pk).status == Post.Status.APPROVED
