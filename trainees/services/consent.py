"""A registered person's consent to the three uses of their record beyond their own applications
(SECURITY.md "Consent"): job pushes, the weekly digest, and being seen by employers in a post's
candidate list. Each is off until the person ticks it, is explained in plain words where it is
asked, can be changed at any time, and every change is kept (ConsentChange)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jianxi_portal.core.audit import audit
from jianxi_portal.core.models import User
from jianxi_portal.core.permissions import ensure_perm
from trainees.models import ConsentChange, ConsentPurpose, Trainee

FIELDS = {
    ConsentPurpose.PUSH: "consent_push",
    ConsentPurpose.DIGEST: "consent_digest",
    ConsentPurpose.EMPLOYERS: "consent_employers",
}


def explanations() -> dict[str, str]:
    """What each consent lets the portal do, in the words shown beside its box."""
    limit = getattr(settings, "OUTREACH_PUSH_PER_WEEK", 3)
    return {
        ConsentPurpose.PUSH: (
            "有与您的专业、学历和求职意向相符的新岗位、招聘活动，或见习单位邀请您申请时，通过站内消息通知您"
            f"（填写了邮箱的同时发邮件），每周最多 {limit} 条。匹配只在本平台内进行，不会因此把您的信息交给见习单位。"
            "随时可在“我的见习”中关闭，或点击消息中的退订链接。"
        ),
        ConsentPurpose.DIGEST: "每周一发送一次汇总，列出上一周新发布、与您相符的岗位（最多 5 个）。随时可以关闭。",
        ConsentPurpose.EMPLOYERS: (
            "允许见习单位在其岗位的推荐人选名单中看到您的姓名、学历、专业和毕业院校，并向您发出申请邀请；"
            "不显示身份证号和手机号。不勾选时单位看不到您，您仍可以自己申请任何岗位。"
        ),
    }


def labels() -> dict[str, str]:
    return {
        ConsentPurpose.PUSH: "同意接收岗位推送",
        ConsentPurpose.DIGEST: "同意接收每周岗位汇总",
        ConsentPurpose.EMPLOYERS: "同意见习单位在推荐名单中看到我",
    }


def _ensure_may_choose(by: User | None, trainee: Trainee, source: str) -> None:
    """Only the person chooses; the unsubscribe link (a token the person holds) only withdraws."""
    if source == ConsentChange.Source.UNSUBSCRIBE:
        return
    ensure_perm(by, "trainees.consent_trainee", trainee, message="授权只能由本人选择。")


@transaction.atomic
def consent_set(*, trainee_id: int, by: User | None, source: str, **choices: bool) -> Trainee:
    """Record the person's choices (`push=`, `digest=`, `employers=`). A choice that changes a
    consent — and every choice made at sign-up, where the person was asked — is kept as a
    ConsentChange; the unsubscribe link may only withdraw."""
    unknown = set(choices) - set(FIELDS)
    if unknown or source not in ConsentChange.Source.values:
        raise ValidationError({name: "未知的授权项。" for name in unknown or {"source"}})
    trainee = Trainee.objects.select_for_update().get(pk=trainee_id)
    _ensure_may_choose(by, trainee, source)
    if source == ConsentChange.Source.UNSUBSCRIBE and any(choices.values()):
        raise ValidationError({"__all__": "退订链接只能取消授权。"})
    now, changed = timezone.now(), []
    for purpose, granted in choices.items():
        field, granted = FIELDS[purpose], bool(granted)
        if getattr(trainee, field) == granted and source != ConsentChange.Source.SIGNUP:
            continue
        setattr(trainee, field, granted)
        if purpose == ConsentPurpose.PUSH:
            trainee.consent_push_at = now if granted else None
        ConsentChange.objects.create(
            trainee=trainee,
            purpose=purpose,
            granted=granted,
            source=source,
            at=now,
            by=by if by is not None and by.is_authenticated else None,
        )
        changed.append(f"{purpose}={'on' if granted else 'off'}")
    if changed:
        trainee.save()
        audit(
            "trainee.consent",
            user=by if by is not None and by.is_authenticated else None,
            obj=trainee,
            detail={"source": source, "changes": changed},
        )
    return trainee


def has_chosen(trainee: Trainee) -> bool:
    """Whether the person has ever made the choices themselves (at sign-up or on their page)."""
    return trainee.consent_changes.filter(
        source__in=(ConsentChange.Source.SIGNUP, ConsentChange.Source.PROFILE)
    ).exists()
