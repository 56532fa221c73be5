"""Page-level role checks. What rows a person sees is decided by `visible_to`, not here."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


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
