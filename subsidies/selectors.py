"""Reads with meaning for subsidies: claim and payment lists with their filters, and the year's
subsidies by region, trainee category and funding level. Every read starts from `visible_to`."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Q, Sum

from jianxi_portal.core.models import Region
from subsidies.models import Claim, ClaimLine, Disbursement
from trainees.models import TraineeCategory

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def _money(value) -> Decimal:
    """Sums come back as Decimal("1000") from SQLite: always show yuan with two decimals."""
    return Decimal(value or 0).quantize(CENT)


def claims_for(user, filters: dict | None = None):
    """Claims `user` may see, newest first, filtered (`subsidies.forms.ClaimQuery`, cleaned) by
    `status`, `payment` (unpaid | partly_paid | paid), `region` (code), `year` (of the claimed
    months) and `q` (unit name)."""
    filters = filters or {}
    qs = Claim.objects.visible_to(user).select_related("unit", "region")
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    payment = filters.get("payment")
    approved = Q(status=Claim.Status.APPROVED)
    if payment == Claim.PaymentStatus.UNPAID:
        qs = qs.filter(approved, paid_total=0)
    elif payment == Claim.PaymentStatus.PARTLY_PAID:
        qs = qs.filter(approved, paid_total__gt=0).exclude(paid_total=F("approved_amount"))
    elif payment == Claim.PaymentStatus.PAID:
        qs = qs.filter(approved, paid_total=F("approved_amount"))
    if filters.get("region"):
        qs = qs.filter(region__code=filters["region"])
    if year := filters.get("year"):
        qs = qs.filter(period_from__year__lte=year, period_to__year__gte=year)
    if filters.get("q"):
        qs = qs.filter(unit__name__icontains=filters["q"])
    return qs


def claims_awaiting_payment(user):
    """Approved claims `user` may see that are not fully paid, oldest decision first."""
    return (
        Claim.objects.visible_to(user)
        .filter(status=Claim.Status.APPROVED, paid_total__lt=F("approved_amount"))
        .select_related("unit", "region")
        .order_by("decided_at", "pk")
    )


def claim_lines(claim: Claim):
    """A claim's lines with what the page shows of each (trainee, post, insurance record)."""
    return claim.lines.select_related("placement__trainee", "placement__post").order_by("month", "kind", "placement_id")


def total_paid(qs) -> Decimal:
    """The sum of the payments in `qs`, in yuan."""
    return _money(qs.aggregate(s=Sum("amount"))["s"])


def disbursements_for(user, filters: dict | None = None):
    """Payments `user` may see, latest first, filtered (`subsidies.forms.DisbursementQuery`,
    cleaned) by `year`, `date_from`/`date_to` (paid on), `funding_level`, `region` (code) and `q`
    (unit name or voucher number)."""
    filters = filters or {}
    qs = Disbursement.objects.visible_to(user).select_related("claim__unit", "region", "recorded_by")
    if year := filters.get("year"):
        qs = qs.filter(paid_on__year=year)
    if filters.get("date_from"):
        qs = qs.filter(paid_on__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(paid_on__lte=filters["date_to"])
    if filters.get("funding_level"):
        qs = qs.filter(funding_level=filters["funding_level"])
    if filters.get("region"):
        qs = qs.filter(region__code=filters["region"])
    if q := filters.get("q"):
        qs = qs.filter(Q(claim__unit__name__icontains=q) | Q(voucher_no__icontains=q))
    return qs


@dataclass
class SummaryRow:
    region: Region | None
    by_category: dict = field(default_factory=dict)
    bonus: Decimal = ZERO
    by_level: dict = field(default_factory=dict)

    @property
    def approved(self) -> Decimal:
        return sum(self.by_category.values(), ZERO) + self.bonus

    @property
    def paid(self) -> Decimal:
        return sum(self.by_level.values(), ZERO)

    def category_cells(self):
        return [self.by_category.get(c, ZERO) for c in TraineeCategory.values]

    def level_cells(self):
        return [self.by_level.get(level, ZERO) for level in Disbursement.FundingLevel.values]


def subsidy_summary(year: int, regions) -> tuple[list[SummaryRow], SummaryRow]:
    """The year's subsidies per region: approved amounts of claimed months in the year by trainee
    category (见习补贴 and 剩余期限补贴) plus the retention bonus, and the payments made in the year
    by funding level; with the province row, the sum of the regions. Two queries."""
    regions = list(regions)
    ids = [r.pk for r in regions]
    rows = {r.pk: SummaryRow(r) for r in regions}
    lines = (
        ClaimLine.objects.filter(claim__status=Claim.Status.APPROVED, claim__region_id__in=ids, month__year=year)
        .values("claim__region_id", "placement__category", "kind")
        .annotate(total=Sum("amount"))
    )
    for item in lines:
        row = rows[item["claim__region_id"]]
        amount = _money(item["total"])
        if item["kind"] == ClaimLine.Kind.BONUS:
            row.bonus += amount
        else:
            key = item["placement__category"]
            row.by_category[key] = row.by_category.get(key, ZERO) + amount
    paid = (
        Disbursement.objects.filter(region_id__in=ids, paid_on__year=year)
        .values("region_id", "funding_level")
        .annotate(total=Sum("amount"))
    )
    for item in paid:
        rows[item["region_id"]].by_level[item["funding_level"]] = _money(item["total"])
    total = SummaryRow(None)
    for row in rows.values():
        for key, value in row.by_category.items():
            total.by_category[key] = total.by_category.get(key, ZERO) + value
        for key, value in row.by_level.items():
            total.by_level[key] = total.by_level.get(key, ZERO) + value
        total.bonus += row.bonus
    return list(rows.values()), total
