"""Retention of any term (DESIGN.md, Placement lifecycle and Subsidy rules), end to end: a unit that
keeps its trainee on a short contract without insurance records the retention, Annex 2 counts it,
the remaining-period subsidy is paid, and only the retention bonus asks for a year and insurance.

unit_a is in 长春市南关区 (长春市区, class 1: 1880 from 2021-12-01)."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from positions.tests.factories import ApprovedPostFactory
from reports.selectors import annex2_rows
from subsidies import services
from subsidies.tests.factories import FiledPlacementFactory
from trainees.services import placement_retain

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_duty_2022(unit_a):
    """A college graduate on duty at unit_a from 2022-07-01, agreed end 2022-12-31, filed and insured."""
    return FiledPlacementFactory(
        post=ApprovedPostFactory(unit=unit_a, first_approved_on=date(2022, 6, 1)),
        trainee__name="赵留",
        trainee__left_school_on=date(2022, 6, 30),
        signed_on=date(2022, 7, 1),
        planned_end=date(2022, 12, 31),
    )


def retain_on_a_six_month_contract_without_insurance(placement, by):
    """Retained on 2022-10-20, before the agreed end 2022-12-31."""
    return placement_retain(
        placement_id=placement.pk,
        ended_on=date(2022, 10, 20),
        contract_months=6,
        social_insurance_paid=False,
        by=by,
    )


def test_early_retention_on_a_six_month_contract_without_insurance_counts_and_earns_the_remaining_period(
    on_duty_2022, employer_a, changchun
):
    with time_machine.travel(date(2022, 11, 5), tick=False):
        retain_on_a_six_month_contract_without_insurance(on_duty_2022, employer_a)
        october = annex2_rows(2022, 10, [changchun])[0].values
        claim = services.claim_create(
            unit_id=employer_a.unit_id, period_from=date(2022, 10, 1), period_to=date(2022, 10, 1), by=employer_a
        )
    # Indicator 8 (completed or early-retained in October), 9 (of 8, retained), 10 (of 9, graduates).
    assert (october[8], october[9], october[10], october[12]) == (1, 1, 1, 0)
    lines = {line.kind: line for line in claim.lines.all()}
    # October's days on duty: 1–20 October, 1880.00 × 100% × 20 ÷ 31 = 1212.903… → 1212.90.
    assert lines["monthly"].amount == Decimal("1212.90")
    # The remaining agreed period, 21 October to 31 December, as if on duty:
    # 1880 × 11/31 + 1880 + 1880 = 667.096… + 3760 = 4427.096… → 4427.10.
    assert lines["remaining"].amount == Decimal("4427.10")
    assert claim.total == Decimal("5640.00")  # 1212.90 + 4427.10


def test_a_retention_on_a_short_contract_earns_no_retention_bonus(on_duty_2022, employer_a):
    with time_machine.travel(date(2022, 11, 5), tick=False):
        retain_on_a_six_month_contract_without_insurance(on_duty_2022, employer_a)
    with time_machine.travel(date(2023, 1, 10), tick=False):
        claim = services.claim_create(
            unit_id=employer_a.unit_id, period_from=date(2022, 10, 1), period_to=date(2022, 12, 1), by=employer_a
        )
    assert sorted(claim.lines.values_list("kind", flat=True)) == ["monthly", "remaining"]


def test_the_data_migration_fills_the_facts_the_old_rule_implied_and_keeps_every_retention(unit_a):
    """Retentions recorded under the old rule (a contract of 12 months or more, insurance paid) keep
    their term, gain the contract's last day, and rows written around the services (no term, no
    insurance recorded) get the least the old rule admitted: 12 months, insurance paid."""
    from importlib import import_module

    from django.apps import apps

    from trainees.models import Placement

    migration = import_module("trainees.migrations.0007_retention_contract_facts")
    post = ApprovedPostFactory(unit=unit_a)
    recorded = FiledPlacementFactory(
        post=post,
        status="ended",
        end="early_retained",
        outcome="retained",
        ended_on=date(2026, 5, 31),
        contract_signed_on=date(2026, 5, 31),
        contract_months=24,
        social_insurance_paid=True,
    )
    bare = FiledPlacementFactory(
        post=post, status="ended", end="completed", outcome="retained", ended_on=date(2026, 8, 30)
    )
    other = FiledPlacementFactory(
        post=post, status="ended", end="completed", outcome="other_employment", ended_on=date(2026, 8, 30)
    )
    migration.fill_old_rule_facts(apps, None)
    facts = {
        p.pk: (p.contract_months, p.contract_ends_on, p.social_insurance_paid, p.is_retained)
        for p in Placement.objects.all()
    }
    assert facts == {
        recorded.pk: (24, date(2028, 5, 30), True, True),  # 2026-05-31 + 24 months, the day before
        bare.pk: (12, None, True, True),  # no signing day recorded: no last day to compute
        other.pk: (None, None, False, False),
    }


def test_a_december_claim_pays_the_bonus_at_a_rate_without_the_abnormal_ends(unit_a, employer_a, client_for):
    """3 completed in 2025 (2 retained on 12-month contracts with insurance) and 2 abnormal ends:
    rate 2 ÷ 3 = 66.67% ≥ 50%, 2000.00 × 2 = 4000.00 (with the abnormal ends, 2 ÷ 5 = 40%: nothing)."""
    post = ApprovedPostFactory(unit=unit_a, slots=5, first_approved_on=date(2025, 2, 1))
    common = {"post": post, "signed_on": date(2025, 3, 1), "planned_end": date(2025, 8, 31), "status": "ended"}
    completed = {**common, "ended_on": date(2025, 8, 31), "end": "completed"}
    contract = {"contract_signed_on": date(2025, 9, 1), "contract_months": 12, "social_insurance_paid": True}
    kept = [
        FiledPlacementFactory(trainee__name=name, outcome="retained", **completed, **contract) for name in ("甲", "乙")
    ]
    FiledPlacementFactory(trainee__name="丙", outcome="none", **completed)
    for name in ("丁", "戊"):
        FiledPlacementFactory(
            trainee__name=name, ended_on=date(2025, 5, 20), end="abnormal", end_reason="personal", **common
        )
    with time_machine.travel(date(2026, 1, 10), tick=False):
        claim = services.claim_create(
            unit_id=unit_a.pk, period_from=date(2025, 12, 1), period_to=date(2025, 12, 1), by=employer_a
        )
    assert sorted((line.placement_id, line.kind, line.amount) for line in claim.lines.all()) == [
        (kept[0].pk, "bonus", Decimal("2000.00")),
        (kept[1].pk, "bonus", Decimal("2000.00")),
    ]
    assert claim.total == Decimal("4000.00")
    line = claim.lines.get(placement=kept[0])
    assert "留用率 2 ÷ 3 = 66.67%" in line.explanation["text"]
    assert "非正常结束 2 人不计入" in line.explanation["text"]
    page = client_for(employer_a).get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert "丁（2025-05-20 结束）：非正常结束，不计入留用率" in page
    assert "丙（2025-08-31 结束）：期满，去向为未就业：计入留用率分母，未留用" in page
    assert "甲（2025-08-31 结束）：期满留用，计入留用率；劳动合同 12 个月、已缴纳社会保险，计带教补贴" in page
