"""A year's holiday arrangement entered in one go (DESIGN.md, Review workflow).

The State Council's notice lists, per festival, the days off as one date range and the adjusted
working weekends (调休上班), e.g. 「春节：2月5日至11日放假调休，共7天。2月14日（星期日）上班」. An admin
types those rows into one form, or uploads one file with the same columns (`COLUMNS`), previews
the calendar that results, saves it — the year's entered dates replaced, every stored deadline the
change touches recomputed in the same transaction (`deadlines.calendar_change`) — and marks the
year complete; until then the admin pages warn and deadlines over the year are provisional.

Bad input (a malformed date, a range ending before it starts, a date outside the year, festivals
overlapping, a working day inside a holiday or on a weekday) is refused as a whole: every problem
is listed with its row, and nothing is saved."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jianxi_portal.core.audit import audit
from jianxi_portal.core.deadlines import CalendarChange, calendar_change
from jianxi_portal.core.models import CalendarOverride, CalendarYear, User
from jianxi_portal.core.services import ensure_admin
from jianxi_portal.core.workdays import Calendar, package_covers, statutory_holidays

COLUMNS = ("节日", "放假开始", "放假结束", "调休上班")
FIELDS = ("name", "start", "end", "workdays")
# The festivals of 全国年节及纪念日放假办法, in the notice's order, with the names `holidays` gives them.
FESTIVALS = (
    ("元旦", {"元旦"}),
    ("春节", {"农历除夕", "春节"}),
    ("清明节", {"清明节"}),
    ("劳动节", {"劳动节"}),
    ("端午节", {"端午节"}),
    ("中秋节", {"中秋节"}),
    ("国庆节", {"国庆节"}),
)
WEEKDAYS = "一二三四五六日"
MAX_ROWS = 20
_FULL = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_REMARK = re.compile(r"[（(][^）)]*[）)]")  # 「（星期日）」 after a date in the notice
_LIST_SEPARATORS = re.compile(r"[、,，;；\s]+")


@dataclass(frozen=True)
class Festival:
    """One row: a festival's days off (start..end, both included) and its adjusted working days."""

    row: int
    name: str
    start: date
    end: date
    workdays: tuple[date, ...] = ()

    def days(self) -> list[date]:
        return [self.start + timedelta(days=k) for k in range((self.end - self.start).days + 1)]


@dataclass
class Arrangement:
    year: int
    festivals: list[Festival]
    document: str = ""

    def holidays(self) -> dict[date, str]:
        return {day: f.name for f in self.festivals for day in f.days()}

    def workdays(self) -> dict[date, str]:
        return {day: f"{f.name}调休上班" for f in self.festivals for day in f.workdays}

    def overrides(self) -> dict[date, tuple[str, str]]:
        """date → (CalendarOverride kind, note): what saving the arrangement stores."""
        entries = {d: (CalendarOverride.Kind.HOLIDAY, n) for d, n in self.holidays().items()}
        entries.update({d: (CalendarOverride.Kind.WORKDAY, n) for d, n in self.workdays().items()})
        return entries


def weekday_label(day: date) -> str:
    return f"星期{WEEKDAYS[day.weekday()]}"


def parse_day(value, year: int) -> date | None:
    """A date as the notice or a spreadsheet writes it: 2027-02-05, 2027/2/5, 2027年2月5日, or 2月5日
    (in `year`), with or without 「（星期五）」; a date or datetime cell as it is. None: not a date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _REMARK.sub("", str(value or "")).strip()
    full, short = _FULL.match(text), _MONTH_DAY.match(text)
    try:
        if full:
            return date(int(full[1]), int(full[2]), int(full[3]))
        if short:
            return date(year, int(short[1]), int(short[2]))
    except ValueError:
        return None
    return None


def cell_text(value) -> str:
    """A form or file cell as text (a date cell as YYYY-MM-DD)."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value or "").strip()


class _Rows:
    """Collects every problem of the rows before refusing them together."""

    def __init__(self, year: int):
        self.year, self.errors = year, []

    def error(self, row: int, name: str, message: str) -> None:
        label = f"第{row}行" + (f"（{name}）" if name else "")
        self.errors.append(f"{label}：{message}")

    def day(self, row: int, name: str, column: str, value) -> date | None:
        day = parse_day(value, self.year)
        if day is None:
            self.error(row, name, f"“{column}”的“{cell_text(value)}”不是有效日期，请写成 {self.year}-02-05 或 2月5日。")
        elif day.year != self.year:
            self.error(row, name, f"“{column}”的 {day.isoformat()} 不在{self.year}年内。")
            return None
        return day

    def festival(self, row: int, values: dict) -> Festival | None:
        name = cell_text(values.get("name"))
        if not name:
            self.error(row, "", "请填写节日名称。")
        if not cell_text(values.get("start")):
            self.error(row, name, "请填写“放假开始”日期。")
            return None
        start = self.day(row, name, "放假开始", values.get("start"))
        end = self.day(row, name, "放假结束", values.get("end")) if cell_text(values.get("end")) else start
        workdays = tuple(self._workdays(row, name, values.get("workdays")))
        if start is None or end is None or not name:
            return None
        if end < start:
            self.error(row, name, f"放假结束日期 {end.isoformat()} 早于开始日期 {start.isoformat()}。")
            return None
        for day in workdays:
            if start <= day <= end:
                self.error(row, name, f"调休上班日 {day.isoformat()} 在本节日的放假期间内。")
            elif day.weekday() < 5:
                self.error(
                    row,
                    name,
                    f"调休上班日 {day.isoformat()}（{weekday_label(day)}）本就是工作日，调休上班日应是周六或周日。",
                )
        return Festival(row, name, start, end, workdays)

    def _workdays(self, row: int, name: str, value) -> list[date]:
        if isinstance(value, (date, datetime)):
            parts = [value]
        else:
            parts = [p for p in _LIST_SEPARATORS.split(_REMARK.sub(" ", cell_text(value))) if p]
        return [d for d in (self.day(row, name, "调休上班", p) for p in parts) if d is not None]

    def conflicts(self, festivals: list[Festival]) -> None:
        owner: dict[date, Festival] = {}
        for festival in festivals:
            for day in festival.days():
                other = owner.setdefault(day, festival)
                if other is not festival:
                    self.error(
                        festival.row,
                        festival.name,
                        f"放假日期与第{other.row}行（{other.name}）重叠（{day.isoformat()}）。",
                    )
                    break
        seen: dict[date, Festival] = {}
        for festival in festivals:
            for day in festival.workdays:
                if day in owner:
                    self.error(
                        festival.row,
                        festival.name,
                        f"调休上班日 {day.isoformat()} 是第{owner[day].row}行（{owner[day].name}）的放假日。",
                    )
                elif seen.setdefault(day, festival) is not festival:
                    self.error(
                        festival.row, festival.name, f"调休上班日 {day.isoformat()} 已在第{seen[day].row}行填写。"
                    )


def _blank(values: dict) -> bool:
    return not any(cell_text(values.get(f)) for f in FIELDS)


def parse_rows(year: int, rows: list[tuple[int, dict]], *, document: str = "") -> Arrangement:
    """Rows (row number, {name, start, end, workdays}) → the year's arrangement; blank rows are
    skipped. Raises ValidationError listing every problem (row number and festival)."""
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "年度应在2000至2100之间。"})
    check = _Rows(year)
    filled = [(n, v) for n, v in rows if not _blank(v)]
    if not filled:
        raise ValidationError({"rows": "请至少填写一个节日的放假安排。"})
    if len(filled) > MAX_ROWS:
        raise ValidationError({"rows": f"最多填写{MAX_ROWS}行，收到{len(filled)}行。"})
    festivals = [f for f in (check.festival(n, v) for n, v in filled) if f is not None]
    check.conflicts(festivals)
    if check.errors:
        raise ValidationError({"rows": check.errors})
    return Arrangement(year, sorted(festivals, key=lambda f: f.start), document.strip()[:100])


def rows_from_table(headers: list[str], rows) -> list[tuple[int, dict]]:
    """An uploaded table (header names, then (row number, values)) → rows for `parse_rows`. The
    columns must be exactly `COLUMNS` (any order); anything else is refused with both lists."""
    names = [h.rstrip("*＊").strip() for h in headers]
    if sorted(n for n in names if n) != sorted(COLUMNS) or len(set(names)) != len(names):
        got = "、".join(f"“{n}”" for n in names if n) or "（空）"
        raise ValidationError(
            {"file": f"文件的列应为 {'、'.join(COLUMNS)}（第一行为表头），收到的是 {got}。请下载模板按列填写。"}
        )
    index = {column: names.index(column) for column in COLUMNS}
    return [(number, {f: values[index[c]] for f, c in zip(FIELDS, COLUMNS, strict=True)}) for number, values in rows]


def initial_rows(year: int) -> list[dict]:
    """The form's starting rows: what is entered for the year, festival by festival (a holiday
    range of consecutive days with the working days noted against it); else the statutory days
    `holidays` computes, one row per festival, for the admin to widen to the notice's ranges."""
    entered = list(CalendarOverride.objects.filter(date__year=year).order_by("date"))
    if entered:
        return _rows_from_overrides(entered)
    statutory = statutory_holidays(year)
    rows = []
    for name, names in FESTIVALS:
        days = sorted(d for d, n in statutory.items() if set(n.split("、")) & names)
        if days:
            rows.append({"name": name, "start": days[0].isoformat(), "end": days[-1].isoformat(), "workdays": ""})
    return rows


def _rows_from_overrides(entered: list[CalendarOverride]) -> list[dict]:
    rows: list[dict] = []
    for o in (o for o in entered if o.kind == CalendarOverride.Kind.HOLIDAY):
        last = rows[-1] if rows else None
        if last and last["name"] == o.note and date.fromisoformat(last["end"]) + timedelta(days=1) == o.date:
            last["end"] = o.date.isoformat()
        else:
            rows.append(
                {"name": o.note or "节假日", "start": o.date.isoformat(), "end": o.date.isoformat(), "workdays": ""}
            )
    for o in (o for o in entered if o.kind == CalendarOverride.Kind.WORKDAY):
        name = o.note.removesuffix("调休上班")
        row = next((r for r in rows if r["name"] == name), None)
        if row is None:
            row = {"name": name or "调休", "start": "", "end": "", "workdays": ""}
            rows.append(row)
        row["workdays"] = "、".join(filter(None, [row["workdays"], o.date.isoformat()]))
    return rows


# --- preview --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewDay:
    day: date
    working: bool
    note: str  # the festival, 调休上班, or empty for an ordinary day
    changed: bool  # differs from the calendar in force now
    provisional: bool = False  # a statutory day the rows leave out, off only until the year is complete


def preview(arrangement: Arrangement) -> list[tuple[int, list[list[PreviewDay | None]]]]:
    """The year as month grids (weeks of Monday..Sunday, None outside the month) as it will be once
    the arrangement is saved, each day marked where it differs from the calendar in force now.
    While the year is not complete, a statutory day the rows leave out stays a provisional holiday."""
    now = Calendar()
    statutory = statutory_holidays(arrangement.year) if now.is_provisional_year(arrangement.year) else {}
    holidays, workdays = arrangement.holidays(), arrangement.workdays()
    months = []
    for month in range(1, 13):
        first = date(arrangement.year, month, 1)
        cells: list[PreviewDay | None] = [None] * first.weekday()
        day = first
        while day.month == month:
            provisional = day in statutory and day not in holidays and day not in workdays
            if day in holidays or day in workdays:
                working, note = day in workdays, holidays.get(day) or workdays[day]
            elif provisional:
                working, note = False, f"{statutory[day]}（暂定）"
            else:
                working, note = day.weekday() < 5, ""
            cells.append(PreviewDay(day, working, note, working != now.is_working_day(day), provisional))
            day += timedelta(days=1)
        cells += [None] * (-len(cells) % 7)
        months.append((month, [cells[k : k + 7] for k in range(0, len(cells), 7)]))
    return months


# --- saving ---------------------------------------------------------------------------------------


def _locked_year(year: int) -> CalendarYear:
    """The year's row under a lock, or a new one for the caller to save (with its history user)."""
    return CalendarYear.objects.select_for_update().filter(year=year).first() or CalendarYear(year=year)


def _set_complete(calendar_year: CalendarYear, complete: bool, by: User) -> None:
    calendar_year.complete = complete
    calendar_year.completed_at = timezone.now() if complete else None
    calendar_year.completed_by = by if complete else None


@transaction.atomic
def arrangement_save(*, arrangement: Arrangement, complete: bool, by: User) -> CalendarChange:
    """Replace the year's entered dates with `arrangement` (each date's history kept), optionally
    mark the year complete, and recompute the deadlines the change touches (same transaction)."""
    ensure_admin(by)
    year = arrangement.year
    calendar_year = _locked_year(year)
    with calendar_change([year], by=by) as change:
        wanted = arrangement.overrides()
        existing = {o.date: o for o in CalendarOverride.objects.filter(date__year=year)}
        for day, override in existing.items():
            if day not in wanted:
                override._history_user = by
                override.delete()
        for day, (kind, note) in sorted(wanted.items()):
            override = existing.get(day) or CalendarOverride(date=day)
            if override.pk is None or (override.kind, override.note) != (kind, note):
                override.kind, override.note, override._history_user = kind, note, by
                override.save()
        calendar_year.document = arrangement.document or calendar_year.document
        if complete:
            _set_complete(calendar_year, True, by)
        calendar_year._history_user = by
        calendar_year.save()
    audit(
        "calendar.arrangement",
        user=by,
        obj=calendar_year,
        detail={
            "year": year,
            "holidays": len(arrangement.holidays()),
            "workdays": len(arrangement.workdays()),
            "complete": calendar_year.complete,
            "days_changed": len(change.days),
            "deadlines_moved": len(change.deadlines),
        },
    )
    return change


@transaction.atomic
def calendar_year_set_complete(*, year: int, complete: bool, by: User) -> CalendarChange:
    """Mark the year's arrangement complete (its provisional statutory holidays give way to the
    entered dates) or not complete again; deadlines recomputed either way."""
    ensure_admin(by)
    if package_covers(year):
        raise ValidationError({"year": f"{year}年的安排已内置于系统日历，无需标记。"})
    calendar_year = _locked_year(year)
    if complete and not CalendarOverride.objects.filter(date__year=year, kind=CalendarOverride.Kind.HOLIDAY).exists():
        raise ValidationError({"year": f"{year}年尚未录入任何放假日期，不能标记为完整。"})
    with calendar_change([year], by=by) as change:
        _set_complete(calendar_year, complete, by)
        calendar_year._history_user = by
        calendar_year.save()
    audit(
        "calendar.year_complete" if complete else "calendar.year_reopen",
        user=by,
        obj=calendar_year,
        detail={"year": year, "days_changed": len(change.days), "deadlines_moved": len(change.deadlines)},
    )
    return change
