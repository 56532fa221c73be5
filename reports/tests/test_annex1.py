"""Annex 1 progress: quotas against the records, the previous year (只增不减) from the records or an
admin-entered baseline, the chart, and the baseline page."""

import pytest

from jianxi_portal.core.models import Region
from reports import services
from reports.models import Annex1Baseline
from reports.selectors import annex1_rows

# From dataset.py, by hand. Posts first approved in 2022 (slots): 长春市 5+3+4+7+2+1+6+2 = 30,
# 吉林市 10+4 = 14. Placements started in 2022: 长春市 8 (cc_a … cc_l except the three started in
# 2021 and the cancelled one), 吉林市 2. In 2021: 长春市 0 posts and 3 placements, 吉林市 none.


@pytest.fixture
def jilin_baseline_2021(may_2022, admin_user):
    jl = Region.objects.get(code="jilin")
    services.baseline_save(year=2021, figures={jl.pk: (20, 1)}, note="2021年纸质报表", by=admin_user)


def rows_by_code(year=2022):
    rows, total = annex1_rows(year, Region.objects.all())
    return {r.region.code: r for r in rows}, total


def test_this_year_and_last_year_come_from_the_records(may_2022):
    rows, _ = rows_by_code()
    cc = rows["changchun"]
    assert (cc.posts_recruited, cc.trainees_organised, cc.prev_posts, cc.prev_trainees) == (30, 8, 0, 3)
    assert (cc.post_delta, cc.trainee_delta, cc.below_prev, cc.prev_from_baseline) == (30, 5, False, False)
    assert (cc.post_quota, cc.trainee_quota, str(cc.post_pct)) == (4500, 2100, "0.7")


def test_a_baseline_replaces_the_records_of_its_year_and_a_drop_is_marked(jilin_baseline_2021):
    rows, total = rows_by_code()
    jl = rows["jilin"]
    assert (jl.posts_recruited, jl.prev_posts, jl.post_delta, jl.posts_below_prev) == (14, 20, -6, True)
    assert (jl.trainees_organised, jl.prev_trainees, jl.trainees_below_prev) == (2, 1, False)
    assert jl.prev_from_baseline and not jl.from_baseline
    assert (total.prev_posts, total.posts_recruited) == (20, 44)
    rows_2021, _ = rows_by_code(2021)
    assert rows_2021["jilin"].from_baseline and rows_2021["jilin"].posts_recruited == 20


def test_the_page_marks_regions_below_last_year(jilin_baseline_2021, client_for, province_user):
    response = client_for(province_user).get("/annex1/?year=2022")
    html = response.content.decode()
    assert [r.region.code for r in response.context["below"]] == ["jilin"]
    assert "只增不减" in html and "▼ -6" in html
    assert 'class="chart"' in html and "hbar now below" in html
    assert len(response.context["chart"]) == 11


def test_annex1_rows_take_a_fixed_number_of_queries(may_2022, django_assert_num_queries):
    regions = list(Region.objects.all())
    with django_assert_num_queries(4):  # quotas, posts, placements, baselines
        annex1_rows(2022, regions)


def test_admin_enters_a_baseline_on_the_page_with_history(may_2022, client_for, admin_user):
    jl = Region.objects.get(code="jilin")
    client = client_for(admin_user)
    assert client.get("/annex1/baseline/?year=2021").status_code == 200
    response = client.post(
        "/annex1/baseline/",
        {"year": "2021", f"posts_{jl.pk}": "20", f"trainees_{jl.pk}": "1", "note": "2021年纸质报表"},
    )
    assert response.status_code == 302
    base = Annex1Baseline.objects.get(region=jl, year=2021)
    assert (base.posts_recruited, base.trainees_organised, base.note) == (20, 1, "2021年纸质报表")
    assert base.history.latest().history_user == admin_user
    client.post("/annex1/baseline/", {"year": "2021", f"posts_{jl.pk}": "", f"trainees_{jl.pk}": ""})
    assert not Annex1Baseline.objects.filter(region=jl, year=2021).exists()


def test_half_a_baseline_is_refused(may_2022, client_for, admin_user):
    jl = Region.objects.get(code="jilin")
    response = client_for(admin_user).post("/annex1/baseline/", {"year": "2021", f"posts_{jl.pk}": "20"})
    assert response.status_code == 200 and "两项须同时填写非负整数" in response.content.decode()
    assert not Annex1Baseline.objects.exists()


def test_only_admins_enter_baselines(client_for, province_user, city_cc):
    for user in (province_user, city_cc):
        assert client_for(user).get("/annex1/baseline/").status_code == 403
    with pytest.raises(services.PermissionDenied):
        services.baseline_save(year=2021, figures={}, by=province_user)


def test_city_sees_its_own_row_in_the_download(may_2022, client_for, city_cc):
    from io import BytesIO

    from openpyxl import load_workbook

    ws = load_workbook(BytesIO(client_for(city_cc).get("/annex1/xlsx/?year=2022").content)).active
    assert ws["A5"].value == "长春市" and ws["C5"].value == 30 and ws["H5"].value == 8
    assert ws["A6"].value != "吉林市"
