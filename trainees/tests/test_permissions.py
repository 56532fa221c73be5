"""trainees.permissions: every permission × every role, on records of unit_a and 长春市: a trainee
of 长春市 (the young person's own record), his application to a post of unit_a, a placement at
unit_a, a mentor of unit_a, an internship at unit_a. `add_mentor` is asked of the unit,
`add_internship` of the post. Who only: the states each action is open from are the workflow's."""

import pytest
import rules

from jianxi_portal.tests.permission_table import actor, declared, table
from positions.tests.factories import ApprovedPostFactory
from trainees.models import Application, Internship, Mentor, Placement, Trainee

OWN_UNIT = {"city_own", "employer_own"}
PLACEMENT_EVENTS = ("start", "complete", "retain", "terminate", "outcome", "cancel", "change")

ALLOWED = {
    "trainees.link_trainee": {"city_own"},
    "trainees.place_trainee": {"city_own"},
    "trainees.consent_trainee": {"youth"},
    "trainees.decide_application": {"employer_own"},
    "trainees.withdraw_application": {"youth"},
    **{f"trainees.{event}_placement": OWN_UNIT for event in PLACEMENT_EVENTS},
    "trainees.continue_placement": {"city_own"},
    "trainees.submit_placement": OWN_UNIT,
    "trainees.approve_placement": {"city_own"},
    "trainees.reject_placement": {"city_own"},
    "trainees.return_placement": {"city_own"},
    "trainees.add_mentor": OWN_UNIT,
    "trainees.change_mentor": OWN_UNIT,
    "trainees.add_internship": OWN_UNIT,
    "trainees.change_internship": OWN_UNIT,
}


@pytest.fixture
def records(unit_a, youth, changchun):
    post = ApprovedPostFactory(unit=unit_a)
    trainee = Trainee(region=changchun, user=youth)
    return {
        "trainee": trainee,
        "application": Application(post=post, trainee=trainee),
        "placement": Placement(post=post, unit=unit_a, region=changchun, trainee=trainee),
        "mentor": Mentor(unit=unit_a),
        "internship": Internship(post=post, unit=unit_a, region=changchun),
    }


def _object(perm, records, unit_a):
    action_model = perm.split(".", 1)[1]
    if action_model == "add_mentor":
        return unit_a
    if action_model == "add_internship":
        return records["internship"].post
    return records[action_model.rsplit("_", 1)[1]]


def test_the_table_names_every_declared_permission():
    assert declared("trainees.") == set(ALLOWED)


@table(ALLOWED)
def test_who_may(request, records, unit_a, perm, role, expected):
    assert rules.has_perm(perm, actor(request, role), _object(perm, records, unit_a)) is expected


def test_consent_is_the_person_s_own_whatever_the_role(records, city_cc):
    """Consent follows the account the record names, not a role."""
    records["trainee"].user = city_cc
    assert rules.has_perm("trainees.consent_trainee", city_cc, records["trainee"])


def test_a_young_person_withdraws_only_his_own_application(records, youth):
    from jianxi_portal.tests.factories import UserFactory

    other = UserFactory(username="youth_other", role="youth")
    assert rules.has_perm("trainees.withdraw_application", youth, records["application"])
    assert not rules.has_perm("trainees.withdraw_application", other, records["application"])
