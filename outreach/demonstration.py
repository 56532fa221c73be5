"""Demonstration units (全国示范单位推荐): the province ranks units of a year by four figures, each
shown with what it is made of, and marks the units it nominates (with a note).

| criterion | figure | behind it |
| --- | --- | --- |
| retention rate (留用率) | retained ÷ placements ended in the year | ended, retained |
| trainees placed (吸纳见习人数) | placements started in the year | started |
| posts raised (募集岗位数) | slots of posts first approved in the year | slots |
| share of 管理/技术/科研 posts | their slots ÷ all slots raised in the year | those slots, all slots |

Each criterion ranks the units that have its figure (competition ranking: ties share a rank). A unit
without the figure — no placement ended (no retention rate), no post raised (no share) — gets no
rank on it ("—"), comes after every unit that has one, and never shares a number with a real
value. The overall order puts units with all four figures first, then those missing one, two…;
within each group the sum of the ranks decides, ties going to the better retention rank (the
notice's first concern is keeping trainees on)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, Sum

from jianxi_portal.core.audit import audit
from jianxi_portal.core.models import User
from outreach.models import Nomination
from positions.models import Post, PostCategory
from trainees.models import Placement
from units.models import Unit

MTR = (PostCategory.MANAGEMENT, PostCategory.TECHNICAL, PostCategory.RESEARCH)
RETAINED = Q(end=Placement.End.EARLY_RETAINED) | Q(outcome=Placement.Outcome.RETAINED)
CRITERIA = {
    "retention": "留用率",
    "placed": "吸纳见习人数",
    "posts": "募集岗位数",
    "mtr": "管理/技术/科研岗位占比",
}


def _pct(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class UnitFigures:
    unit: Unit
    ended: int = 0
    retained: int = 0
    placed: int = 0
    slots: int = 0
    mtr_slots: int = 0
    ranks: dict = field(default_factory=dict)
    nomination: Nomination | None = None
    position: int = 0

    @property
    def retention(self) -> Decimal | None:
        return _pct(self.retained, self.ended)

    @property
    def mtr_share(self) -> Decimal | None:
        return _pct(self.mtr_slots, self.slots)

    def value(self, criterion: str):
        values = {"retention": self.retention, "placed": self.placed, "posts": self.slots, "mtr": self.mtr_share}
        return values[criterion]

    @property
    def missing(self) -> int:
        """How many criteria the unit has no figure for."""
        return sum(rank is None for rank in self.ranks.values())

    @property
    def overall(self) -> int:
        """The sum of the ranks the unit has (compared only among units missing as many)."""
        return sum(rank for rank in self.ranks.values() if rank is not None)

    def overall_key(self) -> tuple:
        retention = self.ranks.get("retention")
        return self.missing, self.overall, retention if retention is not None else float("inf"), self.unit.name

    def rank_key(self, criterion: str) -> tuple:
        rank = self.ranks[criterion]
        return rank is None, rank or 0, *self.overall_key()


def _year_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def unit_figures(year: int, *, region_id: int | None = None) -> list[UnitFigures]:
    """The four figures of every unit active in `year` (a placement ended or started, or a post
    raised): three grouped queries, one for the units and one for the nominations."""
    first, last = _year_range(year)
    placements = Placement.objects.all() if region_id is None else Placement.objects.filter(region_id=region_id)
    posts = Post.objects.all() if region_id is None else Post.objects.filter(region_id=region_id)
    rows: dict[int, dict] = {}
    for row in (
        placements.filter(ended_on__range=(first, last))
        .values("unit_id")
        .annotate(ended=Count("pk"), retained=Count("pk", filter=RETAINED))
        .order_by()
    ):
        rows.setdefault(row["unit_id"], {}).update(ended=row["ended"], retained=row["retained"])
    started = placements.filter(started_on__range=(first, last)).values("unit_id")
    for row in started.annotate(placed=Count("pk")).order_by():
        rows.setdefault(row["unit_id"], {}).update(placed=row["placed"])
    for row in (
        posts.filter(first_approved_on__range=(first, last))
        .values("unit_id")
        .annotate(all_slots=Sum("slots"), mtr=Sum("slots", filter=Q(category__in=MTR)))
        .order_by()
    ):
        rows.setdefault(row["unit_id"], {}).update(slots=row["all_slots"] or 0, mtr_slots=row["mtr"] or 0)
    units = Unit.objects.filter(pk__in=rows).select_related("region")
    nominations = {n.unit_id: n for n in Nomination.objects.filter(year=year, unit_id__in=rows)}
    return [UnitFigures(unit=u, nomination=nominations.get(u.pk), **rows[u.pk]) for u in units]


def _rank(figures: list[UnitFigures], criterion: str) -> None:
    """Competition ranking (1, 2, 2, 4) of the units with the figure, higher first; None for the rest."""
    have = sorted((f for f in figures if f.value(criterion) is not None), key=lambda f: -f.value(criterion))
    previous, rank = None, 0
    for position, item in enumerate(have, 1):
        if item.value(criterion) != previous:
            rank, previous = position, item.value(criterion)
        item.ranks[criterion] = rank
    for item in figures:
        item.ranks.setdefault(criterion, None)


def unit_rankings(year: int, *, order: str = "overall", region_id: int | None = None) -> list[UnitFigures]:
    """Units of `year` ranked by every criterion, ordered by `order` (a criterion or "overall");
    each row's `position` is its place in the overall order (1, 2, …; equal keys share it)."""
    figures = unit_figures(year, region_id=region_id)
    for criterion in CRITERIA:
        _rank(figures, criterion)
    figures.sort(key=UnitFigures.overall_key)
    previous, place = None, 0
    for index, item in enumerate(figures, 1):
        key = item.overall_key()[:3]
        if key != previous:
            place, previous = index, key
        item.position = place
    if order in CRITERIA:
        figures.sort(key=lambda f: f.rank_key(order))
    return figures


def _ensure_province(by: User) -> None:
    if not by.is_province:
        raise PermissionDenied("示范单位由省级经办人员推荐。")


@transaction.atomic
def nomination_create(*, unit_id: int, year: int, note: str, by: User) -> Nomination:
    """The province nominates an approved unit for a year's national selection, with its reason."""
    _ensure_province(by)
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or unit.status != Unit.Status.APPROVED:
        raise ValidationError({"unit": "只能推荐审核通过且在册的见习单位。"})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "请填写推荐理由。"})
    if len(note) > 500:
        raise ValidationError({"note": "推荐理由不能超过500个字。"})
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(unit=unit, year=year, note=note, by=by)
    except IntegrityError:
        raise ValidationError({"unit": f"{unit.name}已被推荐为{year}年度示范单位。"}) from None
    audit("nomination.create", user=by, obj=unit, detail={"year": year})
    return nomination


@transaction.atomic
def nomination_withdraw(*, nomination_id: int, by: User) -> None:
    _ensure_province(by)
    nomination = Nomination.objects.select_for_update().filter(pk=nomination_id).first()
    if nomination is None:
        raise ValidationError({"__all__": "该推荐不存在或已撤回。"})
    audit("nomination.withdraw", user=by, obj=nomination.unit, detail={"year": nomination.year})
    nomination.delete()


def nominated_unit_ids(year: int | None = None) -> dict[int, int]:
    """Unit id → the latest year it was nominated (for the unit directory's mark)."""
    qs = Nomination.objects.all() if year is None else Nomination.objects.filter(year=year)
    return dict(qs.values("unit_id").annotate(y=Max("year")).order_by().values_list("unit_id", "y"))
