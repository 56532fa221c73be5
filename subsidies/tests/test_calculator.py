# ruff: noqa: E501 — one hand-worked case per line reads best as a table
"""The calculator on hand-worked cases. Each expected amount is the hand arithmetic written out
(`hand`), with the seeded rules (吉人社联〔2022〕79号) and the reference minimum wages:

    from 2021-12-01: class 1 1880 (长春朝阳区), 2 1760 (吉林船营区), 3 1640 (四平铁西区), 4 1540 (白城洮北区, 农安县)
    from 2024-10-01: class 1 2120 (朝阳区), 2 1920 (船营区), 3 1780 (农安县, 洮北区, 铁西区)
    rates: college_graduate 100%, vocational_graduate 100%, unemployed_youth 60%

The number after the last "=" of `hand` is the expected amount; the rest must appear, as written,
in the explanation the calculator gives."""

import dataclasses
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from jianxi_portal.core import services as core_services
from jianxi_portal.core.models import District
from jianxi_portal.tests.factories import district
from subsidies import calculator
from subsidies.calculator import PlacementFacts, RuleMissing
from subsidies.rules import load_rulebook
from subsidies.services import rule_version_add

COLLEGE, VOCATIONAL, UNEMPLOYED = "college_graduate", "vocational_graduate", "unemployed_youth"
CHAOYANG = ("changchun", "朝阳区")  # class 1 in both versions
CHUANYING = ("jilin", "船营区")  # class 2 in both versions
TIEXI = ("siping", "铁西区")  # class 3, then 3
TAOBEI = ("baicheng", "洮北区")  # class 4, then 3
NONGAN = ("changchun", "农安县")  # class 4, then 3


@dataclass
class Case:
    name: str
    category: str
    place: tuple
    started_on: date
    month: date
    hand: str
    ended_on: date | None = None
    planned_end: date = date(2026, 12, 31)

    @property
    def expected(self) -> Decimal:
        return Decimal(self.hand.rsplit("=", 1)[1].strip())


def d(*args):
    return date(*args)


MONTHLY_CASES = [
    # A full month (June 2022, 30 days) for each category at each class of the 2021-12-01 version.
    Case("college class1 2021", COLLEGE, CHAOYANG, d(2022, 5, 1), d(2022, 6, 1), "1880.00 × 100% × 30 ÷ 30 = 1880.00"),
    Case("college class2 2021", COLLEGE, CHUANYING, d(2022, 5, 1), d(2022, 6, 1), "1760.00 × 100% × 30 ÷ 30 = 1760.00"),
    Case("college class3 2021", COLLEGE, TIEXI, d(2022, 5, 1), d(2022, 6, 1), "1640.00 × 100% × 30 ÷ 30 = 1640.00"),
    Case("college class4 2021", COLLEGE, TAOBEI, d(2022, 5, 1), d(2022, 6, 1), "1540.00 × 100% × 30 ÷ 30 = 1540.00"),
    Case(
        "vocational class1 2021",
        VOCATIONAL,
        CHAOYANG,
        d(2022, 5, 1),
        d(2022, 6, 1),
        "1880.00 × 100% × 30 ÷ 30 = 1880.00",
    ),
    Case(
        "vocational class2 2021",
        VOCATIONAL,
        CHUANYING,
        d(2022, 5, 1),
        d(2022, 6, 1),
        "1760.00 × 100% × 30 ÷ 30 = 1760.00",
    ),
    Case(
        "vocational class3 2021", VOCATIONAL, TIEXI, d(2022, 5, 1), d(2022, 6, 1), "1640.00 × 100% × 30 ÷ 30 = 1640.00"
    ),
    Case(
        "vocational class4 2021", VOCATIONAL, NONGAN, d(2022, 5, 1), d(2022, 6, 1), "1540.00 × 100% × 30 ÷ 30 = 1540.00"
    ),
    Case(
        "unemployed class1 2021",
        UNEMPLOYED,
        CHAOYANG,
        d(2022, 5, 1),
        d(2022, 6, 1),
        "1880.00 × 60% × 30 ÷ 30 = 1128.00",
    ),
    Case(
        "unemployed class2 2021",
        UNEMPLOYED,
        CHUANYING,
        d(2022, 5, 1),
        d(2022, 6, 1),
        "1760.00 × 60% × 30 ÷ 30 = 1056.00",
    ),
    Case("unemployed class3 2021", UNEMPLOYED, TIEXI, d(2022, 5, 1), d(2022, 6, 1), "1640.00 × 60% × 30 ÷ 30 = 984.00"),
    Case(
        "unemployed class4 2021", UNEMPLOYED, TAOBEI, d(2022, 5, 1), d(2022, 6, 1), "1540.00 × 60% × 30 ÷ 30 = 924.00"
    ),
    # A full month (March 2025, 31 days) for each category at each class of the 2024-10-01 version.
    Case("college class1 2024", COLLEGE, CHAOYANG, d(2025, 2, 1), d(2025, 3, 1), "2120.00 × 100% × 31 ÷ 31 = 2120.00"),
    Case("college class2 2024", COLLEGE, CHUANYING, d(2025, 2, 1), d(2025, 3, 1), "1920.00 × 100% × 31 ÷ 31 = 1920.00"),
    Case("college class3 2024", COLLEGE, NONGAN, d(2025, 2, 1), d(2025, 3, 1), "1780.00 × 100% × 31 ÷ 31 = 1780.00"),
    Case(
        "vocational class1 2024",
        VOCATIONAL,
        CHAOYANG,
        d(2025, 2, 1),
        d(2025, 3, 1),
        "2120.00 × 100% × 31 ÷ 31 = 2120.00",
    ),
    Case(
        "vocational class2 2024",
        VOCATIONAL,
        CHUANYING,
        d(2025, 2, 1),
        d(2025, 3, 1),
        "1920.00 × 100% × 31 ÷ 31 = 1920.00",
    ),
    Case(
        "vocational class3 2024", VOCATIONAL, TAOBEI, d(2025, 2, 1), d(2025, 3, 1), "1780.00 × 100% × 31 ÷ 31 = 1780.00"
    ),
    Case(
        "unemployed class1 2024",
        UNEMPLOYED,
        CHAOYANG,
        d(2025, 2, 1),
        d(2025, 3, 1),
        "2120.00 × 60% × 31 ÷ 31 = 1272.00",
    ),
    Case(
        "unemployed class2 2024",
        UNEMPLOYED,
        CHUANYING,
        d(2025, 2, 1),
        d(2025, 3, 1),
        "1920.00 × 60% × 31 ÷ 31 = 1152.00",
    ),
    Case(
        "unemployed class3 2024", UNEMPLOYED, TIEXI, d(2025, 2, 1), d(2025, 3, 1), "1780.00 × 60% × 31 ÷ 31 = 1068.00"
    ),
    # A placement running across 2024-10-01: September at the old wage, October at the new.
    Case(
        "across 2024-10-01, September",
        COLLEGE,
        CHAOYANG,
        d(2024, 8, 1),
        d(2024, 9, 1),
        "1880.00 × 100% × 30 ÷ 30 = 1880.00",
    ),
    Case(
        "across 2024-10-01, October",
        COLLEGE,
        CHAOYANG,
        d(2024, 8, 1),
        d(2024, 10, 1),
        "2120.00 × 100% × 31 ÷ 31 = 2120.00",
    ),
    Case(
        "across 2024-10-01, county Sep",
        UNEMPLOYED,
        NONGAN,
        d(2024, 8, 1),
        d(2024, 9, 1),
        "1540.00 × 60% × 30 ÷ 30 = 924.00",
    ),
    Case(
        "across 2024-10-01, county Oct",
        UNEMPLOYED,
        NONGAN,
        d(2024, 8, 1),
        d(2024, 10, 1),
        "1780.00 × 60% × 31 ÷ 31 = 1068.00",
    ),
    # Start on the 15th: June has 30 days (15th–30th = 16 days), July 31 (15th–31st = 17 days).
    Case(
        "start 15th of 30-day month",
        COLLEGE,
        CHAOYANG,
        d(2022, 6, 15),
        d(2022, 6, 1),
        "1880.00 × 100% × 16 ÷ 30 = 1002.67",
    ),
    Case(
        "start 15th of 31-day month",
        COLLEGE,
        CHAOYANG,
        d(2022, 7, 15),
        d(2022, 7, 1),
        "1880.00 × 100% × 17 ÷ 31 = 1030.97",
    ),
    Case(
        "start 15th, 31 days, 60%",
        UNEMPLOYED,
        CHUANYING,
        d(2022, 7, 15),
        d(2022, 7, 1),
        "1760.00 × 60% × 17 ÷ 31 = 579.10",
    ),
    # February of the leap year 2024 has 29 days.
    Case("leap February full", COLLEGE, CHAOYANG, d(2024, 1, 10), d(2024, 2, 1), "1880.00 × 100% × 29 ÷ 29 = 1880.00"),
    Case(
        "leap February from 15th", COLLEGE, CHAOYANG, d(2024, 2, 15), d(2024, 2, 1), "1880.00 × 100% × 15 ÷ 29 = 972.41"
    ),
    Case(
        "leap February ended 10th",
        COLLEGE,
        CHAOYANG,
        d(2023, 11, 1),
        d(2024, 2, 1),
        "1880.00 × 100% × 10 ÷ 29 = 648.28",
        ended_on=d(2024, 2, 10),
    ),
    # Ended on the 1st: one day counts.
    Case(
        "ended on the 1st",
        VOCATIONAL,
        CHUANYING,
        d(2025, 1, 1),
        d(2025, 4, 1),
        "1920.00 × 100% × 1 ÷ 30 = 64.00",
        ended_on=d(2025, 4, 1),
    ),
    # Never past the agreed end, even when no end was recorded.
    Case(
        "past the agreed end",
        COLLEGE,
        CHAOYANG,
        d(2025, 1, 1),
        d(2025, 6, 1),
        "2120.00 × 100% × 10 ÷ 30 = 706.67",
        planned_end=d(2025, 6, 10),
    ),
]


def facts(case: Case) -> PlacementFacts:
    return PlacementFacts(
        pk=1,
        category=case.category,
        district_id=district(*case.place).pk,
        planned_end=case.planned_end,
        started_on=case.started_on,
        ended_on=case.ended_on,
    )


def book(*places, start=date(2021, 12, 1), end=date(2027, 12, 31)):
    return load_rulebook(district_ids=[district(*p).pk for p in places], start=start, end=end)


def plain(text: str) -> str:
    """The explanation without units, to compare with the hand arithmetic."""
    return re.sub(r"\s+", " ", text.replace(" 元", "").replace(" 天", ""))


@pytest.mark.parametrize("case", MONTHLY_CASES, ids=lambda c: c.name)
def test_monthly_subsidy_matches_hand_arithmetic(db, case):
    result = calculator.monthly_subsidy(facts(case), case.month, book(case.place))
    assert result.amount == case.expected
    assert case.hand in plain(result.text)
    kinds = [r["kind"] for r in result.rules]
    assert kinds == ["minimum_wage", "rate"]
    assert result.as_json()["amount"] == str(case.expected)


def test_month_without_days_on_duty_is_not_due(db):
    case = Case("before start", COLLEGE, CHAOYANG, d(2022, 7, 1), d(2022, 6, 1), "= 0.00")
    result = calculator.monthly_subsidy(facts(case), case.month, book(CHAOYANG))
    assert (result.amount, result.due) == (Decimal("0.00"), False)
    assert "无在岗天数" in result.text


def test_wage_change_inside_a_month_counts_each_day_at_its_wage_and_rounds_once(db, admin_user):
    # A new minimum wage from 2025-07-20 (class 1: 2200). July 2025 has 31 days: 1st–19th (19 days)
    # at 2120, 20th–31st (12 days) at 2200. Rounded per segment it would be 1299.35 + 851.61 = 2150.96.
    mapping = {row.pk: (1 if row.pk == district(*CHAOYANG).pk else 3) for row in District.objects.all()}
    core_services.wage_version_create(
        by=admin_user,
        effective_from=d(2025, 7, 20),
        document="测试",
        mapping=mapping,
        classes=[(Decimal("2200"), Decimal("22")), (Decimal("2000"), Decimal("20")), (Decimal("1850"), Decimal("19"))],
    )
    case = Case(
        "mid-month wage change",
        COLLEGE,
        CHAOYANG,
        d(2025, 6, 1),
        d(2025, 7, 1),
        "(2120.00 × 100% × 19 + 2200.00 × 100% × 12) ÷ 31 = 2150.97",
    )
    result = calculator.monthly_subsidy(facts(case), case.month, book(CHAOYANG))
    assert result.amount == case.expected
    assert case.hand in plain(result.text)
    assert [s["days"] for s in result.data["segments"]] == [19, 12]
    assert [r["kind"] for r in result.rules] == ["minimum_wage", "minimum_wage", "rate"]


def test_rate_change_inside_a_month_counts_each_day_at_its_rate(db, admin_user):
    # unemployed_youth raised to 80% from 2025-07-16: 15 days at 60%, 16 days at 80%.
    rule_version_add(kind="rate", by=admin_user, valid_from=d(2025, 7, 16), category=UNEMPLOYED, rate="0.80")
    case = Case(
        "mid-month rate change",
        UNEMPLOYED,
        CHAOYANG,
        d(2025, 6, 1),
        d(2025, 7, 1),
        "(2120.00 × 60% × 15 + 2120.00 × 80% × 16) ÷ 31 = 1490.84",
    )
    result = calculator.monthly_subsidy(facts(case), case.month, book(CHAOYANG))
    assert result.amount == case.expected
    assert case.hand in plain(result.text)
    # Other categories keep their own rule.
    college = Case("college unaffected", COLLEGE, CHAOYANG, d(2025, 6, 1), d(2025, 7, 1), "= 2120.00")
    assert calculator.monthly_subsidy(facts(college), college.month, book(CHAOYANG)).amount == Decimal("2120.00")


def test_round_half_up_to_the_cent():
    assert calculator.round_yuan(Fraction("1.005")) == Decimal("1.01")  # banker's rounding would give 1.00
    assert calculator.round_yuan(Fraction("2.025")) == Decimal("2.03")
    assert calculator.round_yuan(Fraction("2.0249999")) == Decimal("2.02")
    assert calculator.round_yuan(Fraction(30080, 30)) == Decimal("1002.67")


def test_a_day_without_a_rule_is_refused_with_the_date(db):
    case = Case("before any rule", COLLEGE, CHAOYANG, d(2021, 11, 1), d(2021, 11, 1), "= 0")
    with pytest.raises(RuleMissing, match="2021-11-01"):
        calculator.monthly_subsidy(facts(case), case.month, book(CHAOYANG, start=d(2021, 11, 1)))


# --- early retention ----------------------------------------------------------------------------


def retained(category, place, started_on, ended_on, planned_end):
    return PlacementFacts(
        pk=7,
        category=category,
        district_id=district(*place).pk,
        planned_end=planned_end,
        started_on=started_on,
        ended_on=ended_on,
        end="early_retained",
        contract_months=12,
        social_insurance_paid=True,
    )


def test_early_retention_before_2022_12_31_pays_the_remaining_period(db):
    # Retained on 2022-09-15, agreed end 2022-11-30: 16–30 Sep (15 of 30 days), October, November.
    p = retained(COLLEGE, CHAOYANG, d(2022, 6, 1), d(2022, 9, 15), d(2022, 11, 30))
    result = calculator.remaining_period_subsidy(p, book(CHAOYANG))
    hand = "1880.00 × 100% × 15 ÷ 30 + 1880.00 × 100% × 31 ÷ 31 + 1880.00 × 100% × 30 ÷ 30 = 4700.00"
    assert result.due
    assert result.amount == Decimal(hand.rsplit("=", 1)[1])
    assert re.sub(r"\d{4}年\d{1,2}月 ", "", plain(result.text)).find(hand) >= 0
    assert [m["first_day"] for m in result.data["months"]] == ["2022-09-16", "2022-10-01", "2022-11-01"]
    assert result.rules[0]["kind"] == "remaining" and result.rules[0]["valid_to"] == "2022-12-31"
    # The month of the retention itself is paid for the days on duty: 1–15 September.
    september = calculator.monthly_subsidy(p, d(2022, 9, 1), book(CHAOYANG))
    assert september.amount == Decimal("940.00")  # 1880.00 × 100% × 15 ÷ 30


def test_early_retention_on_2022_12_31_still_qualifies_and_rounds_once(db):
    # 60%, class 2: retained 2022-12-20, agreed end 2023-02-14: Dec 21–31 (11 of 31 days), all of
    # January, Feb 1–14 (14 of 28 days). 11616/31 = 374.709677… is not rounded on its own.
    p = retained(UNEMPLOYED, CHUANYING, d(2022, 8, 15), d(2022, 12, 20), d(2023, 2, 14))
    hand = "1760.00 × 60% × 11 ÷ 31 + 1760.00 × 60% × 31 ÷ 31 + 1760.00 × 60% × 14 ÷ 28 = 1958.71"
    result = calculator.remaining_period_subsidy(p, book(CHUANYING))
    assert result.amount == Decimal("1958.71")
    assert hand in re.sub(r"\d{4}年\d{1,2}月 ", "", plain(result.text))
    on_the_day = retained(COLLEGE, CHAOYANG, d(2022, 10, 1), d(2022, 12, 31), d(2023, 3, 31))
    # 1880.00 × 31 ÷ 31 + 1880.00 × 28 ÷ 28 + 1880.00 × 31 ÷ 31 = 5640.00
    assert calculator.remaining_period_subsidy(on_the_day, book(CHAOYANG)).amount == Decimal("5640.00")


def test_early_retention_after_2022_12_31_pays_no_remaining_period(db):
    p = retained(COLLEGE, CHAOYANG, d(2022, 10, 1), d(2023, 1, 5), d(2023, 3, 31))
    result = calculator.remaining_period_subsidy(p, book(CHAOYANG))
    assert (result.amount, result.due) == (Decimal("0.00"), False)
    assert "2023-01-05" in result.text and "2022-12-31" in result.text


def test_a_later_remaining_period_rule_extends_the_policy(db, admin_user):
    rule_version_add(
        kind="remaining", by=admin_user, valid_from=d(2023, 1, 1), valid_to=d(2023, 12, 31), document="延续文件"
    )
    p = retained(COLLEGE, CHAOYANG, d(2022, 10, 1), d(2023, 1, 5), d(2023, 3, 31))
    # 26 of 31 January days, February, March: 1880.00 × 26 ÷ 31 + 1880.00 + 1880.00 = 1576.77 + 3760 = 5336.77
    # (exactly 48880/31 + 3760 = 1576.774… + 3760).
    assert calculator.remaining_period_subsidy(p, book(CHAOYANG)).amount == Decimal("5336.77")


def test_completed_placement_has_no_remaining_period(db):
    p = PlacementFacts(
        pk=1,
        category=COLLEGE,
        district_id=district(*CHAOYANG).pk,
        planned_end=d(2022, 11, 30),
        started_on=d(2022, 6, 1),
        ended_on=d(2022, 11, 30),
        end="completed",
        outcome="retained",
    )
    assert not calculator.remaining_period_subsidy(p, book(CHAOYANG)).due


# --- retention bonus ----------------------------------------------------------------------------


def ended_placements(year, retained_count, total, *, contract_months=12):
    """`total` placements ended in `year`, the first `retained_count` retained."""
    people = []
    for n in range(total):
        keep = n < retained_count
        people.append(
            PlacementFacts(
                pk=n + 1,
                category=COLLEGE,
                district_id=1,
                planned_end=d(year, 6, 30),
                started_on=d(year, 1, 1),
                ended_on=d(year, 6, 30),
                end="completed",
                outcome="retained" if keep else "none",
                contract_months=contract_months if keep else None,
                social_insurance_paid=keep,
                name=f"见习生{n + 1}",
            )
        )
    return people


def test_unit_at_49_percent_retention_gets_no_bonus(db):
    result = calculator.retention_bonus(2023, ended_placements(2023, 49, 100), book())
    # 49 ÷ 100 = 49% < 50%
    assert (result.unit.amount, result.unit.due, result.per_trainee) == (Decimal("0.00"), False, {})
    assert "49 ÷ 100 = 49%" in result.unit.text


def test_unit_at_50_percent_retention_gets_2000_per_retained_trainee(db):
    result = calculator.retention_bonus(2023, ended_placements(2023, 50, 100), book())
    # 50 ÷ 100 = 50% ≥ 50%: 2000.00 × 50 = 100000.00
    assert result.unit.amount == Decimal("100000.00")
    assert "2000.00 元 × 50 人 = 100000.00 元" in result.unit.text
    assert sorted(result.per_trainee) == list(range(1, 51))
    assert {c.amount for c in result.per_trainee.values()} == {Decimal("2000.00")}


def test_one_of_two_is_half_and_earns_one_bonus(db):
    result = calculator.retention_bonus(2023, ended_placements(2023, 1, 2), book())
    assert result.unit.amount == Decimal("2000.00")  # 1 ÷ 2 = 50%; 2000.00 × 1


def test_a_retention_on_a_six_month_contract_counts_in_the_rate_but_earns_no_bonus(db):
    result = calculator.retention_bonus(2023, ended_placements(2023, 1, 2, contract_months=6), book())
    # 1 ÷ 2 = 50% reached, but the only retained person's contract is 6 months: nothing to pay.
    assert (result.unit.amount, result.unit.due, result.per_trainee) == (Decimal("0.00"), False, {})
    assert result.unit.data["rate"] == "50%"
    assert result.unit.data["placements"][0]["note"] == (
        "期满留用，计入留用率；劳动合同 6 个月、已缴纳社会保险，不计带教补贴（须不少于12个月并缴纳社会保险）"
    )


def with_end(p: PlacementFacts, **changes) -> PlacementFacts:
    return dataclasses.replace(p, **changes)


def test_abnormal_ends_are_not_in_the_retention_rate(db):
    # The unit's year: 3 completed, 2 of them retained on 12-month contracts with insurance, and 2
    # abnormal ends. Rate 2 ÷ 3 = 66.67% ≥ 50%: 2000.00 × 2 = 4000.00. Counting the abnormal ends
    # would give 2 ÷ 5 = 40% and nothing.
    completed = ended_placements(2023, 2, 3)
    abnormal = [
        with_end(p, pk=p.pk + 10, end="abnormal", outcome="", name=f"离开{p.pk}") for p in ended_placements(2023, 0, 2)
    ]
    result = calculator.retention_bonus(2023, completed + abnormal, book())
    assert result.unit.amount == Decimal("4000.00")
    assert sorted(result.per_trainee) == [1, 2]
    assert result.unit.text == (
        "2023年本单位见习期满（含提前留用）3 人（非正常结束 2 人不计入），其中留用 2 人，留用率 2 ÷ 3 = 66.67%，"
        "达到 50%；劳动合同不少于12个月并缴纳社会保险的留用人员 2 人：2000.00 元 × 2 人 = 4000.00 元"
    )
    people = {e["name"]: (e["counted"], e["retained"], e["bonus"]) for e in result.unit.data["placements"]}
    assert people == {
        "见习生1": (True, True, True),
        "见习生2": (True, True, True),
        "见习生3": (True, False, False),
        "离开1": (False, False, False),
        "离开2": (False, False, False),
    }
    line = result.per_trainee[1]
    assert line.amount == Decimal("2000.00")
    assert "见习生1 为劳动合同不少于12个月并缴纳社会保险的留用人员：1 人 × 2000.00 元 = 2000.00 元" in line.text
    assert line.data["placements"] == result.unit.data["placements"]


def test_a_short_contract_retention_lifts_the_rate_for_the_others(db):
    # 4 completed: one retained for 12 months with insurance, one retained for 6 months without, two
    # not retained. Rate 2 ÷ 4 = 50%: the first earns 2000.00, the second nothing.
    people = ended_placements(2023, 2, 4)
    people[1] = with_end(people[1], contract_months=6, social_insurance_paid=False)
    result = calculator.retention_bonus(2023, people, book())
    assert (result.unit.amount, sorted(result.per_trainee)) == (Decimal("2000.00"), [1])
    assert "留用率 2 ÷ 4 = 50%" in result.unit.text


def test_placements_ended_in_other_years_do_not_count(db):
    people = ended_placements(2023, 1, 1) + ended_placements(2024, 0, 3)
    # In 2023 only the first ended: 1 ÷ 1 = 100%
    assert calculator.retention_bonus(2023, people, book()).unit.amount == Decimal("2000.00")
