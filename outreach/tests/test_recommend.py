"""The scoring (one module, outreach.recommend): a post that fits ranks above one that does not,
with the reasons listed; both directions (posts for a person, candidates for a post)."""

from datetime import date, timedelta

import pytest

from outreach.recommend import candidates_for_post, major_keys, matching_key, normalise_major, posts_for_seeker
from positions.models import Post
from trainees.models import Placement
from trainees.tests.factories import OnDutyPlacementFactory, PlacementFactory, TraineeFactory
from units.models import Unit
from units.tests.factories import ApprovedUnitFactory

pytestmark = pytest.mark.django_db


def texts(match):
    return match.reason_texts


def test_major_keys_split_and_normalise():
    assert major_keys("会计学、财务管理 / 审计专业，Accounting") == ["会计学", "财务管理", "审计", "accounting"]
    assert major_keys("不限") == []
    assert normalise_major(" 会计学专业 ") == "会计学"


def test_major_match_accepts_a_shorter_or_longer_name_of_two_characters_or_more():
    assert matching_key("会计", ["会计学"]) == "会计学"
    assert matching_key("会计学", ["财务管理", "会计"]) == "会计"
    assert matching_key("学", ["会计学"]) is None
    assert matching_key("", ["会计学"]) is None


def test_post_wanting_the_major_ranks_first_with_its_reasons(make_seeker, make_post):
    seeker = make_seeker(major="会计学")
    fits = make_post(title="出纳见习", majors="会计学、财务管理", slots=3)
    other = make_post(title="机修见习", majors="机械工程", slots=3)
    ranked = posts_for_seeker(seeker)
    assert [m.obj for m in ranked] == [fits, other]
    assert texts(ranked[0]) == ["专业匹配：会计学", "学历不限", "所在地区：长春市", "新近发布：今天", "剩余名额：3人"]
    assert ranked[0].score == 40 + 5 + 10 + 10 + 3
    assert texts(ranked[1]) == ["学历不限", "所在地区：长春市", "新近发布：今天", "剩余名额：3人"]
    assert ranked[1].score == 5 + 10 + 10 + 3


def test_education_below_the_requirement_leaves_the_post_out(make_seeker, make_post):
    seeker = make_seeker(education="junior_college")
    make_post(majors="会计学", education="bachelor")
    fits = make_post(majors="会计学", education="junior_college")
    ranked = posts_for_seeker(seeker)
    assert [m.obj for m in ranked] == [fits]
    assert "学历符合：大专及以上" in texts(ranked[0])


def test_preferred_region_and_wanted_category_count(make_seeker, make_post):
    seeker = make_seeker(major="软件工程", prefer=["jilin"], categories=["technical"])
    jilin_unit = ApprovedUnitFactory(region_code="jilin")
    wanted = make_post(unit=jilin_unit, majors="机械工程", category="technical")
    home = make_post(majors="机械工程", category="service")
    ranked = posts_for_seeker(seeker)
    assert [m.obj for m in ranked] == [wanted, home]
    assert "意向地区：吉林市" in texts(ranked[0]) and "意向类别：技术" in texts(ranked[0])
    assert "所在地区：长春市" in texts(ranked[1])
    assert ranked[0].score - ranked[1].score == (20 - 10) + 15


def test_freshness_week_month_and_older(make_seeker, make_post):
    seeker = make_seeker()
    week = make_post(majors="会计学", published_days_ago=3)
    month = make_post(majors="会计学", published_days_ago=20)
    old = make_post(majors="会计学", published_days_ago=60)
    ranked = {m.obj: m for m in posts_for_seeker(seeker)}
    assert "新近发布：3天前" in texts(ranked[week])
    assert "新近发布：20天前" in texts(ranked[month])
    assert not any(t.startswith("新近发布") for t in texts(ranked[old]))
    assert ranked[week].score - ranked[month].score == 5
    assert ranked[month].score - ranked[old].score == 5


def test_slots_left_count_and_a_full_post_is_left_out(make_seeker, make_post):
    seeker = make_seeker()
    full = make_post(majors="会计学", slots=1)
    OnDutyPlacementFactory(post=full)
    roomy = make_post(majors="会计学", slots=4)
    PlacementFactory(post=roomy)
    PlacementFactory(post=roomy, status=Placement.Status.CANCELLED, cancelled_on=date(2026, 3, 1))
    ranked = posts_for_seeker(seeker)
    assert [m.obj for m in ranked] == [roomy]
    assert "剩余名额：3人" in texts(ranked[0])


def test_closed_posts_and_suspended_units_are_not_recommended(make_seeker, make_post):
    seeker = make_seeker()
    closed = make_post(majors="会计学")
    Post.objects.filter(pk=closed.pk).update(status=Post.Status.CLOSED)
    suspended = make_post(majors="会计学")
    Unit.objects.filter(pk=suspended.unit_id).update(status=Unit.Status.SUSPENDED)
    assert posts_for_seeker(seeker) == []


def test_a_post_of_another_region_wanting_the_major_is_found_through_its_key(make_seeker, make_post):
    seeker = make_seeker(major="会计学")
    far = make_post(unit=ApprovedUnitFactory(region_code="yanbian"), majors="会计学")
    ranked = posts_for_seeker(seeker)
    assert [m.obj for m in ranked] == [far]
    assert texts(ranked[0])[0] == "专业匹配：会计学"


def test_queries_do_not_grow_with_the_number_of_posts(make_seeker, make_post, django_assert_max_num_queries):
    seeker = make_seeker()
    for _ in range(5):
        make_post(majors="会计学")
    with django_assert_max_num_queries(10) as few:
        posts_for_seeker(seeker)
    for _ in range(25):
        make_post(majors="会计学")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(posts_for_seeker(seeker)) == 20


# ---------------------------------------------------------------------------------------------
# Candidates for a post


def test_candidate_with_the_major_ranks_above_one_without(make_seeker, make_post):
    post = make_post(majors="会计学、审计学", slots=2)
    fits = make_seeker(major="会计学")
    other = make_seeker(major="机械工程")
    ranked = candidates_for_post(post)
    assert [m.obj for m in ranked] == [fits, other]
    assert texts(ranked[0]) == ["专业匹配：会计学", "学历不限", "所在地区：长春市", "剩余名额：2人"]
    assert texts(ranked[1]) == ["学历不限", "所在地区：长春市", "剩余名额：2人"]


def test_candidates_are_only_people_who_may_take_part_today(make_seeker, make_post):
    post = make_post(majors="会计学")
    eligible = make_seeker()
    make_seeker(employed=True)
    make_seeker(left_school_on=date(2023, 6, 30))  # more than two years ago
    placed = make_seeker()
    PlacementFactory(trainee=placed.trainee)
    hidden = make_seeker()
    hidden.open_to_employers = False
    hidden.save()
    cancelled = make_seeker()
    PlacementFactory(trainee=cancelled.trainee, status=Placement.Status.CANCELLED, cancelled_on=date(2026, 3, 1))
    assert {m.obj for m in candidates_for_post(post)} == {eligible, cancelled}


def test_unemployed_youth_needs_the_age_and_the_registration(make_seeker, make_post):
    post = make_post(majors="")
    young = make_seeker(major="", education="", category="unemployed_youth", unemployment_registered=True,
                        birth=date(2004, 5, 10), left_school_on=None, school="")
    make_seeker(major="", education="", category="unemployed_youth", unemployment_registered=False,
                birth=date(2004, 5, 10), left_school_on=None, school="")
    make_seeker(major="", education="", category="unemployed_youth", unemployment_registered=True,
                birth=date(2001, 1, 1), left_school_on=None, school="")  # 25 already
    ranked = candidates_for_post(post)
    assert [m.obj for m in ranked] == [young]
    assert texts(ranked[0])[0] == "专业不限"


def test_recent_sign_in_counts_for_a_candidate(make_seeker, make_post):
    from django.utils import timezone

    post = make_post(majors="会计学")
    active = make_seeker()
    idle = make_seeker()
    active.user.last_login = timezone.now() - timedelta(days=2)
    active.user.save(update_fields=["last_login"])
    ranked = candidates_for_post(post)
    assert [m.obj for m in ranked] == [active, idle]
    assert "近期登录：2天前" in texts(ranked[0])


def test_candidate_queries_do_not_grow_with_the_number_of_people(make_seeker, make_post,
                                                                 django_assert_max_num_queries):
    post = make_post(majors="会计学")
    for _ in range(3):
        make_seeker()
    with django_assert_max_num_queries(10) as few:
        candidates_for_post(post)
    for _ in range(15):
        make_seeker(major="软件工程", prefer=["changchun"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(candidates_for_post(post)) == 18


def test_trainee_without_an_account_is_no_candidate(make_post):
    post = make_post(majors="会计学")
    TraineeFactory(major="会计学")
    assert candidates_for_post(post) == []
