"""On a phone-sized viewport the public post list and a post page have no horizontal scrolling."""

import pytest

from positions.tests.factories import ApprovedPostFactory

pytestmark = pytest.mark.django_db(transaction=True)

NO_HSCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
# the list's table sits in a scrolling wrapper: on a phone it must fit without scrolling sideways either
TABLE_FITS = "[...document.querySelectorAll('.table-wrap')].every(w => w.scrollWidth <= w.clientWidth)"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": {"width": 375, "height": 740},
        "is_mobile": True,
        "device_scale_factor": 2,
    }


def test_public_list_and_post_page_fit_a_phone_screen(live_server, page, unit_a, shot):
    ApprovedPostFactory(unit=unit_a, title="财务会计见习岗位（出纳、报表与票据整理）")
    for _ in range(3):
        ApprovedPostFactory(unit=unit_a)
    page.goto(f"{live_server.url}/posts/")
    assert page.evaluate("window.innerWidth") == 375
    assert page.get_by_role("link", name="财务会计见习岗位（出纳、报表与票据整理）").is_visible()
    assert page.evaluate(NO_HSCROLL), page.evaluate("document.documentElement.scrollWidth")
    assert page.evaluate(TABLE_FITS)
    card = page.locator("table.post-list tbody tr").first
    assert card.bounding_box()["width"] <= 375
    shot("mobile-post-list")
    page.get_by_role("link", name="财务会计见习岗位（出纳、报表与票据整理）").click()
    page.wait_for_url("**/posts/*/")
    assert page.get_by_role("heading", name="财务会计见习岗位（出纳、报表与票据整理）").is_visible()
    assert page.evaluate(NO_HSCROLL), page.evaluate("document.documentElement.scrollWidth")
    shot("mobile-post-page")
