"""The young person's side of recommendations: their `SeekerProfile` (matching facts copied from the
trainee record, kept current on every save and nightly) and the preferences they set themselves."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jianxi_portal.core.audit import audit
from jianxi_portal.core.majors import catalogue, normalise
from jianxi_portal.core.models import Region, User
from outreach.models import PostKey, SeekerProfile
from outreach.recommend import EDUCATION_RANK
from positions.models import Post, PostCategory
from trainees.dates import add_years
from trainees.eligibility import GRADUATE_CATEGORIES, MAX_AGE_EXCLUSIVE, MIN_AGE, YEARS_AFTER_LEAVING
from trainees.models import ConsentChange, Trainee, TraineeCategory
from trainees.services.consent import consent_set


def eligibility_window(trainee: Trainee) -> tuple[date | None, date | None]:
    """A window of days containing every day the person may sign an agreement (an index filter
    only: `recommend.eligible_today` decides with `trainees.eligibility`). Graduates: from leaving
    school to two years later; unemployed youth: from the 16th to the day before the 25th birthday."""
    if trainee.category in GRADUATE_CATEGORIES:
        if trainee.left_school_on is None:
            return None, None
        return trainee.left_school_on, add_years(trainee.left_school_on, YEARS_AFTER_LEAVING)
    if trainee.category == TraineeCategory.UNEMPLOYED_YOUTH:
        birth = trainee.birth_date
        return add_years(birth, MIN_AGE), add_years(birth, MAX_AGE_EXCLUSIVE) - timedelta(days=1)
    return None, None


def major_facts(major: str, education: str) -> dict:
    """The person's major in the catalogue (codes of the major, its 专业类 and 门类) and as text."""
    node = catalogue().person(major, education)
    codes = node.ancestry if node is not None else ["", "", ""]
    return {
        "major_code": codes[-1],
        "major_class": codes[-2] if len(codes) > 1 else "",
        "major_category": codes[0],
        "major_key": normalise(major),
    }


def _facts(trainee: Trainee) -> dict:
    start, end = eligibility_window(trainee)
    return {
        "region_id": trainee.region_id,
        "major": trainee.major or "",
        **major_facts(trainee.major or "", trainee.education or ""),
        "education_rank": EDUCATION_RANK.get(trainee.education or "", 0),
        "eligible_from": start,
        "eligible_until": end,
        "active": not trainee.employed,
        "category": trainee.category,
        "left_school_on": trainee.left_school_on,
        "birth_date": trainee.birth_date,
        "unemployment_registered": trainee.unemployment_registered,
        # The person's consents (SECURITY.md "Consent"), copied for the candidate queries.
        "push_enabled": trainee.consent_push,
        "digest_enabled": trainee.consent_digest,
        "open_to_employers": trainee.consent_employers,
        "push_consent_at": trainee.consent_push_at,
    }


def seeker_refresh(trainee: Trainee) -> SeekerProfile | None:
    """Create or update the profile of a registered person (a trainee with an account) from their
    record; preferences are kept. Returns None for a record without an account."""
    if trainee.user_id is None:
        return None
    facts = _facts(trainee)
    profile = SeekerProfile.objects.filter(trainee_id=trainee.pk).first()
    if profile is None:
        return SeekerProfile.objects.create(user_id=trainee.user_id, trainee=trainee, **facts)
    changed = [name for name, value in facts.items() if getattr(profile, name) != value]
    resubscribed = profile.unsubscribed_at is not None and (trainee.consent_push or trainee.consent_digest)
    if changed or resubscribed or profile.user_id != trainee.user_id:
        for name, value in facts.items():
            setattr(profile, name, value)
        if resubscribed:
            profile.unsubscribed_at = None
        profile.user_id = trainee.user_id
        profile.save()
    return profile


def seekers_refresh_all(*, batch: int = 2000) -> int:
    """Nightly: refresh every registered person's profile (records imported in bulk skip the save
    signal). Idempotent; one query per batch to read plus a write per changed profile."""
    count, last = 0, 0
    while True:
        chunk = list(Trainee.objects.filter(user__isnull=False, pk__gt=last).order_by("pk")[:batch])
        if not chunk:
            return count
        for trainee in chunk:
            seeker_refresh(trainee)
        count += len(chunk)
        last = chunk[-1].pk


def profile_for(user: User) -> SeekerProfile | None:
    """The person's profile, created from their trainee record on first use (None: no record)."""
    profile = SeekerProfile.objects.filter(user_id=user.pk).select_related("trainee", "region", "user").first()
    if profile is not None:
        return profile
    trainee = Trainee.objects.filter(user_id=user.pk).first()
    return seeker_refresh(trainee) if trainee is not None else None


@transaction.atomic
def seeker_preferences_update(*, by: User, regions, categories) -> SeekerProfile:
    """The person's own choices of regions and post categories wanted (their consents to pushes,
    the digest and employers' candidate lists are on their trainee record:
    `trainees.services.consent`)."""
    if not (by.is_authenticated and by.is_youth):
        raise PermissionDenied("只有青年本人可以设置求职意向。")
    profile = profile_for(by)
    if profile is None:
        raise ValidationError({"__all__": "请先在“我的见习”中登记个人信息。"})
    unknown = [c for c in categories if c not in PostCategory.values]
    if unknown:
        raise ValidationError({"categories": "请选择有效的岗位类别。"})
    profile = SeekerProfile.objects.select_for_update().get(pk=profile.pk)
    profile.categories = [c for c in PostCategory.values if c in set(categories)]
    profile.save()
    profile.preferred_regions.set(Region.objects.filter(pk__in=[getattr(r, "pk", r) for r in regions]))
    audit("seeker.preferences", user=by, obj=profile)
    return profile


@transaction.atomic
def seeker_unsubscribe(*, token: str) -> SeekerProfile:
    """The link in every push email: withdraws the push and digest consents (recorded in the
    person's consent history; no sign-in needed, the token is the key). Idempotent."""
    profile = SeekerProfile.objects.select_for_update().filter(unsubscribe_token=token).first()
    if profile is None or not token:
        raise ValidationError({"token": "退订链接无效或已过期。"})
    if profile.unsubscribed_at is None:
        consent_set(
            trainee_id=profile.trainee_id, by=None, source=ConsentChange.Source.UNSUBSCRIBE, push=False, digest=False
        )
        profile.refresh_from_db()
        profile.unsubscribed_at = timezone.now()
        profile.save(update_fields=["unsubscribed_at", "updated_at"])
        audit("seeker.unsubscribe", user=profile.user, obj=profile)
    return profile


# ---------------------------------------------------------------------------------------------
# The post side: majors of published posts as index keys


def post_index(post: Post) -> int:
    """Write the major keys of a published post (`Requirement.keys`: catalogue codes, "t:" text, or
    "*" when open to all majors), replacing older ones. Returns the number of keys written."""
    if post.status != Post.Status.APPROVED or post.published_on is None:
        return 0
    keys = catalogue().requirement(post.majors).keys
    rows = [
        PostKey(post_id=post.pk, key=k[:50], region_id=post.region_id, published_on=post.published_on) for k in keys
    ]
    PostKey.objects.filter(post_id=post.pk).exclude(key__in=[r.key for r in rows]).delete()
    PostKey.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def posts_reindex(*, batch: int = 2000) -> int:
    """Nightly (and after a bulk load): index every published post that has no keys yet."""
    count, last = 0, 0
    while True:
        chunk = list(Post.objects.published().filter(pk__gt=last, major_keys__isnull=True).order_by("pk")[:batch])
        if not chunk:
            return count
        for post in chunk:
            count += post_index(post)
        last = chunk[-1].pk
