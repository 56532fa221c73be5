"""见习补贴: claims (补贴申领) and disbursements (拨付). The rules and calculator build on these."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from jianxi_portal.review import Reviewable, ReviewStatus
from jianxi_portal.scoping import scope


class ClaimQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope(self, user, region="region_id", unit="unit_id")


class Claim(Reviewable):
    """A unit's subsidy claim for a month or a range of months.

    Status: the shared review workflow (draft → submitted → approved | rejected | returned →
    submitted). Payment progress (unpaid / partly paid / paid) follows from its disbursements."""

    class Status(models.TextChoices):
        DRAFT = ReviewStatus.DRAFT
        SUBMITTED = ReviewStatus.SUBMITTED
        APPROVED = ReviewStatus.APPROVED
        REJECTED = ReviewStatus.REJECTED
        RETURNED = ReviewStatus.RETURNED

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="claims", verbose_name="见习单位")
    region = models.ForeignKey("jianxi_portal.Region", on_delete=models.PROTECT, related_name="claims", verbose_name="市（州）")
    period_from = models.DateField("申领起始月")
    period_to = models.DateField("申领截止月")
    total = models.DecimalField("申领金额（元）", max_digits=12, decimal_places=2, default=Decimal("0.00"))
    approved_amount = models.DecimalField("核定金额（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "补贴申领"
        constraints = [
            models.CheckConstraint(condition=Q(period_to__gte=models.F("period_from")), name="subsidies_claim_period_order"),
        ]

    def __str__(self):
        return f"{self.unit} {self.period_from:%Y-%m}—{self.period_to:%Y-%m}"

    def review_region_id(self):
        return self.region_id

    def review_unit_id(self):
        return self.unit_id


class ClaimLine(models.Model):
    """One amount of a claim: a placement-month's subsidy, a remaining-period amount, or a
    retention bonus, with the explanation (rule rows used and the arithmetic) frozen at creation."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", "见习补贴"
        REMAINING = "remaining", "剩余期限补贴"
        BONUS = "bonus", "带教补贴"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="lines")
    placement = models.ForeignKey("trainees.Placement", on_delete=models.PROTECT, related_name="claim_lines")
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    month = models.DateField("月份")
    amount = models.DecimalField("金额（元）", max_digits=10, decimal_places=2)
    explanation = models.JSONField("计算说明", default=dict)
    # False once the claim is rejected: only live lines take part in the no-double-payment constraint.
    live = models.BooleanField(default=True)

    class Meta:
        ordering = ["month", "pk"]
        verbose_name = verbose_name_plural = "申领明细"
        constraints = [
            # DESIGN.md: a placement-month is paid at most once (in one non-rejected claim).
            models.UniqueConstraint(
                fields=["placement", "kind", "month"], condition=Q(live=True), name="subsidies_claimline_once_per_month"
            ),
        ]


class DisbursementQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope(self, user, region="region_id", unit="claim__unit_id")


class Disbursement(models.Model):
    """A payment (拨付) against an approved claim. Annex 2 indicator 14 sums these by `paid_on`."""

    class FundingLevel(models.TextChoices):
        CENTRAL = "central", "中央"
        PROVINCE = "province", "省级"
        CITY = "city", "市级"
        COUNTY = "county", "县级"

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="disbursements", verbose_name="补贴申领")
    region = models.ForeignKey("jianxi_portal.Region", on_delete=models.PROTECT, related_name="disbursements", verbose_name="市（州）")
    amount = models.DecimalField("拨付金额（元）", max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    paid_on = models.DateField("拨付日期")
    funding_level = models.CharField("资金级次", max_length=16, choices=FundingLevel.choices)
    voucher_no = models.CharField("凭证号", max_length=64, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = DisbursementQuerySet.as_manager()

    class Meta:
        ordering = ["-paid_on", "-pk"]
        verbose_name = verbose_name_plural = "补贴拨付"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="subsidies_disbursement_amount_positive"),
        ]
        indexes = [
            # Annex 2 indicator 14: a region's payments from January 1 to the month's end.
            models.Index(fields=["paid_on", "region"], name="subsidies_disb_paid_idx"),
        ]
