"""Register exports (.xlsx): the rows a person may see (`Model.objects.visible_to(user)`), narrowed by
the list page's filters, streamed from `values_list().iterator()` into XlsxWriter's constant-memory
mode. Choice codes become their Chinese labels; text cells are neutralised against formula
injection (see `xlsx.py`). Small exports are answered directly; large ones run as jobs."""

import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from exchange.columns import RegisterResource
from exchange.imports import load_registers
from exchange.xlsx import write_rows
from jianxi_portal.core import crypto, personal
from jianxi_portal.core.audit import audit
from jianxi_portal.core.query import InvalidQuery, QueryForm

DIRECT_LIMIT = 5000  # rows: above this the export runs as a background job
ITERATOR_CHUNK = 2000
# The lists' free-text search may be an ID number or a phone: a job row keeps it encrypted.
SEARCH, SEALED = "q", "q_sealed"


class Exporter(ABC):
    """One register's export. Subclasses set `register`, `title`, `resource`, `query_class` (the
    list page's own query form, `jianxi_portal.core.query`) and implement `base_queryset(user)` and
    `filter(qs, filters)` with the list page's filters as that form cleaned them."""

    register = ""
    title = ""
    resource: type[RegisterResource]
    query_class: type[QueryForm] = QueryForm
    query_kwargs: dict = {}

    def may_export(self, user) -> bool:
        return bool(user and user.is_authenticated and not user.is_youth)

    def ensure_may_export(self, user) -> None:
        if not self.may_export(user):
            raise PermissionDenied(f"您没有导出{self.title}的权限。")

    @abstractmethod
    def base_queryset(self, user) -> QuerySet:
        """The rows `user` may export: the register's `visible_to(user)`."""

    def filters(self, params) -> dict:
        """The list's filters read by the list's own form; a query it cannot read is `InvalidQuery`
        (400 from the export button, before any job is queued)."""
        form = self.query_class(as_querydict(params), **self.query_kwargs)
        if not form.is_valid():
            raise InvalidQuery(form)
        return form.cleaned_data

    def filter(self, qs: QuerySet, filters: dict) -> QuerySet:
        return qs

    def queryset(self, user, params) -> QuerySet:
        return self.filter(self.base_queryset(user), self.filters(params))

    def columns(self):
        return [c for c in self.resource.columns() if c.export]

    def value_paths(self) -> list[str]:
        """One path per column; a personal column reads its masked copy."""
        return [f"{c.attribute}_masked" if c.personal else c.attribute for c in self.columns()]

    def personal_columns(self, model) -> list["PersonalColumn"]:
        return [PersonalColumn.of(i, c.attribute, model) for i, c in enumerate(self.columns()) if c.personal]

    def rows(self, qs: QuerySet, user, stats: dict) -> Iterator[tuple]:
        """Rows as tuples in column order, choice codes as labels, personal values as the user may
        see them (`jianxi_portal.core.personal`: full for the rule's holders, counted in `stats` as
        `full_<kind>s`; masked for everyone else); `stats` collects what `after_export` needs to
        record (one dict per export: exporters are shared instances)."""
        columns = self.columns()
        width = len(columns)
        labels = [dict((v, str(lbl)) for v, lbl in c.choices) if c.choices else None for c in columns]
        converters = [(i, m) for i, m in enumerate(labels) if m is not None]
        secrets = self.personal_columns(qs.model)
        for column in secrets:
            stats.setdefault(column.stat, 0)
        extra = [path for column in secrets for path in column.paths]
        for values in qs.values_list(*self.value_paths(), *extra).iterator(chunk_size=ITERATOR_CHUNK):
            if converters or secrets:
                values, more = list(values[:width]), values[width:]
                for i, mapping in converters:
                    values[i] = mapping.get(values[i], values[i])
                for column in secrets:
                    more = column.reveal(values, more, user, stats)
            yield values

    def after_export(self, user, count: int, params, stats: dict) -> None:
        """Every export is audited: the register, the row count and what `rows` recorded in `stats`
        (e.g. how many full ID numbers were shown). Never the filters: a search may be an ID number."""
        audit("exchange.export", user=user, detail={"register": self.register, "rows": count, **stats})

    def write(self, path, *, user, params, progress: Callable[[int], None] | None = None) -> int:
        self.ensure_may_export(user)
        qs = self.queryset(user, params)
        stats: dict = {}
        count = write_rows(
            path,
            sheet_name=self.title,
            columns=[c.spec for c in self.columns()],
            rows=self.rows(qs, user, stats),
            progress=progress,
        )
        self.after_export(user, count, params, stats)
        return count

    def filename(self) -> str:
        return f"{self.title}-{timezone.localdate():%Y%m%d}.xlsx"


@dataclass
class PersonalColumn:
    """An export column of an encrypted value: where it sits, and the extra values each row reads
    for it (the ciphertext, then what the field's rule looks at)."""

    index: int
    name: str
    model: type
    prefix: str
    rule: personal.Rule
    stat: str

    @classmethod
    def of(cls, index: int, attribute: str, model) -> "PersonalColumn":
        prefix, _, name = attribute.rpartition("__")
        for part in filter(None, prefix.split("__")):
            model = model._meta.get_field(part).related_model
        kind = personal.field_of(model, name).kind
        return cls(
            index, name, model, f"{prefix}__" if prefix else "", personal.rule_of(model, name), f"full_{kind.name}s"
        )

    @property
    def paths(self) -> list[str]:
        return [f"{self.prefix}{self.name}_cipher", *(f"{self.prefix}{need}" for need in self.rule.needs)]

    def reveal(self, values: list, more: tuple, user, stats: dict) -> tuple:
        """Put the full value into `values` when the rule lets `user` see it; return the rest."""
        size = 1 + len(self.rule.needs)
        mine, rest = more[:size], more[size:]
        probe = self.model(**dict(zip(self.rule.needs, mine[1:], strict=True)))
        if mine[0] and personal.may_see(user, probe, self.name):
            values[self.index] = crypto.decrypt(mine[0])
            stats[self.stat] += 1
        return rest


def as_querydict(params) -> QueryDict:
    """Filters from a request (a QueryDict) or from a job's JSON params, as a QueryDict."""
    if isinstance(params, QueryDict):
        return params
    params = dict(params or {})
    if SEALED in params:
        params[SEARCH] = json.loads(crypto.decrypt(params.pop(SEALED)))
    qd = QueryDict(mutable=True)
    for key, value in params.items():
        if isinstance(value, list):
            qd.setlist(key, [str(v) for v in value])
        else:
            qd[key] = str(value)
    return qd


def params_of(querydict: QueryDict) -> dict:
    """The filters of a request as JSON-able data for a job, the free-text search sealed."""
    filters = {key: querydict.getlist(key) for key in querydict if key not in ("page", "format", SEALED)}
    if SEARCH in filters:
        filters[SEALED] = crypto.encrypt(json.dumps(filters.pop(SEARCH), ensure_ascii=False))
    return filters


EXPORTERS: dict[str, Exporter] = {}


def register(exporter_class: type[Exporter]) -> type[Exporter]:
    EXPORTERS[exporter_class.register] = exporter_class()
    return exporter_class


def exporter_for(name: str) -> Exporter:
    load_registers()
    return EXPORTERS[name]
