"""Small rules shared by the trainee services: the refusal of who may not act on a placement, and event dates."""

from datetime import date

from django.core.exceptions import ValidationError

from jianxi_portal.core.models import User
from jianxi_portal.core.permissions import ensure_perm


def fmt(day: date | None) -> str:
    return f"{day:%Y-%m-%d}" if day else "—"


def ensure_can_manage_placement(user: User, placement, action: str = "change") -> None:
    """`trainees.<action>_placement` (trainees.permissions): the placement's unit, or city staff of its region."""
    ensure_perm(
        user,
        f"trainees.{action}_placement",
        placement,
        message="只有该见习单位或所在市（州）经办人员可以办理此见习协议。",
    )


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
