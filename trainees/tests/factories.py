from datetime import date, timedelta
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from jianxi_portal.core.validators import id_number_check_char
from jianxi_portal.tests.factories import region
from positions.tests.factories import ApprovedPostFactory
from trainees.models import Mentor, Placement, Trainee, TraineeCategory
from units.tests.factories import ApprovedUnitFactory


def make_id_number(birth: date, serial: int, area: str = "220102") -> str:
    first17 = f"{area}{birth:%Y%m%d}{serial % 1000:03d}"
    return first17 + id_number_check_char(first17)


class TraineeFactory(DjangoModelFactory):
    """A college graduate of 长春市 who left school on 2025-07-01, born 2002-03-04."""

    class Meta:
        model = Trainee

    class Params:
        birth = date(2002, 3, 4)
        id_serial = factory.Sequence(lambda n: n)

    # Plain values here; `_create` stores them encrypted through the model's setters.
    id_number = factory.LazyAttribute(lambda o: make_id_number(o.birth, o.id_serial))
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    name = factory.Sequence(lambda n: f"见习生{n}")
    birth_date = factory.LazyAttribute(lambda o: o.birth)  # the ID number's birth date
    sex = "M"
    category = TraineeCategory.COLLEGE_GRADUATE
    school = "吉林大学"
    major = "会计学"
    education = "bachelor"
    left_school_on = date(2025, 7, 1)
    region = factory.LazyFunction(lambda: region("changchun"))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        id_number = kwargs.pop("id_number")
        phone = kwargs.pop("phone")
        obj = model_class(*args, **kwargs)
        obj.id_number = id_number
        obj.phone = phone
        obj.save()
        return obj


class PlacementFactory(DjangoModelFactory):
    """A planned placement on a published post, signed 2026-03-01, running March–August 2026."""

    class Meta:
        model = Placement

    trainee = factory.SubFactory(TraineeFactory)
    post = factory.SubFactory(ApprovedPostFactory)
    unit = factory.LazyAttribute(lambda o: o.post.unit)
    region = factory.LazyAttribute(lambda o: o.post.region)
    category = factory.LazyAttribute(lambda o: o.trainee.category)
    signed_on = date(2026, 3, 1)
    planned_start = factory.LazyAttribute(lambda o: o.signed_on)
    planned_end = factory.LazyAttribute(lambda o: o.planned_start + timedelta(days=183))
    allowance = Decimal("1200.00")


class OnDutyPlacementFactory(PlacementFactory):
    status = Placement.Status.ON_DUTY
    started_on = factory.LazyAttribute(lambda o: o.planned_start)


class YouthTraineeFactory(TraineeFactory):
    """An unemployed young person (registered unemployed), born 2004-05-10 unless `birth` is given."""

    class Params:
        birth = date(2004, 5, 10)
        id_serial = factory.Sequence(lambda n: n + 500)

    category = TraineeCategory.UNEMPLOYED_YOUTH
    school = ""
    major = ""
    education = ""
    left_school_on = None
    unemployment_registered = True


class MentorFactory(DjangoModelFactory):
    class Meta:
        model = Mentor

    unit = factory.SubFactory(ApprovedUnitFactory)
    name = factory.Sequence(lambda n: f"带教老师{n}")
    position = "工程师"
    phone = "13904319999"
