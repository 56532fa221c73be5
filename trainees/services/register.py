"""The trainee register (见习人员): one ID number is one person across the province.

ID numbers and phones are stored encrypted with a keyed digest for lookup and uniqueness (see
`Trainee.id_number`); the birth date and sex come from the ID number, never typed twice. City
staff register and edit trainees of their region; a young person registers and edits themselves."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from jianxi_portal.core import crypto
from jianxi_portal.core.audit import audit, audit_kept
from jianxi_portal.core.models import Region, User
from jianxi_portal.core.permissions import ensure_perm
from jianxi_portal.core.validators import (
    id_birth_date,
    id_sex,
    validate_id_number,
    validate_mobile,
    validate_username_not_personal,
)
from trainees.models import EDUCATION_CHOICES, ConsentChange, Placement, Trainee, TraineeCategory
from trainees.permissions import region_staff
from trainees.services import consent
from trainees.services.common import clean_text

PROFILE_FIELDS = (
    "name",
    "category",
    "school",
    "major",
    "education",
    "left_school_on",
    "unemployment_registered",
    "employed",
)


def clean_id_number(value) -> str:
    try:
        return validate_id_number(value)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None


def clean_phone(value) -> str:
    try:
        return validate_mobile(value)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None


# What a registered ID number tells whom (SECURITY.md, "ID numbers"): its own region's staff are
# pointed to the record; staff of another region (and units registering interns) learn only that
# the person is registered elsewhere — they need that to avoid a double registration and placement —
# and each such lookup is audited (`audit_kept`: the row outlives the refusal's rollback); a young
# person is told how to claim the record through a city office, in words that say nothing of
# whether or where it exists.
ELSEWHERE = "该身份证号已在其他市（州）登记为见习人员，不能重复登记；如该人员需在本市（州）见习，请与省级经办机构联系。"
CLAIM = (
    "该身份证号需由经办机构核实本人后才能关联到您的账户：请携带居民身份证到就业见习经办机构，"
    "并告知您的用户名“{username}”。"
)


def is_elsewhere(existing: Trainee, by: User) -> bool:
    """Whether telling `by` about `existing` tells them of a record outside their own region."""
    return not by.is_youth and not region_staff(by, existing)


def duplicate_message(existing: Trainee, *, by: User, via: str) -> str:
    """The answer to `by` about `existing`, the record holding the ID number `by` typed; a lookup
    elsewhere is audited (`via`: which service or import asked)."""
    if by.is_youth:
        return CLAIM.format(username=by.username)
    if is_elsewhere(existing, by):
        audit_kept("trainee.lookup_elsewhere", user=by, obj=existing, detail={"via": via})
        return ELSEWHERE
    return f"该身份证号已在本市（州）登记（{existing.name}），请在见习人员清单中查找。"


def ensure_id_number_free(number: str, *, by: User, via: str, exclude_pk: int | None = None) -> None:
    existing = Trainee.objects.filter(id_number_digest__in=crypto.digests(number))
    if exclude_pk is not None:
        existing = existing.exclude(pk=exclude_pk)
    found = existing.first()
    if found is not None:
        raise ValidationError({"id_number": duplicate_message(found, by=by, via=via)})


def id_number_registered(number: str) -> bool:
    return Trainee.objects.filter(id_number_digest__in=crypto.digests(number)).exists()


def find_by_id_number(number: str) -> Trainee | None:
    """Exact lookup through the keyed digest (the plaintext is never queried)."""
    return Trainee.objects.filter(id_number_digest__in=crypto.digests((number or "").strip().upper())).first()


def clean_profile(values: dict) -> dict:
    """Validate the profile fields of a create or an update (only those given); every field's error
    at once (one ValidationError naming each field)."""
    cleaned, errors = {}, {}

    def check(field, clean):
        try:
            cleaned[field] = clean()
        except ValidationError as exc:
            errors.update(exc.message_dict if hasattr(exc, "error_dict") else {field: exc.messages})

    if "name" in values:
        check("name", lambda: clean_text(values["name"], field="name", label="姓名", max_length=50, required=True))
    if "category" in values:
        check(
            "category",
            lambda: _choice(
                values["category"],
                TraineeCategory.values,
                "请选择人员类别：高校毕业生、中职（技工院校）毕业生或失业青年。",
            ),
        )
    for field, label, length in (("school", "毕业院校", 100), ("major", "专业", 100)):
        if field in values:
            check(field, lambda f=field, lb=label, n=length: clean_text(values[f], field=f, label=lb, max_length=n))
    if "education" in values:
        check(
            "education",
            lambda: _choice(values["education"] or "", [""] + list(dict(EDUCATION_CHOICES)), "请选择学历。"),
        )
    for field in ("left_school_on", "unemployment_registered", "employed"):
        if field in values:
            cleaned[field] = values[field]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _choice(value, allowed, message: str):
    if value not in allowed:
        raise ValidationError(message)
    return value


def ensure_category_details(trainee: Trainee) -> None:
    """Graduates need their school and the date they left it: eligibility runs from that date."""
    if trainee.category in (TraineeCategory.COLLEGE_GRADUATE, TraineeCategory.VOCATIONAL_GRADUATE):
        errors = {}
        if not trainee.school:
            errors["school"] = "毕业生须填写毕业院校。"
        if trainee.left_school_on is None:
            errors["left_school_on"] = "毕业生须填写毕业（离校）日期（以毕业证书日期为准）。"
        if errors:
            raise ValidationError(errors)


def _region_for(by: User, region) -> Region:
    if by.is_city:
        if region is not None and not region_staff(by, {"region_id": getattr(region, "pk", region)}):
            raise PermissionDenied("市（州）经办人员只能登记本市（州）的见习人员。")
        return by.region
    if by.is_youth:
        if region is None:
            raise ValidationError({"region": "请选择联系市（州）。"})
        return region if isinstance(region, Region) else Region.objects.get(pk=region)
    raise PermissionDenied("只有市（州）经办人员或本人可以登记见习人员。")


def _save_new(trainee: Trainee, number: str, by: User) -> Trainee:
    try:
        with transaction.atomic():
            trainee.save()
    except IntegrityError:
        # Two registrations of the same ID number at once: the unique digest lets one through.
        ensure_id_number_free(number, by=by, via="register")
        raise
    return trainee


def _registration(by: User, id_number: str, phone: str, region, profile: dict) -> tuple[Region, str, str, dict]:
    """Every check of a new registration but the ID number's being free: (region, number, mobile,
    profile values)."""
    if by.is_youth and Trainee.objects.filter(user=by).exists():
        raise ValidationError({"__all__": "您已登记过个人信息，请在“我的见习”中修改。"})
    target_region = _region_for(by, region)
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError({name: "该字段不可填写。" for name in unknown})
    number, mobile = clean_id_number(id_number), clean_phone(phone)
    values = clean_profile({"school": "", "major": "", "education": "", **profile})
    if "name" not in values or "category" not in values:
        raise ValidationError({f: "此项为必填项。" for f in ("name", "category") if f not in values})
    ensure_category_details(Trainee(region=target_region, **values))
    return target_region, number, mobile, values


@transaction.atomic
def trainee_create(*, by: User, id_number: str, phone: str, region: Region | int | None = None, **profile) -> Trainee:
    """Register a trainee. City staff register people of their own region; a young person registers
    themselves (the record is linked to their account). A known ID number is refused with the answer
    `duplicate_message` gives `by`."""
    target_region, number, mobile, values = _registration(by, id_number, phone, region, profile)
    trainee = register_new(
        by=by, region=target_region, number=number, mobile=mobile, values=values, user=by if by.is_youth else None
    )
    audit("trainee.create", user=by, obj=trainee, detail={"region": target_region.code})
    return trainee


def register_new(
    *, by: User, region: Region, number: str, mobile: str, values: dict, user: User | None = None
) -> Trainee:
    """Save a new record from validated values: encrypted ID number and phone, birth date and sex
    from the ID number. A known ID number is refused (`duplicate_message`)."""
    ensure_id_number_free(number, by=by, via="register")
    trainee = Trainee(region=region, created_by=by, user=user, **values)
    trainee.id_number = number
    trainee.phone = mobile
    trainee.birth_date, trainee.sex = id_birth_date(number), id_sex(number)
    ensure_category_details(trainee)
    return _save_new(trainee, number, by)


def _ensure_can_edit(by: User, trainee: Trainee) -> None:
    if not Trainee.objects.editable_by(by).filter(pk=trainee.pk).exists():
        raise PermissionDenied("只有该人员所在市（州）经办人员或本人可以修改见习人员信息。")


def _took_part(trainee: Trainee) -> bool:
    return (
        Placement.objects.filter(trainee=trainee).exclude(status=Placement.Status.CANCELLED).exists()
        or trainee.internships.exists()
    )


@transaction.atomic
def trainee_update(*, trainee_id: int, by: User, **values) -> Trainee:
    """Change a trainee's record. The ID number can be corrected only before any placement or
    internship is recorded (those were checked against it); the region only by the person."""
    trainee = Trainee.objects.select_for_update().get(pk=trainee_id)
    _ensure_can_edit(by, trainee)
    allowed = set(PROFILE_FIELDS) | {"id_number", "phone"} | ({"region"} if by.is_youth else set())
    unknown = set(values) - allowed
    if unknown:
        raise ValidationError({name: "该字段不可修改。" for name in unknown})
    changed = []
    if "id_number" in values:
        number = clean_id_number(values.pop("id_number"))
        if trainee.id_number_digest not in crypto.digests(number):
            if _took_part(trainee):
                raise ValidationError(
                    {"id_number": "该人员已有见习协议或实习记录，身份证号不能修改；如确有错误请联系市（州）经办机构。"}
                )
            ensure_id_number_free(number, by=by, via="trainee_update", exclude_pk=trainee.pk)
            trainee.id_number = number
            trainee.birth_date, trainee.sex = id_birth_date(number), id_sex(number)
            changed.append("id_number")
    if "phone" in values:
        mobile = clean_phone(values.pop("phone"))
        if trainee.phone_digest not in crypto.digests(mobile):
            trainee.phone = mobile
            changed.append("phone")
    if "region" in values:
        region = values.pop("region")
        trainee.region = region if isinstance(region, Region) else Region.objects.get(pk=region)
        changed.append("region")
    for field, value in clean_profile(values).items():
        if getattr(trainee, field) != value:
            setattr(trainee, field, value)
            changed.append(field)
    ensure_category_details(trainee)
    trainee.save()
    audit("trainee.update", user=by, obj=trainee, detail={"fields": changed})
    return trainee


@transaction.atomic
def youth_register(
    *,
    username: str,
    password: str,
    email: str = "",
    id_number: str,
    phone: str,
    region: Region | int,
    consents: dict | None = None,
    **profile,
) -> User:
    """Self-registration on the public site: an account (role youth), its trainee record and the
    person's answers to the three consent questions (each off unless ticked: `consents`, e.g.
    {"push": True}; SECURITY.md "Consent") in one step; nothing is saved when any is refused. An
    ID number that is already registered gets the account alone, answered exactly as a new one
    (SECURITY.md, "ID numbers": the sign-up says nothing of whether or where a person is
    registered); the person's own page then shows the path to claim the record through a city
    office (`trainee_link_account`). The answers are then not kept (they belong on a record the
    account does not hold yet): the record's own consents stand, and its page asks again."""
    username = clean_text(username, field="username", label="用户名", max_length=150, required=True)
    try:
        validate_username_not_personal(username)
    except ValidationError as exc:
        raise ValidationError({"username": exc.messages}) from None
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "该用户名已被使用，请换一个。"})
    user = User(
        username=username,
        email=(email or "").strip(),
        role=User.Role.YOUTH,
        first_name=(profile.get("name") or "").strip()[:150],
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.save()
    # The same checks either way, so that no answer differs with the ID number's being registered.
    _, number, _, _ = _registration(user, id_number, phone, region, profile)
    if id_number_registered(number):
        audit("youth.register", user=user, obj=user, detail={"record": "registered_before"})
        return user
    trainee = trainee_create(by=user, id_number=id_number, phone=phone, region=region, **profile)
    answers = {purpose: bool((consents or {}).get(purpose)) for purpose in consent.FIELDS}
    trainee = consent.consent_set(trainee_id=trainee.pk, by=user, source=ConsentChange.Source.SIGNUP, **answers)
    audit("youth.register", user=user, obj=trainee)
    return user


@transaction.atomic
def trainee_link_account(*, trainee_id: int, username: str, by: User) -> Trainee:
    """A city office links a young person's account to the record of its region after checking the
    person's identity card in person (the claim path of a record registered before the account).
    The account must be a young person's without a record of its own; an account linked before is
    replaced (the audit row names both)."""
    trainee = Trainee.objects.select_for_update().get(pk=trainee_id)
    ensure_perm(by, "trainees.link_trainee", trainee, message="只有该人员所在市（州）经办人员可以关联账户。")
    account = User.objects.filter(username__iexact=(username or "").strip(), role=User.Role.YOUTH).first()
    if account is None:
        raise ValidationError({"username": "未找到该用户名的青年账户，请核对。"})
    if Trainee.objects.filter(user=account).exclude(pk=trainee.pk).exists():
        raise ValidationError({"username": "该账户已关联其他见习人员信息。"})
    before = trainee.user_id
    trainee.user = account
    trainee.save(update_fields=["user"])
    audit("trainee.link_account", user=by, obj=trainee, detail={"account": account.pk, "replaced": before})
    return trainee
