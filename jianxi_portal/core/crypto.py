"""Encryption at rest for personal values (ID numbers, phones, bank accounts): Fernet ciphertext for
reading back, an HMAC-SHA256 digest for lookup and uniqueness, a masked form for display. Keys
come from settings.FIELD_ENCRYPTION_KEY (a Fernet key); development derives one from SECRET_KEY.
Models declare their values with `jianxi_portal.core.personal.Encrypted`, which uses these."""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet
from django.conf import settings


@lru_cache(maxsize=4)
def _keys(configured: str, secret: str) -> tuple[Fernet, bytes]:
    raw = configured.encode() if configured else base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest())
    fernet = Fernet(raw)
    lookup_key = hmac.new(base64.urlsafe_b64decode(raw), b"jianxi-lookup-v1", hashlib.sha256).digest()
    return fernet, lookup_key


def _current():
    return _keys(settings.FIELD_ENCRYPTION_KEY, settings.SECRET_KEY)


def encrypt(value: str) -> str:
    if not value:
        return ""
    return _current()[0].encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    return _current()[0].decrypt(token.encode()).decode()


def digest(value: str) -> str:
    """Keyed hash of a normalised value: equal inputs give equal digests; not reversible."""
    if not value:
        return ""
    return hmac.new(_current()[1], value.strip().upper().encode(), hashlib.sha256).hexdigest()


def mask(value: str, keep_start: int, keep_end: int) -> str:
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[len(value) - keep_end:]


def mask_id_number(value: str) -> str:
    """220102199001011234 -> 220102********1234."""
    return mask(value, 6, 4)


def mask_phone(value: str) -> str:
    """13912345678 -> 139****5678."""
    return mask(value, 3, 4)
