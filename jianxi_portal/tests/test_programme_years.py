"""Opening a programme year in the browser (DESIGN.md, Programme years): every region's quotas,
prefilled from the previous programme year, a quota below it kept only with a note (只增不减),
history kept; Annex 1 and the dashboards work for the year the day it opens.

The seeded quotas are Annex 1 of 2022 (长春市 4500 posts / 2100 trainees; province 10000 / 5000)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from jianxi_portal.core import services
from jianxi_portal.core.models import AnnualQuota, AuditLog, Region
from reports.selectors import annex1_rows

OPEN_2026 = "/programme-years/2026/open/"
JAN_4_2027 = time_machine.travel(datetime(2027, 1, 4, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)


def as_2022(**changes) -> dict[int, dict]:
    """Every region's 2022 quotas, with `changes` by region code: {code: {field: value}}."""
    quotas = {}
    for q in AnnualQuota.objects.filter(year=2022).select_related("region"):
        quotas[q.region_id] = {"post_quota": q.post_quota, "trainee_quota": q.trainee_quota, "note": ""}
        quotas[q.region_id].update(changes.get(q.region.code, {}))
    return quotas


def form_as_2022(**changes) -> dict[str, str]:
    data = {}
    for region_id, q in as_2022(**changes).items():
        data.update(
            {
                f"post_{region_id}": str(q["post_quota"]),
                f"trainee_{region_id}": str(q["trainee_quota"]),
                f"note_{region_id}": q["note"],
            }
        )
    return data


def test_a_year_opens_from_the_previous_programme_years_quotas(admin_user):
    rows = services.programme_year_open(year=2026, quotas=as_2022(changchun={"post_quota": 4800}), by=admin_user)
    assert len(rows) == 11
    quota = AnnualQuota.objects.get(year=2026, region__code="changchun")
    assert (quota.post_quota, quota.trainee_quota, quota.note) == (4800, 2100, "")
    assert quota.history.get().history_user == admin_user
    row = AuditLog.objects.get(event="programme_year.open")
    assert row.detail == {"year": 2026, "post_quota": 10300, "trainee_quota": 5000, "below_previous": []}


def test_a_quota_below_the_previous_year_needs_a_note_and_nothing_is_saved_without_it(admin_user):
    below = {"changchun": {"post_quota": 4000}, "jilin": {"trainee_quota": "七百"}}
    with pytest.raises(ValidationError) as refused:
        services.programme_year_open(year=2026, quotas=as_2022(**below), by=admin_user)
    changchun, jilin = Region.objects.get(code="changchun"), Region.objects.get(code="jilin")
    assert refused.value.message_dict == {
        f"region_{changchun.pk}": [
            "长春市：岗位募集指标4000低于2022年的4500：年度指标只增不减，如确需保留，请填写说明。"
        ],
        f"region_{jilin.pk}": ["吉林市：组织见习人员指标必须是整数，收到“七百”。"],
    }
    assert not AnnualQuota.objects.filter(year=2026).exists()


def test_with_a_note_the_lower_quota_is_kept_and_shown_on_annex1(admin_user, client_for):
    note = "2026年长春市承接省直单位岗位，市本级指标相应调减"
    services.programme_year_open(year=2026, quotas=as_2022(changchun={"post_quota": 4000, "note": note}), by=admin_user)
    assert AnnualQuota.objects.get(year=2026, region__code="changchun").note == note
    assert AnnualQuota.objects.get(year=2026, region__code="jilin").note == ""
    page = client_for(admin_user).get("/annex1/", {"year": 2026}).content.decode()
    assert f"长春市——{note}" in page


def test_a_year_opens_once(admin_user):
    services.programme_year_open(year=2026, quotas=as_2022(), by=admin_user)
    with pytest.raises(ValidationError, match="2026年度已开启"):
        services.programme_year_open(year=2026, quotas=as_2022(), by=admin_user)


def test_editing_a_quota_below_the_previous_year_needs_a_note(admin_user):
    services.programme_year_open(year=2026, quotas=as_2022(), by=admin_user)
    quota = AnnualQuota.objects.get(year=2026, region__code="changchun")
    with pytest.raises(ValidationError, match="岗位募集指标4400低于2022年的4500"):
        services.quota_update(quota_id=quota.pk, by=admin_user, post_quota=4400)
    services.quota_update(quota_id=quota.pk, by=admin_user, post_quota=4400, note="省直单位承接部分岗位")
    quota.refresh_from_db()
    assert (quota.post_quota, quota.note) == (4400, "省直单位承接部分岗位")
    assert quota.history.latest().note == "省直单位承接部分岗位"


@pytest.mark.parametrize("outsider", ["city_cc", "province_user", "employer_a"])
def test_only_admins_open_a_year(request, client_for, outsider):
    user = request.getfixturevalue(outsider)
    client = client_for(user)
    assert client.get("/programme-years/").status_code == 403
    assert client.get(OPEN_2026).status_code == 403
    assert client.post(OPEN_2026, form_as_2022()).status_code == 403
    with pytest.raises(PermissionDenied):
        services.programme_year_open(year=2026, quotas=as_2022(), by=user)
    assert not AnnualQuota.objects.filter(year=2026).exists()


def test_the_form_is_prefilled_from_last_year_and_warns_below_it(client_for, admin_user):
    client = client_for(admin_user)
    changchun = Region.objects.get(code="changchun")
    page = client.get(OPEN_2026).content.decode()
    assert f'name="post_{changchun.pk}" value="4500"' in page and "指标已按2022年度预填" in page
    page = client.post(OPEN_2026, form_as_2022(changchun={"post_quota": 4000})).content.decode()
    assert "未保存，请修改标出的各行" in page
    assert "长春市：岗位募集指标4000低于2022年的4500：年度指标只增不减，如确需保留，请填写说明。" in page
    assert not AnnualQuota.objects.filter(year=2026).exists()
    response = client.post(OPEN_2026, form_as_2022(changchun={"post_quota": 4000, "note": "市本级调减"}))
    assert response.status_code == 302 and response["Location"] == "/annex1/?year=2026"
    assert AnnualQuota.objects.filter(year=2026).count() == 11


def test_annex1_of_a_year_not_opened_offers_to_open_it(client_for, admin_user):
    page = client_for(admin_user).get("/annex1/", {"year": 2027}).content.decode()
    assert "2027年度尚未开启" in page and 'href="/programme-years/2027/open/"' in page


@JAN_4_2027
def test_annex1_and_the_dashboard_work_for_the_year_the_day_it_opens(client_for, admin_user, province_user):
    quotas = as_2022(changchun={"post_quota": 4600})
    services.programme_year_open(year=2027, quotas=quotas, by=admin_user)
    rows, total = annex1_rows(2027, Region.objects.all())
    assert (rows[0].region.code, rows[0].post_quota, rows[0].posts_recruited) == ("changchun", 4600, 0)
    assert (total.post_quota, total.trainee_quota) == (10100, 5000)
    home = client_for(province_user).get("/").content.decode()
    assert "2027年度指标完成情况" in home
    assert 'data-figure="quota-posts-changchun">0</a> / 4600' in home


@JAN_4_2027
def test_before_the_year_opens_the_dashboard_says_the_quotas_are_not_issued(client_for, province_user):
    home = client_for(province_user).get("/").content.decode()
    assert 'data-figure="quota-posts-changchun">0</a> / <span class="muted">指标未下达</span>' in home
