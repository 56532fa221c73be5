"""Every form shows all its errors at once and keeps what was typed (never a password): a sign-up
whose passwords do not match also names the bad phone and the weak password, and nothing is saved."""

from jianxi_portal.core.models import User
from trainees.models import Trainee


def test_employer_sign_up_names_every_error_in_one_round(client):
    response = client.post(
        "/register/employer/",
        {
            "username": "lin_hr",
            "name": "林经办",
            "phone": "1391234567",
            "email": "lin@example.cn",
            "password": "abc",
            "password_again": "abd",
        },
    )
    errors = response.context["form"].errors
    assert errors["password_again"] == ["两次输入的密码不一致。"]
    assert errors["phone"] and "手机号码" in errors["phone"][0]
    assert any("至少需要 12 个字符" in e for e in errors["password"])
    body = response.content.decode()
    assert 'value="lin_hr"' in body and 'value="1391234567"' in body and 'value="lin@example.cn"' in body
    assert 'value="abc"' not in body and 'value="abd"' not in body  # passwords are never sent back
    assert not User.objects.filter(username="lin_hr").exists()


def test_a_missing_field_and_the_services_errors_show_together(client):
    response = client.post(
        "/register/employer/",
        {
            "username": "",
            "name": "林经办",
            "phone": "1391234567",
            "password": "Changbai-Mountain-88",
            "password_again": "Changbai-Mountain-88",
        },
    )
    errors = response.context["form"].errors
    assert errors["username"] == ["该字段是必填项。"]  # the form's own word, not a second copy
    assert "手机号码" in errors["phone"][0]
    assert not User.objects.filter(first_name="林经办").exists()


def test_a_valid_employer_sign_up_still_creates_the_account(client):
    response = client.post(
        "/register/employer/",
        {
            "username": "lin_hr2",
            "name": "林经办",
            "phone": "13912345678",
            "password": "Changbai-Mountain-88",
            "password_again": "Changbai-Mountain-88",
        },
    )
    assert response.status_code == 302 and User.objects.get(username="lin_hr2").role == User.Role.EMPLOYER


def test_youth_sign_up_with_mismatched_passwords_also_names_the_bad_id_number(client, changchun):
    response = client.post(
        "/youth/register/",
        {
            "username": "xiaowang",
            "password": "Songhua-River-2027!",
            "password2": "Songhua-River-2028!",
            "name": "王小明",
            "id_number": "220102200001011235",
            "phone": "13812345678",
            "region": changchun.pk,
            "category": "college_graduate",
            "school": "吉林大学",
            "major": "会计学",
            "education": "bachelor",
            "left_school_on": "2026-07-01",
        },
    )
    errors = response.context["form"].errors
    assert errors["password2"] == ["两次输入的密码不一致。"]
    assert "校验码" in errors["id_number"][0] or "身份证" in errors["id_number"][0]
    assert not User.objects.filter(username="xiaowang").exists() and not Trainee.objects.exists()


def test_an_empty_employer_sign_up_names_every_required_field_instead_of_a_server_error(client):
    response = client.post("/register/employer/", {})
    assert response.status_code == 200
    errors = response.context["form"].errors
    for name in ("username", "name", "phone", "password", "password_again"):
        assert errors[name] == ["该字段是必填项。"], name
    assert "该字段是必填项。" in response.content.decode()
    assert not User.objects.exists()


def test_an_empty_youth_sign_up_names_every_required_field_instead_of_a_server_error(client, changchun):
    response = client.post("/youth/register/", {})
    assert response.status_code == 200
    errors = response.context["form"].errors
    for name in ("username", "password", "password2", "name", "id_number", "phone"):
        assert errors[name] == ["该字段是必填项。"], name
    assert not User.objects.exists() and not Trainee.objects.exists()


def test_a_form_that_is_not_bound_gets_no_service_check():
    from django import forms

    from jianxi_portal.core.views import run_every_check

    class Form(forms.Form):
        name = forms.CharField()

    calls = []
    assert run_every_check(Form(), calls.append) is None
    assert calls == []
