"""Every outreach page and API route that names a record refuses an outsider — another city, another
unit, or anyone for a record not yet public — with 404 or 403 and changes nothing (CONVENTIONS.md:
scoping; SECURITY.md: isolation). The tables below must name every such route of `outreach.urls`
and of outreach's API viewsets, so a new one cannot ship without its outsider check; lists are
checked to hold none of the other city's records."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, get_resolver
from rest_framework.test import APIClient

from jianxi_portal.core.api import router
from outreach import articles, push
from outreach import events as event_services
from outreach.demonstration import nomination_create
from outreach.followup import contact_record
from outreach.models import Article, ArticleFile, Event, EventPost, EventSignup, FollowUpContact, Nomination, PushLog
from trainees.models import Placement
from trainees.tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db

# Pages that name no record of a region, and why they need no outsider check here.
NO_RECORD = {
    "recommended": "the young person's own recommendations (test_scoping: other roles 403)",
    "preferences": "the young person's own preferences (test_scoping)",
    "unsubscribe": "a signed token, not an id: a wrong token is refused (test_push)",
    "push_open": "a signed token, not an id (test_push)",
    "column": "a public column by its slug (test_columns)",
    "columns": "public columns of published posts",
    "zone": "the public list of published articles",
    "event_list": "the public list of published events",
    "hand_push": "takes ?post= / ?event=: another city's are refused by test_hand_push_refuses_another_citys_records",
    "demonstration": "the province's ranking, province and admin only (test_demonstration)",
    "figure_records": "a figure's records within the user's scope (test_scoping)",
    "article_create": "a new article is always of the writer's own region (test_articles); other roles 403",
    "event_create": "a new event is always of the city's own region (test_events); other roles 403",
    "article_manage_list": "a list: test_lists_hold_none_of_another_citys_records",
    "event_manage_list": "a list: test_lists_hold_none_of_another_citys_records",
    "unit_events": "a list: test_lists_hold_none_of_another_citys_records",
    "followup_list": "a list: test_lists_hold_none_of_another_citys_records",
}


@pytest.fixture
def cc(city_cc, province_user, unit_a, make_post, make_seeker, today, settings, tmp_path):
    """One record of every outreach kind in 长春 (unit_a): a post pushed to a young person, a draft
    event with that post and a sign-up, a draft article with a file, a follow-up case with a
    contact, a nomination of unit_a."""
    settings.MEDIA_ROOT = str(tmp_path)
    post = make_post(unit=unit_a, majors="会计学", title="长春会计见习")
    seeker = make_seeker()
    push.push_post_approved(post_id=post.pk)
    event = event_services.event_create(
        by=city_cc, title="长春专场", kind="special", starts_on=today, place="长春市人力资源市场"
    )
    event_services.event_post_add(event_id=event.pk, post_id=post.pk, by=city_cc)
    signup = EventSignup.objects.create(event=event, user=seeker.user)
    article = articles.article_create(by=city_cc, kind="notice", title="长春通知", body="<p>通知</p>")
    item = articles.article_file_add(
        article_id=article.pk,
        by=city_cc,
        kind="image",
        upload=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 32),
    )
    case = PlacementFactory(
        post__unit=unit_a,
        status=Placement.Status.ENDED,
        started_on=date(2026, 3, 1),
        ended_on=date(2026, 9, 1),
        end="abnormal",
    )
    contact = contact_record(placement_id=case.pk, by=city_cc, contacted_on=today, method="phone", outcome="looking")
    nomination = nomination_create(unit_id=unit_a.pk, year=2026, note="留用率高", by=province_user)
    return {
        "post": post,
        "seeker": seeker,
        "push": PushLog.objects.get(),
        "event": event,
        "signup": signup,
        "article": article,
        "file": item,
        "case": case,
        "contact": contact,
        "nomination": nomination,
    }


def rows():
    """Everything the outsiders could change, read again from the database."""
    return {
        model.__name__: sorted(model.objects.values_list(), key=lambda row: row[0])
        for model in (Event, EventPost, EventSignup, Article, ArticleFile, FollowUpContact, PushLog, Nomination)
    }


# URL name -> (outsider, method, path from the records, form data)
PAGES = [
    ("post_candidates", "employer_b", "get", "/manage/posts/{post}/candidates/", {}),
    ("post_candidates", "city_jl", "get", "/manage/posts/{post}/candidates/", {}),
    ("post_invite", "employer_b", "post", "/manage/posts/{post}/candidates/{seeker}/invite/", {}),
    ("post_invite", "city_jl", "post", "/manage/posts/{post}/candidates/{seeker}/invite/", {}),
    ("post_pushes", "employer_b", "get", "/manage/posts/{post}/pushes/", {}),
    ("post_pushes", "city_jl", "get", "/manage/posts/{post}/pushes/", {}),
    ("event_pushes", "city_jl", "get", "/manage/events/{event}/pushes/", {}),
    ("article", "youth", "get", "/zone/{article}/", {}),
    ("article", "city_jl", "get", "/zone/{article}/", {}),
    ("article_file", "youth", "get", "/zone/files/{file}/", {}),
    ("article_file", "city_jl", "get", "/zone/files/{file}/", {}),
    ("article_edit", "city_jl", "get", "/manage/zone/{article}/", {}),
    (
        "article_edit",
        "city_jl",
        "post",
        "/manage/zone/{article}/",
        {"kind": "notice", "title": "改", "body": "<p>改</p>"},
    ),
    ("article_action", "city_jl", "post", "/manage/zone/{article}/publish/", {}),
    ("article_action", "city_jl", "post", "/manage/zone/{article}/unpublish/", {}),
    ("article_file_add", "city_jl", "post", "/manage/zone/{article}/files/", {"kind": "image"}),
    ("article_file_delete", "city_jl", "post", "/manage/zone/{article}/files/{file}/delete/", {}),
    ("event_public", "youth", "get", "/events/{event}/", {}),
    ("event_apply", "youth", "get", "/events/{event}/apply/{post}/", {}),
    ("event_apply", "youth", "post", "/events/{event}/apply/{post}/", {"note": ""}),
    ("event_signup", "youth", "post", "/events/{event}/signup/", {}),
    ("event_check_in", "youth", "post", "/events/{event}/check-in/", {"code": "{code}"}),
    ("booth_confirm", "employer_b", "post", "/manage/my-events/{event}/posts/{post}/confirm/", {}),
    ("event_detail", "city_jl", "get", "/manage/events/{event}/", {}),
    ("event_edit", "city_jl", "get", "/manage/events/{event}/edit/", {}),
    (
        "event_edit",
        "city_jl",
        "post",
        "/manage/events/{event}/edit/",
        {"title": "改", "kind": "special", "starts_on": "2026-12-20", "place": "别处"},
    ),
    ("event_action", "city_jl", "post", "/manage/events/{event}/publish/", {}),
    ("event_action", "city_jl", "post", "/manage/events/{event}/cancel/", {"reason": "x"}),
    ("event_post_add", "city_jl", "post", "/manage/events/{event}/posts/", {"post": "{post}"}),
    ("event_post_remove", "city_jl", "post", "/manage/events/{event}/posts/{post}/remove/", {}),
    ("event_check_in_from_list", "city_jl", "post", "/manage/events/{event}/signups/{signup}/check-in/", {}),
    ("followup_detail", "city_jl", "get", "/follow-up/{case}/", {}),
    (
        "followup_detail",
        "city_jl",
        "post",
        "/follow-up/{case}/",
        {"contacted_on": "2026-12-01", "method": "phone", "outcome": "looking"},
    ),
    ("nominate", "city_jl", "post", "/demonstration/units/{unit}/nominate/", {"year": "2026", "note": "x"}),
    ("nomination_withdraw", "city_jl", "post", "/demonstration/nominations/{nomination}/withdraw/", {}),
]


def _ids(records, unit_a):
    return {
        "post": records["post"].pk,
        "seeker": records["seeker"].pk,
        "event": records["event"].pk,
        "article": records["article"].pk,
        "file": records["file"].pk,
        "signup": records["signup"].pk,
        "case": records["case"].pk,
        "nomination": records["nomination"].pk,
        "unit": unit_a.pk,
        "code": records["event"].checkin_code,
    }


def _outreach_page_names(patterns=None, namespace="") -> set[str]:
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLPattern):
            if namespace == "outreach" and pattern.name:
                names.add(pattern.name)
        else:
            names |= _outreach_page_names(pattern.url_patterns, pattern.namespace or namespace)
    return names


def test_the_table_names_every_outreach_page():
    names = _outreach_page_names()
    assert names, "outreach's URLs were not found"
    assert names - {name for name, *_ in PAGES} - set(NO_RECORD) == set()


def test_every_outreach_page_naming_a_record_refuses_an_outsider(request, client_for, cc, unit_a):
    """One set-up for the whole table (each row is a request; the rows are checked after each)."""
    ids = _ids(cc, unit_a)
    before = rows()
    accepted = []
    for name, who, method, path, data in PAGES:
        url = path.format(**ids)
        body = {key: str(value).format(**ids) for key, value in data.items()}
        if name == "article_file_add":
            body["file"] = SimpleUploadedFile("b.png", b"\x89PNG\r\n\x1a\n" + b"0" * 32)
        response = getattr(client_for(request.getfixturevalue(who)), method)(url, body)
        if response.status_code not in (403, 404) or rows() != before:
            accepted.append(f"{who} {method.upper()} {url} -> {response.status_code}")
    assert accepted == []


def test_hand_push_refuses_another_citys_records(client_for, cc, city_jl):
    client = client_for(city_jl)
    Event.objects.filter(pk=cc["event"].pk).update(status=Event.Status.PUBLISHED)
    before = rows()
    for query in (f"post={cc['post'].pk}", f"event={cc['event'].pk}"):
        page = client.get(f"/manage/push/?{query}")
        assert page.status_code == 200 and page.context["rows"] == [], query
        assert "只能推送本市（州）已发布的岗位或招聘活动" in page.content.decode(), query
    client.post("/manage/push/", {"post": cc["post"].pk})
    client.post("/manage/push/", {"event": cc["event"].pk})
    assert rows() == before


def test_lists_hold_none_of_another_citys_records(client_for, cc, city_jl, employer_b):
    client = client_for(city_jl)
    for url, title in (
        ("/manage/events/", "长春专场"),
        ("/manage/zone/", "长春通知"),
        ("/follow-up/", cc["case"].trainee.name),
    ):
        page = client.get(url)
        assert page.status_code == 200 and title not in page.content.decode(), url
    page = client_for(employer_b).get("/manage/my-events/")
    assert page.status_code == 200 and "长春专场" not in page.content.decode()


# API route name -> (outsider, method, path, body)
API = [
    ("event-detail", "city_jl", "get", "/api/v1/events/{event}/", None),
    ("event-detail", "youth", "get", "/api/v1/events/{event}/", None),
    ("event-detail", "city_jl", "patch", "/api/v1/events/{event}/", {"place": "别处"}),
    ("event-publish", "city_jl", "post", "/api/v1/events/{event}/publish/", {}),
    ("event-cancel", "city_jl", "post", "/api/v1/events/{event}/cancel/", {"reason": "x"}),
    ("event-add-post", "city_jl", "post", "/api/v1/events/{event}/posts/", {"post": "{post}"}),
    ("event-signup", "youth", "post", "/api/v1/events/{event}/signup/", {}),
    ("event-check-in", "youth", "post", "/api/v1/events/{event}/check-in/", {"code": "{code}"}),
    ("article-detail", "city_jl", "get", "/api/v1/articles/{article}/", None),
    ("article-detail", "youth", "get", "/api/v1/articles/{article}/", None),
    ("article-detail", "city_jl", "patch", "/api/v1/articles/{article}/", {"title": "改"}),
    ("article-publish", "city_jl", "post", "/api/v1/articles/{article}/publish/", {}),
    ("article-unpublish", "city_jl", "post", "/api/v1/articles/{article}/unpublish/", {}),
    ("follow-up-detail", "city_jl", "get", "/api/v1/follow-ups/{contact}/", None),
    ("follow-up-detail", "employer_a", "get", "/api/v1/follow-ups/{contact}/", None),
    ("push-detail", "city_jl", "get", "/api/v1/pushes/{push}/", None),
    ("push-detail", "employer_b", "get", "/api/v1/pushes/{push}/", None),
    ("push-detail", "youth", "get", "/api/v1/pushes/{push}/", None),
    ("nomination-detail", "city_jl", "get", "/api/v1/nominations/{nomination}/", None),
    ("nomination-detail", "city_jl", "delete", "/api/v1/nominations/{nomination}/", None),
]
API_LISTS = {
    "event-list": "/api/v1/events/",
    "article-list": "/api/v1/articles/",
    "follow-up-list": "/api/v1/follow-ups/",
    "push-list": "/api/v1/pushes/",
    "nomination-list": "/api/v1/nominations/",
}
OUTREACH_BASENAMES = ("event", "article", "follow-up", "push", "nomination")


def test_the_table_names_every_outreach_api_route():
    names = {
        url.name
        for url in router.urls
        if url.name and url.name.split("-")[0] in ("event", "article", "follow", "push", "nomination")
    }
    names = {name for name in names if any(name.startswith(base + "-") for base in OUTREACH_BASENAMES)}
    assert names >= set(API_LISTS) and names - {name for name, *_ in API} - set(API_LISTS) == set()


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_every_outreach_api_route_refuses_an_outsider(request, cc, unit_a):
    ids = {**_ids(cc, unit_a), "push": cc["push"].pk, "contact": cc["contact"].pk}
    before = rows()
    accepted = []
    for _name, who, method, path, body in API:
        url = path.format(**ids)
        client = _api(request.getfixturevalue(who))
        if body is None:
            response = getattr(client, method)(url)
        else:
            response = getattr(client, method)(url, {k: str(v).format(**ids) for k, v in body.items()}, format="json")
        if response.status_code not in (403, 404) or rows() != before:
            accepted.append(f"{who} {method.upper()} {url} -> {response.status_code}")
    assert accepted == []


def test_outreach_api_lists_hold_none_of_another_citys_records(cc, city_jl):
    client = _api(city_jl)
    own = {
        "event-list": cc["event"].pk,
        "article-list": cc["article"].pk,
        "follow-up-list": cc["contact"].pk,
        "push-list": cc["push"].pk,
        "nomination-list": cc["nomination"].pk,
    }
    for name, url in API_LISTS.items():
        response = client.get(url)
        assert response.status_code in (200, 403), url
        if response.status_code == 200:
            assert own[name] not in [row["id"] for row in response.data["results"]], url
