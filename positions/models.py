"""见习岗位: internship posts offered by units."""

from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jianxi_portal.core.review import Reviewable, ReviewStatus
from jianxi_portal.core.scoping import scope
from units.models import Unit


class PostCategory(models.TextChoices):
    MANAGEMENT = "management", "管理"
    TECHNICAL = "technical", "技术"
    RESEARCH = "research", "科研"
    SKILLED = "skilled", "技能"
    SERVICE = "service", "服务"
    OTHER = "other", "其他"


class Education(models.TextChoices):
    ANY = "any", "不限"
    SECONDARY = "secondary", "中专/技校"
    HIGH_SCHOOL = "high_school", "高中"
    JUNIOR_COLLEGE = "junior_college", "大专"
    BACHELOR = "bachelor", "本科"
    MASTER = "master", "硕士"
    DOCTOR = "doctor", "博士"


def _label(choices, value) -> str:
    try:
        return choices(value).label
    except ValueError:
        return value


def _public_q(today: date | None = None) -> Q:
    """Published: approved (not closed), its unit approved (not suspended or revoked) and its
    closing date not passed. The daily task closes posts past the date; until it runs, the date
    itself keeps them off the list."""
    today = today or timezone.localdate()
    return Q(status=Post.Status.APPROVED, unit__status=Unit.Status.APPROVED) & (
        Q(closing_date__isnull=True) | Q(closing_date__gte=today)
    )


class PostQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Province and admin: all. City: its region only. Employer: its unit's posts only. Everyone
        else (anonymous, young people): the published posts. City staff and employers read the
        public list through `published()`; through this scope another region's or unit's post is
        a 404 on management pages and API objects."""
        works_here = user is not None and user.is_authenticated and (user.is_city or user.is_employer)
        return scope(self, user, region="region_id", unit="unit_id", public=None if works_here else _public_q())

    def published(self, today: date | None = None):
        """The public post list (见习岗位清单): posts open for applications on `today`."""
        return self.filter(_public_q(today))

    def open_for_applications(self, today: date | None = None):
        """Same rows as `published()`; the name reads better where an application is checked."""
        return self.published(today)


class Post(Reviewable):
    """A 见习岗位 of a unit; `slots` is the headcount (岗位数 counts slots).

    Status: draft → submitted → approved (published) | rejected | returned (→ submitted), the shared
    review workflow; a post is submitted only while its unit is approved. Approval publishes it:
    `published_on` is the day, `closing_date` at most 12 months later (the employer may ask for an
    earlier one). Then approved → closed (by the city, the employer, the closing date, or the
    unit's revocation), with `closed_on` the day it left the list. The employer edits a post only
    while it is a draft or returned."""

    class Status(models.TextChoices):
        DRAFT = ReviewStatus.DRAFT.value, ReviewStatus.DRAFT.label
        SUBMITTED = ReviewStatus.SUBMITTED.value, ReviewStatus.SUBMITTED.label
        APPROVED = ReviewStatus.APPROVED.value, ReviewStatus.APPROVED.label
        REJECTED = ReviewStatus.REJECTED.value, ReviewStatus.REJECTED.label
        RETURNED = ReviewStatus.RETURNED.value, ReviewStatus.RETURNED.label
        CLOSED = "closed", "已关闭"

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="posts", verbose_name="见习单位")
    # Denormalised from the unit (a unit never changes region) so lists and Annex 2 filter without a join.
    region = models.ForeignKey(
        "jianxi_portal.Region", on_delete=models.PROTECT, related_name="posts", verbose_name="市（州）"
    )
    district = models.ForeignKey(
        "jianxi_portal.District", on_delete=models.PROTECT, related_name="posts", verbose_name="工作地点（区县）"
    )
    title = models.CharField("岗位名称", max_length=100)
    category = models.CharField("岗位类别", max_length=16, choices=PostCategory.choices)
    slots = models.PositiveIntegerField("岗位数（人）", validators=[MinValueValidator(1)])
    duration_months = models.PositiveSmallIntegerField(
        "见习期限（月）", validators=[MinValueValidator(3), MaxValueValidator(12)]
    )
    allowance = models.DecimalField("单位发放生活补贴（元/月）", max_digits=8, decimal_places=2)
    majors = models.CharField("专业要求", max_length=200, blank=True)
    education = models.CharField("学历要求", max_length=16, choices=Education.choices, default=Education.ANY)
    description = models.TextField("岗位描述", blank=True)
    also_internship = models.BooleanField("同时作为实习岗位", default=False)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    closing_date = models.DateField("截止日期", null=True, blank=True)
    closed_on = models.DateField("关闭日期", null=True, blank=True)
    close_reason = models.CharField("关闭原因", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = PostQuerySet.as_manager()

    # The labels as the public list shows them: one enum lookup each. `get_FOO_display` rebuilds a
    # dict of the field's choices on every call (40 calls a page of the list).
    @property
    def category_label(self) -> str:
        return _label(PostCategory, self.category)

    @property
    def education_label(self) -> str:
        return _label(Education, self.education)

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = verbose_name_plural = "见习岗位"
        constraints = [
            # DESIGN.md: slots ≥ 1, duration 3–12 months.
            models.CheckConstraint(condition=Q(slots__gte=1), name="positions_post_slots_positive"),
            models.CheckConstraint(
                condition=Q(duration_months__gte=3, duration_months__lte=12), name="positions_post_duration_3_12"
            ),
        ]
        indexes = [
            # Annex 2 indicators 3–4 and Annex 1: slots by region and first approval date, read
            # from the index alone (reports.indicators.POST_SCAN, reports.selectors.annex1_figures).
            # Region first: each region's posts come in order, grouped without hashing.
            models.Index(
                fields=["region", "first_approved_on"],
                include=["slots", "closed_on", "unit"],
                name="positions_post_approved_idx",
            ),
            # The public list: published posts of a region, newest first.
            models.Index(fields=["status", "region", "-published_on"], name="positions_post_public_idx"),
            # The public list without a region filter: published posts, newest first (LIMIT 20).
            models.Index(fields=["status", "-published_on", "-id"], name="positions_post_newest_idx"),
            # The public list sorted by allowance (selectors.SORTS "allowance"): walked in order
            # (LIMIT 20), not every published post joined and sorted (measured on 98k published
            # posts: the page's query 974 ms without it, 13 ms with it).
            models.Index(fields=["status", "-allowance", "-published_on", "-id"], name="positions_post_allowance_idx"),
            # The public list sorted by closing date: positions_post_closesort_idx, PostgreSQL only
            # (migration positions/0006; SQLite has no NULLS LAST in an index).
            models.Index(fields=["region", "status", "review_deadline"], name="positions_post_queue_idx"),
            # The daily task: approved posts whose closing date has passed.
            models.Index(fields=["status", "closing_date"], name="positions_post_closing_idx"),
        ]

    def __str__(self):
        return self.title

    def review_region_id(self):
        return self.region_id

    def review_unit_id(self):
        return self.unit_id

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    def is_open_for_applications(self, today: date | None = None) -> bool:
        """Whether a young person may apply to this post on `today` (the same rule as
        `Post.objects.published()`): approved, the unit approved, closing date not passed.
        Reads `self.unit`: select it with the post."""
        today = today or timezone.localdate()
        return (
            self.status == self.Status.APPROVED
            and self.unit.status == Unit.Status.APPROVED
            and (self.closing_date is None or today <= self.closing_date)
        )
