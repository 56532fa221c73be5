"""Page-level role checks. What rows a person sees is decided by `visible_to`, not here."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def role_required(*roles):
    """Only signed-in users with one of `roles` (User.Role values, or "admin") may open the page."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user.role not in roles and not ("admin" in roles and user.is_admin):
                raise PermissionDenied("您没有访问该页面的权限。")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def admin_required(view):
    return role_required("admin")(view)
