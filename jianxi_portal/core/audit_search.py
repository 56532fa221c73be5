"""The province auditors' view of the audit log: search (user, event, result, date range in
Beijing time) and an .xlsx export written row by row (openpyxl write-only mode, bounded memory).
The workbook neutralises text a spreadsheet would read as a formula (`spreadsheets.py`), so an
attacker-chosen username such as `=HYPERLINK(...)` stays text."""

import json
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from jianxi_portal.core.audit import RESULTS, event_label, object_label
from jianxi_portal.core.models import AuditLog, Region, User
from jianxi_portal.core.spreadsheets import Workbook

EXPORT_LIMIT = 200_000
ROLES = dict(User.Role.choices)
HEADERS = [
    "时间（北京时间）",
    "用户",
    "角色",
    "市（州）",
    "IP",
    "请求号",
    "事件",
    "事件代码",
    "对象类型",
    "对象",
    "结果",
    "详情",
]


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_search(
    *, username: str = "", event: str = "", result: str = "", date_from: date | None = None, date_to: date | None = None
) -> QuerySet:
    """Rows matching every given filter, newest first. Dates are Beijing calendar days, inclusive."""
    qs = AuditLog.objects.all()
    if username:
        qs = qs.filter(username__icontains=username.strip())
    if event:
        qs = qs.filter(event__startswith=event.strip())
    if result:
        qs = qs.filter(result=result)
    if date_from:
        qs = qs.filter(at__gte=_start_of(date_from))
    if date_to:
        qs = qs.filter(at__lt=_start_of(date_to + timedelta(days=1)))
    return qs.order_by("-at", "-pk")


def local_time(value: datetime) -> str:
    """2026-11-27 12:30:05 +08:00: the time as the auditor reads it, with its offset."""
    local = timezone.localtime(value)
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M:%S} {offset[:3]}:{offset[3:]}"


def region_names() -> dict[str, str]:
    return dict(Region.objects.values_list("code", "name"))


def labels(row: AuditLog, regions: dict[str, str]) -> dict:
    """Chinese names of a row's role, region, event, object and result (`regions`: code → name)."""
    return {
        "role": ROLES.get(row.role, row.role),
        "event": event_label(row.event),
        "region": regions.get(row.region_code, row.region_code),
        "object": object_label(row.object_type, row.object_id),
        "result": RESULTS.get(row.result, row.result),
    }


def export_row(row: AuditLog, regions: dict[str, str]) -> list:
    return [
        local_time(row.at),
        row.username,
        ROLES.get(row.role, row.role),
        regions.get(row.region_code, row.region_code),
        row.ip or "",
        row.request_id,
        event_label(row.event),
        row.event,
        object_label(row.object_type, ""),
        row.object_id,
        RESULTS.get(row.result, row.result),
        json.dumps(row.detail, ensure_ascii=False, sort_keys=True) if row.detail else "",
    ]


def audit_xlsx(qs: QuerySet) -> tuple[bytes, int]:
    """The rows of `qs` (at most EXPORT_LIMIT) as an .xlsx file; returns the bytes and the row count."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("审计日志")
    sheet.append(HEADERS)
    count, regions = 0, region_names()
    for row in qs[:EXPORT_LIMIT].iterator(chunk_size=2000):
        sheet.append(export_row(row, regions))
        count += 1
    return workbook.to_bytes(), count
