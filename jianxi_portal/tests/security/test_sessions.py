"""Item 2 — sessions: idle timeout 30 minutes, absolute 12 hours; logout and password change end
the person's other sessions and revoke their API tokens."""

import pytest
from django.test import Client

from accounts.models import ApiToken
from accounts.session_policy import LOGIN_AT, SEEN_AT
from accounts.tokens import token_issue
from jianxi_portal.core.models import AuditLog


def assert_token_refused(key):
    # 403, not 401: session authentication comes first in DEFAULT_AUTHENTICATION_CLASSES
    response = Client().get("/api/v1/quotas/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 403 and "已被吊销" in response.json()["detail"]


def shift(client, key, seconds):
    session = client.session
    session[key] -= seconds
    session.save()


def test_idle_for_more_than_30_minutes_signs_out(client_for, city_cc, figures):
    client = client_for(city_cc)
    shift(client, SEEN_AT, 29 * 60)
    assert client.get("/annex1/").status_code == 200  # 29 minutes: still signed in (and touched)
    shift(client, SEEN_AT, 31 * 60)
    response = client.get("/annex1/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    assert "_auth_user_id" not in client.session
    assert AuditLog.objects.filter(event="session.idle_timeout", user=city_cc).count() == 1
    figures.add("2", "idle timeout: request after 29 min → 200, after 31 min idle → signed out (302 to login)")


def test_twelve_hours_after_sign_in_the_session_ends_however_active(client_for, city_cc, figures):
    client = client_for(city_cc)
    shift(client, LOGIN_AT, 11 * 3600 + 59 * 60)
    assert client.get("/annex1/").status_code == 200
    shift(client, LOGIN_AT, 2 * 60)
    assert client.get("/annex1/").status_code == 302
    assert AuditLog.objects.filter(event="session.expired", user=city_cc).exists()
    figures.add("2", "absolute timeout: 11 h 59 min → 200, 12 h 1 min → signed out")


def test_timeout_of_one_tab_does_not_sign_out_other_browsers(client_for, city_cc):
    other = Client()
    other.force_login(city_cc)
    from accounts.twofactor import verify_test_client

    verify_test_client(other, city_cc)
    client = client_for(city_cc)
    shift(client, SEEN_AT, 31 * 60)
    client.get("/annex1/")
    assert other.get("/annex1/").status_code == 200


def _second_browser(user):
    from accounts.twofactor import verify_test_client

    browser = Client()
    browser.force_login(user)
    verify_test_client(browser, user)
    return browser


def test_logout_ends_every_session_and_revokes_tokens(client_for, city_cc, api_for, figures):
    office, home = client_for(city_cc), _second_browser(city_cc)
    _, key = token_issue(user=city_cc, by=city_cc)
    assert home.get("/annex1/").status_code == 200
    assert Client().get("/api/v1/quotas/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200

    office.post("/accounts/logout/")
    assert home.get("/annex1/").status_code == 302
    assert AuditLog.objects.filter(event="session.revoked", user=city_cc).exists()
    assert_token_refused(key)
    assert ApiToken.objects.get().revoked_at is not None
    figures.add("2", "logout: other browser's session ended (302) and the API token refused (403)")


def test_password_change_keeps_this_session_and_ends_the_others(client_for, city_cc, figures):
    office, home = client_for(city_cc), _second_browser(city_cc)
    _, key = token_issue(user=city_cc, by=city_cc)
    new = "Brand-New-Pass-26!"
    response = office.post(
        "/accounts/password/", {"old_password": "Secret-pass-2026", "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert office.get("/annex1/").status_code == 200
    assert home.get("/annex1/").status_code == 302
    assert_token_refused(key)
    assert AuditLog.objects.filter(event="password.change", object_id=str(city_cc.pk)).exists()
    figures.add("2", "password change: this session kept (200), other session ended (302), token refused (403)")


def test_admin_resetting_a_password_ends_that_persons_sessions(client_for, city_cc):
    browser = client_for(city_cc)
    city_cc.set_password("Reset-By-Admin-2026!")
    city_cc.save()
    assert browser.get("/annex1/").status_code == 302


def test_a_password_stored_by_any_path_revokes_the_persons_tokens(city_cc, employer_a):
    """`User.save()` tells accounts through the core's `user_saved` signal (a command, the admin)."""
    _, key = token_issue(user=city_cc, by=city_cc)
    _, other = token_issue(user=employer_a, by=employer_a)
    city_cc.set_password("Reset-By-Command-2026!")
    city_cc.save()
    assert_token_refused(key)
    assert ApiToken.objects.get(user=city_cc).revoked_at is not None
    assert ApiToken.objects.get(user=employer_a).revoked_at is None
    assert AuditLog.objects.filter(event="token.revoke_all", object_id=str(city_cc.pk)).exists()
    employer_a.first_name = "改名"
    employer_a.save()  # no new password: nothing revoked
    assert ApiToken.objects.get(user=employer_a).revoked_at is None


@pytest.mark.parametrize("who", ["city_cc", "employer_a"])
def test_signed_in_responses_are_not_cached(request, db, client_for, who):
    response = client_for(request.getfixturevalue(who)).get("/")
    assert "no-store" in response["Cache-Control"]


def test_anonymous_public_page_is_not_marked_personal(client, db):
    assert "no-store" not in client.get("/").get("Cache-Control", "")
