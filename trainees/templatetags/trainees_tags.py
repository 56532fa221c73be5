from django import template

from trainees.services.events import EVENT_LABELS

register = template.Library()

EXTRA_LABELS = {"mentor": "指定带教老师", "intern": "登记实习", "end": "实习结束"}


@register.filter
def event_label(action: str) -> str:
    """The Chinese name of a logged placement or internship event."""
    return EVENT_LABELS.get(action) or EXTRA_LABELS.get(action, action)
