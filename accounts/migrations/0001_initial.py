"""`ApiToken` and `PasswordHistory` were core models (label `jianxi_portal`): this migration takes
them over without touching the database (ARCHITECTURE.md: Moving models without breaking a
database). Their tables keep their names (`db_table`); their content types are renamed, so admin
history and permissions that point at them still do."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

APP = 'accounts'
MODELS = ('apitoken', 'passwordhistory')


def _rename_content_types(apps, schema_editor, old, new):
    """The rows of ContentType follow the models, unless the other label already has one (left alone)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MODELS:
        if not types.filter(app_label=new, model=model).exists():
            types.filter(app_label=old, model=model).update(app_label=new)


def adopt_content_types(apps, schema_editor):
    _rename_content_types(apps, schema_editor, "jianxi_portal", APP)


def return_content_types(apps, schema_editor):
    _rename_content_types(apps, schema_editor, APP, "jianxi_portal")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        # After the core has let the models go (its state only); the user model is the core's.
        ('jianxi_portal', '0013_job_apitoken_passwordhistory_leave'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ApiToken',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(blank=True, max_length=100, verbose_name='用途')),
                        ('prefix', models.CharField(max_length=8, verbose_name='前缀')),
                        ('key_hash', models.CharField(max_length=64, unique=True, verbose_name='散列')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='签发时间')),
                        ('expires_at', models.DateTimeField(verbose_name='到期时间')),
                        ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='吊销时间')),
                        ('last_used_at', models.DateTimeField(blank=True, null=True, verbose_name='最近使用')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='签发人')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL, verbose_name='账户')),
                    ],
                    options={
                        'verbose_name': 'API 令牌',
                        'verbose_name_plural': 'API 令牌',
                        'db_table': 'jianxi_portal_apitoken',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='PasswordHistory',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('password', models.CharField(max_length=128, verbose_name='密码散列')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='password_history', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': '历史密码',
                        'verbose_name_plural': '历史密码',
                        'db_table': 'jianxi_portal_passwordhistory',
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(fields=['user', '-created_at'], name='core_pwhistory_user_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(adopt_content_types, return_content_types),
    ]
