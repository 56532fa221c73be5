"""A paginator for long public lists that counts only as far as it needs.

`COUNT(*)` of a broad search at national scale reads every matching row (706,877 published posts
for the unfiltered list: ~500 ms), while the page itself reads 20 rows in index order. So the
count stops at a bound: the smallest of `CAPS` beyond the requested page (1,000 rows for pages
1–49, 10,000 up to page 499, …). When more rows match, `capped` is true, `count` is the bound and
the page says "超过 N 个" — a lower bound, never a made-up total; the next page always exists, and
any `?page=N` still works (a deeper page raises the bound). A list shorter than the bound gets
its exact count, as with Django's Paginator."""

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Q
from django.utils.functional import cached_property

CAPS = (1_000, 10_000, 100_000, 1_000_000)


def count_serially(queryset) -> int:
    """`queryset.count()` without parallel workers on PostgreSQL. A capped count reads at most a few
    thousand rows: starting two parallel workers for it costs more than they save on the two
    cores of a city's server (bench/README.md: 60 ms with them, 20 ms without). Set for this one
    statement and reset, on the connection the count runs on (the replica's, when it is used)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return queryset.count()
    with connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 0")
        try:
            return queryset.count()
        finally:
            cursor.execute("RESET max_parallel_workers_per_gather")


class CappedPaginator(Paginator):
    caps = CAPS
    # Deeper than this many rows a page is read in two steps (`_rows`); above it one query is
    # cheaper (the second step re-applies the search's filters: ~10 ms at national scale).
    two_step_from = 500

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.wanted = 1

    def get_page(self, number):
        self._want(number)
        return super().get_page(number)

    def page(self, number):
        self._want(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self._rows(bottom, top), number, self)

    def _rows(self, bottom: int, top: int):
        """A deep page's rows in two steps: first their ids, ordered and sliced (narrow rows: an
        index walk, or a sort that fits in memory), then those rows with their related objects.
        In one step the OFFSET rows carry every joined column into the sort (page 200 of the
        province's 7,612 posts sorted 4 MB on disk: 47 ms, against 23 ms in two steps)."""
        qs = self.object_list
        if bottom < self.two_step_from or not hasattr(qs, "values_list"):
            return qs[bottom:top]
        ids = list(qs.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in qs.filter(pk__in=ids)}
        return [rows[pk] for pk in ids if pk in rows]

    def _want(self, number) -> None:
        """Remember how deep the request goes, before anything reads the count, so the count
        reaches past it. A count already taken that stopped short of the new bound is taken again
        (DRF's page=last reads num_pages before asking for the page). The page's own links
        (`next_page_number`…) go through `validate_number` and change nothing."""
        try:
            self.wanted = max(1, int(number))
        except (TypeError, ValueError):
            self.wanted = 1
        if "count" in self.__dict__ and self._capped and (self.bound or float("inf")) > self._bound_used:
            del self.__dict__["count"]
            self.__dict__.pop("num_pages", None)

    @property
    def bound(self) -> int | None:
        """Rows counted at most: the smallest cap beyond the requested page's last row (None:
        deeper than every cap, count them all)."""
        reach = self.wanted * self.per_page
        return next((cap for cap in self.caps if cap > reach), None)

    @cached_property
    def count(self) -> int:
        bound = self._bound_used = self.bound
        if bound is None or not hasattr(self.object_list, "query"):
            self._capped = False
            return super().count
        # The order does not change how many rows there are; without it PostgreSQL may stop at
        # `bound + 1` rows of whichever index is cheapest.
        found = count_serially(self.object_list.order_by()[: bound + 1])
        self._capped = found > bound
        return min(found, bound)

    @property
    def capped(self) -> bool:
        """Whether more rows match than `count` says."""
        return self.count is not None and self._capped


# ---------------------------------------------------------------------------------------------
# Keyset pages ("下一页" by the last row's sort key, not by OFFSET)

PUBLIC_COUNT_BOUND = 1_000
MAX_PAGE = 1_000_000  # a cursor's page number is shown, never computed with


class BadCursor(ValueError):
    """A cursor this list did not write (or wrote for another order)."""


def _keys(queryset) -> list[tuple[str, bool, bool | None]]:
    """(field name, descending, nulls last?) per term of the queryset's order. Keys without an
    explicit NULL placement must not be NULL (they are ordered where databases disagree)."""
    keys = []
    for term in queryset.query.order_by:
        if isinstance(term, str):
            keys.append((term.lstrip("-"), term.startswith("-"), None))
            continue
        name = getattr(term.expression, "name", None)
        if name is None:
            raise ValueError(f"keyset pages need plain fields in the order, not {term!r}")
        nulls_last = True if term.nulls_last else (False if term.nulls_first else None)
        keys.append((name, term.descending, nulls_last))
    if not keys or keys[-1][0] not in ("id", "pk"):
        raise ValueError("keyset pages need the primary key as the last term of the order")
    return keys


def encode_cursor(tag: str, values: list, number: int) -> str:
    """An opaque cursor: the sort's tag, the last row's key values, the next page's number."""
    cells = [v.isoformat() if isinstance(v, date) else (str(v) if isinstance(v, Decimal) else v) for v in values]
    raw = json.dumps([tag, cells, number], separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, list, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        tag, cells, number = json.loads(raw)
    except (ValueError, TypeError, binascii.Error) as exc:
        raise BadCursor(cursor) from exc
    if not (isinstance(tag, str) and isinstance(cells, list) and type(number) is int and 1 <= number <= MAX_PAGE):
        raise BadCursor(cursor)
    return tag, cells, number


def after_q(model, keys, cells) -> Q:
    """Rows after the row whose key values are `cells`, in the order `keys`: the lexicographic
    "(k1, k2, …, id) after (v1, v2, …, vid)" as OR of "equal on the first i keys and after on the
    next", plus "k1 at or after v1" alone, which an index on the order reads as a range (the OR
    alone would be a filter over every row before the cursor)."""
    if len(cells) != len(keys):
        raise BadCursor("keys")
    values = []
    for (name, _, _), cell in zip(keys, cells, strict=True):
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        if not (cell is None or isinstance(cell, str | int) and not isinstance(cell, bool)):
            raise BadCursor(name)
        try:
            value = None if cell is None else field.to_python(cell)
            if value is not None:  # the column's own bounds (a bigint, max_digits): never a database error
                field.run_validators(value)
        except (ValidationError, TypeError, ValueError) as exc:
            raise BadCursor(name) from exc
        values.append(value)

    # Strictly after on one key; equal on it.
    def beyond(name, descending, nulls_last, value) -> Q | None:
        if value is None:  # NULLs sort last (asc NULLS LAST) or, for NULLS FIRST, before any value
            return None if nulls_last is not False else Q(**{f"{name}__isnull": False})
        q = Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
        return q | Q(**{f"{name}__isnull": True}) if nulls_last else q

    def same(name, value) -> Q:
        return Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})

    result, prefix = Q(pk__in=[]), Q()
    for (name, descending, nulls_last), value in zip(keys, values, strict=True):
        if value is None and nulls_last is None:
            raise BadCursor(name)
        step = beyond(name, descending, nulls_last, value)
        if step is not None:
            result |= prefix & step
        prefix &= same(name, value)
    name, descending, nulls_last = keys[0]
    first = values[0]
    if first is not None and not nulls_last:
        result &= Q(**{f"{name}__{'lte' if descending else 'gte'}": first})
    elif first is not None:
        result &= Q(**{f"{name}__{'lte' if descending else 'gte'}": first}) | Q(**{f"{name}__isnull": True})
    return result


# How long "more than `bound` rows match" is remembered for one list (its filters, whatever the
# sort or page): following 下一页 through a broad list, or the same search by many people, counts it
# once. Only the capped answer is kept — a list that large stays larger than the bound for minutes;
# an exact small count is taken every time, so it is never stale.
CAPPED_TTL = 120


def _count_cache_key(qs, bound: int, key) -> str:
    if key is None:
        key = qs.query.sql_with_params()
    return "capped-count:" + hashlib.sha256(repr((qs.db, key, bound)).encode()).hexdigest()


def remembered_capped(queryset, bound: int, *, key=None) -> bool:
    """Whether `count_bounded` found more than `bound` rows for this list in the last `CAPPED_TTL`
    seconds — a cache lookup, never a count (False when the cache does not answer)."""
    qs = queryset.order_by().select_related(None)
    try:
        return bool(cache.get(_count_cache_key(qs, bound, key)))
    except Exception:  # the cache is an optimisation
        return False


def count_bounded(queryset, bound: int, *, key=None) -> tuple[int, bool]:
    """(rows, more?): the queryset's rows counted up to `bound`, serially, without its joins for
    display (select_related) and order; `more` when more match. "More" is remembered in the cache
    for `CAPPED_TTL` seconds (a cache that does not answer only means counting again), under `key`
    (what the list's rows depend on, e.g. its filters and the day) or else its SQL."""
    qs = queryset.order_by().select_related(None)
    key = _count_cache_key(qs, bound, key)
    try:
        if cache.get(key):
            return bound, True
    except Exception:  # the cache is an optimisation: an unreachable one means counting
        key = None
    found = count_serially(qs[: bound + 1])
    if found > bound and key:
        try:
            cache.set(key, True, CAPPED_TTL)
        except Exception:  # as above
            pass
    return min(found, bound), found > bound


@dataclass
class KeysetPage:
    """One page of a keyset list: its rows, its number (carried in the cursor), the number of rows
    before it, whether another page follows and the cursor to it; the list's count up to `bound`
    (`count`, `capped`) and, when not capped, the number of pages."""

    rows: list
    number: int
    start: int
    next_cursor: str | None
    has_next: bool
    count: int | None  # None: not counted (`KeysetPaginator.page(count=False)`), the total comes later
    capped: bool
    per_page: int

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    @property
    def end(self) -> int:
        return self.start + len(self.rows)

    @property
    def num_pages(self) -> int | None:
        return None if self.capped or self.count is None else max(1, -(-self.count // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_number(self) -> int:
        return self.number - 1


class KeysetPaginator:
    """Pages of a long public list read by the last row's sort key (`?after=<cursor>`) instead of
    an OFFSET: page 200 costs what page 1 costs, and the order is stable and unique (the primary
    key ends every order). The cursor is opaque to people (base64 of the sort's tag, the last
    row's key values and the page's number) and tied to the sort: a cursor of another sort, or one
    the list did not write, is refused (`BadCursor`). An old link `?page=N` is answered with the
    same rows as before (an OFFSET, read in two steps: `CappedPaginator._rows`), and its next page
    is a cursor again.

    The count stops at `bound` whatever the page (a keyset page needs no count to be read):
    "超过 1000 个" — a lower bound, never a made-up total — one serial `COUNT(*)` of at most
    `bound + 1` rows (`count_bounded`: a capped answer is remembered for a while), skipped when
    the first page already holds every row. The planner's estimate was tried instead and
    rejected: for the word search it is 3–6× below the true count at national scale (the `LIKE`
    and the bigram test are taken as independent), so "约 N 个" would mislead."""

    def __init__(self, queryset, per_page: int, *, tag: str = "", bound: int | None = None, count_key=None):
        self.queryset, self.per_page, self.tag, self.count_key = queryset, per_page, tag, count_key
        self.bound = bound or PUBLIC_COUNT_BOUND
        self.keys = _keys(queryset)

    def page(self, *, after: str = "", number: int | None = None, count: bool = True) -> KeysetPage:
        """The page after the cursor `after`, or page `number` of an old link. With `count=False`
        the page runs no count: its total is what the rows show (a first page holding every row),
        or the remembered "more than `bound`", or unknown (`count` None) — 下一页 is decided by
        reading one row more than the page, not by the count."""
        if after:
            tag, cells, number = decode_cursor(after)
            if tag != self.tag:
                raise BadCursor(tag)
            start = (number - 1) * self.per_page
            rows = list(self.queryset.filter(after_q(self.queryset.model, self.keys, cells))[: self.per_page + 1])
        else:
            number = max(1, number or 1)
            start = (number - 1) * self.per_page
            offset = CappedPaginator(self.queryset, self.per_page)
            rows = list(offset._rows(start, start + self.per_page + 1))
        has_next = len(rows) > self.per_page
        rows = rows[: self.per_page]
        if number == 1 and not after and not has_next:
            total, capped = len(rows), False
        elif count:
            total, capped = count_bounded(self.queryset, self.bound, key=self.count_key)
        elif remembered_capped(self.queryset, self.bound, key=self.count_key):
            total, capped = self.bound, True
        else:
            total, capped = None, False
        next_cursor = self._cursor(rows[-1], number + 1) if has_next else None
        return KeysetPage(
            rows=rows,
            number=number,
            start=start,
            next_cursor=next_cursor,
            has_next=has_next,
            count=total,
            capped=capped,
            per_page=self.per_page,
        )

    def count(self) -> tuple[int, bool]:
        """(rows up to `bound`, more?) of the whole list, as `count_bounded` takes it (a capped
        answer remembered): what a page without its count fills in later."""
        return count_bounded(self.queryset, self.bound, key=self.count_key)

    def _cursor(self, row, number: int) -> str | None:
        values = [
            getattr(row, "pk" if name == "pk" else self.queryset.model._meta.get_field(name).attname)
            for name, _, _ in self.keys
        ]
        if any(v is None for (_, _, nulls_last), v in zip(self.keys, values, strict=True) if nulls_last is None):
            return None  # a key the order cannot place: the page's next link falls back to ?page=N
        return encode_cursor(self.tag, values, number)
