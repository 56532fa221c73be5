"""What the registers standing on units add to a unit's pages (ARCHITECTURE.md: Arrows that must
turn around). Units shows a unit and knows nothing of posts; positions registers, in its
`AppConfig.ready`, the unit's posts on the unit's own page and public page, and the count of open
posts in the public directory. Sections and columns are shown in the order they were registered.

- `Section(template, context)`: `context(request, unit)` returns the dict the template reads as
  `section` (it also sees the page's own context: `unit`, `user`, …).
- `Column(label, values)`: `values(unit_ids)` returns {unit id: value} for one page of the
  directory (one query for the page); units without a value show `default`."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

DETAIL, PUBLIC = "detail", "public"


@dataclass(frozen=True)
class Section:
    template: str
    context: Callable[[Any, Any], dict]


@dataclass(frozen=True)
class Column:
    label: str
    values: Callable[[list[int]], dict[int, Any]]
    default: Any = 0


_sections: dict[str, list[Section]] = {DETAIL: [], PUBLIC: []}
_columns: list[Column] = []


def add_section(page: str, section: Section) -> None:
    if section not in _sections[page]:
        _sections[page].append(section)


def add_directory_column(column: Column) -> None:
    if column not in _columns:
        _columns.append(column)


def sections_for(page: str, request, unit) -> list[dict]:
    """The registered sections of `page` for `unit`: each its template and its context."""
    return [{"template": s.template, **s.context(request, unit)} for s in _sections[page]]


def directory_columns(units: Iterable) -> list[str]:
    """The labels of the directory's registered columns; each unit of the page gets `extra_columns`,
    its values in the same order."""
    units = list(units)
    ids = [unit.pk for unit in units]
    found = [(column, column.values(ids)) for column in _columns]
    for unit in units:
        unit.extra_columns = [values.get(unit.pk, column.default) for column, values in found]
    return [column.label for column in _columns]
