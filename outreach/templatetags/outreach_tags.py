"""Template helpers of outreach: the demonstration-unit mark of the unit directory (one query per
page, whatever the number of units shown)."""

from django import template

from outreach.demonstration import nominated_unit_ids

register = template.Library()


@register.simple_tag(takes_context=True)
def nominated_units(context) -> dict[int, int]:
    """Unit id → latest year nominated as a demonstration unit; read once per request."""
    request = context.get("request")
    cached = getattr(request, "_outreach_nominated", None) if request is not None else None
    if cached is None:
        cached = nominated_unit_ids()
        if request is not None:
            request._outreach_nominated = cached
    return cached


@register.filter
def lookup(mapping, key):
    return mapping.get(key) if mapping else None
