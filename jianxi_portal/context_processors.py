from jianxi_portal.models import Notification
from jianxi_portal.navigation import nav_items


def portal(request):
    user = getattr(request, "user", None)
    unread, nav = 0, []
    if user is not None:
        nav = nav_items(user)
        if user.is_authenticated:
            unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return {"portal_name": "吉林省就业见习管理平台", "unread_notifications": unread, "nav_items": nav}
