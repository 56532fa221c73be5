"""Report pages: the summary, a region's report with its actions, the records behind each number,
and the scoping of every page (another city's region is a 404)."""

import re
from datetime import date

import pytest

from jianxi_portal.core.models import ReviewLog
from reports import services
from reports.indicators import Period
from reports.models import MonthlyReport
from reports.tests.dataset import expected

MAY = Period(2022, 5)


def cc_draft(city_cc):
    return services.report_prepare(region_id=city_cc.region_id, period=MAY, by=city_cc)


# --- summary ----------------------------------------------------------------------------------


def test_province_summary_shows_every_region_the_total_and_the_states(may_2022, client_for, province_user, city_cc):
    services.report_submit(
        report_id=cc_draft(city_cc).pk, reporter_name="王经办", reporter_phone="13904310001", by=city_cc
    )
    response = client_for(province_user).get("/reports/annex2/?year=2022&month=5")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 11
    cc = rows[0]
    assert (cc.region.code, cc.status, cc.valid) == ("changchun", "submitted", True)
    assert [c["value"] for c in cc.cells] == expected("changchun")
    assert rows[1].status == "none" and rows[1].status_label == "未生成"
    assert response.context["submitted"] == 1
    html = response.content.decode()
    assert "全省" in html and "已上报" in html and "未生成" in html
    assert 'href="/reports/annex2/2022/5/records/3/?region=changchun"' in html
    assert 'href="/reports/annex2/2022/5/records/14/"' in html  # the 全省 number


def test_summary_flags_a_row_that_breaks_the_rules(may_2022, client_for, province_user, city_cc):
    report = cc_draft(city_cc)
    services.report_adjust(report_id=report.pk, number=2, value="5", note="误填", by=city_cc)
    response = client_for(province_user).get("/reports/annex2/?year=2022&month=5")
    cc = response.context["rows"][0]
    assert not cc.valid
    assert cc.messages == ["指标1“本期实有见习单位数量”（2）应不小于指标2“本期新增见习单位数量”（5）。"]
    assert response.context["invalid"] == 1


def test_a_city_opening_the_summary_lands_on_its_own_report(client_for, city_cc):
    response = client_for(city_cc).get("/reports/annex2/?year=2022&month=5")
    assert response.status_code == 302 and response["Location"] == "/reports/annex2/2022/5/changchun/"


def test_employers_and_young_people_have_no_report_pages(client_for, employer_a, youth):
    for user in (employer_a, youth):
        assert client_for(user).get("/reports/annex2/").status_code == 403
        assert client_for(user).get("/reports/annex2/2022/5/changchun/").status_code == 403


# --- a region's report ------------------------------------------------------------------------


def test_a_city_cannot_open_another_regions_report_records_or_excel(may_2022, client_for, city_jl):
    client = client_for(city_jl)
    assert client.get("/reports/annex2/2022/5/changchun/").status_code == 404
    assert client.get("/reports/annex2/2022/5/records/6/?region=changchun").status_code == 404
    assert client.post("/reports/annex2/2022/5/changchun/prepare/").status_code == 404
    assert client.get("/reports/annex2/2022/5/xlsx/").status_code == 200  # its own row only


def test_city_prepares_adjusts_and_submits_through_the_page(may_2022, client_for, city_cc):
    client = client_for(city_cc)
    page = client.get("/reports/annex2/2022/5/changchun/")
    assert page.context["can_prepare"] and page.context["report"] is None
    assert client.post("/reports/annex2/2022/5/changchun/prepare/").status_code == 302
    report = MonthlyReport.objects.get(region__code="changchun")
    # A broken adjustment is saved (the city may fix other lines next) but blocks the submission.
    form = {f"value_{n}": "" for n in range(1, 15)} | {f"note_{n}": "" for n in range(1, 15)}
    client.post("/reports/annex2/2022/5/changchun/adjust/", form | {"value_7": "5", "note_7": "按学籍库核对"})
    response = client.post(
        "/reports/annex2/2022/5/changchun/submit/", {"reporter_name": "王经办", "reporter_phone": "13904310001"}
    )
    assert response.status_code == 400
    message = "指标6“本期实际到岗人数”（3）应不小于指标7“离校2年内未就业高校毕业生人数”（5）。"
    assert message in response.content.decode()
    report.refresh_from_db()
    assert report.status == "draft"
    client.post("/reports/annex2/2022/5/changchun/adjust/", form | {"value_7": "3", "note_7": "更正类别"})
    response = client.post(
        "/reports/annex2/2022/5/changchun/submit/", {"reporter_name": "王经办", "reporter_phone": "13904310001"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted" and report.lines.get(number=7).reported == 3
    page = client.get("/reports/annex2/2022/5/changchun/").content.decode()
    assert "更正类别" in page and "计算值 2" in page and "王经办" in page


def test_an_adjustment_without_a_note_shows_the_message_beside_the_line(may_2022, client_for, city_cc):
    cc_draft(city_cc)
    client = client_for(city_cc)
    response = client.post("/reports/annex2/2022/5/changchun/adjust/", {"value_3": "12", "note_3": ""})
    assert response.status_code == 400
    assert "调整指标3“本期实有见习岗位数量”必须填写书面说明。" in response.content.decode()
    assert MonthlyReport.objects.get().lines.get(number=3).reported is None


def test_province_returns_and_accepts_through_the_page(may_2022, client_for, city_cc, province_user):
    report = cc_draft(city_cc)
    services.report_submit(report_id=report.pk, reporter_name="王经办", reporter_phone="13904310001", by=city_cc)
    client = client_for(province_user)
    page = client.get("/reports/annex2/2022/5/changchun/")
    assert page.context["can_decide"] and not page.context["can_edit"]
    client.post("/reports/annex2/2022/5/changchun/return/", {"opinion": "请核对指标13"})
    report.refresh_from_db()
    assert (report.status, report.opinion) == ("returned", "请核对指标13")
    assert "请核对指标13" in client.get("/reports/annex2/2022/5/changchun/").content.decode()
    assert ReviewLog.objects.filter(object_id=report.pk, action="return", by=province_user).exists()


def test_the_city_cannot_accept_its_own_report_through_the_page(may_2022, client_for, city_cc):
    report = cc_draft(city_cc)
    services.report_submit(report_id=report.pk, reporter_name="王经办", reporter_phone="13904310001", by=city_cc)
    assert client_for(city_cc).post("/reports/annex2/2022/5/changchun/accept/").status_code == 403


def test_the_page_warns_when_records_changed_after_the_draft(may_2022, client_for, city_cc):
    from trainees.tests.factories import OnDutyPlacementFactory

    report = cc_draft(city_cc)
    OnDutyPlacementFactory(post=report.region.posts.first(), signed_on=date(2022, 5, 9), planned_start=date(2022, 5, 9))
    page = client_for(city_cc).get("/reports/annex2/2022/5/changchun/")
    assert page.context["stale"]
    assert "按最新记录重新计算" in page.content.decode()


# --- traceability -----------------------------------------------------------------------------


@pytest.mark.parametrize("number", range(1, 15))
def test_every_number_links_to_a_list_whose_count_equals_it(may_2022, client_for, city_cc, number):
    client = client_for(city_cc)
    page = client.get("/reports/annex2/2022/5/changchun/")
    line = page.context["lines"][number - 1]
    assert line["url"] == f"/reports/annex2/2022/5/records/{number}/?region=changchun"
    response = client.get(line["url"])
    assert response.status_code == 200
    want = expected("changchun")[number - 1]
    assert response.context["value"] == line["live"] == want
    records = list(response.context["page"].object_list)
    if number in (3, 4):
        assert sum(p.slots for p in records) == want
    elif number == 14:
        assert response.context["yuan"] == 25050
    else:
        assert len(records) == response.context["count"] == want


def test_the_province_total_lists_every_regions_records(may_2022, client_for, province_user):
    response = client_for(province_user).get("/reports/annex2/2022/5/records/13/")
    assert response.context["count"] == 5
    assert {p.region.code for p in response.context["page"].object_list} == {"changchun", "jilin"}


def test_a_city_without_a_region_parameter_sees_only_its_own_records(may_2022, client_for, city_jl):
    response = client_for(city_jl).get("/reports/annex2/2022/5/records/13/")
    assert response.context["count"] == 1
    assert {p.region.code for p in response.context["page"].object_list} == {"jilin"}


def test_records_page_shows_the_frozen_value_when_records_changed(may_2022, client_for, city_cc):
    from trainees.tests.factories import OnDutyPlacementFactory

    report = cc_draft(city_cc)
    services.report_submit(report_id=report.pk, reporter_name="王经办", reporter_phone="13904310001", by=city_cc)
    OnDutyPlacementFactory(post=report.region.posts.first(), signed_on=date(2022, 5, 9), planned_start=date(2022, 5, 9))
    response = client_for(city_cc).get("/reports/annex2/2022/5/records/6/?region=changchun")
    assert (response.context["frozen"], response.context["count"]) == (3, 4)
    assert "上报值为 3" in response.content.decode()


def test_unknown_indicator_and_bad_month_are_404(client_for, province_user):
    client = client_for(province_user)
    assert client.get("/reports/annex2/2022/5/records/15/").status_code == 404
    assert client.get("/reports/annex2/2022/13/changchun/").status_code == 404


# --- navigation -------------------------------------------------------------------------------


def test_home_cards_and_nav(client_for, city_cc, province_user):
    html = client_for(city_cc).get("/").content.decode()
    assert "月报（附件2）" in html and re.search(r"\d+年\d+月月报", html)
    html = client_for(province_user).get("/").content.decode()
    assert "月报汇总（附件2）" in html and "/ 11" in html


def test_province_generates_the_drafts_of_every_region_from_the_summary(may_2022, client_for, province_user, city_cc):
    client = client_for(province_user)
    assert client.get("/reports/annex2/?year=2022&month=5").context["can_generate"]
    response = client.post("/reports/annex2/2022/5/generate/")
    assert response.status_code == 302
    assert MonthlyReport.objects.for_period(MAY).count() == 11
    assert client_for(city_cc).post("/reports/annex2/2022/5/generate/").status_code == 403
