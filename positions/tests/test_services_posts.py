"""Post services: field rules (allowance floor, slots, duration, closing date), submission only
with an approved unit, publication, closing, and the rule that nobody applies to a closed post."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jianxi_portal.core.dates import add_months
from jianxi_portal.core.models import District, ReviewLog, User
from jianxi_portal.core.review import InvalidTransition
from jianxi_portal.core.workdays import add_working_days
from positions import services
from positions.models import Post
from positions.selectors import post_open_for_applications
from positions.tests.factories import ApprovedPostFactory, PostFactory, SubmittedPostFactory
from units.models import Unit
from units.tests.factories import SubmittedUnitFactory


def post_values(unit, **overrides):
    values = dict(
        title="会计见习岗",
        category="management",
        slots=2,
        duration_months=6,
        allowance=Decimal("1500.00"),
        majors="会计学、财务管理",
        education="bachelor",
        district=unit.district,
        description="协助核算",
        also_internship=True,
    )
    return values | overrides


def field_messages(exc_info, field):
    return exc_info.value.message_dict[field]


# The allowance floor ------------------------------------------------------------------------------


def floor_tuple(district, day):
    """(local minimum wage, the floor, the ratio) of the core's rule for a post in `district`."""
    floor = services.allowance_floor(district, day)
    return floor.wage, floor.amount, floor.ratio


def test_allowance_floor_is_sixty_percent_of_the_districts_minimum_wage_on_the_day(db):
    nanguan = District.objects.get(region__code="changchun", name="南关区")
    chuanying = District.objects.get(region__code="jilin", name="船营区")
    nongan = District.objects.get(region__code="changchun", name="农安县")
    assert floor_tuple(nanguan, date(2022, 6, 1)) == (Decimal("1880.00"), Decimal("1128.00"), Decimal("0.60"))
    assert floor_tuple(nanguan, date(2024, 10, 1)) == (Decimal("2120.00"), Decimal("1272.00"), Decimal("0.60"))
    assert floor_tuple(chuanying, date(2024, 10, 1)) == (Decimal("1920.00"), Decimal("1152.00"), Decimal("0.60"))
    assert floor_tuple(nongan, date(2022, 6, 1)) == (Decimal("1540.00"), Decimal("924.00"), Decimal("0.60"))


def test_allowance_below_the_floor_is_refused_with_the_figures(employer_a):
    # 长春 南关区 since 2024-10-01: class 1, 2120 yuan; 60% = 1272.00.
    with pytest.raises(ValidationError) as exc:
        services.post_create(by=employer_a, **post_values(employer_a.unit, allowance=Decimal("1271.99")))
    assert field_messages(exc, "allowance") == ["单位发放生活补贴不得低于当地最低工资标准2120.00元的60%，即1272.00元。"]
    assert not Post.objects.exists()
    post = services.post_create(by=employer_a, **post_values(employer_a.unit, allowance=Decimal("1272.00")))
    assert post.allowance == Decimal("1272.00")


def test_slots_must_be_at_least_one(employer_a):
    with pytest.raises(ValidationError) as exc:
        services.post_create(by=employer_a, **post_values(employer_a.unit, slots=0))
    assert field_messages(exc, "slots") == ["岗位数至少为1人，收到0。"]
    assert not Post.objects.exists()


@pytest.mark.parametrize("months", [2, 13])
def test_duration_must_be_three_to_twelve_months(employer_a, months):
    with pytest.raises(ValidationError) as exc:
        services.post_create(by=employer_a, **post_values(employer_a.unit, duration_months=months))
    assert field_messages(exc, "duration_months") == [f"见习期限应为3至12个月，收到{months}个月。"]
    assert not Post.objects.exists()


def test_post_district_must_be_in_the_units_region(employer_a):
    chuanying = District.objects.get(region__code="jilin", name="船营区")
    with pytest.raises(ValidationError) as exc:
        services.post_create(by=employer_a, **post_values(employer_a.unit, district=chuanying))
    assert field_messages(exc, "district") == ["工作地点应在本单位所在的长春市范围内。"]


def test_closing_date_must_fall_within_twelve_months(employer_a):
    today = timezone.localdate()
    latest = add_months(today, 12)
    with pytest.raises(ValidationError) as exc:
        services.post_create(by=employer_a, **post_values(employer_a.unit, closing_date=latest + timedelta(days=1)))
    assert field_messages(exc, "closing_date") == [f"截止日期不得晚于发布之日起12个月（{latest:%Y-%m-%d}）。"]
    with pytest.raises(ValidationError) as exc:
        services.post_create(by=employer_a, **post_values(employer_a.unit, closing_date=today))
    assert field_messages(exc, "closing_date") == ["截止日期应晚于今天。"]


def test_add_months_keeps_the_day_or_takes_the_months_last_day():
    assert add_months(date(2026, 11, 27), 12) == date(2027, 11, 27)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)


# Ownership --------------------------------------------------------------------------------------


def test_employer_creates_posts_for_its_own_unit_only(employer_a, unit_b):
    post = services.post_create(by=employer_a, unit_id=unit_b.pk, **post_values(employer_a.unit))
    assert post.unit_id == employer_a.unit_id and post.region_id == employer_a.unit.region_id


def test_employer_edits_only_own_draft_or_returned_posts(employer_a, employer_b):
    post = services.post_create(by=employer_a, **post_values(employer_a.unit))
    with pytest.raises(PermissionDenied):
        services.post_update(post_id=post.pk, by=employer_b, title="别人的岗位")
    services.post_update(post_id=post.pk, by=employer_a, slots=4)
    assert Post.objects.get(pk=post.pk).slots == 4
    Post.objects.filter(pk=post.pk).update(status=Post.Status.APPROVED)
    with pytest.raises(InvalidTransition, match="只有草稿或已退回的岗位可以修改"):
        services.post_update(post_id=post.pk, by=employer_a, slots=5)


def test_edit_rechecks_every_rule(employer_a):
    post = services.post_create(by=employer_a, **post_values(employer_a.unit))
    with pytest.raises(ValidationError) as exc:
        services.post_update(post_id=post.pk, by=employer_a, slots=0, duration_months=13)
    assert set(exc.value.message_dict) == {"slots", "duration_months"}
    assert Post.objects.get(pk=post.pk).slots == 2


# Submission and publication ---------------------------------------------------------------------


def test_post_is_submitted_only_when_its_unit_is_approved(db):
    unit = SubmittedUnitFactory(name="待审单位")
    employer = User.objects.create(username="emp_pending", role=User.Role.EMPLOYER, unit=unit)
    post = services.post_create(by=employer, **post_values(unit))
    with pytest.raises(ValidationError) as exc:
        services.post_submit(post_id=post.pk, by=employer)
    assert field_messages(exc, "unit") == ["单位审核通过后才能提交岗位（单位“待审单位”当前状态：待审核）。"]
    assert Post.objects.get(pk=post.pk).status == Post.Status.DRAFT
    Unit.objects.filter(pk=unit.pk).update(status=Unit.Status.APPROVED)
    post = services.post_submit(post_id=post.pk, by=employer)
    assert post.status == Post.Status.SUBMITTED
    assert post.review_deadline == add_working_days(timezone.localdate(), 15)


def test_submission_rechecks_the_allowance_floor_of_today(employer_a):
    post = PostFactory(unit=employer_a.unit, allowance=Decimal("1200.00"))  # below today's 1272.00
    with pytest.raises(ValidationError) as exc:
        services.post_submit(post_id=post.pk, by=employer_a)
    assert "即1272.00元" in field_messages(exc, "allowance")[0]


def test_approval_publishes_with_a_closing_date_twelve_months_later(city_cc):
    post = SubmittedPostFactory()
    post = services.post_approve(post_id=post.pk, by=city_cc)
    today = timezone.localdate()
    assert (post.status, post.published_on, post.first_approved_on) == (Post.Status.APPROVED, today, today)
    assert post.closing_date == add_months(today, 12)
    assert Post.objects.published().filter(pk=post.pk).exists()


def test_an_earlier_closing_date_asked_by_the_employer_is_kept(city_cc):
    wanted = timezone.localdate() + timedelta(days=60)
    post = services.post_approve(post_id=SubmittedPostFactory(closing_date=wanted).pk, by=city_cc)
    assert post.closing_date == wanted


def test_post_of_a_suspended_unit_cannot_be_approved(city_cc):
    post = SubmittedPostFactory()
    Unit.objects.filter(pk=post.unit_id).update(status=Unit.Status.SUSPENDED)
    with pytest.raises(ValidationError, match="不能通过其岗位"):
        services.post_approve(post_id=post.pk, by=city_cc)
    assert Post.objects.get(pk=post.pk).status == Post.Status.SUBMITTED


def test_reject_without_opinion_is_refused(city_cc):
    post = SubmittedPostFactory()
    with pytest.raises(ValidationError) as exc:
        services.post_reject(post_id=post.pk, by=city_cc, opinion="")
    assert field_messages(exc, "opinion") == ["不通过时必须填写审核意见。"]
    assert Post.objects.get(pk=post.pk).status == Post.Status.SUBMITTED


def test_only_the_regions_city_decides_and_only_submitted_posts(city_cc, city_jl, province_user, employer_a):
    post = SubmittedPostFactory(unit=employer_a.unit)
    for outsider in (city_jl, province_user, employer_a):
        with pytest.raises(PermissionDenied):
            services.post_approve(post_id=post.pk, by=outsider)
    assert Post.objects.get(pk=post.pk).status == Post.Status.SUBMITTED
    with pytest.raises(InvalidTransition, match="当前状态为“草稿”，不能通过"):
        services.post_approve(post_id=PostFactory(unit=employer_a.unit).pk, by=city_cc)


# Closing ----------------------------------------------------------------------------------------


def test_employer_closes_its_own_published_post_with_a_reason(employer_a, employer_b):
    post = ApprovedPostFactory(unit=employer_a.unit)
    with pytest.raises(PermissionDenied):
        services.post_close(post_id=post.pk, by=employer_b, reason="不是我的")
    with pytest.raises(ValidationError) as exc:
        services.post_close(post_id=post.pk, by=employer_a, reason="")
    assert field_messages(exc, "reason") == ["关闭岗位时必须填写原因。"]
    post = services.post_close(post_id=post.pk, by=employer_a, reason="岗位已招满")
    assert (post.status, post.closed_on, post.close_reason) == (Post.Status.CLOSED, timezone.localdate(), "岗位已招满")
    assert not Post.objects.published().filter(pk=post.pk).exists()
    log = ReviewLog.objects.get(object_id=post.pk, action="close")
    assert (log.from_status, log.to_status, log.by, log.opinion) == ("approved", "closed", employer_a, "岗位已招满")


def test_city_closes_a_post_of_its_region_only(city_cc, city_jl, unit_a):
    post = ApprovedPostFactory(unit=unit_a)
    with pytest.raises(PermissionDenied):
        services.post_close(post_id=post.pk, by=city_jl, reason="越权")
    services.post_close(post_id=post.pk, by=city_cc, reason="清单管理：岗位信息不实")
    with pytest.raises(InvalidTransition, match="只有已发布的岗位可以关闭"):
        services.post_close(post_id=post.pk, by=city_cc, reason="再关一次")


def test_daily_closing_closes_posts_past_their_date_once(unit_a):
    today = timezone.localdate()
    past = ApprovedPostFactory(unit=unit_a, closing_date=today - timedelta(days=1))
    last_day = ApprovedPostFactory(unit=unit_a, closing_date=today)
    assert services.posts_close_expired(today=today) == 1
    assert services.posts_close_expired(today=today) == 0
    past.refresh_from_db()
    assert (past.status, past.closed_on) == (Post.Status.CLOSED, today)
    assert past.close_reason == f"已过截止日期（{today - timedelta(days=1):%Y-%m-%d}）"
    assert Post.objects.get(pk=last_day.pk).status == Post.Status.APPROVED
    log = ReviewLog.objects.get(object_id=past.pk, action="close")
    assert log.by.username == "system" and not log.by.is_active and not log.by.has_usable_password()


def test_the_closing_task_runs_through_celery(unit_a):
    from positions.tasks import close_expired_posts

    today = timezone.localdate()
    ApprovedPostFactory(unit=unit_a, closing_date=today - timedelta(days=3))
    assert close_expired_posts.delay(today.isoformat()).get() == 1


# Open for applications ------------------------------------------------------------------------------


def test_open_for_applications_only_while_published_unit_approved_and_before_closing(unit_a):
    today = timezone.localdate()
    post = ApprovedPostFactory(unit=unit_a, closing_date=today)
    assert post.is_open_for_applications(today)
    assert post_open_for_applications(post.pk, today=today) == post
    assert not post.is_open_for_applications(today + timedelta(days=1))
    assert post_open_for_applications(post.pk, today=today + timedelta(days=1)) is None
    Unit.objects.filter(pk=unit_a.pk).update(status=Unit.Status.SUSPENDED)
    post = Post.objects.select_related("unit").get(pk=post.pk)
    assert not post.is_open_for_applications(today)
    assert not PostFactory(unit=unit_a).is_open_for_applications(today)


def test_published_list_excludes_closed_draft_and_revoked_units_posts(unit_a, unit_b):
    open_post = ApprovedPostFactory(unit=unit_a)
    ApprovedPostFactory(unit=unit_a, status=Post.Status.CLOSED, closed_on=timezone.localdate())
    PostFactory(unit=unit_a)
    revoked = ApprovedPostFactory(unit=unit_b)
    Unit.objects.filter(pk=unit_b.pk).update(status=Unit.Status.REVOKED)
    assert list(Post.objects.published()) == [open_post]
    assert revoked not in Post.objects.open_for_applications()


def test_post_allowance_floor_follows_the_admins_floor_rule(db, admin_user):
    """The floor is the subsidy rule in force, not a constant: a new 70% version (admin) raises it."""
    from jianxi_portal.core.models import District
    from jianxi_portal.core.services import allowance_floor_rule_add

    chaoyang = District.objects.get(name="朝阳区")
    allowance_floor_rule_add(by=admin_user, valid_from=date(2026, 1, 1), ratio="0.70")
    assert floor_tuple(chaoyang, date(2025, 12, 31)) == (Decimal("2120.00"), Decimal("1272.00"), Decimal("0.60"))
    assert floor_tuple(chaoyang, date(2026, 1, 1)) == (  # 2120 × 70%
        Decimal("2120.00"),
        Decimal("1484.00"),
        Decimal("0.70"),
    )
    assert services.allowance_floor(chaoyang, date(2026, 1, 1)).percent == "70%"


def test_refusal_below_the_floor_quotes_the_ratio_in_force_not_the_notices_sixty_percent(employer_a, admin_user):
    from jianxi_portal.core.services import allowance_floor_rule_add

    allowance_floor_rule_add(by=admin_user, valid_from=date(2024, 1, 1), ratio="0.70")
    with pytest.raises(ValidationError) as exc:  # 长春 南关区: 2120 × 70% = 1484.00
        services.post_create(by=employer_a, **post_values(employer_a.unit, allowance=Decimal("1483.99")))
    assert field_messages(exc, "allowance") == ["单位发放生活补贴不得低于当地最低工资标准2120.00元的70%，即1484.00元。"]
