"""The admin's calendar pages: a year's arrangement typed or uploaded in one go, previewed, saved and
marked complete; the warning shown until then; nobody but an admin gets in."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from jianxi_portal.core.models import CalendarOverride, CalendarYear

ARRANGEMENT = "/calendar/2027/arrangement/"
ON_2026_12_03 = time_machine.travel(datetime(2026, 12, 3, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)


def form(*rows, action="preview", **extra):
    data = {"rows": "4", "action": action, "document": "国办发明电〔2026〕7号", **extra}
    for n, (name, start, end, workdays) in enumerate(rows, start=1):
        data.update({f"name_{n}": name, f"start_{n}": start, f"end_{n}": end, f"workdays_{n}": workdays})
    return data


NOTICE = (("元旦", "1月1日", "1月3日", ""), ("春节", "2月5日", "2月11日", "2月14日、2月20日"))


@pytest.mark.parametrize("outsider", ["city_cc", "province_user", "employer_a"])
def test_only_admins_open_or_save_the_arrangement(request, client_for, outsider):
    client = client_for(request.getfixturevalue(outsider))
    assert client.get(ARRANGEMENT).status_code == 403
    assert client.post(ARRANGEMENT, form(*NOTICE, action="save", complete="1")).status_code == 403
    assert client.post("/calendar/2027/complete/", {"complete": "1"}).status_code == 403
    assert client.get(f"{ARRANGEMENT}template/").status_code == 403
    assert CalendarOverride.objects.count() == 0 and CalendarYear.objects.count() == 0


def test_the_form_starts_from_the_statutory_days(client_for, admin_user):
    page = client_for(admin_user).get(ARRANGEMENT).content.decode()
    assert 'name="name_2" value="春节"' in page and 'name="start_2" value="2027-02-05"' in page
    assert 'name="end_2" value="2027-02-08"' in page


def test_a_year_the_package_covers_has_no_arrangement_page(client_for, admin_user):
    assert client_for(admin_user).get("/calendar/2026/arrangement/").status_code == 404


def test_preview_shows_the_year_and_the_days_that_change(client_for, admin_user):
    page = client_for(admin_user).post(ARRANGEMENT, form(*NOTICE)).content.decode()
    # Against the provisional calendar: 02-09..11 become days off, Sun 02-14 and Sat 02-20 working days.
    assert "2027年日历预览" in page and "5 天的工作日状态将改变" in page
    assert 'title="2027-02-14 春节调休上班（有变化）"' in page
    assert CalendarOverride.objects.count() == 0  # a preview saves nothing


def test_saving_with_complete_stores_the_year_and_reports_what_moved(client_for, admin_user):
    client = client_for(admin_user)
    response = client.post(ARRANGEMENT, form(*NOTICE, action="save", complete="1"), follow=True)
    # The 5 days of the preview, and marked complete, the weekdays of the statutory days not entered
    # (清明 04-05, 端午 06-09, 中秋 09-15, 国庆 10-01) become working days: 9.
    assert "已保存2027年节假日安排：放假10天，调休上班2天；9天的工作日状态有变化" in response.content.decode()
    year = CalendarYear.objects.get(year=2027)
    assert (year.complete, year.document) == (True, "国办发明电〔2026〕7号")
    assert CalendarOverride.objects.get(date=date(2027, 2, 20)).kind == "workday"


@pytest.mark.parametrize(
    "rows, message",
    [
        (
            (("国庆节", "10月1日", "10月7日", ""), ("中秋节", "10月6日", "10月6日", "")),
            "第2行（中秋节）：放假日期与第1行（国庆节）重叠（2027-10-06）。",
        ),
        ((("春节", "2月31日", "", ""),), "第1行（春节）：“放假开始”的“2月31日”不是有效日期"),
        ((("元旦", "2028-01-01", "", ""),), "第1行（元旦）：“放假开始”的 2028-01-01 不在2027年内。"),
    ],
)
def test_bad_rows_are_shown_in_chinese_and_nothing_is_saved(client_for, admin_user, rows, message):
    page = client_for(admin_user).post(ARRANGEMENT, form(*rows, action="save", complete="1")).content.decode()
    assert "未保存，请修改以下问题" in page and message in page
    assert CalendarOverride.objects.count() == 0 and CalendarYear.objects.count() == 0


def csv_upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("2027.csv", text.encode("utf-8-sig"), content_type="text/csv")


def test_an_uploaded_file_fills_the_rows_and_is_previewed(client_for, admin_user):
    upload = csv_upload(
        "节日,放假开始,放假结束,调休上班\n元旦,2027-01-01,2027-01-03,\n春节,2月5日,2月11日,2月14日、2月20日\n"
    )
    page = client_for(admin_user).post(ARRANGEMENT, {"action": "upload", "file": upload}).content.decode()
    assert 'name="start_2" value="2月5日"' in page and 'name="workdays_2" value="2月14日、2月20日"' in page
    assert "5 天的工作日状态将改变" in page
    assert CalendarOverride.objects.count() == 0


def test_a_file_with_wrong_columns_is_refused_with_a_message(client_for, admin_user):
    upload = csv_upload("日期,类型\n2027-01-01,放假\n")
    page = client_for(admin_user).post(ARRANGEMENT, {"action": "upload", "file": upload}).content.decode()
    assert "文件的列应为 节日、放假开始、放假结束、调休上班" in page and "收到的是 “日期”、“类型”" in page
    assert CalendarOverride.objects.count() == 0


def test_the_template_holds_the_columns_and_the_statutory_rows(client_for, admin_user):
    response = client_for(admin_user).get(f"{ARRANGEMENT}template/")
    sheet = openpyxl.load_workbook(BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("节日", "放假开始", "放假结束", "调休上班")
    assert rows[2] == ("春节", "2027-02-05", "2027-02-08", None)


@ON_2026_12_03
def test_the_warning_stays_until_the_year_is_marked_complete(client_for, admin_user):
    client = client_for(admin_user)
    warning = "2027年的国务院节假日安排尚未录入完整"
    assert warning in client.get("/calendar/").content.decode()
    client.post(ARRANGEMENT, form(*NOTICE, action="save"))
    page = client.get("/calendar/").content.decode()
    assert warning in page and "未录入完整：法定节假日暂定计算" in page
    client.post("/calendar/2027/complete/", {"complete": "1"})
    page = client.get("/calendar/").content.decode()
    assert warning not in page and "已录入完整（2026-12-03确认）" in page
