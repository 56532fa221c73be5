"""见习人员, 见习申请 and 见习协议 (placements)."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from jianxi_portal.core import personal

# The categories are core's: the allowance floor rule (a core wage rule) is set per category.
from jianxi_portal.core.models import TraineeCategory  # noqa: F401  (re-exported)
from jianxi_portal.core.review import ReviewStatus
from jianxi_portal.core.scoping import scope
from positions.models import Education

# The education levels of posts without "any": a person has one level.
EDUCATION_CHOICES = [(value, label) for value, label in Education.choices if value != Education.ANY]


class TraineeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Province and admin: all. City: trainees registered in its region, plus those placed in,
        applying to or interning at a unit of its region (it needs their names to manage the
        placement). Employer: trainees placed in, applying to or interning at its unit. Youth:
        their own record. Subqueries rather than joins keep the rows distinct without DISTINCT."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.sees_all_regions:
            return self
        if user.is_city:
            return self.filter(
                Q(region_id=user.region_id)
                | Q(pk__in=Placement.objects.filter(region_id=user.region_id).values("trainee_id"))
                | Q(pk__in=Application.objects.filter(post__region_id=user.region_id).values("trainee_id"))
                | Q(pk__in=Internship.objects.filter(region_id=user.region_id).values("trainee_id"))
            )
        if user.is_employer and user.unit_id:
            return self.filter(
                Q(pk__in=Placement.objects.filter(unit_id=user.unit_id).values("trainee_id"))
                | Q(pk__in=Application.objects.filter(post__unit_id=user.unit_id).values("trainee_id"))
                | Q(pk__in=Internship.objects.filter(unit_id=user.unit_id).values("trainee_id"))
            )
        if user.is_youth:
            return self.filter(user_id=user.pk)
        return self.none()

    def editable_by(self, user):
        """Who may change a trainee's record: city staff of the trainee's own region, and the young
        person for their own profile. Others (the placement's city, the employer) only read."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_city:
            return self.filter(region_id=user.region_id)
        if user.is_youth:
            return self.filter(user_id=user.pk)
        return self.none()


class Trainee(models.Model):
    """A 见习人员. The ID number and phone are stored encrypted, with a keyed digest for lookup and
    uniqueness (one ID number is one trainee across the province) and a masked copy for display."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="trainee"
    )
    name = models.CharField("姓名", max_length=50)
    # One ID number is one trainee across the province: the digest is unique.
    id_number = personal.Encrypted(personal.ID_NUMBER, "居民身份证号", unique=True, max_length=18)
    birth_date = models.DateField("出生日期")
    sex = models.CharField("性别", max_length=1, choices=[("M", "男"), ("F", "女")])
    phone = personal.Encrypted(personal.PHONE, "手机号码", blank=True, max_length=11)
    category = models.CharField("人员类别", max_length=24, choices=TraineeCategory.choices)
    school = models.CharField("毕业院校", max_length=100, blank=True)
    major = models.CharField("专业", max_length=100, blank=True)
    education = models.CharField("学历", max_length=16, blank=True, choices=EDUCATION_CHOICES)
    left_school_on = models.DateField("毕业（离校）日期", null=True, blank=True)
    unemployment_registered = models.BooleanField("已进行失业登记", default=False)
    employed = models.BooleanField("已就业", default=False)
    # The person's own choices for three uses of their record, off until they tick them (PIPL art.
    # 14: consent is a clear, informed choice; SECURITY.md "Consent"). Changed only through
    # `trainees.services.consent.consent_set`, which keeps the history (ConsentChange).
    consent_push = models.BooleanField("同意接收岗位推送", default=False)
    consent_digest = models.BooleanField("同意接收每周岗位汇总", default=False)
    consent_employers = models.BooleanField("同意见习单位在推荐名单中看到我", default=False)
    consent_push_at = models.DateTimeField("同意岗位推送的时间", null=True, blank=True)
    region = models.ForeignKey(
        "jianxi_portal.Region", on_delete=models.PROTECT, related_name="trainees", verbose_name="联系市（州）"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = TraineeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "见习人员"

    def __str__(self):
        return f"{self.name}（{self.id_number_masked}）"


class ConsentPurpose(models.TextChoices):
    """The uses of a registered person's record that need their consent (SECURITY.md "Consent")."""

    PUSH = "push", "岗位推送"
    DIGEST = "digest", "每周岗位汇总"
    EMPLOYERS = "employers", "单位可见"


class ConsentChange(models.Model):
    """One choice of a person about one use of their record: given or withdrawn, when, by whom and
    through which page. Append-only: the history a person (and an auditor) reads."""

    class Source(models.TextChoices):
        SIGNUP = "signup", "注册时选择"
        PROFILE = "profile", "本人在“我的见习”中修改"
        UNSUBSCRIBE = "unsubscribe", "通过退订链接退订"
        MIGRATION = "migration", "系统更正（此前的默认勾选未经本人选择）"

    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="consent_changes")
    purpose = models.CharField("用途", max_length=16, choices=ConsentPurpose.choices)
    granted = models.BooleanField("同意")
    source = models.CharField("方式", max_length=16, choices=Source.choices)
    at = models.DateTimeField("时间", default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = verbose_name_plural = "授权记录"


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope(self, user, region="post__region_id", unit="post__unit_id", owner="trainee__user_id")


class Application(models.Model):
    """见习申请: a young person applies to a published, open post; the employer accepts or declines.

    Status: pending → accepted (a planned placement is created with it) | declined | withdrawn (by
    the applicant). Only pending applications change (services in `trainees.services.applications`)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待处理"
        ACCEPTED = "accepted", "已录用"
        DECLINED = "declined", "未录用"
        WITHDRAWN = "withdrawn", "已撤回"

    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="applications", verbose_name="见习人员")
    post = models.ForeignKey(
        "positions.Post", on_delete=models.PROTECT, related_name="applications", verbose_name="见习岗位"
    )
    note = models.CharField("留言", max_length=500, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decision_note = models.CharField("处理说明", max_length=200, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "见习申请"
        constraints = [
            # One application per trainee per post (DESIGN.md, Domain model: Application).
            models.UniqueConstraint(fields=["trainee", "post"], name="trainees_application_one_per_post"),
        ]


class PlacementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Province and admin: all. City: its region. Employer: its unit. Youth: their own."""
        return scope(self, user, region="region_id", unit="unit_id", owner="trainee__user_id")


class Placement(models.Model):
    """见习协议: a trainee on a post from `planned_start` to `planned_end`.

    Lifecycle (DESIGN.md, Placement lifecycle): planned (signed_on) → on_duty (started_on) → ended,
    with `end` one of completed (ended_on = planned_end; then `outcome` retained | other_employment
    | none), early_retained (a labour contract before the end; counts as completed and retained),
    abnormal (非正常结束, `end_reason`). A planned placement may be cancelled before the start.
    The filing (上报备案) goes through the shared review workflow in `filing_status`; a confirmed
    filing is what makes the placement count for subsidies."""

    class Status(models.TextChoices):
        PLANNED = "planned", "待到岗"
        ON_DUTY = "on_duty", "在岗见习"
        ENDED = "ended", "已结束"
        CANCELLED = "cancelled", "已取消"

    class End(models.TextChoices):
        COMPLETED = "completed", "期满"
        EARLY_RETAINED = "early_retained", "提前留用"
        ABNORMAL = "abnormal", "非正常结束"

    class EndReason(models.TextChoices):
        PERSONAL = "personal", "个人原因"
        UNIT_CHANGE = "unit_change", "单位变动"
        OTHER = "other", "其他"

    class Outcome(models.TextChoices):
        RETAINED = "retained", "留用"
        OTHER_EMPLOYMENT = "other_employment", "其他方式就业"
        NONE = "none", "未就业"

    ACTIVE = (Status.PLANNED, Status.ON_DUTY)

    trainee = models.ForeignKey(Trainee, on_delete=models.PROTECT, related_name="placements", verbose_name="见习人员")
    post = models.ForeignKey(
        "positions.Post", on_delete=models.PROTECT, related_name="placements", verbose_name="见习岗位"
    )
    # Denormalised from the post (never changes) so Annex 2 and lists group without joins.
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="placements", verbose_name="见习单位")
    region = models.ForeignKey(
        "jianxi_portal.Region", on_delete=models.PROTECT, related_name="placements", verbose_name="市（州）"
    )
    # Copied from the trainee when the agreement is signed: Annex 2 indicators 7 and 10 count it.
    category = models.CharField("人员类别", max_length=24, choices=TraineeCategory.choices)
    application = models.OneToOneField(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="placement"
    )
    signed_on = models.DateField("协议签订日期")
    planned_start = models.DateField("计划开始日期")
    planned_end = models.DateField("计划结束日期")
    allowance = models.DecimalField("单位发放生活补贴（元/月）", max_digits=8, decimal_places=2)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PLANNED, db_index=True)
    started_on = models.DateField("到岗日期", null=True, blank=True)
    ended_on = models.DateField("结束日期", null=True, blank=True)
    end = models.CharField("结束方式", max_length=16, choices=End.choices, blank=True)
    end_reason = models.CharField("非正常结束原因", max_length=16, choices=EndReason.choices, blank=True)
    end_note = models.CharField("结束说明", max_length=200, blank=True)
    outcome = models.CharField("期满去向", max_length=20, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField("去向登记日期", null=True, blank=True)
    contract_signed_on = models.DateField("劳动合同签订日期", null=True, blank=True)
    # The labour contract of a retention (DESIGN.md, Placement lifecycle: any term). Facts, not
    # conditions: the retention bonus alone asks for 12 months and social insurance.
    contract_months = models.PositiveSmallIntegerField("劳动合同期限（月）", null=True, blank=True)
    contract_ends_on = models.DateField("劳动合同终止日期", null=True, blank=True)
    social_insurance_paid = models.BooleanField("已缴纳社会保险", default=False)
    other_employment_note = models.CharField("其他就业方式说明", max_length=200, blank=True)
    insurer = models.CharField("意外伤害保险承保公司", max_length=100, blank=True)
    insurance_policy_no = models.CharField("保单号", max_length=64, blank=True)
    insurance_from = models.DateField("保险起期", null=True, blank=True)
    insurance_to = models.DateField("保险止期", null=True, blank=True)
    mentor = models.ForeignKey(
        "trainees.Mentor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name="带教老师",
    )
    # 双贯通: the internship this placement continues, when it was converted from one.
    internship = models.OneToOneField(
        "trainees.Internship",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placement",
        verbose_name="转自实习",
    )
    cancelled_on = models.DateField("取消日期", null=True, blank=True)
    # DESIGN.md, Trainee categories: a placement that ended abnormally for the unit's reasons (单位变动)
    # may be continued at another unit for the remaining months, with the city's approval. The
    # continuation is the same person: Annex 2 counts it in neither "planned" nor "arrived".
    continues = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="continuation",
        verbose_name="接续自",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入人",
    )
    filing_status = models.CharField(
        "备案状态", max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField("备案提交时间", null=True, blank=True)
    review_deadline = models.DateField("备案审核期限", null=True, blank=True)
    decided_at = models.DateTimeField("备案审核时间", null=True, blank=True)
    first_approved_on = models.DateField("备案确认日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = PlacementQuerySet.as_manager()
    review_field = "filing_status"

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = verbose_name_plural = "见习协议"
        constraints = [
            # DESIGN.md: the agreed period runs forward; an end never precedes the start.
            models.CheckConstraint(
                condition=Q(planned_end__gt=F("planned_start")), name="trainees_placement_planned_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(started_on__isnull=False, ended_on__gte=F("started_on")),
                name="trainees_placement_end_after_start",
            ),
            # A labour contract ends after it was signed.
            models.CheckConstraint(
                condition=Q(contract_ends_on__isnull=True)
                | Q(contract_signed_on__isnull=False, contract_ends_on__gt=F("contract_signed_on")),
                name="trainees_placement_contract_end_after_signing",
            ),
            # DESIGN.md: a trainee never has two overlapping placements. The services check dates
            # under a row lock on the trainee; this is the database's backstop for the active ones.
            models.UniqueConstraint(
                fields=["trainee"],
                condition=Q(status__in=["planned", "on_duty"]),
                name="trainees_placement_one_active_per_trainee",
            ),
        ]
        indexes = [
            # Annex 2 indicators 5–13 select placements by region and a month window of one date;
            # each index includes what its scan's aggregates read, so PostgreSQL answers from the
            # index alone (reports.indicators.SCANS; also Annex 1 and the dashboards' figures).
            # Region first: all regions are one range per region, a city one range, and the rows
            # come grouped by region without hashing. `continues` is read by indicators 5–7 (a
            # continuation is not a new person).
            models.Index(
                fields=["region", "planned_start"], include=["status", "continues"], name="trainees_pl_planned_idx"
            ),
            models.Index(
                fields=["region", "started_on"],
                include=["status", "planned_start", "category", "continues"],
                name="trainees_pl_started_idx",
            ),
            models.Index(
                fields=["region", "ended_on"],
                include=["end", "outcome", "category", "started_on"],
                name="trainees_pl_ended_idx",
            ),
            # Annex 2 indicator 13, the part never ended: started on or before the month's end.
            models.Index(
                fields=["region", "started_on"],
                condition=Q(ended_on__isnull=True),
                name="trainees_pl_never_ended_idx",
            ),
            # The staff home's placement figures (trainees.nav) and the follow-up list's count
            # (outreach.followup.due_count) of a region, from the index alone.
            models.Index(
                fields=["region", "status"],
                include=["filing_status", "planned_end", "started_on", "end", "outcome"],
                name="trainees_pl_region_status_idx",
            ),
            # The slot check counts a post's active placements under the post's row lock.
            models.Index(fields=["post", "status"], name="trainees_pl_post_status_idx"),
        ]

    def __str__(self):
        return f"{self.trainee.name} @ {self.post.title}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    # Placement takes part in the review workflow for its filing (see jianxi_portal.core.review).
    @property
    def review_status(self):
        return self.filing_status

    def review_region_id(self):
        return self.region_id

    def review_unit_id(self):
        return self.unit_id

    @property
    def is_retained(self) -> bool:
        return self.end == self.End.EARLY_RETAINED or self.outcome == self.Outcome.RETAINED

    @property
    def has_insurance_record(self) -> bool:
        return bool(self.insurer and self.insurance_policy_no and self.insurance_from and self.insurance_to)

    def insured_on(self, day: date) -> bool:
        return self.has_insurance_record and self.insurance_from <= day <= self.insurance_to

    def insurance_gaps(self, today: date) -> list[tuple[date, date]]:
        """The days on duty so far — from the start to the end, the agreed end or today, whichever
        comes first — that the accident-insurance policy does not cover (the notice pays the
        subsidy partly for 人身意外伤害保险). Empty before the start and once covered."""
        if self.started_on is None or self.status == self.Status.CANCELLED:
            return []
        last = min(day for day in (self.ended_on, self.planned_end, today) if day is not None)
        if last < self.started_on:
            return []
        if not self.has_insurance_record:
            return [(self.started_on, last)]
        gaps = []
        if self.insurance_from > self.started_on:
            gaps.append((self.started_on, min(last, self.insurance_from - timedelta(days=1))))
        if self.insurance_to < last:
            gaps.append((max(self.started_on, self.insurance_to + timedelta(days=1)), last))
        return gaps

    def linked(self) -> list["Placement"]:
        """This agreement with the ones it continues and those continuing it, oldest first: one
        person's one internship across units (DESIGN.md, continuation after a unit's change)."""
        chain, cursor = [self], self
        while cursor.continues_id is not None:
            cursor = cursor.continues
            chain.insert(0, cursor)
        cursor = self
        while (cursor := Placement.objects.filter(continues_id=cursor.pk).first()) is not None:
            chain.append(cursor)
        return chain

    @property
    def may_be_continued(self) -> bool:
        """Ended abnormally for the unit's reasons and not continued yet."""
        return (
            self.end == self.End.ABNORMAL
            and self.end_reason == self.EndReason.UNIT_CHANGE
            and not Placement.objects.filter(continues_id=self.pk).exists()
        )

    @property
    def remaining_days(self) -> int:
        """Days of the agreed period not served: the agreed days minus the days from the start to
        the end. A continuation may run at most this long, so the subsidy days of the agreements
        together never exceed the agreed period (each continuation's own period is the remainder)."""
        agreed = (self.planned_end - self.planned_start).days + 1
        if self.started_on is None:
            return agreed
        served = ((self.ended_on or self.planned_end) - self.started_on).days + 1
        return max(agreed - served, 0)

    def insurance_gap_text(self, today: date) -> str:
        """The gaps of `insurance_gaps` in one sentence ("" when there is none)."""
        gaps = self.insurance_gaps(today)
        if not gaps:
            return ""
        spans = "、".join(f"{first:%Y-%m-%d} 至 {last:%Y-%m-%d}" for first, last in gaps)
        if not self.has_insurance_record:
            return f"未登记人身意外伤害保险：在岗期间 {spans} 没有保险。"
        policy = f"{self.insurance_from:%Y-%m-%d} 至 {self.insurance_to:%Y-%m-%d}"
        return f"人身意外伤害保险（{policy}）未覆盖在岗期间 {spans}。"


class AllowanceChange(models.Model):
    """A change of the living allowance (生活补贴) a unit pays a trainee, from `effective_from` on
    (DESIGN.md, Subsidy rules: the floor holds every month at the wage and rule in force). Append-only:
    the agreement's own `allowance` holds until the first change, each change until the next; of two
    changes from the same day the later entry holds."""

    placement = models.ForeignKey(
        Placement, on_delete=models.PROTECT, related_name="allowance_changes", verbose_name="见习协议"
    )
    effective_from = models.DateField("生效日期")
    amount = models.DecimalField("生活补贴（元/月）", max_digits=8, decimal_places=2)
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["effective_from", "pk"]
        verbose_name = verbose_name_plural = "生活补贴调整"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="trainees_allowancechange_amount_nonnegative"),
        ]

    def __str__(self):
        return f"{self.effective_from:%Y-%m-%d} 起 {self.amount} 元/月"


class MentorQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Province and admin: all. City: mentors of its region's units. Employer: its unit's."""
        return scope(self, user, region="unit__region_id", unit="unit_id")


class Mentor(models.Model):
    """带教老师 (专人带教): a member of the unit's staff who guides trainees. One mentor guides at most
    `settings.MENTOR_MAX_TRAINEES` active trainees at a time (default 3; `max_trainees` lowers or
    raises it for one person)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="mentors", verbose_name="见习单位")
    name = models.CharField("姓名", max_length=50)
    position = models.CharField("职务", max_length=50)
    phone = personal.Encrypted(personal.PHONE, "联系电话")
    max_trainees = models.PositiveSmallIntegerField(
        "最多带教人数", null=True, blank=True, help_text="留空则使用系统默认值。"
    )
    active = models.BooleanField("在岗", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = MentorQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "name", "pk"]
        verbose_name = verbose_name_plural = "带教老师"

    def __str__(self):
        return f"{self.name}（{self.position}）"

    @property
    def capacity(self) -> int:
        default = getattr(settings, "MENTOR_MAX_TRAINEES", 3)
        return self.max_trainees if self.max_trainees is not None else default


class TrainingRecord(models.Model):
    """岗前培训 before or at the start, and 技能培训 during the placement (the notice pilots skills
    training during internships): date, content, hours."""

    class Kind(models.TextChoices):
        PRE_JOB = "pre_job", "岗前培训"
        SKILLS = "skills", "技能培训"

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="trainings", verbose_name="见习协议"
    )
    kind = models.CharField("培训类型", max_length=16, choices=Kind.choices)
    on = models.DateField("培训日期")
    content = models.CharField("培训内容", max_length=200)
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = verbose_name_plural = "培训记录"
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="trainees_trainingrecord_hours_positive"),
        ]


class InternshipQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Province and admin: all. City: its region. Employer: its unit. Youth: their own."""
        return scope(self, user, region="region_id", unit="unit_id", owner="trainee__user_id")


class Internship(models.Model):
    """实习 (双贯通): a current-year student interning at a practice-base unit on a post also offered
    as an internship. When the student graduates and is not employed, one action converts it into a
    planned placement at the same unit (`placement`), and the internship stays as history.

    Status: active → ended (the internship finished) | converted (a placement continues it)."""

    class Status(models.TextChoices):
        ACTIVE = "active", "实习中"
        ENDED = "ended", "已结束"
        CONVERTED = "converted", "已转为见习"

    trainee = models.ForeignKey(Trainee, on_delete=models.PROTECT, related_name="internships", verbose_name="实习学生")
    post = models.ForeignKey(
        "positions.Post", on_delete=models.PROTECT, related_name="internships", verbose_name="实习岗位"
    )
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="internships", verbose_name="实习实训基地"
    )
    region = models.ForeignKey(
        "jianxi_portal.Region", on_delete=models.PROTECT, related_name="internships", verbose_name="市（州）"
    )
    started_on = models.DateField("实习开始日期")
    planned_end = models.DateField("实习计划结束日期")
    ended_on = models.DateField("实习结束日期", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = InternshipQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = verbose_name_plural = "实习记录"
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gt=F("started_on")), name="trainees_internship_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="trainees_internship_ended_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.trainee.name} 实习 @ {self.unit.name}"
