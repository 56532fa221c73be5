"""见习补贴: the effective-dated subsidy rules, claims (补贴申领) and disbursements (拨付).

The rules are data (DESIGN.md, Subsidy rules): each row is one version of a rule, in force from
`valid_from` to `valid_to` (inclusive; open-ended when empty). A new version is added, never edited
over an old one (`subsidies.services.rule_version_add`), and simple-history keeps every change.
Amounts computed from them are frozen on the claim lines with their explanation, so changing a rule
never changes an amount already claimed."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from jianxi_portal.core.models import EffectiveDatedRule
from jianxi_portal.core.review import Reviewable, ReviewStatus
from jianxi_portal.core.scoping import scope
from trainees.allowance import month_shortfalls
from trainees.models import TraineeCategory

RATIO_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]


class SubsidyRate(EffectiveDatedRule):
    """见习补贴标准: the share of the local minimum wage paid per trainee category (吉人社联〔2022〕79号:
    100% for graduates within two years of leaving school, 60% for other unemployed youth)."""

    series = ("category",)
    kind = "rate"

    category = models.CharField("人员类别", max_length=24, choices=TraineeCategory.choices)
    rate = models.DecimalField(
        "补贴比例",
        max_digits=4,
        decimal_places=2,
        validators=RATIO_VALIDATORS,
        help_text="占当地月最低工资标准的比例，如 1.00、0.60",
    )
    history = HistoricalRecords()

    class Meta(EffectiveDatedRule.Meta):
        verbose_name = verbose_name_plural = "见习补贴标准"
        constraints = [
            models.CheckConstraint(condition=Q(rate__gte=0, rate__lte=1), name="subsidies_subsidyrate_rate_0_1"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="subsidies_subsidyrate_valid_order",
            ),
            models.UniqueConstraint(fields=["category", "valid_from"], name="subsidies_subsidyrate_one_per_day"),
        ]


class RetentionBonusRule(EffectiveDatedRule):
    """带教补贴: `amount` per retained trainee for a unit whose retention rate in the year reaches
    `threshold`, retained meaning a labour contract of at least `min_contract_months` and social
    insurance paid (吉人社联〔2022〕79号: 留用率达到50%以上 … 1年以上劳动合同 … 每留用1人给予2000元)."""

    kind = "bonus"

    amount = models.DecimalField(
        "每留用1人补贴（元）", max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    threshold = models.DecimalField("留用率下限", max_digits=4, decimal_places=2, validators=RATIO_VALIDATORS)
    min_contract_months = models.PositiveSmallIntegerField("劳动合同最短期限（月）", validators=[MinValueValidator(1)])
    history = HistoricalRecords()

    class Meta(EffectiveDatedRule.Meta):
        verbose_name = verbose_name_plural = "带教补贴标准"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="subsidies_retentionbonus_amount_nonnegative"),
            models.CheckConstraint(
                condition=Q(threshold__gt=0, threshold__lte=1), name="subsidies_retentionbonus_threshold_0_1"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="subsidies_retentionbonus_valid_order",
            ),
            models.UniqueConstraint(fields=["valid_from"], name="subsidies_retentionbonus_one_per_day"),
        ]


class RemainingPeriodRule(EffectiveDatedRule):
    """剩余期限见习补贴: a unit that retains its trainee before the agreed end also gets the subsidy
    for the rest of the agreed period, for retentions on days this rule covers (吉人社联〔2022〕79号:
    政策延续至2022年12月31日; a later year's document adds a new version)."""

    kind = "remaining"

    history = HistoricalRecords()

    class Meta(EffectiveDatedRule.Meta):
        verbose_name = verbose_name_plural = "剩余期限补贴政策"
        constraints = [
            # The policy always has an end date (the notice's 延续至…).
            models.CheckConstraint(
                condition=Q(valid_to__isnull=False, valid_to__gte=F("valid_from")),
                name="subsidies_remainingperiod_valid_order",
            ),
            models.UniqueConstraint(fields=["valid_from"], name="subsidies_remainingperiod_one_per_day"),
        ]


RULE_MODELS = {m.kind: m for m in (SubsidyRate, RetentionBonusRule, RemainingPeriodRule)}


class ClaimQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope(self, user, region="region_id", unit="unit_id")


class Claim(Reviewable):
    """A unit's subsidy claim for a month or a range of months.

    Status: the shared review workflow (draft → submitted → approved | rejected | returned →
    submitted). Payment progress (unpaid / partly paid / paid) follows from its disbursements."""

    class Status(models.TextChoices):
        DRAFT = ReviewStatus.DRAFT.value, ReviewStatus.DRAFT.label
        SUBMITTED = ReviewStatus.SUBMITTED.value, ReviewStatus.SUBMITTED.label
        APPROVED = ReviewStatus.APPROVED.value, ReviewStatus.APPROVED.label
        REJECTED = ReviewStatus.REJECTED.value, ReviewStatus.REJECTED.label
        RETURNED = ReviewStatus.RETURNED.value, ReviewStatus.RETURNED.label

    class PaymentStatus(models.TextChoices):
        UNPAID = "unpaid", "未拨付"
        PARTLY_PAID = "partly_paid", "部分拨付"
        PAID = "paid", "已拨付"

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="claims", verbose_name="见习单位")
    region = models.ForeignKey(
        "jianxi_portal.Region", on_delete=models.PROTECT, related_name="claims", verbose_name="市（州）"
    )
    period_from = models.DateField("申领起始月")
    period_to = models.DateField("申领截止月")
    total = models.DecimalField("申领金额（元）", max_digits=12, decimal_places=2, default=Decimal("0.00"))
    approved_amount = models.DecimalField("核定金额（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    # Sum of the claim's disbursements, kept by `disbursement_record` under the claim's row lock.
    paid_total = models.DecimalField("已拨付金额（元）", max_digits=12, decimal_places=2, default=Decimal("0.00"))
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "补贴申领"
        constraints = [
            models.CheckConstraint(
                condition=Q(period_to__gte=models.F("period_from")), name="subsidies_claim_period_order"
            ),
            # DESIGN.md: a payment above the approved amount is refused; nothing is paid before approval.
            models.CheckConstraint(
                condition=Q(paid_total=0) | Q(approved_amount__isnull=False, paid_total__lte=F("approved_amount")),
                name="subsidies_claim_paid_within_approved",
            ),
        ]
        indexes = [
            # The review queue: a region's submitted claims by deadline. The amounts are included
            # for the staff home's count of approved claims not yet paid in full (subsidies.nav),
            # read from the index alone.
            models.Index(
                fields=["region", "status", "review_deadline"],
                include=["paid_total", "approved_amount"],
                name="subsidies_claim_queue_idx",
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.period_label}"

    @property
    def period_label(self) -> str:
        if self.period_from == self.period_to:
            return f"{self.period_from.year}年{self.period_from.month}月"
        return f"{self.period_from.year}年{self.period_from.month}月—{self.period_to.year}年{self.period_to.month}月"

    @property
    def payment_status(self) -> str:
        """Unpaid / partly paid / paid, for approved claims only ("" before approval)."""
        if self.status != self.Status.APPROVED:
            return ""
        if not self.paid_total:
            return self.PaymentStatus.UNPAID
        if self.paid_total < (self.approved_amount or 0):
            return self.PaymentStatus.PARTLY_PAID
        return self.PaymentStatus.PAID

    def get_payment_status_display(self) -> str:
        return dict(self.PaymentStatus.choices).get(self.payment_status, "")

    @property
    def unpaid_amount(self) -> Decimal:
        return (self.approved_amount or Decimal("0.00")) - self.paid_total

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
            models.CheckConstraint(condition=Q(amount__gte=0), name="subsidies_claimline_amount_nonnegative"),
        ]

    @property
    def first_day(self):
        return _iso(self.explanation.get("data", {}).get("first_day"))

    @property
    def last_day(self):
        return _iso(self.explanation.get("data", {}).get("last_day"))

    @property
    def insurance_problem(self) -> str:
        """Why this line may not be submitted for lack of accident insurance ("" when covered).

        The notice pays the subsidy partly for 人身意外伤害保险: a placement needs an insurance record
        (insurer, policy number, period), and for a monthly line the policy must cover the days on duty."""
        p = self.placement
        if not p.has_insurance_record:
            return "未登记人身意外伤害保险（承保公司、保单号、保险期间）"
        if self.kind == self.Kind.MONTHLY and self.first_day and self.last_day:
            if p.insurance_from > self.first_day or p.insurance_to < self.last_day:
                return (
                    f"保险期间 {p.insurance_from:%Y-%m-%d} 至 {p.insurance_to:%Y-%m-%d} "
                    f"未覆盖在岗期间 {self.first_day:%Y-%m-%d} 至 {self.last_day:%Y-%m-%d}"
                )
        return ""

    @property
    def allowance_problem(self) -> str:
        return self.allowance_problem_in()

    def allowance_problem_in(self, book=None) -> str:
        """The month's living-allowance flag ("" when none): the days of the line's month on which
        the unit's allowance in force was below the floor in force (DESIGN.md, Subsidy rules). Read
        live, so the unit's recorded allowance change clears it from its date. `book`: one
        `FloorBook` shared by the lines of a page."""
        if self.kind != self.Kind.MONTHLY:
            return ""
        found = month_shortfalls(self.placement, self.month, book)
        return "；".join(s.text for s in found)


def _iso(value):
    return date.fromisoformat(value) if value else None


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
    region = models.ForeignKey(
        "jianxi_portal.Region", on_delete=models.PROTECT, related_name="disbursements", verbose_name="市（州）"
    )
    amount = models.DecimalField(
        "拨付金额（元）", max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
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
            # Annex 2 indicator 14: a region's payments from January 1 to the month's end, summed
            # from the index alone (reports.indicators.PAID).
            models.Index(fields=["paid_on", "region"], include=["amount"], name="subsidies_disb_paid_idx"),
        ]
