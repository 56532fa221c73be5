"""Sign-in events go to the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from jianxi_portal.audit import audit


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit("login.success", user=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit("logout", user=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    audit("login.failure", result="failed", detail={"username": credentials.get("username", "")[:150]})
