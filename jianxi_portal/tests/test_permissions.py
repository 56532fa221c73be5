"""The per-record permission building blocks (jianxi_portal.core.permissions)."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from jianxi_portal.core.permissions import ensure_perm, may
from jianxi_portal.core.review import review_perm
from jianxi_portal.tests.permission_table import actor, declared, table


def test_an_undeclared_permission_is_an_error_not_a_refusal(city_cc, unit_a):
    """A misspelt name would refuse everyone silently; it fails loudly instead."""
    with pytest.raises(LookupError):
        may(city_cc, "units.chnage_unit", unit_a)


def test_the_service_refuses_with_its_own_message(city_jl, unit_a):
    with pytest.raises(PermissionDenied, match="^您无权修改该单位。$"):
        ensure_perm(city_jl, "units.change_unit", unit_a, message="您无权修改该单位。")


def test_nobody_signed_out_may_act(unit_a):
    assert not may(AnonymousUser(), "units.change_unit", unit_a)
    assert not may(None, "units.change_unit", unit_a)


def test_the_review_workflow_asks_the_model_s_own_permissions(unit_a):
    assert review_perm(unit_a, "submit") == "units.submit_unit"
    assert review_perm(unit_a, "return") == "units.return_unit"


# The core's and the accounts' own permissions, as tables like the apps' (permission_table).

CORE_ALLOWED = {
    "jianxi_portal.add_allowancefloorrule": {"admin", "city_own"},
}


def test_the_core_table_names_every_declared_permission():
    assert declared("jianxi_portal.") == set(CORE_ALLOWED)


@table(CORE_ALLOWED)
def test_who_may_set_a_floor(request, changchun, perm, role, expected):
    assert rules.has_perm(perm, actor(request, role), {"region_id": changchun.pk}) is expected


@pytest.mark.parametrize(("role", "expected"), [("admin", True), ("city_own", False), ("province", False)])
def test_the_province_wide_floor_is_the_admins_alone(request, role, expected):
    assert rules.has_perm("jianxi_portal.add_allowancefloorrule", actor(request, role), {"region_id": None}) is expected


ACCOUNTS_ALLOWED = {
    # The object: city_cc's account (issue) and a token of city_cc's (revoke).
    "accounts.add_apitoken": {"admin", "city_own"},
    "accounts.delete_apitoken": {"admin", "city_own"},
}


def test_the_accounts_table_names_every_declared_permission():
    assert declared("accounts.") == set(ACCOUNTS_ALLOWED)


@table(ACCOUNTS_ALLOWED)
def test_who_may_issue_or_revoke_a_token(request, city_cc, perm, role, expected):
    from accounts.models import ApiToken

    obj = city_cc if perm == "accounts.add_apitoken" else ApiToken(user=city_cc)
    assert rules.has_perm(perm, actor(request, role), obj) is expected


def test_user_has_perm_asks_the_rules_for_a_record_only(province_user, city_cc, unit_a):
    """`User.has_perm` reaches the rules with a record; without one (the admin site's model
    permissions) the rules say nothing, so no rule opens an admin page (the province's article rule)."""
    from outreach.models import Article

    assert city_cc.has_perm("units.change_unit", unit_a)
    assert not city_cc.has_perm("units.change_unit")
    assert province_user.has_perm("outreach.change_article", Article(region=None))
    assert not province_user.has_perm("outreach.change_article")
