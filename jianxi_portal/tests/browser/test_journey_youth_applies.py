"""Journey: a young person searches the public list and applies; the employer accepts; the city
records the start; the placement appears in this month's Annex 2 draft (indicator 6)."""

import re
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from positions.tests.factories import ApprovedPostFactory
from trainees.models import Placement
from trainees.tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def field(page, label: str):
    return page.get_by_label(re.compile("^" + re.escape(label) + r"\*?$"))


def indicator(page, number: int) -> str:
    return (
        page.locator("table tbody tr")
        .filter(has=page.locator("td:first-child", has_text=re.compile(f"^{number}$")))
        .locator("td.num")
        .first.inner_text()
    )


@time_machine.travel(datetime(2026, 12, 3, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True)
def test_youth_applies_employer_accepts_city_starts_and_annex2_counts_it(
    live_server, page, login_as, youth, employer_a, city_cc, unit_a, unit_b, shot
):
    ApprovedPostFactory(unit=unit_a, title="出纳见习岗位", majors="会计学", allowance=Decimal("2200.00"))
    ApprovedPostFactory(unit=unit_a, title="网络运维见习岗位")
    ApprovedPostFactory(unit=unit_b, title="会计助理见习岗位")  # 吉林市: filtered out below
    today = timezone.localdate()
    # left school half a year ago, whatever day the suite runs (eligible: within 2 years, DESIGN.md)
    TraineeFactory(user=youth, name="张晓雪", left_school_on=today - timedelta(days=183))
    report_url = f"{live_server.url}/reports/annex2/{today.year}/{today.month}/changchun/"

    login_as(city_cc)
    page.goto(report_url)
    before = int(indicator(page, 6))

    login_as(youth)
    page.goto(f"{live_server.url}/posts/")
    page.get_by_role("searchbox").fill("会计")
    page.get_by_label("市（州）").select_option(label="长春市")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(re.compile(r"/posts/\?.*q=.*region=changchun"))
    titles = page.locator("table.post-list tbody tr td:first-child a").all_inner_texts()
    assert titles == ["出纳见习岗位"]
    shot("youth-search")
    page.get_by_role("link", name="出纳见习岗位").click()
    page.get_by_role("link", name="申请该岗位").click()
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url("**/applications/*/")
    assert "已提交对“出纳见习岗位”的申请" in page.content()
    shot("youth-applied")

    login_as(employer_a)
    page.goto(f"{live_server.url}/applications/")
    page.locator("table tbody tr", has_text="张晓雪").get_by_role("link").first.click()
    page.get_by_role("button", name="录用", exact=True).click()
    page.wait_for_url("**/placements/*/")
    assert "已录用 张晓雪" in page.content()
    placement = Placement.objects.get(trainee__name="张晓雪")
    assert placement.status == Placement.Status.PLANNED

    login_as(city_cc)
    page.goto(f"{live_server.url}/placements/{placement.pk}/")
    page.get_by_role("link", name="到岗", exact=True).click()
    field(page, "到岗日期").fill(today.isoformat())
    page.get_by_role("button", name="确认到岗").click()
    page.wait_for_url(f"**/placements/{placement.pk}/")
    placement.refresh_from_db()
    assert placement.status == Placement.Status.ON_DUTY and placement.started_on == today

    page.goto(report_url)
    assert int(indicator(page, 6)) == before + 1
    shot("city-annex2-draft")
