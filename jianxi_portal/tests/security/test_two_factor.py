"""Item 2 — two-factor sign-in for admin, province and city staff: enrolment in the browser with a
QR code drawn on the server, verification, single-use recovery codes, admin reset."""

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jianxi_portal.core.models import AuditLog

PASSWORD = "Secret-pass-2026"


def sign_in(user, ip="10.2.2.2"):
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}, REMOTE_ADDR=ip)
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("who", ["admin_user", "province_user", "city_cc"])
def test_staff_without_an_authenticator_must_enrol_first(request, db, who, figures):
    client = sign_in(request.getfixturevalue(who))
    for path in ("/", "/annex1/", "/admin/", "/accounts/password/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/setup/"), path
    assert client.get("/api/v1/regions/").status_code == 403
    if who == "city_cc":
        figures.add(
            "2",
            "two-factor: admin, province, city sent to enrolment before any page (3 roles × 4 pages), session API 403",
        )


@pytest.mark.parametrize("who", ["employer_a", "youth"])
def test_employers_and_young_people_sign_in_with_a_password(request, db, who):
    client = sign_in(request.getfixturevalue(who))
    assert client.get("/").status_code == 200


def test_enrolment_with_a_server_drawn_qr_code_then_recovery_codes(city_cc, code_for, figures):
    client = sign_in(city_cc)
    page = client.get("/accounts/2fa/setup/").content.decode()
    assert "<svg" in page and "双因素认证二维码" in page
    assert not re.search(r"<(img|script)[^>]+src=[\"']https?://", page)  # nothing fetched from elsewhere
    device = TOTPDevice.objects.get(user=city_cc, confirmed=False)
    key = re.search(r'class="otp-key">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    assert len(key) == 32

    wrong = client.post("/accounts/2fa/setup/", {"device_id": device.pk, "token": "000000"})
    assert "验证码不正确" in wrong.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)  # the delay has passed
    response = client.post("/accounts/2fa/setup/", {"device_id": device.pk, "token": code_for(device)})
    codes = re.findall(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", response.content.decode())
    assert len(codes) == 10
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/annex1/").status_code == 200
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert not stored & {c.replace("-", "") for c in codes} and not stored & set(codes)
    assert AuditLog.objects.filter(event="2fa.enrol", result="ok").count() == 1
    figures.add("2", "enrolment: QR as inline SVG (no external source), 10 recovery codes stored as digests")


def test_sign_in_asks_for_the_code_and_checks_it(city_cc, code_for, figures):
    device = TOTPDevice.objects.create(user=city_cc, name="身份验证器", confirmed=True)
    client = sign_in(city_cc)
    response = client.get("/annex1/")
    assert response["Location"] == "/accounts/2fa/verify/?next=%2Fannex1%2F"
    bad = client.post("/accounts/2fa/verify/", {"token": "123456", "next": "/annex1/"})
    assert bad.status_code == 200 and "验证码不正确" in bad.content.decode()
    assert client.get("/annex1/").status_code == 302
    assert AuditLog.objects.filter(event="2fa.failure", user=city_cc, result="failed").count() == 1
    # django-otp throttles: right after a wrong code even the right one is refused for a while
    throttled = client.post("/accounts/2fa/verify/", {"token": code_for(device), "next": "/annex1/"})
    assert throttled.status_code == 200
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)  # the delay has passed
    good = client.post("/accounts/2fa/verify/", {"token": code_for(device), "next": "/annex1/"})
    assert good.status_code == 302 and good["Location"] == "/annex1/"
    assert client.get("/annex1/").status_code == 200
    figures.add("2", "verification: wrong code refused and audited, next attempt throttled; right code opens the page")


def test_verify_refuses_a_foreign_next_url(city_cc, code_for):
    device = TOTPDevice.objects.create(user=city_cc, name="身份验证器", confirmed=True)
    client = sign_in(city_cc)
    response = client.post("/accounts/2fa/verify/", {"token": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_recovery_code_works_once(client_for, city_cc, figures):
    from accounts.twofactor import recovery_codes_reset

    TOTPDevice.objects.create(user=city_cc, name="身份验证器", confirmed=True)
    codes = recovery_codes_reset(city_cc)
    first = sign_in(city_cc)
    assert first.post("/accounts/2fa/verify/", {"token": codes[0].upper()}).status_code == 302
    assert first.get("/annex1/").status_code == 200
    second = sign_in(city_cc, ip="10.3.3.3")
    assert second.post("/accounts/2fa/verify/", {"token": codes[0]}).status_code == 200
    row = AuditLog.objects.get(event="2fa.verify")
    assert (row.detail["method"], row.detail["recovery_codes_left"]) == ("recovery", 9)
    figures.add("2", "recovery code: accepted once, refused the second time; 9 left")


def test_a_recovery_code_of_digits_only_is_a_recovery_code(city_cc, monkeypatch):
    """Recovery codes are 10 hex characters; about one in a hundred is all digits. Such a code is
    still a recovery code, at the sign-in page and at the API's token endpoint (it was once taken for
    an app code and refused)."""
    from accounts import twofactor

    TOTPDevice.objects.create(user=city_cc, name="身份验证器", confirmed=True)
    drawn = iter(["7292439817", "0123456789"] + [f"{n:010x}" for n in range(8)])
    monkeypatch.setattr(twofactor.secrets, "token_hex", lambda _: next(drawn))
    codes = twofactor.recovery_codes_reset(city_cc)
    monkeypatch.undo()  # API keys are drawn with token_hex too
    assert codes[:2] == ["72924-39817", "01234-56789"]
    assert sign_in(city_cc).post("/accounts/2fa/verify/", {"token": codes[0]}).status_code == 302
    assert _token_with(city_cc, codes[1]).status_code == 200
    assert twofactor.recovery_codes_left(city_cc) == 8


def test_admin_resets_a_lost_authenticator(client_for, admin_user, city_cc):
    from accounts.twofactor import verify_test_client

    browser = Client()
    browser.force_login(city_cc)
    verify_test_client(browser, city_cc)
    admin = client_for(admin_user)
    assert admin.post(f"/security/accounts/{city_cc.pk}/2fa-reset/").status_code == 302
    assert not TOTPDevice.objects.filter(user=city_cc).exists()
    assert browser.get("/annex1/").status_code == 302  # that person's sessions ended
    assert AuditLog.objects.filter(event="2fa.reset", user=admin_user, object_id=str(city_cc.pk)).exists()


@pytest.mark.parametrize("who", ["province_user", "city_cc", "employer_a"])
def test_only_admins_reset_two_factor(request, client_for, who, city_jl):
    response = client_for(request.getfixturevalue(who)).post(f"/security/accounts/{city_jl.pk}/2fa-reset/")
    assert response.status_code == 403


def test_totp_secrets_are_not_in_the_django_admin(client_for, admin_user):
    from django.contrib import admin

    assert not admin.site.is_registered(TOTPDevice)
    assert client_for(admin_user).get("/admin/otp_totp/totpdevice/").status_code == 404


def test_account_security_page(client_for, city_cc):
    page = client_for(city_cc).get("/accounts/security/").content.decode()
    assert "双因素认证" in page and "须在此日期前修改" in page


# The takeover with a password alone (SECURITY.md item 2): an account that already has a confirmed
# authenticator must never be re-enrolled by someone who knows only its password.


def _owner_with_authenticator(user):
    from accounts.twofactor import recovery_codes_reset

    device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)
    return device, recovery_codes_reset(user)


def _token_with(user, otp):
    return Client().post(
        "/api/v1/auth/token/",
        {"username": user.username, "password": PASSWORD, "otp": otp},
        content_type="application/json",
    )


def test_a_password_alone_does_not_reach_enrolment_once_an_authenticator_exists(city_cc):
    owners, _ = _owner_with_authenticator(city_cc)
    attacker = sign_in(city_cc, ip="10.9.9.9")
    response = attacker.get("/accounts/2fa/setup/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/verify/")
    assert list(TOTPDevice.objects.filter(user=city_cc).values_list("pk", "confirmed")) == [(owners.pk, True)]


def test_a_pending_key_cannot_be_confirmed_with_a_password_alone(city_cc, code_for):
    owners, codes = _owner_with_authenticator(city_cc)
    stale = TOTPDevice.objects.create(user=city_cc, name="身份验证器", confirmed=False)  # e.g. an abandoned replacement
    attacker = sign_in(city_cc, ip="10.9.9.9")
    response = attacker.post("/accounts/2fa/setup/", {"device_id": stale.pk, "token": code_for(stale)})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/verify/")
    assert not re.findall(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", response.content.decode())
    assert attacker.get("/manage/units/").status_code == 302  # the session is still unverified
    assert TOTPDevice.objects.get(pk=owners.pk).confirmed  # the owner's authenticator is kept
    assert not TOTPDevice.objects.get(pk=stale.pk).confirmed
    assert _token_with(city_cc, code_for(stale)).status_code == 400  # the API refuses the attacker's key
    assert _token_with(city_cc, codes[0]).status_code == 200  # the owner's recovery codes still work
    TOTPDevice.objects.filter(pk=owners.pk).update(throttling_failure_timestamp=None)  # the delay has passed
    assert _token_with(city_cc, code_for(owners)).status_code == 200
    assert not AuditLog.objects.filter(event__in=["2fa.enrol", "2fa.replace"], result="ok").exists()


def test_replacing_an_authenticator_needs_the_current_code(city_cc, code_for, figures):
    owners, _ = _owner_with_authenticator(city_cc)
    browser = sign_in(city_cc)
    assert browser.post("/accounts/2fa/verify/", {"token": code_for(owners)}).status_code == 302
    page = browser.get("/accounts/2fa/replace/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    new = TOTPDevice.objects.get(user=city_cc, confirmed=False)
    refused = browser.post("/accounts/2fa/replace/", {"device_id": new.pk, "token": code_for(new), "current": "999999"})
    assert refused.status_code == 200 and "当前身份验证器" in refused.content.decode()
    assert TOTPDevice.objects.get(pk=owners.pk).confirmed and not TOTPDevice.objects.get(pk=new.pk).confirmed
    assert AuditLog.objects.filter(event="2fa.replace", result="failed").count() == 1
    figures.add(
        "2",
        "two-factor takeover with the password alone: enrolment page refused (302 to verification), "
        "a pending key's code refused, the session stays unverified, the API token refused with the "
        "new key's code (400) and issued with the owner's; the owner's authenticator kept; "
        "replacement refused without the current code",
    )


def test_replacement_with_the_current_code_ends_the_other_sessions_and_tokens(city_cc, code_for, figures):
    from accounts.tokens import token_issue

    owners, _ = _owner_with_authenticator(city_cc)
    other = sign_in(city_cc, ip="10.4.4.4")
    assert other.post("/accounts/2fa/verify/", {"token": code_for(owners)}).status_code == 302
    _, key = token_issue(user=city_cc, by=city_cc)
    TOTPDevice.objects.filter(pk=owners.pk).update(last_t=-1)  # the same 30-second code may be used again
    browser = sign_in(city_cc)
    assert browser.post("/accounts/2fa/verify/", {"token": code_for(owners)}).status_code == 302
    browser.get("/accounts/2fa/replace/")
    new = TOTPDevice.objects.get(user=city_cc, confirmed=False)
    TOTPDevice.objects.filter(pk=owners.pk).update(last_t=-1)
    response = browser.post(
        "/accounts/2fa/replace/", {"device_id": new.pk, "token": code_for(new), "current": code_for(owners)}
    )
    assert len(re.findall(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", response.content.decode())) == 10
    assert list(TOTPDevice.objects.filter(user=city_cc).values_list("pk", flat=True)) == [new.pk]
    assert browser.get("/annex1/").status_code == 200  # this session continues, verified by the new device
    assert other.get("/annex1/").status_code == 302  # the other browser is signed out
    assert Client().get("/api/v1/quotas/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 403
    row = AuditLog.objects.get(event="2fa.replace", result="ok")
    assert (row.user, row.detail["method"]) == (city_cc, "totp")
    figures.add(
        "2",
        "replacement with the current code: audited (2fa.replace), the old authenticator removed, "
        "this session kept, the other session ended and the API token refused",
    )


def test_a_lost_phone_is_replaced_with_a_recovery_code(city_cc, code_for):
    _, codes = _owner_with_authenticator(city_cc)
    browser = sign_in(city_cc)
    assert browser.post("/accounts/2fa/verify/", {"token": codes[0]}).status_code == 302
    browser.get("/accounts/2fa/replace/")
    new = TOTPDevice.objects.get(user=city_cc, confirmed=False)
    form = {"device_id": new.pk, "token": code_for(new), "current": codes[1]}
    response = browser.post("/accounts/2fa/replace/", form)
    assert response.status_code == 200 and TOTPDevice.objects.get(pk=new.pk).confirmed
    assert AuditLog.objects.get(event="2fa.replace", result="ok").detail["method"] == "recovery"


def test_replacement_needs_a_verified_session(city_cc):
    _owner_with_authenticator(city_cc)
    response = sign_in(city_cc).get("/accounts/2fa/replace/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/verify/")


def test_first_enrolment_ends_the_other_sessions_and_tokens(city_cc, code_for):
    from accounts.tokens import token_issue

    other = sign_in(city_cc, ip="10.4.4.4")
    _, key = token_issue(user=city_cc, by=city_cc)
    browser = sign_in(city_cc)
    browser.get("/accounts/2fa/setup/")
    device = TOTPDevice.objects.get(user=city_cc, confirmed=False)
    browser.post("/accounts/2fa/setup/", {"device_id": device.pk, "token": code_for(device)})
    assert browser.get("/annex1/").status_code == 200
    assert other.get("/accounts/2fa/setup/").status_code == 302  # signed out: back to the login page
    assert other.get("/accounts/2fa/setup/")["Location"].startswith("/accounts/login/")
    assert Client().get("/api/v1/quotas/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 403


def test_of_two_pending_enrolments_the_second_never_replaces_the_first(city_cc, code_for, figures):
    first, second = sign_in(city_cc), sign_in(city_cc, ip="10.5.5.5")
    first.get("/accounts/2fa/setup/")
    mine = TOTPDevice.objects.get(user=city_cc, confirmed=False)
    theirs = TOTPDevice.objects.create(user=city_cc, name="身份验证器", confirmed=False)
    first.post("/accounts/2fa/setup/", {"device_id": mine.pk, "token": code_for(mine)})
    late = second.post("/accounts/2fa/setup/", {"device_id": theirs.pk, "token": code_for(theirs)})
    assert late.status_code == 302
    assert list(TOTPDevice.objects.filter(user=city_cc, confirmed=True).values_list("pk", flat=True)) == [mine.pk]
    figures.add(
        "2",
        "enrolment only without a confirmed device: a second pending enrolment refused, "
        "the confirmed authenticator kept",
    )


def test_after_an_admins_reset_the_person_enrols_again(client_for, admin_user, city_cc, code_for):
    _owner_with_authenticator(city_cc)
    client_for(admin_user).post(f"/security/accounts/{city_cc.pk}/2fa-reset/")
    browser = sign_in(city_cc)
    assert browser.get("/accounts/2fa/setup/").status_code == 200
    device = TOTPDevice.objects.get(user=city_cc, confirmed=False)
    browser.post("/accounts/2fa/setup/", {"device_id": device.pk, "token": code_for(device)})
    assert browser.get("/annex1/").status_code == 200
    assert AuditLog.objects.filter(event="2fa.enrol", result="ok", user=city_cc).count() == 1
