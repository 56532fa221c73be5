"""The allowance floor rule moves from `subsidies` to the core, beside the minimum wage
(ARCHITECTURE.md, Moving models without breaking a database): state only, the tables
`subsidies_allowancefloorrule` and its history keep their names and rows, so every rule version
and its history stay as they were. The content type follows (its permissions with it)."""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("allowancefloorrule", "historicalallowancefloorrule"):
        if not ContentType.objects.filter(app_label="jianxi_portal", model=model).exists():
            ContentType.objects.filter(app_label="subsidies", model=model).update(app_label="jianxi_portal")


class Migration(migrations.Migration):

    dependencies = [
        ('jianxi_portal', '0013_job_apitoken_passwordhistory_leave'),
        # The tables exist before the core takes them over (a fresh database creates them there).
        ('subsidies', '0006_claim_queue_amounts'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalAllowanceFloorRule',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('valid_from', models.DateField(verbose_name='生效日期')),
                        ('valid_to', models.DateField(blank=True, help_text='含当日；留空表示长期有效', null=True, verbose_name='失效日期')),
                        ('document', models.CharField(blank=True, max_length=100, verbose_name='政策依据')),
                        ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='录入时间')),
                        ('ratio', models.DecimalField(decimal_places=2, max_digits=4, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('1'))], verbose_name='最低比例')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='录入人')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical 单位生活补贴下限',
                        'verbose_name_plural': 'historical 单位生活补贴下限',
                        'db_table': 'subsidies_historicalallowancefloorrule',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='AllowanceFloorRule',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('valid_from', models.DateField(verbose_name='生效日期')),
                        ('valid_to', models.DateField(blank=True, help_text='含当日；留空表示长期有效', null=True, verbose_name='失效日期')),
                        ('document', models.CharField(blank=True, max_length=100, verbose_name='政策依据')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='录入时间')),
                        ('ratio', models.DecimalField(decimal_places=2, max_digits=4, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('1'))], verbose_name='最低比例')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='录入人')),
                    ],
                    options={
                        'verbose_name': '单位生活补贴下限',
                        'verbose_name_plural': '单位生活补贴下限',
                        'db_table': 'subsidies_allowancefloorrule',
                        'ordering': ['valid_from'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('ratio__gte', 0), ('ratio__lte', 1)), name='subsidies_allowancefloor_ratio_0_1'), models.CheckConstraint(condition=models.Q(('valid_to__isnull', True), ('valid_to__gte', models.F('valid_from')), _connector='OR'), name='subsidies_allowancefloor_valid_order'), models.UniqueConstraint(fields=('valid_from',), name='subsidies_allowancefloor_one_per_day')],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_type, migrations.RunPython.noop),
    ]
