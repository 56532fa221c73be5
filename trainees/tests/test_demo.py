"""`load_demo` builds the trainees' demo through the services, and running it again changes nothing."""

import io

import pytest
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
