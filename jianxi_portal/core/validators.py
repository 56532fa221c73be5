"""Check digits of national identifiers and the mobile-number format, with Chinese messages."""

import re
from datetime import date

from django.core.exceptions import ValidationError

CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def credit_code_check_char(first17: str) -> str:
    """GB 32100-2015: the 18th character of a 统一社会信用代码."""
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> str:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(f"统一社会信用代码应为18位，当前为{len(code)}位。", code="length")
    if any(c not in CREDIT_CHARS for c in code):
        raise ValidationError("统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V）。", code="charset")
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(f"统一社会信用代码校验位错误：第18位应为“{expected}”。", code="check_digit")
    return code


def id_number_check_char(first17: str) -> str:
    """GB 11643-1999: the 18th character of a 居民身份证号码."""
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def validate_id_number(value: str) -> str:
    number = (value or "").strip().upper()
    if len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError("居民身份证号码应为18位：前17位为数字，最后一位为数字或X。", code="format")
    try:
        id_birth_date(number)
    except ValueError:
        raise ValidationError("居民身份证号码中的出生日期无效。", code="birth_date") from None
    expected = id_number_check_char(number[:17])
    if number[17] != expected:
        raise ValidationError(f"居民身份证号码校验位错误：第18位应为“{expected}”。", code="check_digit")
    return number


def id_birth_date(number: str) -> date:
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def id_sex(number: str) -> str:
    """'M' or 'F' from the 17th digit (odd: male)."""
    return "M" if int(number[16]) % 2 else "F"


def validate_mobile(value: str) -> str:
    phone = (value or "").strip()
    if not MOBILE_RE.match(phone):
        raise ValidationError("手机号码应为11位，以1开头（例如 13912345678）。", code="mobile")
    return phone


PERSONAL_USERNAME = re.compile(r"^(?:\+?86[- ]?)?1[3-9]\d{9}$|^\d{17}[\dXx]$")


def validate_username_not_personal(value: str) -> None:
    """A user name is shown on pages and kept in plain text in the sign-in records, so it must not
    be a mobile or ID number (PIPL: personal values are stored encrypted, shown masked)."""
    if PERSONAL_USERNAME.match((value or "").strip()):
        raise ValidationError("用户名不能是手机号码或身份证号（用户名会明文显示和记录），请换一个。", code="personal")
