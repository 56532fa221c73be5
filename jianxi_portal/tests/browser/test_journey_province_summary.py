"""Journey: a province user opens last month's Annex 2 summary, sees which cities submitted,
downloads the Excel file, and the file holds the figures the page shows."""

import io

import openpyxl
import pytest
from django.utils import timezone

from reports import services
from reports.indicators import Period
from trainees.tests.factories import OnDutyPlacementFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _last_month() -> Period:
    today = timezone.localdate()
    return Period(today.year - 1, 12) if today.month == 1 else Period(today.year, today.month - 1)


def test_province_reads_the_summary_sees_who_submitted_and_downloads_excel(
    live_server, page, login_as, province_user, city_cc, unit_a, unit_b, shot
):
    period = _last_month()
    start = period.start.replace(day=10)
    OnDutyPlacementFactory(post__unit=unit_a, signed_on=start, planned_start=start, started_on=start)
    report = services.report_prepare(region_id=city_cc.region_id, period=period, by=city_cc)
    services.report_submit(report_id=report.pk, reporter_name="王经办", reporter_phone="0431-85611189", by=city_cc)

    login_as(province_user)
    page.goto(f"{live_server.url}/reports/annex2/?year={period.year}&month={period.month}")
    assert page.get_by_role("heading", name="百万就业见习岗位募集计划工作情况汇总表").is_visible()
    assert "已上报 1 / 11 个地区" in page.locator("main").inner_text().replace("\n", "")
    cc = page.locator("table.annex2 tbody tr", has_text="长春市")
    jl = page.locator("table.annex2 tbody tr", has_text="吉林市")
    assert cc.locator("span.state").inner_text() == "已上报"
    assert jl.locator("span.state").inner_text() != "已上报"
    assert cc.locator("td").nth(14).inner_text() != jl.locator("td").nth(14).inner_text()
    started_cc = cc.locator("td").nth(5).inner_text()  # indicator 6: new trainees this month
    shot("province-annex2-summary")

    with page.expect_download() as info:
        page.get_by_role("link", name="下载全省汇总表（Excel）").click()
    download = info.value
    assert download.suggested_filename == f"附件2_{period.year}年{period.month}月_全省汇总.xlsx"
    ws = openpyxl.load_workbook(io.BytesIO(open(download.path(), "rb").read())).active
    rows = {ws.cell(row=r, column=1).value: r for r in range(8, 20)}
    assert "长春市" in rows and "全省" in rows
    assert started_cc == "1"
    assert ws.cell(row=rows["长春市"], column=7).value == 1
    assert ws.cell(row=rows["全省"], column=7).value == 1
