"""Small rules shared by the trainee services: who manages a placement, and event dates."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jianxi_portal.core.models import User


def local_today() -> date:
    return timezone.localdate()


def fmt(day: date | None) -> str:
    return f"{day:%Y-%m-%d}" if day else "—"


def can_manage_placement(user: User, placement) -> bool:
    """The employer of the placement's unit, or city staff of its region (offline channel)."""
    if not (user and user.is_authenticated):
        return False
    if user.is_employer:
        return user.unit_id is not None and user.unit_id == placement.unit_id
    return user.is_city and user.region_id == placement.region_id


def ensure_can_manage_placement(user: User, placement) -> None:
    if not can_manage_placement(user, placement):
        raise PermissionDenied("只有该见习单位或所在市（州）经办人员可以办理此见习协议。")


def ensure_date(value, *, field: str, label: str, today: date, not_before: tuple[date, str] | None = None) -> date:
    """An event date: present, not after today, and not before the previous event's date."""
    if value is None:
        raise ValidationError({field: f"请填写{label}。"})
    if not isinstance(value, date):
        raise ValidationError({field: f"{label}格式应为 YYYY-MM-DD。"})
    if value > today:
        raise ValidationError({field: f"{label} {fmt(value)} 晚于今天 {fmt(today)}：不能登记未来的日期。"})
    if not_before is not None and value < not_before[0]:
        raise ValidationError({field: f"{label} {fmt(value)} 早于{not_before[1]} {fmt(not_before[0])}。"})
    return value


def clean_text(value, *, field: str, label: str, max_length: int, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: f"请填写{label}。"})
    if len(text) > max_length:
        raise ValidationError({field: f"{label}不能超过{max_length}个字。"})
    return text
