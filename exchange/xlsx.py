"""Writing .xlsx files with bounded memory and without formula injection.

XlsxWriter in `constant_memory` mode flushes each row to disk as soon as the next one starts, so
memory does not grow with the row count (measured in bench/exchange_bench.py). The workbook is
`jianxi_portal.core.spreadsheets.XlsxWriterWorkbook`: every string written — cells, headers, notes
— is neutralised there and every sheet name made valid (SECURITY.md: Exports and formula
injection), so nothing here neutralises by itself."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter.utility
from django.utils import timezone

from jianxi_portal.core.spreadsheets import XlsxWriterWorkbook

PROGRESS_EVERY = 2000


@dataclass(frozen=True)
class Column:
    """One column of an export or a template: its Chinese header, the kind of its values
    (text, int, money, date, bool), its width, and for templates whether it is required and what it
    accepts."""

    header: str
    kind: str = "text"
    width: int = 16
    required: bool = False
    help: str = ""
    choices: tuple[str, ...] = field(default_factory=tuple)
    example: str = ""


def _formats(workbook):
    return {
        "header": workbook.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1}),
        "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
        "money": workbook.add_format({"num_format": "0.00"}),
    }


def _cell_writer(sheet, kind: str, formats) -> Callable:
    """A writer for one column: `write(row, col, value)`, chosen once per column, not per cell."""
    write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
    date_format, money_format = formats["date"], formats["money"]

    def text(row, col, value):
        if value is None or value == "":
            return
        if not isinstance(value, str):
            value = str(value)
        write_string(row, col, value)

    def number(row, col, value):
        if value is None or value == "":
            return
        if isinstance(value, str):
            return text(row, col, value)
        write_number(row, col, value)

    def money(row, col, value):
        if value is None or value == "":
            return
        write_number(row, col, float(value) if isinstance(value, Decimal) else value, money_format)

    def day(row, col, value):
        if value is None:
            return
        if isinstance(value, datetime):
            value = value.replace(tzinfo=None)
        if isinstance(value, date):
            write_datetime(row, col, value, date_format)
        else:
            text(row, col, value)

    def boolean(row, col, value):
        if value is None:
            return
        write_string(row, col, "是" if value else "否")

    return {"text": text, "int": number, "money": money, "date": day, "bool": boolean}[kind]


def write_rows(
    path,
    *,
    sheet_name: str,
    columns: list[Column],
    rows: Iterable[tuple],
    progress: Callable[[int], None] | None = None,
    notes: list[tuple[str, str]] | None = None,
) -> int:
    """Write `rows` (tuples in the order of `columns`) to an .xlsx at `path`; return the count.
    `progress(n)` is called every PROGRESS_EVERY rows. `notes` adds a second sheet 说明."""
    workbook = XlsxWriterWorkbook(path)
    formats = _formats(workbook)
    sheet = workbook.add_worksheet(sheet_name)
    for col, column in enumerate(columns):
        sheet.set_column(col, col, column.width)
        sheet.write_string(0, col, column.header, formats["header"])
    sheet.freeze_panes(1, 0)
    writers = list(enumerate(_cell_writer(sheet, c.kind, formats) for c in columns))
    count = 0
    for count, values in enumerate(rows, start=1):
        for col, write in writers:
            write(count, col, values[col])
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    if notes:
        _notes_sheet(workbook, formats, notes)
    workbook.close()
    return count


def _notes_sheet(workbook, formats, notes):
    sheet = workbook.add_worksheet("说明")
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 80)
    for row, (label, text) in enumerate(notes):
        sheet.write_string(row, 0, label, formats["header"])
        sheet.write_string(row, 1, text)


def write_template(path, *, sheet_name: str, columns: list[Column], title: str, notes: list[str] = ()) -> None:
    """A blank import template: the header row on the first sheet, and a second sheet 填写说明
    explaining each column (required or not, what it holds, its allowed values)."""
    workbook = XlsxWriterWorkbook(path, constant_memory=False)
    formats = _formats(workbook)
    required_format = workbook.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    sheet = workbook.add_worksheet(sheet_name)
    text_format = workbook.add_format({"num_format": "@"})  # ID numbers stay text, not 2.2E+17
    for col, column in enumerate(columns):
        width = max(column.width, len(column.header) * 2 + 2)
        sheet.set_column(col, col, width, text_format if column.kind == "text" else None)
        sheet.write_string(0, col, column.header, required_format if column.required else formats["header"])
    sheet.freeze_panes(1, 0)
    _drop_downs(workbook, sheet, columns)
    guide = workbook.add_worksheet("填写说明")
    guide.set_column(0, 0, 22)
    guide.set_column(1, 1, 8)
    guide.set_column(2, 2, 60)
    guide.set_column(3, 3, 60)
    guide.write_string(0, 0, title, formats["header"])
    for offset, note in enumerate(notes, start=1):
        guide.write_string(offset, 0, note)
    start = len(notes) + 2
    for col, header in enumerate(("列名", "必填", "说明", "允许的值")):
        guide.write_string(start, col, header, formats["header"])
    for row, column in enumerate(columns, start=start + 1):
        guide.write_string(row, 0, column.header)
        guide.write_string(row, 1, "是" if column.required else "否")
        guide.write_string(row, 2, column.help or _kind_help(column.kind), wrap)
        if column.choices:
            guide.write_string(row, 3, "、".join(column.choices), wrap)
    _example_sheet(workbook, formats, columns)
    workbook.close()


TEMPLATE_ROWS = 20000  # rows of the data sheet that carry the drop-down lists (MAX_DATA_ROWS and more)
INLINE_LIST_LIMIT = 255  # Excel's limit for a list typed into the validation itself


def _choices_of(column: Column) -> tuple[str, ...]:
    return column.choices or (("是", "否") if column.kind == "bool" else ())


def _drop_downs(workbook, sheet, columns: list[Column]) -> None:
    """Every choice column (and yes/no column) of the data sheet offers its allowed values as a
    drop-down list (Excel data validation); a long list lives on a hidden sheet 选项."""
    options, used = None, 0
    for col, column in enumerate(columns):
        choices = _choices_of(column)
        if not choices:
            continue
        source: list[str] | str = list(choices)
        if len(",".join(choices)) > INLINE_LIST_LIMIT:
            if options is None:
                options = workbook.add_worksheet("选项")
                options.hide()
            for row, choice in enumerate(choices):
                options.write_string(row, used, choice)
            letter = xlsxwriter.utility.xl_col_to_name(used)
            source = f"=选项!${letter}$1:${letter}${len(choices)}"
            used += 1
        sheet.data_validation(
            1,
            col,
            TEMPLATE_ROWS,
            col,
            {
                "validate": "list",
                "source": source,
                "ignore_blank": True,
                "error_title": "不在允许的值中",
                "error_message": f"“{column.header}”请从下拉列表中选择。",
                "input_title": column.header[:32],
                "input_message": "请从下拉列表中选择。",
            },
        )


def example_value(column: Column, today: date) -> str:
    """The example row's cell: the column's own example, else a plausible value of its kind."""
    if column.example:
        return column.example
    choices = _choices_of(column)
    if column.kind == "bool":
        return "否"
    if choices:
        return choices[0]
    return {"date": today.isoformat(), "int": "1", "money": "2000.00"}.get(column.kind, "")


def _example_sheet(workbook, formats, columns: list[Column]) -> None:
    """A filled-in row on its own sheet 填写示例 (the data sheet stays empty, so an untouched
    template never imports the example)."""
    today = timezone.localdate()
    sheet = workbook.add_worksheet("填写示例")
    for col, column in enumerate(columns):
        sheet.set_column(col, col, max(column.width, len(column.header) * 2 + 2))
        sheet.write_string(0, col, column.header, formats["header"])
        sheet.write_string(1, col, example_value(column, today))


def _kind_help(kind: str) -> str:
    return {
        "date": "日期，格式 YYYY-MM-DD（如 2024-07-01），也可使用 Excel 日期单元格。",
        "int": "整数。",
        "money": "金额（元），最多两位小数。",
        "bool": "填“是”或“否”。",
    }.get(kind, "文本。")


def write_error_report(path, *, headers: list[str], rows: Iterable[tuple[int, tuple, str]]) -> int:
    """An import's refused rows as the person uploaded them, with two columns added: the row number
    in their file and every message of the row — to correct and upload again. Returns the row count."""
    workbook = XlsxWriterWorkbook(path)
    formats = _formats(workbook)
    wrap = workbook.add_format({"text_wrap": True, "valign": "top", "font_color": "#C00000"})
    sheet = workbook.add_worksheet("有误的行")
    for col, header in enumerate(["原文件行号", *headers, "错误说明"]):
        sheet.write_string(0, col, header, formats["header"])
        sheet.set_column(col, col, 60 if col == len(headers) + 1 else 16)
    count = 0
    for count, (number, values, messages) in enumerate(rows, start=1):
        sheet.write_number(count, 0, number)
        for col, value in enumerate(values[: len(headers)], start=1):
            if isinstance(value, datetime):
                value = value.date()
            text = value.isoformat() if isinstance(value, date) else ("" if value is None else str(value))
            sheet.write_string(count, col, text)
        sheet.write_string(count, len(headers) + 1, messages, wrap)
    sheet.freeze_panes(1, 1)
    workbook.close()
    return count
