"""`/api/v1/claims/` and `/api/v1/disbursements/`: scoped lists and details, creation, review
actions, lines with their explanations, payments and their refusals."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from positions.tests.factories import ApprovedPostFactory
from subsidies.models import Claim, Disbursement
from subsidies.tests.factories import ApprovedClaimFactory, DisbursementFactory, FiledPlacementFactory

CLAIMS = "/api/v1/claims/"
PAYMENTS = "/api/v1/disbursements/"


def ids(response):
    return {row["id"] for row in response.json()["results"]}


# --- claims ---------------------------------------------------------------------------------------


def test_claims_list_is_scoped(api_for, employer_a, city_cc, city_jl, province_user, claim_a, claim_b):
    assert ids(api_for(employer_a).get(CLAIMS)) == {claim_a.pk}
    assert ids(api_for(city_cc).get(CLAIMS)) == {claim_a.pk}
    assert ids(api_for(city_jl).get(CLAIMS)) == {claim_b.pk}
    assert ids(api_for(province_user).get(CLAIMS)) == {claim_a.pk, claim_b.pk}
    assert ids(api_for(province_user).get(CLAIMS, {"region": "jilin"})) == {claim_b.pk}


@pytest.mark.parametrize("outsider", ["employer_b", "city_jl", "youth"])
def test_another_units_or_citys_claim_is_404(request, api_for, claim_a, outsider):
    api = api_for(request.getfixturevalue(outsider))
    assert api.get(f"{CLAIMS}{claim_a.pk}/").status_code == 404
    for action in ("submit", "approve", "reject", "return", "regenerate"):
        assert api.post(f"{CLAIMS}{claim_a.pk}/{action}/", {"opinion": "x"}).status_code == 404
    assert api.delete(f"{CLAIMS}{claim_a.pk}/").status_code == 404
    claim_a.refresh_from_db()
    assert claim_a.status == "draft"


def test_anonymous_gets_nothing(api_for, claim_a):
    assert api_for().get(CLAIMS).status_code in (401, 403)
    assert api_for().get(PAYMENTS).status_code in (401, 403)


def test_claim_detail_has_lines_with_explanations(api_for, employer_a, claim_a):
    data = api_for(employer_a).get(f"{CLAIMS}{claim_a.pk}/").json()
    assert (data["status"], data["total"], data["region"], data["period_from"]) == (
        "draft",
        "2120.00",
        "changchun",
        "2026-03-01",
    )
    [line] = data["lines"]
    assert (line["trainee_name"], line["kind"], line["month"], line["amount"]) == (
        "王甲",
        "monthly",
        "2026-03-01",
        "2120.00",
    )
    assert line["explanation"]["text"].endswith("2120.00 元 × 100% × 31 天 ÷ 31 天 = 2120.00 元")
    assert line["explanation"]["data"]["days"] == 31
    assert {r["kind"] for r in line["explanation"]["rules"]} == {"minimum_wage", "rate"}
    assert line["insurance_problem"] == ""


def test_employer_creates_a_claim(api_for, unit_a, employer_a):
    FiledPlacementFactory(post=ApprovedPostFactory(unit=unit_a), signed_on=date(2026, 3, 15))
    response = api_for(employer_a).post(CLAIMS, {"period_from": "2026-03", "period_to": "2026-04"}, format="json")
    assert response.status_code == 201, response.json()
    # March: 2120.00 × 100% × 17 ÷ 31 = 36040 / 31 = 1162.58; April: 2120.00
    assert response.json()["total"] == "3282.58"
    assert [line["amount"] for line in response.json()["lines"]] == ["1162.58", "2120.00"]


@pytest.mark.parametrize(
    "body, field, message",
    [
        ({"period_from": "2026-04"}, "non_field_errors", "在岗天数为0"),
        ({"period_from": "2026-13"}, "period_from", "YYYY-MM"),
        ({"period_from": "2026-03", "period_to": "2026-02"}, "period_to", "不能早于起始月"),
        ({"period_from": "2026-11"}, "period_to", "尚未结束"),
    ],
)
@time_machine.travel(datetime(2026, 11, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)  # November not over
def test_bad_claims_are_refused_with_a_message(api_for, unit_a, employer_a, body, field, message):
    FiledPlacementFactory(post=ApprovedPostFactory(unit=unit_a), signed_on=date(2026, 5, 1))
    response = api_for(employer_a).post(CLAIMS, body, format="json")
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert Claim.objects.count() == 0


def test_claiming_the_same_month_twice_is_refused(api_for, employer_a, claim_a):
    response = api_for(employer_a).post(CLAIMS, {"period_from": "2026-03"}, format="json")
    assert response.status_code == 400
    assert f"已在申领 #{claim_a.pk}" in response.json()["non_field_errors"][0]


def test_city_staff_claim_for_a_unit_of_their_region_only(api_for, unit_a, city_cc, city_jl):
    FiledPlacementFactory(post=ApprovedPostFactory(unit=unit_a))
    body = {"unit": unit_a.pk, "period_from": "2026-03"}
    assert api_for(city_jl).post(CLAIMS, body, format="json").status_code == 404  # not a unit of its region
    assert api_for(city_cc).post(CLAIMS, {"period_from": "2026-03"}, format="json").status_code == 400
    response = api_for(city_cc).post(CLAIMS, {"unit": unit_a.pk, "period_from": "2026-03"}, format="json")
    assert response.status_code == 201


def test_review_actions_through_the_api(api_for, employer_a, city_cc, claim_a):
    employer, city = api_for(employer_a), api_for(city_cc)
    assert city.post(f"{CLAIMS}{claim_a.pk}/approve/").status_code == 409  # not submitted yet
    response = employer.post(f"{CLAIMS}{claim_a.pk}/submit/")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert response.json()["review_deadline"]
    assert employer.post(f"{CLAIMS}{claim_a.pk}/approve/").status_code == 403
    response = city.post(f"{CLAIMS}{claim_a.pk}/return/", {"opinion": ""}, format="json")
    assert response.status_code == 400 and "opinion" in response.json()
    assert city.post(f"{CLAIMS}{claim_a.pk}/return/", {"opinion": "请补充合同"}, format="json").status_code == 200
    assert employer.post(f"{CLAIMS}{claim_a.pk}/regenerate/").status_code == 200
    employer.post(f"{CLAIMS}{claim_a.pk}/submit/")
    response = city.post(f"{CLAIMS}{claim_a.pk}/approve/", {"opinion": "同意"}, format="json")
    assert (response.json()["status"], response.json()["approved_amount"], response.json()["payment_status"]) == (
        "approved",
        "2120.00",
        "unpaid",
    )


def test_rejecting_frees_the_month_for_a_new_claim(api_for, employer_a, city_cc, claim_a):
    api_for(employer_a).post(f"{CLAIMS}{claim_a.pk}/submit/")
    response = api_for(city_cc).post(f"{CLAIMS}{claim_a.pk}/reject/", {"opinion": "不符合条件"}, format="json")
    assert response.json()["lines"][0]["live"] is False
    assert api_for(employer_a).post(CLAIMS, {"period_from": "2026-03"}, format="json").status_code == 201


def test_flagged_claim_cannot_be_submitted(api_for, unit_a, employer_a):
    FiledPlacementFactory(post=ApprovedPostFactory(unit=unit_a), insurance_policy_no="")
    claim = api_for(employer_a).post(CLAIMS, {"period_from": "2026-03"}, format="json").json()
    assert "未登记人身意外伤害保险" in claim["lines"][0]["insurance_problem"]
    response = api_for(employer_a).post(f"{CLAIMS}{claim['id']}/submit/")
    assert response.status_code == 400 and "不能提交" in response.json()["non_field_errors"][0]


def test_delete_a_draft(api_for, employer_a, claim_a):
    assert api_for(employer_a).delete(f"{CLAIMS}{claim_a.pk}/").status_code == 204
    assert not Claim.objects.exists()


# --- disbursements --------------------------------------------------------------------------------


def payment(claim, **kwargs):
    return {
        "claim": claim.pk,
        "amount": "1000.00",
        "paid_on": "2026-04-20",
        "funding_level": "province",
        "voucher_no": "JL-0001",
        **kwargs,
    }


def test_city_records_a_payment(api_for, city_cc, unit_a):
    claim = ApprovedClaimFactory(unit=unit_a)
    response = api_for(city_cc).post(PAYMENTS, payment(claim), format="json")
    assert response.status_code == 201, response.json()
    assert {k: response.json()[k] for k in ("claim", "amount", "region", "funding_level", "paid_on")} == {
        "claim": claim.pk,
        "amount": "1000.00",
        "region": "changchun",
        "funding_level": "province",
        "paid_on": "2026-04-20",
    }
    claim.refresh_from_db()
    assert (claim.paid_total, claim.payment_status) == (Decimal("1000.00"), "partly_paid")
    assert api_for(city_cc).get(f"{CLAIMS}{claim.pk}/").json()["payment_status"] == "partly_paid"


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"amount": "-1"}, "amount", "必须大于0"),
        ({"amount": "1880.01"}, "amount", "超出核定金额"),
        ({"funding_level": "village"}, "funding_level", "未知的资金级次"),
        ({"paid_on": "2026-02-30"}, "paid_on", ""),
    ],
)
def test_bad_payments_are_refused_and_nothing_saved(api_for, city_cc, unit_a, changes, field, message):
    claim = ApprovedClaimFactory(unit=unit_a)  # approved 1880.00
    response = api_for(city_cc).post(PAYMENTS, payment(claim, **changes), format="json")
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert Disbursement.objects.count() == 0


def test_another_citys_claim_cannot_be_paid_and_employers_cannot_pay(api_for, city_jl, employer_a, unit_a):
    claim = ApprovedClaimFactory(unit=unit_a)
    assert api_for(city_jl).post(PAYMENTS, payment(claim), format="json").status_code == 404
    assert api_for(employer_a).post(PAYMENTS, payment(claim), format="json").status_code == 403
    assert Disbursement.objects.count() == 0


def test_disbursements_are_scoped(api_for, employer_a, city_cc, city_jl, province_user, unit_a, unit_b):
    mine = DisbursementFactory(claim=ApprovedClaimFactory(unit=unit_a))
    theirs = DisbursementFactory(claim=ApprovedClaimFactory(unit=unit_b), funding_level="county")
    assert ids(api_for(city_cc).get(PAYMENTS)) == {mine.pk}
    assert ids(api_for(employer_a).get(PAYMENTS)) == {mine.pk}
    assert ids(api_for(province_user).get(PAYMENTS)) == {mine.pk, theirs.pk}
    assert ids(api_for(province_user).get(PAYMENTS, {"funding_level": "county"})) == {theirs.pk}
    assert api_for(city_cc).get(f"{PAYMENTS}{theirs.pk}/").status_code == 404
    assert api_for(employer_a).get(f"{PAYMENTS}{theirs.pk}/").status_code == 404
    assert api_for(city_jl).get(f"{PAYMENTS}{theirs.pk}/").json()["amount"] == "1000.00"
