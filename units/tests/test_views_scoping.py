"""Scoping of every page and API object: another region's city gets 404 on the unit, the post, the
queue item and the API objects; an employer can neither see nor edit another unit's posts; lists
never contain them."""

import pytest
from django.test import Client
from django.urls import reverse

from jianxi_portal.core.models import ReviewLog
from positions.models import Post
from positions.tests.factories import ApprovedPostFactory, PostFactory, SubmittedPostFactory
from units.models import Unit
from units.tests.factories import SubmittedUnitFactory


@pytest.fixture
def cc_items(unit_a):
    """长春市 objects in every state a reviewer meets."""
    return {
        "approved_unit": unit_a,
        "submitted_unit": SubmittedUnitFactory(name="长春待审单位"),
        "submitted_post": SubmittedPostFactory(unit=unit_a, title="长春待审岗位"),
        "published_post": ApprovedPostFactory(unit=unit_a, title="长春在招岗位"),
        "draft_post": PostFactory(unit=unit_a, title="长春草稿岗位"),
    }


def unit_pages(unit):
    return [reverse("unit_detail", args=[unit.pk]), reverse("unit_edit", args=[unit.pk])]


def post_pages(post):
    return [reverse("post_detail", args=[post.pk]), reverse("post_edit", args=[post.pk])]


def test_other_regions_city_gets_404_on_units_posts_and_queue_items(city_jl, client_for, cc_items):
    client = client_for(city_jl)
    for unit in (cc_items["approved_unit"], cc_items["submitted_unit"]):
        assert client.get(reverse("unit_detail", args=[unit.pk])).status_code == 404
        assert client.post(reverse("unit_manage", args=[unit.pk, "revoke"]), {"reason": "x"}).status_code == 404
        assert client.post(reverse("unit_submit", args=[unit.pk])).status_code == 404
    for post in (cc_items["submitted_post"], cc_items["published_post"], cc_items["draft_post"]):
        assert client.get(reverse("post_detail", args=[post.pk])).status_code == 404
        assert client.post(reverse("post_close", args=[post.pk]), {"reason": "x"}).status_code == 404
    decision = {"action": "approve", "opinion": ""}
    assert (
        client.post(reverse("review_decide", args=["unit", cc_items["submitted_unit"].pk]), decision).status_code == 404
    )
    assert (
        client.post(reverse("review_decide", args=["post", cc_items["submitted_post"].pk]), decision).status_code == 404
    )
    queue = client.get(reverse("review_queue")).content.decode()
    assert "长春待审单位" not in queue and "长春待审岗位" not in queue
    assert Unit.objects.get(pk=cc_items["submitted_unit"].pk).status == Unit.Status.SUBMITTED
    assert not ReviewLog.objects.exists()


def test_other_regions_city_gets_404_on_api_objects(city_jl, api_for, cc_items):
    api = api_for(city_jl)
    for unit in (cc_items["approved_unit"], cc_items["submitted_unit"]):
        assert api.get(f"/api/v1/units/{unit.pk}/").status_code == 404
        for action in ("approve", "reject", "return", "submit", "suspend", "revoke"):
            assert api.post(f"/api/v1/units/{unit.pk}/{action}/", {"opinion": "x", "reason": "x"}).status_code == 404
    for post in (cc_items["submitted_post"], cc_items["published_post"]):
        assert api.get(f"/api/v1/posts/{post.pk}/").status_code == 404
        for action in ("approve", "reject", "return", "submit", "close"):
            assert api.post(f"/api/v1/posts/{post.pk}/{action}/", {"opinion": "x", "reason": "x"}).status_code == 404
    assert api.get("/api/v1/units/").json()["count"] == 0
    assert api.get("/api/v1/posts/").json()["count"] == 0


def test_own_regions_city_sees_them(city_cc, client_for, cc_items):
    client = client_for(city_cc)
    assert client.get(reverse("unit_detail", args=[cc_items["submitted_unit"].pk])).status_code == 200
    assert client.get(reverse("post_detail", args=[cc_items["draft_post"].pk])).status_code == 200
    queue = client.get(reverse("review_queue")).content.decode()
    assert "长春待审单位" in queue and "长春待审岗位" in queue


def test_employer_cannot_see_or_edit_another_units_posts(employer_b, client_for, cc_items):
    client = client_for(employer_b)
    for post in (cc_items["draft_post"], cc_items["submitted_post"], cc_items["published_post"]):
        for url in post_pages(post):
            assert client.get(url).status_code == 404
        assert client.post(reverse("post_edit", args=[post.pk]), {"title": "改"}).status_code == 404
        assert client.post(reverse("post_submit", args=[post.pk])).status_code == 404
        assert client.post(reverse("post_close", args=[post.pk]), {"reason": "x"}).status_code == 404
    for url in unit_pages(cc_items["approved_unit"]):
        assert client.get(url).status_code == 404
    listing = client.get(reverse("post_manage_list")).content.decode()
    assert "长春" not in listing.split("<tbody>")[1]
    assert Post.objects.get(pk=cc_items["draft_post"].pk).title == "长春草稿岗位"


def test_employer_cannot_read_another_units_posts_through_the_api(employer_b, api_for, cc_items):
    api = api_for(employer_b)
    for post in (cc_items["draft_post"], cc_items["published_post"]):
        assert api.get(f"/api/v1/posts/{post.pk}/").status_code == 404
        assert api.patch(f"/api/v1/posts/{post.pk}/", {"title": "改"}, format="json").status_code == 404
    assert api.get("/api/v1/posts/").json()["count"] == 0


def test_nobody_sees_another_units_drafts_on_public_pages(cc_items, youth, client_for):
    for client in (Client(), client_for(youth)):
        assert client.get(reverse("post_public", args=[cc_items["draft_post"].pk])).status_code == 404
        assert client.get(reverse("post_public", args=[cc_items["submitted_post"].pk])).status_code == 404
        assert client.get(reverse("unit_public", args=[cc_items["submitted_unit"].pk])).status_code == 404
        assert client.get(reverse("post_public", args=[cc_items["published_post"].pk])).status_code == 200
        listing = client.get(reverse("post_list")).content.decode()
        assert "长春在招岗位" in listing and "长春草稿岗位" not in listing and "长春待审岗位" not in listing


def test_management_pages_need_a_working_role(youth, client_for, cc_items):
    client = client_for(youth)
    assert client.get(reverse("unit_detail", args=[cc_items["approved_unit"].pk])).status_code == 403
    assert client.get(reverse("review_queue")).status_code == 403
    anonymous = Client().get(reverse("review_queue"))
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))


def test_employer_cannot_decide_anything(employer_a, client_for, cc_items):
    client = client_for(employer_a)
    response = client.post(
        reverse("review_decide", args=["post", cc_items["submitted_post"].pk]), {"action": "approve"}
    )
    assert response.status_code == 403
    assert Post.objects.get(pk=cc_items["submitted_post"].pk).status == Post.Status.SUBMITTED


def test_province_reads_everything_but_does_not_decide(province_user, client_for, cc_items):
    client = client_for(province_user)
    assert client.get(reverse("unit_detail", args=[cc_items["submitted_unit"].pk])).status_code == 200
    page = client.post(
        reverse("review_decide", args=["unit", cc_items["submitted_unit"].pk]), {"action": "approve"}, follow=True
    ).content.decode()
    assert "您无权对该事项执行此操作。" in page
    assert Unit.objects.get(pk=cc_items["submitted_unit"].pk).status == Unit.Status.SUBMITTED


def test_documents_are_not_public(employer_a, employer_b, city_jl, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from units import services

    Unit.objects.filter(pk=employer_a.unit_id).update(status=Unit.Status.DRAFT)
    attachment = services.unit_attachment_add(
        unit_id=employer_a.unit_id, by=employer_a, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 test")
    )
    url = reverse("unit_attachment", args=[employer_a.unit_id, attachment.pk])
    assert client_for(employer_b).get(url).status_code == 404
    assert client_for(city_jl).get(url).status_code == 404
    assert Client().get(url).status_code == 302
    attachment.file.delete(save=False)


def test_public_directory_api_shows_no_contact_or_payee_account(unit_a, youth, employer_a, api_for):
    """Young people read what the public page shows; the unit itself reads its own contact and
    account (visitors need an account for this API at all)."""
    from rest_framework.test import APIClient

    assert APIClient().get(f"/api/v1/units/{unit_a.pk}/").status_code == 403
    private = {"contact_name", "contact_phone", "bank_name", "bank_account", "credit_code", "status_reason"}
    client = api_for(youth)
    one = client.get(f"/api/v1/units/{unit_a.pk}/").json()
    assert one["name"] == unit_a.name and not private & set(one), sorted(private & set(one))
    listed = client.get("/api/v1/units/").json()["results"]
    assert listed and all(not private & set(row) for row in listed)
    own = api_for(employer_a).get(f"/api/v1/units/{unit_a.pk}/").json()
    assert {"contact_phone", "bank_account"} <= set(own)
