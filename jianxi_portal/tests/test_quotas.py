"""Annex 1 quotas: who sees which rows, admin edits with history, bad input refused."""

import pytest

from jianxi_portal.core.models import AnnualQuota, AuditLog


@pytest.fixture
def cc_quota(db):
    return AnnualQuota.objects.get(region__code="changchun", year=2022)


def test_city_sees_only_its_own_row_on_the_annex1_page(client_for, city_cc):
    response = client_for(city_cc).get("/annex1/?year=2022")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r.region.code for r in rows] == ["changchun"]
    assert rows[0].post_quota == 4500
    assert "吉林市" not in response.content.decode()
    assert not response.context["show_total"]


def test_province_sees_all_regions_and_the_total_as_their_sum(client_for, province_user):
    response = client_for(province_user).get("/annex1/?year=2022")
    assert len(response.context["rows"]) == 11
    total = response.context["total"]
    assert (total.post_quota, total.trainee_quota) == (10000, 5000)
    assert "全省" in response.content.decode()


def test_employer_and_anonymous_cannot_open_annex1(client, client_for, employer_a):
    assert client.get("/annex1/").status_code == 302
    assert client_for(employer_a).get("/annex1/").status_code == 403


def test_city_api_lists_only_its_region(api_for, city_cc):
    response = api_for(city_cc).get("/api/v1/quotas/?year=2022")
    assert response.status_code == 200
    assert [row["region"] for row in response.json()["results"]] == ["changchun"]


def test_city_api_cannot_read_another_regions_quota(api_for, city_cc):
    other = AnnualQuota.objects.get(region__code="jilin", year=2022)
    assert api_for(city_cc).get(f"/api/v1/quotas/{other.pk}/").status_code == 404


def test_province_api_lists_all_regions(api_for, province_user):
    response = api_for(province_user).get("/api/v1/quotas/?year=2022")
    assert response.json()["count"] == 11


def test_admin_edit_through_the_page_is_recorded_in_history(client_for, admin_user, cc_quota):
    response = client_for(admin_user).post(
        f"/quotas/{cc_quota.pk}/edit/", {"post_quota": "4600", "trainee_quota": "2100"}
    )
    assert response.status_code == 302
    cc_quota.refresh_from_db()
    assert cc_quota.post_quota == 4600
    latest = cc_quota.history.latest()
    assert latest.history_user == admin_user
    assert latest.post_quota == 4600
    assert latest.prev_record.post_quota == 4500
    assert AuditLog.objects.filter(event="quota.update", object_id=str(cc_quota.pk), user=admin_user).exists()


def test_annex1_page_shows_the_edited_quota(client_for, admin_user, cc_quota):
    client = client_for(admin_user)
    client.post(f"/quotas/{cc_quota.pk}/edit/", {"post_quota": "4700", "trainee_quota": "2100"})
    rows = client.get("/annex1/?year=2022").context["rows"]
    assert rows[0].post_quota == 4700


@pytest.mark.parametrize(
    "value, message",
    [("-5", "岗位募集指标不能为负数。"), ("abc", "岗位募集指标必须是整数"), ("12.5", "岗位募集指标必须是整数")],
)
def test_bad_quota_on_the_page_is_refused_in_chinese_and_nothing_changes(
    client_for, admin_user, cc_quota, value, message
):
    response = client_for(admin_user).post(f"/quotas/{cc_quota.pk}/edit/", {"post_quota": value, "trainee_quota": "1"})
    assert response.status_code == 200
    assert message in response.content.decode()
    cc_quota.refresh_from_db()
    assert (cc_quota.post_quota, cc_quota.trainee_quota) == (4500, 2100)
    assert cc_quota.history.count() == 1  # only the seeded Annex 1 row


@pytest.mark.parametrize("value", [-1, "abc", "1.5", True])
def test_bad_quota_through_the_api_names_the_field_and_nothing_changes(api_for, admin_user, cc_quota, value):
    response = api_for(admin_user).patch(f"/api/v1/quotas/{cc_quota.pk}/", {"post_quota": value}, format="json")
    assert response.status_code == 400
    assert "post_quota" in response.json()
    cc_quota.refresh_from_db()
    assert cc_quota.post_quota == 4500


def test_admin_patch_through_the_api_updates_and_keeps_history(api_for, admin_user, cc_quota):
    response = api_for(admin_user).patch(f"/api/v1/quotas/{cc_quota.pk}/", {"trainee_quota": 2200}, format="json")
    assert response.status_code == 200
    assert response.json()["trainee_quota"] == 2200
    assert cc_quota.history.latest().history_user == admin_user


@pytest.mark.parametrize("who", ["province_user", "city_cc", "employer_a"])
def test_only_admins_may_patch_quotas(request, api_for, cc_quota, who):
    user = request.getfixturevalue(who)
    response = api_for(user).patch(f"/api/v1/quotas/{cc_quota.pk}/", {"post_quota": 1}, format="json")
    assert response.status_code in (403, 404)
    cc_quota.refresh_from_db()
    assert cc_quota.post_quota == 4500


def test_city_cannot_open_the_quota_edit_page(client_for, city_cc, cc_quota):
    assert client_for(city_cc).get(f"/quotas/{cc_quota.pk}/edit/").status_code == 403
