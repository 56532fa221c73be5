"""Two-factor sign-in (SECURITY.md, item 2; GB/T 22239-2019 §8.1.4.1 d: two or more authentication
techniques for administrators) with django-otp: a TOTP authenticator app enrolled in the browser
(QR code drawn on the server as inline SVG, no external service), and 10 single-use recovery codes
(a django-otp static device; stored as keyed digests, shown once).

Required for admin, province and city staff (`User.is_bureau_staff`): `session_policy` sends a
signed-in staff member whose session is not verified to enrolment or verification first.

A session is verified when django-otp's session key holds the device that verified it. That key is
trusted without a database read on each request: removing a person's devices (`two_factor_reset`)
revokes all their sessions, so a stale key cannot outlive its device.

A password alone never reaches a second factor (SECURITY.md item 2, the takeover case): enrolment
(`enrolment_confirm`) is open only to an account without a confirmed device — its first sign-in,
or after an admin's audited `two_factor_reset` — and never removes a confirmed device; replacing an
authenticator (`authenticator_replace`) needs a verified session and, at that moment, the current
authenticator's code or a recovery code. Both are audited and end the account's other sessions and
API tokens."""

import secrets
from base64 import b32encode

import segno
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.events import revoke_sessions_and_tokens
from jianxi_portal.core.audit import audit
from jianxi_portal.core.crypto import digest, digests

RECOVERY_CODE_COUNT = 10
TOTP_NAME = "身份验证器"
RECOVERY_NAME = "恢复码"


def needs_two_factor(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_bureau_staff)


def is_verified(request) -> bool:
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


def has_device(user) -> bool:
    """Enrolled: a confirmed authenticator, or recovery codes left to verify with. Such an account
    verifies (and may then replace its authenticator); only an account without one enrols."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or StaticToken.objects.filter(device__user=user, device__confirmed=True).exists()
    )


def pending_device(user) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled (one at a time; a new key each enrolment)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URI as an inline SVG QR code, drawn here (no external service sees the key)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=2, title="双因素认证二维码")


def manual_key(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app without a camera."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _normalise(token: str) -> str:
    return "".join((token or "").split()).replace("-", "").lower()


def _is_app_code(cleaned: str) -> bool:
    """An authenticator app's code (6 digits; RFC 6238 allows up to 8), as opposed to a recovery code
    (10 hex characters, which may happen to be all digits: about one code in a hundred)."""
    return cleaned.isdigit() and len(cleaned) <= 8


def _recovery_digest(code: str) -> str:
    # StaticToken.token holds 16 characters: a 64-bit prefix of a keyed hash, never the code itself.
    return digest(f"otp-recovery:{_normalise(code)}")[:16]


def _recovery_token(device, code: str) -> str:
    """What `device` stores for `code`: its digest under whichever key of the field-key ring it was
    issued (SECURITY.md: Rotating the field-encryption key), else under the current key. One
    `verify_token` call per attempt, so django-otp's throttling counts attempts, not keys."""
    candidates = [d[:16] for d in digests(f"otp-recovery:{_normalise(code)}")]
    stored = set(device.token_set.filter(token__in=candidates).values_list("token", flat=True))
    return next((c for c in candidates if c in stored), candidates[0])


def recovery_codes_reset(user) -> list[str]:
    """Replace the person's recovery codes with 10 new ones; the codes are returned once, here."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = secrets.token_hex(5)
        codes.append(f"{raw[:5]}-{raw[5:]}")
        StaticToken.objects.create(device=device, token=_recovery_digest(raw))
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _lock_account(user):
    """Enrolment, replacement and reset of one account run one at a time (a row lock on the user):
    two pending enrolments cannot both see "no confirmed device"."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


STALE = "绑定已失效，请刷新页面重新扫描二维码。"
WRONG_NEW = "验证码不正确：请输入身份验证器上当前显示的 6 位数字（注意手机时间须准确）。"
WRONG_CURRENT = "当前身份验证器的验证码或恢复码不正确；连续输错后需稍等片刻再试。"


def _check_new(user, device_id: int, token: str):
    """The pending authenticator if `token` is its current code, else the field error."""
    device = TOTPDevice.objects.select_for_update().filter(pk=device_id, user=user, confirmed=False).first()
    if device is None:
        return None, ("token", STALE, "stale")
    if not device.verify_token(_normalise(token)):
        return None, ("token", WRONG_NEW, "new_code")
    return device, None


def _adopt(request, device: TOTPDevice, *, reason: str) -> list[str]:
    """The confirmed `device` becomes the account's only authenticator: the rest (pending keys and,
    after a proven replacement, the old one) go, 10 new recovery codes are issued, this session is
    verified by it and every other session and API token of the account ends (the view keeps this
    session, `session_policy.keep_current_session`)."""
    user = request.user
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = recovery_codes_reset(user)
    revoke_sessions_and_tokens(user, reason=reason)
    otp_login(request, device)
    return codes


def _refuse(event: str, failure: tuple[str, str, str]):
    # Audited after the transaction: the refusal is kept, and so are django-otp's throttling counters.
    field, message, step = failure
    audit(event, result="failed", detail={"step": step})
    raise ValidationError({field: message})


class AlreadyEnrolled(Exception):
    """The account has a confirmed device: it verifies, it does not enrol (`authenticator_replace`)."""


def enrolment_confirm(request, *, device_id: int, token: str) -> list[str]:
    """First enrolment (no confirmed device: first sign-in or after an admin's reset): confirm the
    pending authenticator with a code from the app; 10 recovery codes are returned once. Raises
    `AlreadyEnrolled` when the account has a confirmed device — a password alone never replaces it."""
    user, codes = request.user, None
    with transaction.atomic():
        _lock_account(user)
        enrolled = has_device(user)
        device, failure = (None, None) if enrolled else _check_new(user, device_id, token)
        if device is not None:
            codes = _adopt(request, device, reason="two_factor_enrol")
            audit("2fa.enrol", obj=device)
    if enrolled:
        audit("2fa.enrol", result="denied", detail={"reason": "already_enrolled"})
        raise AlreadyEnrolled
    if failure:
        _refuse("2fa.enrol", failure)
    return codes


def _current_factor(user, current: str) -> str:
    """Which factor the person proved now ("totp" or "recovery"; a recovery code is used up), or ""."""
    cleaned = _normalise(current)
    if _is_app_code(cleaned):
        devices = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
        return "totp" if any(d.verify_token(cleaned) for d in devices) else ""
    if cleaned:
        devices = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
        return "recovery" if any(d.verify_token(_recovery_token(d, cleaned)) for d in devices) else ""
    return ""


def authenticator_replace(request, *, device_id: int, token: str, current: str) -> list[str]:
    """Replace the authenticator of a verified session: `current` is a code of the authenticator in
    use or a recovery code (a lost phone), `token` a code of the new one. The old authenticator is
    removed only after that proof; 10 new recovery codes are returned once."""
    user, codes = request.user, None
    with transaction.atomic():
        _lock_account(user)
        device, failure = _check_new(user, device_id, token)
        method = _current_factor(user, current) if device is not None else ""
        if device is not None and not method:
            failure = ("current", WRONG_CURRENT, "current_code")
        if method:
            codes = _adopt(request, device, reason="two_factor_replace")
            audit("2fa.replace", obj=device, detail={"method": method})
    if failure:
        _refuse("2fa.replace", failure)
    return codes


def verify(request, token: str):
    """Check a 6-digit code from the app or a recovery code; on success the session is verified.
    Wrong codes are throttled by django-otp (growing delays per device) and audited."""
    user, cleaned = request.user, _normalise(token)
    device, method = None, ""
    with transaction.atomic():
        if _is_app_code(cleaned):
            method = "totp"
            for candidate in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
                if candidate.verify_token(cleaned):
                    device = candidate
                    break
        elif cleaned:
            method = "recovery"
            for candidate in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
                if candidate.verify_token(_recovery_token(candidate, cleaned)):
                    device = candidate
                    break
    if device is None:
        audit("2fa.failure", result="failed", detail={"method": method})
        return None
    otp_login(request, device)
    detail = {"method": method}
    if method == "recovery":
        detail["recovery_codes_left"] = recovery_codes_left(user)
    audit("2fa.verify", obj=device, detail=detail)
    return device


def verify_token_for(user, token: str) -> bool:
    """The same check for the API token endpoint (no session): an app code or a recovery code."""
    with transaction.atomic():
        return bool(_current_factor(user, token))


@transaction.atomic
def two_factor_reset(*, user, by) -> None:
    """An admin removes a person's authenticator and recovery codes (lost phone). Their sessions
    and API tokens are revoked; on the next sign-in they enrol again."""
    if not (by.is_authenticated and by.is_admin):
        raise PermissionDenied("只有系统管理员可以重置双因素认证。")
    _lock_account(user)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    revoke_sessions_and_tokens(user, reason="two_factor_reset")
    audit("2fa.reset", user=by, obj=user)


def verify_test_client(client, user) -> None:
    """For tests (the root conftest's `client_for`): give a signed-in staff test client a confirmed
    authenticator and a verified session, as if the person had typed the code."""
    if not needs_two_factor(user):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
