from django import template
from django.utils import timezone

from trainees.services.events import EVENT_LABELS

register = template.Library()

EXTRA_LABELS = {"mentor": "指定带教老师", "intern": "登记实习", "end": "实习结束"}


@register.filter
def event_label(action: str) -> str:
    """The Chinese name of a logged placement or internship event."""
    return EVENT_LABELS.get(action) or EXTRA_LABELS.get(action, action)


@register.filter
def insurance_gap(placement) -> str:
    """The placement's days on duty without accident insurance, up to today ("" when none)."""
    return placement.insurance_gap_text(timezone.localdate())
