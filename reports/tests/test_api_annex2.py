"""GET /api/v1/reports/annex2/ and the submission actions, scoped: a city sees its own region,
the province every region and the total."""

import pytest

from reports import services
from reports.indicators import Period
from reports.models import MonthlyReport
from reports.tests.dataset import TOTAL, expected

MAY = Period(2022, 5)
URL = "/api/v1/reports/annex2/"
REPORTER = {"reporter_name": "王经办", "reporter_phone": "13904310001"}


def as_json(values):
    return {str(n): (str(v) if n == 14 else v) for n, v in enumerate(values, start=1)}


@pytest.fixture
def cc_report(may_2022, city_cc):
    return services.report_prepare(region_id=city_cc.region_id, period=MAY, by=city_cc)


def test_province_lists_every_region_with_the_total(may_2022, api_for, province_user):
    data = api_for(province_user).get(URL, {"year": 2022, "month": 5}).json()
    assert (data["year"], data["month"], len(data["rows"])) == (2022, 5, 11)
    cc = data["rows"][0]
    assert cc["region"] == "changchun" and cc["values"] == as_json(expected("changchun"))
    assert cc["values"]["14"] == "2.51"
    assert (cc["status"], cc["source"], cc["id"], cc["valid"], cc["messages"]) == ("none", "computed", None, True, [])
    assert data["total"]["region"] == "province" and data["total"]["values"] == as_json(TOTAL)


def test_region_filter(may_2022, api_for, province_user):
    data = api_for(province_user).get(URL, {"year": 2022, "month": 5, "region": "jilin"}).json()
    assert [r["region"] for r in data["rows"]] == ["jilin"] and data["total"] is None


def test_city_sees_only_its_own_region_whatever_it_asks(may_2022, api_for, city_jl):
    api = api_for(city_jl)
    assert [r["region"] for r in api.get(URL, {"year": 2022, "month": 5}).json()["rows"]] == ["jilin"]
    assert api.get(URL, {"year": 2022, "month": 5, "region": "changchun"}).json()["rows"] == []


def test_another_citys_report_is_a_404(cc_report, api_for, city_jl):
    api = api_for(city_jl)
    assert api.get(f"{URL}{cc_report.pk}/").status_code == 404
    assert api.post(f"{URL}{cc_report.pk}/submit/", REPORTER).status_code == 404


def test_employers_and_anonymous_are_refused(api_for, employer_a):
    assert api_for(employer_a).get(URL).status_code == 403
    assert api_for(None).get(URL).status_code in (401, 403)


def test_rows_show_the_reports_adjustments_status_and_messages(cc_report, api_for, city_cc):
    services.report_adjust(report_id=cc_report.pk, number=9, value="4", note="补录留用2人", by=city_cc)
    row = api_for(city_cc).get(f"{URL}{cc_report.pk}/").json()
    assert (row["id"], row["status"], row["source"]) == (cc_report.pk, "draft", "report")
    assert row["values"]["9"] == 4 and row["computed"]["9"] == 2
    assert row["adjustments"] == [{"number": 9, "computed": "2", "reported": "4", "note": "补录留用2人"}]
    assert row["valid"] is False
    assert row["messages"] == [
        "指标8“本期完成见习人数”（4）应不小于指标9“留用人数”（4）与指标11“其他方式就业人数”（1）之和（5）。"
    ]


def test_city_prepares_adjusts_and_submits_and_the_province_decides(may_2022, api_for, city_cc, province_user):
    city = api_for(city_cc)
    created = city.post(URL, {"year": 2022, "month": 5}, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    bad = city.post(f"{URL}{pk}/adjust/", {"number": 6, "value": "5"}, format="json")
    assert bad.status_code == 400 and bad.json() == {"note": ["调整指标6“本期实际到岗人数”必须填写书面说明。"]}
    city.post(f"{URL}{pk}/adjust/", {"number": 6, "value": "5", "note": "补录"}, format="json")
    refused = city.post(f"{URL}{pk}/submit/", REPORTER, format="json")
    assert refused.status_code == 400
    assert refused.json()["values"] == ["指标5“本期计划组织见习人数”（4）应不小于指标6“本期实际到岗人数”（5）。"]
    city.post(f"{URL}{pk}/adjust/", {"number": 6, "value": "", "note": ""}, format="json")
    done = city.post(f"{URL}{pk}/submit/", REPORTER, format="json")
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    assert city.post(f"{URL}{pk}/recompute/").status_code == 409
    assert city.post(f"{URL}{pk}/accept/").status_code == 403
    province = api_for(province_user)
    assert province.post(f"{URL}{pk}/return/", {"opinion": ""}, format="json").status_code == 400
    returned = province.post(f"{URL}{pk}/return/", {"opinion": "请核对"}, format="json").json()
    assert (returned["status"], returned["opinion"]) == ("returned", "请核对")
    city.post(f"{URL}{pk}/submit/", REPORTER, format="json")
    accepted = province.post(f"{URL}{pk}/accept/", {}, format="json").json()
    assert accepted["status"] == "accepted" and accepted["values"] == as_json(expected("changchun"))
    assert MonthlyReport.objects.get(pk=pk).status == "accepted"


def test_province_cannot_create_a_city_report(api_for, province_user):
    assert api_for(province_user).post(URL, {"year": 2022, "month": 5}, format="json").status_code == 403


def test_bad_month_is_a_400(api_for, province_user):
    assert api_for(province_user).get(URL, {"year": 2022, "month": 13}).status_code == 400


def test_schema_describes_the_endpoint(client, db):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    assert "/api/v1/reports/annex2/" in paths
    assert "post" in paths["/api/v1/reports/annex2/{id}/submit/"]
    assert "post" in paths["/api/v1/reports/annex2/{id}/return/"]
