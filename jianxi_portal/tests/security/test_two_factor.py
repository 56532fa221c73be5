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
        figures.add("2", "two-factor: admin, province, city sent to enrolment before any page (3 roles × 4 pages), "
                         "session API 403")


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
