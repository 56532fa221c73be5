"""Continuation after a unit's change (DESIGN.md, Trainee categories): the agreement a placement
continues; the Annex 2 covering indexes of indicators 5–7 include it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("trainees", "0007_retention_contract_facts"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="placement",
            name="trainees_pl_planned_idx",
        ),
        migrations.RemoveIndex(
            model_name="placement",
            name="trainees_pl_started_idx",
        ),
        migrations.AddField(
            model_name="placement",
            name="continues",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="continuation",
                to="trainees.placement",
                verbose_name="接续自",
            ),
        ),
        migrations.AddIndex(
            model_name="placement",
            index=models.Index(
                fields=["region", "planned_start"], include=("status", "continues"), name="trainees_pl_planned_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="placement",
            index=models.Index(
                fields=["region", "started_on"],
                include=("status", "planned_start", "category", "continues"),
                name="trainees_pl_started_idx",
            ),
        ),
    ]
