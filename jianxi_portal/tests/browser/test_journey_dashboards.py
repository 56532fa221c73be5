"""Journey: the province reads its dashboard (a month's bar leads to the placements behind it), then
a city works from its own dashboard: the follow-up figure leads to the people not contacted within
30 days, one contact is recorded, and the dashboard's figure drops by one."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from trainees.models import Placement
from trainees.tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _a_day_late_in_the_year():
    """The retention table counts placements ended this year: the journey's records (ended last month)
    must fall in the dashboard's year, which early January does not give. So the journey runs on a
    fixed day, the clock ticking, whatever day the suite runs."""
    with time_machine.travel(datetime(2026, 12, 3, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


def _month_start(months_back: int) -> date:
    today = timezone.localdate()
    year, month = today.year, today.month - months_back
    while month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 5)


@pytest.fixture
def records(unit_a, unit_b):
    started = _month_start(2)
    ended = _month_start(1)
    for unit, end, outcome in (
        (unit_a, "abnormal", ""),
        (unit_a, "completed", "none"),
        (unit_a, "early_retained", ""),
        (unit_b, "completed", "retained"),
    ):
        PlacementFactory(
            post__unit=unit,
            signed_on=started,
            planned_start=started,
            started_on=started,
            planned_end=started + timedelta(days=180),
            status=Placement.Status.ENDED,
            ended_on=ended,
            end=end,
            outcome=outcome,
        )
    return started, ended


def test_province_and_city_dashboards(live_server, page, login_as, province_user, city_cc, records, shot):
    started, _ = records
    login_as(province_user)
    page.goto(f"{live_server.url}/")
    assert page.get_by_role("heading", name="省级工作台").is_visible()
    # pygal's inline SVG: the first series (到岗) has a bar for each of the 12 months; the table
    # beside it has the same months as links.
    chart = page.locator('svg.chart-svg[aria-label="近12个月到岗与结束见习人数"]')
    assert chart.locator("g.serie-0 rect.rect").count() == 12
    assert page.locator('table.months-table a[data-figure^="started-"]').count() == 12
    row = page.locator("table.retention tbody tr", has_text="长春市")
    assert row.locator("td").nth(1).inner_text() == "1"  # retained
    assert row.locator("td").nth(2).inner_text() == "3"  # ended
    shot("dashboard-province")
    page.locator(f'a[data-figure="started-{started:%Y-%m}"]').click()
    page.wait_for_url(f"**/placements/?started={started:%Y-%m}")
    assert page.locator("table.data tbody tr").count() == 4

    login_as(city_cc)
    page.goto(f"{live_server.url}/")
    assert page.get_by_role("heading", name="市州经办工作台").is_visible()
    followup = page.locator("a.figure", has_text="30天内未联系的未留用人员")
    assert followup.locator(".card-value").inner_text() == "2"
    shot("dashboard-city")
    followup.click()
    page.wait_for_url("**/follow-up/?due=1")
    assert page.locator("table.followup tbody tr.overdue").count() == 2
    page.locator("table.followup tbody tr").first.get_by_role("link").click()
    page.get_by_label("联系方式").select_option("phone")
    page.get_by_label("当前状况").select_option("looking")
    page.get_by_label("帮扶情况").fill("电话联系，推荐了两个在招岗位")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已登记对")).to_be_visible()
    page.goto(f"{live_server.url}/")
    assert page.locator("a.figure", has_text="30天内未联系的未留用人员").locator(".card-value").inner_text() == "1"


def test_public_home_page_counts_and_columns(live_server, page, shot, unit_a):
    from positions.tests.factories import ApprovedPostFactory

    ApprovedPostFactory(unit=unit_a, category="technical")
    page.goto(f"{live_server.url}/")
    assert page.get_by_role("heading", name="就业见习万岗募集计划").is_visible()
    posts_open = page.locator(".live-counts a.figure", has_text="在招岗位")
    assert posts_open.locator(".card-value").inner_text() == "1"
    technical = page.locator(".columns a.card", has_text="技术岗位")
    assert technical.locator(".card-value").inner_text() == "1"
    shot("home-public")
    technical.click()
    page.wait_for_url("**/columns/technical/")
    assert page.locator("table.post-list tbody tr").count() == 1
