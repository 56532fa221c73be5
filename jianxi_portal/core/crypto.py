"""Encryption at rest for personal values (ID numbers, phones, bank accounts): Fernet ciphertext for
reading back, an HMAC-SHA256 digest for lookup and uniqueness, a masked form for display. Keys
come from settings.FIELD_ENCRYPTION_KEY (a Fernet key; production refuses to start without it,
`jianxi_portal.core.checks`); development derives one from SECRET_KEY. Models declare their values
with `jianxi_portal.core.personal.Encrypted`, which uses these.

Rotation (SECURITY.md: Rotating the field-encryption key): FIELD_ENCRYPTION_OLD_KEYS lists the keys
being retired. Values are read under any key of the ring and written under the current one;
lookups match a digest under any key (`digests`), so a value not yet rotated is still found;
`manage.py rotate_field_key` rewrites every row still under an old key."""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _raw_key(configured: str, secret: str) -> bytes:
    return configured.encode() if configured else base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest())


def _lookup_key(raw: bytes) -> bytes:
    return hmac.new(base64.urlsafe_b64decode(raw), b"jianxi-lookup-v1", hashlib.sha256).digest()


@lru_cache(maxsize=4)
def _ring(configured: str, old: tuple[str, ...], secret: str) -> tuple[Fernet, MultiFernet, tuple[bytes, ...]]:
    """The current key, the ring that reads under any key (current first), and the lookup keys."""
    raws = [_raw_key(configured, secret), *(key.encode() for key in old)]
    fernets = [Fernet(raw) for raw in raws]
    return fernets[0], MultiFernet(fernets), tuple(_lookup_key(raw) for raw in raws)


def old_keys(value) -> tuple[str, ...]:
    """FIELD_ENCRYPTION_OLD_KEYS as a tuple: a list, or one string with keys separated by commas."""
    if isinstance(value, str):
        value = value.split(",")
    return tuple(key.strip() for key in value or () if key.strip())


def _current():
    return _ring(
        settings.FIELD_ENCRYPTION_KEY, old_keys(getattr(settings, "FIELD_ENCRYPTION_OLD_KEYS", ())), settings.SECRET_KEY
    )


def encrypt(value: str) -> str:
    if not value:
        return ""
    return _current()[0].encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    return _current()[1].decrypt(token.encode()).decode()


def is_current(token: str) -> bool:
    """Whether `token` is written under the current key (an empty value needs no key)."""
    if not token:
        return True
    try:
        _current()[0].decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def digest(value: str) -> str:
    """Keyed hash of a normalised value: equal inputs give equal digests; not reversible."""
    if not value:
        return ""
    return _digest(_current()[2][0], value)


def digests(value: str) -> list[str]:
    """The digest of `value` under every key of the ring, the current one first: a lookup matches a
    row whether or not it has been rotated yet (`personal.lookup`)."""
    if not value:
        return [""]
    return [_digest(key, value) for key in _current()[2]]


def _digest(key: bytes, value: str) -> str:
    return hmac.new(key, value.strip().upper().encode(), hashlib.sha256).hexdigest()


def mask(value: str, keep_start: int, keep_end: int) -> str:
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[len(value) - keep_end :]


def mask_id_number(value: str) -> str:
    """220102199001011234 -> 220102********1234."""
    return mask(value, 6, 4)


def mask_phone(value: str) -> str:
    """13912345678 -> 139****5678."""
    return mask(value, 3, 4)
