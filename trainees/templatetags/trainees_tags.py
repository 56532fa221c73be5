from django import template
from django.utils import timezone

from jianxi_portal.core.workflow import label_of

register = template.Library()


@register.filter
def event_label(action: str) -> str:
    """The Chinese name of a logged placement or internship event."""
    return label_of(action, "trainees.placement", "trainees.internship")


@register.filter
def insurance_gap(placement) -> str:
    """The placement's days on duty without accident insurance, up to today ("" when none)."""
    return placement.insurance_gap_text(timezone.localdate())
