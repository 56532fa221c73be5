"""Reading the subsidy rules: loads the rule versions and the minimum wages into a `RuleBook` for
the calculator, and answers "which rule is in force on this day" for other apps.

The minimum wage comes from `jianxi_portal.core.wages.minimum_wage_entry` (dated versions, each with
its own district mapping); the subsidy rules from the effective-dated models of this app."""

from datetime import date, timedelta

from jianxi_portal.core.models import District, MinimumWageVersion
from jianxi_portal.core.wages import MinimumWageUnknown, minimum_wage_entry
from subsidies.calculator import RuleBook, RuleMissing, RuleVersion, WagePeriod
from subsidies.models import RULE_MODELS

VALUE_FIELDS = {
    "rate": ("category", "rate"),
    "bonus": ("amount", "threshold", "min_contract_months"),
    "remaining": (),
}


def rule_version(row) -> RuleVersion:
    """A rule model row as the calculator's plain value."""
    values = {name: getattr(row, name) for name in VALUE_FIELDS[row.kind]}
    return RuleVersion(row.kind, row.pk, row.valid_from, row.valid_to, values, row.document)


def rule_versions() -> dict[str, list[RuleVersion]]:
    """Every version of every rule, oldest first (four small tables, one query each)."""
    return {
        kind: [rule_version(r) for r in model.objects.order_by("valid_from")] for kind, model in RULE_MODELS.items()
    }


def wage_periods(district_ids, start: date, end: date) -> dict[int, list[WagePeriod]]:
    """For each district, its minimum wage over each version that overlaps `start`..`end`."""
    starts = sorted(MinimumWageVersion.objects.values_list("effective_from", flat=True))
    spans = [(s, (starts[i + 1] - timedelta(days=1)) if i + 1 < len(starts) else None) for i, s in enumerate(starts)]
    spans = [(s, e) for s, e in spans if s <= end and (e is None or e >= start)]
    names = {d.pk: str(d) for d in District.objects.filter(pk__in=district_ids).select_related("region")}
    result = {}
    for district_id in district_ids:
        periods = []
        for span_from, span_to in spans:
            try:
                entry = minimum_wage_entry(district_id, span_from)
            except MinimumWageUnknown:
                continue  # the calculator reports the day it has no wage for
            periods.append(
                WagePeriod(
                    district_id,
                    names.get(district_id, ""),
                    span_from,
                    span_to,
                    entry.monthly,
                    entry.class_number,
                    entry.version_from,
                )
            )
        result[district_id] = periods
    return result


def load_rulebook(*, district_ids, start: date, end: date) -> RuleBook:
    """The rules and the wages of `district_ids` needed to compute amounts for days in `start`..`end`."""
    ids = sorted({getattr(d, "pk", d) for d in district_ids})
    return RuleBook(wages=wage_periods(ids, start, end), versions=rule_versions())


def rules_in_force(day: date) -> list[RuleVersion]:
    """The version of each rule (each category's rate) in force on `day`, for the rules page."""
    book = RuleBook(versions=rule_versions())
    return [v for versions in book.versions.values() for v in versions if v.covers(day)]


__all__ = ["RuleMissing", "load_rulebook", "rule_version", "rule_versions", "rules_in_force"]
