"""The shared core: regions and districts, the minimum wage, annual quotas (Annex 1), users and
roles, the working-day calendar overrides, the review log, the audit log and notifications."""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from jianxi_portal.core import personal
from jianxi_portal.core.scoping import scope
from jianxi_portal.core.signals import user_saved


class RegionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Regions whose figures `user` may see: all for province and admin, its own for a city."""
        if user.sees_all_regions:
            return self.all()
        if user.is_city:
            return self.filter(pk=user.region_id)
        return self.none()


class Region(models.Model):
    """One of the 11 reporting regions of Annex 1 (9 cities/prefectures, 长白山管委会, 梅河口市)."""

    code = models.SlugField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=32, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        verbose_name = verbose_name_plural = "市（州）"

    def __str__(self):
        return self.name


class District(models.Model):
    """A county-level district (区/县/县级市, or the 长白山保护开发区): it carries the minimum-wage class."""

    class Kind(models.TextChoices):
        DISTRICT = "district", "市辖区"
        COUNTY = "county", "县"
        COUNTY_CITY = "county_city", "县级市"
        ZONE = "zone", "管理区"

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="districts", verbose_name="市（州）")
    name = models.CharField("名称", max_length=32)
    adcode = models.CharField("行政区划代码", max_length=6, blank=True)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)

    class Meta:
        ordering = ["region__order", "adcode", "name"]
        verbose_name = verbose_name_plural = "区县"
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="core_district_unique_name_per_region"),
            models.UniqueConstraint(fields=["adcode"], condition=~Q(adcode=""), name="core_district_unique_adcode"),
        ]

    def __str__(self):
        return f"{self.region.name}{self.name}"


class TraineeCategory(models.TextChoices):
    """DESIGN.md, Trainee categories: who may take part and at which subsidy rate (and, per
    category, which living-allowance floor a city may set: `AllowanceFloorRule`)."""

    COLLEGE_GRADUATE = "college_graduate", "离校2年内未就业高校毕业生"
    VOCATIONAL_GRADUATE = "vocational_graduate", "离校2年内未就业中职（技工院校）毕业生"
    UNEMPLOYED_YOUTH = "unemployed_youth", "16—24岁失业青年"


class MinimumWageVersion(models.Model):
    """A dated version of the provincial minimum wage (月最低工资标准), in force from `effective_from`
    until the next version; each version has its own classes and its own district mapping."""

    effective_from = models.DateField("执行日期", unique=True)
    document = models.CharField("文件", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = verbose_name_plural = "最低工资标准版本"

    def __str__(self):
        return f"{self.effective_from:%Y-%m-%d} 起执行"


class MinimumWageClass(models.Model):
    version = models.ForeignKey(MinimumWageVersion, on_delete=models.CASCADE, related_name="classes")
    number = models.PositiveSmallIntegerField("档次")
    monthly = models.DecimalField(
        "月最低工资（元）", max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    hourly = models.DecimalField(
        "小时最低工资（元）", max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    areas = models.CharField("适用地区", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "number"]
        verbose_name = verbose_name_plural = "最低工资档次"
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="core_wageclass_unique_number"),
        ]

    def __str__(self):
        return f"第{self.number}档 {self.monthly}元"


class DistrictWageClass(models.Model):
    """Which class a district belongs to in one version (the mapping changes between versions)."""

    version = models.ForeignKey(MinimumWageVersion, on_delete=models.CASCADE, related_name="district_classes")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="wage_classes")
    wage_class = models.ForeignKey(MinimumWageClass, on_delete=models.PROTECT, related_name="districts")
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "区县最低工资档次"
        constraints = [
            models.UniqueConstraint(fields=["version", "district"], name="core_districtwageclass_one_per_version"),
        ]


class EffectiveDatedRule(models.Model):
    """Fields shared by every version of an admin-kept rule (DESIGN.md, Subsidy rules: all data,
    effective-dated, history kept): the subsidy rates and bonus rules in `subsidies`, the living-allowance
    floor here. `series` names the fields that tell versions of different rules apart (the trainee
    category for rates; region and category for the floor); within a series versions never overlap
    and are only appended (`jianxi_portal.core.services.append_rule_version`)."""

    series: tuple[str, ...] = ()
    kind: str = ""

    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("失效日期", null=True, blank=True, help_text="含当日；留空表示长期有效")
    document = models.CharField("政策依据", max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入人",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["valid_from"]

    def covers(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


FLOOR_RATIO_MAX = Decimal("10")


class AllowanceFloorRuleQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Everyone signed in sees the province's rules; city staff their region's too; admin and
        province all."""
        return scope(self, user, region="region_id", public=Q(region__isnull=True))


class AllowanceFloorRule(EffectiveDatedRule):
    """The least living allowance (生活补贴) a unit pays from its own funds, as a ratio of the local
    minimum wage in force each day (DESIGN.md, Subsidy rules: at least 60% in the notice).

    A wage rule, so it lives beside the minimum wage (ARCHITECTURE.md); moved here from `subsidies`
    with its table and history kept. A row without a region is the province's rule; a city may set
    a higher one for its region; a row without a category holds for every category. Versions of one
    series (region, category) never overlap; on a day the highest ratio of the rules that apply
    holds (`jianxi_portal.core.allowance`), so a city's rule can only raise the floor."""

    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allowance_floors",
        verbose_name="市（州）",
        help_text="留空表示全省",
    )
    category = models.CharField(
        "人员类别", max_length=24, choices=TraineeCategory.choices, blank=True, help_text="留空表示所有类别"
    )
    series = ("region_id", "category")

    ratio = models.DecimalField(
        "最低比例",
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(FLOOR_RATIO_MAX)],
        help_text="当地月最低工资标准的倍数，如 0.60；不超过 10",
    )
    history = HistoricalRecords(table_name="subsidies_historicalallowancefloorrule")

    objects = AllowanceFloorRuleQuerySet.as_manager()

    class Meta:
        db_table = "subsidies_allowancefloorrule"
        ordering = ["valid_from", "pk"]
        verbose_name = verbose_name_plural = "单位生活补贴下限"
        constraints = [
            models.CheckConstraint(condition=Q(ratio__gte=0, ratio__lte=10), name="core_allowancefloor_ratio_0_10"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="subsidies_allowancefloor_valid_order",
            ),
            models.UniqueConstraint(
                fields=["category", "valid_from"],
                condition=Q(region__isnull=True),
                name="core_allowancefloor_province_one_per_day",
            ),
            models.UniqueConstraint(
                fields=["region", "category", "valid_from"],
                condition=Q(region__isnull=False),
                name="core_allowancefloor_region_one_per_day",
            ),
        ]

    def __str__(self):
        where = self.region.name if self.region_id else "全省"
        who = self.get_category_display() if self.category else "所有类别"
        return f"{where}·{who} {self.valid_from:%Y-%m-%d} 起 {self.ratio}"


class Major(models.Model):
    """A node of the national majors catalogue, reference data loaded by a data migration from
    `reference/majors-*.csv` (their headers name the editions and sources): 《普通高等学校本科专业目录
    （2026年）》 and 《职业教育专业目录（2021年）》 (中职, 高职专科, 高职本科). Three levels — 门类 (专业大类
    in the vocational catalogues), 专业类, 专业 — each with its official code (T/K suffixes kept).
    `path` is the codes from the top ("08/0809/080901"): a node covers another when the other's
    path is its own or starts with it plus "/" (计算机类 covers 计算机科学与技术); the matching lives
    in `jianxi_portal.core.majors`."""

    class Catalogue(models.TextChoices):
        UNDERGRADUATE = "undergraduate", "普通高等学校本科专业目录"
        VOCATIONAL_BACHELOR = "vocational_bachelor", "职业教育专业目录·高等职业教育本科"
        HIGHER_VOCATIONAL = "higher_vocational", "职业教育专业目录·高等职业教育专科"
        SECONDARY_VOCATIONAL = "secondary_vocational", "职业教育专业目录·中等职业教育"

    class Level(models.TextChoices):
        CATEGORY = "category", "门类（专业大类）"
        CLASS = "class", "专业类"
        MAJOR = "major", "专业"

    code = models.CharField("代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=40)
    catalogue = models.CharField("目录", max_length=24, choices=Catalogue.choices)
    level = models.CharField("层级", max_length=8, choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name="上级"
    )
    path = models.CharField("代码路径", max_length=40)

    class Meta:
        ordering = ["catalogue", "path"]
        verbose_name = verbose_name_plural = "专业目录"
        # Looking a typed name up (a post's requirement, a person's major).
        indexes = [models.Index(fields=["name"], name="core_major_name_idx")]

    def __str__(self):
        return f"{self.name}（{self.code}）"


class AnnualQuotaQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Province and admin: every region. City: its own region's rows. Others: none."""
        return scope(self, user, region="region_id")


class AnnualQuota(models.Model):
    """Annex 1: a region's post quota (岗位募集指标) and trainee quota (组织见习人员指标) for a year.
    The province total is always the sum of the regions, never stored. A programme year is open once
    its quotas exist (`services.programme_year_open`); a quota below the region's previous year
    (只增不减, DESIGN.md: Regions and quotas) is kept only with a `note`."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="quotas", verbose_name="市（州）")
    year = models.PositiveSmallIntegerField("年度")
    post_quota = models.PositiveIntegerField("岗位募集指标（个）")
    trainee_quota = models.PositiveIntegerField("组织见习人员指标（人）")
    note = models.CharField("低于上年指标的说明", max_length=200, blank=True)
    history = HistoricalRecords()

    objects = AnnualQuotaQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "region__order"]
        verbose_name = verbose_name_plural = "年度指标"
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="core_annualquota_one_per_region_year"),
        ]

    def __str__(self):
        return f"{self.year} {self.region}"


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Admin: all. Province: all, read-only. City: users of its region. Others: themselves."""
        if not user.is_authenticated:
            return self.none()
        if user.role in (User.Role.ADMIN, User.Role.PROVINCE):
            return self
        if user.role == User.Role.CITY:
            return self.filter(Q(region_id=user.region_id) | Q(unit__region_id=user.region_id))
        return self.filter(pk=user.pk)


class PortalUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person signed in to the portal. The role decides what they may see (see `scoping.py`):
    city staff belong to a region, employers to a unit, young people to their trainee record."""

    class Role(models.TextChoices):
        EMPLOYER = "employer", "单位用户"
        CITY = "city", "市州经办"
        PROVINCE = "province", "省级"
        ADMIN = "admin", "系统管理员"
        YOUTH = "youth", "青年"

    role = models.CharField("角色", max_length=16, choices=Role.choices, default=Role.YOUTH)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name="所属市（州）"
    )
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="users", verbose_name="所属单位"
    )
    phone = personal.Encrypted(personal.PHONE, "联系电话", blank=True)
    # Staff must change their password every 90 days (SECURITY.md, item 2; GB/T 22239 §8.1.4.1): set on every
    # password change by `set_password`; existing rows got the migration's time.
    password_changed_at = models.DateTimeField("密码修改时间", default=timezone.now)
    # Sessions that started before this moment are invalid: logout and password change set it, so
    # the user's other browsers are signed out (see `session_policy.SessionPolicyMiddleware`).
    sessions_valid_from = models.DateTimeField("会话起算时间", null=True, blank=True, editable=False)

    objects = PortalUserManager()

    class Meta:
        verbose_name = verbose_name_plural = "用户"
        constraints = [
            # City staff always belong to a region; nobody else is tied to one (DESIGN: roles).
            models.CheckConstraint(
                condition=Q(role="city", region__isnull=False) | ~Q(role="city"),
                name="core_user_city_has_region",
            ),
        ]

    @property
    def is_admin(self):
        return self.role == self.Role.ADMIN or self.is_superuser

    @property
    def is_province(self):
        return self.role == self.Role.PROVINCE

    @property
    def is_city(self):
        return self.role == self.Role.CITY

    @property
    def is_employer(self):
        return self.role == self.Role.EMPLOYER

    @property
    def is_youth(self):
        return self.role == self.Role.YOUTH

    @property
    def sees_all_regions(self):
        return self.role in (self.Role.ADMIN, self.Role.PROVINCE) or self.is_superuser

    @property
    def is_bureau_staff(self):
        """Admin, province and city staff: two-factor sign-in, 90-day passwords, no reuse of the last 5."""
        return self.role in (self.Role.ADMIN, self.Role.PROVINCE, self.Role.CITY) or self.is_superuser or self.is_staff

    # Fields whose change is a role or permission change, audited by `save()`.
    AUDITED_FIELDS = ("role", "region_id", "unit_id", "is_active", "is_staff", "is_superuser")

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        # Only the fields this query loaded: reading a deferred one would query again and recurse.
        user._loaded = {name: user.__dict__[name] for name in cls.AUDITED_FIELDS if name in user.__dict__}
        return user

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def save(self, *args, **kwargs):
        password_changed = self._password is not None
        adding = self._state.adding
        loaded = getattr(self, "_loaded", None)
        super().save(*args, **kwargs)
        user_saved.send(sender=type(self), user=self, adding=adding, password_changed=password_changed, loaded=loaded)
        self._loaded = {name: getattr(self, name, None) for name in self.AUDITED_FIELDS}


class CalendarOverride(models.Model):
    """An admin's correction of the State Council calendar for one date: a holiday or a working day
    (调休). Needed for years the `chinese-calendar` package does not cover (2027 on)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "节假日（休息）"
        WORKDAY = "workday", "工作日（含调休上班）"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    note = models.CharField("说明", max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = verbose_name_plural = "节假日调整"

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"


class CalendarYear(models.Model):
    """The State Council holiday arrangement of one year as an admin entered it (DESIGN.md, Review
    workflow). For a year the `chinese-calendar` package does not cover, the statutory holidays
    count provisionally until the year is marked complete; from then on the entered dates
    (`CalendarOverride`) and the weekends are the whole calendar of the year.

    States: not entered (no row) → entered (dates saved, `complete` false) → complete."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    document = models.CharField("国务院办公厅通知", max_length=100, blank=True)
    complete = models.BooleanField("已录入完整", default=False)
    completed_at = models.DateTimeField("确认完整时间", null=True, blank=True)
    completed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="确认人"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = verbose_name_plural = "年度节假日安排"

    def __str__(self):
        return f"{self.year}年节假日安排"


class ReviewLog(models.Model):
    """Append-only history of every workflow transition of units, posts, filings and claims
    (who, when, from, to, opinion). Written only by `jianxi_portal.core.review`."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    obj = GenericForeignKey("content_type", "object_id")
    action = models.CharField("操作", max_length=16)
    from_status = models.CharField("原状态", max_length=16)
    to_status = models.CharField("新状态", max_length=16)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="操作人")
    at = models.DateTimeField("时间", default=timezone.now)
    opinion = models.TextField("意见", blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = verbose_name_plural = "审核记录"
        # The object page lists its history: content type + id, in time order.
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="core_reviewlog_object_idx")]


class AuditLog(models.Model):
    """Append-only security audit trail (logins, edits of reference data, reviews, exports, views of
    full ID numbers, denied access). Holds no personal values, only ids.

    On PostgreSQL a trigger (migration 0005) refuses every UPDATE and DELETE, except the retention
    purge (`manage.py purge_audit`) of rows older than 183 days. The user link is not a database
    foreign key, so deleting an account neither rewrites nor blocks on its audit rows."""

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        User, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+"
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    role = models.CharField("角色", max_length=16, blank=True)
    region_code = models.CharField("市（州）", max_length=32, blank=True)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    request_id = models.CharField("请求号", max_length=32, blank=True)
    event = models.CharField("事件", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64, blank=True)
    object_id = models.CharField("对象", max_length=64, blank=True)
    result = models.CharField("结果", max_length=16, default="ok")
    detail = models.JSONField("详情", default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = verbose_name_plural = "审计日志"


class Notification(models.Model):
    """An in-app message to one user (review reminders, decisions, escalations)."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "站内通知"
        # The header badge counts a user's unread notifications.
        indexes = [models.Index(fields=["recipient", "read_at"], name="core_notification_unread_idx")]
