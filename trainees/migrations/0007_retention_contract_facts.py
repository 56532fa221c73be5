"""Retention of any term (DESIGN.md, Placement lifecycle): the contract's last day becomes a recorded
fact beside its term and social insurance.

Every retention recorded before this migration passed the old rule — a contract of at least 12
months with social insurance paid — so those facts are filled where a row lacks them (rows written
around the services, e.g. by the synthetic-data generator): 12 months (the least the old rule
admitted) and insurance paid; the contract's last day follows from its signing day and term. No
retention becomes invalid and the retention bonus counts them as before."""

import calendar
from datetime import date, timedelta

from django.db import migrations, models
from django.db.models import Q

OLD_RULE_MONTHS = 12


def _period_end(start: date, months: int) -> date:
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1])) - timedelta(days=1)


def fill_old_rule_facts(apps, schema_editor):
    Placement = apps.get_model("trainees", "Placement")
    retained = Placement.objects.filter(Q(end="early_retained") | Q(outcome="retained"))
    for placement in retained.iterator(chunk_size=500):
        placement.contract_months = placement.contract_months or OLD_RULE_MONTHS
        placement.social_insurance_paid = True
        if placement.contract_signed_on and placement.contract_ends_on is None:
            placement.contract_ends_on = _period_end(placement.contract_signed_on, placement.contract_months)
        placement.save(update_fields=["contract_months", "social_insurance_paid", "contract_ends_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("trainees", "0006_home_figure_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="placement",
            name="contract_ends_on",
            field=models.DateField(blank=True, null=True, verbose_name="劳动合同终止日期"),
        ),
        migrations.RunPython(fill_old_rule_facts, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="placement",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("contract_ends_on__isnull", True),
                    models.Q(
                        ("contract_ends_on__gt", models.F("contract_signed_on")), ("contract_signed_on__isnull", False)
                    ),
                    _connector="OR",
                ),
                name="trainees_placement_contract_end_after_signing",
            ),
        ),
    ]
