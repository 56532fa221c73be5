"""`load_demo` builds the trainees' demo through the services, and running it again changes nothing."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from trainees.models import Application, Internship, Placement, Trainee

pytestmark = pytest.mark.django_db


def snapshot():
    placements = Placement.objects.order_by("trainee__name").values_list(
        "trainee__name", "status", "end", "outcome", "filing_status"
    )
    return (list(placements), Trainee.objects.count(), Application.objects.count(), Internship.objects.count())


def test_demo_has_every_state_and_is_idempotent():
    call_command("load_demo", stdout=io.StringIO())
    first = snapshot()
    placements = first[0]
    assert ("刘洋", "ended", "completed", "retained", "approved") in placements
    assert ("王磊", "ended", "early_retained", "retained", "approved") in placements
    assert ("赵敏", "ended", "abnormal", "", "approved") in placements
    assert ("陈静", "on_duty", "", "", "submitted") in placements
    assert first[2:] == (1, 1)
    call_command("load_demo", stdout=io.StringIO())
    assert snapshot() == first


@pytest.mark.parametrize("day", ["2026-12-03", "2030-12-31", "2041-03-01"])
def test_the_demo_young_person_is_16_to_24_whatever_the_demo_day(day):
    """DESIGN.md, "Trainee categories and eligibility": an unemployed young person is 16–24 on the
    signing date; a fixed birth date would make the demo's 赵敏 ineligible some years on."""
    nine = datetime.fromisoformat(f"{day}T09:00").replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(nine, tick=False):
        call_command("load_demo", stdout=io.StringIO())
    zhao = Placement.objects.get(trainee__name="赵敏")
    assert zhao.status == "ended"
    age = zhao.signed_on.year - zhao.trainee.birth_date.year
    assert 16 <= age <= 24


def test_the_demo_loaded_again_a_year_later_finds_the_same_young_person():
    for day in ("2026-12-03", "2027-12-03"):
        with time_machine.travel(datetime(*map(int, day.split("-")), 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
            call_command("load_demo", stdout=io.StringIO())
    assert Trainee.objects.filter(name="赵敏").count() == 1
