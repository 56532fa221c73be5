"""`load_demo` for outreach (after the other apps' demo data): articles, an event with posts, a
nomination, preferences of the demo young person; running it twice adds nothing."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from outreach import push
from outreach.models import Article, Event, Nomination, PostKey, SeekerProfile

pytestmark = pytest.mark.django_db


DEMO_DAY = datetime(2026, 12, 3, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@time_machine.travel(DEMO_DAY, tick=False)
def test_demo_outreach_records_are_loaded_once(django_capture_on_commit_callbacks):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=out)
    counts = (Article.objects.count(), Event.objects.count(), Nomination.objects.count())
    assert counts[0] == 5 and counts[1] == 1 and counts[2] == 1
    assert Article.objects.filter(status="published").count() == 5
    event = Event.objects.get()
    assert event.status == "published" and event.posts.exists()
    assert PostKey.objects.exists()
    youth = SeekerProfile.objects.get(user__username="youth")  # trainees' demo registers 李青
    assert youth.categories == ["management", "technical"] and youth.major == "软件工程"
    # The demo person consents after the demo's posts and event were approved: nothing reaches back,
    # so their weekly push limit is whole for a walk-through of invitations.
    assert (youth.push_enabled, push.weekly_pushes(youth.pk, DEMO_DAY)) == (True, [])
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=out)
    assert (Article.objects.count(), Event.objects.count(), Nomination.objects.count()) == counts
