"""`make run`'s demo: staff accounts can sign in with the printed password and the demo second factor."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_otp.oath import TOTP

from jianxi_portal.core.demo_accounts import DEMO_PASSWORD, DEMO_TOTP_KEY


@pytest.fixture
def demo(db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_prints_the_logins_and_the_second_factor_key(demo):
    assert DEMO_PASSWORD in demo
    assert "city_changchun" in demo and "employer_cc" in demo and "youth" in demo
    assert "demo_otp" in demo


def test_demo_city_account_signs_in_with_password_and_code(demo, client):
    response = client.post("/accounts/login/", {"username": "city_changchun", "password": DEMO_PASSWORD}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "验证码" in page
    code = f"{TOTP(DEMO_TOTP_KEY, step=30, t0=0, digits=6).token():06d}"
    form = response.context["form"]
    field = next(name for name in form.fields if "token" in name or "code" in name or "otp" in name)
    url = response.request["PATH_INFO"] + "?" + response.request.get("QUERY_STRING", "")
    verified = client.post(url, {field: code}, follow=True)
    assert "市州经办工作台" in verified.content.decode()
