"""What follows from account events: a password change or a logout revokes the person's other
sessions and every API token; role and permission changes are audited (ids and codes only)."""

from django.utils import timezone

from accounts.models import ApiToken
from jianxi_portal.core.audit import audit
from jianxi_portal.core.middleware import current_request
from jianxi_portal.core.models import User


def revoke_sessions_and_tokens(user, *, reason: str) -> int:
    """Every session of `user` that started before now becomes invalid (checked on its next request
    by `session_policy`), and every active API token is revoked. Returns the tokens revoked."""
    now = timezone.now()
    User.objects.filter(pk=user.pk).update(sessions_valid_from=now)
    user.sessions_valid_from = now
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    if revoked:
        audit("token.revoke_all", obj=user, detail={"reason": reason, "count": revoked})
    return revoked


def credentials_changed(user) -> None:
    """After `User.save()` stored a new password (any path: the change page, an admin's reset, a
    management command), through the core's `user_saved` signal (accounts.signals)."""
    revoke_sessions_and_tokens(user, reason="password_change")
    audit("password.change", user=_actor(user), obj=user)


def _actor(user):
    request = current_request()
    actor = getattr(request, "user", None) if request is not None else None
    return actor if actor is not None and actor.is_authenticated else user


def _value(value):
    return value if value is None or isinstance(value, bool | int | str) else str(value)


def audit_role_change(user, loaded: dict | None, *, adding: bool) -> None:
    fields = user.AUDITED_FIELDS
    if adding:
        # Accounts created through the site or the admin; fixtures and commands run without a request.
        if current_request() is not None:
            audit("user.create", obj=user, detail={name: _value(getattr(user, name)) for name in fields})
        return
    if loaded is None:
        return
    changes = {
        name: [_value(loaded.get(name)), _value(getattr(user, name))]
        for name in fields
        if name in loaded and loaded[name] != getattr(user, name)
    }
    if changes:
        audit("user.permission_change", obj=user, detail={"changes": changes})


def audit_m2m_change(sender, instance, action, pk_set, model, **kwargs) -> None:
    """Groups and individual permissions granted to or taken from an account."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    audit(
        "user.permission_change",
        obj=instance,
        detail={"relation": model._meta.model_name, "action": action[5:], "ids": sorted(pk_set or [])},
    )
