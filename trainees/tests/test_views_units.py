"""Mentor pages and the internship bridge pages (双贯通)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from positions.tests.factories import ApprovedPostFactory
from trainees.models import Internship, Mentor, Placement
from trainees.tests.factories import MentorFactory, make_id_number
from units.models import Unit

pytestmark = pytest.mark.django_db

STUDENT_ID = make_id_number(date(2004, 4, 4), 317)


def test_employer_adds_a_mentor_and_sees_the_load(client_for, employer_a, unit_a):
    client = client_for(employer_a)
    data = {"name": "刘工", "position": "财务主管", "phone": "13904311234", "max_trainees": "", "active": "on"}
    assert client.post(reverse("trainees:mentor_list"), data).status_code == 302
    mentor = Mentor.objects.get()
    assert (mentor.unit, mentor.capacity) == (unit_a, 3)
    assert "刘工" in client.get(reverse("trainees:mentor_list")).content.decode()


def test_mentor_phone_is_encrypted_and_the_edit_page_never_shows_it_back(client_for, employer_a, unit_a):
    mentor = MentorFactory(unit=unit_a, phone="13904316601")
    assert "13904316601" not in mentor.phone_cipher and mentor.phone_masked == "139****6601"
    client = client_for(employer_a)
    page = client.get(reverse("trainees:mentor_edit", args=[mentor.pk])).content.decode()
    assert "13904316601" not in page and "当前：139****6601；不修改请留空。" in page
    data = {"name": "刘工", "position": "主管", "phone": "", "max_trainees": "", "active": "on"}
    assert client.post(reverse("trainees:mentor_edit", args=[mentor.pk]), data).status_code == 302
    mentor.refresh_from_db()
    assert (mentor.position, mentor.phone) == ("主管", "13904316601")


def test_other_units_mentor_is_404(client_for, employer_b, unit_a):
    mentor = MentorFactory(unit=unit_a)
    assert client_for(employer_b).get(reverse("trainees:mentor_edit", args=[mentor.pk])).status_code == 404


@pytest.fixture
def base_post(unit_a):
    Unit.objects.filter(pk=unit_a.pk).update(is_practice_base=True)
    return ApprovedPostFactory(unit=unit_a, title="数控见习", also_internship=True, allowance=Decimal("1500"))


def test_practice_base_records_an_intern_and_converts_after_graduation(client_for, employer_a, base_post):
    client = client_for(employer_a)
    response = client.post(
        reverse("trainees:internship_create"),
        {
            "post": base_post.pk,
            "name": "赵强",
            "id_number": STUDENT_ID,
            "phone": "13700001111",
            "category": "vocational_graduate",
            "school": "吉林工业职业技术学院",
            "major": "数控技术",
            "left_school_on": "2026-06-30",
            "started_on": "2025-09-01",
            "planned_end": "2026-06-30",
        },
    )
    internship = Internship.objects.get()
    assert response.url == reverse("trainees:internship_detail", args=[internship.pk])
    assert "实习转见习" in client.get(response.url).content.decode()
    response = client.post(
        reverse("trainees:internship_convert", args=[internship.pk]),
        {"signed_on": "2026-07-01", "planned_start": "2026-07-01", "planned_end": "", "allowance": "", "post": ""},
    )
    placement = Placement.objects.get()
    assert response.url == reverse("trainees:placement_detail", args=[placement.pk])
    assert (placement.internship, placement.category, placement.unit_id) == (
        internship,
        "vocational_graduate",
        base_post.unit_id,
    )
    page = client.get(reverse("trainees:placement_detail", args=[placement.pk])).content.decode()
    assert "实习转见习" in page and "查看实习记录" in page


def test_non_practice_base_is_told_so(client_for, employer_b):
    page = client_for(employer_b).get(reverse("trainees:internship_list")).content.decode()
    assert "只有认定为实习实训基地的单位可以登记实习生" in page


def test_other_city_gets_404_on_an_internship(client_for, employer_a, city_jl, base_post):
    from trainees.services import internship_create

    internship = internship_create(
        post_id=base_post.pk,
        by=employer_a,
        id_number=STUDENT_ID,
        name="赵强",
        phone="13700001111",
        school="吉林大学",
        left_school_on=date(2026, 6, 30),
        started_on=date(2025, 9, 1),
        planned_end=date(2026, 6, 30),
    )
    assert client_for(city_jl).get(reverse("trainees:internship_detail", args=[internship.pk])).status_code == 404
