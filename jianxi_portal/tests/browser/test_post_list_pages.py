"""The public post list's pages in a browser, desktop and phone: 下一页 (a keyset cursor) and
上一页 by mouse, the second page's rows and figures, the total filled in after load by the page's
script (static/js/post_count.js) into its aria-live region, the page without JavaScript (the link
「统计总数」 counts on the page), no page wider than the screen, and axe-core's WCAG 2.1 A/AA check
with 0 critical and 0 serious violations on the second page."""

import pytest
from playwright.sync_api import expect

from jianxi_portal.tests.browser.conftest import ARTIFACTS
from jianxi_portal.tests.browser.test_accessibility import scan
from positions.tests.factories import ApprovedPostFactory
from units.tests.factories import ApprovedUnitFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1366, 390])
def test_next_and_previous_pages_by_mouse_on_desktop_and_phone(live_server, page, shot, width):
    page.set_viewport_size({"width": width, "height": 900})
    unit = ApprovedUnitFactory(name="长春翻页测试公司")
    for n in range(25):
        ApprovedPostFactory(unit=unit, title=f"翻页岗位{n:02d}", allowance=2000 + n)
    page.goto(live_server.url + "/posts/?sort=allowance")
    expect(page.locator("#post-count")).to_have_text("共 25 个在招岗位，本页为第 1–20 个")  # filled in by the script
    expect(page.locator("#post-total")).to_have_attribute("aria-live", "polite")
    assert page.locator("table.post-list tbody tr").count() == 20
    page.get_by_role("link", name="下一页").click()
    page.wait_for_url("**after=**")
    assert "sort=allowance" in page.url
    expect(page.locator("#post-count")).to_have_text("共 25 个在招岗位，本页为第 21–25 个")
    rows = page.locator("table.post-list tbody tr")
    assert rows.count() == 5 and "翻页岗位04" in rows.first.inner_text()  # the lowest allowances last
    assert page.locator(".pagination [aria-current=page]").inner_text() == "第 2 页"  # the page itself counts nothing
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(f"post-list-page-2-{width}")
    blocking = scan(page, f"anonymous /posts/ page 2 @{width}")
    assert blocking == []
    page.get_by_role("link", name="上一页").click()
    page.wait_for_url("**page=1**")
    assert page.locator("table.post-list tbody tr").count() == 20
    assert "翻页岗位24" in page.locator("table.post-list tbody tr").first.inner_text()


@pytest.mark.parametrize("width", [1366, 390])
def test_without_javascript_the_list_is_complete_and_counts_on_request(live_server, browser, width):
    context = browser.new_context(java_script_enabled=False, viewport={"width": width, "height": 900})
    page = context.new_page()
    unit = ApprovedUnitFactory(name="长春无脚本测试公司")
    for n in range(25):
        ApprovedPostFactory(unit=unit, title=f"无脚本岗位{n:02d}", allowance=2000 + n)
    page.goto(live_server.url + "/posts/?sort=allowance")
    assert page.locator("#post-count").inner_text() == "统计总数，本页为第 1–20 个"
    assert page.locator("table.post-list tbody tr").count() == 20
    page.get_by_role("link", name="统计总数").click()
    page.wait_for_url("**count=1**")
    assert page.locator("#post-count").inner_text() == "共 25 个在招岗位，本页为第 1–20 个"
    assert page.locator(".pagination [aria-current=page]").inner_text() == "第 1 / 2 页"
    page.get_by_role("link", name="下一页").click()
    page.wait_for_url("**after=**")
    assert page.locator("table.post-list tbody tr").count() == 5
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(live_server.url + "/posts/?sort=allowance")
    page.screenshot(path=str(ARTIFACTS / f"post-list-no-js-{width}.png"), full_page=True)
    context.close()
