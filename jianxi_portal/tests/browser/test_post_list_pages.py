"""The public post list's pages in a browser, desktop and phone: 下一页 (a keyset cursor) and
上一页 by mouse, the second page's rows and figures, no page wider than the screen, and axe-core's
WCAG 2.1 A/AA check with 0 critical and 0 serious violations on the second page."""

import pytest

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
    assert page.locator("#post-count").inner_text() == "共 25 个在招岗位，本页为第 1–20 个"
    assert page.locator("table.post-list tbody tr").count() == 20
    page.get_by_role("link", name="下一页").click()
    page.wait_for_url("**after=**")
    assert "sort=allowance" in page.url
    assert page.locator("#post-count").inner_text() == "共 25 个在招岗位，本页为第 21–25 个"
    rows = page.locator("table.post-list tbody tr")
    assert rows.count() == 5 and "翻页岗位04" in rows.first.inner_text()  # the lowest allowances last
    assert page.locator(".pagination [aria-current=page]").inner_text() == "第 2 / 2 页"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(f"post-list-page-2-{width}")
    blocking = scan(page, f"anonymous /posts/ page 2 @{width}")
    assert blocking == []
    page.get_by_role("link", name="上一页").click()
    page.wait_for_url("**page=1**")
    assert page.locator("table.post-list tbody tr").count() == 20
    assert "翻页岗位24" in page.locator("table.post-list tbody tr").first.inner_text()
