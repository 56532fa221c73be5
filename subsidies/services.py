"""Writes with rules for subsidies: rule versions, claims (补贴申领) through the shared review
workflow, and disbursements (拨付). Views, the API, the admin and the demo all call these."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from jianxi_portal.core.audit import audit
from jianxi_portal.core.models import User
from jianxi_portal.core.notifications import notify
from jianxi_portal.core.permissions import ensure_perm
from jianxi_portal.core.review import ReviewStatus, review_transition
from jianxi_portal.core.services import append_rule_version, ensure_admin
from subsidies import calculator
from subsidies.calculator import PlacementFacts, RuleMissing, month_end, month_start, months_between, ym
from subsidies.models import RULE_MODELS, Claim, ClaimLine, Disbursement
from subsidies.rules import load_rulebook
from trainees.models import Placement, TraineeCategory
from units.models import Unit
from units.services import unit_has_payee

MAX_CLAIM_MONTHS = 12
NON_FIELD = "non_field_errors"


# --- rules ------------------------------------------------------------------------------------


def _ratio(value, field: str, label: str, *, allow_zero: bool = True) -> Decimal:
    number = _decimal(value, field, label, places=None)
    if number.normalize().as_tuple().exponent < -2:
        raise ValidationError({field: f"{label}最多精确到1%，收到 {number * 100:f}%。"})
    low_ok = number >= 0 if allow_zero else number > 0
    if not (low_ok and number <= 1):
        raise ValidationError(
            {field: f"{label}应在{'0%' if allow_zero else '大于0%'}至100%之间，收到 {number * 100:f}%。"}
        )
    return number


def _decimal(value, field: str, label: str, places: int | None = 2) -> Decimal:
    if isinstance(value, bool) or value is None or str(value).strip() == "":
        raise ValidationError({field: f"请填写{label}。"})
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError({field: f"{label}必须是数字，收到“{value}”。"})
    if not number.is_finite():
        raise ValidationError({field: f"{label}必须是数字，收到“{value}”。"})
    if places is not None and number.normalize().as_tuple().exponent < -places:
        raise ValidationError({field: f"{label}最多保留两位小数，收到 {number}。"})
    return number


def _clean_rule_values(kind: str, values: dict) -> dict:
    if kind == "rate":
        category = values.get("category")
        if category not in TraineeCategory.values:
            raise ValidationError({"category": f"未知的人员类别“{category}”。"})
        return {"category": category, "rate": _ratio(values.get("rate"), "rate", "补贴比例")}
    if kind == "bonus":
        amount = _decimal(values.get("amount"), "amount", "每留用1人补贴金额")
        if amount < 0:
            raise ValidationError({"amount": "每留用1人补贴金额不能为负数。"})
        months = values.get("min_contract_months")
        if isinstance(months, bool) or not str(months).strip().isdigit() or int(str(months)) < 1:
            raise ValidationError({"min_contract_months": f"劳动合同最短期限应为正整数（月），收到“{months}”。"})
        threshold = _ratio(values.get("threshold"), "threshold", "留用率下限", allow_zero=False)
        return {"amount": amount, "threshold": threshold, "min_contract_months": int(str(months))}
    return {}


@transaction.atomic
def rule_version_add(
    *, kind: str, by: User, valid_from: date, valid_to: date | None = None, document: str = "", **values
):
    """Add a new version of a subsidy rule from `valid_from` (admins only). Versions are append-only:
    the new one must start after the latest version of the same rule (a category's rate is its own
    rule), which is closed the day before if it was still open. No existing amount is edited, and
    amounts already claimed keep the values frozen on their claim lines."""
    ensure_admin(by)
    model = RULE_MODELS.get(kind)
    if model is None:
        raise ValidationError({NON_FIELD: f"未知的补贴规则“{kind}”。"})
    if not isinstance(valid_from, date):
        raise ValidationError({"valid_from": "请填写生效日期。"})
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": f"失效日期 {valid_to} 不能早于生效日期 {valid_from}。"})
    if kind == "remaining" and valid_to is None:
        raise ValidationError({"valid_to": "剩余期限补贴政策必须填写截止日期（留用日期在此日期及以前的适用）。"})
    cleaned = _clean_rule_values(kind, values)
    row = append_rule_version(model, values=cleaned, valid_from=valid_from, valid_to=valid_to, document=document, by=by)
    audit(
        "subsidy_rule.add",
        user=by,
        obj=row,
        detail={"kind": kind, "valid_from": valid_from.isoformat(), **{k: str(v) for k, v in cleaned.items()}},
    )
    return row


# --- claims -----------------------------------------------------------------------------------


def _as_month(value, field: str) -> date:
    if not isinstance(value, date):
        raise ValidationError({field: "请选择月份。"})
    return month_start(value)


def _clean_period(period_from, period_to, today: date) -> tuple[date, date]:
    first, last = _as_month(period_from, "period_from"), _as_month(period_to, "period_to")
    if last < first:
        raise ValidationError({"period_to": f"截止月 {ym(last)} 不能早于起始月 {ym(first)}。"})
    if last >= month_start(today):
        raise ValidationError({"period_to": f"{ym(last)}尚未结束，只能申领已结束月份的补贴。"})
    if (last.year - first.year) * 12 + last.month - first.month + 1 > MAX_CLAIM_MONTHS:
        raise ValidationError({"period_to": f"一次最多申领{MAX_CLAIM_MONTHS}个月。"})
    return first, last


def _ensure_can_claim(by: User, unit: Unit) -> None:
    """`subsidies.add_claim` (subsidies.permissions): the unit's employer, or city staff of its region."""
    ensure_perm(by, "subsidies.add_claim", unit, message="您无权为该单位申领补贴。")


def _claim_placements(claim: Claim, months: list[date]) -> tuple[list, list]:
    """The unit's filed placements on duty in the period, and those ended in a year whose
    December the claim covers (for the retention bonus)."""
    start, end = claim.period_from, month_end(claim.period_to)
    filed = Placement.objects.filter(unit_id=claim.unit_id, filing_status=ReviewStatus.APPROVED).select_related(
        "post", "trainee"
    )
    on_duty = filed.filter(started_on__isnull=False, started_on__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start)
    )
    years = [m.year for m in months if m.month == 12]
    ended = filed.filter(ended_on__year__in=years) if years else filed.none()
    return list(on_duty.order_by("pk")), list(ended.order_by("pk"))


def _candidate_lines(claim: Claim) -> list[ClaimLine]:
    """Every amount due for the claim's period, computed by the calculator (not yet saved)."""
    months = months_between(claim.period_from, claim.period_to)
    on_duty, ended = _claim_placements(claim, months)
    everyone = {p.pk: p for p in on_duty + ended}
    if not everyone:
        return []
    latest_end = max([month_end(claim.period_to)] + [p.planned_end for p in everyone.values()])
    book = load_rulebook(
        district_ids={p.post.district_id for p in everyone.values()},
        start=min(claim.period_from, min(p.started_on or claim.period_from for p in everyone.values())),
        end=latest_end,
    )
    lines = []
    for placement in on_duty:
        facts = PlacementFacts.of(placement)
        for month in months:
            lines.append((placement, ClaimLine.Kind.MONTHLY, month, calculator.monthly_subsidy(facts, month, book)))
        if facts.end == calculator.END_EARLY_RETAINED and claim.period_from <= facts.ended_on <= month_end(
            claim.period_to
        ):
            result = calculator.remaining_period_subsidy(facts, book)
            lines.append((placement, ClaimLine.Kind.REMAINING, month_start(facts.ended_on), result))
    for year in sorted({m.year for m in months if m.month == 12}):
        result = calculator.retention_bonus(year, [PlacementFacts.of(p) for p in ended], book)
        for pk, amount in result.per_trainee.items():
            lines.append((everyone[pk], ClaimLine.Kind.BONUS, date(year, 12, 1), amount))
    return [
        ClaimLine(claim=claim, placement=p, kind=kind, month=month, amount=c.amount, explanation=c.as_json())
        for p, kind, month, c in lines
        if c.due
    ]


def _generate_lines(claim: Claim) -> list[ClaimLine]:
    """Compute and save the claim's lines, leaving out amounts already in another live claim.
    Refuses (ValidationError, nothing saved) a claim with nothing left to claim."""
    try:
        candidates = _candidate_lines(claim)
    except RuleMissing as exc:
        raise ValidationError({NON_FIELD: str(exc)})
    taken = dict(
        ((pl, kind, month), claim_id)
        for pl, kind, month, claim_id in ClaimLine.objects.filter(
            live=True, placement_id__in={c.placement_id for c in candidates}
        )
        .exclude(claim=claim)
        .values_list("placement_id", "kind", "month", "claim_id")
    )
    lines = [c for c in candidates if (c.placement_id, c.kind, c.month) not in taken]
    if not lines:
        if candidates:
            ids = "、".join(f"#{i}" for i in sorted(set(taken.values())))
            raise ValidationError(
                {NON_FIELD: f"{claim.period_label}的补贴已在申领 {ids} 中，同一见习人员同一月份只能申领一次。"}
            )
        raise ValidationError(
            {
                NON_FIELD: f"{claim.period_label}没有备案已确认的见习人员在岗（在岗天数为0），"
                "也没有应申领的剩余期限补贴或带教补贴，无可申领的金额。"
            }
        )
    try:
        with transaction.atomic():
            ClaimLine.objects.bulk_create(lines)
    except IntegrityError:
        # Two claims for the same placement-month at once: the partial unique index lets one win.
        raise ValidationError(
            {NON_FIELD: "所选月份中有见习人员的补贴刚被另一份申领占用，同一月份只能申领一次，请刷新后重试。"}
        )
    claim.total = sum((line.amount for line in lines), Decimal("0.00"))
    claim.save(update_fields=["total"])
    return lines


@transaction.atomic
def claim_create(*, unit_id: int, period_from: date, period_to: date, by: User) -> Claim:
    """Create a draft claim of `unit_id` for the months `period_from`..`period_to` (any day of each;
    months that have ended). Lines: one per filed placement-month with days on duty, plus the
    remaining-period amount of early retentions in the period and, for a period that includes
    December, the year's retention bonus; each with its explanation. Refused, nothing saved, when
    there is nothing (left) to claim."""
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise ValidationError({"unit": "申领单位不存在。"})
    _ensure_can_claim(by, unit)
    first, last = _clean_period(period_from, period_to, timezone.localdate())
    claim = Claim.objects.create(unit=unit, region_id=unit.region_id, period_from=first, period_to=last, created_by=by)
    lines = _generate_lines(claim)
    audit("claim.create", user=by, obj=claim, detail={"lines": len(lines), "total": str(claim.total)})
    return claim


def _lock_editable(claim_id: int, by: User) -> Claim:
    claim = Claim.objects.select_for_update().get(pk=claim_id)
    ensure_perm(by, "subsidies.change_claim", claim, message="您无权修改该申领。")
    if claim.status not in (Claim.Status.DRAFT, Claim.Status.RETURNED):
        raise ValidationError({NON_FIELD: f"申领状态为“{claim.get_status_display()}”，不能修改。"})
    return claim


@transaction.atomic
def claim_regenerate(*, claim_id: int, by: User) -> Claim:
    """Recompute a draft or returned claim's lines from the current placement records (after the
    unit has corrected a date or added an insurance record)."""
    claim = _lock_editable(claim_id, by)
    claim.lines.all().delete()
    lines = _generate_lines(claim)
    audit("claim.regenerate", user=by, obj=claim, detail={"lines": len(lines), "total": str(claim.total)})
    return claim


@transaction.atomic
def claim_delete(*, claim_id: int, by: User) -> None:
    """Delete a draft claim that was never submitted (its placement-months become claimable again)."""
    claim = _lock_editable(claim_id, by)
    if claim.submitted_at is not None:
        raise ValidationError({NON_FIELD: "已提交过的申领不能删除，可修改后重新提交。"})
    audit("claim.delete", user=by, obj=claim, detail={"period": claim.period_label, "total": str(claim.total)})
    claim.delete()


PAYEE_MISSING = "本单位尚未登记补贴收款账户（开户银行和银行账号），请在单位信息中填写后再提交申领。"


def claim_submission_problems(claim: Claim) -> list[str]:
    """What blocks submission: no lines, or lines whose placement lacks accident insurance."""
    lines = list(claim.lines.select_related("placement__trainee"))
    if not lines:
        return ["申领没有明细，不能提交。"]
    return [
        f"{line.placement.trainee.name} {ym(line.month)}{line.get_kind_display()}：{line.insurance_problem}"
        for line in lines
        if line.insurance_problem
    ]


def _check_submittable(claim: Claim) -> None:
    """Submission needs the unit's payee account (the subsidy is paid into it) and lines that all
    carry accident insurance."""
    if not unit_has_payee(claim.unit):
        raise ValidationError({NON_FIELD: [PAYEE_MISSING]})
    problems = claim_submission_problems(claim)
    if problems:
        raise ValidationError({NON_FIELD: ["以下明细不能提交，请先在见习协议中补充人身意外伤害保险信息："] + problems})


def _link(claim: Claim) -> str:
    return reverse("claim_detail", args=[claim.pk])


@transaction.atomic
def claim_submit(*, claim_id: int, by: User, opinion: str = "") -> Claim:
    """Submit (or resubmit after return) a claim for review; refused while a line is flagged."""
    claim = review_transition(Claim, claim_id, action="submit", by=by, opinion=opinion, check=_check_submittable)
    reviewers = User.objects.filter(role=User.Role.CITY, region_id=claim.region_id, is_active=True)
    notify(
        reviewers,
        title=f"待审核补贴申领：{claim.unit.name} {claim.period_label}",
        body=f"申领金额 {claim.total} 元，请于 {claim.review_deadline:%Y-%m-%d} 前审核。",
        link=_link(claim),
    )
    return claim


def _notify_unit(claim: Claim, verdict: str, opinion: str) -> None:
    users = User.objects.filter(role=User.Role.EMPLOYER, unit_id=claim.unit_id, is_active=True)
    notify(users, title=f"补贴申领{verdict}：{claim.period_label}", body=opinion, link=_link(claim))


@transaction.atomic
def claim_approve(*, claim_id: int, by: User, opinion: str = "") -> Claim:
    """Approve a submitted claim: the approved amount is the claim's total."""
    claim = review_transition(Claim, claim_id, action="approve", by=by, opinion=opinion)
    claim.approved_amount = claim.total
    claim.save(update_fields=["approved_amount"])
    _notify_unit(claim, "已通过", opinion or f"核定金额 {claim.approved_amount} 元。")
    return claim


@transaction.atomic
def claim_reject(*, claim_id: int, by: User, opinion: str = "") -> Claim:
    """Reject a submitted claim (opinion required). Its lines stop counting as claimed, so the
    placement-months may be claimed again in a new claim."""
    claim = review_transition(Claim, claim_id, action="reject", by=by, opinion=opinion)
    claim.lines.update(live=False)
    _notify_unit(claim, "未通过", opinion)
    return claim


@transaction.atomic
def claim_return(*, claim_id: int, by: User, opinion: str = "") -> Claim:
    """Return a submitted claim for correction (opinion required); the unit recomputes and resubmits."""
    claim = review_transition(Claim, claim_id, action="return", by=by, opinion=opinion)
    _notify_unit(claim, "被退回", opinion)
    return claim


CLAIM_ACTIONS = {"submit": claim_submit, "approve": claim_approve, "reject": claim_reject, "return": claim_return}


# --- disbursements ----------------------------------------------------------------------------


def _clean_payment(amount, paid_on, funding_level, voucher_no, today: date) -> dict:
    errors = {}
    try:
        amount = _decimal(amount, "amount", "拨付金额")
        if amount <= 0:
            errors["amount"] = f"拨付金额必须大于0，收到 {amount}。"
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if funding_level not in Disbursement.FundingLevel.values:
        levels = "、".join(f"{v}（{label}）" for v, label in Disbursement.FundingLevel.choices)
        errors["funding_level"] = f"未知的资金级次“{funding_level}”，应为：{levels}。"
    if not isinstance(paid_on, date):
        errors["paid_on"] = "请填写拨付日期。"
    elif paid_on > today:
        errors["paid_on"] = f"拨付日期 {paid_on} 不能晚于今天。"
    voucher_no = (voucher_no or "").strip()
    if not voucher_no:
        errors["voucher_no"] = "请填写拨付凭证号。"
    elif len(voucher_no) > 64:
        errors["voucher_no"] = "凭证号最长64个字符。"
    if errors:
        raise ValidationError(errors)
    return {"amount": amount, "paid_on": paid_on, "funding_level": funding_level, "voucher_no": voucher_no}


@transaction.atomic
def disbursement_record(
    *, claim_id: int, amount, paid_on: date, funding_level: str, voucher_no: str, by: User
) -> Disbursement:
    """Record a payment against an approved claim of the recorder's region. The claim row is locked,
    so two payments at once cannot together exceed the approved amount; a payment above what is
    left unpaid is refused, nothing saved."""
    claim = Claim.objects.select_for_update().get(pk=claim_id)
    ensure_perm(by, "subsidies.pay_claim", claim, message="只有申领单位所在市（州）的经办人员可以登记拨付。")
    values = _clean_payment(amount, paid_on, funding_level, voucher_no, timezone.localdate())
    if claim.status != Claim.Status.APPROVED:
        raise ValidationError({NON_FIELD: f"申领状态为“{claim.get_status_display()}”，审核通过后才能拨付。"})
    if values["paid_on"] < claim.period_from:
        raise ValidationError({"paid_on": f"拨付日期不能早于申领期间 {claim.period_label}。"})
    if claim.first_approved_on and values["paid_on"] < claim.first_approved_on:
        raise ValidationError({"paid_on": f"拨付日期不能早于审核通过日期 {claim.first_approved_on:%Y-%m-%d}。"})
    left = claim.approved_amount - claim.paid_total
    if values["amount"] > left:
        raise ValidationError(
            {
                "amount": f"超出核定金额：核定 {claim.approved_amount} 元，已拨付 {claim.paid_total} 元，"
                f"本次 {values['amount']} 元，最多还可拨付 {left} 元。"
            }
        )
    payment = Disbursement.objects.create(claim=claim, region_id=claim.region_id, recorded_by=by, **values)
    claim.paid_total += values["amount"]
    claim.save(update_fields=["paid_total"])
    audit(
        "disbursement.record",
        user=by,
        obj=payment,
        detail={"claim": claim.pk, "amount": str(values["amount"]), "funding_level": values["funding_level"]},
    )
    return payment
