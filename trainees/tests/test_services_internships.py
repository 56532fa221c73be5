"""The bridge (双贯通): interns at practice bases, converted to a placement at the same unit."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jianxi_portal.core.models import ReviewLog
from positions.tests.factories import ApprovedPostFactory
from trainees.models import Internship, Trainee
from trainees.services import internship_convert, internship_create, internship_end
from trainees.tests.factories import make_id_number
from units.models import Unit

pytestmark = pytest.mark.django_db

STUDENT_ID = make_id_number(date(2004, 4, 4), 317)


@pytest.fixture
def base_post(unit_a):
    Unit.objects.filter(pk=unit_a.pk).update(is_practice_base=True)
    return ApprovedPostFactory(unit=unit_a, title="数控见习", also_internship=True, allowance=Decimal("1500"), slots=2)


def intern(base_post, by, **extra):
    values = dict(
        post_id=base_post.pk,
        by=by,
        id_number=STUDENT_ID,
        name="赵强",
        phone="13700001111",
        school="吉林工业职业技术学院",
        major="数控技术",
        left_school_on=date(2026, 6, 30),
        started_on=date(2025, 9, 1),
        planned_end=date(2026, 6, 30),
    )
    values.update(extra)
    return internship_create(**values)


def test_practice_base_records_a_current_year_student(base_post, employer_a):
    internship = intern(base_post, employer_a)
    assert (internship.status, internship.unit, internship.region.code) == ("active", base_post.unit, "changchun")
    assert internship.trainee.id_number == STUDENT_ID and internship.trainee.birth_date == date(2004, 4, 4)


def test_only_practice_bases_on_internship_posts(unit_a, employer_a):
    ordinary = ApprovedPostFactory(unit=unit_a, also_internship=True, allowance=Decimal("1500"))
    with pytest.raises(ValidationError) as exc:
        intern(ordinary, employer_a)
    assert "不是实习实训基地" in exc.value.message_dict["post"][0]
    Unit.objects.filter(pk=unit_a.pk).update(is_practice_base=True)
    not_internship = ApprovedPostFactory(unit=unit_a, also_internship=False, allowance=Decimal("1500"))
    with pytest.raises(ValidationError) as exc:
        intern(not_internship, employer_a)
    assert "未同时作为实习岗位" in exc.value.message_dict["post"][0]


def test_student_must_graduate_within_a_year_of_the_start(base_post, employer_a):
    with pytest.raises(ValidationError) as exc:
        intern(base_post, employer_a, left_school_on=date(2027, 6, 30))
    assert "应届" in exc.value.message_dict["left_school_on"][0]
    assert not Trainee.objects.exists()


def test_other_units_cannot_record_interns(base_post, employer_b):
    with pytest.raises(PermissionDenied):
        intern(base_post, employer_b)


def test_conversion_before_graduation_is_refused_with_the_dates(base_post, employer_a):
    internship = intern(base_post, employer_a)
    with pytest.raises(ValidationError) as exc:
        internship_convert(
            internship_id=internship.pk, by=employer_a, signed_on=date(2026, 6, 1), planned_start=date(2026, 6, 1)
        )
    assert exc.value.message_dict["trainee"] == ["尚未毕业：毕业（离校）日期 2026-06-30 晚于协议签订日期 2026-06-01。"]
    internship.refresh_from_db()
    assert internship.status == "active"


def test_graduate_converts_to_a_planned_placement_at_the_same_unit_keeping_history(base_post, employer_a):
    internship = intern(base_post, employer_a)
    placement = internship_convert(
        internship_id=internship.pk, by=employer_a, signed_on=date(2026, 7, 1), planned_start=date(2026, 7, 1)
    )
    internship.refresh_from_db()
    assert (placement.status, placement.unit, placement.post, placement.internship) == (
        "planned",
        base_post.unit,
        base_post,
        internship,
    )
    assert (placement.planned_start, placement.planned_end) == (date(2026, 7, 1), date(2026, 12, 31))
    assert (internship.status, internship.ended_on) == ("converted", date(2026, 7, 1))
    assert list(
        ReviewLog.objects.filter(object_id=internship.pk, content_type__model="internship").values_list(
            "action", flat=True
        )
    ) == ["intern", "convert"]
    assert list(
        ReviewLog.objects.filter(object_id=placement.pk, content_type__model="placement").values_list(
            "action", flat=True
        )
    ) == ["sign", "convert"]


def test_employed_graduate_is_not_converted(base_post, employer_a):
    internship = intern(base_post, employer_a)
    Trainee.objects.filter(pk=internship.trainee_id).update(employed=True)
    with pytest.raises(ValidationError):
        internship_convert(
            internship_id=internship.pk, by=employer_a, signed_on=date(2026, 7, 1), planned_start=date(2026, 7, 1)
        )


def test_conversion_happens_once(base_post, employer_a):
    internship = intern(base_post, employer_a)
    internship_convert(
        internship_id=internship.pk, by=employer_a, signed_on=date(2026, 7, 1), planned_start=date(2026, 7, 1)
    )
    with pytest.raises(ValidationError):
        internship_convert(
            internship_id=internship.pk, by=employer_a, signed_on=date(2026, 7, 2), planned_start=date(2026, 7, 2)
        )


def test_ended_internship_still_converts(base_post, employer_a):
    internship = intern(base_post, employer_a)
    internship_end(internship_id=internship.pk, ended_on=date(2026, 6, 20), by=employer_a)
    internship_convert(
        internship_id=internship.pk, by=employer_a, signed_on=date(2026, 7, 3), planned_start=date(2026, 7, 6)
    )
    internship.refresh_from_db()
    assert (internship.status, internship.ended_on) == (Internship.Status.CONVERTED, date(2026, 6, 20))


def test_conversion_must_stay_at_the_same_unit(base_post, employer_a, post_b):
    internship = intern(base_post, employer_a)
    with pytest.raises(ValidationError) as exc:
        internship_convert(
            internship_id=internship.pk,
            by=employer_a,
            signed_on=date(2026, 7, 1),
            planned_start=date(2026, 7, 1),
            post_id=post_b.pk,
        )
    assert exc.value.message_dict["post"] == ["实习转见习应在同一单位的岗位签订见习协议。"]


def test_known_id_with_another_name_is_refused(base_post, employer_a, city_cc):
    from trainees.services import trainee_create

    trainee_create(
        by=city_cc,
        name="别人",
        id_number=STUDENT_ID,
        phone="13700002222",
        category="unemployed_youth",
        unemployment_registered=True,
    )
    with pytest.raises(ValidationError) as exc:
        intern(base_post, employer_a)
    assert "姓名与登记信息不一致" in exc.value.message_dict["id_number"][0]
