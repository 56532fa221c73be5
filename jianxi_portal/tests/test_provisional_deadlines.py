"""「暂定」 beside a deadline counted over a year whose holiday arrangement is not complete: in the
review queue, on the item pages, in the reminders and as `review_deadline_provisional` in the API
and its OpenAPI schema (DESIGN.md, Review workflow)."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from jianxi_portal.core.models import CalendarYear
from jianxi_portal.core.review import ReviewStatus
from positions.tests.factories import SubmittedPostFactory
from subsidies.tests.factories import ClaimFactory
from trainees.tests.factories import PlacementFactory
from units.tests.factories import ApprovedUnitFactory, SubmittedUnitFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
ON_2026_12_22 = time_machine.travel(datetime(2026, 12, 22, 10, tzinfo=SHANGHAI), tick=False)
# Submitted Mon 2026-12-21: due 2027-01-12 with 元旦 counted provisionally. Submitted Mon 2026-11-30:
# due 2026-12-21, inside the year the package covers.
OVER_2027 = {"submitted_at": datetime(2026, 12, 21, 10, tzinfo=SHANGHAI), "review_deadline": date(2027, 1, 12)}
WITHIN_2026 = {"submitted_at": datetime(2026, 11, 30, 10, tzinfo=SHANGHAI), "review_deadline": date(2026, 12, 21)}
MARK = '<span class="provisional" title="2027年国务院放假安排尚未录入完整，期限按法定节假日暂定计算，录入后自动重算。"'


def provisional(api, path):
    return api.get(path).json()["review_deadline_provisional"]


def test_the_api_says_which_deadlines_are_provisional(api_for, city_cc, admin_user):
    over, within = SubmittedUnitFactory(**OVER_2027), SubmittedUnitFactory(**WITHIN_2026)
    decided = ApprovedUnitFactory(**OVER_2027)
    api = api_for(city_cc)
    assert provisional(api, f"/api/v1/units/{over.pk}/") is True
    assert provisional(api, f"/api/v1/units/{within.pk}/") is False
    assert provisional(api, f"/api/v1/units/{decided.pk}/") is False  # no longer awaits review
    rows = {row["id"]: row["review_deadline_provisional"] for row in api.get("/api/v1/units/").json()["results"]}
    assert rows == {over.pk: True, within.pk: False, decided.pk: False}
    CalendarYear.objects.create(year=2027, complete=True, completed_by=admin_user)
    assert provisional(api, f"/api/v1/units/{over.pk}/") is False


def test_posts_placements_and_claims_carry_the_field_too(api_for, city_cc, unit_a):
    post = SubmittedPostFactory(unit=unit_a, **OVER_2027)
    placement = PlacementFactory(post__unit=unit_a, filing_status=ReviewStatus.SUBMITTED, **OVER_2027)
    claim = ClaimFactory(unit=unit_a, status="submitted", **OVER_2027)
    api = api_for(city_cc)
    assert provisional(api, f"/api/v1/posts/{post.pk}/") is True
    assert provisional(api, f"/api/v1/placements/{placement.pk}/") is True
    assert provisional(api, f"/api/v1/claims/{claim.pk}/") is True


@pytest.mark.parametrize("schema", ["Unit", "Post", "Placement", "Claim"])
def test_the_openapi_schema_documents_the_field(api_for, admin_user, schema):
    document = api_for(admin_user).get("/api/schema/", {"format": "json"}).json()
    field = document["components"]["schemas"][schema]["properties"]["review_deadline_provisional"]
    assert (field["type"], field["readOnly"]) == ("boolean", True)
    assert field["description"].startswith("审核期限是否为暂定")


@ON_2026_12_22
def test_the_review_queue_marks_provisional_deadlines_only(client_for, city_cc):
    SubmittedUnitFactory(name="跨年单位", **OVER_2027)
    SubmittedUnitFactory(name="年内单位", **WITHIN_2026)
    page = client_for(city_cc).get("/review/").content.decode()
    rows = {name: page[page.index(name) : page.index("</tr>", page.index(name))] for name in ("跨年单位", "年内单位")}
    assert "2027-01-12" + MARK in rows["跨年单位"]
    assert "暂定" not in rows["年内单位"]


@ON_2026_12_22
def test_item_pages_show_the_mark_beside_the_deadline(client_for, city_cc, unit_a):
    unit = SubmittedUnitFactory(**OVER_2027)
    placement = PlacementFactory(post__unit=unit_a, filing_status=ReviewStatus.SUBMITTED, **OVER_2027)
    claim = ClaimFactory(unit=unit_a, status="submitted", **OVER_2027)
    client = client_for(city_cc)
    for path in (f"/manage/units/{unit.pk}/", f"/placements/{placement.pk}/", f"/claims/{claim.pk}/"):
        page = client.get(path).content.decode()
        # the review history wraps the date in its own span (it never breaks; the line may)
        assert re.search("2027-01-12(</span>)?" + re.escape(MARK), page), path
