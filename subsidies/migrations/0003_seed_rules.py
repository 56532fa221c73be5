"""Seed the subsidy rules of 吉人社联〔2022〕79号 (三、加大政策支持（一）) as the first versions.

The notice continues (持续) standing policy, so the versions start with the first minimum-wage
version the portal knows (2021-12-01): every day that has a local minimum wage also has a rule.
The remaining-period policy ends on 2022-12-31 (政策延续至2022年12月31日)."""

from datetime import date
from decimal import Decimal

from django.db import migrations
from django.utils import timezone

DOCUMENT = "吉人社联〔2022〕79号"
START = date(2021, 12, 1)
RATES = {"college_graduate": Decimal("1.00"), "vocational_graduate": Decimal("1.00"), "unemployed_youth": Decimal("0.60")}


def _create(apps, model_name, lookup, defaults):
    """Create the row (once) and its first history entry, as simple-history would outside migrations."""
    model = apps.get_model("subsidies", model_name)
    row, created = model.objects.get_or_create(**lookup, defaults=defaults)
    if created:
        history = apps.get_model("subsidies", f"Historical{model_name}")
        fields = {f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields}
        history.objects.create(**fields, history_date=timezone.now(), history_type="+", history_change_reason="初始数据")


def seed(apps, schema_editor):
    for category, rate in RATES.items():
        _create(apps, "SubsidyRate", {"category": category, "valid_from": START}, {"rate": rate, "document": DOCUMENT})
    _create(apps, "AllowanceFloorRule", {"valid_from": START}, {"ratio": Decimal("0.60"), "document": DOCUMENT})
    _create(apps, "RetentionBonusRule", {"valid_from": START},
            {"amount": Decimal("2000.00"), "threshold": Decimal("0.50"), "min_contract_months": 12, "document": DOCUMENT})
    _create(apps, "RemainingPeriodRule", {"valid_from": START}, {"valid_to": date(2022, 12, 31), "document": DOCUMENT})


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0002_rules_and_payments")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
