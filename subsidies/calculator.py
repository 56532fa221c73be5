"""The subsidy calculator: pure functions over a `RuleBook` (the rule versions and the minimum
wages, loaded from the database by `subsidies.rules.load_rulebook`) and `PlacementFacts`.

Nothing here touches the database, so every amount can be recomputed and tested by hand. Every
function returns a `Computation`: the amount together with its explanation — the rule rows used,
the arithmetic as text, and the same arithmetic as structured data (DESIGN.md, Subsidy rules):

- monthly subsidy = Σ over the days on duty in the month of (minimum wage that day × category rate
  that day) ÷ days in the month; each day counts at the values in force that day, so a wage or
  rate change inside a month splits it into segments. Decimal yuan, rounded once, ROUND_HALF_UP
  to 0.01 (the division is done exactly, with fractions, before that one rounding);
- remaining-period subsidy on early retention: the days after the retention day up to the agreed
  end, computed as if on duty, for retentions on a day a remaining-period rule covers;
- retention bonus: a unit whose retention rate in the year (retained ÷ ended as completed or
  early-retained) reaches the threshold gets the bonus for each person retained on a contract of
  at least the rule's months with social insurance paid."""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from trainees.models import TraineeCategory

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
CATEGORY_LABELS = dict(TraineeCategory.choices)
END_EARLY_RETAINED = "early_retained"
END_KINDS = ("completed", "early_retained", "abnormal")
OUTCOME_RETAINED = "retained"


class RuleMissing(LookupError):
    """No rule version (or minimum wage) in force for a day; the message names both."""


# --- rule data --------------------------------------------------------------------------------


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def pct(ratio) -> str:
    """1.00 → "100%", 0.60 → "60%", 0.5 → "50%", 0.4949 → "49.49%"."""
    value = (Decimal(ratio) * 100).quantize(CENT, rounding=ROUND_HALF_UP).normalize()
    return f"{value:f}%"


@dataclass(frozen=True)
class WagePeriod:
    """The minimum wage of one district over the span of one minimum-wage version."""

    district_id: int
    district_name: str
    valid_from: date
    valid_to: date | None
    monthly: Decimal
    class_number: int
    version_from: date

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def key(self):
        return ("minimum_wage", self.district_id, self.version_from)

    @property
    def label(self) -> str:
        return (
            f"{self.district_name}月最低工资标准：{self.monthly} 元"
            f"（{self.version_from:%Y-%m-%d}起执行版本，第{self.class_number}档）"
        )

    def ref(self) -> dict:
        return {
            "kind": "minimum_wage",
            "id": None,
            "label": self.label,
            "valid_from": _iso(self.valid_from),
            "valid_to": _iso(self.valid_to),
            "district_id": self.district_id,
            "class_number": self.class_number,
            "version_from": _iso(self.version_from),
            "monthly": str(self.monthly),
        }


@dataclass(frozen=True)
class RuleVersion:
    """One version of a subsidy rule: `kind` is rate | bonus | remaining; `values` its fields
    (rate: category, rate; bonus: amount, threshold, min_contract_months). The living-allowance
    floor is a wage rule of the core (`jianxi_portal.core.allowance`)."""

    kind: str
    pk: int | None
    valid_from: date
    valid_to: date | None
    values: dict = field(default_factory=dict)
    document: str = ""

    def __getitem__(self, name):
        return self.values[name]

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def key(self):
        return (self.kind, self.pk, self.valid_from, self.values.get("category"))

    @property
    def period(self) -> str:
        until = f"至{self.valid_to:%Y-%m-%d}" if self.valid_to else "起长期有效"
        return f"{self.valid_from:%Y-%m-%d}{until}"

    @property
    def label(self) -> str:
        v = self.values
        if self.kind == "rate":
            category = CATEGORY_LABELS.get(v["category"], v["category"])
            text = f"见习补贴标准：{category} 按当地最低工资标准的 {pct(v['rate'])}"
        elif self.kind == "bonus":
            text = (
                f"带教补贴：留用率达到 {pct(v['threshold'])} 的单位，每留用1人 {v['amount']} 元"
                f"（劳动合同不少于{v['min_contract_months']}个月并缴纳社会保险）"
            )
        else:
            text = "剩余期限见习补贴：在此期间提前留用的，给予剩余期限见习补贴"
        return f"{text}（{self.period}{'，' + self.document if self.document else ''}）"

    def ref(self) -> dict:
        values = {k: str(v) if isinstance(v, Decimal) else v for k, v in self.values.items()}
        return {
            "kind": self.kind,
            "id": self.pk,
            "label": self.label,
            "valid_from": _iso(self.valid_from),
            "valid_to": _iso(self.valid_to),
            "document": self.document,
            **values,
        }


@dataclass
class RuleBook:
    """Every rule version by kind and the minimum-wage periods of the districts concerned."""

    wages: dict[int, list[WagePeriod]] = field(default_factory=dict)
    versions: dict[str, list[RuleVersion]] = field(default_factory=dict)

    def wage_on(self, district_id: int, day: date) -> WagePeriod:
        for period in self.wages.get(district_id, ()):
            if period.covers(day):
                return period
        raise RuleMissing(f"{day:%Y-%m-%d} 没有适用于该区县的月最低工资标准。")

    def find(self, kind: str, day: date, **match) -> RuleVersion | None:
        for version in self.versions.get(kind, ()):
            if version.covers(day) and all(version.values.get(k) == v for k, v in match.items()):
                return version
        return None

    def rule_on(self, kind: str, day: date, **match) -> RuleVersion:
        version = self.find(kind, day, **match)
        if version is None:
            raise RuleMissing(_missing_message(kind, day, match))
        return version

    def latest(self, kind: str) -> RuleVersion | None:
        versions = sorted(self.versions.get(kind, ()), key=lambda v: v.valid_from)
        return versions[-1] if versions else None


def _missing_message(kind: str, day: date, match: dict) -> str:
    names = {
        "rate": "见习补贴标准",
        "bonus": "带教补贴标准",
        "remaining": "剩余期限补贴政策",
    }
    what = names.get(kind, kind)
    if "category" in match:
        what = f"“{CATEGORY_LABELS.get(match['category'], match['category'])}”的{what}"
    return f"{day:%Y-%m-%d} 没有生效的{what}，请系统管理员先录入补贴规则。"


@dataclass(frozen=True)
class PlacementFacts:
    """What the calculator needs of a placement (见习协议). `district_id` is the post's district:
    the local minimum wage is that of the place of the post."""

    pk: int | None
    category: str
    district_id: int
    planned_end: date
    started_on: date | None
    ended_on: date | None = None
    end: str = ""
    outcome: str = ""
    contract_months: int | None = None
    social_insurance_paid: bool = False
    name: str = ""

    @classmethod
    def of(cls, placement) -> "PlacementFacts":
        return cls(
            pk=placement.pk,
            category=placement.category,
            district_id=placement.post.district_id,
            planned_end=placement.planned_end,
            started_on=placement.started_on,
            ended_on=placement.ended_on,
            end=placement.end,
            outcome=placement.outcome,
            contract_months=placement.contract_months,
            social_insurance_paid=placement.social_insurance_paid,
            name=placement.trainee.name,
        )

    @property
    def retained(self) -> bool:
        return self.end == END_EARLY_RETAINED or self.outcome == OUTCOME_RETAINED


@dataclass(frozen=True)
class Computation:
    """An amount with its explanation. `due` is False when nothing is payable (the text says why)."""

    amount: Decimal
    text: str
    rules: list = field(default_factory=list)
    data: dict = field(default_factory=dict)
    due: bool = True

    def as_json(self) -> dict:
        return {"amount": str(self.amount), "due": self.due, "text": self.text, "rules": self.rules, "data": self.data}


# --- arithmetic ---------------------------------------------------------------------------------


def round_yuan(value: Fraction) -> Decimal:
    """Round an exact amount once, half up, to 0.01 yuan."""
    cents = value * 100
    sign = -1 if cents < 0 else 1
    whole = int(abs(cents) + Fraction(1, 2))  # floor(|x| + ½): half up, away from zero
    return (Decimal(sign * whole) / 100).quantize(CENT)


def month_start(day: date) -> date:
    return day.replace(day=1)


def days_in_month(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def month_end(day: date) -> date:
    return day.replace(day=days_in_month(day))


def months_between(first: date, last: date) -> list[date]:
    """First days of the months from `first`'s month to `last`'s month, inclusive."""
    months, m = [], month_start(first)
    while m <= last:
        months.append(m)
        m = month_end(m) + timedelta(days=1)
    return months


def ym(month: date) -> str:
    return f"{month.year}年{month.month}月"


def duty_window(facts: PlacementFacts, month: date) -> tuple[date, date] | None:
    """The days on duty in `month`: from max(start, month start) to min(end or month end, month end),
    never past the agreed end; None when there are none."""
    if facts.started_on is None:
        return None
    first = max(facts.started_on, month_start(month))
    last = min(facts.ended_on or month_end(month), month_end(month), facts.planned_end)
    return (first, last) if first <= last else None


@dataclass(frozen=True)
class Segment:
    """Consecutive days counted at the same minimum wage and the same rate."""

    first: date
    last: date
    wage: WagePeriod
    rate: RuleVersion

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def product(self) -> Decimal:
        return self.wage.monthly * self.rate["rate"] * self.days

    @property
    def formula(self) -> str:
        return f"{self.wage.monthly} 元 × {pct(self.rate['rate'])} × {self.days} 天"

    def as_data(self) -> dict:
        return {
            "first_day": _iso(self.first),
            "last_day": _iso(self.last),
            "days": self.days,
            "minimum_wage": str(self.wage.monthly),
            "wage_class": self.wage.class_number,
            "wage_version_from": _iso(self.wage.version_from),
            "rate": str(self.rate["rate"]),
            "rate_rule_id": self.rate.pk,
            "product": str(self.product),
        }


def segments(facts: PlacementFacts, first: date, last: date, book: RuleBook) -> list[Segment]:
    """Split `first`..`last` wherever the minimum wage or the category's rate changes."""
    result: list[Segment] = []
    day = first
    while day <= last:
        wage = book.wage_on(facts.district_id, day)
        rate = book.rule_on("rate", day, category=facts.category)
        if result and result[-1].wage == wage and result[-1].rate == rate:
            result[-1] = Segment(result[-1].first, day, wage, rate)
        else:
            result.append(Segment(day, day, wage, rate))
        day += timedelta(days=1)
    return result


def _refs(items) -> list[dict]:
    seen, refs = set(), []
    for item in items:
        if item.key not in seen:
            seen.add(item.key)
            refs.append(item.ref())
    return refs


def _segments_refs(segs: list[Segment]) -> list[dict]:
    return _refs([s.wage for s in segs] + [s.rate for s in segs])


def _month_formula(segs: list[Segment], dim: int) -> str:
    if len(segs) == 1:
        return f"{segs[0].formula} ÷ {dim} 天"
    return f"({' + '.join(s.formula for s in segs)}) ÷ {dim} 天"


def _split_note(segs: list[Segment]) -> str:
    if len(segs) == 1:
        return ""
    parts = [f"{s.first:%m-%d}至{s.last:%m-%d}按最低工资{s.wage.monthly}元、比例{pct(s.rate['rate'])}" for s in segs]
    return "（月内标准变化，逐日按当日标准计算：" + "；".join(parts) + "）"


# --- the three amounts --------------------------------------------------------------------------


def monthly_subsidy(facts: PlacementFacts, month: date, book: RuleBook) -> Computation:
    """见习补贴 of one placement for one calendar month."""
    month = month_start(month)
    dim = days_in_month(month)
    window = duty_window(facts, month)
    if window is None:
        return Computation(
            ZERO, f"{ym(month)}无在岗天数，不计见习补贴。", data={"month": _iso(month), "days": 0}, due=False
        )
    first, last = window
    segs = segments(facts, first, last, book)
    numerator = sum((s.product for s in segs), Decimal(0))
    amount = round_yuan(Fraction(numerator) / dim)
    days = (last - first).days + 1
    text = (
        f"{ym(month)}在岗 {first:%Y-%m-%d} 至 {last:%Y-%m-%d} 共 {days} 天，当月 {dim} 天："
        f"{_month_formula(segs, dim)} = {amount} 元{_split_note(segs)}"
    )
    data = {
        "month": _iso(month),
        "first_day": _iso(first),
        "last_day": _iso(last),
        "days": days,
        "days_in_month": dim,
        "category": facts.category,
        "numerator": str(numerator),
        "segments": [s.as_data() for s in segs],
        "rounding": "ROUND_HALF_UP 0.01",
    }
    return Computation(amount, text, _segments_refs(segs), data)


def remaining_period_subsidy(facts: PlacementFacts, book: RuleBook) -> Computation:
    """剩余期限见习补贴 on early retention: from the day after the retention day to the agreed end,
    as if on duty, month by month (each month's days ÷ that month's days), rounded once."""
    day = facts.ended_on
    if facts.end != END_EARLY_RETAINED or day is None:
        return Computation(ZERO, "未提前留用，不计剩余期限补贴。", due=False)
    rule = book.find("remaining", day)
    if rule is None:
        latest = book.latest("remaining")
        until = f"（现行政策适用于 {latest.period} 期间的留用）" if latest else ""
        text = f"{day:%Y-%m-%d} 提前留用，不在剩余期限补贴政策期间内{until}，不计剩余期限补贴。"
        return Computation(ZERO, text, data={"retained_on": _iso(day)}, due=False)
    first, last = day + timedelta(days=1), facts.planned_end
    if first > last:
        return Computation(
            ZERO, f"{day:%Y-%m-%d} 留用时协议已到期，无剩余期限。", [rule.ref()], {"retained_on": _iso(day)}, False
        )
    total, terms, months, used = Fraction(0), [], [], []
    for month in months_between(first, last):
        m_first, m_last = max(first, month), min(last, month_end(month))
        segs = segments(facts, m_first, m_last, book)
        dim = days_in_month(month)
        numerator = sum((s.product for s in segs), Decimal(0))
        total += Fraction(numerator) / dim
        terms.append(f"{ym(month)} {_month_formula(segs, dim)}")
        months.append(
            {
                "month": _iso(month),
                "first_day": _iso(m_first),
                "last_day": _iso(m_last),
                "days_in_month": dim,
                "numerator": str(numerator),
                "segments": [s.as_data() for s in segs],
            }
        )
        used += segs
    amount = round_yuan(total)
    text = (
        f"{day:%Y-%m-%d} 提前留用，剩余协议期限 {first:%Y-%m-%d} 至 {last:%Y-%m-%d} 按在岗计算："
        f"{' + '.join(terms)} = {amount} 元（合计后四舍五入到分）"
    )
    data = {
        "retained_on": _iso(day),
        "first_day": _iso(first),
        "last_day": _iso(last),
        "planned_end": _iso(last),
        "category": facts.category,
        "months": months,
        "rounding": "ROUND_HALF_UP 0.01",
    }
    return Computation(amount, text, [rule.ref()] + _segments_refs(used), data)


@dataclass(frozen=True)
class RetentionResult:
    """A unit's retention for a year: `unit` explains the rate and total; `per_trainee` is the bonus
    line of each qualifying retained placement (empty when the rate is below the threshold)."""

    unit: Computation
    per_trainee: dict


END_LABELS = {"completed": "期满", "early_retained": "提前留用", "abnormal": "非正常结束"}
OUTCOME_LABELS = {"retained": "留用", "other_employment": "其他方式就业", "none": "未就业", "": "未登记去向"}


def retention_bonus(year: int, placements: list[PlacementFacts], book: RuleBook) -> RetentionResult:
    """带教补贴 of a unit for `year` (DESIGN.md, Subsidy rules). The retention rate is retained ÷
    placements that ended in the year as completed or early_retained (Annex 2 indicators 9 and 8;
    abnormal ends are not in it); retained means a labour contract of any term. A unit at or above
    the threshold gets the bonus for each retained person whose contract runs at least the rule's
    months with social insurance paid. Every ended person is listed with why they counted."""
    rule = book.rule_on("bonus", date(year, 12, 31))
    ended = [p for p in placements if p.ended_on and p.ended_on.year == year and p.end in END_KINDS]
    reached_end = [p for p in ended if p.end != "abnormal"]
    retained = [p for p in reached_end if p.retained]
    qualifying = [p for p in retained if _qualifies(p, rule)]
    data = {
        "year": year,
        "reached_end": len(reached_end),
        "retained": len(retained),
        "abnormal": len(ended) - len(reached_end),
        "qualifying": len(qualifying),
        "threshold": str(rule["threshold"]),
        "per_trainee": str(rule["amount"]),
        "placements": [_retention_entry(p, rule) for p in ended],
    }
    if not reached_end:
        text = f"{year}年本单位没有见习期满或提前留用的人员，无留用率，不计带教补贴。"
        return RetentionResult(Computation(ZERO, text, [rule.ref()], data, False), {})
    rate = Fraction(len(retained), len(reached_end))
    reached = rate >= Fraction(rule["threshold"])
    data.update(rate=pct(Decimal(rate.numerator) / Decimal(rate.denominator)), reached=reached)
    head = _rate_text(year, data)
    if not reached:
        text = f"{head}，低于 {pct(rule['threshold'])}，不计带教补贴。"
        return RetentionResult(Computation(ZERO, text, [rule.ref()], data, False), {})
    condition = f"劳动合同不少于{rule['min_contract_months']}个月并缴纳社会保险的留用人员"
    if not qualifying:
        text = f"{head}，达到 {pct(rule['threshold'])}；但没有{condition}，不计带教补贴。"
        return RetentionResult(Computation(ZERO, text, [rule.ref()], data, False), {})
    total = rule["amount"] * len(qualifying)
    text = (
        f"{head}，达到 {pct(rule['threshold'])}；{condition} {len(qualifying)} 人："
        f"{rule['amount']} 元 × {len(qualifying)} 人 = {total} 元"
    )
    each = {
        p.pk: Computation(
            rule["amount"],
            f"{head}，达到 {pct(rule['threshold'])}；{p.name or p.pk} 为{condition}："
            f"1 人 × {rule['amount']} 元 = {rule['amount']} 元",
            [rule.ref()],
            {**data, "placement": p.pk},
        )
        for p in qualifying
    }
    return RetentionResult(Computation(total, text, [rule.ref()], data), each)


def _rate_text(year: int, data: dict) -> str:
    abnormal = f"（非正常结束 {data['abnormal']} 人不计入）" if data["abnormal"] else ""
    return (
        f"{year}年本单位见习期满（含提前留用）{data['reached_end']} 人{abnormal}，其中留用 {data['retained']} 人，"
        f"留用率 {data['retained']} ÷ {data['reached_end']} = {data['rate']}"
    )


def _qualifies(p: PlacementFacts, rule: RuleVersion) -> bool:
    return p.retained and (p.contract_months or 0) >= rule["min_contract_months"] and p.social_insurance_paid


def _retention_entry(p: PlacementFacts, rule: RuleVersion) -> dict:
    """One ended person: whether they are in the rate (denominator, numerator), earn the bonus, and why."""
    counted, bonus = p.end != "abnormal", _qualifies(p, rule)
    if not counted:
        note = "非正常结束，不计入留用率"
    elif not p.retained:
        note = f"{END_LABELS[p.end]}，去向为{OUTCOME_LABELS.get(p.outcome, p.outcome)}：计入留用率分母，未留用"
    else:
        term = f"劳动合同 {p.contract_months} 个月" if p.contract_months is not None else "劳动合同期限未登记"
        insured = "已缴纳社会保险" if p.social_insurance_paid else "未缴纳社会保险"
        verdict = "计带教补贴" if bonus else f"不计带教补贴（须不少于{rule['min_contract_months']}个月并缴纳社会保险）"
        note = f"{END_LABELS[p.end]}留用，计入留用率；{term}、{insured}，{verdict}"
    return {
        "placement": p.pk,
        "name": p.name,
        "end": p.end,
        "ended_on": _iso(p.ended_on),
        "counted": counted,
        "retained": counted and p.retained,
        "bonus": bonus,
        "note": note,
    }
