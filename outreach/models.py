"""Outreach (issue 8): recommendations and targeted push to young people, recruitment events,
follow-up of those not retained (跟踪帮扶), demonstration-unit nominations and the service zone
(服务专区) articles. Scoping follows `jianxi_portal.core.scoping`: each model's `visible_to(user)`."""

import secrets
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jianxi_portal.core.scoping import scope
from positions.models import PostCategory


def new_token() -> str:
    return secrets.token_urlsafe(24)


# ---------------------------------------------------------------------------------------------
# Recommendations and push


class SeekerProfileQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A young person: their own profile. Nobody else reads profiles directly; employers and
        cities see candidates only through `outreach.recommend.candidates_for_post`."""
        if user is None or not user.is_authenticated or not user.is_youth:
            return self.none()
        return self.filter(user_id=user.pk)


class SeekerProfile(models.Model):
    """A registered young person as the recommender sees them: the matching facts copied from
    their trainee record (kept current by `outreach.seekers.seeker_refresh`, called on every save
    of the record and nightly) plus the preferences they set themselves (regions, categories,
    push and digest consent).

    `eligible_from`/`eligible_until` are a coarse window (a superset of the days the person may
    sign an agreement) used only to narrow candidate sets through an index; who is eligible is
    decided by `trainees.eligibility` on the bounded set."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seeker")
    trainee = models.OneToOneField("trainees.Trainee", on_delete=models.CASCADE, related_name="seeker")
    region = models.ForeignKey("jianxi_portal.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name="联系市（州）")
    major = models.CharField("专业", max_length=100, blank=True)
    major_key = models.CharField("专业检索词", max_length=50, blank=True)
    education_rank = models.PositiveSmallIntegerField("学历层次", default=0)
    eligible_from = models.DateField("可参加见习起", null=True, blank=True)
    eligible_until = models.DateField("可参加见习止", null=True, blank=True)
    active = models.BooleanField("求职中", default=True)
    # Copied for `recommend.eligible_today`, so ranking candidates reads no trainee rows.
    category = models.CharField("人员类别", max_length=24, blank=True)
    left_school_on = models.DateField("毕业（离校）日期", null=True, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    unemployment_registered = models.BooleanField("已进行失业登记", default=False)
    preferred_regions = models.ManyToManyField(
        "jianxi_portal.Region", through="SeekerRegion", related_name="+", blank=True, verbose_name="意向地区"
    )
    categories = models.JSONField("意向岗位类别", default=list, blank=True)
    push_enabled = models.BooleanField("接收岗位推送", default=True)
    digest_enabled = models.BooleanField("接收每周岗位汇总", default=True)
    open_to_employers = models.BooleanField("允许见习单位查看我的求职意向", default=True)
    unsubscribe_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    unsubscribed_at = models.DateTimeField("退订时间", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SeekerProfileQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "求职意向"
        indexes = [
            # candidates_for_post: people whose major is one the post wants, still in their window.
            models.Index(fields=["major_key", "eligible_until"], name="outreach_seeker_major_idx"),
            # candidates_for_post: people of the post's region, still in their window.
            models.Index(fields=["region", "eligible_until"], name="outreach_seeker_region_idx"),
        ]

    def __str__(self):
        return f"{self.trainee.name} 的求职意向"

    @property
    def category_labels(self) -> list[str]:
        labels = dict(PostCategory.choices)
        return [labels[c] for c in self.categories if c in labels]

    @property
    def receives_push(self) -> bool:
        return self.push_enabled and self.unsubscribed_at is None


class SeekerRegion(models.Model):
    profile = models.ForeignKey(SeekerProfile, on_delete=models.CASCADE)
    region = models.ForeignKey("jianxi_portal.Region", on_delete=models.CASCADE)

    class Meta:
        verbose_name = verbose_name_plural = "求职意向地区"
        constraints = [
            models.UniqueConstraint(fields=["profile", "region"], name="outreach_seekerregion_unique"),
        ]
        # candidates_for_post: people who prefer the post's region.
        indexes = [models.Index(fields=["region", "profile"], name="outreach_seekerregion_idx")]


class PostKey(models.Model):
    """One major a published post asks for, normalised (`outreach.recommend.major_keys`), with the
    post's region and publication day copied so `posts_for_seeker` finds the newest posts wanting
    a major through one index range. Written when a post is published (never edited after)."""

    post = models.ForeignKey("positions.Post", on_delete=models.CASCADE, related_name="major_keys")
    key = models.CharField(max_length=50)
    region = models.ForeignKey("jianxi_portal.Region", on_delete=models.CASCADE, related_name="+")
    published_on = models.DateField()

    class Meta:
        verbose_name = verbose_name_plural = "岗位专业关键词"
        constraints = [models.UniqueConstraint(fields=["post", "key"], name="outreach_postkey_unique")]
        # posts_for_seeker: the newest posts wanting the person's major.
        indexes = [models.Index(fields=["key", "-published_on"], name="outreach_postkey_key_idx")]


class PushLog(models.Model):
    """One message sent to a young person: a matching post on its approval (match), an
    employer's invitation (invite) or the weekly digest. Counted for the weekly limit
    (settings.OUTREACH_PUSH_PER_WEEK, digests excluded) and unique per person and post or week,
    so a task run twice sends nothing twice."""

    class Kind(models.TextChoices):
        MATCH = "match", "岗位推送"
        INVITE = "invite", "单位邀请"
        DIGEST = "digest", "每周汇总"

    profile = models.ForeignKey(SeekerProfile, on_delete=models.CASCADE, related_name="pushes")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    post = models.ForeignKey("positions.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    week_of = models.DateField("周一", null=True, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                           related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "推送记录"
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "post"], condition=Q(post__isnull=False),
                                    name="outreach_pushlog_once_per_post"),
            models.UniqueConstraint(fields=["profile", "week_of"], condition=Q(kind="digest"),
                                    name="outreach_pushlog_one_digest_per_week"),
        ]
        # The weekly limit counts a person's pushes of the last seven days.
        indexes = [models.Index(fields=["profile", "sent_at"], name="outreach_pushlog_recent_idx")]


# ---------------------------------------------------------------------------------------------
# Recruitment events


class EventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Province and admin: all. City: its region's. Others: published events."""
        works_here = user is not None and user.is_authenticated and user.is_city
        return scope(self, user, region="region_id", public=None if works_here else Q(status=Event.Status.PUBLISHED))

    def upcoming(self, today):
        return self.filter(status=Event.Status.PUBLISHED, starts_on__gte=today)


class Event(models.Model):
    """A recruitment event (专场招募、双向洽谈、直播带岗、进校园、进园区…) held by a city.

    Status: draft → published (on the public list while its day has not passed) → cancelled.
    Posts of the city's region are attached; applications made from the event's page count for it."""

    class Kind(models.TextChoices):
        SPECIAL = "special", "专场招募"
        TWO_WAY = "two_way", "双向洽谈"
        LIVE = "live", "直播带岗"
        CAMPUS = "campus", "进校园"
        PARK = "park", "进园区"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"
        CANCELLED = "cancelled", "已取消"

    region = models.ForeignKey("jianxi_portal.Region", on_delete=models.PROTECT, related_name="events",
                               verbose_name="市（州）")
    title = models.CharField("活动名称", max_length=100)
    kind = models.CharField("活动类型", max_length=16, choices=Kind.choices)
    starts_on = models.DateField("活动日期")
    start_time = models.TimeField("开始时间", null=True, blank=True)
    end_time = models.TimeField("结束时间", null=True, blank=True)
    place = models.CharField("活动地点", max_length=200, blank=True)
    live_url = models.URLField("直播链接", max_length=300, blank=True)
    description = models.TextField("活动介绍", blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    posts = models.ManyToManyField("positions.Post", through="EventPost", related_name="events", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "start_time", "pk"]
        verbose_name = verbose_name_plural = "招聘活动"
        constraints = [
            # An event happens somewhere: a place, a live-stream link, or both.
            models.CheckConstraint(condition=~Q(place="", live_url=""), name="outreach_event_place_or_link"),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(start_time__isnull=True)
                | Q(end_time__gt=models.F("start_time")),
                name="outreach_event_end_after_start",
            ),
        ]
        # The public list: published events from today on.
        indexes = [models.Index(fields=["status", "starts_on"], name="outreach_event_upcoming_idx")]

    def __str__(self):
        return self.title


class EventPost(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE)
    post = models.ForeignKey("positions.Post", on_delete=models.CASCADE)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "招聘活动岗位"
        ordering = ["added_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "post"], name="outreach_eventpost_unique")]


class EventApplication(models.Model):
    """An application made from an event's page: it counts for that event (one event at most)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="applications")
    application = models.OneToOneField("trainees.Application", on_delete=models.CASCADE, related_name="event_link")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "招聘活动报名"


# ---------------------------------------------------------------------------------------------
# Follow-up (跟踪帮扶)


class ContactQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope(self, user, region="placement__region_id")


class FollowUpContact(models.Model):
    """A contact of city staff with a person whose placement ended without retention or other
    employment (the notice: 加强对未留用人员的就业服务…跟踪帮扶), and what became of them then."""

    class Method(models.TextChoices):
        PHONE = "phone", "电话"
        VISIT = "visit", "上门走访"
        MESSAGE = "message", "短信/微信"
        MEETING = "meeting", "来访面谈"

    class Outcome(models.TextChoices):
        EMPLOYED = "employed", "已就业"
        TRAINING = "training", "参加培训"
        LOOKING = "looking", "仍在求职"

    placement = models.ForeignKey("trainees.Placement", on_delete=models.PROTECT, related_name="follow_ups",
                                  verbose_name="见习协议")
    contacted_on = models.DateField("联系日期")
    method = models.CharField("联系方式", max_length=16, choices=Method.choices)
    outcome = models.CharField("当前状况", max_length=16, choices=Outcome.choices)
    outcome_on = models.DateField("就业/培训开始日期", null=True, blank=True)
    note = models.CharField("帮扶情况", max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="经办人")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["-contacted_on", "-pk"]
        verbose_name = verbose_name_plural = "跟踪帮扶记录"
        constraints = [
            # Employed or in training since a day: the date is part of the outcome.
            models.CheckConstraint(condition=Q(outcome="looking") | Q(outcome_on__isnull=False),
                                   name="outreach_followupcontact_outcome_dated"),
        ]
        # The follow-up list reads each placement's latest contact.
        indexes = [models.Index(fields=["placement", "-contacted_on"], name="outreach_followup_latest_idx")]


# ---------------------------------------------------------------------------------------------
# Demonstration units


class NominationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Nominations are public once made (the unit directory shows them)."""
        return self


class Nomination(models.Model):
    """A unit the province puts forward for the national demonstration-unit selection of a year."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="nominations",
                             verbose_name="见习单位")
    year = models.PositiveSmallIntegerField("年度")
    note = models.CharField("推荐理由", max_length=500)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = NominationQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "unit__name"]
        verbose_name = verbose_name_plural = "示范单位推荐"
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="outreach_nomination_once_a_year")]


# ---------------------------------------------------------------------------------------------
# Service zone (服务专区)


class ArticleQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Province and admin: all. City: its region's articles. Others: published ones."""
        works_here = user is not None and user.is_authenticated and user.is_city
        return scope(self, user, region="region_id", public=None if works_here else Article.PUBLIC_Q)

    def published(self):
        return self.filter(Article.PUBLIC_Q)


class Article(models.Model):
    """A policy, procedure, notice or story of the service zone, written by province staff (for
    the whole province) or city staff (for their region).

    Status: draft → published → draft (withdrawn). The body is HTML sanitised on every save by
    `outreach.articles.clean_html` to a small set of tags; images and files are `ArticleFile`s."""

    class Kind(models.TextChoices):
        POLICY = "policy", "见习政策"
        PROCEDURE = "procedure", "经办流程"
        NOTICE = "notice", "通知公告"
        STORY = "story", "就业故事"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    PUBLIC_Q = Q(status="published")

    kind = models.CharField("栏目", max_length=16, choices=Kind.choices)
    title = models.CharField("标题", max_length=120)
    summary = models.CharField("摘要", max_length=300, blank=True)
    body = models.TextField("正文")
    region = models.ForeignKey("jianxi_portal.Region", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="articles", verbose_name="地区", help_text="留空表示全省")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = verbose_name_plural = "服务专区文章"
        # The home page and the zone list: the newest published articles.
        indexes = [models.Index(fields=["status", "-published_at"], name="outreach_article_latest_idx")]

    def __str__(self):
        return self.title

    @property
    def cover(self):
        return next((f for f in self.files.all() if f.kind == ArticleFile.Kind.IMAGE), None)


def article_file_path(instance, filename: str) -> str:
    # A random name: the original stays in the row, never in the file system.
    return f"articles/{instance.article_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class ArticleFile(models.Model):
    """An image (shown in the body or as the cover) or an attachment of an article, checked by
    `outreach.articles.article_file_add` (type by content, size limit)."""

    class Kind(models.TextChoices):
        IMAGE = "image", "图片"
        ATTACHMENT = "attachment", "附件"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    file = models.FileField("文件", upload_to=article_file_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件格式", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = verbose_name_plural = "文章图片与附件"
