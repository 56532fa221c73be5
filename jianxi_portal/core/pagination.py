"""A paginator for long public lists that counts only as far as it needs.

`COUNT(*)` of a broad search at national scale reads every matching row (706,877 published posts
for the unfiltered list: ~500 ms), while the page itself reads 20 rows in index order. So the
count stops at a bound: the smallest of `CAPS` beyond the requested page (1,000 rows for pages
1–49, 10,000 up to page 499, …). When more rows match, `capped` is true, `count` is the bound and
the page says "超过 N 个" — a lower bound, never a made-up total; the next page always exists, and
any `?page=N` still works (a deeper page raises the bound). A list shorter than the bound gets
its exact count, as with Django's Paginator."""

from django.core.paginator import Paginator
from django.db import connections
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
