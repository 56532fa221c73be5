"""Monthly Annex 2 reports (one per region and month, with its 14 lines) and the Annex 1 baseline
figures admins enter for years before the portal's records."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from jianxi_portal.core import personal
from jianxi_portal.core.scoping import scope
from reports.indicators import Period


class MonthlyReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Province and admin: every region's reports. City: its own region's. Others: none."""
        return scope(self, user, region="region_id")

    def for_period(self, period: Period):
        return self.filter(year=period.year, month=period.month)


class MonthlyReport(models.Model):
    """A region's Annex 2 report for one month.

    Status:
        draft ──submit──▶ submitted ──accept──▶ accepted (final)
          ▲                   └──return──▶ returned ──submit──▶ submitted
    A draft is generated for every region on the 1st of the next month (`tasks.generate_drafts`)
    and recomputed from the records until it is submitted; the city may adjust a line only with
    a written note (`ReportLine.reported`, `note`). Submission requires the form's rules to hold
    (`reports.rules`), records the reporter, phone and time and freezes the lines: a submitted or
    accepted report never changes when records change. The province accepts it, or returns it with
    an opinion; the city then corrects (recomputes, adjusts) and submits again. Every transition
    is logged through `jianxi_portal.core.review.log_transition`. Due on the 3rd of the next month,
    moved to the next working day (`due_on`)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已上报"
        ACCEPTED = "accepted", "已接收"
        RETURNED = "returned", "已退回"

    EDITABLE = (Status.DRAFT, Status.RETURNED)
    FROZEN = (Status.SUBMITTED, Status.ACCEPTED)

    region = models.ForeignKey(
        "jianxi_portal.Region", on_delete=models.PROTECT, related_name="monthly_reports", verbose_name="市（州）"
    )
    year = models.PositiveSmallIntegerField("年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    month = models.PositiveSmallIntegerField("月份", validators=[MinValueValidator(1), MaxValueValidator(12)])
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    due_on = models.DateField("报送期限")
    computed_at = models.DateTimeField("计算时间")
    reporter_name = models.CharField("填报人", max_length=50, blank=True)
    reporter_phone = personal.Encrypted(personal.PHONE, "联系电话", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="上报账号",
    )
    submitted_at = models.DateTimeField("上报时间", null=True, blank=True)
    first_submitted_at = models.DateTimeField("首次上报时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    opinion = models.TextField("省级意见", blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = MonthlyReportQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-month", "region__order"]
        verbose_name = verbose_name_plural = "月报（附件2）"
        constraints = [
            # DESIGN.md, Annex 2: one row per region per month.
            models.UniqueConstraint(
                fields=["region", "year", "month"], name="reports_monthlyreport_one_per_region_month"
            ),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="reports_monthlyreport_month_1_12"),
            # DESIGN.md, Annex 2: submission records the reporter, the phone and the time.
            models.CheckConstraint(
                condition=~Q(status__in=["submitted", "accepted"])
                | (Q(submitted_at__isnull=False) & ~Q(reporter_name="") & ~Q(reporter_phone_cipher="")),
                name="reports_monthlyreport_submitted_has_reporter",
            ),
        ]

    def __str__(self):
        return f"{self.region} {self.period.label}"

    @property
    def period(self) -> Period:
        return Period(self.year, self.month)

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_frozen(self) -> bool:
        return self.status in self.FROZEN

    def lines_by_number(self) -> dict[int, "ReportLine"]:
        return {line.number: line for line in self.lines.all()}

    def reported_values(self) -> dict[int, Decimal]:
        """The 14 values as reported: the city's adjustment where there is one, else computed."""
        return {n: line.value for n, line in self.lines_by_number().items()}

    def timeliness(self, today: date | None = None) -> str:
        """on_time | late (first submitted after the due date) | overdue (not submitted, past due)
        | pending (not submitted, not yet due)."""
        return timeliness(self.due_on, self.first_submitted_at, today)


def timeliness(due_on: date, first_submitted_at, today: date | None = None) -> str:
    if first_submitted_at is not None:
        return "late" if timezone.localdate(first_submitted_at) > due_on else "on_time"
    return "overdue" if (today or timezone.localdate()) > due_on else "pending"


TIMELINESS_LABELS = {"on_time": "按时上报", "late": "逾期上报", "overdue": "逾期未报", "pending": "未到期"}


class ReportLine(models.Model):
    """One indicator of a monthly report: the value computed from the records and, where the city
    adjusted it, the reported value with the written note that explains it. Both are kept."""

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="lines")
    number = models.PositiveSmallIntegerField("指标序号", validators=[MinValueValidator(1), MaxValueValidator(14)])
    computed = models.DecimalField("系统计算值", max_digits=14, decimal_places=2)
    reported = models.DecimalField("调整后填报值", max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.TextField("调整说明", blank=True)
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="调整人",
    )
    adjusted_at = models.DateTimeField("调整时间", null=True, blank=True)

    class Meta:
        ordering = ["report", "number"]
        verbose_name = verbose_name_plural = "月报指标"
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reports_reportline_one_per_indicator"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=14), name="reports_reportline_number_1_14"),
            # DESIGN.md, Annex 2: a city may override a computed value only with a written note.
            models.CheckConstraint(
                condition=Q(reported__isnull=True) | ~Q(note=""), name="reports_reportline_adjustment_has_note"
            ),
        ]

    @property
    def is_adjusted(self) -> bool:
        return self.reported is not None

    @property
    def value(self) -> Decimal:
        return self.reported if self.reported is not None else self.computed


class Annex1BaselineQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope(self, user, region="region_id")


class Annex1Baseline(models.Model):
    """A region's Annex 1 figures for a year the portal holds no records of (posts recruited and
    trainees organised, as reported on paper), entered by admins so the 只增不减 comparison with
    the previous year has something to compare with. Where a baseline exists it is used for that
    year instead of the records."""

    region = models.ForeignKey(
        "jianxi_portal.Region", on_delete=models.PROTECT, related_name="annex1_baselines", verbose_name="市（州）"
    )
    year = models.PositiveSmallIntegerField("年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    posts_recruited = models.PositiveIntegerField("已募集岗位数（个）")
    trainees_organised = models.PositiveIntegerField("已组织见习人数（人）")
    note = models.CharField("数据来源说明", max_length=200, blank=True)
    history = HistoricalRecords()

    objects = Annex1BaselineQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "region__order"]
        verbose_name = verbose_name_plural = "附件1往年基数"
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="reports_annex1baseline_one_per_region_year"),
        ]

    def __str__(self):
        return f"{self.year} {self.region}"
