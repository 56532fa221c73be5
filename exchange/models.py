"""The background jobs of data exchange (DESIGN.md: data exchange). `Job` was a core model: it keeps
its table and content type (ARCHITECTURE.md: Moving models without breaking a database)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A job is its owner's alone (its file may hold data of the owner's scope only): everyone,
        province and admin included, sees only the jobs they started."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(owner_id=user.pk)


class Job(models.Model):
    """A long piece of work run as a Celery task (imports, large exports, report files), with the
    progress the job page shows and the file it produced (see `exchange.jobs`).

    Status: queued → running → done | failed. A delivery of the task claims the job (one UPDATE) when
    it is queued, or running under a lease that expired (its worker was killed); the claim writes a
    new `claim_token`, and only the run holding that token may record progress, finish or fail the
    job. The run renews `heartbeat_at` while it works; `attempts` counts the claims, capped by
    settings.JOB_MAX_ATTEMPTS. Files are deleted after `expires_at` by a periodic task."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "处理中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("任务类型", max_length=40)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs", verbose_name="发起人"
    )
    title = models.CharField("名称", max_length=200)
    params = models.JSONField("参数", default=dict, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField("已处理", default=0)
    progress_total = models.PositiveIntegerField("总数", default=0)
    error = models.TextField("错误信息", blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    input_file = models.FileField("上传文件", upload_to="exchange/in/%Y/%m/", blank=True, max_length=300)
    result_file = models.FileField("结果文件", upload_to="exchange/out/%Y/%m/", blank=True, max_length=300)
    result_name = models.CharField("下载文件名", max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children", verbose_name="预检任务"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    expires_at = models.DateTimeField("文件过期时间", null=True, blank=True)
    # The lease of the run working on the job (exchange.jobs): who holds it, the token
    # its writes must carry, when it last showed it was alive, how many runs have claimed the job.
    claim_token = models.CharField("领取标识", max_length=32, blank=True)
    claimed_by = models.CharField("处理进程", max_length=200, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)

    objects = JobQuerySet.as_manager()

    class Meta:
        # The table it had as a core model (ARCHITECTURE.md: Moving models without breaking a database).
        db_table = "jianxi_portal_job"
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "后台任务"
        indexes = [
            # "My jobs" lists a user's jobs newest first.
            models.Index(fields=["owner", "-created_at"], name="core_job_owner_idx"),
            # The purge task selects jobs whose files have expired.
            models.Index(fields=["expires_at"], name="core_job_expires_idx"),
            # The recovery sweep selects running jobs whose lease expired.
            models.Index(fields=["heartbeat_at"], condition=Q(status="running"), name="core_job_running_lease_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
