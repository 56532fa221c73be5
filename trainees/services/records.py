"""What the notice asks to accompany an agreement (协议签订、岗前培训、专人带教): the accident
insurance record, the mentor, and the pre-job and skills training records."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from jianxi_portal.core.audit import audit
from jianxi_portal.core.dates import local_today
from jianxi_portal.core.models import User
from jianxi_portal.core.permissions import ensure_perm
from jianxi_portal.core.review import ReviewStatus, log_transition
from trainees.models import Mentor, Placement, TrainingRecord
from trainees.services.common import clean_text, ensure_can_manage_placement, ensure_date, fmt

MAX_TRAINING_HOURS = Decimal("200")


def _locked_open(placement_id: int, by: User) -> Placement:
    placement = Placement.objects.select_for_update().get(pk=placement_id)
    ensure_can_manage_placement(by, placement)
    if placement.status == Placement.Status.CANCELLED:
        raise ValidationError({"__all__": "该见习协议已取消。"})
    return placement


def _ensure_not_under_review(placement: Placement) -> None:
    if placement.filing_status == ReviewStatus.SUBMITTED:
        raise ValidationError({"__all__": "备案审核期间不能修改协议内容；如需修改请联系市（州）经办人员退回。"})


@transaction.atomic
def placement_set_insurance(
    *, placement_id: int, insurer: str, policy_no: str, insured_from: date, insured_to: date, by: User
) -> Placement:
    """Record the accident insurance (意外伤害保险): insurer, policy number and period."""
    placement = _locked_open(placement_id, by)
    _ensure_not_under_review(placement)
    insurer = clean_text(insurer, field="insurer", label="承保公司", max_length=100, required=True)
    policy_no = clean_text(policy_no, field="insurance_policy_no", label="保单号", max_length=64, required=True)
    if insured_from is None or insured_to is None:
        raise ValidationError({"insurance_from": "请填写保险起止日期。"})
    if insured_to <= insured_from:
        raise ValidationError({"insurance_to": f"保险止期 {fmt(insured_to)} 应晚于起期 {fmt(insured_from)}。"})
    placement.insurer, placement.insurance_policy_no = insurer, policy_no
    placement.insurance_from, placement.insurance_to = insured_from, insured_to
    placement.save(update_fields=["insurer", "insurance_policy_no", "insurance_from", "insurance_to", "updated_at"])
    audit("placement.insurance", user=by, obj=placement, detail={"from": fmt(insured_from), "to": fmt(insured_to)})
    return placement


def _ensure_mentor_manager(by: User, perm: str, obj) -> None:
    """`trainees.add_mentor` (of the unit) or `trainees.change_mentor` (trainees.permissions)."""
    ensure_perm(by, perm, obj, message="只有本单位或所在市（州）经办人员可以管理带教老师。")


def _mentor_values(name, position, phone, max_trainees):
    values = {
        "name": clean_text(name, field="name", label="姓名", max_length=50, required=True),
        "position": clean_text(position, field="position", label="职务", max_length=50, required=True),
        "phone": clean_text(phone, field="phone", label="联系电话", max_length=20, required=True),
    }
    if max_trainees in ("", None):
        values["max_trainees"] = None
    else:
        try:
            values["max_trainees"] = int(max_trainees)
        except (TypeError, ValueError):
            raise ValidationError({"max_trainees": "最多带教人数应为整数。"}) from None
        if not 1 <= values["max_trainees"] <= 20:
            raise ValidationError({"max_trainees": "最多带教人数应在1—20人之间。"})
    return values


@transaction.atomic
def mentor_create(*, unit, name: str, position: str, phone: str, by: User, max_trainees=None) -> Mentor:
    """Add a mentor (带教老师) to a unit's staff list."""
    _ensure_mentor_manager(by, "trainees.add_mentor", unit)
    mentor = Mentor.objects.create(unit=unit, **_mentor_values(name, position, phone, max_trainees))
    audit("mentor.create", user=by, obj=mentor)
    return mentor


@transaction.atomic
def mentor_update(
    *, mentor_id: int, by: User, name: str, position: str, phone: str = "", active: bool = True, max_trainees=None
) -> Mentor:
    """Change a mentor's details; a blank phone keeps the stored one (edit pages never show it
    back); a lower limit never drops trainees already assigned."""
    mentor = Mentor.objects.select_for_update().get(pk=mentor_id)
    _ensure_mentor_manager(by, "trainees.change_mentor", mentor)
    phone = phone if (phone or "").strip() else mentor.phone
    for field, value in _mentor_values(name, position, phone, max_trainees).items():
        setattr(mentor, field, value)
    mentor.active = bool(active)
    mentor.save()
    audit("mentor.update", user=by, obj=mentor)
    return mentor


def mentor_load(mentor: Mentor, *, exclude_placement_id: int | None = None) -> int:
    """Active (planned or on-duty) trainees the mentor guides."""
    qs = Placement.objects.filter(mentor=mentor, status__in=Placement.ACTIVE)
    if exclude_placement_id is not None:
        qs = qs.exclude(pk=exclude_placement_id)
    return qs.count()


@transaction.atomic
def placement_assign_mentor(*, placement_id: int, mentor_id: int, by: User) -> Placement:
    """专人带教: a mentor of the placement's unit, who guides at most `Mentor.capacity` active
    trainees (the mentor's row is locked while counting, so two assignments cannot both take the
    last place)."""
    placement = _locked_open(placement_id, by)
    _ensure_not_under_review(placement)
    if placement.status == Placement.Status.ENDED:
        raise ValidationError({"mentor": "见习已结束，不能更换带教老师。"})
    mentor = Mentor.objects.select_for_update().filter(pk=mentor_id, unit_id=placement.unit_id).first()
    if mentor is None:
        raise ValidationError({"mentor": "请选择本单位的带教老师。"})
    if not mentor.active:
        raise ValidationError({"mentor": f"带教老师{mentor.name}已不在岗。"})
    load = mentor_load(mentor, exclude_placement_id=placement.pk)
    if load >= mentor.capacity:
        raise ValidationError(
            {"mentor": f"带教老师{mentor.name}已带教 {load} 名见习人员，每名带教老师最多带教 {mentor.capacity} 名。"}
        )
    previous = placement.mentor
    placement.mentor = mentor
    placement.save(update_fields=["mentor", "updated_at"])
    log_transition(
        placement,
        action="mentor",
        from_status=placement.status,
        to_status=placement.status,
        by=by,
        opinion=f"带教老师：{mentor.name}（{mentor.position}）" + (f"，原为{previous.name}" if previous else ""),
    )
    return placement


def _clean_hours(hours) -> Decimal:
    try:
        value = Decimal(str(hours))
    except (InvalidOperation, ValueError):
        raise ValidationError({"hours": "学时应为数字，例如 8 或 2.5。"}) from None
    if value <= 0 or value > MAX_TRAINING_HOURS:
        raise ValidationError({"hours": f"学时应大于0且不超过{MAX_TRAINING_HOURS}。"})
    if value != value.quantize(Decimal("0.1")):
        raise ValidationError({"hours": "学时最多保留一位小数。"})
    return value


def _training_window(placement: Placement, kind: str, on: date, today: date) -> None:
    """Pre-job training between the signing and the start; skills training during the placement."""
    if kind == TrainingRecord.Kind.PRE_JOB:
        ensure_date(on, field="on", label="培训日期", today=today, not_before=(placement.signed_on, "协议签订日期"))
        if placement.started_on and on > placement.started_on:
            raise ValidationError({"on": f"岗前培训应在到岗之前或当日（到岗日期 {fmt(placement.started_on)}）。"})
        return
    if placement.started_on is None:
        raise ValidationError({"on": "技能培训在见习期间进行，请先登记到岗。"})
    ensure_date(on, field="on", label="培训日期", today=today, not_before=(placement.started_on, "到岗日期"))
    if placement.ended_on and on > placement.ended_on:
        raise ValidationError({"on": f"培训日期 {fmt(on)} 晚于见习结束日期 {fmt(placement.ended_on)}。"})


@transaction.atomic
def training_add(
    *, placement_id: int, kind: str, on: date, content: str, hours, by: User, today: date | None = None
) -> TrainingRecord:
    """Record a pre-job (岗前培训) or skills (技能培训) training session."""
    today = today or local_today()
    placement = _locked_open(placement_id, by)
    if kind not in TrainingRecord.Kind.values:
        raise ValidationError({"kind": "请选择培训类型。"})
    _training_window(placement, kind, on, today)
    record = TrainingRecord.objects.create(
        placement=placement,
        kind=kind,
        on=on,
        hours=_clean_hours(hours),
        created_by=by,
        content=clean_text(content, field="content", label="培训内容", max_length=200, required=True),
    )
    audit("placement.training", user=by, obj=placement, detail={"kind": kind, "on": fmt(on)})
    return record
