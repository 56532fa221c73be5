"""The cast of the per-record permission tables (ARCHITECTURE.md, "One home for each kind of rule"):
each app's test_permissions.py asks every permission of its permissions.py for every role, against
a record of 长春市 and of unit_a (长春甲单位). "own" is the record's region or unit, "foreign" the other
city's (吉林市, unit_b); the young person is foreign to every record but his own."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

ROLES = ("admin", "province", "city_own", "city_foreign", "employer_own", "employer_foreign", "youth", "anonymous")

FIXTURES = {
    "admin": "admin_user",
    "province": "province_user",
    "city_own": "city_cc",
    "city_foreign": "city_jl",
    "employer_own": "employer_a",
    "employer_foreign": "employer_b",
    "youth": "youth",
}


def actor(request, role: str):
    """The user playing `role` (the fixtures of the root conftest)."""
    return AnonymousUser() if role == "anonymous" else request.getfixturevalue(FIXTURES[role])


def table(allowed: dict[str, set[str]]):
    """pytest parameters (perm, role, expected) of every permission × every role."""
    return pytest.mark.parametrize(
        ("perm", "role", "expected"),
        [(perm, role, role in roles) for perm, roles in allowed.items() for role in ROLES],
        ids=lambda v: v if isinstance(v, str) else ("allowed" if v else "refused"),
    )


def declared(prefix: str) -> set[str]:
    """Every permission declared under `<app_label>.` (the table must name them all)."""
    return {name for name in rules.permissions.permissions if name.startswith(prefix)}
