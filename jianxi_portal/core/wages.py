"""The local minimum wage (月最低工资标准) on a given day: the one rule every later computation uses."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist

from jianxi_portal.core.models import DistrictWageClass, MinimumWageVersion


class MinimumWageUnknown(LookupError):
    """No version in force on that day, or the district is not mapped in it."""


@dataclass(frozen=True)
class WageEntry:
    monthly: Decimal
    version_from: date
    class_number: int
    district_id: int


def minimum_wage_entry(district, day: date) -> WageEntry:
    """The version, class and monthly amount in force for `district` on `day` (for explanations)."""
    version = MinimumWageVersion.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    if version is None:
        raise MinimumWageUnknown(f"{day:%Y-%m-%d} 没有生效的最低工资标准")
    district_id = getattr(district, "pk", district)
    try:
        mapping = DistrictWageClass.objects.select_related("wage_class").get(version=version, district_id=district_id)
    except ObjectDoesNotExist:
        raise MinimumWageUnknown(f"{version} 的最低工资标准未包含该区县") from None
    return WageEntry(mapping.wage_class.monthly, version.effective_from, mapping.wage_class.number, district_id)


def minimum_wage(district, day: date) -> Decimal:
    """Monthly minimum wage in yuan of `district` (a District or its id) on `day`."""
    return minimum_wage_entry(district, day).monthly
