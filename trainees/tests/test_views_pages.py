"""Every page renders for the roles it serves (GET), and refuses the roles it does not."""

from datetime import date

import pytest
from django.urls import reverse

from trainees.tests.factories import MentorFactory, OnDutyPlacementFactory

pytestmark = pytest.mark.django_db

ACTIONS = [
    "start",
    "complete",
    "retain",
    "terminate",
    "outcome",
    "cancel",
    "insurance",
    "mentor",
    "training",
    "submit",
    "approve",
    "reject",
    "return",
]


@pytest.mark.parametrize("action", ACTIONS)
def test_every_event_form_renders(client_for, employer_a, post_a, action):
    placement = OnDutyPlacementFactory(post=post_a, started_on=date(2026, 3, 2))
    MentorFactory(unit=post_a.unit)
    response = client_for(employer_a).get(reverse("trainees:placement_action", args=[placement.pk, action]))
    assert response.status_code == 200
    assert "<form" in response.content.decode()


@pytest.mark.parametrize(
    "name, roles",
    [
        ("trainees:trainee_list", ["city_cc", "province_user", "admin_user"]),
        ("trainees:trainee_create", ["city_cc"]),
        ("trainees:placement_list", ["city_cc", "province_user", "employer_a"]),
        ("trainees:placement_current", ["employer_a", "city_cc"]),
        ("trainees:placement_create", ["city_cc"]),
        ("trainees:application_list", ["city_cc", "province_user", "employer_a", "youth"]),
        ("trainees:mentor_list", ["employer_a"]),
        ("trainees:internship_list", ["employer_a", "city_cc", "province_user"]),
        ("trainees:internship_create", ["employer_a"]),
        ("trainees:my_profile", ["youth"]),
    ],
)
def test_pages_render_for_their_roles(request, client_for, name, roles):
    for role in roles:
        client = client_for(request.getfixturevalue(role))
        assert client.get(reverse(name)).status_code == 200, role


@pytest.mark.parametrize(
    "name, outsider",
    [
        ("trainees:trainee_create", "employer_a"),
        ("trainees:placement_create", "employer_a"),
        ("trainees:placement_list", "youth"),
        ("trainees:mentor_list", "city_cc"),
        ("trainees:my_profile", "city_cc"),
    ],
)
def test_pages_refuse_other_roles(request, client_for, name, outsider):
    assert client_for(request.getfixturevalue(outsider)).get(reverse(name)).status_code == 403


def test_placement_page_shows_the_right_buttons(client_for, employer_a, city_cc, post_a):
    placement = OnDutyPlacementFactory(post=post_a, started_on=date(2026, 3, 2), planned_end=date(2026, 8, 31))
    page = client_for(employer_a).get(reverse("trainees:placement_detail", args=[placement.pk])).content.decode()
    for label in ("期满结业", "提前留用", "非正常结束", "上报备案"):
        assert label in page
    assert "备案通过" not in page
