"""Django admin of subsidies: read-only. Rules change only by adding a version on the rule pages
(`services.rule_version_add` keeps the series consistent and the history); claims and payments
only through their services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from subsidies.models import (
    Claim,
    ClaimLine,
    Disbursement,
    RemainingPeriodRule,
    RetentionBonusRule,
    SubsidyRate,
)


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SubsidyRate)
class SubsidyRateAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["category", "rate", "valid_from", "valid_to", "document"]
    list_filter = ["category"]


@admin.register(RetentionBonusRule)
class RetentionBonusRuleAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["amount", "threshold", "min_contract_months", "valid_from", "valid_to", "document"]


@admin.register(RemainingPeriodRule)
class RemainingPeriodRuleAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["valid_from", "valid_to", "document"]


class ClaimLineInline(ReadOnly, admin.TabularInline):
    model = ClaimLine
    fields = ["placement", "kind", "month", "amount", "live"]
    raw_id_fields = ["placement"]
    extra = 0


@admin.register(Claim)
class ClaimAdmin(ReadOnly, admin.ModelAdmin):
    list_display = [
        "pk",
        "unit",
        "region",
        "period_from",
        "period_to",
        "total",
        "approved_amount",
        "paid_total",
        "status",
    ]
    list_filter = ["status", "region"]
    list_select_related = ["unit", "region"]
    inlines = [ClaimLineInline]


@admin.register(Disbursement)
class DisbursementAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["paid_on", "region", "claim", "amount", "funding_level", "voucher_no"]
    list_filter = ["funding_level", "region"]
    list_select_related = ["region", "claim__unit"]
