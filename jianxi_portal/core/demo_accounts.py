"""The demo's accounts (`manage.py load_demo`): one password for all, and for staff one shared
authenticator key, so a reviewer can sign in as any role. Apps' `demo` modules create their own
accounts with `demo_user` (units: the employers of its demo units)."""

import base64

from django_otp.plugins.otp_totp.models import TOTPDevice

from jianxi_portal.core.models import User

DEMO_PASSWORD = "Jianxi@Demo2026"  # 15 characters, 4 classes: meets the password policy
# Staff sign in with a second factor. Demo staff accounts share this authenticator key, so a
# reviewer can add it to any TOTP app (or print the current code with `manage.py demo_otp`).
DEMO_TOTP_KEY = b"jianxi-demo-totp-key"
DEMO_DEVICE_NAME = "演示身份验证器"


def demo_user(username, role, *, region=None, first_name="", **extra) -> User:
    """The demo account `username` with `role`, its password reset to the demo's."""
    user, _ = User.objects.update_or_create(
        username=username, defaults={"role": role, "region": region, "first_name": first_name, **extra}
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    if role in (User.Role.ADMIN, User.Role.PROVINCE, User.Role.CITY):
        TOTPDevice.objects.update_or_create(
            user=user, name=DEMO_DEVICE_NAME, defaults={"key": DEMO_TOTP_KEY.hex(), "confirmed": True}
        )
    return user


def demo_totp_secret() -> str:
    """The demo key as authenticator apps take it (base32)."""
    return base64.b32encode(DEMO_TOTP_KEY).decode()
