"""Applications (见习申请): a registered young person applies to a published, open post with a short
note; the employer accepts (which signs a planned placement) or declines; the applicant may
withdraw while it is pending. Nobody applies to a closed post, whatever the channel: the rule is
here, not in the page."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from jianxi_portal.core.audit import audit
from jianxi_portal.core.models import User
from jianxi_portal.core.notifications import notify
from jianxi_portal.core.permissions import ensure_perm
from positions.models import Post
from trainees.models import Application, Placement, Trainee
from trainees.post_rules import post_open_for_applications
from trainees.services.common import clean_text, fmt
from trainees.services.placements import sign_placement

DUPLICATE = "您已申请过该岗位，每个岗位只能申请一次。"


def _applicant(by: User) -> Trainee:
    if not (by.is_authenticated and by.is_youth):
        raise PermissionDenied("只有登记了个人信息的青年可以申请见习岗位。")
    trainee = Trainee.objects.filter(user=by).first()
    if trainee is None:
        raise ValidationError({"__all__": "请先在“我的见习”中登记个人信息，再申请岗位。"})
    return trainee


def _ensure_not_placed(trainee: Trainee) -> None:
    earlier = Placement.objects.filter(trainee=trainee).exclude(status=Placement.Status.CANCELLED).first()
    if earlier is not None:
        raise ValidationError({"post": f"您已于 {fmt(earlier.signed_on)} 签订见习协议，每人只能参加一次就业见习。"})


@transaction.atomic
def application_create(*, post_id: int, by: User, note: str = "", today: date | None = None) -> Application:
    """Apply to a post that is published and open today (one application per trainee per post)."""
    trainee = _applicant(by)
    post = Post.objects.select_related("unit").filter(pk=post_id).first()
    if post is None or not post_open_for_applications(post, today):
        raise ValidationError({"post": "该岗位未发布、已关闭或已过报名截止日期，不能申请。"})
    if Application.objects.filter(trainee=trainee, post=post).exists():
        raise ValidationError({"post": DUPLICATE})
    _ensure_not_placed(trainee)
    note = clean_text(note, field="note", label="留言", max_length=500)
    try:
        with transaction.atomic():
            application = Application.objects.create(trainee=trainee, post=post, note=note)
    except IntegrityError:
        raise ValidationError({"post": DUPLICATE}) from None
    employers = User.objects.filter(role=User.Role.EMPLOYER, unit_id=post.unit_id, is_active=True)
    notify(
        employers,
        title=f"新的见习申请：{post.title}",
        body=f"申请人：{trainee.name}",
        link=reverse("trainees:application_detail", args=[application.pk]),
    )
    audit("application.create", user=by, obj=application)
    return application


def _locked_pending(application_id: int) -> Application:
    application = Application.objects.select_for_update().get(pk=application_id)
    if application.status != Application.Status.PENDING:
        raise ValidationError({"__all__": f"该申请已{application.get_status_display()}，不能再处理。"})
    return application


def _ensure_employer(by: User, application: Application) -> None:
    ensure_perm(by, "trainees.decide_application", application, message="只有岗位所属单位可以处理该申请。")


def _decide(application: Application, status: str, note: str = "") -> Application:
    application.status, application.decided_at, application.decision_note = status, timezone.now(), note
    application.save(update_fields=["status", "decided_at", "decision_note"])
    return application


def _tell_applicant(application: Application, title: str) -> None:
    user = application.trainee.user
    if user is not None:
        notify([user], title=title, link=reverse("trainees:application_detail", args=[application.pk]))


@transaction.atomic
def application_accept(
    *,
    application_id: int,
    by: User,
    signed_on: date,
    planned_start: date,
    planned_end: date | None = None,
    allowance=None,
    today: date | None = None,
) -> Placement:
    """The employer accepts: a planned placement is signed with the trainee (every placement rule
    applies: eligibility on `signed_on`, slots, no overlap). The trainee's other pending
    applications are withdrawn, since a person takes part once."""
    application = _locked_pending(application_id)
    _ensure_employer(by, application)
    placement = sign_placement(
        trainee_id=application.trainee_id,
        post_id=application.post_id,
        signed_on=signed_on,
        planned_start=planned_start,
        planned_end=planned_end,
        allowance=allowance,
        by=by,
        application=application,
        today=today,
    )
    _decide(application, Application.Status.ACCEPTED)
    others = Application.objects.filter(trainee_id=application.trainee_id, status=Application.Status.PENDING)
    others.exclude(pk=application.pk).update(
        status=Application.Status.WITHDRAWN, decided_at=timezone.now(), decision_note="已被其他岗位录用，系统自动撤回"
    )
    _tell_applicant(application, f"您的见习申请已被录用：{application.post.title}")
    audit("application.accept", user=by, obj=application, detail={"placement": placement.pk})
    return placement


@transaction.atomic
def application_decline(*, application_id: int, by: User, note: str = "") -> Application:
    """The employer declines a pending application (an optional note is shown to the applicant)."""
    application = _locked_pending(application_id)
    _ensure_employer(by, application)
    _decide(application, Application.Status.DECLINED, clean_text(note, field="note", label="说明", max_length=200))
    _tell_applicant(application, f"您的见习申请未被录用：{application.post.title}")
    audit("application.decline", user=by, obj=application)
    return application


@transaction.atomic
def application_withdraw(*, application_id: int, by: User) -> Application:
    """The applicant withdraws a pending application."""
    application = _locked_pending(application_id)
    ensure_perm(by, "trainees.withdraw_application", application, message="只有申请人本人可以撤回申请。")
    _decide(application, Application.Status.WITHDRAWN, "申请人撤回")
    audit("application.withdraw", user=by, obj=application)
    return application
