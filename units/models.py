"""见习单位: the employers that offer internship posts, and the documents they upload."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from jianxi_portal.core import personal
from jianxi_portal.core.review import Reviewable, ReviewStatus
from jianxi_portal.core.scoping import scope


class UnitType(models.TextChoices):
    STATE_OWNED = "state_owned", "国有企业"
    COLLECTIVE = "collective", "集体企业"
    PRIVATE = "private", "民营企业"
    FOREIGN = "foreign", "外资企业"
    HMT = "hmt", "港澳台资企业"
    OTHER_ENTERPRISE = "other_enterprise", "其他企业"
    INSTITUTION = "institution", "事业单位"
    SOCIAL_ORG = "social_org", "社会组织"
    GOVERNMENT = "government", "机关"
    COMMUNITY = "community", "街道社区"
    GOV_PROJECT = "gov_project", "政府投资项目"
    RESEARCH_PROJECT = "research_project", "科研项目"


class Industry(models.TextChoices):
    """GB/T 4754-2017 sections (门类)."""

    A = "A", "A 农、林、牧、渔业"
    B = "B", "B 采矿业"
    C = "C", "C 制造业"
    D = "D", "D 电力、热力、燃气及水生产和供应业"
    E = "E", "E 建筑业"
    F = "F", "F 批发和零售业"
    G = "G", "G 交通运输、仓储和邮政业"
    H = "H", "H 住宿和餐饮业"
    I = "I", "I 信息传输、软件和信息技术服务业"  # noqa: E741
    J = "J", "J 金融业"
    K = "K", "K 房地产业"
    L = "L", "L 租赁和商务服务业"
    M = "M", "M 科学研究和技术服务业"
    N = "N", "N 水利、环境和公共设施管理业"
    O = "O", "O 居民服务、修理和其他服务业"  # noqa: E741
    P = "P", "P 教育"
    Q = "Q", "Q 卫生和社会工作"
    R = "R", "R 文化、体育和娱乐业"
    S = "S", "S 公共管理、社会保障和社会组织"
    T = "T", "T 国际组织"


class UnitQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Province and admin: all. City: its region only. Employer: its own unit only. Everyone
        else (anonymous, young people): the public directory. City staff and employers read other
        regions' and units' public records through the public pages, never through this scope, so a
        management page or API object of another region or unit is a 404."""
        works_here = user is not None and user.is_authenticated and (user.is_city or user.is_employer)
        return scope(self, user, region="region_id", unit="pk", public=None if works_here else Unit.PUBLIC_Q)

    def listed(self):
        """The public unit directory (见习单位目录): approved units (suspended and revoked ones leave it)."""
        return self.filter(Unit.PUBLIC_Q)


class Unit(Reviewable):
    """A 见习单位.

    Status: draft → submitted → approved | rejected | returned (→ submitted), the shared review
    workflow (`jianxi_portal.core.review`); then 清单管理 by the city (`units.services`): approved →
    suspended (off the public lists, posts kept) → approved (resumed); approved | suspended →
    revoked (final; `revoked_on` is set and the unit's open posts close the same day).
    The employer edits the unit only while it is a draft or returned."""

    class Status(models.TextChoices):
        DRAFT = ReviewStatus.DRAFT.value, ReviewStatus.DRAFT.label
        SUBMITTED = ReviewStatus.SUBMITTED.value, ReviewStatus.SUBMITTED.label
        APPROVED = ReviewStatus.APPROVED.value, ReviewStatus.APPROVED.label
        REJECTED = ReviewStatus.REJECTED.value, ReviewStatus.REJECTED.label
        RETURNED = ReviewStatus.RETURNED.value, ReviewStatus.RETURNED.label
        SUSPENDED = "suspended", "已暂停"
        REVOKED = "revoked", "已撤销"

    # A suspended unit is off the public lists (and its posts with it) until the city resumes it.
    LISTED = (Status.APPROVED,)
    PUBLIC_Q = Q(status=Status.APPROVED)
    EDITABLE = (Status.DRAFT, Status.RETURNED)

    name = models.CharField("单位名称", max_length=100)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    unit_type = models.CharField("单位性质", max_length=20, choices=UnitType.choices)
    industry = models.CharField("所属行业", max_length=1, choices=Industry.choices)
    region = models.ForeignKey(
        "jianxi_portal.Region", on_delete=models.PROTECT, related_name="units", verbose_name="市（州）"
    )
    district = models.ForeignKey(
        "jianxi_portal.District", on_delete=models.PROTECT, related_name="units", verbose_name="区县"
    )
    address = models.CharField("地址", max_length=200)
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = personal.Encrypted(personal.PHONE, "联系人手机号码")
    employee_count = models.PositiveIntegerField("职工人数", default=0, validators=[MinValueValidator(0)])
    is_state_owned = models.BooleanField("国有企业专栏", default=False)
    is_famous_manufacturer = models.BooleanField("制造业名企专栏", default=False)
    is_internet_major = models.BooleanField("互联网大厂专栏", default=False)
    is_practice_base = models.BooleanField("实习实训基地", default=False)
    description = models.TextField("单位简介", blank=True)
    # The payee account of its subsidies (补贴收款账户): optional on a draft, required before a claim
    # is submitted (`subsidies.services.claim_submit`).
    bank_name = models.CharField("开户银行", max_length=100, blank=True)
    bank_account = personal.Encrypted(personal.BANK_ACCOUNT, "银行账号", blank=True, max_length=40)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    revoked_on = models.DateField("撤销日期", null=True, blank=True)
    status_reason = models.CharField("暂停/撤销原因", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "见习单位"
        indexes = [
            # Annex 2 indicators 1–2 count units by region and first approval date; the revocation
            # date is included so the count reads the index alone (reports.indicators.UNIT_SCAN).
            # Region first: the units of each region come in order, grouped without hashing.
            models.Index(
                fields=["region", "first_approved_on"], include=["revoked_on"], name="units_unit_approved_idx"
            ),
            # Annex 2 indicators 3–4: posts open at the month's end exclude the units revoked by then
            # (their ids read from this index alone).
            models.Index(
                fields=["revoked_on", "id"], condition=Q(revoked_on__isnull=False), name="units_unit_revoked_idx"
            ),
            # The review queue: a region's submitted units by deadline.
            models.Index(fields=["region", "status", "review_deadline"], name="units_unit_queue_idx"),
        ]
        # `credit_code` is unique (DESIGN.md: one 统一社会信用代码 registers one unit); the service
        # refuses a duplicate with a message first, the unique index stops a concurrent second one.

    def __str__(self):
        return self.name

    def review_region_id(self):
        return self.region_id

    def review_unit_id(self):
        return self.pk

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


def attachment_path(instance, filename: str) -> str:
    # A random name: the original (often the unit's name) stays in the row, not in the file system.
    return f"unit_attachments/{instance.unit_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class UnitAttachment(models.Model):
    """A document of a unit (营业执照 or another certificate): PDF, JPG or PNG of at most 5 MB,
    checked by `units.services.unit_attachment_add`. Seen only by the unit, its city and the province."""

    class Kind(models.TextChoices):
        BUSINESS_LICENCE = "business_licence", "营业执照"
        CERTIFICATE = "certificate", "资质证明"
        OTHER = "other", "其他材料"

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="attachments", verbose_name="见习单位")
    kind = models.CharField("材料类型", max_length=20, choices=Kind.choices, default=Kind.BUSINESS_LICENCE)
    file = models.FileField("文件", upload_to=attachment_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件格式", max_length=50)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = verbose_name_plural = "单位材料"

    def __str__(self):
        return f"{self.get_kind_display()}：{self.original_name}"
