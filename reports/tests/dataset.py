"""A hand-counted dataset for May 2022 (M = 2022-05-01 … 2022-05-31) in 长春市 and 吉林市, built with
the other apps' factories. Each record's comment says which indicators it counts for; the expected
values below were counted by hand from those comments, not computed by the code under test.

Edge cases (DESIGN.md, Annex 2): a placement planned in May but started in June (cc_a); one started and ended
abnormally within May (cc_b); an early retention (cc_c); a unit revoked in May (cc_u3, and its posts);
a payment on May 31 and one on June 1; plus a unit revoked ON May 31 (jl_u2, still 实有 by the
definition "not revoked before end") and a cancelled agreement planned in May (cc_i)."""

from datetime import date
from decimal import Decimal

from positions.tests.factories import ApprovedPostFactory
from subsidies.tests.factories import ClaimFactory, DisbursementFactory
from trainees.tests.factories import OnDutyPlacementFactory
from units.tests.factories import ApprovedUnitFactory, UnitFactory

D = date


def _placement(
    post, *, planned, started=None, ended=None, end="", outcome="", category="college_graduate", status=None
):
    status = status or ("ended" if ended else ("on_duty" if started else "planned"))
    return OnDutyPlacementFactory(
        post=post,
        signed_on=planned,
        planned_start=planned,
        started_on=started,
        ended_on=ended,
        end=end,
        outcome=outcome,
        category=category,
        status=status,
    )


def build_may_2022() -> dict:
    objs = {}
    # ---- 长春市: units ------------------------------------------------------------------------
    objs["cc_u1"] = u1 = ApprovedUnitFactory(first_approved_on=D(2022, 3, 10))  # 1
    objs["cc_u2"] = u2 = ApprovedUnitFactory(first_approved_on=D(2022, 5, 12))  # 1, 2
    objs["cc_u3"] = u3 = ApprovedUnitFactory(
        first_approved_on=D(2022, 5, 3), status="revoked", revoked_on=D(2022, 5, 20)
    )  # revoked in May: none
    ApprovedUnitFactory(first_approved_on=D(2022, 6, 1))  # approved in June: none
    ApprovedUnitFactory(first_approved_on=D(2021, 12, 1), status="revoked", revoked_on=D(2022, 4, 30))  # none
    UnitFactory()  # draft: none
    # ---- 长春市: posts (slots) -----------------------------------------------------------------
    p1 = ApprovedPostFactory(unit=u1, first_approved_on=D(2022, 3, 15), slots=5)  # 3: +5
    ApprovedPostFactory(unit=u2, first_approved_on=D(2022, 5, 15), slots=3)  # 3, 4: +3
    ApprovedPostFactory(
        unit=u3, first_approved_on=D(2022, 5, 5), slots=4, status="closed", closed_on=D(2022, 5, 20)
    )  # closed by revocation
    ApprovedPostFactory(unit=u3, first_approved_on=D(2022, 4, 1), slots=7)  # unit revoked: none
    ApprovedPostFactory(
        unit=u1, first_approved_on=D(2022, 4, 1), slots=2, status="closed", closed_on=D(2022, 5, 10)
    )  # closed in May: none
    ApprovedPostFactory(unit=u1, first_approved_on=D(2022, 5, 31), slots=1)  # 3, 4: +1 (last day)
    ApprovedPostFactory(unit=u1, first_approved_on=D(2022, 6, 1), slots=6)  # June: none
    ApprovedPostFactory(
        unit=u1, first_approved_on=D(2022, 2, 1), slots=2, status="closed", closed_on=D(2022, 6, 5)
    )  # open at end: 3 +2
    # ---- 长春市: placements ------------------------------------------------------------------
    objs["cc_a"] = _placement(p1, planned=D(2022, 5, 20), started=D(2022, 6, 2))  # 5
    objs["cc_b"] = _placement(
        p1, planned=D(2022, 5, 5), started=D(2022, 5, 5), ended=D(2022, 5, 25), end="abnormal"
    )  # 5, 6, 7, 12
    objs["cc_c"] = _placement(
        p1, planned=D(2022, 1, 10), started=D(2022, 1, 10), ended=D(2022, 5, 15), end="early_retained"
    )  # 8, 9, 10
    _placement(
        p1,
        planned=D(2021, 12, 1),
        started=D(2021, 12, 1),
        ended=D(2022, 5, 31),
        end="completed",
        outcome="retained",
        category="unemployed_youth",
    )  # 8, 9
    _placement(
        p1,
        planned=D(2021, 11, 15),
        started=D(2021, 11, 15),
        ended=D(2022, 5, 16),
        end="completed",
        outcome="other_employment",
        category="vocational_graduate",
    )  # 8, 11
    _placement(
        p1, planned=D(2021, 11, 20), started=D(2021, 11, 20), ended=D(2022, 5, 18), end="completed", outcome="none"
    )  # 8
    _placement(p1, planned=D(2022, 4, 25), started=D(2022, 5, 3), category="unemployed_youth")  # 5, 6, 13
    _placement(
        p1, planned=D(2022, 3, 1), started=D(2022, 3, 1), ended=D(2022, 6, 10), end="completed", outcome="none"
    )  # 13
    _placement(p1, planned=D(2022, 5, 10), status="cancelled")  # cancelled: none
    _placement(p1, planned=D(2022, 2, 1), started=D(2022, 2, 1), ended=D(2022, 4, 30), end="abnormal")  # none
    _placement(p1, planned=D(2022, 5, 31), started=D(2022, 5, 31))  # 5, 6, 7, 13
    _placement(p1, planned=D(2022, 4, 1), started=D(2022, 4, 1), ended=D(2022, 6, 1), end="abnormal")  # 13
    # ---- 长春市: disbursements ---------------------------------------------------------------
    cc_claim = ClaimFactory(unit=u1, status="approved", approved_amount=Decimal("100000.00"))
    for paid_on, amount in [
        (D(2022, 5, 31), "12345.00"),  # 14: last day of May
        (D(2022, 6, 1), "50000.00"),  # none: first day of June
        (D(2022, 1, 1), "7655.00"),  # 14: first day of the year
        (D(2021, 12, 31), "9999.00"),  # none: last year
        (D(2022, 3, 15), "5050.00"),  # 14
    ]:
        DisbursementFactory(claim=cc_claim, paid_on=paid_on, amount=Decimal(amount))
    # ---- 吉林市 -------------------------------------------------------------------------------
    objs["jl_u1"] = j1 = ApprovedUnitFactory(region_code="jilin", first_approved_on=D(2022, 5, 1))  # 1, 2
    objs["jl_u2"] = j2 = ApprovedUnitFactory(
        region_code="jilin", first_approved_on=D(2022, 2, 1), status="revoked", revoked_on=D(2022, 5, 31)
    )  # 1 (revoked ON the end)
    jp1 = ApprovedPostFactory(unit=j1, first_approved_on=D(2022, 5, 1), slots=10)  # 3, 4: +10
    ApprovedPostFactory(
        unit=j2, first_approved_on=D(2022, 2, 5), slots=4, status="closed", closed_on=D(2022, 5, 31)
    )  # closed on the end: none
    _placement(jp1, planned=D(2022, 5, 2), started=D(2022, 5, 2))  # 5, 6, 7, 13
    _placement(
        jp1,
        planned=D(2022, 4, 1),
        started=D(2022, 4, 1),
        ended=D(2022, 5, 31),
        end="early_retained",
        category="vocational_graduate",
    )  # 8, 9
    jl_claim = ClaimFactory(unit=j1, status="approved", approved_amount=Decimal("100000.00"))
    DisbursementFactory(claim=jl_claim, paid_on=D(2022, 5, 10), amount=Decimal("4950.00"))  # 14
    return objs


#                1  2   3   4  5  6  7  8  9 10 11 12 13  14
EXPECTED = {
    "changchun": [2, 1, 11, 4, 4, 3, 2, 4, 2, 1, 1, 1, 4, Decimal("2.51")],  # 25050.00 yuan: 2.505 → 2.51
    "jilin": [2, 1, 10, 10, 1, 1, 1, 1, 1, 0, 0, 0, 1, Decimal("0.50")],  # 4950.00 yuan: 0.495 → 0.50
}
ZERO = [0] * 13 + [Decimal("0.00")]
TOTAL = [4, 2, 21, 14, 5, 4, 3, 5, 3, 1, 1, 1, 5, Decimal("3.01")]


def expected(code: str) -> list:
    return EXPECTED.get(code, ZERO)
