"""outreach.permissions: every permission × every role, on records of 长春市 and unit_a: an article,
an event, a post's booth at it, the post itself (invitations), and a placement followed up."""

import pytest
import rules

from jianxi_portal.tests.permission_table import actor, declared, table
from outreach.models import Article, Event, EventPost
from positions.tests.factories import ApprovedPostFactory
from trainees.models import Placement

ALLOWED = {
    "outreach.change_article": {"province", "city_own"},
    "outreach.change_event": {"city_own"},
    "outreach.checkin_event": {"city_own"},
    "outreach.confirm_eventpost": {"employer_own"},
    "outreach.invite_post": {"city_own", "employer_own"},
    "outreach.add_followupcontact": {"city_own"},
}


@pytest.fixture
def records(unit_a, changchun):
    post = ApprovedPostFactory(unit=unit_a)
    event = Event(region=changchun)
    return {
        "article": Article(region=changchun),
        "event": event,
        "eventpost": EventPost(event=event, post=post),
        "post": post,
        "followupcontact": Placement(post=post, unit=unit_a, region=changchun),
    }


def test_the_table_names_every_declared_permission():
    assert declared("outreach.") == set(ALLOWED)


@table(ALLOWED)
def test_who_may(request, records, perm, role, expected):
    obj = records[perm.rsplit("_", 1)[1]]
    assert rules.has_perm(perm, actor(request, role), obj) is expected


def test_a_province_wide_article_is_the_province_s_alone(city_cc, province_user):
    article = Article(region=None)
    assert rules.has_perm("outreach.change_article", province_user, article)
    assert not rules.has_perm("outreach.change_article", city_cc, article)
