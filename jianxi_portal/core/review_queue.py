"""The review queue: every submitted item a reviewer must decide, from every reviewable kind
(units, posts, placement filings, claims), sorted by deadline with the working days left.

Each app registers its kind once (in its AppConfig.ready):

    review_queue.register(QueueSource(key="unit", label="见习单位", model=Unit,
                                      title=lambda u: u.name, url=lambda u: reverse(...)))

The queue page reads it a page at a time (`PendingQueue`): the numbers per kind and region come
from one grouped query (`queue_counts`), the sort across kinds is a UNION of the kinds' (deadline,
kind, pk) rows ordered and sliced in the database, and only the page's objects are loaded, one
query per kind on the page. Overdue and due soon are the same rules as `QueueItem.overdue` /
`.due_soon`, turned into two dates the database can compare (`due_bounds`)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import CharField, Count, F, Q, Value
from django.utils import timezone

from jianxi_portal.core.dates import local_today
from jianxi_portal.core.review import DECISIONS, InvalidTransition, ReviewStatus, review_transition
from jianxi_portal.core.workdays import Calendar, provisional_note

DUE_SOON_WORKING_DAYS = 3
# Days either side of today that the due bounds may look at: back to the last working day, ahead
# to the 4th working day (the longest run of days off, 春节 or 国庆 with their weekends, is about
# nine days). Loaded in one query, so the bounds cost the same on 31 December as in June.
DUE_BOUNDS_REACH = timedelta(days=31)


@dataclass(frozen=True)
class QueueSource:
    key: str
    label: str
    model: type
    title: Callable[[Any], str]
    url: Callable[[Any], str]
    select_related: tuple = ("region",)
    region: Callable[[Any], Any] = field(default=lambda obj: obj.region)
    # The same region as a field path, for the queue's filters and counts in the database.
    region_field: str = "region"
    # The app's own decision service, `decide(pk, *, action, by, opinion) -> obj`, when a decision
    # does more than the transition (publish a post, notify); None: `review_transition` alone.
    decide: Callable[..., Any] | None = None


@dataclass
class QueueItem:
    source: QueueSource
    obj: Any
    deadline: date | None
    days_left: int | None
    # Why the deadline is provisional (「暂定」: counted over a year without a complete arrangement).
    provisional: str = ""

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def due_soon(self) -> bool:
        return self.days_left is not None and 0 <= self.days_left <= DUE_SOON_WORKING_DAYS

    @property
    def title(self) -> str:
        return self.source.title(self.obj)

    @property
    def url(self) -> str:
        return self.source.url(self.obj)

    @property
    def region(self):
        return self.source.region(self.obj)


def queue_item(source: QueueSource, obj, calendar: Calendar, today: date) -> QueueItem:
    """`obj` awaiting review: its deadline, working days left and whether the deadline is provisional."""
    deadline = obj.review_deadline
    if deadline is None:
        return QueueItem(source, obj, None, None)
    submitted_on = timezone.localdate(obj.submitted_at) if obj.submitted_at else deadline
    return QueueItem(
        source,
        obj,
        deadline,
        calendar.working_days_between(today, deadline),
        provisional_note(calendar, submitted_on, deadline),
    )


SOURCES: dict[str, QueueSource] = {}


def register(source: QueueSource) -> None:
    SOURCES[source.key] = source


def get_source(key: str) -> QueueSource | None:
    return SOURCES.get(key)


def decide(source: QueueSource, pk: int, *, action: str, by, opinion: str = ""):
    """Approve, reject or return item `pk` of `source` through the app's service (or the plain
    workflow). The generic review pages call this; the service checks permission and state."""
    if action not in DECISIONS:
        raise InvalidTransition(f"未知审核操作：{action}")
    if source.decide is not None:
        return source.decide(pk, action=action, by=by, opinion=opinion)
    return review_transition(source.model, pk, action=action, by=by, opinion=opinion)


def submitted_scope(source: QueueSource, user):
    """The submitted items of `source` that `user` may see, unordered, nothing joined."""
    review_field = getattr(source.model, "review_field", "status")
    return source.model.objects.visible_to(user).filter(**{review_field: ReviewStatus.SUBMITTED}).order_by()


def submitted(source: QueueSource, user):
    return submitted_scope(source, user).select_related(*source.select_related).order_by("review_deadline", "pk")


# ---------------------------------------------------------------------------------------------
# The queue a page at a time


@dataclass(frozen=True)
class DueBounds:
    """`QueueItem.overdue` and `.due_soon` as dates: a deadline before `overdue_before` (the last
    working day on or before today) is overdue; one from it up to, not including, `soon_before`
    (the 4th working day after today) is due within DUE_SOON_WORKING_DAYS working days."""

    today: date
    overdue_before: date
    soon_before: date

    def overdue_q(self) -> Q:
        return Q(review_deadline__lt=self.overdue_before)

    def due_soon_q(self) -> Q:
        return Q(review_deadline__gte=self.overdue_before, review_deadline__lt=self.soon_before)


def due_bounds(today: date, calendar: Calendar) -> DueBounds:
    """The two dates for `today`. Working days left = working days in (today, deadline], negated
    when the deadline is past: it is below 0 exactly when a working day lies in (deadline, today],
    i.e. the deadline is before the last working day up to today; at most 3 exactly when the
    deadline is before the 4th working day after today."""
    calendar.cover(today - DUE_BOUNDS_REACH, today + DUE_BOUNDS_REACH)
    last_working = today
    while not calendar.is_working_day(last_working):
        last_working -= timedelta(days=1)
    return DueBounds(today, last_working, calendar.add_working_days(today, DUE_SOON_WORKING_DAYS + 1))


MEASURES = ("pending", "overdue", "due_soon")
# The queue page's deadline filter: parameter value -> (label, measure counted).
DUE_FILTERS = {"overdue": ("已逾期", "overdue"), "soon": ("3个工作日内到期", "due_soon")}


@dataclass(frozen=True)
class QueueFilter:
    """What the queue page narrows to. `region_id` narrows the user's scope, never widens it."""

    kinds: tuple[str, ...] = ()  # registered keys; empty: every kind
    region_id: int | None = None
    due: str = ""  # "", or a key of DUE_FILTERS

    @property
    def measure(self) -> str:
        return DUE_FILTERS[self.due][1] if self.due else "pending"

    def sources(self) -> list[QueueSource]:
        return [s for key, s in SOURCES.items() if not self.kinds or key in self.kinds]


@dataclass
class QueueCounts:
    """Pending, overdue and due-soon numbers per (kind, region id) of a user's queue."""

    cells: dict[tuple[str, int], dict[str, int]]

    def total(self, measure: str = "pending", *, kinds=(), region_id: int | None = None) -> int:
        return sum(
            cell[measure]
            for (kind, region), cell in self.cells.items()
            if (not kinds or kind in kinds) and (region_id is None or region == region_id)
        )

    def by_kind(self, measure: str = "pending", *, region_id: int | None = None) -> dict[str, int]:
        return {key: self.total(measure, kinds=(key,), region_id=region_id) for key in SOURCES}

    def by_region(self, measure: str = "pending", *, kinds=()) -> dict[int, int]:
        result: dict[int, int] = {}
        for (kind, region), cell in self.cells.items():
            if not kinds or kind in kinds:
                result[region] = result.get(region, 0) + cell[measure]
        return result


def queue_counts(user, bounds: DueBounds) -> QueueCounts:
    """Every registered kind's submitted items in `user`'s scope, counted per region: one query
    (a UNION of one grouped query per kind), whatever the number of items."""
    branches = [
        submitted_scope(source, user)
        .values(q_region=F(source.region_field))
        .annotate(
            q_kind=Value(source.key, output_field=CharField()),
            # Columns of the kinds' queue indexes (region, status, review_deadline) only, so the
            # counts can be read from the index without the rows (a dated filter implies a date).
            pending=Count("*"),
            overdue=Count("review_deadline", filter=bounds.overdue_q()),
            due_soon=Count("review_deadline", filter=bounds.due_soon_q()),
        )
        for source in SOURCES.values()
    ]
    cells = {}
    if branches:
        for row in _union(branches):
            cells[(row["q_kind"], row["q_region"])] = {m: row[m] for m in MEASURES}
    return QueueCounts(cells)


def queue_totals(user, *, today: date | None = None, calendar: Calendar | None = None) -> dict[str, int]:
    """Pending, overdue and due-soon totals of `user`'s queue (home cards, dashboards)."""
    counts = queue_counts(user, due_bounds(today or local_today(), calendar or Calendar()))
    return {m: counts.total(m) for m in MEASURES}


def _union(querysets):
    first, *rest = querysets
    return first.union(*rest, all=True) if rest else first


class PendingQueue:
    """`user`'s queue narrowed by `filters`, soonest deadline first (then kind, pk), as a sequence
    Django's Paginator can slice. Its length comes from `counts` (one grouped query); a slice is one
    UNION query of (deadline, kind, pk) ordered, offset and limited in the database, then one query
    per kind present on the slice for its objects with their related rows. Working days left are
    computed for the slice's items only."""

    def __init__(
        self, user, filters: QueueFilter = QueueFilter(), *, today: date | None = None, calendar: Calendar | None = None
    ):
        self.user, self.filters = user, filters
        self.calendar = calendar or Calendar()
        self.bounds = due_bounds(today or local_today(), self.calendar)

    @cached_property
    def counts(self) -> QueueCounts:
        return queue_counts(self.user, self.bounds)

    def count(self) -> int:
        f = self.filters
        return self.counts.total(f.measure, kinds=f.kinds, region_id=f.region_id)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[QueueItem]:
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("PendingQueue only supports slices")
        start, stop = index.start or 0, index.stop
        sources = self.filters.sources()
        if not sources or (stop is not None and stop <= start):
            return []
        if len(sources) == 1:
            keys = self._keys(sources[0])
        else:
            keys = _union([self._keys(s, stop if self._slice_branches else None) for s in sources])
        return self._items(list(keys.order_by(*self._order())[start:stop]))

    @staticmethod
    def _order():
        return F("q_deadline").asc(nulls_last=True), "q_kind", "q_pk"

    def _narrowed(self, source: QueueSource):
        qs = submitted_scope(source, self.user)
        if self.filters.region_id is not None:
            qs = qs.filter(**{source.region_field: self.filters.region_id})
        if self.filters.due == "overdue":
            qs = qs.filter(self.bounds.overdue_q())
        elif self.filters.due == "soon":
            qs = qs.filter(self.bounds.due_soon_q())
        return qs

    @property
    def _slice_branches(self) -> bool:
        # Where the database allows it (PostgreSQL), each kind contributes at most `stop` rows to
        # the UNION, read in deadline order from its queue index (region, status, review_deadline),
        # instead of every submitted row of the kind.
        return connection.features.supports_slicing_ordering_in_compound

    def _keys(self, source: QueueSource, stop: int | None = None):
        keys = self._narrowed(source).values(
            q_deadline=F("review_deadline"), q_kind=Value(source.key, output_field=CharField()), q_pk=F("pk")
        )
        if stop is not None:
            keys = keys.order_by(F("review_deadline").asc(nulls_last=True), "pk")[:stop]
        return keys

    def _items(self, rows) -> list[QueueItem]:
        wanted: dict[str, list[int]] = {}
        for row in rows:
            wanted.setdefault(row["q_kind"], []).append(row["q_pk"])
        objects = {}
        for key, pks in wanted.items():
            source = SOURCES[key]
            for obj in self._narrowed(source).filter(pk__in=pks).select_related(*source.select_related):
                objects[(key, obj.pk)] = obj
        items = []
        for row in rows:
            obj = objects.get((row["q_kind"], row["q_pk"]))
            if obj is None:  # decided between the two queries
                continue
            items.append(queue_item(SOURCES[row["q_kind"]], obj, self.calendar, self.bounds.today))
        return items
