"""units.permissions: every permission × every role, on a unit of 长春市 (unit_a). Who only: the
states each action is open from are the workflow's and are tested with it."""

import pytest
import rules
from django.urls import reverse

from jianxi_portal.tests.permission_table import actor, declared, table
from units.models import Unit

ALLOWED = {
    "units.change_unit": {"city_own", "employer_own"},
    "units.submit_unit": {"city_own", "employer_own"},
    "units.approve_unit": {"city_own"},
    "units.reject_unit": {"city_own"},
    "units.return_unit": {"city_own"},
    "units.suspend_unit": {"city_own"},
    "units.resume_unit": {"city_own"},
    "units.revoke_unit": {"city_own"},
}


def test_the_table_names_every_declared_permission():
    assert declared("units.") == set(ALLOWED)


@table(ALLOWED)
def test_who_may(request, unit_a, perm, role, expected):
    assert rules.has_perm(perm, actor(request, role), unit_a) is expected


@pytest.mark.parametrize("status", ["draft", "submitted", "approved", "returned", "rejected", "suspended", "revoked"])
def test_the_rule_is_who_not_when(request, unit_a, city_cc, employer_a, city_jl, status):
    """The same answer at every status: from which states an action is open is the workflow's."""
    unit_a.status = status
    assert rules.has_perm("units.change_unit", employer_a, unit_a)
    assert rules.has_perm("units.suspend_unit", city_cc, unit_a)
    assert not rules.has_perm("units.suspend_unit", city_jl, unit_a)


def test_a_superuser_is_not_let_through_by_djangos_shortcut(admin_user, unit_a):
    """The services ask the rule set itself: an admin (superuser) reviews nothing of a city's."""
    assert admin_user.is_superuser and admin_user.has_perm("units.approve_unit", unit_a)
    assert not rules.has_perm("units.approve_unit", admin_user, unit_a)


@pytest.mark.parametrize(
    ("role", "status", "edit_shown", "manage_shown"),
    [
        ("employer_own", Unit.Status.DRAFT, True, False),
        ("employer_own", Unit.Status.APPROVED, False, False),
        ("city_own", Unit.Status.RETURNED, True, False),
        ("city_own", Unit.Status.APPROVED, False, True),
        ("city_own", Unit.Status.REVOKED, False, False),
        ("province", Unit.Status.APPROVED, False, False),
        ("admin", Unit.Status.DRAFT, False, False),
    ],
)
def test_the_page_shows_actions_by_the_permission_and_the_state(
    request, client_for, unit_a, role, status, edit_shown, manage_shown
):
    """The unit page's 修改 and 清单管理: the unit's permissions and the workflow's states, not re-derived."""
    Unit.objects.filter(pk=unit_a.pk).update(status=status)
    page = client_for(actor(request, role)).get(reverse("unit_detail", args=[unit_a.pk])).content.decode()
    assert (reverse("unit_edit", args=[unit_a.pk]) in page) is edit_shown
    assert ("清单管理" in page) is manage_shown
