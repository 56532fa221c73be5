"""`Job` was a core model (label `jianxi_portal`): this migration takes it over without touching the
database (ARCHITECTURE.md: Moving models without breaking a database). Its table keeps its name
(`db_table`); its content type is renamed, so admin history and permissions that point at it still do."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

APP = 'exchange'
MODELS = ('job',)


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
                    name='Job',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=40, verbose_name='任务类型')),
                        ('title', models.CharField(max_length=200, verbose_name='名称')),
                        ('params', models.JSONField(blank=True, default=dict, verbose_name='参数')),
                        ('status', models.CharField(choices=[('queued', '排队中'), ('running', '处理中'), ('done', '已完成'), ('failed', '失败')], default='queued', max_length=16, verbose_name='状态')),
                        ('progress_done', models.PositiveIntegerField(default=0, verbose_name='已处理')),
                        ('progress_total', models.PositiveIntegerField(default=0, verbose_name='总数')),
                        ('error', models.TextField(blank=True, verbose_name='错误信息')),
                        ('result', models.JSONField(blank=True, default=dict, verbose_name='结果')),
                        ('input_file', models.FileField(blank=True, max_length=300, upload_to='exchange/in/%Y/%m/', verbose_name='上传文件')),
                        ('result_file', models.FileField(blank=True, max_length=300, upload_to='exchange/out/%Y/%m/', verbose_name='结果文件')),
                        ('result_name', models.CharField(blank=True, max_length=200, verbose_name='下载文件名')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='创建时间')),
                        ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='开始时间')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='完成时间')),
                        ('expires_at', models.DateTimeField(blank=True, null=True, verbose_name='文件过期时间')),
                        ('claim_token', models.CharField(blank=True, max_length=32, verbose_name='领取标识')),
                        ('claimed_by', models.CharField(blank=True, max_length=200, verbose_name='处理进程')),
                        ('heartbeat_at', models.DateTimeField(blank=True, null=True, verbose_name='最近心跳')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='尝试次数')),
                        ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='jobs', to=settings.AUTH_USER_MODEL, verbose_name='发起人')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='children', to='exchange.job', verbose_name='预检任务')),
                    ],
                    options={
                        'verbose_name': '后台任务',
                        'verbose_name_plural': '后台任务',
                        'db_table': 'jianxi_portal_job',
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(fields=['owner', '-created_at'], name='core_job_owner_idx'), models.Index(fields=['expires_at'], name='core_job_expires_idx'), models.Index(condition=models.Q(('status', 'running')), fields=['heartbeat_at'], name='core_job_running_lease_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(adopt_content_types, return_content_types),
    ]
