"""Exports of subsidy claims (补贴申领) and payments (拨付) for data exchange (DESIGN.md, Contracts): the rows
of the claim and payment lists, through the lists' own selectors (`claims_for`, `disbursements_for`:
scope and filters), as .xlsx."""

from exchange import exports
from exchange.columns import Col, RegisterResource
from subsidies import selectors
from subsidies.forms import ClaimQuery, DisbursementQuery
from subsidies.models import Claim, Disbursement


class ClaimExportResource(RegisterResource):
    claim_id = Col("id", "申领编号", kind="int", width=10)
    unit = Col("unit__name", "见习单位", width=28)
    credit_code = Col("unit__credit_code", "统一社会信用代码", width=22)
    region = Col("region__name", "市（州）", width=12)
    period_from = Col("period_from", "申领起始月", kind="date", width=12)
    period_to = Col("period_to", "申领截止月", kind="date", width=12)
    total = Col("total", "申领金额（元）", kind="money", width=14)
    approved_amount = Col("approved_amount", "核定金额（元）", kind="money", width=14)
    paid_total = Col("paid_total", "已拨付金额（元）", kind="money", width=14)
    status = Col("status", "状态", choices=Claim.Status.choices, width=10)
    submitted_at = Col("submitted_at", "提交时间", kind="date", width=12)
    review_deadline = Col("review_deadline", "审核期限", kind="date", width=12)
    decided_at = Col("decided_at", "审核时间", kind="date", width=12)


@exports.register
class ClaimExporter(exports.Exporter):
    """Claims of the user's scope with the claim list's filters (status, payment, region, year,
    unit name)."""

    register = "claims"
    title = "补贴申领"
    resource = ClaimExportResource
    query_class = ClaimQuery

    def base_queryset(self, user):
        return selectors.claims_for(user)

    def queryset(self, user, params):
        return selectors.claims_for(user, self.filters(params)).order_by("-created_at", "-pk")


class DisbursementExportResource(RegisterResource):
    disbursement_id = Col("id", "拨付编号", kind="int", width=10)
    claim_id = Col("claim_id", "申领编号", kind="int", width=10)
    unit = Col("claim__unit__name", "见习单位", width=28)
    region = Col("region__name", "市（州）", width=12)
    amount = Col("amount", "拨付金额（元）", kind="money", width=14)
    paid_on = Col("paid_on", "拨付日期", kind="date", width=12)
    funding_level = Col("funding_level", "资金级次", choices=Disbursement.FundingLevel.choices, width=10)
    voucher_no = Col("voucher_no", "凭证号", width=20)
    recorded_by = Col("recorded_by__username", "登记人", width=12)


@exports.register
class DisbursementExporter(exports.Exporter):
    """Payments of the user's scope with the payment list's filters (year, dates, funding level,
    region, unit name or voucher)."""

    register = "disbursements"
    title = "补贴拨付"
    resource = DisbursementExportResource
    query_class = DisbursementQuery

    def base_queryset(self, user):
        return selectors.disbursements_for(user)

    def queryset(self, user, params):
        return selectors.disbursements_for(user, self.filters(params)).order_by("-paid_on", "-pk")
