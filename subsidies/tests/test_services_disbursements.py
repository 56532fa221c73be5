"""Disbursements: city staff pay approved claims of their region, never above the approved
amount (also concurrently), with a known funding level; bad input is refused, nothing saved."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from jianxi_portal.core.models import User
from jianxi_portal.tests.factories import UserFactory
from subsidies import services
from subsidies.models import Claim, Disbursement
from subsidies.tests.factories import ApprovedClaimFactory, ClaimFactory

PAID_ON = date(2026, 4, 20)


@pytest.fixture
def approved(unit_a):
    """An approved claim of unit_a (长春市) for 1880.00 yuan."""
    return ApprovedClaimFactory(unit=unit_a, first_approved_on=date(2026, 4, 10))


def pay(claim, by, amount, **kwargs):
    values = {"paid_on": PAID_ON, "funding_level": "province", "voucher_no": "2026-省-0001", **kwargs}
    return services.disbursement_record(claim_id=claim.pk, amount=amount, by=by, **values)


def test_partial_then_full_payment(approved, city_cc):
    first = pay(approved, city_cc, "1000.00", funding_level="central")
    approved.refresh_from_db()
    assert (approved.paid_total, approved.payment_status) == (Decimal("1000.00"), "partly_paid")
    assert (first.region_id, first.amount, first.recorded_by) == (approved.region_id, Decimal("1000.00"), city_cc)
    pay(approved, city_cc, Decimal("880.00"), funding_level="city")
    approved.refresh_from_db()
    assert (approved.paid_total, approved.payment_status, approved.unpaid_amount) == (
        Decimal("1880.00"),
        "paid",
        Decimal("0.00"),
    )


def test_payment_above_the_approved_amount_is_refused_and_nothing_saved(approved, city_cc):
    pay(approved, city_cc, "1000.00")
    with pytest.raises(ValidationError) as exc:
        pay(approved, city_cc, "880.01")
    assert exc.value.message_dict["amount"] == [
        "超出核定金额：核定 1880.00 元，已拨付 1000.00 元，本次 880.01 元，最多还可拨付 880.00 元。"
    ]
    approved.refresh_from_db()
    assert (Disbursement.objects.count(), approved.paid_total) == (1, Decimal("1000.00"))


@pytest.mark.parametrize(
    "amount, message",
    [
        ("-100", "拨付金额必须大于0"),
        ("0", "拨付金额必须大于0"),
        ("abc", "拨付金额必须是数字"),
        ("10.005", "最多保留两位小数"),
        ("", "请填写拨付金额"),
        ("NaN", "拨付金额必须是数字"),
    ],
)
def test_bad_amounts_are_refused(approved, city_cc, amount, message):
    with pytest.raises(ValidationError, match=message):
        pay(approved, city_cc, amount)
    assert Disbursement.objects.count() == 0


def test_unknown_funding_level_is_refused(approved, city_cc):
    with pytest.raises(ValidationError) as exc:
        pay(approved, city_cc, "100", funding_level="township")
    assert "未知的资金级次“township”" in exc.value.message_dict["funding_level"][0]
    assert "central（中央）" in exc.value.message_dict["funding_level"][0]
    assert Disbursement.objects.count() == 0


def test_future_or_pre_approval_dates_and_missing_voucher_are_refused(approved, city_cc):
    with pytest.raises(ValidationError, match="不能晚于今天"):
        pay(approved, city_cc, "100", paid_on=date(2099, 1, 1))
    with pytest.raises(ValidationError, match="不能早于审核通过日期 2026-04-10"):
        pay(approved, city_cc, "100", paid_on=date(2026, 4, 9))
    with pytest.raises(ValidationError, match="请填写拨付凭证号"):
        pay(approved, city_cc, "100", voucher_no="  ")
    assert Disbursement.objects.count() == 0


@pytest.mark.parametrize("status", ["draft", "submitted", "rejected", "returned"])
def test_only_approved_claims_are_paid(unit_a, city_cc, status):
    claim = ClaimFactory(unit=unit_a, status=status, total=Decimal("100.00"))
    with pytest.raises(ValidationError, match="审核通过后才能拨付"):
        pay(claim, city_cc, "100")
    assert Disbursement.objects.count() == 0


def test_only_city_staff_of_the_claims_region_record_payments(approved, city_jl, province_user, employer_a, admin_user):
    for outsider in (city_jl, province_user, employer_a, admin_user):
        with pytest.raises(PermissionDenied):
            pay(approved, outsider, "100")
    assert Disbursement.objects.count() == 0


def test_the_database_refuses_paid_above_approved(approved):
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=approved.pk).update(paid_total=Decimal("1880.01"))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_payments_at_once_cannot_together_exceed_the_approved_amount(monkeypatch):
    from units.tests.factories import ApprovedUnitFactory

    unit = ApprovedUnitFactory()
    city = UserFactory(username="race_city", role=User.Role.CITY, region=unit.region)
    claim = ApprovedClaimFactory(unit=unit, first_approved_on=date(2026, 4, 1))
    barrier = threading.Barrier(2)
    original = services._clean_payment

    def checked_together(*args, **kwargs):
        # Without the claim's row lock both would read paid 0.00 here and both would pay 1000.00.
        values = original(*args, **kwargs)
        try:
            barrier.wait(timeout=2)
        except threading.BrokenBarrierError:
            pass  # the other request waits on the row lock: as intended
        return values

    monkeypatch.setattr(services, "_clean_payment", checked_together)
    results = [None, None]

    def run(i):
        try:
            results[i] = pay(claim, city, "1000.00", voucher_no=f"V{i}")
        except Exception as exc:  # noqa: BLE001 — the test inspects what each request met
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sum(isinstance(r, Disbursement) for r in results) == 1, results
    assert sum(isinstance(r, ValidationError) and "超出核定金额" in str(r) for r in results) == 1, results
    claim.refresh_from_db()
    assert (claim.paid_total, Disbursement.objects.count()) == (Decimal("1000.00"), 1)
