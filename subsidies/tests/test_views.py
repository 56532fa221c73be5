"""Pages: the employer's claims, claim detail with explanations and review, payments, the register
with its Excel download, the province's yearly view, the admin's rule pages — each scoped."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from positions.tests.factories import ApprovedPostFactory
from subsidies import services
from subsidies.models import Claim, Disbursement, SubsidyRate
from subsidies.tests.factories import ApprovedClaimFactory, DisbursementFactory, FiledPlacementFactory
from units.tests.factories import ApprovedUnitFactory


def detail(claim):
    return reverse("claim_detail", args=[claim.pk])


def action(claim, name):
    return reverse("claim_action", args=[claim.pk, name])


# --- claims ---------------------------------------------------------------------------------------


def test_employer_lists_only_its_own_claims(client_for, employer_a, claim_a, claim_b):
    page = client_for(employer_a).get(reverse("claim_list")).content.decode()
    assert f"#{claim_a.pk}" in page and f"#{claim_b.pk}" not in page


def test_city_lists_its_region_and_province_lists_all(client_for, city_cc, province_user, claim_a, claim_b):
    page = client_for(city_cc).get(reverse("claim_list")).content.decode()
    assert f"#{claim_a.pk}" in page and f"#{claim_b.pk}" not in page
    page = client_for(province_user).get(reverse("claim_list"), {"region": "jilin"}).content.decode()
    assert f"#{claim_b.pk}" in page and f"#{claim_a.pk}" not in page


@pytest.mark.parametrize("outsider", ["employer_b", "city_jl"])
def test_another_units_or_citys_claim_is_404_on_every_page(request, client_for, claim_a, outsider):
    client = client_for(request.getfixturevalue(outsider))
    assert client.get(detail(claim_a)).status_code == 404
    for name in ("submit", "approve", "reject", "return", "regenerate", "delete"):
        assert client.post(action(claim_a, name), {"opinion": "x"}).status_code == 404
    # The payment form is for city staff only: an employer is refused by role, another city by scope.
    expected = 403 if outsider == "employer_b" else 404
    assert client.post(reverse("claim_disburse", args=[claim_a.pk]), {"amount": "1"}).status_code == expected
    claim_a.refresh_from_db()
    assert claim_a.status == "draft"


def test_youth_and_anonymous_cannot_open_claims(client, youth, claim_a):
    assert client.get(reverse("claim_list")).status_code == 302
    client.force_login(youth)
    assert client.get(reverse("claim_list")).status_code == 403
    assert client.get(detail(claim_a)).status_code == 403


def test_employer_creates_a_claim_from_the_page(client_for, unit_a, employer_a):
    FiledPlacementFactory(post=ApprovedPostFactory(unit=unit_a), trainee__name="赵丙")
    response = client_for(employer_a).post(reverse("claim_new"), {"period_from": "2026-03", "period_to": "2026-04"})
    claim = Claim.objects.get()
    assert response.status_code == 302 and response.url == detail(claim)
    assert claim.total == Decimal("4240.00")  # 2120.00 × 2 months


def test_claim_for_a_month_without_days_on_duty_shows_the_reason(client_for, unit_a, employer_a):
    response = client_for(employer_a).post(reverse("claim_new"), {"period_from": "2026-03", "period_to": "2026-03"})
    assert response.status_code == 200
    assert "在岗天数为0" in response.content.decode()
    assert Claim.objects.count() == 0


def test_claim_detail_shows_each_line_with_its_rules_and_arithmetic(client_for, employer_a, claim_a):
    page = client_for(employer_a).get(detail(claim_a)).content.decode()
    assert "王甲" in page
    assert "2120.00 元 × 100% × 31 天 ÷ 31 天 = 2120.00 元" in page
    assert "2024-10-01起执行版本，第1档" in page  # the minimum-wage row used
    assert "吉人社联〔2022〕79号" in page  # the rate rule used
    assert "提交审核" in page


def test_flagged_line_is_shown_and_submission_refused_with_the_reason(client_for, unit_a, employer_a):
    FiledPlacementFactory(post=ApprovedPostFactory(unit=unit_a), trainee__name="孙丁", insurer="")
    claim = services.claim_create(
        unit_id=unit_a.pk, period_from=date(2026, 3, 1), period_to=date(2026, 3, 1), by=employer_a
    )
    client = client_for(employer_a)
    assert "未登记人身意外伤害保险" in client.get(detail(claim)).content.decode()
    page = client.post(action(claim, "submit"), follow=True).content.decode()
    assert "孙丁" in page and "不能提交" in page
    claim.refresh_from_db()
    assert claim.status == "draft"


def test_city_reviews_on_the_claim_page(client_for, employer_a, city_cc, claim_a):
    client_for(employer_a).post(action(claim_a, "submit"))
    client = client_for(city_cc)
    page = client.get(detail(claim_a)).content.decode()
    assert "通过（核定 2120.00 元）" in page
    page = client.post(action(claim_a, "reject"), {"opinion": ""}, follow=True).content.decode()
    assert "必须填写审核意见" in page
    client.post(action(claim_a, "approve"), {"opinion": "同意"})
    claim_a.refresh_from_db()
    assert (claim_a.status, claim_a.approved_amount) == ("approved", Decimal("2120.00"))
    page = client.get(detail(claim_a)).content.decode()
    assert "登记拨付" in page and "同意" in page


def test_employer_cannot_approve_its_own_claim(client_for, employer_a, claim_a):
    client = client_for(employer_a)
    client.post(action(claim_a, "submit"))
    assert client.post(action(claim_a, "approve")).status_code == 403


def test_employer_deletes_a_draft(client_for, employer_a, claim_a):
    response = client_for(employer_a).post(action(claim_a, "delete"))
    assert response.status_code == 302 and not Claim.objects.exists()


# --- payments -----------------------------------------------------------------------------------


def test_city_records_a_payment_and_an_over_approved_one_is_refused(client_for, employer_a, city_cc, claim_a, approve):
    approve(claim_a, employer_a, city_cc)
    client = client_for(city_cc)
    url = reverse("claim_disburse", args=[claim_a.pk])
    today = date.today().isoformat()
    form = {"amount": "2000.00", "paid_on": today, "funding_level": "province", "voucher_no": "JL-2026-001"}
    assert client.post(url, form).status_code == 302
    response = client.post(url, {**form, "amount": "120.01"})
    assert response.status_code == 400
    assert "最多还可拨付 120.00 元" in response.content.decode()
    claim_a.refresh_from_db()
    assert (claim_a.paid_total, claim_a.payment_status, Disbursement.objects.count()) == (
        Decimal("2000.00"),
        "partly_paid",
        1,
    )


def test_negative_payment_is_refused_on_the_page(client_for, employer_a, city_cc, claim_a, approve):
    approve(claim_a, employer_a, city_cc)
    form = {"amount": "-5", "paid_on": date.today().isoformat(), "funding_level": "city", "voucher_no": "V"}
    response = client_for(city_cc).post(reverse("claim_disburse", args=[claim_a.pk]), form)
    assert response.status_code == 400 and "拨付金额必须大于0" in response.content.decode()
    assert Disbursement.objects.count() == 0


def test_payment_register_is_scoped_and_filtered(client_for, city_cc, province_user, unit_a, unit_b):
    mine = DisbursementFactory(claim=ApprovedClaimFactory(unit=unit_a), voucher_no="CC-1", funding_level="central")
    DisbursementFactory(claim=ApprovedClaimFactory(unit=unit_a), voucher_no="CC-2", funding_level="county")
    DisbursementFactory(claim=ApprovedClaimFactory(unit=unit_b), voucher_no="JL-1")
    page = client_for(city_cc).get(reverse("disbursement_list")).content.decode()
    assert "CC-1" in page and "CC-2" in page and "JL-1" not in page
    page = client_for(city_cc).get(reverse("disbursement_list"), {"funding_level": "central"}).content.decode()
    assert "CC-1" in page and "CC-2" not in page
    assert f"#{mine.claim_id}" in page
    page = client_for(province_user).get(reverse("disbursement_list"), {"region": "jilin"}).content.decode()
    assert "JL-1" in page and "CC-1" not in page


def test_payment_register_downloads_the_filtered_rows_as_xlsx(client_for, city_cc, unit_a, unit_b):
    evil = ApprovedUnitFactory(name='=HYPERLINK("http://x")', region_code="changchun")
    DisbursementFactory(
        claim=ApprovedClaimFactory(unit=unit_a), voucher_no="CC-1", amount=Decimal("1234.50"), paid_on=date(2026, 4, 2)
    )
    DisbursementFactory(claim=ApprovedClaimFactory(unit=evil), voucher_no="CC-2", paid_on=date(2026, 4, 3))
    DisbursementFactory(claim=ApprovedClaimFactory(unit=unit_b), voucher_no="JL-1")
    response = client_for(city_cc).get(reverse("disbursement_list"), {"year": "2026", "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("拨付日期", "市（州）", "见习单位")
    vouchers = sorted(r[8] for r in rows[1:])
    assert vouchers == ["CC-1", "CC-2"]
    first = next(r for r in rows[1:] if r[8] == "CC-1")
    assert (first[1], first[2], float(first[6])) == ("长春市", "长春甲单位", 1234.5)
    assert first[0].date() == date(2026, 4, 2)
    injected = next(r for r in rows[1:] if r[8] == "CC-2")
    assert injected[2].startswith("'=")  # shown as text, never evaluated


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_payment_register_query_count_does_not_grow_with_rows(client_for, city_cc, unit_a):
    client = client_for(city_cc)
    DisbursementFactory(claim=ApprovedClaimFactory(unit=unit_a), voucher_no="CC-0")
    ApprovedClaimFactory(unit=unit_a)  # awaiting payment
    one = queries(client, reverse("disbursement_list"))
    for n in range(1, 13):
        DisbursementFactory(claim=ApprovedClaimFactory(unit=unit_a), voucher_no=f"CC-{n}")
        ApprovedClaimFactory(unit=unit_a)
    assert queries(client, reverse("disbursement_list")) == one <= 12


def test_claim_list_and_detail_query_counts_do_not_grow_with_rows(client_for, province_user, unit_a, employer_a):
    client = client_for(province_user)
    ApprovedClaimFactory(unit=unit_a)
    one = queries(client, reverse("claim_list"))
    for _ in range(12):
        ApprovedClaimFactory(unit=unit_a)
    assert queries(client, reverse("claim_list")) == one <= 10
    for n in range(2):
        FiledPlacementFactory(post=ApprovedPostFactory(unit=unit_a), trainee__name=f"甲{n}")
    small = services.claim_create(
        unit_id=unit_a.pk, period_from=date(2026, 3, 1), period_to=date(2026, 3, 1), by=employer_a
    )
    for n in range(6):
        FiledPlacementFactory(post=ApprovedPostFactory(unit=unit_a), trainee__name=f"乙{n}")
    large = services.claim_create(
        unit_id=unit_a.pk, period_from=date(2026, 3, 1), period_to=date(2026, 4, 1), by=employer_a
    )
    assert (small.lines.count(), large.lines.count()) == (2, 14)  # April for all 8, March for the 6 new ones
    assert queries(client, detail(small)) == queries(client, detail(large))


def test_employer_cannot_open_the_payment_register(client_for, employer_a):
    assert client_for(employer_a).get(reverse("disbursement_list")).status_code == 403


# --- province view ------------------------------------------------------------------------------


# The summary of 2026 with the money paid in 2026: the day is fixed (DESIGN.md, Programme years).
@time_machine.travel(datetime(2026, 12, 3, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_province_summary_by_region_category_and_funding_level(
    client_for, province_user, city_cc, city_jl, unit_a, unit_b, employer_a, employer_b, approve
):
    FiledPlacementFactory(post=ApprovedPostFactory(unit=unit_a), trainee__category="unemployed_youth")
    FiledPlacementFactory(post=ApprovedPostFactory(unit=unit_a))
    FiledPlacementFactory(post=ApprovedPostFactory(unit=unit_b), trainee__category="vocational_graduate")
    march = date(2026, 3, 1)
    a = approve(
        services.claim_create(unit_id=unit_a.pk, period_from=march, period_to=march, by=employer_a), employer_a, city_cc
    )
    b = approve(
        services.claim_create(unit_id=unit_b.pk, period_from=march, period_to=march, by=employer_b), employer_b, city_jl
    )
    services.disbursement_record(
        claim_id=a.pk, amount="3000", paid_on=date(2026, 12, 3), funding_level="central", voucher_no="A1", by=city_cc
    )
    services.disbursement_record(
        claim_id=b.pk, amount="1920", paid_on=date(2026, 12, 3), funding_level="city", voucher_no="B1", by=city_jl
    )
    response = client_for(province_user).get(reverse("subsidy_summary"), {"year": "2026"})
    rows = {r.region.code: r for r in response.context["rows"]}
    # 长春: college 2120.00, unemployed 2120.00 × 60% = 1272.00; 吉林: vocational 1920.00
    assert rows["changchun"].category_cells() == [Decimal("2120.00"), Decimal("0"), Decimal("1272.00")]
    assert rows["jilin"].category_cells() == [Decimal("0"), Decimal("1920.00"), Decimal("0")]
    assert rows["changchun"].level_cells() == [Decimal("3000.00"), Decimal("0"), Decimal("0"), Decimal("0")]
    total = response.context["total"]
    assert (total.approved, total.paid) == (Decimal("5312.00"), Decimal("4920.00"))
    page = response.content.decode()
    assert "5312.00" in page and "全省" in page


def test_a_city_sees_only_its_own_row(client_for, city_jl):
    response = client_for(city_jl).get(reverse("subsidy_summary"))
    assert [r.region.code for r in response.context["rows"]] == ["jilin"]
    assert "全省" not in response.content.decode()


def test_employer_cannot_open_the_province_view(client_for, employer_a):
    assert client_for(employer_a).get(reverse("subsidy_summary")).status_code == 403


# --- rules --------------------------------------------------------------------------------------


def test_rule_pages_are_for_admins_only(client_for, city_cc, province_user):
    for user in (city_cc, province_user):
        client = client_for(user)
        assert client.get(reverse("subsidy_rules")).status_code == 403
        assert client.post(reverse("subsidy_rule_new", args=["rate"]), {}).status_code == 403


def test_admin_lists_rules_and_adds_a_version_with_history(client_for, admin_user):
    # The new version starts on 1 January of next year, whatever day the suite runs: still to come
    # ("待生效"), and the current one ends the day before (DESIGN.md, Programme years).
    next_year = timezone.localdate().year + 1
    client = client_for(admin_user)
    page = client.get(reverse("subsidy_rules")).content.decode()
    assert "16—24岁失业青年 按当地最低工资标准的 60%" in page
    assert "2022-12-31" in page and "现行" in page
    form = {
        "valid_from": f"{next_year}-01-01",
        "document": "吉人社联〔2026〕1号",
        "category": "unemployed_youth",
        "rate": "80",
    }
    assert client.post(reverse("subsidy_rule_new", args=["rate"]), form).status_code == 302
    old, new = SubsidyRate.objects.filter(category="unemployed_youth").order_by("valid_from")
    assert (old.rate, old.valid_to, new.rate, new.valid_from) == (
        Decimal("0.60"),
        date(next_year - 1, 12, 31),
        Decimal("0.80"),
        date(next_year, 1, 1),
    )
    assert old.history.first().history_user == admin_user
    page = client.get(reverse("subsidy_rules")).content.decode()
    assert "待生效" in page and "吉人社联〔2026〕1号" in page and "admin_t" in page


def test_a_version_that_does_not_start_after_the_current_one_is_refused(client_for, admin_user):
    form = {"valid_from": "2021-12-01", "category": "college_graduate", "rate": "90"}
    response = client_for(admin_user).post(reverse("subsidy_rule_new", args=["rate"]), form)
    assert response.status_code == 200 and "已有版本不能修改" in response.content.decode()
    assert SubsidyRate.objects.filter(category="college_graduate").count() == 1


def test_a_rate_above_100_percent_is_refused(client_for, admin_user):
    form = {"valid_from": "2027-01-01", "category": "college_graduate", "rate": "120"}
    response = client_for(admin_user).post(reverse("subsidy_rule_new", args=["rate"]), form)
    assert "0%至100%之间" in response.content.decode()
    assert SubsidyRate.objects.count() == 3


def test_unknown_rule_kind_is_404(client_for, admin_user):
    assert client_for(admin_user).get(reverse("subsidy_rule_new", args=["nope"])).status_code == 404


def test_nav_links_per_role(client_for, employer_a, city_cc, admin_user):
    assert "补贴申领" in client_for(employer_a).get("/").content.decode()
    page = client_for(city_cc).get("/").content.decode()
    assert "拨付登记" in page and "待审核的补贴申领" in page
    assert "补贴规则" in client_for(admin_user).get("/").content.decode()
