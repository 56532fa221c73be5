"""The records behind a dashboard or ranking figure that no other list filters exactly (a year's
retained trainees of a region, a unit's slots raised in a year…): one definition per figure, used
both to compute the number and to list its records, so the two always agree."""

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet, Sum

from outreach.demonstration import MTR, RETAINED
from positions.models import Post
from trainees.models import Placement


@dataclass(frozen=True)
class Period:
    year: int
    month: int | None = None

    @property
    def first(self) -> date:
        return date(self.year, self.month or 1, 1)

    @property
    def last(self) -> date:
        month = self.month or 12
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月" if self.month else f"{self.year}年"

    def params(self) -> dict:
        return {"year": self.year, **({"month": self.month} if self.month else {})}


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    definition: str
    model: type
    q: Callable[[Period], Q]
    measure: str | None = None  # None: a count of records; else the sum of this field

    def records(self, base: QuerySet, period: Period) -> QuerySet:
        return base.filter(self.q(period))

    def value(self, base: QuerySet, period: Period) -> int:
        qs = self.records(base, period)
        if self.measure is None:
            return qs.count()
        return qs.aggregate(total=Sum(self.measure))["total"] or 0


def _between(name: str, p: Period) -> Q:
    return Q(**{f"{name}__gte": p.first, f"{name}__lte": p.last})


FIGURES = {
    f.key: f
    for f in (
        Figure("started", "到岗见习人数", "到岗日期在期间内的见习协议", Placement, lambda p: _between("started_on", p)),
        Figure(
            "ended",
            "结束见习人数",
            "结束日期在期间内的见习协议（期满、提前留用、非正常结束）",
            Placement,
            lambda p: _between("ended_on", p),
        ),
        Figure(
            "retained",
            "留用人数",
            "结束日期在期间内、提前留用或期满后被留用的见习协议",
            Placement,
            lambda p: _between("ended_on", p) & RETAINED,
        ),
        Figure(
            "ending",
            "期满人数",
            "在岗见习、计划结束日期在期间内的见习协议",
            Placement,
            lambda p: _between("planned_end", p) & Q(status=Placement.Status.ON_DUTY),
        ),
        Figure(
            "slots",
            "募集岗位数",
            "首次审核通过日期在期间内的岗位的岗位数之和",
            Post,
            lambda p: _between("first_approved_on", p),
            measure="slots",
        ),
        Figure(
            "mtr_slots",
            "管理/技术/科研岗位数",
            "首次审核通过日期在期间内、类别为管理、技术或科研的岗位的岗位数之和",
            Post,
            lambda p: _between("first_approved_on", p) & Q(category__in=MTR),
            measure="slots",
        ),
    )
}

RELATED = {Placement: ("trainee", "unit", "post", "region"), Post: ("unit", "region")}


def scoped_base(figure: Figure, user, *, region_code: str = "", unit_id: int | None = None) -> QuerySet:
    """The figure's model as `user` may see it, narrowed to a region and/or a unit."""
    qs = figure.model.objects.visible_to(user).select_related(*RELATED[figure.model])
    if region_code:
        qs = qs.filter(region__code=region_code)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs
