"""positions.permissions: every permission × every role, on a post of unit_a (长春市); `add_post`
is asked of the unit. Who only: the states each action is open from are the workflow's; the post
page shows an action when both allow it."""

import pytest
import rules
from django.urls import reverse

from jianxi_portal.tests.permission_table import actor, declared, table
from positions.models import Post
from positions.tests.factories import PostFactory

ALLOWED = {
    "positions.add_post": {"city_own", "employer_own"},
    "positions.change_post": {"city_own", "employer_own"},
    "positions.close_post": {"city_own", "employer_own"},
    "positions.submit_post": {"city_own", "employer_own"},
    "positions.approve_post": {"city_own"},
    "positions.reject_post": {"city_own"},
    "positions.return_post": {"city_own"},
}


def test_the_table_names_every_declared_permission():
    assert declared("positions.") == set(ALLOWED)


@table(ALLOWED)
def test_who_may(request, unit_a, perm, role, expected):
    post = PostFactory(unit=unit_a)
    assert rules.has_perm(perm, actor(request, role), unit_a if perm == "positions.add_post" else post) is expected


@pytest.mark.parametrize(
    ("role", "status", "shown"),
    [
        ("employer_own", Post.Status.APPROVED, True),
        ("city_own", Post.Status.APPROVED, True),
        ("employer_own", Post.Status.DRAFT, False),
        ("city_own", Post.Status.CLOSED, False),
        ("province", Post.Status.APPROVED, False),
        ("admin", Post.Status.APPROVED, False),
    ],
)
def test_the_page_shows_closing_by_the_permission_and_the_state(request, client_for, unit_a, role, status, shown):
    """The post page's 关闭岗位 form: `positions.close_post` and a published post (no re-derived rule)."""
    post = PostFactory(unit=unit_a, status=status)
    page = client_for(actor(request, role)).get(reverse("post_detail", args=[post.pk]))
    assert page.status_code == 200
    assert (reverse("post_close", args=[post.pk]) in page.content.decode()) is shown
