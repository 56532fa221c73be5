"""Register exports (.xlsx): the rows a person may see (`Model.objects.visible_to(user)`), narrowed by
the list page's filters, streamed from `values_list().iterator()` into XlsxWriter's constant-memory
mode. Choice codes become their Chinese labels; text cells are neutralised against formula
injection (see `xlsx.py`). Small exports are answered directly; large ones run as jobs."""

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import QueryDict

from jianxi_portal.exchange.columns import RegisterResource
from jianxi_portal.exchange.xlsx import write_rows

DIRECT_LIMIT = 5000  # rows: above this the export runs as a background job
ITERATOR_CHUNK = 2000


class Exporter(ABC):
    """One register's export. Subclasses set `register`, `title`, `resource` and `fields` (the
    values_list paths, one per exported column of the resource, in its order), and implement
    `base_queryset(user)` and `filter(qs, params)` with the list page's filters."""

    register = ""
    title = ""
    resource: type[RegisterResource]

    def may_export(self, user) -> bool:
        return bool(user and user.is_authenticated and not user.is_youth)

    def ensure_may_export(self, user) -> None:
        if not self.may_export(user):
            raise PermissionDenied(f"您没有导出{self.title}的权限。")

    @abstractmethod
    def base_queryset(self, user) -> QuerySet:
        """The rows `user` may export: the register's `visible_to(user)`."""

    def filter(self, qs: QuerySet, params: QueryDict) -> QuerySet:
        return qs

    def queryset(self, user, params) -> QuerySet:
        return self.filter(self.base_queryset(user), as_querydict(params))

    def columns(self):
        return [c for c in self.resource.columns() if c.export]

    def value_paths(self) -> list[str]:
        return [c.attribute for c in self.columns()]

    def rows(self, qs: QuerySet, user, stats: dict) -> Iterator[tuple]:
        """Rows as tuples in column order, choice codes as labels; `stats` collects what
        `after_export` needs to record (one dict per export: exporters are shared instances)."""
        columns = self.columns()
        labels = [dict((v, str(lbl)) for v, lbl in c.choices) if c.choices else None for c in columns]
        converters = [(i, m) for i, m in enumerate(labels) if m is not None]
        for values in qs.values_list(*self.value_paths()).iterator(chunk_size=ITERATOR_CHUNK):
            if converters:
                values = list(values)
                for i, mapping in converters:
                    values[i] = mapping.get(values[i], values[i])
            yield values

    def after_export(self, user, count: int, params, stats: dict) -> None:
        """Every export is audited: the register, the row count and what `rows` recorded in `stats`
        (e.g. how many full ID numbers were shown). Never the filters: a search may be an ID number."""
        from jianxi_portal.audit import audit

        audit("exchange.export", user=user, detail={"register": self.register, "rows": count, **stats})

    def write(self, path, *, user, params, progress: Callable[[int], None] | None = None) -> int:
        self.ensure_may_export(user)
        qs = self.queryset(user, params)
        stats: dict = {}
        count = write_rows(
            path, sheet_name=self.title, columns=[c.spec for c in self.columns()], rows=self.rows(qs, user, stats),
            progress=progress,
        )
        self.after_export(user, count, params, stats)
        return count

    def filename(self) -> str:
        from django.utils import timezone

        return f"{self.title}-{timezone.localdate():%Y%m%d}.xlsx"


def as_querydict(params) -> QueryDict:
    """Filters from a request (a QueryDict) or from a job's JSON params, as a QueryDict."""
    if isinstance(params, QueryDict):
        return params
    qd = QueryDict(mutable=True)
    for key, value in (params or {}).items():
        if isinstance(value, list):
            qd.setlist(key, [str(v) for v in value])
        else:
            qd[key] = str(value)
    return qd


def params_of(querydict: QueryDict) -> dict:
    """The filters of a request as JSON-able data for a job."""
    return {key: querydict.getlist(key) for key in querydict if key not in ("page", "format")}


EXPORTERS: dict[str, Exporter] = {}


def register(exporter_class: type[Exporter]) -> type[Exporter]:
    EXPORTERS[exporter_class.register] = exporter_class()
    return exporter_class


def exporter_for(name: str) -> Exporter:
    from jianxi_portal.exchange.imports import load_registers

    load_registers()
    return EXPORTERS[name]
