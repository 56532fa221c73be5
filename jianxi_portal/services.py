"""Writes with rules for the core: quotas (Annex 1), minimum-wage versions, calendar overrides."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jianxi_portal.audit import audit
from jianxi_portal.models import AnnualQuota, User

QUOTA_FIELDS = {"post_quota": "岗位募集指标", "trainee_quota": "组织见习人员指标"}


def ensure_admin(user: User) -> None:
    if not (user.is_authenticated and user.is_admin):
        raise PermissionDenied("只有系统管理员可以修改。")


def _clean_quota_value(field: str, value) -> int:
    label = QUOTA_FIELDS[field]
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


@transaction.atomic
def quota_update(*, quota_id: int, by: User, **values) -> AnnualQuota:
    """Change a region's Annex 1 quota for a year. Admins only; every change is kept in the quota's
    history (who, when, old and new values) and in the audit log."""
    ensure_admin(by)
    unknown = set(values) - set(QUOTA_FIELDS)
    if unknown:
        raise ValidationError({name: "该字段不可修改。" for name in unknown})
    cleaned = {field: _clean_quota_value(field, value) for field, value in values.items()}
    quota = AnnualQuota.objects.select_for_update().get(pk=quota_id)
    before = {field: getattr(quota, field) for field in cleaned}
    for field, value in cleaned.items():
        setattr(quota, field, value)
    quota._history_user = by
    quota.save()
    audit("quota.update", user=by, obj=quota, detail={"before": before, "after": cleaned})
    return quota


@transaction.atomic
def calendar_override_save(*, by: User, date, kind: str, note: str = ""):
    """Enter or change one date of the holiday arrangement (admins only; history kept); the stored
    deadlines whose window contains the date are recomputed (`deadlines.calendar_change`)."""
    from jianxi_portal.deadlines import calendar_change
    from jianxi_portal.models import CalendarOverride

    ensure_admin(by)
    with calendar_change([date.year], by=by) as change:
        override = CalendarOverride.objects.filter(date=date).first() or CalendarOverride(date=date)
        override.kind, override.note, override._history_user = kind, note, by
        override.save()
    audit("calendar.override", user=by, obj=override,
          detail={"date": date.isoformat(), "kind": kind, "deadlines_moved": len(change.deadlines)})
    return override


@transaction.atomic
def calendar_override_delete(*, by: User, override_id: int) -> None:
    from jianxi_portal.deadlines import calendar_change
    from jianxi_portal.models import CalendarOverride

    ensure_admin(by)
    override = CalendarOverride.objects.get(pk=override_id)
    audit("calendar.override_delete", user=by, obj=override, detail={"date": override.date.isoformat()})
    with calendar_change([override.date.year], by=by):  # each moved deadline is audited on its own
        override._history_user = by
        override.delete()


def parse_wage_classes(text: str) -> list[tuple]:
    """'2120,21' per line → [(Decimal monthly, Decimal hourly)], highest class first."""
    from decimal import Decimal, InvalidOperation

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
    from jianxi_portal.models import District, DistrictWageClass, MinimumWageClass, MinimumWageVersion

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
    return version
