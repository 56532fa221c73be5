"""Writes with rules for the core: quotas (Annex 1), minimum-wage versions, calendar overrides."""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from jianxi_portal.core.allowance import floor_may_have_risen
from jianxi_portal.core.audit import audit
from jianxi_portal.core.deadlines import calendar_change
from jianxi_portal.core.models import (
    FLOOR_RATIO_MAX,
    AllowanceFloorRule,
    AnnualQuota,
    CalendarOverride,
    District,
    DistrictWageClass,
    MinimumWageClass,
    MinimumWageVersion,
    Region,
    TraineeCategory,
    User,
)
from jianxi_portal.core.permissions import may

QUOTA_FIELDS = {"post_quota": "岗位募集指标", "trainee_quota": "组织见习人员指标"}


def ensure_admin(user: User) -> None:
    if not (user.is_authenticated and user.is_admin):
        raise PermissionDenied("只有系统管理员可以修改。")


def _clean_quota_value(field: str, value) -> int:
    label = QUOTA_FIELDS[field]
    if value is None or str(value).strip() == "":
        raise ValidationError({field: f"请填写{label}。"})
    if isinstance(value, bool):
        raise ValidationError({field: f"{label}必须是整数。"})
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({field: f"{label}必须是整数，收到“{value}”。"}) from None
    if str(number) != str(value).strip().lstrip("+") and not isinstance(value, int):
        raise ValidationError({field: f"{label}必须是整数，收到“{value}”。"})
    if number < 0:
        raise ValidationError({field: f"{label}不能为负数。"})
    return number


def previous_quotas(year: int) -> tuple[int | None, dict[int, AnnualQuota]]:
    """The last programme year before `year` that has quotas, and its quotas by region id: what a
    new year starts from and may not fall below (只增不减) without a note."""
    previous = AnnualQuota.objects.filter(year__lt=year).aggregate(year=Max("year"))["year"]
    if previous is None:
        return None, {}
    return previous, {q.region_id: q for q in AnnualQuota.objects.filter(year=previous)}


def quota_shortfalls(values: dict, previous: AnnualQuota | None) -> list[str]:
    """The quotas of `values` below `previous` (只增不减), described for the person."""
    if previous is None:
        return []
    return [
        f"{label}{values[field]}低于{previous.year}年的{getattr(previous, field)}"
        for field, label in QUOTA_FIELDS.items()
        if field in values and values[field] < getattr(previous, field)
    ]


def _ensure_note_for_shortfall(values: dict, previous: AnnualQuota | None, note: str, key: str) -> None:
    below = quota_shortfalls(values, previous)
    if below and not note:
        raise ValidationError({key: f"{'，'.join(below)}：年度指标只增不减，如确需保留，请填写说明。"})


@transaction.atomic
def quota_update(*, quota_id: int, by: User, note: str | None = None, **values) -> AnnualQuota:
    """Change a region's Annex 1 quota for a year. Admins only; a quota below the region's previous
    programme year needs a note (只增不减); every change is kept in the quota's history (who, when,
    old and new values) and in the audit log."""
    ensure_admin(by)
    unknown = set(values) - set(QUOTA_FIELDS)
    if unknown:
        raise ValidationError({name: "该字段不可修改。" for name in unknown})
    cleaned = {field: _clean_quota_value(field, value) for field, value in values.items()}
    quota = AnnualQuota.objects.select_for_update().get(pk=quota_id)
    note = quota.note if note is None else note.strip()
    _, previous = previous_quotas(quota.year)
    after = {field: cleaned.get(field, getattr(quota, field)) for field in QUOTA_FIELDS}
    _ensure_note_for_shortfall(after, previous.get(quota.region_id), note, "note")
    before = {field: getattr(quota, field) for field in cleaned}
    for field, value in cleaned.items():
        setattr(quota, field, value)
    quota.note = note if quota_shortfalls(after, previous.get(quota.region_id)) else ""
    quota._history_user = by
    quota.save()
    audit("quota.update", user=by, obj=quota, detail={"before": before, "after": cleaned, "note": quota.note})
    return quota


@transaction.atomic
def programme_year_open(*, year: int, quotas: dict[int, dict], by: User) -> list[AnnualQuota]:
    """Open programme year `year` (DESIGN.md, Programme years): every region's post and trainee
    quota (`quotas[region_id]` = {post_quota, trainee_quota, note}); a quota below the previous
    programme year needs a note (只增不减). Every problem of every region is reported at once and
    nothing is saved; the rows start their history with the admin's name."""
    ensure_admin(by)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "年度应在2000至2100之间。"})
    if AnnualQuota.objects.select_for_update().filter(year=year).exists():
        raise ValidationError({"year": f"{year}年度已开启，请在附件1页面修改各市（州）的指标。"})
    _, previous = previous_quotas(year)
    rows, errors = [], {}
    for region in Region.objects.all():
        raw = quotas.get(region.pk, {})
        note = (raw.get("note") or "").strip()[:200]
        try:
            values = {field: _clean_quota_value(field, raw.get(field, "")) for field in QUOTA_FIELDS}
            _ensure_note_for_shortfall(values, previous.get(region.pk), note, "note")
        except ValidationError as exc:
            errors[f"region_{region.pk}"] = [f"{region.name}：{m}" for m in exc.messages]
            continue
        below = quota_shortfalls(values, previous.get(region.pk))
        rows.append(AnnualQuota(region=region, year=year, note=note if below else "", **values))
    if errors:
        raise ValidationError(errors)
    for quota in rows:
        quota._history_user = by
        quota.save()
    totals = {field: sum(getattr(q, field) for q in rows) for field in QUOTA_FIELDS}
    audit(
        "programme_year.open",
        user=by,
        detail={"year": year, **totals, "below_previous": [q.region.code for q in rows if q.note]},
    )
    return rows


@transaction.atomic
def calendar_override_save(*, by: User, date, kind: str, note: str = ""):
    """Enter or change one date of the holiday arrangement (admins only; history kept); the stored
    deadlines whose window contains the date are recomputed (`deadlines.calendar_change`)."""
    ensure_admin(by)
    with calendar_change([date.year], by=by) as change:
        override = CalendarOverride.objects.filter(date=date).first() or CalendarOverride(date=date)
        override.kind, override.note, override._history_user = kind, note, by
        override.save()
    audit(
        "calendar.override",
        user=by,
        obj=override,
        detail={"date": date.isoformat(), "kind": kind, "deadlines_moved": len(change.deadlines)},
    )
    return override


@transaction.atomic
def calendar_override_delete(*, by: User, override_id: int) -> None:
    ensure_admin(by)
    override = CalendarOverride.objects.get(pk=override_id)
    audit("calendar.override_delete", user=by, obj=override, detail={"date": override.date.isoformat()})
    with calendar_change([override.date.year], by=by):  # each moved deadline is audited on its own
        override._history_user = by
        override.delete()


def parse_wage_classes(text: str) -> list[tuple]:
    """'2120,21' per line → [(Decimal monthly, Decimal hourly)], highest class first."""
    classes = []
    for number, line in enumerate([ln for ln in text.splitlines() if ln.strip()], start=1):
        parts = [p.strip() for p in line.replace("，", ",").split(",")]
        try:
            monthly, hourly = Decimal(parts[0]), Decimal(parts[1])
        except (IndexError, InvalidOperation):
            message = f"第{number}行格式应为“月标准,小时标准”，收到“{line.strip()}”。"
            raise ValidationError({"classes": message}) from None
        if monthly <= 0 or hourly <= 0:
            raise ValidationError({"classes": f"第{number}行的金额必须大于0。"})
        classes.append((monthly, hourly))
    if not classes:
        raise ValidationError({"classes": "至少填写一档最低工资标准。"})
    return classes


@transaction.atomic
def wage_version_create(*, by: User, effective_from, document: str, classes: list[tuple], mapping: dict):
    """Add a minimum-wage version: its classes (highest first) and each district's class number.
    Every district must be mapped; amounts before `effective_from` are unaffected."""
    ensure_admin(by)
    if MinimumWageVersion.objects.filter(effective_from=effective_from).exists():
        raise ValidationError({"effective_from": f"{effective_from} 已有最低工资标准版本。"})
    districts = list(District.objects.all())
    missing = [d.name for d in districts if d.pk not in mapping]
    if missing:
        raise ValidationError({"mapping": f"以下区县未选择档次：{'、'.join(missing[:5])}"})
    bad = sorted({n for n in mapping.values() if not 1 <= n <= len(classes)})
    if bad:
        raise ValidationError({"mapping": f"档次 {bad} 不存在（共{len(classes)}档）。"})
    version = MinimumWageVersion.objects.create(effective_from=effective_from, document=document)
    created = {
        n: MinimumWageClass.objects.create(version=version, number=n, monthly=m, hourly=h)
        for n, (m, h) in enumerate(classes, start=1)
    }
    DistrictWageClass.objects.bulk_create(
        [DistrictWageClass(version=version, district=d, wage_class=created[mapping[d.pk]]) for d in districts]
    )
    audit("wage.version_create", user=by, obj=version, detail={"effective_from": effective_from.isoformat()})
    floor_may_have_risen.send(sender=MinimumWageVersion, since=effective_from, region_id=None, by=by)
    return version


def append_rule_version(model, *, values: dict, valid_from: date, valid_to: date | None, document: str, by: User):
    """Append a version to one series of an effective-dated rule (DESIGN.md, Subsidy rules: editable
    by admins, history kept): `values` holds the series' fields (`model.series`) and the version's
    own. The new version must start after the series' latest, which is closed the day before if it
    was still open; no version is ever edited over. Callers check who may and clean the values;
    this runs inside their transaction, the series locked."""
    series = {name: values[name] for name in model.series}
    latest = model.objects.select_for_update().filter(**series).order_by("-valid_from").first()
    if latest is not None and valid_from <= latest.valid_from:
        raise ValidationError(
            {
                "valid_from": f"新版本的生效日期必须晚于现行版本的生效日期 "
                f"{latest.valid_from:%Y-%m-%d}；已有版本不能修改，只能新增。"
            }
        )
    if latest is not None and (latest.valid_to is None or latest.valid_to >= valid_from):
        latest.valid_to = valid_from - timedelta(days=1)
        latest._history_user = by
        latest._change_reason = f"新版本自{valid_from:%Y-%m-%d}起执行"
        latest.save(update_fields=["valid_to"])
    row = model(
        valid_from=valid_from, valid_to=valid_to, document=(document or "").strip()[:100], created_by=by, **values
    )
    row._history_user = by
    row.save()
    return row


def _clean_floor_ratio(value) -> Decimal:
    """A ratio of the minimum wage: 0 to 10, at most two decimals (0.60 is the notice's 60%)."""
    if isinstance(value, bool) or value is None or str(value).strip() == "":
        raise ValidationError({"ratio": "请填写最低比例（当地月最低工资标准的倍数，如 0.60）。"})
    try:
        ratio = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError({"ratio": f"最低比例必须是数字（如 0.60），收到“{value}”。"}) from None
    if not ratio.is_finite():
        raise ValidationError({"ratio": f"最低比例必须是数字（如 0.60），收到“{value}”。"})
    if ratio < 0 or ratio > FLOOR_RATIO_MAX:
        raise ValidationError(
            {"ratio": f"最低比例应在0至{FLOOR_RATIO_MAX}之间（当地月最低工资标准的倍数），收到 {ratio}。"}
        )
    if ratio.normalize().as_tuple().exponent < -2:
        raise ValidationError({"ratio": f"最低比例最多保留两位小数，收到 {ratio}。"})
    return ratio


@transaction.atomic
def allowance_floor_rule_add(
    *, by: User, ratio, valid_from, valid_to=None, region_id=None, category: str = "", document: str = ""
) -> AllowanceFloorRule:
    """Add a version of the living-allowance floor (DESIGN.md, Subsidy rules): the province's (admins,
    `region_id` None) or a city's own higher floor (admins, or that city's staff), for every category
    or one. Versions are append-only within their series (region, category): the new one starts after
    the latest, which is closed the day before. Agreements that now fall below are listed and their
    unit and city told (`floor_may_have_risen`)."""
    if not (by.is_authenticated and (by.is_admin or by.is_city)):
        raise PermissionDenied("只有系统管理员或市（州）经办人员可以设定生活补贴下限。")
    region_id = int(region_id) if region_id not in (None, "") else None
    if not may(by, "jianxi_portal.add_allowancefloorrule", {"region_id": region_id}):
        if region_id is None:
            raise PermissionDenied("全省的生活补贴下限由系统管理员设定；市（州）只能为本市（州）设定更高的下限。")
        raise PermissionDenied("只能为本市（州）设定生活补贴下限。")
    if region_id is not None and not Region.objects.filter(pk=region_id).exists():
        raise ValidationError({"region": "请选择市（州）。"})
    category = (category or "").strip()
    if category and category not in TraineeCategory.values:
        raise ValidationError({"category": f"未知的人员类别“{category}”。"})
    if not isinstance(valid_from, date):
        raise ValidationError({"valid_from": "请填写生效日期。"})
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": f"失效日期 {valid_to:%Y-%m-%d} 不能早于生效日期 {valid_from:%Y-%m-%d}。"})
    cleaned = _clean_floor_ratio(ratio)
    rule = append_rule_version(
        AllowanceFloorRule,
        values={"region_id": region_id, "category": category, "ratio": cleaned},
        valid_from=valid_from,
        valid_to=valid_to,
        document=document,
        by=by,
    )
    audit(
        "allowance_floor.add",
        user=by,
        obj=rule,
        detail={
            "region_id": region_id,
            "category": category,
            "ratio": str(cleaned),
            "valid_from": valid_from.isoformat(),
        },
    )
    floor_may_have_risen.send(sender=AllowanceFloorRule, since=valid_from, region_id=region_id, by=by)
    return rule
