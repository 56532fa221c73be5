"""The form's own validation rules (填报说明 7, 逻辑关系): 1 ≥ 2, 3 ≥ 4, 5 ≥ 6 ≥ 7, 8 ≥ 9 + 11,
9 ≥ 10; every value a non-negative whole number except 14 (万元, two decimals, not negative).

`check(values)` returns the messages, each naming the indicators and their values, so the city
sees exactly what to correct; an empty list means the row may be submitted."""

from decimal import Decimal, InvalidOperation

from reports.indicators import BY_NUMBER, NUMBERS

# (left, right-hand indicators whose sum left must not be below)
RULES: tuple[tuple[int, tuple[int, ...]], ...] = (
    (1, (2,)),
    (3, (4,)),
    (5, (6,)),
    (6, (7,)),
    (8, (9, 11)),
    (9, (10,)),
)


def name(number: int) -> str:
    label = BY_NUMBER[number].label.removeprefix("其中：")
    return f"指标{number}“{label}”"


def as_decimal(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def value_error(number: int, value) -> str | None:
    """Why `value` cannot stand for indicator `number` on its own (None when it can)."""
    shown = "（未填写）" if value in (None, "") else f"“{value}”"
    number_value = as_decimal(value)
    if number_value is None:
        return f"{name(number)}应为数字，当前为{shown}。"
    if number_value < 0:
        return f"{name(number)}不能为负数，当前为{fmt(number_value)}。"
    if number == 14:
        if number_value != number_value.quantize(Decimal("0.01")):
            return f"{name(number)}以万元为单位，最多保留两位小数，当前为{fmt(number_value)}。"
    elif number_value != number_value.to_integral_value():
        return f"{name(number)}应为整数，当前为{fmt(number_value)}。"
    return None


def fmt(value: Decimal) -> str:
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def check(values: dict[int, object]) -> list[str]:
    """All messages for a row of 14 values (keys 1–14)."""
    messages = [m for n in NUMBERS if (m := value_error(n, values.get(n))) is not None]
    bad = {n for n in NUMBERS if value_error(n, values.get(n)) is not None}
    for left, rights in RULES:
        if bad & {left, *rights}:
            continue
        lhs = as_decimal(values[left])
        rhs = sum((as_decimal(values[r]) for r in rights), Decimal(0))
        if lhs < rhs:
            messages.append(_rule_message(left, rights, lhs, rhs, values))
    return messages


def _rule_message(left, rights, lhs, rhs, values) -> str:
    head = f"{name(left)}（{fmt(lhs)}）应不小于"
    if len(rights) == 1:
        return f"{head}{name(rights[0])}（{fmt(rhs)}）。"
    parts = "与".join(f"{name(r)}（{fmt(as_decimal(values[r]))}）" for r in rights)
    return f"{head}{parts}之和（{fmt(rhs)}）。"
