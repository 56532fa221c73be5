"""Personal data outside the database (SECURITY.md, item 4; PIPL art. 51):

- pages served to a signed-in person are never stored by the browser or a proxy
  (`Cache-Control: no-store`): `NoStoreMiddleware` for every authenticated response, `no_store`
  for a view that shows personal data to someone not signed in;
- log records never carry an ID number, a mobile number or a bank card number:
  `ScrubPersonalDataFilter` masks them in the message, its arguments and the traceback (wired on
  every handler in settings.LOGGING)."""

import logging
import re
from functools import wraps

from django.utils.cache import add_never_cache_headers

from jianxi_portal.core.crypto import mask, mask_id_number, mask_phone

# 17 digits and a check character (digit or X), not inside a longer run of digits or letters.
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
# A mainland mobile number (1[3-9] + 9 digits), optionally written with +86 / 86.
MOBILE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?(1[3-9]\d{9})(?![0-9])")
# A bank card number (16 to 19 digits; an 18-digit run was already masked as an ID number).
BANK_CARD = re.compile(r"(?<![0-9A-Za-z*])(\d{16,19})(?![0-9A-Za-z*])")


def scrub(text: str) -> str:
    """Mask every ID number (220102********1234), bank card number (6222********1234) and mobile
    number (139****5678) in `text`."""
    if not text:
        return text
    text = ID_NUMBER.sub(lambda m: mask_id_number(m.group(1)), text)
    text = BANK_CARD.sub(lambda m: mask(m.group(1), 4, 4), text)
    return MOBILE.sub(lambda m: mask_phone(m.group(1)), text)


def scrub_value(value):
    """`scrub` applied inside strings, lists and dicts (for audit details and log arguments)."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {k: scrub_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(scrub_value(v) for v in value)
    return value


class ScrubPersonalDataFilter(logging.Filter):
    """Rewrites the record in place: the formatted message, then the traceback text, are scrubbed,
    so no handler (console, file, mail) ever sees the raw values."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = str(record.msg)
        record.msg, record.args = scrub(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


def _personal(response) -> None:
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, max-age=0, private"


def no_store(view):
    """Decorator: this view's responses are never cached (personal data)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        _personal(response)
        return response

    return wrapper


class NoStoreMiddleware:
    """Every response to a signed-in person (session or API token) is `no-store`: whatever page it
    is, it may show personal data of trainees or applicants."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            _personal(response)
        return response
