"""Demonstration units: rankings by four figures with the figures behind each rank, nominations by
the province, and the mark on the public unit directory."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from outreach import demonstration
from outreach.models import Nomination
from positions.tests.factories import ApprovedPostFactory
from trainees.models import Placement
from trainees.tests.factories import PlacementFactory
from units.tests.factories import ApprovedUnitFactory

pytestmark = pytest.mark.django_db
YEAR = 2026


def placement(unit, *, started=date(2026, 2, 1), ended=None, end="", outcome=""):
    """On a post of the unit raised in 2024, so that it does not count among 2026's posts."""
    host = ApprovedPostFactory(unit=unit, slots=10, first_approved_on=date(2024, 5, 1), published_on=date(2024, 5, 1))
    status = Placement.Status.ENDED if ended else Placement.Status.ON_DUTY
    return PlacementFactory(
        post=host, status=status, signed_on=started, started_on=started, ended_on=ended, end=end, outcome=outcome
    )


def post(unit, slots, category, approved=date(2026, 1, 10)):
    return ApprovedPostFactory(
        unit=unit, slots=slots, category=category, first_approved_on=approved, published_on=approved
    )


@pytest.fixture
def units():
    good = ApprovedUnitFactory(name="甲示范单位")
    fair = ApprovedUnitFactory(name="乙单位", region_code="jilin")
    # 甲: 3 ended, 2 retained (66.7%); 4 started; slots 10 of which management/technical 8 (80%).
    for _ in range(2):
        placement(good, ended=date(2026, 8, 1), end="early_retained")
    placement(good, ended=date(2026, 8, 1), end="abnormal")
    placement(good)
    post(good, 5, "technical"), post(good, 3, "management"), post(good, 2, "service")
    # 乙: 2 ended, 2 retained (100%); 2 started; slots 20 of which research 4 (20%).
    placement(fair, ended=date(2026, 9, 1), end="completed", outcome="retained")
    placement(fair, ended=date(2026, 9, 1), end="completed", outcome="retained")
    post(fair, 16, "skilled"), post(fair, 4, "research")
    # Last year's records do not count for 2026.
    placement(fair, started=date(2025, 3, 1), ended=date(2025, 9, 1), end="abnormal")
    return good, fair


def test_figures_behind_each_rank(units):
    good, fair = units
    rows = {r.unit: r for r in demonstration.unit_rankings(YEAR)}
    g, f = rows[good], rows[fair]
    assert (g.ended, g.retained, g.retention, g.placed, g.slots, g.mtr_slots, g.mtr_share) == (
        3,
        2,
        Decimal("66.7"),
        4,
        10,
        8,
        Decimal("80.0"),
    )
    assert (f.ended, f.retained, f.retention, f.placed, f.slots, f.mtr_slots, f.mtr_share) == (
        2,
        2,
        Decimal("100.0"),
        2,
        20,
        4,
        Decimal("20.0"),
    )
    assert g.ranks == {"retention": 2, "placed": 1, "posts": 2, "mtr": 1}
    assert f.ranks == {"retention": 1, "placed": 2, "posts": 1, "mtr": 2}


def test_order_by_a_criterion_and_overall(units):
    good, fair = units
    assert [r.unit for r in demonstration.unit_rankings(YEAR, order="retention")] == [fair, good]
    assert [r.unit for r in demonstration.unit_rankings(YEAR, order="placed")] == [good, fair]
    # Overall: both have rank sum 6; the tie goes to the better retention rank (乙).
    assert [r.unit for r in demonstration.unit_rankings(YEAR)] == [fair, good]


def test_a_unit_without_a_figure_has_no_rank_on_it_and_comes_after_every_real_value(units):
    good, fair = units
    quiet = ApprovedUnitFactory(name="丙单位")
    post(quiet, 1, "technical")
    rows = demonstration.unit_rankings(YEAR, order="retention")
    row = {r.unit: r for r in rows}[quiet]
    assert row.retention is None and row.ranks["retention"] is None  # not a number shared with a real rate
    assert row.ranks["mtr"] == 1  # 100% management/technical/research
    assert [r.unit for r in rows] == [fair, good, quiet]


def test_a_unit_with_no_trainee_does_not_outrank_one_with_a_trainee(units):
    """丙 has no trainee (so no retention rate) but many management/technical slots; 丁 has one trainee
    who left (0% retained). Summing a shared "last" rank for 丙's missing rate put 丙 above 丁."""
    good, fair = units
    none = ApprovedUnitFactory(name="丙单位")
    post(none, 30, "technical")
    one = ApprovedUnitFactory(name="丁单位")
    placement(one, ended=date(2026, 6, 1), end="abnormal")
    post(one, 1, "service")
    rows = demonstration.unit_rankings(YEAR)
    assert [r.unit for r in rows] == [fair, good, one, none]
    assert [r.position for r in rows] == [1, 2, 3, 4]
    by_unit = {r.unit: r for r in rows}
    assert by_unit[one].ranks == {"retention": 3, "placed": 3, "posts": 4, "mtr": 4}
    assert by_unit[none].ranks == {"retention": None, "placed": 4, "posts": 1, "mtr": 1}


def test_ranking_page_shows_a_missing_rank_as_a_dash(client_for, province_user, units):
    none = ApprovedUnitFactory(name="丙单位")
    post(none, 3, "technical")
    html = client_for(province_user).get(f"/demonstration/?year={YEAR}").content.decode()
    row = html.split("丙单位")[1].split("</tr>")[0]
    assert "—（—）" in row


def test_ranking_exports_to_excel_with_missing_figures_as_dashes(client_for, province_user, units):
    from io import BytesIO

    from openpyxl import load_workbook

    none = ApprovedUnitFactory(name='=HYPERLINK("http://x")')  # a name that looks like a formula
    post(none, 3, "technical")
    response = client_for(province_user).get(f"/exchange/export/demonstration.xlsx?year={YEAR}")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:5] == ["综合排名", "见习单位", "市（州）", "留用率（%）", "留用率名次"]
    assert rows[1][:5] == [1, "乙单位", "吉林市", "100.0", "1"]
    assert rows[2][:5] == [2, "甲示范单位", "长春市", "66.7", "2"]
    assert rows[3][:5] == [3, '\'=HYPERLINK("http://x")', "长春市", "—", "—"]
    assert rows[3][11:14] == ["100.0", "1", "否"]


def test_only_province_and_admin_export_the_ranking(client_for, city_cc, employer_a):
    assert client_for(city_cc).get(f"/exchange/export/demonstration.xlsx?year={YEAR}").status_code == 403
    assert client_for(employer_a).get(f"/exchange/export/demonstration.xlsx?year={YEAR}").status_code == 403


def test_ranking_page_links_each_figure_to_its_records(client_for, province_user, units):
    good, _ = units
    client = client_for(province_user)
    page = client.get(f"/demonstration/?year={YEAR}")
    html = page.content.decode()
    for key, expected in (("retained", 2), ("ended", 3), ("started", 4), ("slots", 10), ("mtr_slots", 8)):
        url = f"/dashboard/records/{key}/?year={YEAR}&amp;unit={good.pk}"
        assert url in html
        assert client.get(url.replace("&amp;", "&")).context["total"] == expected, key


def test_province_nominates_with_a_note_and_directory_shows_it(client, client_for, province_user, units):
    good, fair = units
    client_for(province_user).post(f"/demonstration/units/{good.pk}/nominate/", {"year": YEAR, "note": "留用率高"})
    nomination = Nomination.objects.get()
    assert (nomination.unit, nomination.year, nomination.note) == (good, YEAR, "留用率高")
    client.logout()
    html = client.get("/units/").content.decode()
    row_good = html.split(good.name)[1].split("</tr>")[0]
    row_fair = html.split(fair.name)[1].split("</tr>")[0]
    assert "2026年度示范单位推荐" in row_good and "示范单位推荐" not in row_fair


def test_nomination_rules(units, province_user, city_cc):
    good, _ = units
    with pytest.raises(PermissionDenied):
        demonstration.nomination_create(unit_id=good.pk, year=YEAR, note="好", by=city_cc)
    with pytest.raises(ValidationError):
        demonstration.nomination_create(unit_id=good.pk, year=YEAR, note=" ", by=province_user)
    demonstration.nomination_create(unit_id=good.pk, year=YEAR, note="好", by=province_user)
    with pytest.raises(ValidationError):
        demonstration.nomination_create(unit_id=good.pk, year=YEAR, note="再次", by=province_user)
    nomination = Nomination.objects.get()
    demonstration.nomination_withdraw(nomination_id=nomination.pk, by=province_user)
    assert not Nomination.objects.exists()


def test_only_province_and_admin_open_the_ranking(client_for, city_cc, employer_a, admin_user):
    assert client_for(city_cc).get("/demonstration/").status_code == 403
    assert client_for(employer_a).get("/demonstration/").status_code == 403
    assert client_for(admin_user).get("/demonstration/").status_code == 200
