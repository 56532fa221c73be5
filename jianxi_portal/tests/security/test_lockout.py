"""Item 2 — lockout: 5 failures for one username within 15 minutes lock it for 30 minutes, on the
web login, the admin login and the API token endpoint, whatever the IP; lock and unlock audited."""

from datetime import datetime, timedelta

import pytest
from axes.models import AccessFailureLog
from django.db.models import F
from django.utils import timezone

from accounts.lockout import lock_state, scan
from jianxi_portal.core.models import AuditLog

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
TOKEN = "/api/v1/auth/token/"
GOOD = "Secret-pass-2026"


def post(client, path, username, password, ip="10.1.1.1"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=ip)


def backdate(minutes):
    AccessFailureLog.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


T0 = timezone.make_aware(datetime(2026, 3, 2, 9, 0))
RULE = {"limit": 5, "window": timedelta(minutes=15), "cooloff": timedelta(minutes=30)}


def at(*minutes):
    return [T0 + timedelta(minutes=m) for m in minutes]


def test_window_rule_on_explicit_times():
    # five within 15 minutes: locked from the fifth (minute 14) until minute 44
    assert scan(at(0, 3, 6, 9, 14), now=T0 + timedelta(minutes=43), **RULE).until == T0 + timedelta(minutes=44)
    assert not scan(at(0, 3, 6, 9, 14), now=T0 + timedelta(minutes=44), **RULE).locked
    # five failures 10 minutes apart never lock (axes' own counter would)
    assert not scan(at(0, 10, 20, 30, 40), now=T0 + timedelta(minutes=41), **RULE).locked
    # failures during a lock neither count nor extend it; counting restarts after it
    state = scan(at(0, 1, 2, 3, 4, 10, 20, 30), now=T0 + timedelta(minutes=35), **RULE)
    assert not state.locked and state.failures == 0
    assert scan(at(0, 1, 2, 3, 4, 40, 41, 42, 43, 44), now=T0 + timedelta(minutes=45), **RULE).until == T0 + timedelta(
        minutes=74
    )


def test_five_web_failures_lock_the_username_and_the_right_password_is_refused(client, city_cc, figures):
    for attempt in range(4):
        assert post(client, LOGIN, "city_cc", f"wrong-{attempt}").status_code == 200
    fifth = post(client, LOGIN, "city_cc", "wrong-5")
    assert fifth.status_code == 429 and "已被锁定" in fifth.content.decode()
    refused = post(client, LOGIN, "city_cc", GOOD)
    assert refused.status_code == 429 and "_auth_user_id" not in client.session
    lock = AuditLog.objects.get(event="login.lockout")
    assert (lock.result, lock.detail["username"]) == ("denied", "city_cc")
    assert AuditLog.objects.filter(event="login.locked", result="denied").count() == 1

    backdate(31)  # the lock ran out
    assert post(client, LOGIN, "city_cc", GOOD).status_code == 302
    figures.add(
        "2",
        "lockout (web): 5th failure within 15 min → 429; correct password refused while locked; signed in after 30 min",
    )


def test_failures_outside_15_minutes_do_not_lock(client, city_cc):
    for attempt in range(4):
        post(client, LOGIN, "city_cc", f"wrong-{attempt}")
    backdate(16)
    for attempt in range(4):
        post(client, LOGIN, "city_cc", f"again-{attempt}")
    assert lock_state("city_cc").failures == 4
    assert post(client, LOGIN, "city_cc", GOOD).status_code == 302
    assert not AuditLog.objects.filter(event="login.lockout").exists()


def test_lock_is_per_username_not_per_ip(client, city_cc, city_jl, figures):
    for attempt in range(5):
        post(client, LOGIN, "city_cc", f"wrong-{attempt}", ip="10.9.9.9")
    # a colleague behind the same office gateway signs in normally
    assert post(client, LOGIN, "city_jl", GOOD, ip="10.9.9.9").status_code == 302
    client.logout()
    # the locked username is refused from any other address
    assert post(client, LOGIN, "city_cc", GOOD, ip="172.16.5.5").status_code == 429
    figures.add(
        "2",
        "lockout per username: same gateway IP, other user signs in (302); locked user refused from another IP (429)",
    )


def test_admin_login_locks_too(client, admin_user):
    for attempt in range(5):
        post(client, ADMIN_LOGIN, "admin_t", f"wrong-{attempt}")
    response = post(client, ADMIN_LOGIN, "admin_t", GOOD)
    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_api_token_endpoint_locks_too(client, youth, figures):
    codes = [post(client, TOKEN, "youth_t", f"wrong-{attempt}").status_code for attempt in range(5)]
    assert codes == [400, 400, 400, 400, 429]
    response = post(client, TOKEN, "youth_t", GOOD)
    assert response.status_code == 429 and "已被锁定" in response.json()["detail"]
    figures.add(
        "2",
        "lockout on 3 entry points (web login, admin login, API token): correct password refused "
        "after 5 failures on each",
    )


def test_failures_on_different_entry_points_add_up(client, city_cc):
    post(client, LOGIN, "city_cc", "w1")
    post(client, ADMIN_LOGIN, "city_cc", "w2")
    post(client, TOKEN, "city_cc", "w3")
    post(client, LOGIN, "city_cc", "w4")
    assert post(client, TOKEN, "city_cc", "w5").status_code == 429
    assert lock_state("city_cc").locked


def test_unknown_usernames_lock_like_real_ones(client, db):
    for attempt in range(5):
        post(client, LOGIN, "no_such_user", f"wrong-{attempt}")
    assert lock_state("no_such_user").locked  # no hint whether the account exists


def test_admin_unlocks_on_the_accounts_page_and_it_is_audited(client, client_for, city_cc, admin_user, figures):
    from django.test import Client

    anonymous = Client()
    for attempt in range(5):
        post(anonymous, LOGIN, "city_cc", f"wrong-{attempt}")
    admin = client_for(admin_user)
    page = admin.get("/security/accounts/").content.decode()
    assert "city_cc" in page and "解锁" in page
    assert admin.post("/security/accounts/unlock/", {"username": "city_cc"}).status_code == 302
    row = AuditLog.objects.get(event="login.unlock")
    assert (row.user, row.detail["username"]) == (admin_user, "city_cc")
    assert post(anonymous, LOGIN, "city_cc", GOOD).status_code == 302
    figures.add("2", "unlock by an admin audited (login.unlock) and the account signs in again")


@pytest.mark.parametrize("who", ["province_user", "city_cc", "employer_a"])
def test_only_admins_may_unlock(request, db, client_for, who):
    client = client_for(request.getfixturevalue(who))
    assert client.post("/security/accounts/unlock/", {"username": "x"}).status_code == 403
    assert not AuditLog.objects.filter(event="login.unlock").exists()
