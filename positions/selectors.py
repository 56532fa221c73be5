"""Reads with meaning for posts: the public post list (见习岗位清单) with its search and filters,
shared by the page and the read-only API so both answer the same question."""

from dataclasses import dataclass, fields
from datetime import date

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.http import urlencode

from jianxi_portal.core.models import Region
from jianxi_portal.core.query import text_lookup
from positions import search
from positions.models import Post
from units.models import Unit

# The four special columns of the notice (专栏) and the practice-base flag, by query value.
COLUMNS = {
    "state_owned": ("unit__is_state_owned", "国有企业专栏"),
    "famous_manufacturer": ("unit__is_famous_manufacturer", "制造业名企专栏"),
    "internet_major": ("unit__is_internet_major", "互联网大厂专栏"),
    "practice_base": ("unit__is_practice_base", "实习实训基地"),
}

# The public list's orders (排序), by query value; "" (absent) is the default. Only these keys are
# accepted (`positions.forms.PostQuery`; any other value is a 400): never a column named by the
# query string. Each ends newest first, so equal keys keep a stable order across pages.
NEWEST = (F("published_on").desc(), F("id").desc())
SORTS = {
    "": ("最新发布", NEWEST),
    "allowance": ("生活补贴从高到低", (F("allowance").desc(), *NEWEST)),
    "closing": ("截止日期最近", (F("closing_date").asc(nulls_last=True), *NEWEST)),
}


@dataclass(frozen=True)
class PostFilters:
    """The public list's query: search words and filters, each optional. Read from a query string
    by `positions.forms.PostQuery` (a value it cannot read is a 400, jianxi_portal/core/query.py)."""

    q: str = ""
    region: str = ""
    category: str = ""
    industry: str = ""
    column: str = ""
    education: str = ""
    also_internship: bool = False
    sort: str = ""

    def as_params(self) -> dict:
        """The active filters and sort as query parameters (for pagination links)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return {k: ("1" if v is True else v) for k, v in values.items() if v}

    def sort_links(self) -> list[tuple[str, str, bool]]:
        """(label, query string, current) per order of `SORTS`, keeping the filters (page 1)."""
        filters = {k: v for k, v in self.as_params().items() if k != "sort"}
        return [
            (label, urlencode({**filters, "sort": key} if key else filters), key == self.sort)
            for key, (label, _) in SORTS.items()
        ]


def posts_managed(qs: QuerySet, filters: dict) -> QuerySet:
    """The management list's and its export's filters (`positions.forms.PostManageQuery`, cleaned):
    status, region code, category, words of the title or the unit's name."""
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("region"):
        qs = qs.filter(region__code=filters["region"])
    if filters.get("category"):
        qs = qs.filter(category=filters["category"])
    if q := filters.get("q"):
        qs = qs.filter(Q(title__icontains=q) | Q(unit__name__icontains=q))
    return qs


# A word matching the names of more units than this is common: its units are matched by a join
# while the list is walked newest first, not listed by id for the index (see `word_q`).
UNIT_IDS_LISTED = 5000


def word_q(word: str) -> Q:
    """Posts whose title, majors or unit name contain `word`. On PostgreSQL a word of two or more
    characters is also looked up in the bigram indexes (positions/search.py), as a second
    condition the first implies: a bitmap scan of the indexes answers it (and PostgreSQL drops
    it from the rows' filter), while a scan that walks the list newest first tests the cheap
    `LIKE`s first and computes bigrams only for the rows they keep. The units whose name holds
    the word are read first (one query, through their bigram index) and named by id, so their
    posts come from the `unit_id` index in the same bitmap; a word found in more than
    `UNIT_IDS_LISTED` unit names is common, matched by the unit join while walking the list."""
    lookup = text_lookup(word)
    like = Q(**{f"title__{lookup}": word}) | Q(**{f"majors__{lookup}": word})
    if not (search.enabled() and search.indexable(word)):
        return like | Q(**{f"unit__name__{lookup}": word})
    unit_ids = list(
        Unit.objects.filter(Q(**{f"name__{lookup}": word}) & Q(search.grams_contain("name", word)))
        .order_by()
        .values_list("pk", flat=True)[: UNIT_IDS_LISTED + 1]
    )
    in_unit = Q(unit_id__in=unit_ids) if len(unit_ids) <= UNIT_IDS_LISTED else Q(**{f"unit__name__{lookup}": word})
    grams = Q(search.grams_contain("title", word)) | Q(search.grams_contain("majors", word))
    return (like | in_unit) & (grams | in_unit)


def posts_public(filters: PostFilters | None = None, *, today: date | None = None) -> QuerySet:
    """Published posts matching `filters`, in the order of `filters.sort` (`SORTS`; newest first
    by default), with unit, region and district joined
    (one query per page, whatever the page size). Search looks in the title, the unit's name and
    the majors wanted (`word_q`; on PostgreSQL each word reads its units first: one query)."""
    filters = filters or PostFilters()
    qs = Post.objects.published(today or timezone.localdate()).select_related("unit", "region", "district")
    for word in filters.q.split():
        qs = qs.filter(word_q(word))
    if filters.region:
        # The region's id as a literal, not a join on its code: PostgreSQL then knows how many
        # posts the region has and walks its index (status, region, -published_on).
        region_id = Region.objects.filter(code=filters.region).values_list("pk", flat=True).first()
        qs = qs.filter(region_id=region_id) if region_id is not None else qs.none()
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.industry:
        qs = qs.filter(unit__industry=filters.industry)
    if filters.column:
        qs = qs.filter(**{COLUMNS[filters.column][0]: True})
    if filters.education:
        qs = qs.filter(education=filters.education)
    if filters.also_internship:
        qs = qs.filter(also_internship=True)
    return qs.order_by(*SORTS[filters.sort][1])


def post_open_for_applications(post_id: int, *, today: date | None = None) -> Post | None:
    """The post if a young person may apply to it on `today`, else None (closed, past its
    closing date, its unit suspended or revoked, or never published)."""
    return Post.objects.open_for_applications(today).select_related("unit", "region").filter(pk=post_id).first()


def open_post_counts(unit_ids, *, today: date | None = None) -> dict[int, int]:
    """Open posts per unit, for one page of the unit directory: one grouped query over those units
    only (counting for every unit before the LIMIT took 0.4 s on 100k posts)."""
    rows = (
        Post.objects.published(today or timezone.localdate())
        .filter(unit_id__in=list(unit_ids))
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    return dict(rows)
