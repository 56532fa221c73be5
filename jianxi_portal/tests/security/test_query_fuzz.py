"""Query-parameter fuzz (SECURITY.md item 9): every URL pattern that reads a query string, as every
role, with hostile values in each of its parameters — no answer may be a server error.

The patterns come from the URL resolver: every one without an object id in its path (lists,
searches, dashboards, exports; a path's `register`, `key` and `slug` take each of their real values),
plus the Django admin's change lists. A pattern reads a query string when, requested plainly by any
role, its view binds a form of `jianxi_portal.core.query` (a list's QueryForm, an API FilterSet's form or
an export's form): the parameters fuzzed are that form's fields and `page`. The admin's change lists
take `q`, `o` and `p`.

Each hostile value is sent in all of a pattern's parameters at once; when the view's form refuses
some of them (400), the value is sent again in the parameters the form accepted, so that accepted
hostile values reach the selectors and templates behind the form."""

import re
import time
from datetime import date

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from accounts.twofactor import verify_test_client
from exchange.exports import EXPORTERS
from jianxi_portal.core import query
from jianxi_portal.core.models import User
from jianxi_portal.tests.factories import UserFactory
from outreach.columns import BY_SLUG
from outreach.figures import FIGURES
from outreach.models import Article, Event
from positions.tests.factories import ApprovedPostFactory
from subsidies.tests.factories import ApprovedClaimFactory, DisbursementFactory
from trainees.tests.factories import OnDutyPlacementFactory, TraineeFactory

HOSTILE = {
    "NUL": "a\x00b",  # every control character is refused alike (test_query_parameters.py checks others)
    "huge integer": "9" * 30,
    "negative": "-3",
    "invalid date": "2026-02-30",
    "far date": "9999-12-31",
    "10 kB string": "A" * 10240,
    "mixed scripts": "Ωмир漢字한글عربي\u202e😀'\"%_\\<b>",
}
ROLES = ("anonymous", "youth", "employer", "city", "province", "admin")
# A role refused before the view reads its query string gets this one; a role it reads for, all.
REFUSED_ROLE_VALUES = ("NUL",)
# Generated API documentation, not lists: drf-spectacular reads its own `format`/`lang`; a control
# character in them is refused by the query middleware like anywhere else.
EXEMPT = {"api/schema/", "api/docs/", "api/redoc/"}
OBJECT_KWARGS = {
    "pk",
    "object_id",
    "id",
    "attachment_pk",
    "file_id",
    "post_id",
    "unit_id",
    "token",
    "path",
    "content_type_id",
    "profile_id",
    "action",
}
ADMIN_LIST_PARAMS = ("q", "o", "p")
ROUTE_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
REGEX_PARAM = re.compile(r"\(\?P<(\w+)>[^()]*\)")


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def _kwargs(text: str) -> list[str]:
    return [m.group(2) for m in ROUTE_PARAM.finditer(text)] + REGEX_PARAM.findall(text)


VALUES = {
    "year": ["2026"],
    "month": ["11"],
    "number": ["1"],
    "region": ["changchun"],
    "code": ["changchun"],
    "kind": ["rate"],
    "slug": sorted(BY_SLUG),
    "key": sorted(FIGURES),
    "register": sorted(EXPORTERS),
    "drf_format_suffix": [""],
}


def _urls(text: str) -> list[str]:
    """Every URL of a pattern without object ids, each kwarg taking each of its values."""
    urls = [text]
    for name in _kwargs(text):
        expanded = []
        for url in urls:
            for value in VALUES[name]:
                expanded.append(re.sub(rf"<(?:\w+:)?{name}>|\(\?P<{name}>[^()]*\)", value, url, count=1))
        urls = expanded
    return ["/" + url.replace("\\.", ".") for url in urls]


def _patterns():
    """(pattern text, URLs) of the resolver's patterns without an object id; admin change lists apart."""
    pages, admin_lists = [], []
    for text, pattern in _walk(get_resolver().url_patterns):
        text = text.replace("^", "").replace("$", "")
        if text in EXEMPT:
            continue
        if text.startswith("admin/"):
            if (pattern.name or "").endswith("_changelist"):
                admin_lists.append((text, ["/" + text]))
            continue
        names = set(_kwargs(text))
        if names & OBJECT_KWARGS or not names <= set(VALUES):
            continue
        urls = [u for u in _urls(text) if resolve(u).func is pattern.callback]
        assert urls, text
        pages.append((text, urls))
    return pages, admin_lists


class FormSpy:
    """Records the `jianxi_portal.core.query` forms a request binds (not the middleware's base check)."""

    def __init__(self, monkeypatch):
        self.seen: list = []
        original = query.QueryForm.full_clean

        def full_clean(form):
            original(form)
            if type(form) is not query.QueryForm:
                self.seen.append(form)

        monkeypatch.setattr(query.QueryForm, "full_clean", full_clean)

    def take(self) -> list:
        seen, self.seen = self.seen, []
        return seen


def _cast(changchun, jilin_region, unit_a, unit_b):
    users = {
        "youth": UserFactory(username="fuzz_youth", role=User.Role.YOUTH),
        "employer": UserFactory(username="fuzz_employer", role=User.Role.EMPLOYER, unit=unit_a),
        "city": UserFactory(username="fuzz_city", role=User.Role.CITY, region=changchun),
        "province": UserFactory(username="fuzz_province", role=User.Role.PROVINCE),
        "admin": UserFactory(username="fuzz_admin", role=User.Role.ADMIN, is_staff=True, is_superuser=True),
    }
    for unit in (unit_a, unit_b):
        post = ApprovedPostFactory(unit=unit, title=f"{unit.name}的岗位")
        trainee = TraineeFactory(region=unit.region, id_serial=800 + unit.pk % 100)
        OnDutyPlacementFactory(trainee=trainee, post=post)
        DisbursementFactory(
            claim=ApprovedClaimFactory(unit=unit, period_from=date(2026, 4, 1), period_to=date(2026, 4, 1)),
            recorded_by=users["city"],
        )
        Article.objects.create(
            title="政策解读",
            summary="",
            body="正文",
            region=unit.region,
            author=users["city"],
            status=Article.Status.PUBLISHED,
        )
        Event.objects.create(
            region=unit.region,
            title="招聘会",
            starts_on=date(2026, 12, 20),
            place="会场",
            description="说明",
            created_by=users["city"],
            status=Event.Status.PUBLISHED,
        )
    return users


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
        verify_test_client(client, user)
    return client


def _is_chinese_400(response) -> bool:
    if response.get("Content-Type", "").startswith("application/json"):
        body = response.json()
        return isinstance(body, dict) and all(isinstance(v, list) and v for v in body.values())
    return "查询条件有误" in response.content.decode()


def test_hostile_query_parameters_never_cause_a_server_error(
    changchun, jilin_region, unit_a, unit_b, monkeypatch, figures, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    started = time.monotonic()
    users = _cast(changchun, jilin_region, unit_a, unit_b)
    clients = {role: _client(users.get(role)) for role in ROLES}
    spy = FormSpy(monkeypatch)
    pages, admin_lists = _patterns()
    failures, attempts, refused = [], 0, 0

    def get(role, url, params):
        nonlocal attempts, refused
        attempts += 1
        response = clients[role].get(url, params)
        if response.status_code >= 500:
            failures.append(f"{role} GET {url} {sorted(params)} → {response.status_code}")
        elif response.status_code == 400:
            refused += 1
            if not _is_chinese_400(response):
                failures.append(f"{role} GET {url}: 400 without the query message")
        return response, spy.take()

    # Which patterns read a query string, for whom, and which parameters (plain requests).
    parameters: dict[str, set] = {}
    readers: dict[str, set] = {}
    for _, urls in pages:
        for url in urls:
            for role in ROLES:
                _, forms = get(role, url, {})
                if forms:
                    parameters.setdefault(url, {"page"}).update(name for f in forms for name in f.fields)
                    readers.setdefault(url, set()).add(role)
    for _, urls in admin_lists:
        parameters.update({url: set(ADMIN_LIST_PARAMS) for url in urls})
        readers.update({url: {"admin"} for url in urls})
    list_patterns = {text for text, urls in pages if any(u in parameters for u in urls)}

    for url, names in parameters.items():
        for role in ROLES:
            kinds = HOSTILE if role in readers[url] else REFUSED_ROLE_VALUES
            for kind in kinds:
                response, forms = get(role, url, dict.fromkeys(names, HOSTILE[kind]))
                refused_names = {name for f in forms for name in f.errors}
                accepted = names - refused_names
                if response.status_code == 400 and refused_names and accepted:
                    get(role, url, dict.fromkeys(accepted, HOSTILE[kind]))

    assert not failures, "\n".join(failures[:40])
    assert len(list_patterns) >= 40  # the lists, dashboards, exports and API lists found above
    seconds = time.monotonic() - started
    urls = len(parameters) - sum(len(u) for _, u in admin_lists)
    figures.add(
        "9",
        f"query-parameter fuzz: 0 of {attempts} requests answered 5xx — {len(list_patterns)} URL patterns "
        f"that read a query string ({urls} URLs, found among {len(pages)} patterns without an object id) "
        f"and {len(admin_lists)} admin change lists × {len(ROLES)} roles; {len(HOSTILE)} hostile values "
        f"({', '.join(HOSTILE)}) in every parameter for each role the view reads it for, NUL for the "
        f"others; {refused} answered 400 with a Chinese message ({seconds:.0f} s)",
    )
