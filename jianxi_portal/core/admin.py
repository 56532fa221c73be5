from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from simple_history.admin import SimpleHistoryAdmin

from jianxi_portal.core import personal
from jianxi_portal.core.models import (
    AllowanceFloorRule,
    AnnualQuota,
    AuditLog,
    CalendarOverride,
    District,
    MinimumWageVersion,
    Region,
    ReviewLog,
    User,
)


class PortalUserChangeForm(UserChangeForm):
    """The stored phone is never put back into the page (SECURITY.md, item 4): the masked copy is shown
    read-only and a new number replaces it; blank keeps it."""

    new_phone = forms.CharField(label="新联系电话", max_length=20, required=False, help_text="不修改请留空。")

    def save(self, commit=True):
        if self.cleaned_data.get("new_phone"):
            self.instance.phone = self.cleaned_data["new_phone"]
        return super().save(commit=commit)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    form = PortalUserChangeForm
    list_display = ["username", "get_full_name", "role", "region", "unit", "is_active"]
    list_filter = ["role", "region", "is_active"]
    fieldsets = UserAdmin.fieldsets + (
        ("平台角色", {"fields": ("role", "region", "unit", "phone_masked", "new_phone")}),
    )
    readonly_fields = ["phone_masked"]
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


@admin.register(AllowanceFloorRule)
class AllowanceFloorRuleAdmin(SimpleHistoryAdmin):
    """Read-only: a floor is added on its page (`services.allowance_floor_rule_add`), never edited."""

    list_display = ["ratio", "valid_from", "valid_to", "document"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(SimpleHistoryAdmin):
    list_display = ["date", "kind", "note"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows a record without changing it; an encrypted value shows as its masked copy only (the
    ciphertext and digest are left out)."""

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or ()), *personal.hidden_columns(self.model)]

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


# django-otp's admin pages would show and let anyone with admin access edit a person's TOTP secret:
# enrolment happens in the person's own browser and resets on the security page (audited).
for _model in ("otp_totp.TOTPDevice", "otp_static.StaticDevice"):
    from django.apps import apps

    _cls = apps.get_model(_model)
    if admin.site.is_registered(_cls):
        admin.site.unregister(_cls)
