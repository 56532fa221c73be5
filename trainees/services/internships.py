"""The bridge (双贯通): a practice-base unit (实习实训基地) records current-year students as interns
(实习) on a post also offered as an internship; when an intern graduates and is not employed, one
action converts the internship into a planned traineeship placement at the same unit. The
internship stays as history, linked from the placement (`Placement.internship`)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from jianxi_portal.core.audit import audit, audit_kept
from jianxi_portal.core.dates import add_months, local_today
from jianxi_portal.core.models import User
from jianxi_portal.core.permissions import ensure_perm
from jianxi_portal.core.review import log_transition
from positions.models import Post
from trainees.models import Internship, Placement, Trainee, TraineeCategory
from trainees.services import register
from trainees.services.common import clean_text, ensure_date, fmt
from trainees.services.placements import sign_placement


def _ensure_unit_manager(by: User, perm: str, obj) -> None:
    """`trainees.add_internship` (of the post) or `trainees.change_internship` (trainees.permissions)."""
    ensure_perm(by, perm, obj, message="只有该实习实训基地或所在市（州）经办人员可以办理实习。")


def _internship_post(post_id: int) -> Post:
    post = Post.objects.select_related("unit").filter(pk=post_id).first()
    if post is None:
        raise ValidationError({"post": "请选择岗位。"})
    if not post.unit.is_practice_base:
        raise ValidationError({"post": f"“{post.unit.name}”不是实习实训基地，不能登记实习生。"})
    if not post.also_internship:
        raise ValidationError({"post": f"岗位“{post.title}”未同时作为实习岗位。"})
    if post.status != Post.Status.APPROVED:
        raise ValidationError({"post": f"岗位“{post.title}”当前状态为“{post.get_status_display()}”。"})
    return post


def _student(*, by: User, post: Post, id_number: str, phone: str, profile: dict) -> Trainee:
    """The person register holds interns too: an ID number already registered is reused when the
    name matches (the unit typed the number, so it learns nothing new); a different name is refused
    without saying where the person is registered, and a lookup that finds them in another region
    than the post's is audited (SECURITY.md, "ID numbers"). Otherwise a new record is registered in
    the unit's region."""
    number = register.clean_id_number(id_number)
    existing = register.find_by_id_number(number)
    if existing is None:
        values = register.clean_profile(profile)
        trainee = register.register_new(
            by=by, region=post.region, number=number, mobile=register.clean_phone(phone), values=values
        )
        audit("trainee.create", user=by, obj=trainee, detail={"via": "internship"})
        return trainee
    if existing.region_id != post.region_id:
        audit_kept("trainee.lookup_elsewhere", user=by, obj=existing, detail={"via": "internship"})
    if existing.name != (profile.get("name") or "").strip():
        raise ValidationError({"id_number": "该身份证号已登记，但姓名与登记信息不一致，请核对。"})
    return existing


def _ensure_current_year_student(trainee: Trainee, started_on: date) -> None:
    """应届: graduating after the internship starts and within 12 months of it."""
    graduation = trainee.left_school_on
    if graduation is None or not started_on < graduation <= add_months(started_on, 12):
        raise ValidationError(
            {
                "left_school_on": f"实习生应为应届在校学生：预计毕业日期应在实习开始日期 {fmt(started_on)} "
                f"之后的12个月内，"
                f"当前为 {fmt(graduation)}。"
            }
        )
    if Placement.objects.filter(trainee=trainee).exclude(status=Placement.Status.CANCELLED).exists():
        raise ValidationError({"id_number": "该人员已参加过就业见习。"})


@transaction.atomic
def internship_create(
    *,
    post_id: int,
    by: User,
    id_number: str,
    name: str,
    phone: str,
    school: str,
    major: str = "",
    education: str = "",
    left_school_on: date | None = None,
    started_on: date,
    planned_end: date,
    category: str = TraineeCategory.COLLEGE_GRADUATE,
    note: str = "",
    today: date | None = None,
) -> Internship:
    """Record a current-year student as an intern at a practice base."""
    today = today or local_today()
    post = _internship_post(post_id)
    _ensure_unit_manager(by, "trainees.add_internship", post)
    if category not in (TraineeCategory.COLLEGE_GRADUATE, TraineeCategory.VOCATIONAL_GRADUATE):
        raise ValidationError({"category": "实习生应为高校或中职（技工院校）在校学生。"})
    if started_on is None or planned_end is None:
        raise ValidationError({"started_on": "请填写实习起止日期。"})
    if planned_end <= started_on:
        raise ValidationError({"planned_end": f"实习计划结束日期应晚于开始日期 {fmt(started_on)}。"})
    if started_on > add_months(today, 3):
        raise ValidationError({"started_on": "实习开始日期不能晚于今天起3个月。"})
    profile = {
        "name": name,
        "category": category,
        "school": school,
        "major": major,
        "education": education,
        "left_school_on": left_school_on,
    }
    trainee = _student(by=by, post=post, id_number=id_number, phone=phone, profile=profile)
    _ensure_current_year_student(trainee, started_on)
    internship = Internship.objects.create(
        trainee=trainee,
        post=post,
        unit_id=post.unit_id,
        region_id=post.region_id,
        started_on=started_on,
        planned_end=planned_end,
        created_by=by,
        note=clean_text(note, field="note", label="备注", max_length=200),
    )
    log_transition(
        internship,
        action="intern",
        from_status="",
        to_status=Internship.Status.ACTIVE,
        by=by,
        opinion=f"实习 {fmt(started_on)} 至 {fmt(planned_end)}",
    )
    return internship


def _locked_internship(internship_id: int, by: User) -> Internship:
    internship = Internship.objects.select_for_update().get(pk=internship_id)
    _ensure_unit_manager(by, "trainees.change_internship", internship)
    if internship.status == Internship.Status.CONVERTED:
        raise ValidationError({"__all__": "该实习已转为见习。"})
    return internship


@transaction.atomic
def internship_end(*, internship_id: int, ended_on: date, by: User, today: date | None = None) -> Internship:
    """The internship finished (the student went back to school or graduated)."""
    today = today or local_today()
    internship = _locked_internship(internship_id, by)
    if internship.status != Internship.Status.ACTIVE:
        raise ValidationError({"__all__": f"该实习已于 {fmt(internship.ended_on)} 结束。"})
    ensure_date(
        ended_on,
        field="ended_on",
        label="实习结束日期",
        today=today,
        not_before=(internship.started_on, "实习开始日期"),
    )
    internship.status, internship.ended_on = Internship.Status.ENDED, ended_on
    internship.save(update_fields=["status", "ended_on"])
    log_transition(
        internship,
        action="end",
        from_status=Internship.Status.ACTIVE,
        to_status=internship.status,
        by=by,
        opinion=f"实习结束 {fmt(ended_on)}",
    )
    return internship


@transaction.atomic
def internship_convert(
    *,
    internship_id: int,
    by: User,
    signed_on: date,
    planned_start: date,
    planned_end: date | None = None,
    allowance=None,
    post_id: int | None = None,
    today: date | None = None,
) -> Placement:
    """实习转见习: once the intern has graduated and is not employed, sign a planned placement at the
    same unit (on the internship post unless another post of the unit is given). Every placement
    rule applies (eligibility on `signed_on`: graduated, within 2 years, not employed; slots).
    An internship still running ends on the signing date."""
    internship = _locked_internship(internship_id, by)
    target_post = post_id or internship.post_id
    if not Post.objects.filter(pk=target_post, unit_id=internship.unit_id).exists():
        raise ValidationError({"post": "实习转见习应在同一单位的岗位签订见习协议。"})
    placement = sign_placement(
        trainee_id=internship.trainee_id,
        post_id=target_post,
        signed_on=signed_on,
        planned_start=planned_start,
        planned_end=planned_end,
        allowance=allowance,
        by=by,
        internship=internship,
        today=today,
    )
    source = internship.status
    if internship.ended_on is None:
        internship.ended_on = max(signed_on, internship.started_on)
    internship.status = Internship.Status.CONVERTED
    internship.save(update_fields=["status", "ended_on"])
    log_transition(
        internship,
        action="convert",
        from_status=source,
        to_status=internship.status,
        by=by,
        opinion=f"转为见习协议（签订日期 {fmt(signed_on)}，计划 {fmt(placement.planned_start)} 至 "
        f"{fmt(placement.planned_end)}）",
    )
    log_transition(
        placement,
        action="convert",
        from_status="",
        to_status=placement.status,
        by=by,
        opinion=f"由实习转入（实习 {fmt(internship.started_on)} 至 {fmt(internship.ended_on)}）",
    )
    return placement
