"""Sign-in events go to the audit trail; logout revokes the person's other sessions and API tokens
(SECURITY.md item 2); a stored new password does too (`User.save`, through
`jianxi_portal.core.signals.user_saved`); role, group and permission changes are audited."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from accounts import session_policy  # noqa: F401  (its login receiver stamps the session)
from accounts.events import audit_m2m_change, audit_role_change, credentials_changed, revoke_sessions_and_tokens
from jianxi_portal.core.audit import audit
from jianxi_portal.core.models import User
from jianxi_portal.core.signals import user_saved


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit("login.success", user=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit("logout", user=user)
        revoke_sessions_and_tokens(user, reason="logout")


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    audit("login.failure", result="failed", detail={"username": credentials.get("username", "")[:150]})


m2m_changed.connect(audit_m2m_change, sender=User.groups.through, dispatch_uid="audit_user_groups")
m2m_changed.connect(audit_m2m_change, sender=User.user_permissions.through, dispatch_uid="audit_user_permissions")


@receiver(user_saved, dispatch_uid="accounts_user_saved")
def _user_saved(sender, *, user, adding, password_changed, loaded, **kwargs):
    """A stored new password ends the person's other sessions and revokes their tokens; role and
    permission changes are audited (SECURITY.md item 2)."""
    if password_changed and not adding:
        credentials_changed(user)
    audit_role_change(user, loaded, adding=adding)
