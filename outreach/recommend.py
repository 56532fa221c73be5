"""Explainable recommendations, in one place: how well a published post fits a registered young
person, used both ways — the posts for a person (`posts_for_seeker`) and the candidates for a post
(`candidates_for_post`, which the employer's page and the targeted push both use).

The fit is a sum of points, each with the sentence shown to the person ("专业匹配：会计学"):

| criterion | points |
| --- | --- |
| the person's major is one the post asks for | 40 (a post with no major requirement: 10) |
| education at or above the requirement | 15 (no requirement: 5); below it the post is left out |
| the post's region is one the person prefers | 20 (else the person's own region: 10) |
| the post's category is one the person wants | 15 |
| freshness: post published (or, for a post's candidates, the person signed in) within 7 days | 10 (30 days: 5) |
| slots left (headcount minus active placements) | 1 per slot, at most 5; a full post is left out |

Speed at 100k posts and 100k candidates: nothing scans a whole table per request. Each side reads
a few bounded index ranges (`WINDOW` rows each: the newest posts wanting the person's major through
`PostKey`, the newest posts of the regions they want, the candidates with a wanted major or of the
post's region through the `SeekerProfile` indexes), then scores that bounded set in Python."""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from positions.models import Education, Post, PostCategory
from trainees.eligibility import GRADUATE_CATEGORIES, graduate_failures, youth_failures
from trainees.models import Placement, TraineeCategory

# Rows read per index range: the candidate set is at most a few times this, whatever the data size.
WINDOW = 300
# A published post stays open at most 12 months (positions.services.MAX_PUBLISHED_MONTHS).
PUBLISHED_DAYS = 366

EDUCATION_RANK = {
    "": 0, Education.ANY: 0, Education.SECONDARY: 1, Education.HIGH_SCHOOL: 1, Education.JUNIOR_COLLEGE: 2,
    Education.BACHELOR: 3, Education.MASTER: 4, Education.DOCTOR: 5,
}
EDUCATION_LABELS = dict(Education.choices)
CATEGORY_LABELS = dict(PostCategory.choices)

POINTS = {
    "major": 40, "major_open": 10, "education": 15, "education_open": 5, "region_preferred": 20,
    "region_home": 10, "category": 15, "fresh_week": 10, "fresh_month": 5, "slots_max": 5,
}

_SEPARATORS = re.compile(r"[、，,;；/|\s]+")
_NO_REQUIREMENT = {"", "不限", "专业不限", "无", "无要求"}


def normalise_major(text: str) -> str:
    """A major as a search key: no spaces, no trailing "专业", letters in lower case."""
    word = re.sub(r"\s+", "", text or "").lower()
    if word.endswith("专业") and len(word) > 2:
        word = word[:-2]
    return "" if word in _NO_REQUIREMENT else word[:50]


def major_keys(majors: str) -> list[str]:
    """The majors a post asks for, as keys ("会计学、财务管理" → ["会计学", "财务管理"]); [] = any."""
    keys = []
    for part in _SEPARATORS.split(majors or ""):
        key = normalise_major(part)
        if key and key not in keys:
            keys.append(key)
    return keys


def matching_key(seeker_key: str, post_keys) -> str | None:
    """The post's key the person's major matches: the same, or one containing the other
    ("会计" and "会计学"), two characters at least."""
    if not seeker_key:
        return None
    for key in post_keys:
        if key == seeker_key or (min(len(key), len(seeker_key)) >= 2 and (key in seeker_key or seeker_key in key)):
            return key
    return None


@dataclass(frozen=True)
class Reason:
    text: str
    points: int


@dataclass
class Match:
    """A post for a person, or a person for a post, with its score and the reasons behind it."""

    obj: object
    score: int
    reasons: list[Reason] = field(default_factory=list)

    @property
    def reason_texts(self) -> list[str]:
        return [r.text for r in self.reasons]


@dataclass(frozen=True)
class PostFacts:
    region_id: int
    region_name: str
    category: str
    education: str
    keys: tuple[str, ...]
    published_on: date | None
    slots_left: int

    @classmethod
    def of(cls, post: Post, slots_left: int) -> "PostFacts":
        return cls(post.region_id, post.region.name, post.category, post.education, tuple(major_keys(post.majors)),
                   post.published_on, slots_left)


@dataclass(frozen=True)
class SeekerFacts:
    major: str
    major_key: str
    education_rank: int
    home_region_id: int
    preferred_region_ids: frozenset
    categories: frozenset
    last_active: date | None = None

    @classmethod
    def of(cls, profile, preferred_region_ids) -> "SeekerFacts":
        last_login = profile.user.last_login if profile.user_id else None
        return cls(profile.major, profile.major_key, profile.education_rank, profile.region_id,
                   frozenset(preferred_region_ids), frozenset(profile.categories or ()),
                   timezone.localdate(last_login) if last_login else None)


def fits_education(post: PostFacts, seeker: SeekerFacts) -> bool:
    """Below the post's requirement is no fit; a person who gave no education is not filtered."""
    required = EDUCATION_RANK.get(post.education, 0)
    return required == 0 or seeker.education_rank == 0 or seeker.education_rank >= required


def _fresh_reason(day: date | None, today: date, what: str) -> Reason | None:
    if day is None:
        return None
    days = (today - day).days
    when = "今天" if days <= 0 else f"{days}天前"
    if days <= 7:
        return Reason(f"{what}：{when}", POINTS["fresh_week"])
    if days <= 30:
        return Reason(f"{what}：{when}", POINTS["fresh_month"])
    return None


def score(
    post: PostFacts, seeker: SeekerFacts, today: date, *, for_post: bool = False
) -> tuple[int, list[Reason]] | None:
    """The fit of `post` for `seeker` with its reasons, or None when the post is no fit at all
    (education below the requirement, or no slot left). `for_post`: freshness is the person's last
    sign-in (ranking candidates) instead of the post's publication (ranking posts)."""
    if post.slots_left <= 0 or not fits_education(post, seeker):
        return None
    reasons = [r for r in (
        _major_reason(post, seeker), _education_reason(post, seeker), _region_reason(post, seeker),
        _category_reason(post, seeker),
        _fresh_reason(seeker.last_active, today, "近期登录") if for_post
        else _fresh_reason(post.published_on, today, "新近发布"),
        Reason(f"剩余名额：{post.slots_left}人", min(post.slots_left, POINTS["slots_max"])),
    ) if r is not None]
    return sum(r.points for r in reasons), reasons


def _major_reason(post: PostFacts, seeker: SeekerFacts) -> Reason | None:
    if not post.keys:
        return Reason("专业不限", POINTS["major_open"])
    if matching_key(seeker.major_key, post.keys):
        return Reason(f"专业匹配：{seeker.major}", POINTS["major"])
    return None


def _education_reason(post: PostFacts, seeker: SeekerFacts) -> Reason | None:
    required = EDUCATION_RANK.get(post.education, 0)
    if required == 0:
        return Reason("学历不限", POINTS["education_open"])
    if seeker.education_rank >= required:
        return Reason(f"学历符合：{EDUCATION_LABELS[post.education]}及以上", POINTS["education"])
    return None


def _region_reason(post: PostFacts, seeker: SeekerFacts) -> Reason | None:
    if post.region_id in seeker.preferred_region_ids:
        return Reason(f"意向地区：{post.region_name}", POINTS["region_preferred"])
    if post.region_id == seeker.home_region_id:
        return Reason(f"所在地区：{post.region_name}", POINTS["region_home"])
    return None


def _category_reason(post: PostFacts, seeker: SeekerFacts) -> Reason | None:
    if post.category in seeker.categories:
        return Reason(f"意向类别：{CATEGORY_LABELS.get(post.category, post.category)}", POINTS["category"])
    return None


# ---------------------------------------------------------------------------------------------
# Posts for a person
#
# Two phases: the bounded candidate set is scored from a few columns (no model objects), then only
# the `limit` best are loaded with their unit, region and district for the page.

POST_COLUMNS = ("pk", "region_id", "region__name", "category", "education", "majors", "published_on", "slots")


def slots_left(rows) -> dict[int, int]:
    """Slots minus active (planned or on-duty) placements, for a bounded set of posts (objects or
    (pk, slots) pairs): one query."""
    slots = dict(rows) if not hasattr(next(iter(rows), None), "pk") else {p.pk: p.slots for p in rows}
    taken = dict(
        Placement.objects.filter(post_id__in=list(slots), status__in=Placement.ACTIVE)
        .values("post_id").annotate(n=Count("pk")).values_list("post_id", "n")
    )
    return {pk: n - taken.get(pk, 0) for pk, n in slots.items()}


def _candidate_post_ids(seeker: SeekerFacts, today: date) -> set[int]:
    from outreach.models import PostKey

    published = Post.objects.published(today)
    regions = set(seeker.preferred_region_ids) | {seeker.home_region_id}
    ids: set[int] = set()
    if seeker.major_key:
        keyed = PostKey.objects.filter(key=seeker.major_key, published_on__gte=today - timedelta(days=PUBLISHED_DAYS))
        ids |= set(keyed.order_by("-published_on").values_list("post_id", flat=True)[:WINDOW])
    newest = published.filter(region_id__in=regions).order_by("-published_on", "-id")
    ids |= set(newest.values_list("id", flat=True)[:WINDOW])
    if seeker.categories:
        wanted = newest.filter(category__in=seeker.categories)
        ids |= set(wanted.values_list("id", flat=True)[:WINDOW])
    return ids


def posts_for_seeker(profile, *, limit: int = 20, today: date | None = None) -> list[Match]:
    """The published posts that fit `profile` best, with reasons (Match.obj is the Post, its unit,
    region and district selected). Seven queries on bounded index ranges, whatever the number of
    posts."""
    today = today or timezone.localdate()
    seeker = SeekerFacts.of(profile, profile.preferred_regions.values_list("pk", flat=True))
    ids = _candidate_post_ids(seeker, today)
    rows = list(Post.objects.published(today).filter(pk__in=ids).values_list(*POST_COLUMNS))
    left = slots_left([(row[0], row[7]) for row in rows])
    scored = []
    for pk, region_id, region_name, category, education, majors, published_on, _ in rows:
        keys = tuple(major_keys(majors))
        facts = PostFacts(region_id, region_name, category, education, keys, published_on, left[pk])
        result = score(facts, seeker, today)
        if result is not None:
            scored.append((pk, *result))
    scored.sort(key=lambda item: (-item[1], -item[0]))
    best = scored[:limit]
    posts = Post.objects.filter(pk__in=[pk for pk, _, _ in best]).select_related("unit", "region", "district")
    by_pk = {post.pk: post for post in posts.defer("description", "unit__description")}
    return [Match(by_pk[pk], points, reasons) for pk, points, reasons in best]


# ---------------------------------------------------------------------------------------------
# Candidates for a post


def eligible_today(trainee, today: date) -> bool:
    """Whether the person could sign an agreement today, by the rules of `trainees.eligibility`
    (the earlier-placement rule is applied in SQL by `_seekers_base`)."""
    if trainee.employed:
        return False
    if trainee.category in GRADUATE_CATEGORIES:
        return not graduate_failures(trainee, today)
    if trainee.category == TraineeCategory.UNEMPLOYED_YOUTH:
        return not youth_failures(trainee, today)
    return False


def _seekers_base(today: date, *, for_employers: bool, for_push: bool):
    from outreach.models import SeekerProfile

    placed = Placement.objects.filter(trainee_id=OuterRef("trainee_id")).exclude(status=Placement.Status.CANCELLED)
    qs = SeekerProfile.objects.filter(active=True, eligible_from__lte=today, eligible_until__gte=today)
    if for_employers:
        qs = qs.filter(open_to_employers=True)
    if for_push:
        qs = qs.filter(push_enabled=True, unsubscribed_at__isnull=True)
    return qs.exclude(Exists(placed))


def _candidate_profile_ids(post: Post, keys: list[str], today: date, **flags) -> set[int]:
    base = _seekers_base(today, **flags)
    ids: set[int] = set()
    if keys:
        by_major = base.filter(major_key__in=keys).order_by("-eligible_until")
        ids |= set(by_major.values_list("pk", flat=True)[:WINDOW])
    ids |= set(base.filter(region_id=post.region_id).order_by("-eligible_until").values_list("pk", flat=True)[:WINDOW])
    # Driven by the (region, profile) index of the preferences, in index order.
    preferring = base.filter(seekerregion__region_id=post.region_id).order_by("seekerregion__profile_id")
    ids |= set(preferring.values_list("pk", flat=True)[:WINDOW])
    return ids


# The few columns eligibility and scoring read, all copied on the profile (`seekers.seeker_refresh`):
# the records themselves are loaded for the best only.
TRAINEE_COLUMNS = ("category", "left_school_on", "birth_date", "unemployment_registered")
SEEKER_COLUMNS = ("pk", "major", "major_key", "education_rank", "region_id", "categories", "user_id",
                  *TRAINEE_COLUMNS)


def candidates_for_post(post: Post, *, limit: int = 20, today: date | None = None, for_employers: bool = True,
                        for_push: bool = False, min_score: int = 0) -> list[Match]:
    """Registered young people who may take part today, ranked by how well `post` fits them, with
    reasons (Match.obj is the SeekerProfile, its trainee, user and region selected). `for_employers`:
    only people who let employers see them; `for_push`: only people who accept pushes. Eight
    queries on bounded index ranges, whatever the number of candidates."""
    from jianxi_portal.core.models import User
    from outreach.models import SeekerProfile, SeekerRegion

    today = today or timezone.localdate()
    keys = major_keys(post.majors)
    ids = _candidate_profile_ids(post, keys, today, for_employers=for_employers, for_push=for_push)
    preferred: dict[int, set[int]] = {}
    for profile_id, region_id in SeekerRegion.objects.filter(profile_id__in=ids).values_list("profile_id", "region_id"):
        preferred.setdefault(profile_id, set()).add(region_id)
    facts = PostFacts.of(post, slots_left([post])[post.pk])
    rows = list(SeekerProfile.objects.filter(pk__in=ids).values_list(*SEEKER_COLUMNS))
    # By primary key: a join would make PostgreSQL hash the whole user table.
    logins = dict(User.objects.filter(pk__in=[row[6] for row in rows]).values_list("pk", "last_login"))
    scored = []
    for row in rows:
        pk, major, major_key, rank, region_id, categories, user_id, *trainee_values = row
        last_login = logins.get(user_id)
        # The record's copied facts (a model instance would cost more than the scoring); `_seekers_base`
        # keeps active (not employed) people only.
        copy = SimpleNamespace(employed=False, **dict(zip(TRAINEE_COLUMNS, trainee_values, strict=True)))
        if not eligible_today(copy, today):
            continue
        seeker = SeekerFacts(major, major_key, rank, region_id, frozenset(preferred.get(pk, ())),
                             frozenset(categories or ()), timezone.localdate(last_login) if last_login else None)
        result = score(facts, seeker, today, for_post=True)
        if result is not None and result[0] >= min_score:
            scored.append((pk, *result))
    scored.sort(key=lambda item: (-item[1], -item[0]))
    best = scored[:limit]
    profiles = SeekerProfile.objects.filter(pk__in=[pk for pk, _, _ in best]).select_related(
        "trainee", "user", "region")
    by_pk = {profile.pk: profile for profile in profiles}
    return [Match(by_pk[pk], points, reasons) for pk, points, reasons in best]
