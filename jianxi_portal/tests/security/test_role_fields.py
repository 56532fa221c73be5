"""Item 1, the `role` of "writes through a protected field": the public sign-up pages and a young
person's own profile page take no role, staff flag or region from the request. A posted `role=admin`,
`is_staff`, `is_superuser` or another person's unit leaves an ordinary account of the page's own kind."""

from datetime import date

import pytest
from django.urls import reverse

from jianxi_portal.core.models import User
from trainees.models import Trainee
from trainees.tests.factories import make_id_number

ESCALATION = {"role": "admin", "is_staff": "on", "is_superuser": "on", "region": "jilin", "unit": "1"}
PASSWORD = "Jianxi@Test2026x"


def _ordinary(user: User, role: str) -> bool:
    return user.role == role and not user.is_staff and not user.is_superuser and user.unit_id is None


@pytest.mark.django_db
def test_sign_up_and_profile_pages_ignore_role_staff_and_unit_fields(
    client, client_for, youth, unit_b, changchun, figures
):
    attempts = []

    response = client.post(
        reverse("employer_register"),
        {
            "username": "new_employer",
            "name": "王经办",
            "phone": "13904319999",
            "email": "",
            "password": PASSWORD,
            "password_again": PASSWORD,
            **ESCALATION,
            "unit": str(unit_b.pk),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    attempts.append(_ordinary(User.objects.get(username="new_employer"), User.Role.EMPLOYER))
    client.logout()

    response = client.post(
        reverse("trainees:youth_register"),
        {
            "username": "new_youth",
            "password": PASSWORD,
            "password2": PASSWORD,
            "email": "",
            "name": "李青年",
            "id_number": make_id_number(date(2002, 5, 1), 777),
            "phone": "13904318888",
            "region": changchun.pk,
            "category": "college_graduate",
            "education": "bachelor",
            "school": "吉林大学",
            "left_school_on": "2026-06-30",
            **{k: v for k, v in ESCALATION.items() if k != "region"},
            "unit": str(unit_b.pk),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    new_youth = User.objects.get(username="new_youth")
    attempts.append(_ordinary(new_youth, User.Role.YOUTH))

    own = client_for(new_youth)
    trainee = Trainee.objects.get(user=new_youth)
    response = own.post(
        reverse("trainees:my_profile_edit"),
        {
            "name": "李青年",
            "region": changchun.pk,
            "category": "college_graduate",
            "education": "bachelor",
            "school": "吉林大学",
            "left_school_on": "2026-06-30",
            **{k: v for k, v in ESCALATION.items() if k != "region"},
            "unit": str(unit_b.pk),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    new_youth.refresh_from_db()
    still_theirs = Trainee.objects.get(pk=trainee.pk).user_id == new_youth.pk
    attempts.append(_ordinary(new_youth, User.Role.YOUTH) and still_theirs)

    assert all(attempts), attempts
    figures.add(
        "1",
        f"role, staff flags and unit in sign-up and profile forms: {len(attempts)} of {len(attempts)} "
        "attempts left an ordinary account of the page's own kind",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["13912345678", "+86 13912345678", "22010219900101123X"])
def test_a_mobile_or_id_number_is_refused_as_a_user_name(username, changchun, figures):
    """User names are kept in plain text (sign-in records, pages): a personal value is refused there."""
    from django.core.exceptions import ValidationError

    from trainees.services import youth_register
    from units.services import employer_account_create

    with pytest.raises(ValidationError) as employer:
        employer_account_create(username=username, password=PASSWORD, name="王经办", phone="13904319999")
    with pytest.raises(ValidationError) as young:
        youth_register(
            username=username,
            password=PASSWORD,
            region=changchun,
            name="李青年",
            id_number=make_id_number(date(2002, 5, 1), 778),
            phone="13904318887",
            category="college_graduate",
            school="吉林大学",
            left_school_on=date(2026, 6, 30),
        )
    for exc in (employer, young):
        assert "用户名不能是手机号码或身份证号" in exc.value.message_dict["username"][0]
    assert not User.objects.filter(username=username).exists()
    if username.startswith("2"):
        figures.add(
            "4",
            "user names: a mobile number (with and without +86) and an ID number refused at both "
            "sign-ups (user names are kept in plain text)",
        )
