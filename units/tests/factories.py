import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from jianxi_portal.core.review import review_deadline_for
from jianxi_portal.core.validators import credit_code_check_char
from jianxi_portal.tests.factories import district
from units.models import Industry, Unit, UnitType


def credit_code(n: int) -> str:
    first17 = f"912201{n:011d}"
    return first17 + credit_code_check_char(first17)


class UnitFactory(DjangoModelFactory):
    """A draft unit in 长春市 (pass region_code="jilin" etc. for another region)."""

    class Meta:
        model = Unit

    class Params:
        region_code = "changchun"

    name = factory.Sequence(lambda n: f"测试见习单位{n}")
    credit_code = factory.Sequence(credit_code)
    unit_type = UnitType.PRIVATE
    industry = Industry.I
    district = factory.LazyAttribute(lambda o: district(o.region_code))
    region = factory.LazyAttribute(lambda o: o.district.region)
    address = "人民大街1号"
    contact_name = "张三"
    contact_phone = "13904310001"
    employee_count = 50
    bank_name = "中国工商银行长春分行"
    bank_account = factory.Sequence(lambda n: f"62220200{n:08d}")


class ApprovedUnitFactory(UnitFactory):
    status = Unit.Status.APPROVED
    first_approved_on = factory.LazyFunction(timezone.localdate)


class SubmittedUnitFactory(UnitFactory):
    """A unit awaiting review, submitted today (deadline: 15 working days later)."""

    status = Unit.Status.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)
    review_deadline = factory.LazyFunction(lambda: review_deadline_for(timezone.localdate()))
