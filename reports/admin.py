"""Admin pages of reports. Monthly reports are read here (they change only through services);
the Annex 1 baselines are entered on the portal page `annex1_baseline` or here, history kept."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from jianxi_portal.core import personal
from reports.models import Annex1Baseline, MonthlyReport, ReportLine

HIDDEN = personal.hidden_columns(MonthlyReport)


class ReportLineInline(admin.TabularInline):
    model = ReportLine
    fields = ["number", "computed", "reported", "note", "adjusted_by", "adjusted_at"]
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    list_display = ["region", "year", "month", "status", "due_on", "first_submitted_at", "reporter_name"]
    list_filter = ["status", "year", "month", "region"]
    # Every column read-only; the reporter's phone as its masked copy only.
    exclude = HIDDEN
    readonly_fields = [f.name for f in MonthlyReport._meta.fields if f.name not in HIDDEN]
    inlines = [ReportLineInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Annex1Baseline)
class Annex1BaselineAdmin(SimpleHistoryAdmin):
    list_display = ["year", "region", "posts_recruited", "trainees_organised", "note"]
    list_filter = ["year", "region"]
