import factory
from factory.django import DjangoModelFactory

from jianxi_portal.core.models import District, Region, User


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def district(region_code: str, name: str | None = None) -> District:
    qs = District.objects.filter(region__code=region_code)
    return qs.get(name=name) if name else qs.order_by("adcode").first()


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    role = User.Role.YOUTH
    password = factory.django.Password("Secret-pass-2026")


class CityUserFactory(UserFactory):
    role = User.Role.CITY
    region = factory.LazyFunction(lambda: region("changchun"))
