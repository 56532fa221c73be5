"""`Job` moves to `exchange`, `ApiToken` and `PasswordHistory` to `accounts` (ARCHITECTURE.md: Moving
models without breaking a database). Here they leave the core's state only: their tables stay, and
the new apps' first migrations (which run after this one) take them over under the same names."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('jianxi_portal', '0012_load_majors_catalogue'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name='job', name='owner'),
                migrations.RemoveField(model_name='job', name='parent'),
                migrations.RemoveField(model_name='passwordhistory', name='user'),
                migrations.DeleteModel(name='ApiToken'),
                migrations.DeleteModel(name='Job'),
                migrations.DeleteModel(name='PasswordHistory'),
            ],
            database_operations=[],
        ),
    ]
