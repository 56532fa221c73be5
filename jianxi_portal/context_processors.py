from django.conf import settings

from accounts.twofactor import is_verified, needs_two_factor
from jianxi_portal.core.models import Notification
from jianxi_portal.core.nav_groups import group_items
from jianxi_portal.core.navigation import nav_items


def portal(request):
    user = getattr(request, "user", None)
    unread, nav = 0, []
    if user is not None and not _awaiting_second_factor(request, user):
        nav = nav_items(user)
        if user.is_authenticated:
            unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return {
        "portal_name": settings.PORTAL_NAME,
        "portal_sponsor": settings.PORTAL_SPONSOR,
        "portal_hotline": settings.PORTAL_HOTLINE,
        "portal_icp": settings.PORTAL_ICP,
        "unread_notifications": unread,
        "nav_items": nav,
        "nav_groups": group_items(nav, request.path) if nav else [],
    }


def _awaiting_second_factor(request, user) -> bool:
    """Staff between password and two-factor code see no navigation: every link would lead back."""
    return needs_two_factor(user) and hasattr(request, "session") and not is_verified(request)
