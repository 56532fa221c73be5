"""Item 2 — API tokens: issued by POST /api/v1/auth/token/ (staff add a code) or by an admin on
the tokens page, stored as digests only, expiring, revocable; every use of a bad one refused."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ApiToken
from accounts.tokens import token_issue
from jianxi_portal.core.models import AuditLog

TOKEN = "/api/v1/auth/token/"


def call(key, path="/api/v1/regions/"):
    return Client().get(path, HTTP_AUTHORIZATION=f"Token {key}")


def test_token_endpoint_for_a_youth_and_the_token_works(client, youth, figures):
    response = client.post(TOKEN, {"username": "youth_t", "password": "Secret-pass-2026"})
    body = response.json()
    assert response.status_code == 200 and set(body) == {"token", "prefix", "expires_at"}
    assert call(body["token"]).status_code == 200
    token = ApiToken.objects.get(user=youth)
    assert token.expires_at - token.created_at == timedelta(days=30)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM jianxi_portal_apitoken")
        stored = " ".join(str(v) for row in cursor.fetchall() for v in row)
    assert body["token"] not in stored and body["token"][:8] in stored
    figures.add(
        "2",
        "API token: 40-hex key returned once; database row holds its SHA-256 and 8-char prefix only; "
        "expires after 30 days",
    )


def test_staff_need_a_code_from_their_authenticator(client, city_cc, code_for):
    no_device = client.post(TOKEN, {"username": "city_cc", "password": "Secret-pass-2026"})
    assert no_device.status_code == 403 and "绑定身份验证器" in no_device.json()["detail"]
    device = TOTPDevice.objects.create(user=city_cc, name="身份验证器", confirmed=True)
    missing = client.post(TOKEN, {"username": "city_cc", "password": "Secret-pass-2026"})
    assert missing.status_code == 400 and "otp" in missing.json()
    wrong = client.post(TOKEN, {"username": "city_cc", "password": "Secret-pass-2026", "otp": "000000"})
    assert wrong.status_code == 400 and AuditLog.objects.filter(event="2fa.failure", user=city_cc).exists()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    ok = client.post(TOKEN, {"username": "city_cc", "password": "Secret-pass-2026", "otp": code_for(device)})
    assert ok.status_code == 200
    assert not ApiToken.objects.filter(user=city_cc).exclude(pk=ApiToken.objects.get().pk).exists()


def test_expired_and_revoked_tokens_are_refused(youth, admin_user, figures):
    _, expired = token_issue(user=youth, by=youth)
    _, revoked = token_issue(user=youth, by=youth)
    _, good = token_issue(user=youth, by=youth)
    ApiToken.objects.filter(prefix=expired[:8]).update(expires_at=timezone.now() - timedelta(seconds=1))
    from accounts.tokens import token_revoke

    token_revoke(token_id=ApiToken.objects.get(prefix=revoked[:8]).pk, by=admin_user)
    results = {
        name: call(key).status_code
        for name, key in {"expired": expired, "revoked": revoked, "good": good, "made-up": "f" * 40}.items()
    }
    assert results == {"expired": 403, "revoked": 403, "good": 200, "made-up": 403}
    figures.add("2", "API token: expired, revoked and made-up keys refused (3 of 3), valid key 200")


def test_inactive_account_token_is_refused(youth):
    _, key = token_issue(user=youth, by=youth)
    youth.is_active = False
    youth.save()
    assert call(key).status_code == 403


def test_admin_issues_and_revokes_tokens_in_the_browser(client_for, admin_user, employer_a):
    admin = client_for(admin_user)
    response = admin.post("/security/tokens/", {"user": employer_a.pk, "name": "对接测试", "days": 7})
    key = response.context["issued"]["key"]
    assert key in response.content.decode() and "只显示这一次" in response.content.decode()
    token = ApiToken.objects.get(user=employer_a)
    assert (token.created_by, token.name) == (admin_user, "对接测试")
    assert token.expires_at - token.created_at == timedelta(days=7)
    assert key not in admin.get("/security/tokens/").content.decode()  # never shown again
    assert call(key, "/api/v1/quotas/").status_code == 200
    assert admin.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert call(key, "/api/v1/quotas/").status_code == 403
    assert list(AuditLog.objects.filter(event__startswith="token.").values_list("event", flat=True)) == [
        "token.revoke",
        "token.issue",
    ]


def test_admin_cannot_issue_beyond_the_maximum(client_for, admin_user, employer_a):
    response = client_for(admin_user).post("/security/tokens/", {"user": employer_a.pk, "days": 365})
    assert "有效期须在 1 到 90 天之间" in response.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("who", ["province_user", "city_cc", "employer_a", "youth"])
def test_only_admins_open_the_tokens_page(request, db, client_for, who):
    assert client_for(request.getfixturevalue(who)).get("/security/tokens/").status_code == 403


def test_a_person_revokes_only_their_own_tokens(client_for, employer_a, employer_b):
    mine, _ = token_issue(user=employer_a, by=employer_a)
    theirs, _ = token_issue(user=employer_b, by=employer_b)
    client = client_for(employer_a)
    assert client.post(f"/accounts/tokens/{theirs.pk}/revoke/").status_code == 404
    assert client.post(f"/accounts/tokens/{mine.pk}/revoke/").status_code == 302
    assert ApiToken.objects.get(pk=mine.pk).revoked_at and not ApiToken.objects.get(pk=theirs.pk).revoked_at
