"""The allowance floor rule now belongs to the core (jianxi_portal 0014): removed from this app's
state only; its tables stay where they are, owned by the core model."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('subsidies', '0006_claim_queue_amounts'),
        ('jianxi_portal', '0014_allowance_floor_rule_from_subsidies'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='historicalallowancefloorrule',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='historicalallowancefloorrule',
                    name='history_user',
                ),
                migrations.DeleteModel(
                    name='AllowanceFloorRule',
                ),
                migrations.DeleteModel(
                    name='HistoricalAllowanceFloorRule',
                ),
            ],
        ),
    ]
