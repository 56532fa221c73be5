"""Filing (见习协议上报备案): the employer (or the city, offline) files the signed agreement with its
city, which confirms it through the shared review workflow (`jianxi_portal.core.review`: 15 working
days, opinions, log). A confirmed filing is what makes the placement count for subsidies. A start
may be recorded while the filing is pending (filings lag a few days in practice)."""

from functools import partial

from django.core.exceptions import ValidationError
from django.urls import reverse

from jianxi_portal.core.models import User
from jianxi_portal.core.notifications import notify
from jianxi_portal.core.review import review_transition
from trainees.eligibility import eligibility_failures
from trainees.models import Placement
from trainees.workflows import FILING


def agreement_gaps(placement: Placement) -> dict[str, str]:
    """What the agreement must record before it is filed: the accident insurance (insurer, policy,
    period covering the planned start) and the mentor (the notice: 专人带教)."""
    gaps = {}
    if not placement.has_insurance_record:
        gaps["insurer"] = "请先登记意外伤害保险（承保公司、保单号、保险期间）。"
    elif not placement.insurance_from <= placement.planned_start <= placement.insurance_to:
        gaps["insurance_from"] = "意外伤害保险期间应覆盖计划开始日期。"
    if placement.mentor_id is None:
        gaps["mentor"] = "请先指定带教老师。"
    return gaps


def _check(action: str, placement: Placement) -> None:
    if placement.status == Placement.Status.CANCELLED:
        raise ValidationError({"__all__": "已取消的见习协议不能备案。"})
    if action == "submit":
        gaps = agreement_gaps(placement)
        if gaps:
            raise ValidationError(gaps)
    if action == "approve":
        linked = placement.linked()
        failures = eligibility_failures(placement.trainee, linked[0].signed_on, exclude=[p.pk for p in linked])
        gaps = agreement_gaps(placement)
        if failures or gaps:
            raise ValidationError({"__all__": [*failures, *gaps.values()]})


def _notify(placement: Placement, action: str, by: User) -> None:
    link = reverse("trainees:placement_detail", args=[placement.pk])
    name = placement.trainee.name
    if action == "submit":
        reviewers = User.objects.filter(role=User.Role.CITY, region_id=placement.region_id, is_active=True)
        notify(
            reviewers,
            title=f"见习协议备案待审核：{name}（{placement.unit.name}）",
            link=link,
            body=f"审核期限 {placement.review_deadline:%Y-%m-%d}。",
        )
    else:
        employers = User.objects.filter(role=User.Role.EMPLOYER, unit_id=placement.unit_id, is_active=True)
        notify(employers, title=f"见习协议{FILING.label(action)}：{name}", link=link)


def placement_filing(*, placement_id: int, action: str, by: User, opinion: str = "") -> Placement:
    """Submit, approve, reject or return a placement's filing. Submitting needs the insurance and
    the mentor recorded; approving re-checks the trainee's eligibility on the signing date."""
    if action not in FILING:
        raise ValidationError({"action": f"未知的备案操作：{action}"})
    placement = review_transition(
        Placement, placement_id, action=action, by=by, opinion=opinion, check=partial(_check, action)
    )
    _notify(placement, action, by)
    return placement
