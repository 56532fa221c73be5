"""The trainee register: encrypted personal values, ID check digit, one person across the province."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from jianxi_portal.core.models import AuditLog, User
from trainees.models import Trainee, TraineeCategory
from trainees.services import trainee_create, trainee_update, youth_register
from trainees.tests.factories import make_id_number

pytestmark = pytest.mark.django_db

# 220102 + 2003-09-18 + serial 135 (odd: male) + check digit.
ID_MALE = make_id_number(date(2003, 9, 18), 135)
ID_FEMALE = make_id_number(date(2004, 1, 2), 246)


def graduate(**extra):
    values = dict(
        name="王小明",
        id_number=ID_MALE,
        phone="13912345678",
        category=TraineeCategory.COLLEGE_GRADUATE,
        school="长春工业大学",
        major="机械工程",
        education="bachelor",
        left_school_on=date(2025, 6, 30),
    )
    values.update(extra)
    return values


def test_city_registers_a_trainee_with_birth_date_and_sex_from_the_id_number(city_cc):
    trainee = trainee_create(by=city_cc, **graduate())
    assert (trainee.birth_date, trainee.sex, trainee.region.code) == (date(2003, 9, 18), "M", "changchun")
    assert trainee.id_number == ID_MALE
    assert trainee.id_number_masked == ID_MALE[:6] + "********" + ID_MALE[-4:]
    assert trainee.phone == "13912345678" and trainee.phone_masked == "139****5678"
    assert trainee_create(by=city_cc, **graduate(id_number=ID_FEMALE, name="王小红")).sex == "F"


def test_database_rows_hold_no_plaintext_id_number_or_phone(city_cc):
    trainee_create(by=city_cc, **graduate())
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM trainees_trainee")
        dump = " ".join(str(v) for row in cursor.fetchall() for v in row)
    assert ID_MALE not in dump and ID_MALE[6:14] + ID_MALE[14:] not in dump
    assert "13912345678" not in dump


def test_wrong_id_check_digit_is_refused_and_nothing_saved(city_cc):
    wrong = ID_MALE[:17] + ("0" if ID_MALE[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        trainee_create(by=city_cc, **graduate(id_number=wrong))
    assert exc.value.message_dict["id_number"] == [f"居民身份证号码校验位错误：第18位应为“{ID_MALE[17]}”。"]
    assert not Trainee.objects.exists()


def test_duplicate_id_number_tells_another_region_only_that_it_is_registered_elsewhere(city_cc, city_jl):
    trainee_create(by=city_cc, **graduate())
    with pytest.raises(ValidationError) as exc:
        trainee_create(by=city_jl, **graduate(name="另一个名字"))
    message = exc.value.message_dict["id_number"][0]
    assert message == (
        "该身份证号已在其他市（州）登记为见习人员，不能重复登记；如该人员需在本市（州）见习，请与省级经办机构联系。"
    )
    assert "王小明" not in message and "长春" not in message
    assert Trainee.objects.count() == 1


def test_duplicate_is_found_whatever_the_case_of_the_check_letter(city_cc, city_jl):
    number = next(
        make_id_number(date(2002, 1, 1), n) for n in range(1000) if make_id_number(date(2002, 1, 1), n).endswith("X")
    )
    trainee_create(by=city_cc, **graduate(id_number=number))
    with pytest.raises(ValidationError):
        trainee_create(by=city_jl, **graduate(id_number=number.lower()))


def test_city_cannot_register_into_another_region(city_cc, jilin_region):
    with pytest.raises(PermissionDenied):
        trainee_create(by=city_cc, region=jilin_region, **graduate())


def test_employer_cannot_register_trainees(employer_a):
    with pytest.raises(PermissionDenied):
        trainee_create(by=employer_a, **graduate())


def test_graduate_needs_school_and_leaving_date(city_cc):
    with pytest.raises(ValidationError) as exc:
        trainee_create(by=city_cc, **graduate(school="", left_school_on=None))
    assert set(exc.value.message_dict) == {"school", "left_school_on"}


def test_bad_mobile_number_is_refused(city_cc):
    with pytest.raises(ValidationError) as exc:
        trainee_create(by=city_cc, **graduate(phone="12345"))
    assert "手机号码应为11位" in exc.value.message_dict["phone"][0]


def test_creation_is_audited_without_personal_values(city_cc):
    trainee = trainee_create(by=city_cc, **graduate())
    row = AuditLog.objects.get(event="trainee.create")
    assert row.object_id == str(trainee.pk)
    assert ID_MALE not in str(row.detail) and "13912345678" not in str(row.detail)


def test_youth_registers_account_and_record_in_one_step(changchun):
    user = youth_register(username="xiaoming", password="Qingnian-2026x", region=changchun, **graduate())
    assert user.username == "xiaoming" and user.role == User.Role.YOUTH and user.trainee.id_number == ID_MALE
    assert user.check_password("Qingnian-2026x")


def test_youth_registration_with_a_known_id_gets_the_account_alone(city_cc, changchun):
    held = trainee_create(by=city_cc, **graduate())
    user = youth_register(username="xiaoming", password="Qingnian-2026x", region=changchun, **graduate())
    assert not Trainee.objects.filter(user=user).exists() and Trainee.objects.get().pk == held.pk
    assert Trainee.objects.get().user_id is None


def test_youth_registration_refuses_a_weak_password(changchun):
    with pytest.raises(ValidationError) as exc:
        youth_register(username="xiaoming", password="12345", region=changchun, **graduate())
    assert "password" in exc.value.message_dict
    assert not User.objects.filter(username="xiaoming").exists()


def test_youth_registers_only_once(youth, changchun):
    trainee_create(by=youth, region=changchun, **graduate())
    with pytest.raises(ValidationError):
        trainee_create(by=youth, region=changchun, **graduate(id_number=ID_FEMALE))


def test_other_city_cannot_edit_a_trainee(city_cc, city_jl):
    trainee = trainee_create(by=city_cc, **graduate())
    with pytest.raises(PermissionDenied):
        trainee_update(trainee_id=trainee.pk, by=city_jl, school="别的学校")


def test_correcting_the_id_number_re_derives_birth_date_and_sex(city_cc):
    trainee = trainee_create(by=city_cc, **graduate())
    trainee = trainee_update(trainee_id=trainee.pk, by=city_cc, id_number=ID_FEMALE)
    assert (trainee.birth_date, trainee.sex, trainee.id_number) == (date(2004, 1, 2), "F", ID_FEMALE)


def test_id_number_cannot_change_once_a_placement_exists(city_cc, post_a, sign):
    trainee = trainee_create(by=city_cc, **graduate())
    sign(trainee, post_a)
    with pytest.raises(ValidationError) as exc:
        trainee_update(trainee_id=trainee.pk, by=city_cc, id_number=ID_FEMALE)
    assert "身份证号不能修改" in exc.value.message_dict["id_number"][0]
    trainee.refresh_from_db()
    assert trainee.id_number == ID_MALE


def test_youth_edits_own_profile(youth, changchun, jilin_region):
    trainee = trainee_create(by=youth, region=changchun, **graduate())
    trainee = trainee_update(trainee_id=trainee.pk, by=youth, region=jilin_region, phone="13800001111")
    assert trainee.region == jilin_region and trainee.phone == "13800001111"
