"""Journey (DESIGN.md, Programme years): on 2026-12-21 an admin opens 2027, keeps 长春市 below last
year's post quota with a note (只增不减), and sees 2027's Annex 1; a 长春市 reviewer sees 「暂定」
beside a deadline that runs into 2027, whose holiday arrangement is not entered yet."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from jianxi_portal.core.models import AnnualQuota
from units.tests.factories import SubmittedUnitFactory

pytestmark = pytest.mark.django_db(transaction=True)

MONDAY_2026_12_21 = datetime(2026, 12, 21, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
NOTE = "长春市部分岗位划归省直单位募集"


@pytest.fixture
def on_2026_12_21():
    with time_machine.travel(MONDAY_2026_12_21, tick=True):
        yield


def both_widths(page, shot, name):
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        shot(f"{name}-{width}")


def test_admin_opens_2027_below_last_year_with_a_note_and_a_reviewer_sees_the_provisional_mark(
    on_2026_12_21, live_server, page, login_as, admin_user, city_cc, shot
):
    login_as(admin_user)
    page.goto(f"{live_server.url}/programme-years/")
    assert "2027年度尚未开启" in page.content()
    page.get_by_role("link", name="开启2027年度").click()
    page.wait_for_url("**/programme-years/2027/open/")
    assert page.get_by_label("长春市岗位募集指标").input_value() == "4500"  # 2022, the last year opened
    page.get_by_label("长春市岗位募集指标").fill("4000")
    page.get_by_role("button", name="开启2027年度").click()
    expect(
        page.get_by_text("长春市：岗位募集指标4000低于2022年的4500：年度指标只增不减，如确需保留，请填写说明。")
    ).to_be_visible()
    assert not AnnualQuota.objects.filter(year=2027).exists()
    both_widths(page, shot, "programme-year-below-warning")
    page.get_by_label("长春市低于上年的说明").fill(NOTE)
    page.get_by_role("button", name="开启2027年度").click()
    page.wait_for_url("**/annex1/?year=2027")
    assert f"长春市——{NOTE}" in page.content()
    row = page.locator("table.annex1 tbody tr", has_text="长春市")
    assert row.locator("td").nth(0).inner_text().startswith("4000")
    assert page.locator("table.annex1 tfoot td").nth(0).inner_text() == "9500"
    both_widths(page, shot, "programme-year-annex1-2027")

    SubmittedUnitFactory(name="跨年待审单位", submitted_at=MONDAY_2026_12_21)  # due 2027-01-12, 元旦 provisional
    login_as(city_cc)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/review/")
    row = page.locator("table.review-queue tbody tr", has_text="跨年待审单位")
    assert row.locator("td").nth(4).inner_text() == "2027-01-12暂定"
    assert "2027年国务院放假安排尚未录入完整" in row.locator(".provisional").get_attribute("title")
    both_widths(page, shot, "review-queue-provisional")
