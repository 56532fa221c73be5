"""The API spine: authentication, scoping, error bodies, OpenAPI."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ApiToken
from accounts.tokens import key_digest


def test_regions_need_authentication(api_for, db):
    assert api_for().get("/api/v1/regions/").status_code in (401, 403)


def test_regions_are_listed_by_code(api_for, city_cc):
    response = api_for(city_cc).get("/api/v1/regions/")
    assert response.status_code == 200
    codes = [r["code"] for r in response.json()]
    assert codes[:2] == ["changchun", "jilin"] and len(codes) == 11


def test_token_authentication(client, city_cc):
    """Staff give password and a code from their authenticator; the key is stored only as a digest."""
    device = TOTPDevice.objects.create(user=city_cc, name="身份验证器", confirmed=True)
    credentials = {"username": "city_cc", "password": "Secret-pass-2026", "otp": f"{totp(device.bin_key):06d}"}
    response = client.post("/api/v1/auth/token/", credentials)
    token = response.json()["token"]
    assert ApiToken.objects.get(user=city_cc).key_hash == key_digest(token)
    listing = client.get("/api/v1/quotas/", HTTP_AUTHORIZATION=f"Token {token}")
    assert listing.status_code == 200
    assert listing.json()["count"] == 1


def test_quota_list_is_paginated(api_for, province_user):
    body = api_for(province_user).get("/api/v1/quotas/?page_size=5").json()
    assert set(body) >= {"count", "next", "previous", "results"}
    assert len(body["results"]) == 5


def test_openapi_schema_describes_the_core_endpoints(client, db):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/regions/" in paths
    assert "patch" in paths["/api/v1/quotas/{id}/"]


@pytest.mark.parametrize("who", ["employer_a", "youth"])
def test_non_staff_roles_see_no_quotas(request, db, api_for, who):
    response = api_for(request.getfixturevalue(who)).get("/api/v1/quotas/")
    assert response.json()["count"] == 0


def test_openapi_schema_generates_without_a_warning(tmp_path):
    """Every component has one name and every field a type: spectacular's warnings fail the build."""
    from django.core.management import call_command

    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").read_text(encoding="utf-8").startswith("openapi:")
