"""Outsiders: another city's or unit's records are a 404 on every outreach page (the same answer as
a record that does not exist) and never appear in lists."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from outreach import articles
from outreach import events as event_services
from outreach.models import Event
from trainees.models import Placement
from trainees.tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event_cc(city_cc, today):
    return event_services.event_create(by=city_cc, title="长春专场", kind="special", starts_on=today, place="长春")


def test_event_pages_refuse_another_city(client_for, city_jl, event_cc, make_post, unit_a):
    client = client_for(city_jl)
    base = f"/manage/events/{event_cc.pk}"
    for url in (f"{base}/", f"{base}/edit/"):
        assert client.get(url).status_code == 404, url
    post = make_post(unit=unit_a)
    for url, data in (
        (f"{base}/publish/", {}),
        (f"{base}/cancel/", {}),
        (f"{base}/posts/", {"post": post.pk}),
        (f"{base}/posts/{post.pk}/remove/", {}),
    ):
        assert client.post(url, data).status_code == 404, url
    assert event_cc not in client.get("/manage/events/").context["page"].object_list
    event_cc.refresh_from_db()
    assert event_cc.status == Event.Status.DRAFT and not event_cc.posts.exists()


def test_event_management_is_for_staff_only(client_for, employer_a, youth, event_cc):
    for user in (employer_a, youth):
        client = client_for(user)
        assert client.get("/manage/events/").status_code == 403
        assert client.get(f"/manage/events/{event_cc.pk}/").status_code == 403


def test_province_reads_every_event_but_cannot_change_it(client_for, province_user, event_cc):
    client = client_for(province_user)
    assert client.get(f"/manage/events/{event_cc.pk}/").status_code == 200
    assert client.post(f"/manage/events/{event_cc.pk}/publish/").status_code == 403


def test_candidate_pages_refuse_another_unit_and_another_city(
    client_for, employer_b, city_jl, make_post, unit_a, make_seeker
):
    post = make_post(unit=unit_a, majors="会计学")
    seeker = make_seeker()
    for user in (employer_b, city_jl):
        client = client_for(user)
        assert client.get(f"/manage/posts/{post.pk}/candidates/").status_code == 404
        assert client.post(f"/manage/posts/{post.pk}/candidates/{seeker.pk}/invite/").status_code == 404
    assert client_for(make_seeker().user).get(f"/manage/posts/{post.pk}/candidates/").status_code == 403


def test_employer_sees_and_invites_its_own_post_candidates(client_for, employer_a, make_post, unit_a, make_seeker):
    post = make_post(unit=unit_a, majors="会计学")
    seeker = make_seeker()
    client = client_for(employer_a)
    page = client.get(f"/manage/posts/{post.pk}/candidates/")
    assert [m.obj for m in page.context["matches"]] == [seeker]
    assert "专业相符：会计学" in page.content.decode()
    client.post(f"/manage/posts/{post.pk}/candidates/{seeker.pk}/invite/")
    assert seeker.pushes.get().kind == "invite"


def test_figure_records_stay_in_the_users_scope(client_for, city_cc, employer_a, unit_a, unit_b):
    for unit in (unit_a, unit_b):
        PlacementFactory(post__unit=unit, status=Placement.Status.ON_DUTY, started_on=date(2026, 3, 1))
    city = client_for(city_cc)
    assert city.get("/dashboard/records/started/?year=2026").context["total"] == 1
    assert city.get("/dashboard/records/started/?year=2026&region=jilin").context["total"] == 0
    assert city.get(f"/dashboard/records/started/?year=2026&unit={unit_b.pk}").context["total"] == 0
    employer = client_for(employer_a)
    assert employer.get("/dashboard/records/started/?year=2026").context["total"] == 1
    assert employer.get("/dashboard/records/started/?year=2026&month=13").status_code == 400
    assert employer.get("/dashboard/records/nothing/").status_code == 404


def test_figure_records_are_not_for_young_people_or_visitors(client, client_for, youth):
    assert client_for(youth).get("/dashboard/records/started/").status_code == 403
    client.logout()
    assert client.get("/dashboard/records/started/").status_code == 302


@override_settings(MEDIA_ROOT="/tmp/jianxi-outreach-test-media")
def test_article_file_pages_refuse_another_city(client_for, city_cc, city_jl):
    article = articles.article_create(by=city_cc, kind="notice", title="通知", body="<p>x</p>")
    item = articles.article_file_add(
        article_id=article.pk,
        by=city_cc,
        kind="image",
        upload=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 32),
    )
    client = client_for(city_jl)
    assert (
        client.post(
            f"/manage/zone/{article.pk}/files/",
            {"kind": "image", "file": SimpleUploadedFile("b.png", b"\x89PNG\r\n\x1a\n")},
        ).status_code
        == 404
    )
    assert client.post(f"/manage/zone/{article.pk}/files/{item.pk}/delete/").status_code == 404
    assert client.get(f"/zone/files/{item.pk}/").status_code == 404
    assert article.files.count() == 1


def test_recommendations_and_preferences_are_the_young_persons_own(
    client_for, city_cc, make_seeker, make_post, changchun, jilin_region
):
    assert client_for(city_cc).get("/me/recommended/").status_code == 403
    seeker = make_seeker()
    make_post(majors="会计学")
    client = client_for(seeker.user)
    response = client.post("/me/preferences/", {"regions": [jilin_region.pk], "categories": ["technical"]})
    assert response.status_code == 302
    seeker.refresh_from_db()
    assert list(seeker.preferred_regions.all()) == [jilin_region]
    assert seeker.categories == ["technical"]
    page = client.get("/me/recommended/")
    assert len(page.context["matches"]) == 1 and "专业相符：会计学" in page.content.decode()
    assert "地区不在意向内：长春市" in page.content.decode()


def test_follow_up_detail_of_another_city_is_404_even_for_a_contact_post(client_for, city_jl, unit_a, today):
    case = PlacementFactory(
        post__unit=unit_a,
        status=Placement.Status.ENDED,
        started_on=date(2026, 3, 1),
        ended_on=date(2026, 9, 1),
        end="abnormal",
    )
    response = client_for(city_jl).post(
        f"/follow-up/{case.pk}/",
        {"contacted_on": (today - timedelta(days=1)).isoformat(), "method": "phone", "outcome": "looking"},
    )
    assert response.status_code == 404
    assert not case.follow_ups.exists()


def test_public_post_page_links_its_own_unit_to_the_candidates(client_for, employer_a, employer_b, make_post, unit_a):
    post = make_post(unit=unit_a)
    link = f"/manage/posts/{post.pk}/candidates/"
    assert link in client_for(employer_a).get(f"/posts/{post.pk}/").content.decode()
    assert link not in client_for(employer_b).get(f"/posts/{post.pk}/").content.decode()


def test_pages_that_create_refuse_roles_without_the_right(
    client_for, employer_a, city_cc, youth, unit_a, province_user
):
    employer = client_for(employer_a)
    assert employer.get("/manage/events/new/").status_code == 403
    assert employer.get("/manage/zone/new/").status_code == 403
    assert employer.get("/me/preferences/").status_code == 403
    city = client_for(city_cc)
    assert city.post(f"/demonstration/units/{unit_a.pk}/nominate/", {"year": 2026, "note": "x"}).status_code == 403
    from outreach.demonstration import nomination_create

    nomination = nomination_create(unit_id=unit_a.pk, year=2026, note="好", by=province_user)
    assert city.post(f"/demonstration/nominations/{nomination.pk}/withdraw/").status_code == 403
    assert client_for(youth).get("/manage/zone/").status_code == 403


def test_event_apply_page_refuses_a_post_outside_the_event(
    client_for, event_cc, city_cc, make_post, unit_a, make_seeker
):
    event_services.event_publish(event_id=event_cc.pk, by=city_cc)
    outside = make_post(unit=unit_a)
    client = client_for(make_seeker().user)
    assert client.get(f"/events/{event_cc.pk}/apply/{outside.pk}/").status_code == 404
    event_services.event_post_add(event_id=event_cc.pk, post_id=outside.pk, by=city_cc)
    assert client.get(f"/events/{event_cc.pk}/apply/{outside.pk}/").status_code == 200
