"""The per-record permission building blocks (jianxi_portal.core.permissions)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from jianxi_portal.core.permissions import ensure_perm, may
from jianxi_portal.core.review import review_perm


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
