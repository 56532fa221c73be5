"""Reads with meaning for units: the public unit directory (见习单位目录)."""

from dataclasses import dataclass, fields

from django.db.models import Q, QuerySet

from jianxi_portal.core.query import text_lookup
from units.models import Unit

COLUMNS = {
    "state_owned": ("is_state_owned", "国有企业专栏"),
    "famous_manufacturer": ("is_famous_manufacturer", "制造业名企专栏"),
    "internet_major": ("is_internet_major", "互联网大厂专栏"),
    "practice_base": ("is_practice_base", "实习实训基地"),
}


@dataclass(frozen=True)
class UnitFilters:
    """The public unit directory's query, read by `units.forms.UnitQuery`."""

    q: str = ""
    region: str = ""
    industry: str = ""
    unit_type: str = ""
    column: str = ""

    def as_params(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


def units_managed(qs: QuerySet, filters: dict) -> QuerySet:
    """The management list's and its export's filters (`units.forms.UnitManageQuery`, cleaned):
    status, region code, name or credit code, industry, unit type."""
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("region"):
        qs = qs.filter(region__code=filters["region"])
    if q := filters.get("q"):
        qs = qs.filter(Q(name__icontains=q) | Q(credit_code=q.upper()))
    for name in ("industry", "unit_type"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    return qs


def units_public(filters: UnitFilters | None = None) -> QuerySet:
    """Approved units matching `filters`, by region and name."""
    filters = filters or UnitFilters()
    qs = Unit.objects.listed().select_related("region", "district")
    for word in filters.q.split():
        qs = qs.filter(**{f"name__{text_lookup(word)}": word})
    if filters.region:
        qs = qs.filter(region__code=filters.region)
    if filters.industry:
        qs = qs.filter(industry=filters.industry)
    if filters.unit_type:
        qs = qs.filter(unit_type=filters.unit_type)
    if filters.column:
        qs = qs.filter(**{COLUMNS[filters.column][0]: True})
    return qs.order_by("region__order", "name", "pk")
