"""Page-level role checks, and the predicates of the per-record permission rules. What rows a person
sees is decided by `visible_to`, not here."""

import inspect
from functools import wraps

import rules
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rules.permissions import ObjectPermissionBackend


def has_role(user, roles) -> bool:
    """Whether a signed-in `user` has one of `roles` (User.Role values, or "admin"): the check of
    `role_required`, also for showing a link only to those its page admits."""
    return user.is_authenticated and (user.role in roles or ("admin" in roles and user.is_admin))


def role_required(*roles):
    """Only signed-in users with one of `roles` (User.Role values, or "admin") may open the page."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(user, roles):
                raise PermissionDenied("您没有访问该页面的权限。")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def admin_required(view):
    return role_required("admin")(view)


# What a person may DO with one record (ARCHITECTURE.md, "One home for each kind of rule"): each app
# declares one `rules` permission per (model, action) in its `permissions.py`, named the Django way
# (`<app_label>.<action>_<model>`), composed of the predicates below. The service refuses through it
# (`ensure_perm`); the view (`may`) and the template (`{% may %}`, the `permissions` tag library)
# show the action through it; the API's services refuse through it. Only "who": the states an
# action is open from belong to the app's declared transitions. Reads stay on `visible_to`.
#
# `rules.has_perm` tests the rule set itself, never `User.has_perm`, so a superuser is not let
# through by Django's superuser shortcut: the rules decide alone.


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def _path(obj, path: str):
    """The value at a dotted attribute `path` of `obj`; a method on the way is called (`review_unit_id`);
    a dict is read by key (a service's cleaned values, before the record exists)."""
    for name in path.split("."):
        if obj is None:
            return None
        obj = obj.get(name) if isinstance(obj, dict) else getattr(obj, name)
        if inspect.ismethod(obj):
            obj = obj()
    return obj


def city_staff_of(path: str = "region_id"):
    """City staff of the region the record's `path` names (DESIGN.md: a city bureau runs its region)."""

    @rules.predicate(name=f"city_staff_of[{path}]")
    def check(user, obj) -> bool:
        return bool(
            _signed_in(user)
            and user.is_city
            and obj is not None
            and user.region_id is not None
            and user.region_id == _path(obj, path)
        )

    return check


def employer_of(path: str = "unit_id"):
    """The employer account of the unit the record's `path` names."""

    @rules.predicate(name=f"employer_of[{path}]")
    def check(user, obj) -> bool:
        return bool(
            _signed_in(user)
            and user.is_employer
            and obj is not None
            and user.unit_id is not None
            and user.unit_id == _path(obj, path)
        )

    return check


def youth_of(path: str = "user_id"):
    """The young person whose own account the record's `path` names (his trainee record, his application)."""

    @rules.predicate(name=f"youth_of[{path}]")
    def check(user, obj) -> bool:
        return bool(
            _signed_in(user)
            and user.is_youth
            and obj is not None
            and user.pk is not None
            and user.pk == _path(obj, path)
        )

    return check


def account_of(path: str = "user_id"):
    """The account the record's `path` names, whatever its role (its own API token)."""

    @rules.predicate(name=f"account_of[{path}]")
    def check(user, obj) -> bool:
        return bool(_signed_in(user) and obj is not None and user.pk is not None and user.pk == _path(obj, path))

    return check


@rules.predicate
def is_city(user) -> bool:
    return bool(_signed_in(user) and user.is_city)


@rules.predicate
def is_province(user) -> bool:
    return bool(_signed_in(user) and user.is_province)


@rules.predicate
def is_admin(user) -> bool:
    return bool(_signed_in(user) and user.is_admin)


class RecordPermissionBackend(ObjectPermissionBackend):
    """django-rules' backend for `User.has_perm(perm, obj)`, for a record only. Several names are
    also Django's model permissions (`units.change_unit`, `outreach.change_article`): asked without a
    record (the admin site), they stay ModelBackend's, granted in its tables, so a rule that needs no
    record (the province edits articles) never opens an admin page to someone not granted it."""

    def has_perm(self, user, perm, *args, **kwargs):
        obj = args[0] if args else kwargs.get("obj")
        return obj is not None and super().has_perm(user, perm, obj)


def may(user, perm: str, obj=None) -> bool:
    """Whether `user` may do `perm` (`<app_label>.<action>_<model>`) to `obj`: for views and pages."""
    if not rules.perm_exists(perm):
        raise LookupError(f"未声明的权限：{perm}")
    return rules.has_perm(perm, user, obj)


def ensure_perm(user, perm: str, obj=None, *, message: str) -> None:
    """The service's refusal: PermissionDenied(`message`) unless `user` may do `perm` to `obj`."""
    if not may(user, perm, obj):
        raise PermissionDenied(message)


# The core's own records.
# A version of the living-allowance floor (DESIGN.md, Subsidy rules): admins for the province or any
# region; a city's staff a higher floor of their own region (the object: the rule's values).
rules.add_perm("jianxi_portal.add_allowancefloorrule", is_admin | city_staff_of("region_id"))
