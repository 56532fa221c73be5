"""Explainable recommendations, in one place: how well a published post fits a registered young
person, used both ways — the posts for a person (`posts_for_seeker`) and the candidates for a post
(`candidates_for_post`, which the employer's page and every push use).

The major decides first, by the national catalogue (`jianxi_portal.core.majors`): a post's requirement
(门类, 专业类 or 专业) is met when it covers the person's major (计算机类 covers 计算机科学与技术), or
when the post is open to all majors. A post whose requirement the person's major does not meet is
never recommended nor pushed to them, whatever else fits; education below the requirement and a
full post leave it out too. The rest is scored, each criterion with the sentence the person reads,
what does not fit said as plainly as what does:

| criterion | fits | points |
| --- | --- | --- |
| major | the requirement covers the person's major / open to all | 40 / 10 |
| education | at or above the requirement / no requirement | 15 / 5 |
| region | a region the person wants (their own region when they named none) | 20 |
| category | a category the person wants (no points, no misfit when they named none) | 15 |

A push goes only where the major fits (or the post is open) and the post is within the person's
stated preferences: region and category (`Match.pushable`). The score is explained in words
(`Match.explanation`); newer posts win ties.

Speed at 100k posts and 100k candidates: nothing scans a whole table per request. Each side reads
a few bounded index ranges (`WINDOW` rows each: through `PostKey`, the newest posts asking for the
person's major, its 专业类 or 门类, and those open to all majors in the regions they want; the
candidates whose major, 专业类 or 门类 a post asks for through the `SeekerProfile` indexes), then scores
that bounded set in Python."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from jianxi_portal.core.majors import Node, Requirement, catalogue, normalise
from outreach.models import PostKey, SeekerProfile, SeekerRegion
from positions.models import Education, Post, PostCategory
from trainees.eligibility import GRADUATE_CATEGORIES, graduate_failures, youth_failures
from trainees.models import Placement, TraineeCategory

# Rows read per index range: the candidate set is at most a few times this, whatever the data size.
WINDOW = 300
# A published post stays open at most 12 months (positions.services.MAX_PUBLISHED_MONTHS).
PUBLISHED_DAYS = 366

EDUCATION_RANK = {
    "": 0,
    Education.ANY: 0,
    Education.SECONDARY: 1,
    Education.HIGH_SCHOOL: 1,
    Education.JUNIOR_COLLEGE: 2,
    Education.BACHELOR: 3,
    Education.MASTER: 4,
    Education.DOCTOR: 5,
}
EDUCATION_LABELS = dict(Education.choices)
CATEGORY_LABELS = dict(PostCategory.choices)

POINTS = {"major": 40, "major_open": 10, "education": 15, "education_open": 5, "region": 20, "category": 15}
MAX_SCORE = POINTS["major"] + POINTS["education"] + POINTS["region"] + POINTS["category"]
CRITERIA_LABELS = {"major": "专业", "education": "学历", "region": "地区", "category": "类别"}


@dataclass(frozen=True)
class Reason:
    """One criterion's verdict in the words shown: `fits` False says what does not fit."""

    criterion: str
    text: str
    points: int
    fits: bool = True


@dataclass
class Match:
    """A post for a person, or a person for a post, with its score and the reasons behind it."""

    obj: object
    score: int
    reasons: list[Reason] = field(default_factory=list)

    @property
    def reason_texts(self) -> list[str]:
        return [r.text for r in self.reasons]

    @property
    def fitting(self) -> list[Reason]:
        return [r for r in self.reasons if r.fits]

    @property
    def misfits(self) -> list[Reason]:
        return [r for r in self.reasons if not r.fits]

    @property
    def pushable(self) -> bool:
        """Major met (or open) and within the person's stated region and categories."""
        return not self.misfits

    @property
    def explanation(self) -> str:
        """The score in words: "匹配度 75 分（满分 90）：专业 40 + 学历 15 + 地区 20 + 类别 0；不符合：…"."""
        parts = " + ".join(f"{CRITERIA_LABELS[r.criterion]} {r.points}" for r in self.reasons)
        text = f"匹配度 {self.score} 分（满分 {MAX_SCORE}）：{parts}"
        if self.misfits:
            text += "；不符合：" + "；".join(r.text for r in self.misfits)
        return text + "。"

    def summary(self) -> str:
        """The reasons as one line (push messages, the push log)."""
        return "；".join(self.reason_texts)[:500]


@dataclass(frozen=True)
class PostFacts:
    region_id: int
    region_name: str
    category: str
    education: str
    requirement: Requirement
    published_on: date | None
    slots_left: int

    @classmethod
    def of(cls, post: Post, slots_left: int) -> "PostFacts":
        return cls(
            post.region_id,
            post.region.name,
            post.category,
            post.education,
            catalogue().requirement(post.majors),
            post.published_on,
            slots_left,
        )


@dataclass(frozen=True)
class SeekerFacts:
    major: str
    major_node: Node | None
    education_rank: int
    home_region_id: int
    preferred_region_ids: frozenset
    categories: frozenset

    @classmethod
    def of(cls, profile, preferred_region_ids) -> "SeekerFacts":
        return cls(
            profile.major,
            catalogue().node(profile.major_code),
            profile.education_rank,
            profile.region_id,
            frozenset(preferred_region_ids),
            frozenset(profile.categories or ()),
        )

    @property
    def wanted_region_ids(self) -> frozenset:
        return self.preferred_region_ids or frozenset({self.home_region_id})


def fits_education(post: PostFacts, seeker: SeekerFacts) -> bool:
    """Below the post's requirement is no fit; a person who gave no education is not filtered."""
    required = EDUCATION_RANK.get(post.education, 0)
    return required == 0 or seeker.education_rank == 0 or seeker.education_rank >= required


def major_reason(requirement: Requirement, seeker: SeekerFacts) -> Reason:
    if requirement.is_open:
        return Reason("major", "专业不限", POINTS["major_open"])
    met = requirement.covering(seeker.major_node, seeker.major)
    if met is None:
        mine = f"所学专业为{seeker.major}" if seeker.major else "未填写专业"
        return Reason("major", f"专业不符：岗位要求{requirement.describe()}，{mine}", 0, fits=False)
    if isinstance(met, Node) and met.code != seeker.major_node.code:
        return Reason("major", f"专业相符：{seeker.major}属于岗位要求的{met.name}", POINTS["major"])
    return Reason("major", f"专业相符：{seeker.major}", POINTS["major"])


def _education_reason(post: PostFacts, seeker: SeekerFacts) -> Reason:
    required = EDUCATION_RANK.get(post.education, 0)
    if required == 0:
        return Reason("education", "学历不限", POINTS["education_open"])
    if seeker.education_rank == 0:
        return Reason("education", f"岗位要求{EDUCATION_LABELS[post.education]}及以上，未填写学历", 0)
    return Reason("education", f"学历符合：{EDUCATION_LABELS[post.education]}及以上", POINTS["education"])


def _region_reason(post: PostFacts, seeker: SeekerFacts) -> Reason:
    if post.region_id in seeker.preferred_region_ids:
        return Reason("region", f"意向地区：{post.region_name}", POINTS["region"])
    if not seeker.preferred_region_ids and post.region_id == seeker.home_region_id:
        return Reason("region", f"所在地区：{post.region_name}", POINTS["region"])
    return Reason("region", f"地区不在意向内：{post.region_name}", 0, fits=False)


def _category_reason(post: PostFacts, seeker: SeekerFacts) -> Reason:
    label = CATEGORY_LABELS.get(post.category, post.category)
    if not seeker.categories:
        return Reason("category", f"岗位类别：{label}（未设意向类别）", 0)
    if post.category in seeker.categories:
        return Reason("category", f"意向类别：{label}", POINTS["category"])
    return Reason("category", f"岗位类别{label}不在意向类别内", 0, fits=False)


def score(post: PostFacts, seeker: SeekerFacts) -> tuple[int, list[Reason]] | None:
    """The fit of `post` for `seeker` with its reasons, or None when the post is no fit at all: the
    major not met, education below the requirement, or no slot left."""
    if post.slots_left <= 0 or not fits_education(post, seeker):
        return None
    major = major_reason(post.requirement, seeker)
    if not major.fits:
        return None
    reasons = [major, _education_reason(post, seeker), _region_reason(post, seeker), _category_reason(post, seeker)]
    return sum(r.points for r in reasons), reasons


def _ranked(scored: list[tuple]) -> list[tuple]:
    """Best score first; newer, then later-created, wins a tie."""
    return sorted(scored, key=lambda item: (-item[1], -(item[3].toordinal() if item[3] else 0), -item[0]))


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
        .values("post_id")
        .annotate(n=Count("pk"))
        .values_list("post_id", "n")
    )
    return {pk: n - taken.get(pk, 0) for pk, n in slots.items()}


def seeker_keys(seeker: SeekerFacts) -> list[str]:
    """The `PostKey` keys of posts whose requirement covers the person's major: its code, its 专业类
    and 门类 codes (or the major as text when it is not in the catalogue)."""
    if seeker.major_node is not None:
        return list(seeker.major_node.ancestry)
    return [f"t:{normalise(seeker.major)}"] if seeker.major else []


def _candidate_post_ids(seeker: SeekerFacts, today: date) -> set[int]:
    """Only posts the major can meet are worth reading (any other is no fit): the newest asking for
    the person's major, 专业类 or 门类, and the newest open to all majors in the regions they want
    (open posts elsewhere fail the region and rarely reach the first page). One index range each."""
    recent = PostKey.objects.filter(published_on__gte=today - timedelta(days=PUBLISHED_DAYS))
    windows = [recent.filter(key=key) for key in seeker_keys(seeker)]
    windows.append(recent.filter(key="*", region_id__in=seeker.wanted_region_ids))
    ids: set[int] = set()
    for window in windows:
        ids |= set(window.order_by("-published_on").values_list("post_id", flat=True)[:WINDOW])
    return ids


def posts_for_seeker(profile, *, limit: int = 20, today: date | None = None) -> list[Match]:
    """The published posts whose major requirement the person meets, best first, with reasons
    (Match.obj is the Post, its unit, region and district selected). A bounded number of queries
    on index ranges, whatever the number of posts."""
    today = today or timezone.localdate()
    seeker = SeekerFacts.of(profile, profile.preferred_regions.values_list("pk", flat=True))
    ids = _candidate_post_ids(seeker, today)
    rows = list(Post.objects.published(today).filter(pk__in=ids).values_list(*POST_COLUMNS))
    left = slots_left([(row[0], row[7]) for row in rows])
    requirements = catalogue().requirement
    scored = []
    for pk, region_id, region_name, category, education, majors, published_on, _ in rows:
        facts = PostFacts(region_id, region_name, category, education, requirements(majors), published_on, left[pk])
        result = score(facts, seeker)
        if result is not None:
            scored.append((pk, *result, published_on))
    best = _ranked(scored)[:limit]
    posts = Post.objects.filter(pk__in=[item[0] for item in best]).select_related("unit", "region", "district")
    by_pk = {post.pk: post for post in posts.defer("description", "unit__description")}
    return [Match(by_pk[pk], points, reasons) for pk, points, reasons, _ in best]


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
    placed = Placement.objects.filter(trainee_id=OuterRef("trainee_id")).exclude(status=Placement.Status.CANCELLED)
    qs = SeekerProfile.objects.filter(active=True, eligible_from__lte=today, eligible_until__gte=today)
    if for_employers:
        qs = qs.filter(open_to_employers=True)
    if for_push:
        qs = qs.filter(push_enabled=True, unsubscribed_at__isnull=True)
    return qs.exclude(Exists(placed))


# A requirement node's level → the profile column holding the person's code at that level.
LEVEL_COLUMNS = {"major": "major_code", "class": "major_class", "category": "major_category"}


def _candidate_profile_ids(
    post: Post, requirement: Requirement, today: date, *, region_id: int | None = None, **flags
) -> set[int]:
    base = _seekers_base(today, **flags)
    if region_id is not None:
        base = base.filter(region_id=region_id)
    ids: set[int] = set()
    windows = [base.filter(**{LEVEL_COLUMNS[node.level]: node.code}) for node in requirement.nodes]
    if requirement.unmatched:
        windows.append(base.filter(major_code="", major_key__in=list(requirement.unmatched)))
    if requirement.is_open:
        windows.append(base.filter(region_id=post.region_id))
        # Driven by the (region, profile) index of the preferences, in index order.
        preferring = base.filter(seekerregion__region_id=post.region_id).order_by("seekerregion__profile_id")
        ids |= set(preferring.values_list("pk", flat=True)[:WINDOW])
    for window in windows:
        ids |= set(window.order_by("-eligible_until").values_list("pk", flat=True)[:WINDOW])
    return ids


# The few columns eligibility and scoring read, all copied on the profile (`seekers.seeker_refresh`):
# the records themselves are loaded for the best only.
TRAINEE_COLUMNS = ("category", "left_school_on", "birth_date", "unemployment_registered")
SEEKER_COLUMNS = (
    "pk",
    "major",
    "major_code",
    "education_rank",
    "region_id",
    "categories",
    "eligible_until",
    *TRAINEE_COLUMNS,
)


def candidates_for_post(
    post: Post,
    *,
    limit: int = 20,
    today: date | None = None,
    for_employers: bool = True,
    for_push: bool = False,
    pushable_only: bool = False,
    region_id: int | None = None,
) -> list[Match]:
    """Registered young people who may take part today and whose major the post's requirement
    meets (or anyone, for a post open to all majors), best first, with reasons (Match.obj is the
    SeekerProfile, its trainee, user and region selected). `for_employers`: only people who let
    employers see them; `for_push`: only people who accept pushes; `pushable_only`: only people
    the post is within the stated preferences of (`Match.pushable`); `region_id`: only people of
    that region (a city's push by hand). A bounded number of queries
    on index ranges, whatever the number of candidates."""
    today = today or timezone.localdate()
    facts = PostFacts.of(post, slots_left([post])[post.pk])
    ids = _candidate_profile_ids(
        post, facts.requirement, today, region_id=region_id, for_employers=for_employers, for_push=for_push
    )
    preferred: dict[int, set[int]] = {}
    for profile_id, region_id in SeekerRegion.objects.filter(profile_id__in=ids).values_list("profile_id", "region_id"):
        preferred.setdefault(profile_id, set()).add(region_id)
    rows = list(SeekerProfile.objects.filter(pk__in=ids).values_list(*SEEKER_COLUMNS))
    node = catalogue().node
    scored = []
    for row in rows:
        pk, major, major_code, rank, region_id, categories, eligible_until, *trainee_values = row
        # The record's copied facts (a model instance would cost more than the scoring); `_seekers_base`
        # keeps active (not employed) people only.
        copy = SimpleNamespace(employed=False, **dict(zip(TRAINEE_COLUMNS, trainee_values, strict=True)))
        if not eligible_today(copy, today):
            continue
        seeker = SeekerFacts(
            major, node(major_code), rank, region_id, frozenset(preferred.get(pk, ())), frozenset(categories or ())
        )
        result = score(facts, seeker)
        if result is None or (pushable_only and not Match(None, *result).pushable):
            continue
        scored.append((pk, *result, eligible_until))
    best = _ranked(scored)[:limit]
    profiles = SeekerProfile.objects.filter(pk__in=[item[0] for item in best]).select_related(
        "trainee", "user", "region"
    )
    by_pk = {profile.pk: profile for profile in profiles}
    return [Match(by_pk[pk], points, reasons) for pk, points, reasons, _ in best]
