"""Claims: lines generated from filed placements, no placement-month twice (also concurrently),
insurance flags blocking submission, the review workflow, frozen amounts.

unit_a is in 长春市南关区 (minimum-wage class 1: 1880 from 2021-12-01, 2120 from 2024-10-01)."""

import threading
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from jianxi_portal.core.models import Notification, ReviewLog
from jianxi_portal.core.review import InvalidTransition
from jianxi_portal.tests.concurrency import run_together
from jianxi_portal.tests.factories import UserFactory
from positions.tests.factories import ApprovedPostFactory
from subsidies import services
from subsidies.models import Claim, ClaimLine
from subsidies.tests.factories import FiledPlacementFactory
from trainees.models import Placement

SHANGHAI = ZoneInfo("Asia/Shanghai")
MARCH, APRIL, MAY = date(2026, 3, 1), date(2026, 3 + 1, 1), date(2026, 5, 1)


def filed(unit, **kwargs):
    return FiledPlacementFactory(post=ApprovedPostFactory(unit=unit), **kwargs)


def create(employer, first, last=None):
    return services.claim_create(unit_id=employer.unit_id, period_from=first, period_to=last or first, by=employer)


def amounts(claim):
    lines = claim.lines.select_related("placement__trainee")
    return sorted((line.placement.trainee.name, line.kind, line.month.isoformat(), line.amount) for line in lines)


def test_claim_has_one_line_per_filed_placement_month_with_its_explanation(unit_a, unit_b, employer_a):
    college = filed(unit_a, trainee__name="甲")  # 2026-03-01 … 2026-08-31
    youth = filed(unit_a, trainee__name="乙", trainee__category="unemployed_youth", signed_on=date(2026, 3, 15))
    filed(unit_a, trainee__name="未备案", filing_status="submitted")  # filing not confirmed: no subsidy
    filed(unit_b, trainee__name="别家")  # another unit's trainee
    claim = create(employer_a, MARCH, APRIL)
    assert amounts(claim) == [
        ("乙", "monthly", "2026-03-01", Decimal("697.55")),  # 2120.00 × 60% × 17 ÷ 31 = 21624 / 31 = 697.548…
        ("乙", "monthly", "2026-04-01", Decimal("1272.00")),  # 2120.00 × 60% × 30 ÷ 30
        ("甲", "monthly", "2026-03-01", Decimal("2120.00")),  # 2120.00 × 100% × 31 ÷ 31
        ("甲", "monthly", "2026-04-01", Decimal("2120.00")),
    ]
    assert claim.total == Decimal("6209.55")  # 697.55 + 1272.00 + 2120.00 + 2120.00
    assert (claim.status, claim.region_id) == ("draft", unit_a.region_id)
    assert (claim.period_from, claim.period_to) == (MARCH, APRIL)
    line = claim.lines.get(placement=youth, month=MARCH)
    assert "2120.00 元 × 60% × 17 天 ÷ 31 天 = 697.55 元" in line.explanation["text"]
    assert line.explanation["data"]["first_day"] == "2026-03-15"
    assert [r["kind"] for r in line.explanation["rules"]] == ["minimum_wage", "rate"]
    assert claim.lines.filter(placement=college).count() == 2


def test_claim_for_a_month_without_days_on_duty_is_refused_and_nothing_saved(unit_a, employer_a):
    filed(unit_a, signed_on=date(2026, 6, 1))
    with pytest.raises(ValidationError, match="在岗天数为0"):
        create(employer_a, APRIL)
    assert (Claim.objects.count(), ClaimLine.objects.count()) == (0, 0)


@time_machine.travel(datetime(2026, 11, 20, 10, tzinfo=SHANGHAI), tick=False)
def test_a_month_not_yet_over_cannot_be_claimed(unit_a, employer_a):
    filed(unit_a, signed_on=date(2026, 10, 1))
    with pytest.raises(ValidationError, match="尚未结束"):
        create(employer_a, date(2026, 11, 1))  # today is 2026-11-20: November has not ended
    assert Claim.objects.count() == 0


def test_period_end_before_start_and_more_than_twelve_months_are_refused(unit_a, employer_a):
    filed(unit_a)
    with pytest.raises(ValidationError, match="不能早于起始月"):
        create(employer_a, APRIL, MARCH)
    with pytest.raises(ValidationError, match="最多申领12个月"):
        create(employer_a, date(2024, 1, 1), date(2025, 1, 1))
    assert Claim.objects.count() == 0


def test_the_same_placement_month_cannot_be_claimed_twice(unit_a, employer_a):
    filed(unit_a)
    first = create(employer_a, MARCH)
    with pytest.raises(ValidationError, match=f"已在申领 #{first.pk}"):
        create(employer_a, MARCH)
    assert Claim.objects.count() == 1
    # A range overlapping a claimed month takes only the months not yet claimed.
    second = create(employer_a, MARCH, APRIL)
    assert [line.month for line in second.lines.all()] == [APRIL]
    assert ClaimLine.objects.filter(live=True, month=MARCH).count() == 1


def test_the_database_refuses_a_second_live_line_for_a_placement_month(unit_a, employer_a):
    placement = filed(unit_a)
    claim = create(employer_a, MARCH)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimLine.objects.create(claim=claim, placement=placement, kind="monthly", month=MARCH, amount=Decimal("1"))


def test_a_rejected_claim_frees_its_placement_months(unit_a, employer_a, city_cc):
    filed(unit_a)
    claim = create(employer_a, MARCH)
    services.claim_submit(claim_id=claim.pk, by=employer_a)
    services.claim_reject(claim_id=claim.pk, by=city_cc, opinion="材料不全")
    assert list(claim.lines.values_list("live", flat=True)) == [False]
    again = create(employer_a, MARCH)
    assert again.total == Decimal("2120.00")


def test_a_returned_claim_keeps_its_months_and_is_resubmitted(unit_a, employer_a, city_cc):
    filed(unit_a)
    claim = create(employer_a, MARCH)
    services.claim_submit(claim_id=claim.pk, by=employer_a)
    with pytest.raises(ValidationError, match="必须填写审核意见"):
        services.claim_return(claim_id=claim.pk, by=city_cc, opinion=" ")
    services.claim_return(claim_id=claim.pk, by=city_cc, opinion="请核对到岗日期")
    with pytest.raises(ValidationError, match="已在申领"):
        create(employer_a, MARCH)
    claim = services.claim_submit(claim_id=claim.pk, by=employer_a)
    assert claim.status == "submitted"
    assert list(ReviewLog.objects.values_list("action", flat=True)) == ["submit", "return", "submit"]


def test_a_line_without_accident_insurance_is_flagged_and_blocks_submission(unit_a, employer_a):
    placement = filed(unit_a, trainee__name="丙", insurer="", insurance_policy_no="")
    claim = create(employer_a, MARCH)
    line = claim.lines.get()
    assert "未登记人身意外伤害保险" in line.insurance_problem
    with pytest.raises(ValidationError, match="丙"):
        services.claim_submit(claim_id=claim.pk, by=employer_a)
    claim.refresh_from_db()
    assert claim.status == "draft" and claim.submitted_at is None
    Placement.objects.filter(pk=placement.pk).update(insurer="人保财险", insurance_policy_no="P-1")
    assert services.claim_submit(claim_id=claim.pk, by=employer_a).status == "submitted"


def test_a_unit_without_a_payee_account_cannot_submit_a_claim_until_it_adds_one(unit_a, employer_a, client_for):
    from units.services import unit_payee_update

    Unit = type(unit_a)
    empty = {f"bank_account_{suffix}": "" for suffix in ("cipher", "digest", "masked")}
    Unit.objects.filter(pk=unit_a.pk).update(bank_name="", **empty)
    filed(unit_a)
    claim = create(employer_a, MARCH)  # a draft may be prepared before the account is given
    with pytest.raises(ValidationError) as exc:
        services.claim_submit(claim_id=claim.pk, by=employer_a)
    assert exc.value.message_dict == {"non_field_errors": [services.PAYEE_MISSING]}
    assert "补贴收款账户" in services.PAYEE_MISSING
    page = client_for(employer_a).get(f"/claims/{claim.pk}/").content.decode()
    assert "本单位尚未登记补贴收款账户" in page
    claim.refresh_from_db()
    assert claim.status == "draft" and claim.submitted_at is None
    unit_payee_update(unit_id=unit_a.pk, by=employer_a, bank_name="中国银行", bank_account="6222020099990001")
    assert services.claim_submit(claim_id=claim.pk, by=employer_a).status == "submitted"
    page = client_for(employer_a).get(f"/claims/{claim.pk}/").content.decode()
    assert "6222********0001" in page and "6222020099990001" not in page  # claim pages: masked


def test_insurance_that_does_not_cover_the_days_on_duty_is_flagged(unit_a, employer_a):
    filed(unit_a, insurance_to=date(2026, 3, 20))
    claim = create(employer_a, MARCH)
    assert "未覆盖在岗期间 2026-03-01 至 2026-03-31" in claim.lines.get().insurance_problem
    with pytest.raises(ValidationError):
        services.claim_submit(claim_id=claim.pk, by=employer_a)


def test_review_sets_the_deadline_notifies_and_approval_fixes_the_amount(unit_a, employer_a, city_cc, city_jl):
    filed(unit_a)
    claim = create(employer_a, MARCH)
    claim = services.claim_submit(claim_id=claim.pk, by=employer_a)
    assert claim.review_deadline is not None
    assert Notification.objects.filter(recipient=city_cc).exists()
    assert not Notification.objects.filter(recipient=city_jl).exists()
    with pytest.raises(PermissionDenied):
        services.claim_approve(claim_id=claim.pk, by=city_jl)
    with pytest.raises(PermissionDenied):
        services.claim_approve(claim_id=claim.pk, by=employer_a)
    claim = services.claim_approve(claim_id=claim.pk, by=city_cc, opinion="同意")
    assert (claim.status, claim.approved_amount, claim.payment_status) == ("approved", Decimal("2120.00"), "unpaid")
    assert Notification.objects.filter(recipient=employer_a).exists()
    with pytest.raises(InvalidTransition):
        services.claim_reject(claim_id=claim.pk, by=city_cc, opinion="晚了")


def test_another_unit_cannot_claim_or_submit_for_a_unit(unit_a, unit_b, employer_a, employer_b, city_jl):
    filed(unit_a)
    with pytest.raises(PermissionDenied):
        services.claim_create(unit_id=unit_a.pk, period_from=MARCH, period_to=MARCH, by=employer_b)
    with pytest.raises(PermissionDenied):
        services.claim_create(unit_id=unit_a.pk, period_from=MARCH, period_to=MARCH, by=city_jl)
    claim = create(employer_a, MARCH)
    with pytest.raises(PermissionDenied):
        services.claim_submit(claim_id=claim.pk, by=employer_b)
    with pytest.raises(PermissionDenied):
        services.claim_delete(claim_id=claim.pk, by=employer_b)


def test_city_staff_may_claim_for_a_unit_of_their_region(unit_a, city_cc):
    filed(unit_a)
    claim = services.claim_create(unit_id=unit_a.pk, period_from=MARCH, period_to=MARCH, by=city_cc)
    assert claim.total == Decimal("2120.00")


def test_changing_a_rule_never_changes_an_amount_already_claimed(unit_a, employer_a, admin_user):
    filed(unit_a)
    claim = create(employer_a, MARCH)
    services.rule_version_add(
        kind="rate", by=admin_user, valid_from=date(2026, 3, 1), category="college_graduate", rate="0.80"
    )
    claim.refresh_from_db()
    line = claim.lines.get()
    assert (claim.total, line.amount) == (Decimal("2120.00"), Decimal("2120.00"))
    assert "100%" in line.explanation["text"]
    # Recomputing the draft on purpose uses the rule now in force for March: 2120.00 × 80% = 1696.00
    assert services.claim_regenerate(claim_id=claim.pk, by=employer_a).total == Decimal("1696.00")


def test_regenerate_picks_up_a_corrected_end_and_delete_removes_a_draft(unit_a, employer_a):
    placement = filed(unit_a)
    claim = create(employer_a, MARCH)
    Placement.objects.filter(pk=placement.pk).update(
        status="ended", ended_on=date(2026, 3, 10), end="abnormal", end_reason="personal"
    )
    claim = services.claim_regenerate(claim_id=claim.pk, by=employer_a)
    assert claim.total == Decimal("683.87")  # 2120.00 × 100% × 10 ÷ 31 = 21200 / 31 = 683.870…
    services.claim_delete(claim_id=claim.pk, by=employer_a)
    assert (Claim.objects.count(), ClaimLine.objects.count()) == (0, 0)


def test_a_submitted_claim_cannot_be_recomputed_or_deleted(unit_a, employer_a):
    filed(unit_a)
    claim = create(employer_a, MARCH)
    services.claim_submit(claim_id=claim.pk, by=employer_a)
    with pytest.raises(ValidationError, match="不能修改"):
        services.claim_regenerate(claim_id=claim.pk, by=employer_a)
    with pytest.raises(ValidationError, match="不能修改"):
        services.claim_delete(claim_id=claim.pk, by=employer_a)


# --- remaining period and retention bonus -------------------------------------------------------


def test_early_retention_in_2022_adds_the_remaining_period_line(unit_a, employer_a):
    filed(
        unit_a,
        trainee__name="丁",
        signed_on=date(2022, 6, 1),
        planned_end=date(2022, 11, 30),
        status="ended",
        ended_on=date(2022, 9, 15),
        end="early_retained",
        contract_signed_on=date(2022, 9, 16),
        contract_months=24,
        social_insurance_paid=True,
        insurance_to=date(2022, 9, 15),
    )
    claim = create(employer_a, date(2022, 9, 1))
    assert amounts(claim) == [
        ("丁", "monthly", "2022-09-01", Decimal("940.00")),  # 1880.00 × 100% × 15 ÷ 30
        # 16–30 Sep, October, November as if on duty: 1880 × 15 ÷ 30 + 1880 × 31 ÷ 31 + 1880 × 30 ÷ 30
        ("丁", "remaining", "2022-09-01", Decimal("4700.00")),
    ]
    remaining = claim.lines.get(kind="remaining")
    assert remaining.insurance_problem == ""  # the policy need not cover days after the retention
    assert "剩余协议期限 2022-09-16 至 2022-11-30" in remaining.explanation["text"]


def test_early_retention_after_2022_adds_no_remaining_period_line(unit_a, employer_a):
    filed(
        unit_a,
        signed_on=date(2023, 1, 1),
        planned_end=date(2023, 6, 30),
        status="ended",
        ended_on=date(2023, 3, 15),
        end="early_retained",
        contract_months=12,
        social_insurance_paid=True,
    )
    claim = create(employer_a, date(2023, 3, 1))
    assert [line.kind for line in claim.lines.all()] == ["monthly"]
    assert claim.total == Decimal("909.68")  # 1880.00 × 100% × 15 ÷ 31 = 28200 / 31 = 909.677…


def ended_2025(unit, name, outcome, **kwargs):
    return filed(
        unit,
        trainee__name=name,
        signed_on=date(2025, 3, 1),
        planned_end=date(2025, 8, 31),
        status="ended",
        ended_on=date(2025, 8, 31),
        end="completed",
        outcome=outcome,
        **kwargs,
    )


def test_a_december_claim_adds_the_retention_bonus_at_fifty_percent(unit_a, employer_a):
    kept = ended_2025(unit_a, "留用", "retained", contract_months=12, social_insurance_paid=True)
    ended_2025(unit_a, "未就业", "none")
    claim = create(employer_a, date(2025, 12, 1))
    assert amounts(claim) == [("留用", "bonus", "2025-12-01", Decimal("2000.00"))]  # 1 ÷ 2 = 50%: 2000.00 × 1
    line = claim.lines.get()
    assert line.placement == kept
    assert "留用率 1 ÷ 2 = 50%" in line.explanation["text"]
    with pytest.raises(ValidationError, match="已在申领"):
        create(employer_a, date(2025, 12, 1))


def test_a_unit_below_fifty_percent_has_no_bonus_to_claim(unit_a, employer_a):
    ended_2025(unit_a, "留用", "retained", contract_months=12, social_insurance_paid=True)
    ended_2025(unit_a, "未就业1", "none")
    ended_2025(unit_a, "未就业2", "other_employment")
    with pytest.raises(ValidationError, match="无可申领的金额"):
        create(employer_a, date(2025, 12, 1))  # 1 ÷ 3 = 33.33% < 50%


# --- concurrency (PostgreSQL) -------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_claims_for_one_placement_month_at_once_exactly_one_succeeds(monkeypatch):
    from jianxi_portal.core.models import User
    from units.tests.factories import ApprovedUnitFactory

    unit = ApprovedUnitFactory()
    employer = UserFactory(username="race_employer", role=User.Role.EMPLOYER, unit=unit)
    filed(unit)
    barrier = threading.Barrier(2)
    original = services._candidate_lines

    def computed_together(claim):
        # Both claims have computed their lines and found the month free before either saves.
        lines = original(claim)
        barrier.wait(timeout=10)
        return lines

    monkeypatch.setattr(services, "_candidate_lines", computed_together)
    results = run_together(lambda: create(employer, MARCH), lambda: create(employer, MARCH))
    claims = [r for r in results if isinstance(r, Claim)]
    errors = [r for r in results if isinstance(r, ValidationError)]
    assert (len(claims), len(errors)) == (1, 1), results
    assert "同一月份只能申领一次" in str(errors[0])
    assert Claim.objects.count() == 1
    assert ClaimLine.objects.filter(month=MARCH, live=True).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_when_both_claims_insert_at_once_the_partial_unique_index_decides(monkeypatch):
    from jianxi_portal.core.models import User
    from units.tests.factories import ApprovedUnitFactory

    unit = ApprovedUnitFactory()
    employer = UserFactory(username="race_employer2", role=User.Role.EMPLOYER, unit=unit)
    filed(unit)
    barrier = threading.Barrier(2)
    manager = ClaimLine.objects
    original = manager.bulk_create

    def insert_together(lines, *args, **kwargs):
        # Both passed the "already claimed?" read; only the database constraint can stop the second.
        barrier.wait(timeout=10)
        return original(lines, *args, **kwargs)

    monkeypatch.setattr(manager, "bulk_create", insert_together)
    results = run_together(lambda: create(employer, MARCH), lambda: create(employer, MARCH))
    errors = [r for r in results if isinstance(r, ValidationError)]
    assert sum(isinstance(r, Claim) for r in results) == 1 and len(errors) == 1, results
    assert "刚被另一份申领占用" in str(errors[0])
    assert (Claim.objects.count(), ClaimLine.objects.count()) == (1, 1)


def test_claims_are_a_review_queue_source_and_decisions_go_through_the_services(unit_a, employer_a, city_cc, city_jl):
    from jianxi_portal.core import review_queue

    filed(unit_a)
    claim = services.claim_submit(claim_id=create(employer_a, MARCH).pk, by=employer_a)
    source = review_queue.SOURCES["claim"]
    items = review_queue.PendingQueue(city_cc, review_queue.QueueFilter(kinds=("claim",)))[0:50]
    assert [i.obj.pk for i in items] == [claim.pk]
    assert items[0].title == "长春甲单位 2026年3月 申领 2120.00 元"
    assert items[0].url == f"/claims/{claim.pk}/"
    assert review_queue.PendingQueue(city_jl, review_queue.QueueFilter(kinds=("claim",)))[0:50] == []
    if getattr(source, "decide", None) is not None:
        review_queue.decide(source, claim.pk, action="reject", by=city_cc, opinion="重复申报")
        assert not ClaimLine.objects.filter(claim=claim, live=True).exists()


def test_a_claim_for_a_unit_that_does_not_exist_is_refused(city_cc):
    with pytest.raises(ValidationError, match="申领单位不存在"):
        services.claim_create(unit_id=987654, period_from=MARCH, period_to=MARCH, by=city_cc)


def test_payment_before_the_claimed_period_is_refused(unit_a, city_cc):
    from subsidies.tests.factories import ApprovedClaimFactory

    claim = ApprovedClaimFactory(unit=unit_a)  # March 2026, no approval date recorded
    with pytest.raises(ValidationError, match="不能早于申领期间"):
        services.disbursement_record(
            claim_id=claim.pk, amount="1", paid_on=date(2001, 1, 1), funding_level="city", voucher_no="V", by=city_cc
        )
