from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from jianxi_portal.models import (
    AnnualQuota,
    AuditLog,
    CalendarOverride,
    District,
    MinimumWageVersion,
    Region,
    ReviewLog,
    User,
)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    list_display = ["username", "get_full_name", "role", "region", "unit", "is_active"]
    list_filter = ["role", "region", "is_active"]
    fieldsets = UserAdmin.fieldsets + (("平台角色", {"fields": ("role", "region", "unit", "phone")}),)
    add_fieldsets = UserAdmin.add_fieldsets + (("平台角色", {"fields": ("role", "region", "unit")}),)
    raw_id_fields = ["unit"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "order"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "adcode", "kind"]
    list_filter = ["region", "kind"]


@admin.register(AnnualQuota)
class AnnualQuotaAdmin(SimpleHistoryAdmin):
    """Read here; edits go through the Annex 1 page (services.quota_update keeps history and audit)."""

    list_display = ["year", "region", "post_quota", "trainee_quota"]
    list_filter = ["year"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MinimumWageVersion)
class MinimumWageVersionAdmin(SimpleHistoryAdmin):
    list_display = ["effective_from", "document"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(SimpleHistoryAdmin):
    list_display = ["date", "kind", "note"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewLog)
class ReviewLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "content_type", "object_id", "action", "from_status", "to_status", "by"]
    list_filter = ["action", "content_type"]


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "role", "region_code", "event", "object_type", "object_id", "result", "ip"]
    list_filter = ["event", "result", "role"]
    search_fields = ["username", "event", "object_id", "request_id"]
