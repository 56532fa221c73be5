"""In-app notifications, copied by email where the user has an address."""

from django.conf import settings
from django.core.mail import send_mail

from jianxi_portal.core.models import Notification


def notify(users, *, title: str, body: str = "", link: str = "") -> list[Notification]:
    """Create one notification per user and send the same text by email to those with an address."""
    users = list(users)
    created = Notification.objects.bulk_create(
        [Notification(recipient=u, title=title, body=body, link=link) for u in users]
    )
    for user in users:
        if user.email:
            send_mail(title, f"{body}\n\n{link}".strip(), settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=True)
    return created
