"""The living-allowance floor (生活补贴下限): the least allowance a unit pays a trainee from its own
funds on a given day (DESIGN.md, Subsidy rules: at least 60% of the local minimum wage, the notice's
「不低于当地最低工资标准60%」; a city may set a higher floor per trainee category).

The one rule every app asks: posts (the advertised allowance), placements (every month of the
agreement at signing; the months that fall below after a new wage version or floor rule), claims
(each month's flag). A `FloorBook` loads the wage versions and the floor rules once and answers for
any district, category and day without further queries."""

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.dispatch import Signal

from jianxi_portal.core.models import AllowanceFloorRule, District, DistrictWageClass, MinimumWageVersion
from jianxi_portal.core.wages import MinimumWageUnknown

CENT = Decimal("0.01")


class FloorUnknown(MinimumWageUnknown):
    """No minimum wage or no floor rule in force for that place and day."""


def percent(ratio) -> str:
    """0.60 → "60%", 1.5 → "150%", 0.655 → "65.5%"."""
    value = (Decimal(ratio) * 100).quantize(CENT, rounding=ROUND_HALF_UP).normalize()
    return f"{value:f}%"


@dataclass(frozen=True)
class Floor:
    """The floor on `day`: `wage` (the local minimum wage) × `ratio` = `amount`, rounded half up."""

    day: date
    wage: Decimal
    ratio: Decimal
    amount: Decimal
    wage_from: date  # the wage version's first day
    rule_id: int
    rule_label: str  # 全省 / 长春市 (所有类别 / 高校毕业生)

    @property
    def percent(self) -> str:
        return percent(self.ratio)

    @property
    def text(self) -> str:
        return (
            f"{self.day:%Y-%m-%d} 当地月最低工资标准 {self.wage} 元（{self.wage_from:%Y-%m-%d} 起执行）"
            f" × {self.percent}（{self.rule_label}）= {self.amount} 元"
        )


@dataclass(frozen=True)
class Stretch:
    """Days `first`..`last` (inclusive) over which the floor is one `Floor`."""

    first: date
    last: date
    floor: Floor


class FloorBook:
    """The wage versions (with their district mappings) and the floor rules, read once."""

    def __init__(self, district_ids=None):
        mappings = DistrictWageClass.objects.select_related("wage_class", "version")
        if district_ids is not None:
            mappings = mappings.filter(district_id__in=[getattr(d, "pk", d) for d in district_ids])
        self.version_days = sorted(MinimumWageVersion.objects.values_list("effective_from", flat=True))
        self.wages: dict[tuple[date, int], Decimal] = {
            (m.version.effective_from, m.district_id): m.wage_class.monthly for m in mappings
        }
        districts = District.objects.all()
        if district_ids is not None:
            districts = districts.filter(pk__in=[getattr(d, "pk", d) for d in district_ids])
        self.region_of = dict(districts.values_list("pk", "region_id"))
        self.rules = list(AllowanceFloorRule.objects.select_related("region").order_by("valid_from", "pk"))

    def wage_on(self, district_id: int, day: date) -> tuple[Decimal, date]:
        index = bisect_right(self.version_days, day)
        if index == 0:
            raise FloorUnknown(f"{day:%Y-%m-%d} 没有生效的最低工资标准")
        version_from = self.version_days[index - 1]
        wage = self.wages.get((version_from, district_id))
        if wage is None:
            raise FloorUnknown(f"{version_from:%Y-%m-%d} 起执行的最低工资标准未包含该区县")
        return wage, version_from

    def rules_applying(self, district_id: int, category: str, day: date) -> list[AllowanceFloorRule]:
        region_id = self.region_of.get(district_id)
        return [
            r
            for r in self.rules
            if r.valid_from <= day
            and (r.valid_to is None or day <= r.valid_to)
            and (r.region_id is None or r.region_id == region_id)
            and (not r.category or r.category == category)
        ]

    def floor_on(self, district, category: str, day: date) -> Floor:
        """The floor for a post in `district`, a trainee of `category` ("" for any), on `day`: the
        highest ratio of the rules that apply (the province's, the city's; all categories or this one)."""
        district_id = getattr(district, "pk", district)
        wage, wage_from = self.wage_on(district_id, day)
        rules = self.rules_applying(district_id, category, day)
        if not category:  # a post, before anyone is placed: the province's or the city's rule for everyone
            rules = [r for r in rules if not r.category]
        if not rules:
            raise FloorUnknown(f"{day:%Y-%m-%d} 没有生效的单位生活补贴下限规则，请系统管理员先录入")
        rule = max(rules, key=lambda r: (r.ratio, r.region_id is not None, bool(r.category)))
        amount = (wage * rule.ratio).quantize(CENT, rounding=ROUND_HALF_UP)
        label = (
            (rule.region.name if rule.region_id else "全省")
            + "·"
            + (rule.get_category_display() if rule.category else "所有类别")
        )
        return Floor(day, wage, rule.ratio, amount, wage_from, rule.pk, label)

    def change_days(self, first: date, last: date) -> list[date]:
        """`first` and every day in `first`..`last` on which a wage version or a floor rule starts
        or a floor rule has ended: between two of them the floor cannot change."""
        days = {first}
        days.update(d for d in self.version_days if first < d <= last)
        for r in self.rules:
            if first < r.valid_from <= last:
                days.add(r.valid_from)
            if r.valid_to is not None and first < r.valid_to + timedelta(days=1) <= last:
                days.add(r.valid_to + timedelta(days=1))
        return sorted(days)

    def stretches(self, district, category: str, first: date, last: date) -> list[Stretch]:
        """The floor over `first`..`last` as stretches of days with one floor each."""
        days = self.change_days(first, last)
        ends = [d - timedelta(days=1) for d in days[1:]] + [last]
        return [Stretch(a, b, self.floor_on(district, category, a)) for a, b in zip(days, ends, strict=True)]


def allowance_floor(district, day: date, category: str = "") -> Floor:
    """The floor for a post in `district` on `day` (for a trainee of `category`, or any trainee)."""
    district_id = getattr(district, "pk", district)
    return FloorBook([district_id]).floor_on(district_id, category, day)


def months_of(first: date, last: date) -> list[date]:
    """The first day of every calendar month touching `first`..`last`."""
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


# Sent (inside the writer's transaction) when a wage version or a floor rule is added, so the apps
# holding agreements list and tell those that now fall below (DESIGN.md, Subsidy rules): `since` is
# the first day the floor may be higher, `region_id` the region concerned (None: the whole province).
floor_may_have_risen = Signal()
