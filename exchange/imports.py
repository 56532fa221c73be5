"""The register import pipeline: read a checked file, parse each row by its Resource's columns,
validate through the owning app's services, and either preview (dry run: nothing written) or import
every valid row in ONE transaction.

Two kinds of importer share the reading, error collection and reporting:

- `BatchImporter` (trainees): rows are parsed and validated without SQL by the app's pure
  validation functions, then matched to existing records with one query per batch and written
  with `bulk_create` / `bulk_update`: no SQL per row. A preview and a confirm run the same code;
  the confirm writes.
- `ServiceImporter` (units, posts, placements): each row calls the app's service (create or update,
  then the placement's events) inside a savepoint, because those rules need row locks (slots under
  the post's lock, one placement per trainee). The preview runs the very same services inside a
  transaction that is rolled back at the end, so it reports what the confirm will do.

Either way a row either imports completely or not at all, an invalid row is reported with its row
number, column and a Chinese message, and re-importing the same file changes nothing."""

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import import_module

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from exchange.columns import CellError, RegisterResource
from exchange.files import MAX_DATA_ROWS, MAX_UPLOAD_BYTES, FileRefused, check_headers, open_table
from jianxi_portal.core.audit import keeping_audits
from jianxi_portal.core.review import InvalidTransition

logger = logging.getLogger(__name__)

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
MAX_REPORTED_ERRORS = 5000


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ParsedRow:
    """One data row: its typed values, and every error found in it. A cell that could not be read
    (not one of the allowed values, not a date) is None in `data` and its column is in `unreadable`:
    the row's other columns are still checked by the services, and their word on that column (which
    would only repeat "required") is not added."""

    number: int
    data: dict
    errors: list[RowError] = field(default_factory=list)
    action: str = ""
    target: object = None
    unreadable: set = field(default_factory=set)

    def error(self, column: str, message: str) -> None:
        if column and column in self.unreadable:
            return
        self.errors.append(RowError(self.number, column, message))

    def cell_error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))
        self.unreadable.add(column)


@dataclass
class ImportReport:
    total: int = 0
    create: int = 0
    update: int = 0
    unchanged: int = 0
    invalid: int = 0
    errors: list[RowError] = field(default_factory=list)
    truncated: bool = False

    def count(self, row: ParsedRow) -> None:
        self.total += 1
        if row.errors:
            self.invalid += 1
            room = MAX_REPORTED_ERRORS - len(self.errors)
            self.errors.extend(row.errors[: max(room, 0)])
            self.truncated = self.truncated or room < len(row.errors)
        else:
            setattr(self, row.action, getattr(self, row.action) + 1)

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "create": self.create,
            "update": self.update,
            "unchanged": self.unchanged,
            "invalid": self.invalid,
            "errors": [e.as_dict() for e in self.errors],
            "truncated": self.truncated,
        }


class Importer(ABC):
    """One register's import. Subclasses set `register`, `title`, `resource` and implement the
    strategy; `error_columns` maps service error keys that are not model attributes to columns."""

    register = ""
    title = ""
    resource: type[RegisterResource]
    error_columns: dict[str, str] = {}
    batch_size = 1000
    notes: tuple[str, ...] = ()

    def may_import(self, user) -> bool:
        """City staff import their region's offline data (DESIGN: who uses it)."""
        return bool(user and user.is_authenticated and user.is_city and user.region_id)

    def ensure_may_import(self, user) -> None:
        if not self.may_import(user):
            raise PermissionDenied(f"只有市（州）经办人员可以导入{self.title}。")

    def template_notes(self) -> list[str]:
        key = self.resource.key_column
        return [
            "第一个工作表的第一行是表头，请勿修改或删除；从第二行起每行填写一条记录。",
            "表头为浅红色的列为必填项；选择类的列请填写“允许的值”中的一项。",
            f"按“{key}”匹配已有记录：已存在的更新，不存在的新增；同一文件重复导入不会产生重复数据。",
            "导入前会先预检：列出将新增、将更新的行数和每一条有误的行（行号、列、原因），确认后才写入。",
            "单元格中不能含有公式；以 =、+、-、@ 开头的内容会被拒绝。",
            f"支持 .xlsx 和 .csv（UTF-8 或 GBK 编码）；文件不超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB，"
            f"不超过 {MAX_DATA_ROWS} 行。",
            *self.notes,
        ]

    # reading -----------------------------------------------------------------------------------

    def rows(self, fileobj, on_total: Callable[[int], None] | None = None) -> Iterator[ParsedRow]:
        """Open and check the file now (FileRefused before any work), then parse rows lazily."""
        table = open_table(fileobj)
        positions = check_headers(table, expected=self.resource.headers(), required=self.resource.required_headers())
        if on_total is not None:
            on_total(table.estimated_rows)
        columns = [(c, positions.get(c.column_name)) for c in self.resource.columns()]
        return self._parse_rows(table, columns)

    def _parse_rows(self, table, columns) -> Iterator[ParsedRow]:
        seen_any = False
        for number, values in table.rows:
            seen_any = True
            row = ParsedRow(number, {})
            for column, index in columns:
                try:
                    row.data[column.attribute] = column.parse(values[index] if index is not None else None)
                except CellError as exc:
                    row.data[column.attribute] = None
                    row.cell_error(column.column_name, str(exc))
            yield row
        if not seen_any:
            raise FileRefused("表格中只有表头，没有数据行。请在表头下方逐行填写后上传。")

    def column_of(self, key: str) -> str:
        if key in self.error_columns:
            return self.error_columns[key]
        return self.resource.column_for(key)

    def add_validation_error(self, row: ParsedRow, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for key, errors in exc.error_dict.items():
                for message in (m for e in errors for m in e.messages):
                    row.error(self.column_of(key), message)
        else:
            for message in exc.messages:
                row.error("", message)

    def _check_duplicate(self, row: ParsedRow, first_seen: dict) -> None:
        key = self.key(row)
        if key in first_seen:
            row.error(self.resource.key_column, f"与第{first_seen[key]}行重复：同一条记录在文件中只能出现一次。")
        else:
            first_seen[key] = row.number

    def key(self, row: ParsedRow):
        """The row's matching key (in-file duplicates are refused), or None."""
        return None

    # running -----------------------------------------------------------------------------------

    def run(self, fileobj, *, by, dry_run: bool, progress: Callable[[int], None] | None = None) -> ImportReport:
        """Preview (`dry_run`) or import the file. Raises FileRefused for an unreadable file and
        PermissionDenied for a user who may not import."""
        self.ensure_may_import(by)
        report = ImportReport()
        rows = self.rows(fileobj, on_total=getattr(progress, "set_total", None))
        # A preview is rolled back; what its answers told the person stays audited (`audit_kept`).
        with keeping_audits(), transaction.atomic():
            self.process(rows, by=by, dry_run=dry_run, report=report, progress=progress)
            if dry_run:
                transaction.set_rollback(True)
        return report

    @abstractmethod
    def process(self, rows, *, by, dry_run, report, progress):
        """Validate and write (or only validate when `dry_run`) every row, counting each in `report`."""


def batched(rows: Iterator[ParsedRow], size: int) -> Iterator[list[ParsedRow]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class BatchImporter(Importer):
    """Validation without SQL per row, one existence query per batch, bulk writes.

    Subclasses implement `clean(row, by)` (per row, pure: calls the app's validators), `key(row)`
    (the matching key), `existing(keys, by)` (one query: key -> record), `plan(row, record, by)`
    (sets row.action, or an error) and `write(creates, updates, by)`."""

    def process(self, rows, *, by, dry_run, report, progress):
        first_seen: dict = {}
        for batch in batched(rows, self.batch_size):
            valid = []
            for row in batch:
                self.clean(row, by)  # every column's error, also beside an unreadable cell
                if not row.errors:
                    self._check_duplicate(row, first_seen)
                if not row.errors:
                    valid.append(row)
            records = self.existing({self.key(r) for r in valid}, by) if valid else {}
            for row in valid:
                self.plan(row, records.get(self.key(row)), by)
            if not dry_run:
                ok = [r for r in valid if not r.errors]
                self.write([r for r in ok if r.action == CREATE], [r for r in ok if r.action == UPDATE], by)
            for row in batch:
                report.count(row)
            if progress is not None:
                progress(report.total)

    @abstractmethod
    def clean(self, row: ParsedRow, by) -> None:
        """Check one row with the app's validators; record errors on the row, no SQL."""

    @abstractmethod
    def existing(self, keys: set, by) -> dict:
        """The records already stored for `keys`, in one query: key -> record."""

    @abstractmethod
    def plan(self, row: ParsedRow, record, by) -> None:
        """Set `row.action` (create or update) for a valid row, or record why it is refused."""

    @abstractmethod
    def write(self, creates: list[ParsedRow], updates: list[ParsedRow], by) -> None:
        """Store the planned rows in bulk."""


class ServiceImporter(Importer):
    """Each row through the app's services, in a savepoint: a refused row leaves nothing behind.

    Subclasses implement `import_row(row, by) -> action` calling the services (raising
    ValidationError / PermissionDenied to refuse) and may set `key(row)` for in-file duplicates."""

    def process(self, rows, *, by, dry_run, report, progress):
        first_seen: dict = {}
        for row in rows:
            if not row.errors and self.key(row) is not None:
                self._check_duplicate(row, first_seen)
            if not row.errors:
                self._import_one(row, by)
            elif row.unreadable:
                self._check_rest(row, by)
            report.count(row)
            if progress is not None and report.total % 100 == 0:
                progress(report.total)
        if progress is not None:
            progress(report.total)

    def _check_rest(self, row: ParsedRow, by) -> None:
        """A row with an unreadable cell: the services still check its other columns, in a
        savepoint always rolled back, so the preview names every error of the row at once. A
        service that cannot read the missing value at all (a TypeError, a lookup of None) adds
        nothing: the row is refused already."""
        try:
            with transaction.atomic():
                self.import_row(row, by)
                raise _Discard
        except _Discard:
            pass
        except ValidationError as exc:
            self.add_validation_error(row, exc)
        except (PermissionDenied, InvalidTransition, TypeError, ValueError, KeyError, AttributeError, LookupError):
            pass

    def _import_one(self, row: ParsedRow, by) -> None:
        try:
            with transaction.atomic():
                row.action = self.import_row(row, by)
        except ValidationError as exc:
            self.add_validation_error(row, exc)
        except PermissionDenied as exc:
            row.error("", str(exc) or "无权导入该记录。")
        except InvalidTransition as exc:
            row.error("", str(exc))

    @abstractmethod
    def import_row(self, row: ParsedRow, by) -> str:
        """Import one row through the app's services and return the action taken."""


class _Discard(Exception):
    """Rolls back the savepoint of a row checked only for its errors."""


REGISTRY: dict[str, Importer] = {}


def register(importer_class: type[Importer]) -> type[Importer]:
    REGISTRY[importer_class.register] = importer_class()
    return importer_class


def importer_for(name: str) -> Importer:
    load_registers()
    return REGISTRY[name]


def load_registers() -> None:
    """Import each app's resources module (they register their importers and exporters)."""
    for app in ("units", "positions", "trainees", "subsidies"):
        try:
            import_module(f"{app}.resources")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.resources":
                raise
