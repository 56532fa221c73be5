"""In-app notifications, copied by email where the user has an address.

`notify()` may be called anywhere, inside a transaction or not (CONVENTIONS.md: Tasks and side
effects): the notification rows are written in the caller's transaction, so a change that is rolled
back leaves none; the mail leaves only once that transaction has committed (at once when there is
none), so no mail is sent while rows are locked and nobody is told of a change that did not happen."""

from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from jianxi_portal.core.models import Notification


def notify(users, *, title: str, body: str = "", link: str = "") -> list[Notification]:
    """Create one notification per user; after commit, send the same text by email to those with an
    address."""
    users = list(users)
    created = Notification.objects.bulk_create(
        [Notification(recipient=u, title=title, body=body, link=link) for u in users]
    )
    addresses = [user.email for user in users if user.email]
    if addresses:
        transaction.on_commit(partial(_mail, title, f"{body}\n\n{link}".strip(), addresses))
    return created


def _mail(subject: str, text: str, addresses: list[str]) -> None:
    for address in addresses:
        send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True)
