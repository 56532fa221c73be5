"""Lifecycle events of a placement (DESIGN.md, Placement lifecycle), one service per event, each
with its own date, each under a row lock on the placement and logged (who, when, from, to, what).
Which event may follow which is declared in `trainees.workflows.EVENTS` (start, complete, retain,
terminate, outcome, cancel); the services refuse through it and add the dates and details.

Dates: never after today, never before the previous event (signing → start → end → outcome), and
an ended placement never ends again. Retention means a labour contract of any term (DESIGN.md,
Placement lifecycle): its signing day, its term and whether the unit pays social insurance are
recorded as facts; only the retention bonus asks for a year and insurance (subsidies.calculator)."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from jianxi_portal.core.dates import add_months, local_today
from jianxi_portal.core.models import User
from jianxi_portal.core.review import InvalidTransition, log_transition
from trainees.dates import period_end
from trainees.models import Placement
from trainees.services.common import clean_text, ensure_can_manage_placement, ensure_date, fmt
from trainees.workflows import EVENTS


def _locked(placement_id: int, by: User, action: str) -> Placement:
    placement = Placement.objects.select_for_update().get(pk=placement_id)
    ensure_can_manage_placement(by, placement, action)
    return placement


def _record(placement: Placement, *, action: str, source: str, by: User, detail: str, fields: list[str]) -> Placement:
    placement.save(update_fields=[*fields, "updated_at"])
    log_transition(placement, action=action, from_status=source, to_status=placement.status, by=by, opinion=detail)
    return placement


@dataclass(frozen=True)
class Contract:
    """A labour contract as recorded on retention: facts, none of them a condition of retaining."""

    signed_on: date
    months: int
    ends_on: date
    social_insurance_paid: bool

    @property
    def text(self) -> str:
        insurance = "已缴纳社会保险" if self.social_insurance_paid else "未缴纳社会保险"
        return f"劳动合同 {fmt(self.signed_on)} 签订，至 {fmt(self.ends_on)}，期限 {self.months} 个月；{insurance}"

    @property
    def fields(self) -> dict:
        return {
            "contract_signed_on": self.signed_on,
            "contract_months": self.months,
            "contract_ends_on": self.ends_on,
            "social_insurance_paid": self.social_insurance_paid,
        }


def whole_months(start: date, end: date) -> int:
    """Whole months of a term running `start`..`end` inclusive: 2022-10-20..2023-04-19 is 6."""
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and period_end(start, months) > end:
        months -= 1
    return max(months, 0)


def _clean_months(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        months = int(value)
    except (TypeError, ValueError):
        raise ValidationError({"contract_months": f"劳动合同期限应为整数（月），收到“{value}”。"}) from None
    if not 1 <= months <= 600:
        raise ValidationError({"contract_months": f"劳动合同期限应为1—600个月，收到 {months} 个月。"})
    return months


def clean_contract(
    *,
    contract_signed_on,
    contract_months,
    social_insurance_paid,
    today: date,
    not_before: tuple[date, str],
    contract_ends_on: date | None = None,
) -> Contract:
    """The labour contract of a retention, of any term (DESIGN.md, Placement lifecycle): the term is
    given in months or by the contract's last day (both: they must agree); social insurance is a
    fact recorded as given. Nothing here refuses a short contract or a missing insurance."""
    signed = ensure_date(
        contract_signed_on, field="contract_signed_on", label="劳动合同签订日期", today=today, not_before=not_before
    )
    months = _clean_months(contract_months)
    if contract_ends_on is None and months is None:
        raise ValidationError({"contract_months": "请填写劳动合同期限（月）或合同终止日期。"})
    if contract_ends_on is not None and not isinstance(contract_ends_on, date):
        raise ValidationError({"contract_ends_on": "劳动合同终止日期格式应为 YYYY-MM-DD。"})
    if contract_ends_on is not None and contract_ends_on <= signed:
        raise ValidationError(
            {"contract_ends_on": f"劳动合同终止日期 {fmt(contract_ends_on)} 应晚于合同签订日期 {fmt(signed)}。"}
        )
    if contract_ends_on is None:
        ends_on = period_end(signed, months)
    else:
        ends_on, derived = contract_ends_on, whole_months(signed, contract_ends_on)
        if months is not None and months != derived:
            raise ValidationError(
                {
                    "contract_ends_on": f"劳动合同终止日期 {fmt(contract_ends_on)} 与期限 {months} 个月不符："
                    f"{fmt(signed)} 起 {months} 个月应至 {fmt(period_end(signed, months))}。"
                }
            )
        months = derived
    if add_months(signed, 600) <= ends_on:
        raise ValidationError({"contract_ends_on": "劳动合同期限不能超过600个月。"})
    if not isinstance(social_insurance_paid, bool):
        raise ValidationError({"social_insurance_paid": "请说明单位是否为其缴纳社会保险（是/否）。"})
    return Contract(signed, months, ends_on, social_insurance_paid)


INSURANCE_GAP_AT_START = "到岗日不在人身意外伤害保险期间内，请尽快登记或补充保险"


@transaction.atomic
def placement_start(*, placement_id: int, started_on: date, by: User, today: date | None = None) -> Placement:
    """到岗: the trainee arrives. May be recorded while the filing is pending, and without an
    accident-insurance policy covering the day: that is recorded with a warning (the log says so,
    the pages and the API show `Placement.insurance_gaps` until the policy is filled in)."""
    today = today or local_today()
    placement = _locked(placement_id, by, "start")
    step = EVENTS.ensure(placement, "start")
    ensure_date(
        started_on, field="started_on", label="到岗日期", today=today, not_before=(placement.signed_on, "协议签订日期")
    )
    if started_on >= placement.planned_end:
        raise ValidationError(
            {"started_on": f"到岗日期 {fmt(started_on)} 不早于计划结束日期 {fmt(placement.planned_end)}。"}
        )
    placement.status, placement.started_on = step.target, started_on
    warning = "" if placement.insured_on(started_on) else f"；{INSURANCE_GAP_AT_START}"
    return _record(
        placement,
        action="start",
        source=Placement.Status.PLANNED,
        by=by,
        detail=f"到岗日期 {fmt(started_on)}{warning}",
        fields=["status", "started_on"],
    )


@transaction.atomic
def placement_complete(*, placement_id: int, ended_on: date, by: User, today: date | None = None) -> Placement:
    """期满: the placement ran to its agreed end, which is the end date. The outcome follows."""
    today = today or local_today()
    placement = _locked(placement_id, by, "complete")
    step = EVENTS.ensure(placement, "complete")
    ensure_date(
        ended_on, field="ended_on", label="结业日期", today=today, not_before=(placement.started_on, "到岗日期")
    )
    if ended_on != placement.planned_end:
        raise ValidationError(
            {
                "ended_on": f"期满结业日期应为协议约定的结束日期 {fmt(placement.planned_end)}，当前为 {fmt(ended_on)}；"
                "提前结束请办理“提前留用”或“非正常结束”。"
            }
        )
    placement.status, placement.end, placement.ended_on = step.target, Placement.End.COMPLETED, ended_on
    return _record(
        placement,
        action="complete",
        source=Placement.Status.ON_DUTY,
        by=by,
        detail=f"期满结业 {fmt(ended_on)}",
        fields=["status", "end", "ended_on"],
    )


@transaction.atomic
def placement_retain(
    *,
    placement_id: int,
    ended_on: date,
    contract_signed_on: date | None = None,
    contract_months: int | None = None,
    contract_ends_on: date | None = None,
    social_insurance_paid: bool = False,
    by: User,
    today: date | None = None,
) -> Placement:
    """提前留用: the unit signs a labour contract of any term before the agreed end; `ended_on` is the
    retention day. Counts as completed and retained (outcome retained from that day), in Annex 2
    and for the remaining-period subsidy, whatever the contract's term or insurance."""
    today = today or local_today()
    placement = _locked(placement_id, by, "retain")
    step = EVENTS.ensure(placement, "retain")
    ensure_date(
        ended_on, field="ended_on", label="留用日期", today=today, not_before=(placement.started_on, "到岗日期")
    )
    if ended_on >= placement.planned_end:
        raise ValidationError(
            {
                "ended_on": f"提前留用日期 {fmt(ended_on)} 应早于协议约定的结束日期 {fmt(placement.planned_end)}；"
                "期满后留用请先办理期满结业，再登记去向为“留用”。"
            }
        )
    contract = clean_contract(
        contract_signed_on=contract_signed_on or ended_on,
        contract_months=contract_months,
        contract_ends_on=contract_ends_on,
        social_insurance_paid=social_insurance_paid,
        today=today,
        not_before=(placement.started_on, "到岗日期"),
    )
    if contract.signed_on > ended_on:
        raise ValidationError(
            {"contract_signed_on": f"劳动合同签订日期 {fmt(contract.signed_on)} 晚于留用日期 {fmt(ended_on)}。"}
        )
    placement.status, placement.end, placement.ended_on = step.target, Placement.End.EARLY_RETAINED, ended_on
    placement.outcome, placement.outcome_on = Placement.Outcome.RETAINED, ended_on
    for name, value in contract.fields.items():
        setattr(placement, name, value)
    return _record(
        placement,
        action="retain",
        source=Placement.Status.ON_DUTY,
        by=by,
        detail=f"提前留用 {fmt(ended_on)}；{contract.text}",
        fields=["status", "end", "ended_on", "outcome", "outcome_on", *contract.fields],
    )


@transaction.atomic
def placement_terminate(
    *, placement_id: int, ended_on: date, end_reason: str, end_note: str = "", by: User, today: date | None = None
) -> Placement:
    """非正常结束: ended early for personal reasons or a change at the unit, not retained."""
    today = today or local_today()
    placement = _locked(placement_id, by, "terminate")
    step = EVENTS.ensure(placement, "terminate")
    ensure_date(
        ended_on, field="ended_on", label="结束日期", today=today, not_before=(placement.started_on, "到岗日期")
    )
    if ended_on >= placement.planned_end:
        raise ValidationError(
            {
                "ended_on": f"非正常结束日期 {fmt(ended_on)} 应早于协议约定的结束日期 {fmt(placement.planned_end)}；"
                "期满请办理期满结业。"
            }
        )
    if end_reason not in Placement.EndReason.values:
        raise ValidationError({"end_reason": "请选择结束原因：个人原因、单位变动或其他。"})
    note = clean_text(
        end_note, field="end_note", label="结束说明", max_length=200, required=end_reason == Placement.EndReason.OTHER
    )
    placement.status, placement.end, placement.ended_on = step.target, Placement.End.ABNORMAL, ended_on
    placement.end_reason, placement.end_note = end_reason, note
    reason = Placement.EndReason(end_reason).label
    return _record(
        placement,
        action="terminate",
        source=Placement.Status.ON_DUTY,
        by=by,
        detail=f"非正常结束 {fmt(ended_on)}；原因：{reason}{('，' + note) if note else ''}",
        fields=["status", "end", "ended_on", "end_reason", "end_note"],
    )


@transaction.atomic
def placement_record_outcome(
    *,
    placement_id: int,
    outcome: str,
    outcome_on: date,
    by: User,
    contract_signed_on: date | None = None,
    contract_months: int | None = None,
    contract_ends_on: date | None = None,
    social_insurance_paid: bool = False,
    other_employment_note: str = "",
    today: date | None = None,
) -> Placement:
    """去向: after completion, retained (a labour contract of any term, its facts recorded), other
    employment (how), or none. Recorded once."""
    today = today or local_today()
    placement = _locked(placement_id, by, "outcome")
    if placement.status == Placement.Status.ENDED and placement.end == Placement.End.COMPLETED and placement.outcome:
        raise InvalidTransition(
            f"去向已于 {fmt(placement.outcome_on)} 登记为“{placement.get_outcome_display()}”，不能重复登记。"
        )
    EVENTS.ensure(placement, "outcome")
    if outcome not in Placement.Outcome.values:
        raise ValidationError({"outcome": "请选择去向：留用、其他方式就业或未就业。"})
    ensure_date(
        outcome_on, field="outcome_on", label="去向登记日期", today=today, not_before=(placement.ended_on, "结业日期")
    )
    fields, detail = ["outcome", "outcome_on"], Placement.Outcome(outcome).label
    if outcome == Placement.Outcome.RETAINED:
        contract = clean_contract(
            contract_signed_on=contract_signed_on,
            contract_months=contract_months,
            contract_ends_on=contract_ends_on,
            social_insurance_paid=social_insurance_paid,
            today=today,
            not_before=(placement.started_on, "到岗日期"),
        )
        for name, value in contract.fields.items():
            setattr(placement, name, value)
        fields += list(contract.fields)
        detail += f"；{contract.text}"
    elif outcome == Placement.Outcome.OTHER_EMPLOYMENT:
        placement.other_employment_note = clean_text(
            other_employment_note,
            field="other_employment_note",
            label="其他就业方式说明",
            max_length=200,
            required=True,
        )
        fields.append("other_employment_note")
        detail += f"：{placement.other_employment_note}"
    placement.outcome, placement.outcome_on = outcome, outcome_on
    return _record(
        placement,
        action="outcome",
        source=Placement.Status.ENDED,
        by=by,
        detail=f"{fmt(outcome_on)} 登记去向：{detail}",
        fields=fields,
    )


@transaction.atomic
def placement_cancel(
    *, placement_id: int, cancelled_on: date, reason: str, by: User, today: date | None = None
) -> Placement:
    """Cancel an agreement before the trainee arrived (never arrived, withdrew before the start):
    the slot is freed and the person has not taken part."""
    today = today or local_today()
    placement = _locked(placement_id, by, "cancel")
    step = EVENTS.ensure(placement, "cancel")
    ensure_date(
        cancelled_on,
        field="cancelled_on",
        label="取消日期",
        today=today,
        not_before=(placement.signed_on, "协议签订日期"),
    )
    note = clean_text(reason, field="reason", label="取消原因", max_length=200, required=step.opinion_required)
    placement.status, placement.cancelled_on, placement.end_note = step.target, cancelled_on, note
    return _record(
        placement,
        action="cancel",
        source=Placement.Status.PLANNED,
        by=by,
        detail=f"{fmt(cancelled_on)} 取消：{note}",
        fields=["status", "cancelled_on", "end_note"],
    )


# The service that records each lifecycle event of `trainees.workflows.EVENTS` (its labels and
# from-states): the pages, the API and the register import all dispatch through this one map.
EVENT_SERVICES = {
    "start": placement_start,
    "complete": placement_complete,
    "retain": placement_retain,
    "terminate": placement_terminate,
    "outcome": placement_record_outcome,
    "cancel": placement_cancel,
}
