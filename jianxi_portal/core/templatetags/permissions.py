"""`{% may "units.change_unit" user unit as may_change %}`: the page shows an action by the same
per-record permission the service refuses by (jianxi_portal.core.permissions.may).

Not django-rules' own `{% has_perm %}`: that asks `User.has_perm`, which lets a superuser through
whatever the rule says, and the portal's admin is not a city's reviewer."""

from django import template

from jianxi_portal.core.permissions import may as _may

register = template.Library()


@register.simple_tag
def may(perm, user, obj=None) -> bool:
    return _may(user, perm, obj)
