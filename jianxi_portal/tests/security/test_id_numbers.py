"""What a registered ID number tells whom (SECURITY.md, "ID numbers"): an anonymous sign-up says
nothing of whether or where a person is registered, the real person claims the record through the
city holding it, staff of another region learn only that the person is registered elsewhere, and
that lookup is audited (surviving the refusal's rolled-back transaction)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from exchange.imports import importer_for
from exchange.tests.helpers import trainee_row, xlsx_bytes
from jianxi_portal.core.audit import keeping_audits
from jianxi_portal.core.models import AuditLog, User
from positions.tests.factories import ApprovedPostFactory
from trainees.models import Trainee
from trainees.services import internship_create
from trainees.services.register import CLAIM, ELSEWHERE
from trainees.tests.factories import TraineeFactory, make_id_number
from units.models import Unit

pytestmark = pytest.mark.django_db

HELD = make_id_number(date(2003, 9, 18), 135)
FREE = make_id_number(date(2004, 1, 2), 246)


@pytest.fixture
def held(changchun):
    return TraineeFactory(id_number=HELD, region=changchun, name="王小明")


def sign_up(client, region, number, username):
    data = {
        "username": username,
        "password": "Qingnian-2026x",
        "password2": "Qingnian-2026x",
        "region": region.pk,
        "name": "王小明",
        "id_number": number,
        "phone": "13912345678",
        "category": "college_graduate",
        "school": "长春工业大学",
        "major": "机械工程",
        "education": "bachelor",
        "left_school_on": "2025-06-30",
    }
    return client.post(reverse("trainees:youth_register"), data)


def lookups():
    return list(
        AuditLog.objects.filter(event="trainee.lookup_elsewhere").values_list("user__username", "object_id", "detail")
    )


def test_an_anonymous_sign_up_answers_alike_for_a_registered_and_a_new_id_number(held, jilin_region, figures):
    answers = []
    for number, username in ((HELD, "someone"), (FREE, "newcomer")):
        client = Client()
        response = sign_up(client, jilin_region, number, username)
        said = [str(m) for m in get_messages(response.wsgi_request)]
        answers.append((response.status_code, response["Location"], said))
    assert answers[0] == answers[1] == (302, reverse("trainees:my_profile"), ["注册成功。"])
    someone = User.objects.get(username="someone")
    assert not Trainee.objects.filter(user=someone).exists() and Trainee.objects.get(pk=held.pk).user_id is None
    assert Trainee.objects.get(user__username="newcomer").id_number == FREE
    row = AuditLog.objects.get(event="youth.register", user=someone)
    assert row.detail == {"record": "registered_before"}
    figures.add(
        "4",
        "ID numbers at the anonymous sign-up: a registered and a new ID number answered alike "
        "(302 to the person's page, the same message); no record or region revealed",
    )


def test_a_refused_sign_up_is_refused_alike_for_a_registered_and_a_new_id_number(held, jilin_region):
    pages = []
    for number, username in ((HELD, "someone"), (FREE, "newcomer")):
        data = {
            "username": username,
            "password": "Qingnian-2026x",
            "password2": "Qingnian-2026x",
            "region": jilin_region.pk,
            "name": "王小明",
            "id_number": number,
            "phone": "12345",
            "category": "college_graduate",
            "school": "长春工业大学",
            "left_school_on": "2025-06-30",
        }
        response = Client().post(reverse("trainees:youth_register"), data)
        pages.append((response.status_code, "手机" in response.content.decode()))
    assert pages[0] == pages[1] == (200, True)
    assert not User.objects.filter(username__in=["someone", "newcomer"]).exists()


def test_the_claim_path_is_shown_to_the_person_and_names_no_region(held, jilin_region):
    client = Client()
    sign_up(client, jilin_region, HELD, "someone")
    page = client.get(reverse("trainees:my_profile")).content.decode()
    assert "经办机构核实本人" in page and "档案在" not in page  # (the page's region list names every city)
    again = client.post(
        reverse("trainees:my_profile"),
        {
            "name": "王小明",
            "id_number": HELD,
            "phone": "13912345678",
            "category": "college_graduate",
            "school": "长春工业大学",
            "left_school_on": "2025-06-30",
            "region": jilin_region.pk,
        },
    ).content.decode()
    assert CLAIM.format(username="someone") in again and "档案在" not in again
    assert lookups() == []


def test_the_city_holding_the_record_links_the_persons_account(held, jilin_region, client_for, city_cc, figures):
    person = Client()
    sign_up(person, jilin_region, HELD, "someone")
    city = client_for(city_cc)
    assert "关联青年账户" in city.get(reverse("trainees:trainee_detail", args=[held.pk])).content.decode()
    response = city.post(reverse("trainees:trainee_link_account", args=[held.pk]), {"username": "someone"})
    assert response.status_code == 302
    assert Trainee.objects.get(pk=held.pk).user.username == "someone"
    row = AuditLog.objects.get(event="trainee.link_account")
    assert (row.user, row.object_id, row.detail["replaced"]) == (city_cc, str(held.pk), None)
    assert "王小明" in person.get(reverse("trainees:my_profile")).content.decode()
    figures.add(
        "4",
        "claiming a record registered before the account: linked by the city holding it "
        "(trainee.link_account audited), not by the sign-up",
    )


@pytest.mark.parametrize("who", ["city_jl", "employer_a", "province_user"])
def test_only_the_city_holding_the_record_links_an_account(request, held, client_for, who):
    User.objects.create_user("someone", password="Qingnian-2026x", role=User.Role.YOUTH)
    client = client_for(request.getfixturevalue(who))
    response = client.post(reverse("trainees:trainee_link_account", args=[held.pk]), {"username": "someone"})
    assert response.status_code in (403, 404)
    assert Trainee.objects.get(pk=held.pk).user_id is None


def test_linking_refuses_an_account_that_is_not_a_young_persons(held, client_for, city_cc, employer_a):
    response = client_for(city_cc).post(
        reverse("trainees:trainee_link_account", args=[held.pk]), {"username": employer_a.username}
    )
    assert response.status_code == 302 and Trainee.objects.get(pk=held.pk).user_id is None


def test_another_regions_staff_learn_only_that_the_person_is_registered_elsewhere(held, api_for, city_jl, figures):
    payload = {
        "name": "张三",
        "id_number": HELD,
        "phone": "13912345670",
        "category": "college_graduate",
        "school": "吉林大学",
        "left_school_on": "2025-06-30",
    }
    response = api_for(city_jl).post("/api/v1/trainees/", payload, format="json")
    assert response.status_code == 400 and response.json() == {"id_number": [ELSEWHERE]}
    assert "长春" not in response.content.decode() and "王小明" not in response.content.decode()
    assert lookups() == [("city_jl", str(held.pk), {"via": "register"})]
    figures.add(
        "4",
        "ID numbers at another region's registration (API): 400 'registered elsewhere' without "
        "region or name; the lookup audited (trainee.lookup_elsewhere, kept after the rollback)",
    )


def test_the_same_answer_on_the_page_and_the_lookup_is_audited(held, client_for, city_jl):
    data = {
        "name": "张三",
        "id_number": HELD,
        "phone": "13912345670",
        "category": "college_graduate",
        "school": "吉林大学",
        "left_school_on": "2025-06-30",
    }
    page = client_for(city_jl).post(reverse("trainees:trainee_create"), data).content.decode()
    assert ELSEWHERE in page and "长春" not in page
    assert lookups() == [("city_jl", str(held.pk), {"via": "register"})]


def test_the_city_holding_the_record_is_pointed_to_it(held, api_for, city_cc):
    payload = {
        "name": "王小明",
        "id_number": HELD,
        "phone": "13912345678",
        "category": "college_graduate",
        "school": "长春工业大学",
        "left_school_on": "2025-06-30",
    }
    response = api_for(city_cc).post("/api/v1/trainees/", payload, format="json")
    assert response.json() == {"id_number": ["该身份证号已在本市（州）登记（王小明），请在见习人员清单中查找。"]}
    assert lookups() == []


def test_an_import_preview_tells_another_region_only_elsewhere_and_keeps_the_audit(held, city_jl):
    report = importer_for("trainees").run(
        io.BytesIO(xlsx_bytes([trainee_row(5, number=HELD, 姓名="改名")])), by=city_jl, dry_run=True
    )
    assert [e.message for e in report.errors] == [ELSEWHERE]
    assert lookups() == [("city_jl", str(held.pk), {"via": "import"})]


def test_a_unit_registering_an_intern_under_another_name_learns_no_region(held, unit_b, employer_b):
    Unit.objects.filter(pk=unit_b.pk).update(is_practice_base=True)
    post = ApprovedPostFactory(unit=unit_b, also_internship=True, allowance=Decimal("1500"))
    with keeping_audits(), pytest.raises(ValidationError) as exc:  # as every request does
        internship_create(
            post_id=post.pk,
            by=employer_b,
            id_number=HELD,
            name="别人",
            phone="13700001111",
            school="吉林大学",
            left_school_on=date(2026, 6, 30),
            started_on=date(2025, 9, 1),
            planned_end=date(2026, 6, 30),
        )
    assert exc.value.message_dict["id_number"] == ["该身份证号已登记，但姓名与登记信息不一致，请核对。"]
    assert lookups() == [("employer_b", str(held.pk), {"via": "internship"})]
