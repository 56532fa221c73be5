"""Register pages: city create/edit, the trainee page (full ID only for the own city, audited),
youth self-registration and profile, and scoping."""

from datetime import date

import pytest
from django.urls import reverse

from jianxi_portal.core.models import AuditLog, User
from trainees.models import Trainee
from trainees.tests.factories import OnDutyPlacementFactory, TraineeFactory, make_id_number

pytestmark = pytest.mark.django_db

NEW_ID = make_id_number(date(2003, 9, 18), 135)


def trainee_form(**extra):
    data = {
        "name": "王小明",
        "id_number": NEW_ID,
        "phone": "13912345678",
        "category": "college_graduate",
        "school": "长春工业大学",
        "major": "机械工程",
        "education": "bachelor",
        "left_school_on": "2025-06-30",
    }
    data.update(extra)
    return data


def test_city_registers_a_trainee_through_the_form(client_for, city_cc):
    response = client_for(city_cc).post(reverse("trainees:trainee_create"), trainee_form())
    trainee = Trainee.objects.get()
    assert response.status_code == 302 and response.url == reverse("trainees:trainee_detail", args=[trainee.pk])
    assert (trainee.region.code, trainee.birth_date, trainee.id_number) == ("changchun", date(2003, 9, 18), NEW_ID)


def test_wrong_check_digit_on_the_form_is_refused_and_nothing_saved(client_for, city_cc):
    wrong = NEW_ID[:17] + ("0" if NEW_ID[17] != "0" else "1")
    response = client_for(city_cc).post(reverse("trainees:trainee_create"), trainee_form(id_number=wrong))
    assert response.status_code == 200
    assert f"居民身份证号码校验位错误：第18位应为“{NEW_ID[17]}”。" in response.content.decode()
    assert not Trainee.objects.exists()


def test_duplicate_on_the_form_says_only_registered_elsewhere(client_for, city_jl, changchun):
    TraineeFactory(id_number=NEW_ID, region=changchun)
    page = client_for(city_jl).post(reverse("trainees:trainee_create"), trainee_form()).content.decode()
    assert "该身份证号已在其他市（州）登记为见习人员" in page and "长春市" not in page
    assert Trainee.objects.count() == 1


def test_own_city_sees_the_full_id_number_and_the_view_is_audited(client_for, city_cc, grad_cc):
    page = client_for(city_cc).get(reverse("trainees:trainee_detail", args=[grad_cc.pk])).content.decode()
    assert grad_cc.id_number in page
    row = AuditLog.objects.get(event="id_number.view")
    assert (row.user, row.object_id, row.detail) == (city_cc, str(grad_cc.pk), {"via": "page"})
    assert grad_cc.id_number not in str(row.detail)


def test_employer_sees_its_trainee_masked_and_nothing_is_audited(client_for, employer_a, grad_cc, post_a):
    OnDutyPlacementFactory(trainee=grad_cc, post=post_a)
    page = client_for(employer_a).get(reverse("trainees:trainee_detail", args=[grad_cc.pk])).content.decode()
    assert grad_cc.id_number not in page and grad_cc.id_number_masked in page
    assert not AuditLog.objects.filter(event="id_number.view").exists()


def test_placement_city_sees_the_trainee_masked(client_for, city_jl, grad_cc, post_b):
    OnDutyPlacementFactory(trainee=grad_cc, post=post_b)
    page = client_for(city_jl).get(reverse("trainees:trainee_detail", args=[grad_cc.pk])).content.decode()
    assert grad_cc.id_number not in page and grad_cc.id_number_masked in page


def test_trainee_list_is_masked(client_for, city_cc, grad_cc):
    page = client_for(city_cc).get(reverse("trainees:trainee_list")).content.decode()
    assert grad_cc.id_number_masked in page and grad_cc.id_number not in page


def test_trainee_list_finds_a_person_by_full_id_number(client_for, city_cc, grad_cc):
    TraineeFactory(name="别人")
    response = client_for(city_cc).get(reverse("trainees:trainee_list"), {"q": grad_cc.id_number})
    assert [t.name for t in response.context["page"]] == ["张明"]


def test_trainee_list_finds_a_person_by_mobile_number_through_its_digest(client_for, city_cc, grad_cc):
    TraineeFactory(name="别人")
    response = client_for(city_cc).get(reverse("trainees:trainee_list"), {"q": grad_cc.phone})
    assert [t.name for t in response.context["page"]] == ["张明"]


def test_trainee_list_queries_do_not_grow_with_rows(client_for, city_cc, django_assert_max_num_queries):
    client = client_for(city_cc)
    TraineeFactory()
    client.get(reverse("trainees:trainee_list"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("trainees:trainee_list"))
    TraineeFactory.create_batch(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("trainees:trainee_list"))


def test_other_city_gets_404_on_trainee_pages(client_for, city_jl, grad_cc):
    client = client_for(city_jl)
    assert client.get(reverse("trainees:trainee_detail", args=[grad_cc.pk])).status_code == 404
    assert client.get(reverse("trainees:trainee_edit", args=[grad_cc.pk])).status_code == 404
    assert grad_cc.name not in client.get(reverse("trainees:trainee_list")).content.decode()
    assert client.get(reverse("trainees:placement_create") + f"?trainee={grad_cc.pk}").status_code == 404


def test_city_edits_a_trainee_leaving_id_blank_keeps_it(client_for, city_cc, grad_cc):
    data = trainee_form(name=grad_cc.name, id_number="", phone="", school="东北师范大学", left_school_on="2025-07-01")
    response = client_for(city_cc).post(reverse("trainees:trainee_edit", args=[grad_cc.pk]), data)
    assert response.status_code == 302
    original = grad_cc.id_number
    grad_cc.refresh_from_db()
    assert (grad_cc.school, grad_cc.id_number) == ("东北师范大学", original)


def test_edit_page_never_shows_the_full_id_number(client_for, city_cc, grad_cc):
    page = client_for(city_cc).get(reverse("trainees:trainee_edit", args=[grad_cc.pk])).content.decode()
    assert grad_cc.id_number not in page


def test_youth_registers_on_the_public_site_and_lands_on_the_profile(client, changchun):
    data = trainee_form(username="xiaoming", password="Qingnian-2026x", password2="Qingnian-2026x", region=changchun.pk)
    response = client.post(reverse("trainees:youth_register"), data)
    assert response.status_code == 302 and response.url == reverse("trainees:my_profile")
    user = User.objects.get(username="xiaoming")
    assert user.role == "youth" and user.trainee.id_number == NEW_ID
    page = client.get(reverse("trainees:my_profile")).content.decode()
    assert "王小明" in page and user.trainee.id_number_masked in page


def test_youth_registration_with_mismatched_passwords_saves_nothing(client, changchun):
    data = trainee_form(username="xiaoming", password="Qingnian-2026x", password2="other-2026x", region=changchun.pk)
    response = client.post(reverse("trainees:youth_register"), data)
    assert "两次输入的密码不一致。" in response.content.decode()
    assert not User.objects.filter(username="xiaoming").exists()


def test_youth_without_a_record_fills_it_in_on_the_profile(client_for, youth, changchun):
    client = client_for(youth)
    assert client.get(reverse("trainees:my_profile")).status_code == 200
    response = client.post(reverse("trainees:my_profile"), trainee_form(region=changchun.pk))
    assert response.status_code == 302
    assert Trainee.objects.get(user=youth).name == "王小明"


def test_youth_edits_the_own_profile(client_for, youth, changchun, jilin_region):
    TraineeFactory(user=youth, region=changchun, name="旧名字")
    data = trainee_form(id_number="", phone="", region=jilin_region.pk)
    assert client_for(youth).post(reverse("trainees:my_profile_edit"), data).status_code == 302
    trainee = Trainee.objects.get(user=youth)
    assert (trainee.name, trainee.region) == ("王小明", jilin_region)


def test_youth_cannot_open_staff_pages(client_for, youth, grad_cc):
    client = client_for(youth)
    assert client.get(reverse("trainees:trainee_list")).status_code == 403
    assert client.get(reverse("trainees:trainee_detail", args=[grad_cc.pk])).status_code == 403


def test_anonymous_is_sent_to_login(client, grad_cc):
    response = client.get(reverse("trainees:trainee_detail", args=[grad_cc.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url
