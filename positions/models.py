"""见习岗位: internship posts offered by units."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from jianxi_portal.review import Reviewable, ReviewStatus
from jianxi_portal.scoping import scope


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


class PostQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Province and admin: all. City: its region. Employer: its unit's posts. Others: the
        published ones (the public post list)."""
        return scope(self, user, region="region_id", unit="unit_id", public=Q(status=Post.Status.APPROVED))

    def published(self):
        """The public post list (见习岗位清单): approved and not closed."""
        return self.filter(status=Post.Status.APPROVED)


class Post(Reviewable):
    """A 见习岗位 of a unit; `slots` is the headcount (岗位数 counts slots).

    Status: draft → submitted → approved (published) | rejected | returned (→ submitted), the shared
    review workflow; then approved → closed (by the city, the employer, the closing date, or the
    unit's revocation), with `closed_on` the day it left the list."""

    class Status(models.TextChoices):
        DRAFT = ReviewStatus.DRAFT
        SUBMITTED = ReviewStatus.SUBMITTED
        APPROVED = ReviewStatus.APPROVED
        REJECTED = ReviewStatus.REJECTED
        RETURNED = ReviewStatus.RETURNED
        CLOSED = "closed", "已关闭"

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="posts", verbose_name="见习单位")
    # Denormalised from the unit (a unit never changes region) so lists and Annex 2 filter without a join.
    region = models.ForeignKey("jianxi_portal.Region", on_delete=models.PROTECT, related_name="posts", verbose_name="市（州）")
    district = models.ForeignKey("jianxi_portal.District", on_delete=models.PROTECT, related_name="posts", verbose_name="工作地点（区县）")
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
            # Annex 2 indicators 3–4 and Annex 1: slots by region and first approval date.
            models.Index(fields=["first_approved_on", "region"], name="positions_post_approved_idx"),
            # The public list: published posts of a region, newest first.
            models.Index(fields=["status", "region", "-published_on"], name="positions_post_public_idx"),
            models.Index(fields=["region", "status", "review_deadline"], name="positions_post_queue_idx"),
        ]

    def __str__(self):
        return self.title

    def review_region_id(self):
        return self.region_id

    def review_unit_id(self):
        return self.unit_id
