"""The password policy (SECURITY.md, item 2; GB/T 22239-2019 §8.1.4.1 a: identification with complex,
regularly changed passwords), as Django password validators with Chinese messages:

- at least 12 characters, with 3 of the 4 classes (lower case, upper case, digits, symbols);
- not a common password, nor a common word dressed up with digits and symbols ("Password2026!");
- not like the username or the person's name;
- staff (admin, province, city) may not reuse any of their last 5 passwords, and must change the
  password every 90 days (`password_expired`, enforced by `session_policy`).

They are wired in settings.AUTH_PASSWORD_VALIDATORS, so every form that sets a password (the
change page, the admin, `createsuperuser`) applies them."""

import hashlib
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import CommonPasswordValidator as DjangoCommonPasswordValidator
from django.contrib.auth.password_validation import (
    UserAttributeSimilarityValidator as DjangoSimilarityValidator,
)
from django.contrib.auth.password_validation import get_default_password_validators
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import PasswordHistory
from jianxi_portal.core.audit import audit

CLASSES = (
    ("小写字母", re.compile(r"[a-z]")),
    ("大写字母", re.compile(r"[A-Z]")),
    ("数字", re.compile(r"[0-9]")),
    ("符号", re.compile(r"[^a-zA-Z0-9]")),
)

# Common in Chinese password leaks and not in Django's list (which is lower-cased English-centric).
EXTRA_COMMON = {
    "woaini",
    "woaini1314",
    "iloveyou",
    "5201314",
    "1314520",
    "qwertyuiop",
    "1qaz2wsx",
    "1qaz2wsx3edc",
    "qazwsx",
    "zxcvbnm",
    "asdfghjkl",
    "abc123456",
    "a123456789",
    "aa123456",
    "admin123",
    "root1234",
    "jilin",
    "changchun",
    "jianxi",
    "rensheju",
    "renshe",
    "gongzuo",
    "mima",
    "mima123",
    "zhongguo",
    "china",
    "beijing",
    "password",
    "passw0rd",
    "p@ssw0rd",
    "p@ssword",
    "admin",
    "administrator",
    "welcome",
    "qwerty",
    "letmein",
    "abcdefg",
    "abcdef",
    "12345678",
    "123456789",
    "1234567890",
}
_EDGE = re.compile(r"^[^a-zA-Z]+|[^a-zA-Z]+$")
_LEET = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "3": "e", "$": "s", "5": "s", "7": "t"})


class MinimumLengthValidator:
    def __init__(self, min_length: int = 12):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                f"密码太短：至少需要 {self.min_length} 个字符，当前只有 {len(password)} 个。", code="password_too_short"
            )

    def get_help_text(self):
        return f"至少 {self.min_length} 个字符。"


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        present = [name for name, pattern in CLASSES if pattern.search(password)]
        if len(present) < self.min_classes:
            missing = "、".join(name for name, pattern in CLASSES if name not in present)
            raise ValidationError(
                f"密码须包含小写字母、大写字母、数字、符号四类中的至少 {self.min_classes} 类（还缺：{missing}）。",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"须包含小写字母、大写字母、数字、符号中的至少 {self.min_classes} 类。"


class CommonPasswordValidator(DjangoCommonPasswordValidator):
    """Django's list of 20,000 common passwords plus common Chinese ones; also refuses a common word
    with digits or symbols around it ("Password2026!", "Woaini@1314") and simple leetspeak."""

    def validate(self, password, user=None):
        candidates = _variants(password)
        if any(c in self.passwords or c in EXTRA_COMMON for c in candidates):
            raise ValidationError(
                "该密码过于常见（或只是在常见密码前后加了数字、符号），请换一个。", code="password_too_common"
            )

    def get_help_text(self):
        return "不能是常见密码，也不能只在常见单词前后加数字或符号。"


def _variants(password: str) -> set[str]:
    lowered = password.lower().strip()
    core = _EDGE.sub("", lowered)
    variants = {lowered, lowered.translate(_LEET)}
    if len(core) >= 4:
        variants |= {core, _EDGE.sub("", lowered.translate(_LEET))}
    return {v for v in variants if v}


class UserAttributeSimilarityValidator(DjangoSimilarityValidator):
    """Django's similarity test (username, name, e-mail), plus: the password may not contain the
    username (3+ characters) at all."""

    def validate(self, password, user=None):
        if user is None:
            return
        username = (getattr(user, "username", "") or "").lower()
        if len(username) >= 3 and username in password.lower():
            raise ValidationError("密码不能包含用户名。", code="password_too_similar")
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError("密码与用户名、姓名或电子邮箱过于相似。", code="password_too_similar") from None

    def get_help_text(self):
        return "不能与用户名、姓名或电子邮箱相似。"


class PasswordHistoryValidator:
    """Staff may not reuse any of their last `keep` passwords (SECURITY.md, item 2). Every user's new password
    hash is recorded when it is saved (`password_changed`), so the rule holds from the day a person
    becomes staff."""

    def __init__(self, keep: int = 5):
        self.keep = keep

    def validate(self, password, user=None):
        if user is None or not user.pk or not getattr(user, "is_bureau_staff", False):
            return
        recent = list(user.password_history.values_list("password", flat=True)[: self.keep])
        if user.password and user.password not in recent:
            recent.insert(0, user.password)
        if any(check_password(password, encoded) for encoded in recent[: self.keep]):
            raise ValidationError(f"不能使用最近 {self.keep} 次用过的密码。", code="password_reused")

    def password_changed(self, password, user=None):
        if user is None or not user.pk or not user.password:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = user.password_history.values_list("pk", flat=True)[self.keep :]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self):
        return f"不能使用最近 {self.keep} 次用过的密码。"

    staff_only = True  # password_rules_text leaves it out for employers and young people


def password_rules_text(*, staff: bool) -> str:
    """The site's password rules in their own words (settings.AUTH_PASSWORD_VALIDATORS), each a
    whole sentence, for the help text of a form that sets a password: the rules that bind staff
    alone are left out for employers and young people."""
    return "".join(
        v.get_help_text() for v in get_default_password_validators() if staff or not getattr(v, "staff_only", False)
    )


def password_max_age() -> timedelta:
    return timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)


def password_expired(user, now=None) -> bool:
    """Staff whose password is older than PASSWORD_MAX_AGE_DAYS (90) must change it first."""
    if not getattr(user, "is_bureau_staff", False):
        return False
    try:
        changed = user.password_changed_at
    except (AttributeError, FieldDoesNotExist):
        return False
    return changed is None or changed + password_max_age() <= (now or timezone.now())


def password_age_days(user, now=None) -> int | None:
    changed = getattr(user, "password_changed_at", None)
    if changed is None:
        return None
    return ((now or timezone.now()) - changed).days


TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def temporary_password() -> str:
    """16 random characters from letters and digits that cannot be confused (no 0/O, 1/l/I), with a
    symbol, so every class rule holds and no common-password rule can match."""
    while True:
        core = "".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(14))
        if re.search(r"[a-z]", core) and re.search(r"[A-Z]", core) and re.search(r"[0-9]", core):
            return f"{core[:7]}-{core[7:]}!"


def password_reset_by_admin(*, user, by) -> str:
    """An admin's reset of a staff member's forgotten password (SECURITY.md: signing in): a temporary
    password, shown once to the admin, already expired so the person must choose their own at the
    next sign-in; the person's sessions and API tokens end (`User.save`). Audited without the value."""
    if not getattr(by, "is_admin", False):
        raise PermissionDenied("只有系统管理员可以重置工作人员的密码。")
    password = temporary_password()
    user.set_password(password)
    user.password_changed_at = timezone.now() - password_max_age() - timedelta(days=1)
    user.save()
    audit("password.admin_reset", user=by, obj=user)
    return password


# 忘记密码 requests (SECURITY.md, "Password reset"): at most this many per e-mail address and per
# client address in each clock hour; past either, no mail is sent and the answer stays the same.
RESET_REQUESTS_PER_ADDRESS = 5
RESET_REQUESTS_PER_CLIENT = 20


def password_reset_request_allowed(email: str, client_ip: str | None) -> bool:
    """Counts one reset request for `email` and `client_ip` in the current hour (the cache: Redis in
    production) and says whether both are within their limits. The address is kept as a digest."""
    hour = timezone.now().strftime("%Y%m%d%H")
    mail = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    counts = []
    for key in (f"password-reset:mail:{mail}:{hour}", f"password-reset:client:{client_ip or '-'}:{hour}"):
        cache.add(key, 0, timeout=2 * 3600)
        try:
            counts.append(cache.incr(key))
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=2 * 3600)
            counts.append(1)
    return counts[0] <= RESET_REQUESTS_PER_ADDRESS and counts[1] <= RESET_REQUESTS_PER_CLIENT
