"""Item 2 — password policy: 12+ characters, 3 of 4 classes, not common, not like the username;
staff may not reuse their last 5 passwords and must change it every 90 days."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import PasswordHistory
from accounts.passwords import password_expired
from jianxi_portal.core.models import User
from jianxi_portal.tests.factories import UserFactory

REFUSED = {
    "Short-Pw1!": "至少需要 12 个字符",  # 10 characters
    "alllowercaseletters": "至少 3 类",  # one class
    "lowercase123456": "至少 3 类",  # two classes
    "Password2026!": "过于常见",  # a common word dressed up
    "P@ssw0rd-2026": "过于常见",  # leetspeak of it
    "Woaini1314!!": "过于常见",
    "Qwertyuiop12": "过于常见",
}


@pytest.mark.parametrize(("password", "message"), REFUSED.items())
def test_weak_passwords_are_refused_with_a_chinese_reason(password, message, db):
    with pytest.raises(ValidationError) as exc:
        validate_password(password, User(username="someone"))
    assert any(message in m for m in exc.value.messages), exc.value.messages


def test_password_containing_the_username_is_refused(db):
    user = User(username="city_changchun", first_name="长春市人社局")
    with pytest.raises(ValidationError) as exc:
        validate_password("Xx-city_changchun-9", user)
    assert "不能包含用户名" in exc.value.messages[0]


@pytest.mark.parametrize("password", ["Jilin-Bureau-7421", "correct HORSE battery 42", "长春见习Ab12345678"])
def test_strong_passwords_pass(password, db):
    validate_password(password, User(username="someone"))


def test_help_texts_are_chinese():
    from django.contrib.auth.password_validation import password_validators_help_texts

    texts = password_validators_help_texts()
    assert len(texts) == 5 and all(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in texts)


def _change(user, password):
    validate_password(password, user)
    user.set_password(password)
    user.save()


def test_staff_cannot_reuse_any_of_the_last_five(city_cc, figures):
    passwords = [f"Rotation-{i}-Jilin!" for i in range(6)]
    for p in passwords:
        _change(city_cc, p)
    assert PasswordHistory.objects.filter(user=city_cc).count() == 5
    refused = 0
    for p in passwords[1:]:  # the last five, the current one included
        with pytest.raises(ValidationError, match="最近 5 次"):
            validate_password(p, city_cc)
        refused += 1
    validate_password(passwords[0], city_cc)  # the sixth-last is allowed again
    figures.add("2", f"password reuse: {refused} of the last 5 refused for staff, the 6th-last accepted")


def test_history_stores_hashes_never_passwords(city_cc):
    _change(city_cc, "Rotation-Secret-77!")
    stored = PasswordHistory.objects.get(user=city_cc).password
    assert "Rotation-Secret-77!" not in stored and stored == city_cc.password


def test_reuse_rule_is_for_staff_only(employer_a):
    _change(employer_a, "Employer-Pass-2026!")
    validate_password("Employer-Pass-2026!", employer_a)


def test_staff_password_expires_after_90_days(city_cc, employer_a):
    now = timezone.now()
    city_cc.password_changed_at = employer_a.password_changed_at = now - timedelta(days=90)
    assert password_expired(city_cc, now) and not password_expired(employer_a, now)
    city_cc.password_changed_at = now - timedelta(days=89, hours=23)
    assert not password_expired(city_cc, now)


def test_setting_a_password_restarts_the_90_days(city_cc):
    city_cc.password_changed_at = timezone.now() - timedelta(days=200)
    city_cc.save()
    city_cc.set_password("Fresh-Start-2026!")
    city_cc.save()
    city_cc.refresh_from_db()
    assert not password_expired(city_cc)


def test_expired_staff_is_sent_to_the_password_page_first(client_for, city_cc, figures):
    User.objects.filter(pk=city_cc.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    client = client_for(city_cc)
    response = client.get("/annex1/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    assert client.get("/accounts/password/").status_code == 200
    new = "Renewed-Pass-2026!"
    response = client.post(
        "/accounts/password/", {"old_password": "Secret-pass-2026", "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert client.get("/annex1/").status_code == 200
    figures.add("2", "password age: staff at 91 days redirected to the change page; 200 after changing it")


def test_expired_youth_is_not_forced(client_for, youth):
    User.objects.filter(pk=youth.pk).update(password_changed_at=timezone.now() - timedelta(days=400))
    assert client_for(youth).get("/").status_code == 200


def test_change_page_refuses_a_weak_password_in_chinese(client_for, employer_a):
    response = client_for(employer_a).post(
        "/accounts/password/",
        {
            "old_password": "Secret-pass-2026",
            "new_password1": "abc12345",
            "new_password2": "abc12345",
        },
    )
    assert response.status_code == 200
    assert "至少需要 12 个字符" in response.content.decode()


def test_new_user_from_factory_is_not_expired(db):
    assert not password_expired(UserFactory(role=User.Role.PROVINCE))
