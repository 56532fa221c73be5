"""`{% load personal %}{% personal obj "phone" %}`: an ID number, phone or bank account as the
signed-in person may see it (full and audited for a holder, masked for others; see
`jianxi_portal.core.personal`). `{% personal obj "id_number" as shown %}` keeps the result, whose
`.full` says whether the full value was shown."""

from django import template

from jianxi_portal.core.personal import Shown, shown

register = template.Library()


@register.simple_tag(takes_context=True, name="personal")
def personal_value(context, obj, name: str) -> Shown:
    if obj is None:
        return Shown("")
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return shown(user, obj, name, via="page")
