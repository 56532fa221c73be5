"""The REST API as a whole: rate limits per token, the errors documented on every operation of
/api/schema/, and a schema-driven fuzz run (schemathesis, a bounded number of examples per
operation) that must find no server error on any endpoint."""

import json
from decimal import Decimal
from urllib.parse import urlencode

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.core import NotSet as NotSetType

from positions.tests.factories import ApprovedPostFactory, PostFactory
from trainees.tests.factories import OnDutyPlacementFactory, TraineeFactory

pytestmark = pytest.mark.django_db


def token_for(user) -> str:
    from accounts.tokens import token_issue

    return token_issue(user=user, by=user)[1]


# Rate limits ----------------------------------------------------------------------------------


@pytest.fixture
def low_rates(settings):
    from django.core.cache import cache

    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "3/minute", "user": "5/minute", "anon": "2/minute"},
    }
    yield
    cache.clear()


def test_each_token_has_its_own_limit(client, city_cc, low_rates):
    first, second = token_for(city_cc), token_for(city_cc)
    codes = [client.get("/api/v1/regions/", HTTP_AUTHORIZATION=f"Token {first}").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = client.get("/api/v1/regions/", HTTP_AUTHORIZATION=f"Token {first}")
    assert int(refused["Retry-After"]) > 0 and refused.json()["detail"]
    assert client.get("/api/v1/regions/", HTTP_AUTHORIZATION=f"Token {second}").status_code == 200


def test_session_calls_are_limited_per_user(client_for, city_cc, city_jl, low_rates):
    client = client_for(city_cc)
    assert [client.get("/api/v1/regions/").status_code for _ in range(6)] == [200] * 5 + [429]
    assert client_for(city_jl).get("/api/v1/regions/").status_code == 200


# The schema -----------------------------------------------------------------------------------


@pytest.fixture
def schema_doc(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def test_every_operation_documents_its_errors(schema_doc):
    operations = [
        (path, method, op)
        for path, methods in schema_doc["paths"].items()
        for method, op in methods.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    assert len(operations) > 40
    for path, method, op in operations:
        assert {"401", "403", "429"} <= set(op["responses"]), (path, method)
        if "{" in path:
            assert "404" in op["responses"], (path, method)
        if method in {"post", "put", "patch"}:
            assert "400" in op["responses"], (path, method)
    assert schema_doc["components"]["schemas"]["FieldErrors"]["additionalProperties"]["type"] == "array"


def test_every_contract_resource_is_in_the_schema(schema_doc):
    for resource in (
        "regions",
        "quotas",
        "units",
        "posts",
        "trainees",
        "applications",
        "placements",
        "claims",
        "disbursements",
        "reports/annex2",
    ):
        assert f"/api/v1/{resource}/" in schema_doc["paths"], resource
    for action in ("submit", "approve", "reject", "return", "suspend", "revoke"):
        assert f"/api/v1/units/{{id}}/{action}/" in schema_doc["paths"], action
    for action in ("start", "complete", "retain", "terminate"):
        assert f"/api/v1/placements/{{id}}/{action}/" in schema_doc["paths"], action
    assert "/api/v1/posts/{id}/close/" in schema_doc["paths"]


# Filters, ordering, pagination ----------------------------------------------------------------

UNPAGINATED = {"/api/v1/regions/", "/api/v1/reports/annex2/"}  # 11 reference rows; a report, not a list


def test_every_list_is_paginated_and_orderable(schema_doc, api_for, province_user):
    lists = [p for p, ops in schema_doc["paths"].items() if "get" in ops and "{" not in p and p not in UNPAGINATED]
    assert len(lists) >= 11
    api = api_for(province_user)
    for path in lists:
        names = {p["name"] for p in schema_doc["paths"][path]["get"].get("parameters", [])}
        assert {"page", "page_size"} <= names, path
        response = api.get(path, {"page_size": 1, **({"ordering": "-id"} if "ordering" in names else {})})
        assert response.status_code == 200, (path, response.content[:200])
        assert set(response.json()) >= {"count", "next", "previous", "results"}, path


@pytest.mark.parametrize(
    "path, filters",
    [
        ("/api/v1/claims/", {"status", "payment", "region", "year", "q", "ordering"}),
        ("/api/v1/disbursements/", {"year", "date_from", "date_to", "funding_level", "region", "q", "ordering"}),
        (
            "/api/v1/placements/",
            {"status", "unit", "category", "started", "ended", "filing", "region", "q", "ordering"},
        ),
        ("/api/v1/units/", {"status", "industry", "unit_type", "ordering"}),
        ("/api/v1/posts/", {"status", "category", "unit", "ordering"}),
        ("/api/v1/trainees/", {"category", "ordering"}),
        ("/api/v1/quotas/", {"year", "region", "ordering"}),
        ("/api/v1/mentors/", {"unit", "active", "ordering"}),
        ("/api/v1/internships/", {"status", "unit", "ordering"}),
    ],
)
def test_list_filters_are_documented(schema_doc, path, filters):
    names = {p["name"] for p in schema_doc["paths"][path]["get"]["parameters"]}
    assert filters <= names, filters - names


def test_placements_ordering_and_filters_through_the_api(api_for, city_cc, unit_a):
    post = ApprovedPostFactory(unit=unit_a, allowance=Decimal("1500.00"), slots=5)
    first = OnDutyPlacementFactory(post=post, trainee=TraineeFactory(name="甲"), allowance=Decimal("1500.00"))
    second = OnDutyPlacementFactory(post=post, trainee=TraineeFactory(name="乙"), allowance=Decimal("1500.00"))
    api = api_for(city_cc)
    ids = [r["id"] for r in api.get("/api/v1/placements/", {"ordering": "id"}).json()["results"]]
    assert ids == [first.pk, second.pk]
    ids = [r["id"] for r in api.get("/api/v1/placements/", {"ordering": "-id"}).json()["results"]]
    assert ids == [second.pk, first.pk]
    assert api.get("/api/v1/placements/", {"status": "ended"}).json()["count"] == 0


def test_claims_filter_by_status_through_the_api(api_for, city_cc, unit_a):
    from subsidies.tests.factories import ApprovedClaimFactory, ClaimFactory

    ClaimFactory(unit=unit_a)
    approved = ApprovedClaimFactory(unit=unit_a)
    response = api_for(city_cc).get("/api/v1/claims/", {"status": "approved"}).json()
    assert [r["id"] for r in response["results"]] == [approved.pk]


# Fuzz -----------------------------------------------------------------------------------------
# The schema is built in-process (no HTTP, no database at collection); each generated case is sent
# through Django's test client with a city user's token, against records of two regions.

MAX_EXAMPLES = 5


def _schema_dict() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))


api_schema = schemathesis.openapi.from_dict(_schema_dict())


@pytest.fixture
def fuzz_world(city_cc, unit_a, unit_b):
    """Records of the caller's region and another, so detail and action endpoints meet real ids."""
    from django.core.cache import cache

    cache.clear()
    post = ApprovedPostFactory(unit=unit_a, allowance=Decimal("1500.00"))
    PostFactory(unit=unit_a)
    ApprovedPostFactory(unit=unit_b, allowance=Decimal("1500.00"))
    OnDutyPlacementFactory(post=post, trainee=TraineeFactory(), allowance=Decimal("1500.00"))
    return {"HTTP_AUTHORIZATION": f"Token {token_for(city_cc)}"}


def send(client, case, auth: dict):
    """One generated case through the whole Django stack."""
    query = urlencode(case.query or {}, doseq=True)
    extra = {
        **auth,
        **{
            f"HTTP_{k.upper().replace('-', '_')}": str(v)
            for k, v in (case.headers or {}).items()
            if k.lower() != "authorization"
        },
    }
    body, content_type = b"", "application/json"
    if case.body is not None and not isinstance(case.body, NotSetType):
        if case.media_type and "json" not in case.media_type:
            content_type = case.media_type
            body = case.body if isinstance(case.body, bytes) else str(case.body).encode()
        else:
            body = json.dumps(case.body, default=str)
    return client.generic(
        case.method.upper(), case.formatted_path, data=body, content_type=content_type, QUERY_STRING=query, **extra
    )


@api_schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck), database=None
)
def test_fuzz_no_server_error(case, fuzz_world, client):
    response = send(client, case, fuzz_world)
    assert response.status_code < 500, (case.method, case.formatted_path, case.query, case.body, response.content[:500])
