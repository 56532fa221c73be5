"""忘记密码: a reset link by e-mail (the page never says whether an account exists), and an admin's
reset of a staff member's password to a temporary one that must be changed at the next sign-in."""

import re

import pytest
from django.core import mail

from accounts.passwords import password_expired
from jianxi_portal.core.models import AuditLog, User
from jianxi_portal.tests.factories import UserFactory

NEW = "Songhua-River-2027!"


def _reset_link(message) -> str:
    return re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)


def test_a_reset_link_by_mail_sets_a_new_password_and_ends_other_sessions(client):
    person = UserFactory(username="youth_r", role=User.Role.YOUTH, email="li@example.cn")
    page = client.post("/accounts/password/reset/", {"email": "li@example.cn"}, follow=True)
    assert "请查收邮件" in page.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["li@example.cn"]
    assert mail.outbox[0].subject == "吉林省就业见习管理平台：重置密码"
    assert "youth_r" in mail.outbox[0].body
    form_page = client.get(_reset_link(mail.outbox[0]), follow=True)
    assert "设置新密码" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}, follow=True)
    assert "密码已重置" in done.content.decode()
    person.refresh_from_db()
    assert person.check_password(NEW) and person.sessions_valid_from is not None
    assert AuditLog.objects.filter(event="password.reset", object_id=str(person.pk)).count() == 1


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    page = client.post("/accounts/password/reset/", {"email": "nobody@example.cn"}, follow=True)
    assert "请查收邮件" in page.content.decode() and mail.outbox == []


def test_a_used_link_is_refused(client):
    UserFactory(username="employer_r", role=User.Role.EMPLOYER, email="wang@example.cn")
    client.post("/accounts/password/reset/", {"email": "wang@example.cn"})
    link = _reset_link(mail.outbox[0])
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert "链接已失效" in client.get(link, follow=True).content.decode()


def test_a_weak_new_password_is_refused_with_every_reason(client):
    UserFactory(username="employer_w", role=User.Role.EMPLOYER, email="zhao@example.cn")
    client.post("/accounts/password/reset/", {"email": "zhao@example.cn"})
    form_url = client.get(_reset_link(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    page = client.post(form_url, {"new_password1": "short1", "new_password2": "short1"})
    errors = page.context["form"].errors["new_password2"]
    assert any("至少需要 12 个字符" in e for e in errors) and any("四类中的至少 3 类" in e for e in errors)


def test_admin_resets_a_staff_password_to_a_temporary_one_shown_once(client_for, admin_user, city_cc):
    page = client_for(admin_user).post(f"/security/accounts/{city_cc.pk}/password-reset/")
    assert page.status_code == 200
    temporary = re.search(r'<p class="temporary-password"><code>([^<]+)</code>', page.content.decode()).group(1)
    city_cc.refresh_from_db()
    assert city_cc.check_password(temporary) and password_expired(city_cc)
    row = AuditLog.objects.get(event="password.admin_reset")
    assert (row.user, row.object_id) == (admin_user, str(city_cc.pk)) and temporary not in str(row.detail)


def test_with_the_temporary_password_the_person_must_choose_a_new_one_first(client, admin_user, city_cc):
    from accounts.passwords import password_reset_by_admin
    from accounts.twofactor import verify_test_client

    temporary = password_reset_by_admin(user=city_cc, by=admin_user)
    client.post("/accounts/login/", {"username": "city_cc", "password": temporary})
    verify_test_client(client, city_cc)
    assert client.get("/review/")["Location"].startswith("/accounts/password/")


@pytest.mark.parametrize("who", ["city_cc", "province_user"])
def test_only_an_admin_may_reset_a_password(client_for, who, request, city_jl):
    client = client_for(request.getfixturevalue(who))
    assert client.post(f"/security/accounts/{city_jl.pk}/password-reset/").status_code == 403


def test_an_admin_resets_only_staff_passwords_by_this_page(client_for, admin_user, youth):
    assert client_for(admin_user).post(f"/security/accounts/{youth.pk}/password-reset/").status_code == 404


@pytest.fixture
def fresh_limits():
    """The hourly reset counters live in the cache: start each test with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _answer(client, email):
    """What a person sees after asking for a reset: the redirect and the page it leads to."""
    response = client.post("/accounts/password/reset/", {"email": email})
    page = client.get(response["Location"])
    return response.status_code, response["Location"], page.status_code, page.content.decode()


def test_the_answer_is_the_same_for_an_address_with_an_account_and_one_without(fresh_limits, figures):
    from django.test import Client

    UserFactory(username="employer_k", role=User.Role.EMPLOYER, email="known@example.cn")
    known = _answer(Client(), "known@example.cn")
    unknown = _answer(Client(), "unknown@example.cn")
    assert known == unknown and known[0] == 302 and "请查收邮件" in known[3]
    assert len(mail.outbox) == 1
    rows = AuditLog.objects.filter(event="password.reset_request").order_by("pk")
    assert [r.detail for r in rows] == [{"accounts": 1}, {"accounts": 0}]
    assert all("example.cn" not in str(r.detail) for r in rows)  # the address is never logged
    figures.add(
        "2",
        "password reset by mail: the same redirect and page for an address with an account and one "
        "without (1 mail sent, the address in no audit row)",
    )


def test_past_five_requests_an_hour_for_one_address_no_mail_is_sent_and_the_answer_is_the_same(
    fresh_limits, client, figures
):
    import time_machine

    UserFactory(username="employer_l", role=User.Role.EMPLOYER, email="lim@example.cn")
    with time_machine.travel("2027-03-01 10:05 +0800", tick=False):
        answers = {_answer(client, "lim@example.cn") for _ in range(6)}
        assert len(answers) == 1 and len(mail.outbox) == 5
        denied = AuditLog.objects.get(event="password.reset_request", result="denied")
        assert denied.detail == {"reason": "rate_limit"}
    with time_machine.travel("2027-03-01 11:01 +0800", tick=False):  # the next hour
        _answer(client, "lim@example.cn")
        assert len(mail.outbox) == 6
    figures.add(
        "2",
        "password reset limit: the 6th request in an hour for one address sent no mail, same "
        "answer, audited as denied; the next hour mailed again",
    )


def test_past_twenty_requests_an_hour_from_one_client_no_mail_is_sent(fresh_limits, client):
    import time_machine

    for n in range(21):
        UserFactory(username=f"youth_c{n}", role=User.Role.YOUTH, email=f"c{n}@example.cn")
    with time_machine.travel("2027-03-01 10:05 +0800", tick=False):
        for n in range(21):
            client.post("/accounts/password/reset/", {"email": f"c{n}@example.cn"}, REMOTE_ADDR="203.0.113.9")
        assert len(mail.outbox) == 20
        client.post("/accounts/password/reset/", {"email": "c20@example.cn"}, REMOTE_ADDR="203.0.113.10")
        assert len(mail.outbox) == 21  # another client is not held back
