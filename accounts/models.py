"""The account-security records (SECURITY.md items 1–3): the hashes of recent passwords and the API
tokens. Both were core models: they keep their tables and content types (ARCHITECTURE.md: Moving
models without breaking a database)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class PasswordHistory(models.Model):
    """The hashes of a user's recent passwords (never the passwords): staff may not reuse the last
    five (SECURITY.md item 2). Written by `accounts.passwords.PasswordHistoryValidator.password_changed`."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField("密码散列", max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # The table it had as a core model (ARCHITECTURE.md: Moving models without breaking a database).
        db_table = "jianxi_portal_passwordhistory"
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "历史密码"
        # The reuse check reads a user's newest rows.
        indexes = [models.Index(fields=["user", "-created_at"], name="core_pwhistory_user_idx")]


class ApiTokenQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    """An API key for one account. Only its SHA-256 digest is stored (the key is shown once, when
    issued); it expires (settings.API_TOKEN_DAYS) and is revoked by logout, password change or an
    admin. States: active -> expired (time) | revoked (revoked_at set, final)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="账户"
    )
    name = models.CharField("用途", max_length=100, blank=True)
    prefix = models.CharField("前缀", max_length=8)
    key_hash = models.CharField("散列", max_length=64, unique=True)
    created_at = models.DateTimeField("签发时间", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="签发人",
    )
    expires_at = models.DateTimeField("到期时间")
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        # The table it had as a core model (ARCHITECTURE.md: Moving models without breaking a database).
        db_table = "jianxi_portal_apitoken"
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "API 令牌"

    def __str__(self):
        return f"{self.prefix}… ({self.user.username})"

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "已吊销"
        if self.expires_at <= timezone.now():
            return "已过期"
        return "有效"
