"""The one place every .xlsx the portal writes is made safe (SECURITY.md: Exports and formula
injection). No module creates an openpyxl or XlsxWriter workbook itself
(`jianxi_portal/tests/security/test_export_formulas.py` checks the sources): each takes one of the
two workbooks below, which neutralise every value a cell receives — data, titles, headers, notes —
and make every sheet name valid.

- A text value beginning with `=`, `+`, `-`, `@`, a tab or a carriage return (OWASP "CSV
  injection") is stored as text prefixed with an apostrophe, so neither the spreadsheet program nor
  a CSV saved from the file evaluates it; characters XML cannot hold are dropped (openpyxl would
  refuse the whole file).
- A sheet name loses the characters Excel forbids (`[]:*?/\\`), a leading formula sign and the
  apostrophes Excel refuses at either end, and is cut to 31 characters.
- No cell is ever a formula: XlsxWriter's formula, URL and rich-string writers refuse.

The portal lives at the bottom of the layers (ARCHITECTURE.md: Rooms) so that every writer —
registers, reports, and the audit log's export in core and accounts — can reach it.
"""

import re
from io import BytesIO

import openpyxl
import xlsxwriter
from openpyxl.cell.cell import Cell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

INJECTION_START = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 forbids these control characters (tab, LF and CR stay); openpyxl raises on them.
ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31
SHEET_NAME_RESERVED = "history"  # Excel keeps a sheet of that name for itself


def neutralise(value):
    """'=1+1' -> "'=1+1": text that stays text. Values other than text are returned unchanged."""
    if not isinstance(value, str) or not value:
        return value
    if ILLEGAL_CHARACTERS.search(value):
        value = ILLEGAL_CHARACTERS.sub("", value)
    if value.startswith(INJECTION_START):
        return "'" + value
    return value


def sheet_title(text: str, default: str = "Sheet") -> str:
    """A name Excel accepts for a sheet, and that no one could take for a formula."""
    name = ILLEGAL_CHARACTERS.sub("", SHEET_FORBIDDEN.sub("_", str(text or "")))
    name = name.lstrip("".join(INJECTION_START) + "' ")[:SHEET_NAME_MAX].rstrip("' ")
    if not name or name.lower() == SHEET_NAME_RESERVED:
        return default
    return name


# ---------------------------------------------------------------------------------------------
# openpyxl: a workbook whose write-only sheets neutralise each row appended and whose save
# neutralises every stored cell (the forms in reports/ place cells one by one) and every title.


def _safe_cell(value):
    if isinstance(value, Cell):
        if isinstance(value.value, str) or value.data_type == "f":
            value.value = neutralise(str(value.value))
        return value
    return neutralise(value)


class _SafeWriteOnlySheet(WriteOnlyWorksheet):
    def append(self, row):
        super().append([_safe_cell(value) for value in row])


class Workbook(openpyxl.Workbook):
    """openpyxl's workbook with every cell and sheet name neutralised; `to_bytes()` saves it."""

    def create_sheet(self, title=None, index=None):
        if self.read_only or not self.write_only:
            return super().create_sheet(sheet_title(title) if title else None, index)
        sheet = _SafeWriteOnlySheet(parent=self, title=sheet_title(title) if title else None)
        self._add_sheet(sheet=sheet, index=index)
        return sheet

    def save(self, filename):
        for sheet in self._sheets:
            name = sheet_title(sheet.title)
            if name != sheet.title:
                sheet.title = name
            if isinstance(sheet, Worksheet):
                for cell in sheet._cells.values():
                    if isinstance(cell.value, str) or cell.data_type == "f":
                        cell.value = neutralise(str(cell.value))
        super().save(filename)

    def to_bytes(self) -> bytes:
        buffer = BytesIO()
        self.save(buffer)
        return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# XlsxWriter: every string written through any of its methods passes `neutralise`; formulas,
# URLs and rich strings are refused.

XLSXWRITER_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


class _SafeXlsxSheet(xlsxwriter.worksheet.Worksheet):
    def _write_string(self, row, col, string, cell_format=None):
        return super()._write_string(row, col, neutralise(string), cell_format)

    def _write_formula(self, *args, **kwargs):
        raise ValueError("exports never write formulas (SECURITY.md: Exports and formula injection)")

    _write_url = _write_array_formula = _write_rich_string = _write_formula


class XlsxWriterWorkbook(xlsxwriter.Workbook):
    """XlsxWriter's workbook (at `path`) with every string neutralised and every sheet name valid.
    `constant_memory` flushes each row as the next starts (bounded memory for large exports)."""

    worksheet_class = _SafeXlsxSheet

    def __init__(self, path, *, constant_memory: bool = True):
        super().__init__(str(path), {**XLSXWRITER_OPTIONS, "constant_memory": constant_memory})

    def add_worksheet(self, name=None, worksheet_class=None):
        return super().add_worksheet(sheet_title(name) if name else None)
