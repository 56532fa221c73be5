"""The 14 indicators of Annex 2 (百万就业见习岗位募集计划工作情况汇总表), each defined ONCE.

An indicator is a source model, a filter (a `Q` built from the reporting period) and a measure
(count the records, or sum a field). The monthly aggregate (`selectors.annex2_rows`) and the list
of records behind each number (`selectors.indicator_records`) are both built from the same `Q`,
so a number and the length of its list are equal by construction.

Definitions follow DESIGN.md, "Annex 2", with M the calendar month, S its first day and E its
last day:

 1 units approved on or before E and not revoked before E (a unit revoked ON E still counts)
 2 of 1, first approved within M
 3 slots of posts approved on or before E and open at E: not closed on or before E, and their unit
   not revoked on or before E (revoking a unit closes its open posts that day)
 4 of 3, slots of posts first approved within M
 5 placements with planned_start in M or started_on in M (a cancelled agreement never counts)
 6 placements with started_on in M
 7 of 6, trainees in the category college_graduate
   (5–7 count people: a continuation after a unit's change is the same person and counts in neither)
 8 placements ended in M as completed or early_retained
 9 of 8, retained (early_retained, or completed with outcome retained)
10 of 9, college_graduate
11 of 8, outcome other_employment
12 placements ended in M as abnormal
13 placements started on or before E and not ended on or before E
14 disbursements paid from January 1 to E, in 万元 (÷ 10000, two decimals, ROUND_HALF_UP)

How the aggregate reads them (national scale: 300,000 units, 1,000,000 posts and placements):
each `Scan` is one grouped query narrowed by one index whose columns hold everything its
aggregates read, so PostgreSQL answers it from the index alone. An indicator is counted in one
scan (all its rows, or those meeting a further condition), or as disjoint `Part`s in several:
5 (planned in M; started in M but not planned in M) and 13 (never ended; ended after E), whose
single condition no index can narrow. The list of records uses the OR of the parts: the same
rows.
"""

import calendar as _calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from operator import or_

from django.apps import apps
from django.db.models import Count, Q, Sum

from jianxi_portal.core.workdays import Calendar

WAN = Decimal("10000")
CENT = Decimal("0.01")


@dataclass(frozen=True, order=True)
class Period:
    """A reporting month."""

    year: int
    month: int

    def __post_init__(self):
        if not (1 <= self.month <= 12) or not (2000 <= self.year <= 2100):
            raise ValueError(f"无效的统计月份：{self.year}年{self.month}月")

    @classmethod
    def of(cls, day: date) -> "Period":
        return cls(day.year, day.month)

    @classmethod
    def reported_on(cls, today: date) -> "Period":
        """The month a report prepared on `today` is about: the previous calendar month."""
        return cls.of(today.replace(day=1) - timedelta(days=1))

    @property
    def start(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def end(self) -> date:
        return date(self.year, self.month, _calendar.monthrange(self.year, self.month)[1])

    @property
    def year_start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def next(self) -> "Period":
        return Period.of(self.end + timedelta(days=1))

    @property
    def previous(self) -> "Period":
        return Period.of(self.start - timedelta(days=1))

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    def due_on(self, calendar=None) -> date:
        """On or before the 3rd of the next month, moved to the next working day when the 3rd is
        not one (the notice, 填报说明 1: 本表于月后3日内上报，遇节假日顺延)."""
        third = self.next.start.replace(day=3)
        return (calendar or Calendar()).next_working_day_on_or_after(third)

    def __str__(self):
        return self.label


@dataclass(frozen=True)
class Source:
    """A model the indicators count, with the page that lists its records."""

    key: str
    model_label: str
    noun: str
    select_related: tuple = ()

    @property
    def model(self):
        return apps.get_model(self.model_label)


UNITS = Source("units", "units.Unit", "见习单位", ("region",))
POSTS = Source("posts", "positions.Post", "见习岗位", ("unit", "region"))
PLACEMENTS = Source("placements", "trainees.Placement", "见习协议", ("trainee", "post", "unit", "region"))
DISBURSEMENTS = Source("disbursements", "subsidies.Disbursement", "补贴拨付", ("claim__unit", "region"))
SOURCES = (UNITS, POSTS, PLACEMENTS, DISBURSEMENTS)


@dataclass(frozen=True)
class Scan:
    """One grouped query of `selectors.annex2_rows`: the records of `source` that `where`
    selects, through the index named beside each scan below."""

    name: str
    source: Source
    where: Callable[[Period], Q] = field(repr=False)


@dataclass(frozen=True)
class Part:
    """Records of an indicator that one scan counts: the scan's rows that also meet `within`
    (None: all of them). An indicator's parts are disjoint and together are its records."""

    scan: Scan
    within: Callable[[Period], Q] | None = field(default=None, repr=False)

    def condition(self, period: Period) -> Q:
        where = self.scan.where(period)
        return where if self.within is None else where & self.within(period)


@dataclass(frozen=True)
class Indicator:
    number: int
    label: str
    source: Source
    parts: tuple[Part, ...] = field(repr=False)
    measure: str | None = None  # the field summed; None counts the records
    parent: int | None = None
    unit_label: str = "人"
    definition: str = ""

    def q(self, period: Period) -> Q:
        return reduce(or_, (part.condition(period) for part in self.parts))

    def aggregate(self, period: Period, part: Part | None = None):
        """The count (or the sum of `measure`) of the indicator's records, or of one part's. It
        counts `region_id` (never null), not `id`: every scan's index holds the region and none
        holds the id, which would send PostgreSQL to the table for each row."""
        if part is None:
            condition = self.q(period)
        else:
            # Within its scan's query the scan's own condition holds already: only `within` is left.
            condition = part.within(period) if part.within is not None else None
        if self.measure is None:
            return Count("region_id", filter=condition)
        return Sum(self.measure, filter=condition)

    @property
    def is_money(self) -> bool:
        return self.number == 14

    @property
    def title(self) -> str:
        return f"指标{self.number}“{self.label}”"

    def from_db(self, raw) -> int | Decimal:
        """The value the form shows for an aggregate result (None when no row matched)."""
        if self.is_money:
            return to_wan(raw or Decimal("0"))
        return int(raw or 0)


def to_wan(yuan: Decimal) -> Decimal:
    return (Decimal(yuan) / WAN).quantize(CENT, rounding=ROUND_HALF_UP)


def _in(period: Period, name: str) -> Q:
    return Q(**{f"{name}__gte": period.start, f"{name}__lte": period.end})


def _month(name: str) -> Callable[[Period], Q]:
    return lambda p: _in(p, name)


def _always(q: Q) -> Callable[[Period], Q]:
    return lambda p: q


# 1–2: units
def units_existing(p: Period) -> Q:
    return Q(first_approved_on__lte=p.end) & (Q(revoked_on__isnull=True) | Q(revoked_on__gte=p.end))


# 3–4: posts (slots)
def posts_open(p: Period) -> Q:
    # "Its unit not revoked on or before E" as NOT IN the few units revoked by then (read through
    # units_unit_revoked_idx), not a join with every unit: the posts are then counted from their
    # own index alone.
    revoked_by_end = UNITS.model.objects.filter(revoked_on__lte=p.end).values("pk")
    return (
        Q(first_approved_on__lte=p.end)
        & (Q(closed_on__isnull=True) | Q(closed_on__gt=p.end))
        & ~Q(unit_id__in=revoked_by_end)
    )


# 5–13: placements
COLLEGE = Q(category="college_graduate")
NOT_CANCELLED = ~Q(status="cancelled")
# A continuation at another unit after a unit's change is not a new person (DESIGN.md, Trainee
# categories): it is not planned or arrived again.
NEW_PERSON = Q(continues__isnull=True)
COMPLETED = Q(end__in=("completed", "early_retained"))
RETAINED = COMPLETED & (Q(end="early_retained") | Q(outcome="retained"))


def placements_never_ended(p: Period) -> Q:
    return Q(ended_on__isnull=True, started_on__lte=p.end)


def placements_ended_after(p: Period) -> Q:
    return Q(ended_on__gt=p.end, started_on__lte=p.end)


# 14: disbursements
def disbursed_this_year(p: Period) -> Q:
    return Q(paid_on__gte=p.year_start, paid_on__lte=p.end)


# The grouped queries, each with the index that serves it: its columns (with INCLUDE) hold
# everything the scan's aggregates read, so PostgreSQL answers from the index alone (see the
# models' Meta).
UNIT_SCAN = Scan("units", UNITS, units_existing)  # units_unit_approved_idx
POST_SCAN = Scan("posts", POSTS, posts_open)  # positions_post_approved_idx (+ units_unit_revoked_idx)
PLANNED = Scan("planned", PLACEMENTS, _month("planned_start"))  # trainees_pl_planned_idx
STARTED = Scan("started", PLACEMENTS, _month("started_on"))  # trainees_pl_started_idx
ENDED = Scan("ended", PLACEMENTS, _month("ended_on"))  # trainees_pl_ended_idx
NEVER_ENDED = Scan("never_ended", PLACEMENTS, placements_never_ended)  # trainees_pl_never_ended_idx
ENDED_AFTER = Scan("ended_after", PLACEMENTS, placements_ended_after)  # trainees_pl_ended_idx
PAID = Scan("disbursements", DISBURSEMENTS, disbursed_this_year)  # subsidies_disb_paid_idx
SCANS = (UNIT_SCAN, POST_SCAN, PLANNED, STARTED, ENDED, NEVER_ENDED, ENDED_AFTER, PAID)


def part(scan: Scan, within: Callable[[Period], Q] | None = None) -> tuple[Part]:
    """An indicator counted in one scan."""
    return (Part(scan, within),)


# 1: UNIT_SCAN; 2: of those, first approved within M.
UNITS_NEW = part(UNIT_SCAN, _month("first_approved_on"))
# 3: POST_SCAN; 4: of those, first approved within M.
POSTS_NEW = part(POST_SCAN, _month("first_approved_on"))
# 5: planned_start in M, or started_on in M (and planned_start not: counted once); never cancelled.
PLANNED_OR_STARTED = (
    Part(PLANNED, _always(NOT_CANCELLED & NEW_PERSON)),
    Part(STARTED, lambda p: ~_in(p, "planned_start") & NOT_CANCELLED & NEW_PERSON),
)
# 13: started on or before E and not ended on or before E: never ended, or ended after E.
ON_DUTY_AT_END = (Part(NEVER_ENDED), Part(ENDED_AFTER))

GRADUATES = "其中：离校2年内未就业高校毕业生人数"

# What each number counts, in the words shown beside its list of records.
DEFINITIONS = {
    1: "截至月末已审核通过（首次通过日期不晚于月末）、且未在月末之前撤销的见习单位",
    2: "上述单位中首次审核通过日期在本月内的",
    3: "截至月末已审核通过、月末仍开放（未在月末或之前关闭，所属单位未在月末或之前撤销）的岗位的岗位数之和",
    4: "上述岗位中首次审核通过日期在本月内的岗位的岗位数之和",
    5: "计划开始日期或实际到岗日期在本月内的见习协议（已取消的除外；单位变动后接续见习的协议不重复计人）",
    6: "实际到岗日期在本月内的见习协议（单位变动后接续见习的协议不重复计人）",
    7: "上述协议中人员类别为离校2年内未就业高校毕业生的",
    8: "结束日期在本月内、结束方式为期满或提前留用的见习协议",
    9: "上述协议中提前留用或期满后被见习单位留用的",
    10: "上述留用人员中人员类别为离校2年内未就业高校毕业生的",
    11: "指标8的协议中期满后以其他方式就业的",
    12: "结束日期在本月内、结束方式为非正常结束的见习协议",
    13: "到岗日期不晚于月末、且月末时尚未结束（没有结束日期或结束日期晚于月末）的见习协议",
    14: "拨付日期在本年1月1日至月末之间的补贴拨付金额之和（元），除以10000后四舍五入保留两位小数",
}

INDICATORS: tuple[Indicator, ...] = (
    Indicator(1, "本期实有见习单位数量", UNITS, part(UNIT_SCAN), unit_label="个", definition=DEFINITIONS[1]),
    Indicator(2, "其中：本期新增见习单位数量", UNITS, UNITS_NEW, parent=1, unit_label="个", definition=DEFINITIONS[2]),
    Indicator(
        3, "本期实有见习岗位数量", POSTS, part(POST_SCAN), measure="slots", unit_label="个", definition=DEFINITIONS[3]
    ),
    Indicator(
        4,
        "其中：本期新增见习岗位数量",
        POSTS,
        POSTS_NEW,
        measure="slots",
        parent=3,
        unit_label="个",
        definition=DEFINITIONS[4],
    ),
    Indicator(5, "本期计划组织见习人数", PLACEMENTS, PLANNED_OR_STARTED, definition=DEFINITIONS[5]),
    Indicator(6, "本期实际到岗人数", PLACEMENTS, part(STARTED, _always(NEW_PERSON)), definition=DEFINITIONS[6]),
    Indicator(
        7, GRADUATES, PLACEMENTS, part(STARTED, _always(COLLEGE & NEW_PERSON)), parent=6, definition=DEFINITIONS[7]
    ),
    Indicator(8, "本期完成见习人数", PLACEMENTS, part(ENDED, _always(COMPLETED)), definition=DEFINITIONS[8]),
    Indicator(9, "其中：留用人数", PLACEMENTS, part(ENDED, _always(RETAINED)), parent=8, definition=DEFINITIONS[9]),
    Indicator(
        10, GRADUATES, PLACEMENTS, part(ENDED, _always(RETAINED & COLLEGE)), parent=9, definition=DEFINITIONS[10]
    ),
    Indicator(
        11,
        "其他方式就业人数",
        PLACEMENTS,
        part(ENDED, _always(COMPLETED & Q(outcome="other_employment"))),
        parent=8,
        definition=DEFINITIONS[11],
    ),
    Indicator(
        12, "本期非正常结束见习人数", PLACEMENTS, part(ENDED, _always(Q(end="abnormal"))), definition=DEFINITIONS[12]
    ),
    Indicator(13, "本期末实有在岗见习人数", PLACEMENTS, ON_DUTY_AT_END, definition=DEFINITIONS[13]),
    Indicator(
        14,
        "本年累计各级财政实际拨付见习补贴资金数",
        DISBURSEMENTS,
        part(PAID),
        measure="amount",
        unit_label="万元",
        definition=DEFINITIONS[14],
    ),
)
BY_NUMBER = {i.number: i for i in INDICATORS}
NUMBERS = tuple(BY_NUMBER)


def indicator(number: int) -> Indicator:
    try:
        return BY_NUMBER[int(number)]
    except (KeyError, TypeError, ValueError):
        raise LookupError(f"没有指标{number}") from None
