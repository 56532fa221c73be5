from django.contrib import admin

from accounts.models import ApiToken
from jianxi_portal.core.admin import ReadOnlyAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are issued and revoked on the security page (`/security/tokens/`), audited; only the
    digest is stored, so there is nothing secret to show here."""

    list_display = ["prefix", "user", "name", "created_at", "created_by", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "prefix"]
    exclude = ["key_hash"]
