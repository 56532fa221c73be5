"""Outreach (DESIGN.md, Who uses it: youth): recommendations and targeted push to young people, recruitment events,
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


def new_checkin_code() -> str:
    """Six digits, easy to read out at a venue."""
    return f"{secrets.randbelow(1_000_000):06d}"


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
    region = models.ForeignKey(
        "jianxi_portal.Region", on_delete=models.PROTECT, related_name="+", verbose_name="联系市（州）"
    )
    major = models.CharField("专业", max_length=100, blank=True)
    # The major in the national catalogue (`jianxi_portal.core.majors`): its code and its 专业类 and 门类
    # codes, so that a post asking for any of the three finds the person through one index range;
    # empty when the major is not in the catalogue, then `major_key` (the normalised text) is used.
    major_code = models.CharField("专业代码", max_length=12, blank=True)
    major_class = models.CharField("专业类代码", max_length=12, blank=True)
    major_category = models.CharField("门类代码", max_length=12, blank=True)
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
    # Copies of the person's consents on their trainee record (`trainees.services.consent`; off until
    # ticked, SECURITY.md "Consent"), kept here so candidate queries filter on indexed columns.
    push_enabled = models.BooleanField("接收岗位推送", default=False)
    digest_enabled = models.BooleanField("接收每周岗位汇总", default=False)
    open_to_employers = models.BooleanField("允许见习单位查看我的求职意向", default=False)
    push_consent_at = models.DateTimeField("同意岗位推送的时间", null=True, blank=True)
    unsubscribe_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    unsubscribed_at = models.DateTimeField("退订时间", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SeekerProfileQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "求职意向"
        indexes = [
            # candidates_for_post: people whose major (专业类, 门类) the post asks for, in their window.
            models.Index(fields=["major_code", "eligible_until"], name="outreach_seeker_code_idx"),
            models.Index(fields=["major_class", "eligible_until"], name="outreach_seeker_class_idx"),
            models.Index(fields=["major_category", "eligible_until"], name="outreach_seeker_category_idx"),
            # candidates_for_post: people whose uncatalogued major is a word the post asks for.
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
    """One part of a published post's major requirement as an index key (`jianxi_portal.core.majors`
    `Requirement.keys`): a catalogue code (专业, 专业类 or 门类), "t:<text>" for a part not in the
    catalogue, or "*" for a post open to all majors; with the post's region and publication day
    copied so `posts_for_seeker` finds the newest posts for a major through one index range.
    Written when a post is published."""

    post = models.ForeignKey("positions.Post", on_delete=models.CASCADE, related_name="major_keys")
    key = models.CharField(max_length=50)
    region = models.ForeignKey("jianxi_portal.Region", on_delete=models.CASCADE, related_name="+")
    published_on = models.DateField()

    class Meta:
        verbose_name = verbose_name_plural = "岗位专业关键词"
        constraints = [models.UniqueConstraint(fields=["post", "key"], name="outreach_postkey_unique")]
        # posts_for_seeker: the newest posts wanting the person's major; the newest open ones by region.
        indexes = [
            models.Index(fields=["key", "-published_on"], name="outreach_postkey_key_idx"),
            models.Index(fields=["key", "region", "-published_on"], name="outreach_postkey_region_idx"),
        ]


class PushLogQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Province and admin: all. City: pushes of posts and events of its region. Employer: the
        pushes of its unit's posts to people who let employers see them. Young people: their own."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_youth:
            return self.filter(profile__user_id=user.pk)
        if user.is_employer:
            return self.filter(post__unit_id=user.unit_id, profile__open_to_employers=True)
        return scope(self, user, region="region_id")


class PushLog(models.Model):
    """One message sent to a young person about a post or an event, or their weekly digest, with
    what made it go to them: the reasons (in the words they read), the score, the channel, and
    afterwards whether they opened it. Whether they applied or unsubscribed since is read from the
    applications and their profile (`outreach.pushlog`).

    Kinds: match (a post's approval found them), invite (an employer or the city invited them to a
    post on its candidate list), hand (city staff pushed a post or an event to a chosen group),
    event (a published event's posts fit them), digest (weekly). All but digests count for the
    weekly limit (settings.OUTREACH_PUSH_PER_WEEK); one push per person and post, per person and
    event, and one digest per week, so a task run twice sends nothing twice."""

    class Kind(models.TextChoices):
        MATCH = "match", "岗位推送"
        INVITE = "invite", "单位邀请"
        HAND = "hand", "人工推送"
        EVENT = "event", "活动推送"
        DIGEST = "digest", "每周汇总"

    class Channel(models.TextChoices):
        IN_APP = "in_app", "站内消息"
        IN_APP_EMAIL = "in_app_email", "站内消息和邮件"

    profile = models.ForeignKey(SeekerProfile, on_delete=models.CASCADE, related_name="pushes")
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    post = models.ForeignKey("positions.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    event = models.ForeignKey("Event", on_delete=models.CASCADE, null=True, blank=True, related_name="pushes")
    # The region of the post or event: the city's scope (digests have none).
    region = models.ForeignKey(
        "jianxi_portal.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    week_of = models.DateField("周一", null=True, blank=True)
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices, default=Channel.IN_APP)
    reason = models.CharField("推送理由", max_length=500, blank=True)
    score = models.PositiveSmallIntegerField("匹配度", null=True, blank=True)
    sent_at = models.DateTimeField("发送时间", default=timezone.now)
    opened_at = models.DateTimeField("打开时间", null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发送人",
    )

    objects = PushLogQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "推送记录"
        ordering = ["-sent_at", "-pk"]
        verbose_name = verbose_name_plural = "推送记录"
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "post"], condition=Q(post__isnull=False), name="outreach_pushlog_once_per_post"
            ),
            models.UniqueConstraint(
                fields=["profile", "event"], condition=Q(event__isnull=False), name="outreach_pushlog_once_per_event"
            ),
            models.UniqueConstraint(
                fields=["profile", "week_of"], condition=Q(kind="digest"), name="outreach_pushlog_one_digest_per_week"
            ),
        ]
        indexes = [
            # The weekly limit counts a person's pushes of the last seven days.
            models.Index(fields=["profile", "sent_at"], name="outreach_pushlog_recent_idx"),
            # The push log of a post and of an event, newest first.
            models.Index(fields=["post", "-sent_at"], name="outreach_pushlog_post_idx"),
            models.Index(fields=["event", "-sent_at"], name="outreach_pushlog_event_idx"),
        ]


# ---------------------------------------------------------------------------------------------
# Recruitment events


class EventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Province and admin: all. City: its region's. Others: the public ones, published or cancelled
        (a cancelled event's page stays and says so)."""
        works_here = user is not None and user.is_authenticated and user.is_city
        public = Q(status__in=(Event.Status.PUBLISHED, Event.Status.CANCELLED))
        return scope(self, user, region="region_id", public=None if works_here else public)

    def upcoming(self, today):
        return self.filter(status=Event.Status.PUBLISHED, starts_on__gte=today)


class Event(models.Model):
    """A recruitment event (专场招募、双向洽谈、直播带岗、进校园、进园区…) held by a city.

    Status: draft → published (on the public list while its day has not passed) → cancelled (its
    page stays, saying so). Posts of the city's region are attached and their employers confirm
    their booth; young people sign up and are checked in (with the event's code, or by the city
    from the list); applications made from the event's page count for it. Publishing tells the
    young people its posts fit (within consent and the weekly limit); cancelling, or changing the
    day, time or place, tells everyone signed up (`outreach.events`)."""

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

    region = models.ForeignKey(
        "jianxi_portal.Region", on_delete=models.PROTECT, related_name="events", verbose_name="市（州）"
    )
    title = models.CharField("活动名称", max_length=100)
    kind = models.CharField("活动类型", max_length=16, choices=Kind.choices)
    starts_on = models.DateField("活动日期")
    start_time = models.TimeField("开始时间", null=True, blank=True)
    end_time = models.TimeField("结束时间", null=True, blank=True)
    place = models.CharField("活动地点", max_length=200, blank=True)
    live_url = models.URLField("直播链接", max_length=300, blank=True)
    description = models.TextField("活动介绍", blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    # Given out at the venue (or in the live stream): a signed-in young person types it to check in.
    checkin_code = models.CharField("签到码", max_length=8, default=new_checkin_code, editable=False)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
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
                condition=Q(end_time__isnull=True)
                | Q(start_time__isnull=True)
                | Q(end_time__gt=models.F("start_time")),
                name="outreach_event_end_after_start",
            ),
        ]
        # The public list: published events from today on.
        indexes = [models.Index(fields=["status", "starts_on"], name="outreach_event_upcoming_idx")]

    def __str__(self):
        return self.title


class EventPost(models.Model):
    """A post at an event; its unit is told when it is added and confirms its booth (展位)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE)
    post = models.ForeignKey("positions.Post", on_delete=models.CASCADE)
    added_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField("单位确认参会时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="确认人",
    )

    class Meta:
        verbose_name = verbose_name_plural = "招聘活动岗位"
        ordering = ["added_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "post"], name="outreach_eventpost_unique")]


class EventSignupQuerySet(models.QuerySet):
    def visible_to(self, user):
        """City: sign-ups of its region's events; province and admin: all; a young person: their own."""
        if user is not None and user.is_authenticated and user.is_youth:
            return self.filter(user_id=user.pk)
        return scope(self, user, region="event__region_id")

    def active(self):
        return self.filter(cancelled_at__isnull=True)


class EventSignup(models.Model):
    """A young person signed up for an event (报名). They may cancel before the day; at the event they
    are checked in (签到) with the event's code or by the city from the list — a walk-in who checks
    in with the code is signed up then."""

    class CheckIn(models.TextChoices):
        CODE = "code", "签到码"
        LIST = "list", "工作人员名单签到"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_signups")
    created_at = models.DateTimeField("报名时间", default=timezone.now)
    cancelled_at = models.DateTimeField("取消报名时间", null=True, blank=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    check_in = models.CharField("签到方式", max_length=8, choices=CheckIn.choices, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="签到经办人",
    )

    objects = EventSignupQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = verbose_name_plural = "活动报名"
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="outreach_eventsignup_once"),
            # Checked in means signed up: a cancelled sign-up was never at the event.
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(cancelled_at__isnull=True),
                name="outreach_eventsignup_checked_in_not_cancelled",
            ),
        ]


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

    placement = models.ForeignKey(
        "trainees.Placement", on_delete=models.PROTECT, related_name="follow_ups", verbose_name="见习协议"
    )
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
            models.CheckConstraint(
                condition=Q(outcome="looking") | Q(outcome_on__isnull=False),
                name="outreach_followupcontact_outcome_dated",
            ),
        ]
        # The follow-up list reads each placement's latest contact.
        indexes = [models.Index(fields=["placement", "-contacted_on"], name="outreach_followup_latest_idx")]


# ---------------------------------------------------------------------------------------------
# Demonstration units


class NominationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Province and admin only, as on the ranking page: the reason written for the national
        selection is the province's working note, not something cities, units or young people see."""
        return scope(self, user, region=None)


class Nomination(models.Model):
    """A unit the province puts forward for the national demonstration-unit selection of a year."""

    unit = models.ForeignKey(
        "units.Unit", on_delete=models.CASCADE, related_name="nominations", verbose_name="见习单位"
    )
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
    region = models.ForeignKey(
        "jianxi_portal.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name="地区",
        help_text="留空表示全省",
    )
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
