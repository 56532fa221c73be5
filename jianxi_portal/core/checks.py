"""System checks of the portal's own settings (SECURITY.md: Rotating the field-encryption key).

Without FIELD_ENCRYPTION_KEY the field key is derived from SECRET_KEY, so rotating SECRET_KEY would
make every ID number, phone and bank account unreadable: with DEBUG off that is an error, so
`check --deploy`, `migrate` and `runserver` stop (`deploy/serve.sh` migrates, so checks, before
it starts gunicorn; the systemd unit runs `check --deploy` first). A key that is not a Fernet key
is an error everywhere."""

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, Tags, register

from jianxi_portal.core.crypto import old_keys

GENERATE = 'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'


@register(Tags.security)
def field_encryption_key_check(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    configured = settings.FIELD_ENCRYPTION_KEY
    if not configured and not settings.DEBUG:
        errors.append(
            Error(
                "FIELD_ENCRYPTION_KEY is not set: the key of ID numbers, phones and bank accounts would be derived "
                "from SECRET_KEY, and changing SECRET_KEY would make them unreadable.",
                hint=f"Generate a key ({GENERATE}), keep it apart from the backups and set FIELD_ENCRYPTION_KEY.",
                id="jianxi.E001",
            )
        )
    named = [("FIELD_ENCRYPTION_KEY", configured)] if configured else []
    retiring = old_keys(getattr(settings, "FIELD_ENCRYPTION_OLD_KEYS", ()))
    named += [("FIELD_ENCRYPTION_OLD_KEYS", key) for key in retiring]
    for name, key in named:
        try:
            Fernet(key)
        except (ValueError, TypeError):
            errors.append(
                Error(
                    f"{name} holds a value that is not a Fernet key (32 bytes, url-safe base64).",
                    hint=f"Generate one with {GENERATE}.",
                    id="jianxi.E002",
                )
            )
    return errors
