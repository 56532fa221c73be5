"""The demo data of `make run`: units approved and posts published through the services, a few
items left for the review queue, and idempotent."""

from datetime import date

from jianxi_portal.core.models import Region, ReviewLog, User
from jianxi_portal.tests.factories import UserFactory
from positions import demo as post_demo
from positions.models import Post
from units import demo as unit_demo
from units.models import Unit

TODAY = date(2026, 12, 3)


def load():
    result = unit_demo.demo_units(TODAY)
    for username, _label, unit in result:
        UserFactory(username=username, role=User.Role.EMPLOYER, unit=unit)
    post_demo.load_demo(TODAY)
    return result


def test_demo_populates_the_public_list_and_is_idempotent(db):
    for region in Region.objects.all():
        UserFactory(username=f"city_{region.code}", role=User.Role.CITY, region=region)
    employers = load()
    assert [unit.status for _, _, unit in employers] == ["approved", "approved"]
    assert Unit.objects.filter(status="approved").count() == 6
    assert Unit.objects.filter(status="submitted").count() == 1
    assert Post.objects.published(TODAY).count() == 14
    assert Post.objects.filter(status="submitted").count() == 1
    assert Post.objects.filter(status="draft").count() == 1
    assert all(p.published_on and p.closing_date for p in Post.objects.published(TODAY))
    logs = ReviewLog.objects.count()
    unit_demo.demo_units(TODAY)
    post_demo.load_demo(TODAY)
    assert (Unit.objects.count(), Post.objects.count(), ReviewLog.objects.count()) == (7, 16, logs)


def test_demo_units_and_posts_were_approved_months_before_the_day_it_runs(db):
    for region in Region.objects.all():
        UserFactory(username=f"city_{region.code}", role=User.Role.CITY, region=region)
    (_, _, cc_unit), _ = load()
    # The employers' units ten months before 2026-12-03, their posts nine; offline units three.
    assert cc_unit.first_approved_on is not None
    cc_unit.refresh_from_db()
    assert (cc_unit.first_approved_on, cc_unit.submitted_at.date()) == (date(2026, 2, 10), date(2026, 2, 10))
    manage = Post.objects.get(title="生产管理见习生")
    assert (manage.first_approved_on, manage.published_on, manage.closing_date) == (
        date(2026, 3, 10),
        date(2026, 3, 10),
        date(2027, 3, 10),
    )
    assert Unit.objects.get(name="四平市巨能农业机械有限公司").first_approved_on == date(2026, 9, 5)
    assert Post.objects.get(title="景区游客服务岗").first_approved_on == date(2026, 11, 12)  # new last month
    approval = ReviewLog.objects.get(content_type__model="post", object_id=manage.pk, action="approve")
    assert approval.at.date() == date(2026, 3, 10)
