"""Annex 2 in the official layout: open the downloaded file with openpyxl and read it back."""

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from reports import services
from reports.indicators import Period
from reports.tests.dataset import TOTAL, expected

MAY = Period(2022, 5)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return load_workbook(BytesIO(response.content)).active


def row_values(ws, row):
    return [ws.cell(row=row, column=c).value for c in range(2, 16)]


@pytest.fixture
def summary(may_2022, client_for, province_user):
    return sheet(client_for(province_user).get("/reports/annex2/2022/5/xlsx/"))


def test_title_period_and_units_lines(summary):
    assert summary["A2"].value == "百万就业见习岗位募集计划工作情况汇总表"
    assert summary["A3"].value == "（2022年 5月）"
    assert summary["A4"].value == "单位：个、人、万元"
    assert summary["A2"].font.bold


def test_two_level_header_is_merged_as_the_form_groups_it(summary):
    merges = {str(r) for r in summary.merged_cells.ranges}
    assert {"A2:O2", "A3:O3", "A5:A6", "B5:C5", "D5:E5", "F5:H5", "I5:L5", "M5:M6", "N5:N6", "O5:O6"} <= merges
    groups = [summary[c].value for c in ("A5", "B5", "D5", "F5", "I5")]
    assert groups == ["项目", "见习单位", "见习岗位", "组织见习", "完成见习"]
    assert summary["B6"].value == "本期实有见习单位数量"
    assert summary["C6"].value == "其中：本期新增见习单位数量"
    assert summary["E6"].value == "其中：本期新增见习岗位数量"
    assert summary["H6"].value == "其中：离校2年内未就业高校毕业生人数"
    assert summary["J6"].value == "其中：留用人数"
    assert summary["L6"].value == "其他方式就业人数"
    assert summary["M5"].value == "本期非正常结束见习人数"
    assert summary["N5"].value == "本期末实有在岗见习人数"
    assert summary["O5"].value == "本年累计各级财政实际拨付见习补贴资金数"


def test_indicator_number_row_is_1_to_14(summary):
    assert summary["A7"].value == "甲"
    assert row_values(summary, 7) == list(range(1, 15))


def test_a_row_per_region_and_the_province_total_with_numbers_as_numbers(summary):
    assert [summary.cell(row=r, column=1).value for r in range(8, 20)] == [
        "长春市",
        "吉林市",
        "四平市",
        "辽源市",
        "通化市",
        "白山市",
        "白城市",
        "松原市",
        "延边州",
        "长白山管委会",
        "梅河口市",
        "全省",
    ]
    assert row_values(summary, 8) == [float(v) if isinstance(v, Decimal) else v for v in expected("changchun")]
    assert row_values(summary, 9) == [float(v) if isinstance(v, Decimal) else v for v in expected("jilin")]
    assert row_values(summary, 19) == [float(v) if isinstance(v, Decimal) else v for v in TOTAL]
    assert summary["O8"].data_type == "n" and summary["O8"].number_format == "0.00"
    assert summary["B8"].data_type == "n"
    assert summary["B8"].border.left.style == "thin" and summary["O19"].border.bottom.style == "thin"


def test_footer_and_notes(summary):
    texts = [summary.cell(row=r, column=c).value for r in range(20, summary.max_row + 1) for c in (1, 5, 9, 12)]
    assert "填报单位（盖章）：吉林省人才交流开发中心" in texts
    assert any(str(t).startswith("填报时间：") for t in texts)
    assert "填报人：province_t" in texts
    assert any(str(t).startswith("联系电话：") for t in texts)
    assert "填报说明：" in texts
    assert "7.逻辑关系：1≥2，3≥4，5≥6≥7，8≥9+11，9≥10。" in texts


def test_prints_on_one_a4_landscape_page(summary):
    assert summary.page_setup.orientation == "landscape"
    assert int(summary.page_setup.paperSize) == 9  # A4
    assert summary.sheet_properties.pageSetUpPr.fitToPage
    assert (summary.page_setup.fitToWidth, summary.page_setup.fitToHeight) == (1, 1)
    assert summary.column_dimensions["A"].width == 14 and summary.column_dimensions["B"].width == 9


def test_a_city_downloads_its_own_one_row_form_with_the_reporter(may_2022, client_for, city_cc):
    report = services.report_prepare(region_id=city_cc.region_id, period=MAY, by=city_cc)
    services.report_adjust(report_id=report.pk, number=3, value="12", note="新增岗位待录入", by=city_cc)
    services.report_submit(report_id=report.pk, reporter_name="王经办", reporter_phone="13904310001", by=city_cc)
    ws = sheet(client_for(city_cc).get("/reports/annex2/2022/5/xlsx/?region=jilin"))  # its own, whatever asked
    assert ws["A8"].value == "长春市"
    assert ws["D8"].value == 12  # the reported (adjusted) value
    assert ws["A9"].value is None or str(ws["A9"].value).startswith("填报单位")
    texts = {ws.cell(row=r, column=c).value for r in range(9, ws.max_row + 1) for c in (1, 5, 9, 12)}
    assert {"填报单位（盖章）：长春市", "填报人：王经办", "联系电话：13904310001"} <= texts


def test_province_may_download_one_regions_form(may_2022, client_for, province_user):
    ws = sheet(client_for(province_user).get("/reports/annex2/2022/5/xlsx/?region=jilin"))
    assert ws["A8"].value == "吉林市" and ws["B8"].value == 2
    assert ws["A9"].value != "全省"


def test_annex1_download(may_2022, client_for, province_user):
    ws = sheet(client_for(province_user).get("/annex1/xlsx/?year=2022"))
    assert ws["A1"].value == "2022年度就业见习万岗募集计划目标任务完成情况"
    assert ws["A5"].value == "长春市" and ws["B5"].value == 4500 and ws["G5"].value == 2100
    assert ws["A16"].value == "全省" and ws["B16"].value == 10000
    assert ws.page_setup.orientation == "landscape"
