"""Writes with rules for units (见习单位): employer accounts, registration and edits, documents,
the review decisions (through `jianxi_portal.core.review`) and 清单管理 (suspend, resume, revoke).

Every rule lives here once; the pages, the API, the admin and the demo loader call these."""

import re
from pathlib import Path

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from jianxi_portal.core import personal
from jianxi_portal.core.audit import audit
from jianxi_portal.core.models import District, Region, User
from jianxi_portal.core.notifications import notify
from jianxi_portal.core.permissions import may
from jianxi_portal.core.review import DECISIONS, InvalidTransition, log_transition, review_transition
from jianxi_portal.core.validators import validate_credit_code, validate_mobile, validate_username_not_personal
from units.models import Industry, Unit, UnitAttachment, UnitType
from units.permissions import region_staff
from units.signals import unit_revoked
from units.workflows import LISTING

# Field → the label every message names: the model's own (`verbose_name`), as the form shows it.
UNIT_LABELS = {
    name: personal.field_label(Unit, name)
    for name in (
        "name",
        "credit_code",
        "unit_type",
        "industry",
        "region",
        "district",
        "address",
        "contact_name",
        "contact_phone",
        "employee_count",
        "description",
        "bank_name",
        "bank_account",
    )
}
UNIT_TEXT_REQUIRED = ("name", "address", "contact_name")
UNIT_FLAGS = ("is_state_owned", "is_famous_manufacturer", "is_internet_major", "is_practice_base")
UNIT_FIELDS = (*UNIT_LABELS, *UNIT_FLAGS)

DUPLICATE_CREDIT_CODE = (
    "统一社会信用代码{code}已登记见习单位：一个统一社会信用代码只能登记一个单位。"
    "如需使用该单位账号，请联系本单位已注册的经办人或所在市（州）人社部门。"
)

# Documents (营业执照 etc.): type by extension and by the file's first bytes, and a size limit.
ATTACHMENT_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}
MAX_ATTACHMENT_MB = 5
MAX_ATTACHMENT_BYTES = MAX_ATTACHMENT_MB * 1024 * 1024
MAX_ATTACHMENTS_PER_UNIT = 10


# ---------------------------------------------------------------------------------------------
# Employer accounts


@transaction.atomic
def employer_account_create(*, username: str, password: str, name: str, phone: str, email: str = "") -> User:
    """Register an employer's account (单位用户) in the browser; the unit is registered next with
    `unit_create`. Username unique (case-insensitive), password by the site's validators, mobile
    number checked."""
    username, name, email = (username or "").strip(), (name or "").strip(), (email or "").strip()
    errors: dict[str, list[str]] = {}
    try:
        validate_username_not_personal(username)
    except ValidationError as exc:
        errors["username"] = exc.messages
    if not username:
        errors["username"] = ["请填写用户名。"]
    elif "username" not in errors and User.objects.filter(username__iexact=username).exists():
        errors["username"] = [f"用户名“{username}”已被使用，请换一个。"]
    if not name:
        errors["name"] = ["请填写经办人姓名。"]
    try:
        phone = validate_mobile(phone)
    except ValidationError as exc:
        errors["phone"] = [f"经办人{exc.messages[0]}"]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = ["电子邮箱格式不正确。"]
    try:
        validate_password(password, User(username=username, first_name=name, email=email))
    except ValidationError as exc:
        errors["password"] = exc.messages  # each a whole sentence: nothing put in front
    if errors:
        raise ValidationError(errors)
    user = User(username=username, first_name=name, phone=phone, email=email, role=User.Role.EMPLOYER)
    user.set_password(password)
    user.save()
    audit("account.register", user=user, obj=user, detail={"role": user.role})
    return user


# ---------------------------------------------------------------------------------------------
# Registration and edits


def _clean_unit(values: dict, *, instance: Unit | None = None) -> dict:
    """Check every field at once and return the cleaned values; ValidationError names each field."""
    errors: dict[str, list[str]] = {}
    cleaned = {}
    for field in UNIT_TEXT_REQUIRED + ("description",):
        cleaned[field] = str(values.get(field) or "").strip()
        limit = Unit._meta.get_field(field).max_length
        if field in UNIT_TEXT_REQUIRED and not cleaned[field]:
            errors[field] = [f"请填写{UNIT_LABELS[field]}。"]
        elif limit and len(cleaned[field]) > limit:
            errors[field] = [f"{UNIT_LABELS[field]}不能超过{limit}个字。"]
    _clean_credit_code(values.get("credit_code"), instance, cleaned, errors)
    for field, choices in (("unit_type", UnitType), ("industry", Industry)):
        cleaned[field] = values.get(field) or ""
        if cleaned[field] not in choices.values:
            errors[field] = [f"请选择{UNIT_LABELS[field]}。"]
    try:
        cleaned["contact_phone"] = validate_mobile(values.get("contact_phone"))
    except ValidationError as exc:
        errors["contact_phone"] = [f"联系人{exc.messages[0]}"]
    _clean_employee_count(values.get("employee_count"), cleaned, errors)
    _clean_payee(values.get("bank_name"), values.get("bank_account"), cleaned, errors)
    _clean_place(values.get("region"), values.get("district"), cleaned, errors)
    for flag in UNIT_FLAGS:
        cleaned[flag] = bool(values.get(flag))
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_credit_code(raw, instance, cleaned, errors) -> None:
    try:
        code = validate_credit_code(raw or "")
    except ValidationError as exc:
        errors["credit_code"] = exc.messages
        return
    others = Unit.objects.filter(credit_code=code)
    if instance is not None:
        others = others.exclude(pk=instance.pk)
    if others.exists():
        errors["credit_code"] = [DUPLICATE_CREDIT_CODE.format(code=code)]
    cleaned["credit_code"] = code


def _clean_employee_count(raw, cleaned, errors) -> None:
    try:
        count = int(raw if raw not in (None, "") else 0)
    except (TypeError, ValueError):
        errors["employee_count"] = ["职工人数必须是整数。"]
        return
    if count < 0:
        errors["employee_count"] = ["职工人数不能为负数。"]
    cleaned["employee_count"] = count


BANK_ACCOUNT_RE = re.compile(r"^\d{8,30}$")
PAYEE_MISSING = "请填写补贴收款账户：开户银行和银行账号。"


def _clean_payee(bank_name, bank_account, cleaned, errors, *, required: bool = False) -> None:
    """The payee account (开户银行 + 银行账号): optional on a draft, but both or neither; the
    account is 8–30 digits (spaces and hyphens as typed are dropped). Required before a subsidy
    claim is submitted (`subsidies.services`)."""
    name = str(bank_name or "").strip()
    account = personal.BANK_ACCOUNT.normalise(str(bank_account or ""))
    if len(name) > 100:
        errors["bank_name"] = ["开户银行不能超过100个字。"]
    if account and not BANK_ACCOUNT_RE.match(account):
        errors["bank_account"] = ["银行账号应为8—30位数字。"]
    if (required or name or account) and not name:
        errors["bank_name"] = [PAYEE_MISSING if required and not account else "请填写开户银行（与银行账号一并填写）。"]
    if (required or name or account) and not account:
        errors["bank_account"] = [PAYEE_MISSING if required and not name else "请填写银行账号（与开户银行一并填写）。"]
    cleaned["bank_name"], cleaned["bank_account"] = name, account


def _clean_place(region, district, cleaned, errors) -> None:
    """Region and district; the district must lie in the region (the region reviews the unit)."""
    if district is not None and not isinstance(district, District):
        district = District.objects.filter(pk=district).first() if str(district).isdigit() else None
    if region is not None and not isinstance(region, Region):
        region = Region.objects.filter(code=str(region)).first()
        if region is None:
            errors["region"] = ["请选择市（州）。"]
            return
    if district is None:
        errors["district"] = ["请选择区县。"]
        return
    if region is not None and district.region_id != region.pk:
        errors["district"] = [f"所选区县“{district.name}”不属于{region.name}，请重新选择。"]
        return
    cleaned["district"] = district
    cleaned["region_id"] = district.region_id


def management_actions(unit: Unit, user: User | None = None) -> list[tuple[str, str]]:
    """(action, label) of the 清单管理 transitions open from the unit's current status; given a
    `user`, only those whose permission lets them take it (units.permissions)."""
    return [(t.action, t.label) for t in LISTING.available(unit) if user is None or may(user, t.permission, unit)]


def _ensure_can_edit(by: User, unit: Unit) -> None:
    """The unit's own employer, or city staff of its region (offline channel), while it is a draft
    or returned."""
    if not may(by, "units.change_unit", unit):
        audit("unit.edit_denied", user=by, obj=unit, result="denied")
        raise PermissionDenied("您无权修改该单位。")
    if not unit.is_editable:
        raise InvalidTransition(f"单位当前状态为“{unit.get_status_display()}”，只有草稿或已退回的单位可以修改。")


@transaction.atomic
def unit_create(*, by: User, **values) -> Unit:
    """Register a unit as a draft. An employer registers its own (once; the account is linked to
    it); city staff may register one of their region on its behalf (offline channel).
    One 统一社会信用代码 registers one unit: a second is refused and says so."""
    if by.is_employer:
        if by.unit_id:
            raise ValidationError("您的账号已登记单位，一个账号只能登记一个单位。")
    elif not by.is_city:
        raise PermissionDenied("只有单位用户或市（州）经办人员可以登记见习单位。")
    cleaned = _clean_unit(values)
    if by.is_city and not region_staff(by, cleaned):
        raise ValidationError({"region": f"只能登记{by.region.name}的单位。"})
    unit = Unit(**cleaned)
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError:
        # Two registrations of the same code at once: the unique index lets one through.
        raise ValidationError({"credit_code": [DUPLICATE_CREDIT_CODE.format(code=cleaned["credit_code"])]}) from None
    if by.is_employer:
        by.unit = unit
        by.save(update_fields=["unit"])
    audit("unit.create", user=by, obj=unit)
    return unit


@transaction.atomic
def unit_update(*, unit_id: int, by: User, **values) -> Unit:
    """Change a draft or returned unit (fields not given keep their values)."""
    unit = Unit.objects.select_for_update().get(pk=unit_id)
    _ensure_can_edit(by, unit)
    current = {f: getattr(unit, f) for f in UNIT_FIELDS if f not in ("region", "district")}
    # A new district alone moves the unit to the district's region.
    current.update(region=None if "district" in values else unit.region, district=unit.district)
    current.update(values)
    cleaned = _clean_unit(current, instance=unit)
    if by.is_city and not region_staff(by, cleaned):
        raise ValidationError({"district": f"只能选择{by.region.name}的区县。"})
    if cleaned["region_id"] != unit.region_id and unit.posts.exists():
        # Posts carry the unit's region (their reviewer); a unit with posts stays where it is.
        raise ValidationError({"district": "本单位已有岗位，不能变更所在市（州）。"})
    for field, value in cleaned.items():
        setattr(unit, field, value)
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError:
        raise ValidationError({"credit_code": [DUPLICATE_CREDIT_CODE.format(code=cleaned["credit_code"])]}) from None
    audit("unit.update", user=by, obj=unit)
    return unit


def unit_payee_update(*, unit_id: int, by: User, bank_name: str, bank_account: str) -> Unit:
    """Set the unit's payee account for its subsidies (开户银行, 银行账号), at any status but
    revoked: an approved unit may need one before its first claim. Its own employer or city staff
    of its region; audited without the account (a refusal too: it is recorded outside the
    transaction that the refusal rolls back)."""
    if not may(by, "units.change_unit", Unit.objects.get(pk=unit_id)):
        audit("unit.payee_denied", user=by, obj=Unit(pk=unit_id), result="denied")
        raise PermissionDenied("您无权修改该单位的补贴收款账户。")
    cleaned: dict = {}
    errors: dict[str, list[str]] = {}
    _clean_payee(bank_name, bank_account, cleaned, errors, required=True)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit_id)
        if unit.status == Unit.Status.REVOKED:
            raise InvalidTransition("单位已撤销，不能修改补贴收款账户。")
        unit.bank_name, unit.bank_account = cleaned["bank_name"], cleaned["bank_account"]
        unit.save(update_fields=["bank_name", *personal.field_of(unit, "bank_account").column_names, "updated_at"])
        audit("unit.payee_update", user=by, obj=unit)
    return unit


def unit_has_payee(unit: Unit) -> bool:
    return bool(unit.bank_name and unit.bank_account_masked)


# ---------------------------------------------------------------------------------------------
# Review


def _recheck(unit: Unit) -> None:
    """Submission re-checks every field (a unit may have come through the admin or an import)."""
    values = {f: getattr(unit, f) for f in UNIT_FIELDS if f not in ("region", "district")}
    _clean_unit({**values, "region": unit.region, "district": unit.district}, instance=unit)


def unit_submit(*, unit_id: int, by: User, opinion: str = "") -> Unit:
    """Submit a draft or returned unit to its city for review (deadline: 15 working days); the
    optional note (e.g. what was changed after a return) goes into the review history."""
    return review_transition(Unit, unit_id, action="submit", by=by, opinion=opinion, check=_recheck)


@transaction.atomic
def unit_decide(unit_id: int, *, action: str, by: User, opinion: str = "") -> Unit:
    """Approve, reject or return a submitted unit (city staff of its region; reject and return
    need an opinion). The unit's users are told after the commit."""
    if action not in DECISIONS:
        raise InvalidTransition(f"未知审核操作：{action}")
    unit = review_transition(Unit, unit_id, action=action, by=by, opinion=opinion)
    _tell_unit(unit, title=f"见习单位“{unit.name}”审核结果：{unit.get_status_display()}", body=opinion)
    return unit


def unit_approve(*, unit_id: int, by: User, opinion: str = "") -> Unit:
    return unit_decide(unit_id, action="approve", by=by, opinion=opinion)


def unit_reject(*, unit_id: int, by: User, opinion: str) -> Unit:
    return unit_decide(unit_id, action="reject", by=by, opinion=opinion)


def unit_return(*, unit_id: int, by: User, opinion: str) -> Unit:
    return unit_decide(unit_id, action="return", by=by, opinion=opinion)


def _tell_unit(unit: Unit, *, title: str, body: str = "") -> None:
    link = reverse("unit_detail", args=[unit.pk])
    users = User.objects.filter(unit_id=unit.pk, is_active=True)
    transaction.on_commit(lambda: notify(users, title=title, body=body, link=link))


# ---------------------------------------------------------------------------------------------
# 清单管理: suspend, resume, revoke


@transaction.atomic
def _manage(unit_id: int, action: str, *, by: User, reason: str) -> Unit:
    step = LISTING[action]
    label = step.label
    unit = Unit.objects.select_for_update().get(pk=unit_id)
    if not may(by, step.permission, unit):
        audit(f"unit.{action}_denied", user=by, obj=unit, result="denied")
        raise PermissionDenied(f"只有{unit.region}的经办人员可以{label}该单位。")
    reason = (reason or "").strip()
    if step.opinion_required and not reason:
        raise ValidationError({"reason": f"{label}单位时必须填写原因。"})
    target = LISTING.ensure(unit, action).target
    today, source = timezone.localdate(), unit.status
    unit.status, unit.status_reason = target, reason[:200]
    if action == "revoke":
        unit.revoked_on = today
    unit.save(update_fields=["status", "status_reason", "revoked_on", "updated_at"])
    log_transition(unit, action=action, from_status=source, to_status=target, by=by, opinion=reason)
    if action == "revoke":
        # The registers on the unit do their part in this transaction (units.signals).
        unit_revoked.send(sender=Unit, unit=unit, by=by, reason=reason, today=today)
    _tell_unit(unit, title=f"见习单位“{unit.name}”已被{label}", body=reason)
    return unit


def unit_suspend(*, unit_id: int, by: User, reason: str) -> Unit:
    """Take an approved unit off the public lists for now (its posts stay, hidden)."""
    return _manage(unit_id, "suspend", by=by, reason=reason)


def unit_resume(*, unit_id: int, by: User, reason: str) -> Unit:
    """Put a suspended unit (and its open posts) back on the public lists."""
    return _manage(unit_id, "resume", by=by, reason=reason)


def unit_revoke(*, unit_id: int, by: User, reason: str) -> Unit:
    """Revoke a unit for good: `revoked_on` is today and its open posts close today (Annex 2
    indicators 1 and 3 read these dates)."""
    return _manage(unit_id, "revoke", by=by, reason=reason)


UNIT_MANAGEMENT_SERVICES = {"suspend": unit_suspend, "resume": unit_resume, "revoke": unit_revoke}


# ---------------------------------------------------------------------------------------------
# Documents


def validate_attachment(upload) -> str:
    """Type (PDF, JPG, PNG — by extension and by content) and size (≤ 5 MB) of an uploaded
    document; returns its content type. Forms call this too, so nothing is saved on a bad file."""
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in ATTACHMENT_TYPES:
        raise ValidationError({"file": f"材料文件只能是 PDF、JPG 或 PNG 格式，收到“{suffix or '无扩展名'}”。"})
    if upload.size == 0:
        raise ValidationError({"file": "材料文件是空文件。"})
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            {"file": f"材料文件不能超过{MAX_ATTACHMENT_MB} MB，当前为{upload.size / 1024 / 1024:.1f} MB。"}
        )
    content_type, signatures = ATTACHMENT_TYPES[suffix]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(s) for s in signatures):
        raise ValidationError({"file": f"材料文件内容不是有效的{suffix[1:].upper()}文件。"})
    return content_type


@transaction.atomic
def unit_attachment_add(
    *, unit_id: int, by: User, upload, kind: str = UnitAttachment.Kind.BUSINESS_LICENCE
) -> UnitAttachment:
    """Attach a document to a draft or returned unit (its employer or its city)."""
    unit = Unit.objects.select_for_update().get(pk=unit_id)
    _ensure_can_edit(by, unit)
    if kind not in UnitAttachment.Kind.values:
        raise ValidationError({"kind": "请选择材料类型。"})
    content_type = validate_attachment(upload)
    if unit.attachments.count() >= MAX_ATTACHMENTS_PER_UNIT:
        raise ValidationError({"file": f"每个单位最多上传{MAX_ATTACHMENTS_PER_UNIT}份材料。"})
    attachment = UnitAttachment(
        unit=unit,
        kind=kind,
        original_name=Path(upload.name).name[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    audit("unit.attachment_add", user=by, obj=unit, detail={"attachment": attachment.pk, "kind": kind})
    return attachment


@transaction.atomic
def unit_attachment_delete(*, attachment_id: int, by: User) -> None:
    attachment = UnitAttachment.objects.select_related("unit").get(pk=attachment_id)
    unit = Unit.objects.select_for_update().get(pk=attachment.unit_id)
    _ensure_can_edit(by, unit)
    audit("unit.attachment_delete", user=by, obj=unit, detail={"attachment": attachment.pk})
    stored = attachment.file
    attachment.delete()
    transaction.on_commit(lambda: stored.delete(save=False))
