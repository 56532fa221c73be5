"""Read-only admin views of units: registration, review and 清单管理 carry rules and go through
`units.services` (pages and API), never a raw admin save."""

from django.contrib import admin

from jianxi_portal.core.admin import ReadOnlyAdmin
from units.models import Unit, UnitAttachment


class AttachmentInline(admin.TabularInline):
    model = UnitAttachment
    fields = ["kind", "original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["name", "credit_code", "region", "district", "unit_type", "industry", "status", "first_approved_on"]
    list_filter = ["status", "region", "unit_type", "industry", "is_practice_base"]
    list_select_related = ["region", "district"]
    search_fields = ["name", "credit_code"]
    inlines = [AttachmentInline]
