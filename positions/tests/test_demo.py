"""The demo data of `make run`: units approved and posts published through the services, a few
items left for the review queue, and idempotent."""

from jianxi_portal.core.models import District, Region, ReviewLog, User
from jianxi_portal.tests.factories import UserFactory
from positions import demo as post_demo
from positions.models import Post
from units import demo as unit_demo
from units.models import Unit


def load():
    result = unit_demo.demo_units(District)
    for username, _label, unit in result:
        UserFactory(username=username, role=User.Role.EMPLOYER, unit=unit)
    post_demo.load_demo()
    return result


def test_demo_populates_the_public_list_and_is_idempotent(db):
    for region in Region.objects.all():
        UserFactory(username=f"city_{region.code}", role=User.Role.CITY, region=region)
    employers = load()
    assert [unit.status for _, _, unit in employers] == ["approved", "approved"]
    assert Unit.objects.filter(status="approved").count() == 6
    assert Unit.objects.filter(status="submitted").count() == 1
    assert Post.objects.published().count() == 14
    assert Post.objects.filter(status="submitted").count() == 1
    assert Post.objects.filter(status="draft").count() == 1
    assert all(p.published_on and p.closing_date for p in Post.objects.published())
    logs = ReviewLog.objects.count()
    unit_demo.demo_units(District)
    post_demo.load_demo()
    assert (Unit.objects.count(), Post.objects.count(), ReviewLog.objects.count()) == (7, 16, logs)
