"""The matching indexes follow the records: a registered person's profile on every save of their
trainee record (and nightly), a published post's major keys on publication (and nightly)."""

from datetime import date

import pytest

from outreach.models import PostKey, SeekerProfile
from outreach.seekers import eligibility_window, posts_reindex, seekers_refresh_all
from positions.models import Post
from trainees.services.register import trainee_update

pytestmark = pytest.mark.django_db


def test_profile_follows_the_trainee_record_with_the_catalogue_codes(make_seeker):
    seeker = make_seeker(major="大数据与会计专业", education="junior_college")
    assert (seeker.major_key, seeker.education_rank) == ("大数据与会计", 2)
    assert (seeker.major_code, seeker.major_class, seeker.major_category) == ("530302", "5303", "53")
    assert (seeker.eligible_from, seeker.eligible_until) == (date(2025, 7, 1), date(2027, 7, 1))
    trainee_update(trainee_id=seeker.trainee_id, by=seeker.user, major="审计学", education="bachelor", employed=True)
    seeker.refresh_from_db()
    assert (seeker.major, seeker.major_code, seeker.major_class, seeker.active) == ("审计学", "120207", "1202", False)
    trainee_update(trainee_id=seeker.trainee_id, by=seeker.user, major="会计电算化")  # not in the catalogue
    seeker.refresh_from_db()
    assert (seeker.major_code, seeker.major_class, seeker.major_category, seeker.major_key) == (
        "",
        "",
        "",
        "会计电算化",
    )


def test_preferences_and_consents_survive_a_refresh(make_seeker, jilin_region):
    seeker = make_seeker(prefer=["jilin"], categories=["research"], consents=("digest",))
    trainee_update(trainee_id=seeker.trainee_id, by=seeker.user, major="统计学")
    seeker.refresh_from_db()
    assert seeker.categories == ["research"]
    assert (seeker.push_enabled, seeker.digest_enabled, seeker.open_to_employers) == (False, True, False)
    assert list(seeker.preferred_regions.all()) == [jilin_region]


def test_window_of_an_unemployed_young_person(make_seeker):
    seeker = make_seeker(
        major="",
        education="",
        category="unemployed_youth",
        unemployment_registered=True,
        birth=date(2004, 5, 10),
        left_school_on=None,
        school="",
    )
    assert eligibility_window(seeker.trainee) == (date(2020, 5, 10), date(2029, 5, 9))


def test_nightly_refresh_rebuilds_missing_profiles(make_seeker):
    seeker = make_seeker()
    SeekerProfile.objects.all().delete()
    assert seekers_refresh_all() == 1
    assert SeekerProfile.objects.get().trainee_id == seeker.trainee_id


def test_published_posts_are_indexed_by_catalogue_code_and_the_nightly_run_fills_gaps(make_post):
    post = make_post(majors="会计学、财务管理类、会计")
    assert set(PostKey.objects.filter(post=post).values_list("key", flat=True)) == {"120203K", "t:财务管理类", "t:会计"}
    open_post = make_post(majors="专业不限")
    assert list(PostKey.objects.filter(post=open_post).values_list("key", flat=True)) == ["*"]
    PostKey.objects.all().delete()
    assert posts_reindex() == 4
    assert posts_reindex() == 0
    draft = make_post(majors="统计学")
    Post.objects.filter(pk=draft.pk).update(status=Post.Status.DRAFT)
    PostKey.objects.filter(post=draft).delete()
    assert posts_reindex() == 0
