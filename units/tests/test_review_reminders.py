"""The daily review reminders: cities hear of items due within 3 working days, overdue items go up
to the province; in-app and by email; generic over every registered kind; idempotent per day."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from jianxi_portal.core.models import Notification, User
from jianxi_portal.core.tasks import review_reminders
from jianxi_portal.core.workdays import add_working_days
from jianxi_portal.tests.factories import UserFactory
from positions.tests.factories import SubmittedPostFactory
from units.models import Unit
from units.tests.factories import SubmittedUnitFactory


def due_in(obj, deadline):
    type(obj).objects.filter(pk=obj.pk).update(review_deadline=deadline)


def test_city_is_reminded_of_due_soon_items_and_province_of_overdue_ones(
    city_cc, city_jl, province_user, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    city_cc.email = "cc@example.cn"
    city_cc.save()
    soon = SubmittedPostFactory(title="三天内到期岗位")
    due_in(soon, add_working_days(today, 3))
    relaxed = SubmittedUnitFactory(name="还早的单位")
    due_in(relaxed, add_working_days(today, 4))
    late = SubmittedUnitFactory(name="吉林逾期单位", region_code="jilin")
    due_in(late, today - timedelta(days=10))

    with django_capture_on_commit_callbacks(execute=True):  # the mail leaves after commit
        result = review_reminders.delay(today.isoformat()).get()
    assert result == {"due_soon": 1, "overdue": 1, "city_notified": 2, "province_notified": 1}

    cc_note = Notification.objects.get(recipient=city_cc)
    assert cc_note.title == f"【审核提醒 {today:%Y-%m-%d}】长春市有1项待审核事项3个工作日内到期"
    assert "三天内到期岗位" in cc_note.body and "剩余3个工作日" in cc_note.body and "还早的单位" not in cc_note.body
    assert cc_note.link == "/review/"
    jl_note = Notification.objects.get(recipient=city_jl)
    assert "其中1项已逾期" in jl_note.title and "吉林逾期单位" in jl_note.body
    province_note = Notification.objects.get(recipient=province_user)
    assert province_note.title == f"【逾期督办 {today:%Y-%m-%d}】1个市（州）共1项待审核事项超过15个工作日审核期限"
    assert "吉林市：逾期1项" in province_note.body
    assert [m.to for m in mail.outbox] == [["cc@example.cn"]]


def test_running_twice_the_same_day_sends_nothing_new(city_cc, province_user):
    today = timezone.localdate()
    # Overdue on any day: three calendar days back is no longer overdue on a holiday after a holiday
    # (春节 2027: 2027-02-08 looks back to the last working day, 2027-02-04).
    due_in(SubmittedUnitFactory(), today - timedelta(days=30))
    review_reminders(today.isoformat())
    again = review_reminders(today.isoformat())
    assert again["city_notified"] == 0 and again["province_notified"] == 0
    assert Notification.objects.count() == 2
    tomorrow = review_reminders((today + timedelta(days=1)).isoformat())
    assert tomorrow["city_notified"] == 1


def test_a_new_city_user_the_same_day_is_still_reminded(city_cc):
    today = timezone.localdate()
    due_in(SubmittedUnitFactory(), add_working_days(today, 1))
    review_reminders(today.isoformat())
    newcomer = UserFactory(username="city_cc_new", role=User.Role.CITY, region=city_cc.region)
    assert review_reminders(today.isoformat())["city_notified"] == 1
    assert newcomer.notifications.count() == 1


def test_decided_items_and_inactive_users_are_left_out(city_cc):
    today = timezone.localdate()
    unit = SubmittedUnitFactory()
    due_in(unit, today)
    Unit.objects.filter(pk=unit.pk).update(status=Unit.Status.APPROVED)
    UserFactory(username="city_cc_gone", role=User.Role.CITY, region=city_cc.region, is_active=False)
    assert review_reminders(today.isoformat()) == {
        "due_soon": 0,
        "overdue": 0,
        "city_notified": 0,
        "province_notified": 0,
    }
    assert not Notification.objects.exists()


def test_reminders_are_in_the_beat_schedule():
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"jianxi_portal.tasks.review_reminders", "positions.tasks.close_expired_posts"} <= tasks
