"""The scoring (one module, outreach.recommend) on the national majors catalogue: a post is for a
person only when its major requirement covers theirs (计算机类 covers 计算机科学与技术) or it is open
to all majors; the reasons say what fits and what does not; the score is explained in words; both
directions (posts for a person, candidates for a post)."""

from datetime import date

import pytest

from jianxi_portal.core.majors import catalogue
from outreach.recommend import MAX_SCORE, candidates_for_post, posts_for_seeker
from positions.models import Post
from trainees.models import Placement
from trainees.tests.factories import OnDutyPlacementFactory, PlacementFactory, TraineeFactory
from units.models import Unit
from units.tests.factories import ApprovedUnitFactory

pytestmark = pytest.mark.django_db


def texts(match):
    return match.reason_texts


def test_the_catalogue_holds_the_whole_published_lists():
    from jianxi_portal.core.models import Major

    counts = {c: Major.objects.filter(catalogue=c, level="major").count() for c in Major.Catalogue.values}
    assert counts == {
        "undergraduate": 883,
        "vocational_bachelor": 247,
        "higher_vocational": 744,
        "secondary_vocational": 358,
    }
    assert Major.objects.filter(catalogue="undergraduate", level="category").count() == 13
    assert Major.objects.filter(catalogue="undergraduate", level="class").count() == 93
    cs = Major.objects.get(code="080901")
    assert (cs.name, cs.parent.code, cs.parent.name, cs.parent.parent.name, cs.path) == (
        "计算机科学与技术",
        "0809",
        "计算机类",
        "工学",
        "08/0809/080901",
    )


def test_a_requirement_is_read_by_name_or_code_at_any_level():
    requirement = catalogue().requirement("计算机类、080202 机械设计制造及其自动化专业，工学；计算机相关")
    assert [n.code for n in requirement.nodes] == ["0809", "3102", "5102", "7102", "080202", "08"]
    assert requirement.unmatched == ("计算机相关",)
    assert catalogue().requirement("不限").is_open and catalogue().requirement("").is_open
    # A code without its suffix is still the code; a name that is a 门类 and a 专业 means the 专业.
    assert [n.code for n in catalogue().requirement("080904").nodes] == ["080904K"]
    assert [n.code for n in catalogue().requirement("法学").nodes] == ["030101K"]


def test_computer_class_covers_computer_science_and_not_mechanical_engineering():
    cs = catalogue().person("计算机科学与技术", "bachelor")
    computing = catalogue().requirement("计算机类")
    assert computing.covering(cs).code == "0809"
    assert catalogue().requirement("工学").covering(cs).code == "08"
    assert catalogue().requirement("机械类").covering(cs) is None
    assert catalogue().requirement("机械设计制造及其自动化").covering(cs) is None


def test_a_persons_major_is_read_in_the_catalogue_of_their_education():
    assert catalogue().person("护理", "junior_college").code == "520201"  # 高职专科
    assert catalogue().person("护理", "secondary").code == "720201"  # 中职
    assert catalogue().person("计算机应用技术", "junior_college").code == "510201"
    assert catalogue().person("会计学专业", "bachelor").code == "120203K"
    assert catalogue().person("会计", "bachelor") is None  # not a catalogue name: compared as text


def test_post_asking_for_the_class_ranks_for_the_graduate_with_its_reasons(make_seeker, make_post):
    seeker = make_seeker(major="计算机科学与技术")
    fits = make_post(title="软件开发见习", majors="计算机类", category="technical", slots=3)
    make_post(title="机修见习", majors="机械类", category="technical")
    ranked = posts_for_seeker(seeker)
    assert [m.obj for m in ranked] == [fits]
    assert texts(ranked[0]) == [
        "专业相符：计算机科学与技术属于岗位要求的计算机类",
        "学历不限",
        "所在地区：长春市",
        "岗位类别：技术（未设意向类别）",
    ]
    assert ranked[0].score == 40 + 5 + 20 + 0
    assert ranked[0].explanation == "匹配度 65 分（满分 90）：专业 40 + 学历 5 + 地区 20 + 类别 0。"
    assert ranked[0].pushable


def test_what_does_not_fit_is_said_and_lowers_the_score(make_seeker, make_post):
    seeker = make_seeker(major="会计学", prefer=["jilin"], categories=["management"])
    far = make_post(majors="会计学", category="service")  # 长春市: not wanted; service: not wanted
    ranked = posts_for_seeker(seeker)
    assert [m.obj for m in ranked] == [far]
    assert texts(ranked[0]) == ["专业相符：会计学", "学历不限", "地区不在意向内：长春市", "岗位类别服务不在意向类别内"]
    assert [r.fits for r in ranked[0].reasons] == [True, True, False, False]
    assert ranked[0].score == 40 + 5
    assert ranked[0].explanation == (
        "匹配度 45 分（满分 90）：专业 40 + 学历 5 + 地区 0 + 类别 0；"
        "不符合：地区不在意向内：长春市；岗位类别服务不在意向类别内。"
    )
    assert not ranked[0].pushable
    assert MAX_SCORE == 90


def test_education_below_the_requirement_leaves_the_post_out(make_seeker, make_post):
    seeker = make_seeker(education="junior_college", major="大数据与会计")
    make_post(majors="会计学", education="bachelor")
    fits = make_post(majors="财务会计类", education="junior_college")
    ranked = posts_for_seeker(seeker)
    assert [m.obj for m in ranked] == [fits]
    assert texts(ranked[0])[:2] == ["专业相符：大数据与会计属于岗位要求的财务会计类", "学历符合：大专及以上"]


def test_preferred_region_and_wanted_category_count(make_seeker, make_post):
    seeker = make_seeker(major="软件工程", prefer=["jilin"], categories=["technical"])
    wanted = make_post(unit=ApprovedUnitFactory(region_code="jilin"), majors="软件工程", category="technical")
    home = make_post(majors="软件工程", category="service")
    ranked = posts_for_seeker(seeker)
    assert [m.obj for m in ranked] == [wanted, home]
    assert "意向地区：吉林市" in texts(ranked[0]) and "意向类别：技术" in texts(ranked[0])
    assert ranked[0].score - ranked[1].score == 20 + 15


def test_ties_go_to_the_newer_post(make_seeker, make_post):
    seeker = make_seeker()
    older = make_post(majors="会计学", published_days_ago=20)
    newer = make_post(majors="会计学", published_days_ago=3)
    assert [m.obj for m in posts_for_seeker(seeker)] == [newer, older]


def test_a_full_post_closed_posts_and_suspended_units_are_left_out(make_seeker, make_post):
    seeker = make_seeker()
    full = make_post(majors="会计学", slots=1)
    OnDutyPlacementFactory(post=full)
    roomy = make_post(majors="会计学", slots=4)
    PlacementFactory(post=roomy)
    PlacementFactory(post=roomy, status=Placement.Status.CANCELLED, cancelled_on=date(2026, 3, 1))
    closed = make_post(majors="会计学")
    Post.objects.filter(pk=closed.pk).update(status=Post.Status.CLOSED)
    suspended = make_post(majors="会计学")
    Unit.objects.filter(pk=suspended.unit_id).update(status=Unit.Status.SUSPENDED)
    assert [m.obj for m in posts_for_seeker(seeker)] == [roomy]


def test_a_post_of_another_region_asking_for_the_category_is_found_through_its_key(make_seeker, make_post):
    seeker = make_seeker(major="计算机科学与技术", prefer=["yanbian"])
    far = make_post(unit=ApprovedUnitFactory(region_code="yanbian"), majors="工学")
    ranked = posts_for_seeker(seeker)
    assert [m.obj for m in ranked] == [far]
    assert texts(ranked[0])[0] == "专业相符：计算机科学与技术属于岗位要求的工学"


def test_an_uncatalogued_major_matches_the_same_words_only(make_seeker, make_post):
    seeker = make_seeker(major="会计")  # not a catalogue name
    same = make_post(majors="会计")
    make_post(majors="会计学")
    assert [m.obj for m in posts_for_seeker(seeker)] == [same]


def test_queries_do_not_grow_with_the_number_of_posts(make_seeker, make_post, django_assert_max_num_queries):
    seeker = make_seeker()
    for _ in range(5):
        make_post(majors="会计学")
    with django_assert_max_num_queries(12) as few:
        posts_for_seeker(seeker)
    for _ in range(25):
        make_post(majors="工商管理类")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(posts_for_seeker(seeker)) == 20


# ---------------------------------------------------------------------------------------------
# Candidates for a post


def test_candidates_are_the_people_whose_major_the_post_covers(make_seeker, make_post):
    post = make_post(majors="计算机类", slots=2)
    cs = make_seeker(major="计算机科学与技术")
    software = make_seeker(major="软件技术", education="junior_college")  # 高职 5102 计算机类
    make_seeker(major="机械工程")
    ranked = candidates_for_post(post)
    assert {m.obj for m in ranked} == {cs, software}
    assert texts(next(m for m in ranked if m.obj == software))[0] == "专业相符：软件技术属于岗位要求的计算机类"


def test_candidates_are_only_people_who_may_take_part_today_and_let_employers_see_them(make_seeker, make_post):
    post = make_post(majors="会计学")
    eligible = make_seeker()
    make_seeker(employed=True)
    make_seeker(left_school_on=date(2023, 6, 30))  # more than two years ago
    placed = make_seeker()
    PlacementFactory(trainee=placed.trainee)
    make_seeker(consents=("push",))  # did not let employers see them
    cancelled = make_seeker()
    PlacementFactory(trainee=cancelled.trainee, status=Placement.Status.CANCELLED, cancelled_on=date(2026, 3, 1))
    assert {m.obj for m in candidates_for_post(post)} == {eligible, cancelled}


def test_unemployed_youth_needs_the_age_and_the_registration(make_seeker, make_post):
    post = make_post(majors="")
    young = make_seeker(
        major="",
        education="",
        category="unemployed_youth",
        unemployment_registered=True,
        birth=date(2004, 5, 10),
        left_school_on=None,
        school="",
    )
    make_seeker(
        major="",
        education="",
        category="unemployed_youth",
        unemployment_registered=False,
        birth=date(2004, 5, 10),
        left_school_on=None,
        school="",
    )
    make_seeker(
        major="",
        education="",
        category="unemployed_youth",
        unemployment_registered=True,
        birth=date(2001, 1, 1),
        left_school_on=None,
        school="",
    )  # 25 already
    ranked = candidates_for_post(post)
    assert [m.obj for m in ranked] == [young]
    assert texts(ranked[0])[0] == "专业不限"


def test_candidate_queries_do_not_grow_with_the_number_of_people(make_seeker, make_post, django_assert_max_num_queries):
    post = make_post(majors="会计学")
    for _ in range(3):
        make_seeker()
    with django_assert_max_num_queries(10) as few:
        candidates_for_post(post)
    for _ in range(15):
        make_seeker(major="会计学", prefer=["changchun"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(candidates_for_post(post)) == 18


def test_trainee_without_an_account_is_no_candidate(make_post):
    post = make_post(majors="会计学")
    TraineeFactory(major="会计学")
    assert candidates_for_post(post) == []
