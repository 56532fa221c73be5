"""notify() defers its mail to commit: a rolled-back change tells no one, and no mail leaves while
the transaction (and its row locks) is open (CONVENTIONS.md: Tasks and side effects)."""

import pytest
from django.core import mail
from django.db import transaction

from jianxi_portal.core.models import Notification
from jianxi_portal.core.notifications import notify
from jianxi_portal.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


@pytest.fixture
def reader():
    return UserFactory(username="reader", email="reader@example.cn")


def test_a_rolled_back_change_notifies_no_one(reader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Rollback), transaction.atomic():
            notify([reader], title="审核结果", body="已通过", link="/units/1/")
            raise Rollback
    assert callbacks == [] and mail.outbox == []
    assert not Notification.objects.filter(recipient=reader).exists()


def test_no_mail_leaves_inside_the_transaction_and_it_leaves_on_commit(reader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            notify(
                [reader, UserFactory(username="no_address", email="")],
                title="审核结果",
                body="已通过",
                link="/units/1/",
            )
            assert mail.outbox == []
            assert Notification.objects.filter(title="审核结果").count() == 2
    sent = [(m.to, m.subject, m.body) for m in mail.outbox]
    assert sent == [(["reader@example.cn"], "审核结果", "已通过\n\n/units/1/")]
