"""Navigation links and home cards of the trainees app, per role."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from trainees.nav import home_cards, nav_items
from trainees.tests.factories import OnDutyPlacementFactory, PlacementFactory, TraineeFactory

pytestmark = pytest.mark.django_db


def test_links_per_role(city_cc, employer_a, youth):
    from django.contrib.auth.models import AnonymousUser

    assert ("青年注册", reverse("trainees:youth_register")) in nav_items(AnonymousUser())
    assert ("我的见习", reverse("trainees:my_profile")) in nav_items(youth)
    assert ("当前见习人员", reverse("trainees:placement_current")) in nav_items(employer_a)
    assert ("见习协议", reverse("trainees:placement_list")) in nav_items(city_cc)
    assert all("实习生" not in label for label, _ in nav_items(employer_a))


def test_city_cards_count_on_duty_and_unfiled(city_cc, post_a, post_b):
    today = timezone.localdate()
    OnDutyPlacementFactory(post=post_a, started_on=today.replace(day=1))
    OnDutyPlacementFactory(post=post_a, started_on=date(2026, 3, 2), filing_status="approved")
    PlacementFactory(post=post_a, trainee=TraineeFactory(), filing_status="submitted")
    OnDutyPlacementFactory(post=post_b)
    cards = {c["title"]: c for c in home_cards(city_cc)}
    assert cards["在岗见习人员"]["value"] == 2 and cards["在岗见习人员"]["note"] == "本月新到岗 1 人"
    assert cards["在岗未确认备案"]["value"] == 1 and cards["在岗未确认备案"]["note"] == "待审核备案 1 件"


def test_home_page_shows_the_cards(client_for, employer_a, post_a):
    OnDutyPlacementFactory(post=post_a)
    page = client_for(employer_a).get("/").content.decode()
    assert "待处理见习申请" in page and "在岗见习人员" in page
