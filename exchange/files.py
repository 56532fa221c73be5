"""Opening uploaded spreadsheets safely.

Only .xlsx and .csv are accepted, recognised by their content (magic bytes), not their name: an old
.xls renamed .xlsx is refused. Before openpyxl touches an .xlsx, its ZIP directory is checked (entry
count, declared uncompressed size, compression ratio), so a zip bomb is refused without inflating
it; `zipfile` never yields more bytes than an entry declares, so the declared sizes bound the work.
openpyxl parses the XML parts through defusedxml (it does so whenever defusedxml is installed, and
this module refuses to run otherwise), so entity expansion (billion laughs) and external entities
(XXE) raise instead of resolving. Formulas are refused: a cell holding one is reported by position.
Every refusal is a `FileRefused` with a Chinese message for the person who uploaded the file."""

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import openpyxl
from defusedxml import DefusedXmlException
from django.conf import settings
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

# openpyxl reads XML through defusedxml only when it is importable and OPENPYXL_DEFUSEDXML is not
# "False": never open an upload otherwise.
if not openpyxl.DEFUSEDXML:  # pragma: no cover - guarded configuration
    raise RuntimeError("openpyxl must parse XML through defusedxml (set OPENPYXL_DEFUSEDXML=True)")

MAX_UPLOAD_BYTES = getattr(settings, "EXCHANGE_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
MAX_ZIP_ENTRIES = 500
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_DATA_ROWS = getattr(settings, "EXCHANGE_MAX_ROWS", 100_000)
SNIFF_BYTES = 8192

XLSX = "xlsx"
CSV = "csv"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
FORMULA_START = ("=", "@")
SIGNED_START = ("+", "-")
FORMULA_OBJECTS = (ArrayFormula, DataTableFormula)


class FileRefused(Exception):
    """The uploaded file can't be read as a register; `message` says why, in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def looks_like_formula(value: str) -> bool:
    """`=…`, `@…`, or `+`/`-` followed by something other than a number (DDE payloads like
    `+cmd|' /C calc'!A0`); `-5` and `+86…` phone numbers are plain values."""
    if not value:
        return False
    if value.startswith(FORMULA_START):
        return True
    if value.startswith(SIGNED_START):
        rest = value[1:].replace(".", "", 1).replace(" ", "")
        return bool(rest) and not rest.isdigit()
    return False


def sniff(head: bytes) -> str:
    """The file's real type from its first bytes."""
    if head.startswith(ZIP_MAGIC):
        return XLSX
    if head.startswith(OLE2_MAGIC):
        raise FileRefused(
            "这是旧版 Excel（.xls）文件，系统只接受 .xlsx 或 .csv：请在 Excel 中“另存为” .xlsx 后重新上传。"
        )
    if not head:
        raise FileRefused("上传的文件是空的。")
    if b"\x00" in head:
        raise FileRefused("文件不是 .xlsx 或 .csv 表格（内容为二进制数据），请使用下载的模板填写后上传。")
    return CSV


def check_size(size: int) -> None:
    if size > MAX_UPLOAD_BYTES:
        raise FileRefused(
            f"文件过大：{size / 1024 / 1024:.1f} MB，上限为 {MAX_UPLOAD_BYTES // 1024 // 1024} MB。请拆分后分批导入。"
        )


def check_zip(fileobj) -> None:
    """Refuse an .xlsx whose ZIP directory promises more than a spreadsheet of the size limit can
    hold, before anything is inflated."""
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError):
        raise FileRefused("文件已损坏，无法作为 .xlsx 打开。请在 Excel 中重新保存后上传。") from None
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise FileRefused(f"文件结构异常（压缩包内含 {len(infos)} 个部件），已拒绝。")
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise FileRefused("文件不是 Excel 工作簿（.xlsx），请使用下载的模板填写后上传。")
    if "xl/vbaProject.bin" in names:
        raise FileRefused("文件含有宏（.xlsm），已拒绝。请另存为不含宏的 .xlsx 后上传。")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > MAX_COMPRESSION_RATIO and info.file_size > 1024 * 1024:
            raise FileRefused("文件压缩比异常（疑似“压缩炸弹”），已拒绝。")
    if total > MAX_UNCOMPRESSED_BYTES:
        raise FileRefused("文件解压后过大（疑似“压缩炸弹”），已拒绝。请拆分后分批导入。")


@dataclass
class Table:
    """The first sheet of an upload: its header (stripped strings) and an iterator of data rows as
    (row number as the user sees it, tuple of values)."""

    kind: str
    headers: list[str]
    header_row: int
    rows: Iterator[tuple[int, tuple]]
    estimated_rows: int = 0


def _cell_name(col_index: int, row_number: int) -> str:
    return f"{get_column_letter(col_index + 1)}{row_number}"


def _ensure_no_formula(values: tuple, row_number: int, kind: str) -> None:
    for index, value in enumerate(values):
        if isinstance(value, FORMULA_OBJECTS):
            value = "=" + str(getattr(value, "text", "") or "")
        if isinstance(value, str) and looks_like_formula(value):
            where = _cell_name(index, row_number) if kind == XLSX else f"第{row_number}行第{index + 1}列"
            raise FileRefused(
                f"单元格 {where} 含有公式或以“{value[0]}”开头的内容，为防止公式注入已拒绝整个文件。"
                "请将公式转换为数值（复制后“选择性粘贴为数值”），或删除开头的符号后重新上传。"
            )


def _is_blank(values) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _rows_with_header(raw_rows: Iterator[tuple], kind: str, estimate: int = 0) -> Table:
    header_row = 0
    for header_row, values in enumerate(raw_rows, start=1):
        if not _is_blank(values):
            _ensure_no_formula(values, header_row, kind)
            headers = [str(v).strip() if v is not None else "" for v in values]
            while headers and not headers[-1]:
                headers.pop()
            rows = _data_rows(raw_rows, header_row, len(headers), kind)
            return Table(kind, headers, header_row, rows, max(estimate - header_row, 0))
    raise FileRefused("表格是空的：第一个工作表中没有表头和数据。请使用下载的模板填写后上传。")


def _data_rows(raw_rows: Iterator[tuple], header_row: int, width: int, kind: str):
    count = 0
    for row_number, values in enumerate(raw_rows, start=header_row + 1):
        if _is_blank(values):
            continue
        _ensure_no_formula(values, row_number, kind)
        count += 1
        if count > MAX_DATA_ROWS:
            raise FileRefused(f"数据超过 {MAX_DATA_ROWS} 行上限，请拆分后分批导入。")
        values = tuple(values[:width]) + (None,) * (width - len(values))
        yield row_number, values


UNSAFE_XML = "文件中含有不安全的 XML 内容（实体定义或外部引用），已拒绝。"
DAMAGED = "文件已损坏或不是有效的 .xlsx 工作簿，无法读取。请在 Excel 中重新保存后上传。"


def _refusal(exc: BaseException) -> FileRefused:
    """openpyxl wraps parser errors (e.g. in a ValueError): look down the chain for defusedxml's."""
    seen = exc
    while seen is not None:
        if isinstance(seen, DefusedXmlException):
            return FileRefused(UNSAFE_XML)
        seen = seen.__cause__ or seen.__context__
    return FileRefused(DAMAGED)


def _open_sheet(fileobj):
    try:
        workbook = openpyxl.load_workbook(fileobj, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise _refusal(exc) from None
    if not workbook.worksheets:
        raise FileRefused("工作簿中没有工作表。请使用下载的模板填写后上传。")
    return workbook.worksheets[0]


def _xlsx_rows(sheet) -> Iterator[tuple]:
    try:
        yield from sheet.iter_rows(values_only=True)
    except Exception as exc:
        raise _refusal(exc) from None


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return codecs.decode(raw, encoding)
        except UnicodeDecodeError:
            continue
    raise FileRefused("无法识别 CSV 文件的编码，请保存为 UTF-8 或 GBK 编码的 CSV 后上传。")


def _csv_rows(text: str) -> Iterator[tuple]:
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            yield tuple(v if v != "" else None for v in row)
    except csv.Error:
        raise FileRefused("CSV 文件格式有误（引号不匹配等），无法读取。") from None


def open_table(fileobj, *, size: int | None = None) -> Table:
    """Check and open an uploaded file (a seekable binary file object). Raises FileRefused."""
    if size is None:
        fileobj.seek(0, io.SEEK_END)
        size = fileobj.tell()
    check_size(size)
    fileobj.seek(0)
    kind = sniff(fileobj.read(SNIFF_BYTES))
    fileobj.seek(0)
    if kind == XLSX:
        check_zip(fileobj)
        fileobj.seek(0)
        sheet = _open_sheet(fileobj)
        try:
            estimate = sheet.max_row or 0
        except Exception:
            estimate = 0
        return _rows_with_header(_xlsx_rows(sheet), kind, estimate)
    text = _decode(fileobj.read())
    return _rows_with_header(_csv_rows(text), kind, text.count("\n") + 1)


def check_headers(table: Table, *, expected: list[str], required: list[str]) -> dict[str, int]:
    """Map each expected header to its column index; refuse missing required or unknown columns
    (a wrong file, or a template of another register)."""
    positions = {}
    for index, header in enumerate(table.headers):
        name = header.rstrip("*＊").strip()
        if not name:
            continue
        if name in positions:
            raise FileRefused(f"表头“{name}”重复出现，请检查后重新上传。")
        positions[name] = index
    unknown = [h for h in positions if h not in expected]
    missing = [h for h in required if h not in positions]
    if missing or unknown:
        parts = []
        if missing:
            parts.append("缺少必需的列：" + "、".join(f"“{h}”" for h in missing))
        if unknown:
            parts.append("无法识别的列：" + "、".join(f"“{h}”" for h in unknown[:10]))
        raise FileRefused("表头与模板不符。" + "；".join(parts) + "。请下载本登记表的模板，按模板的表头填写。")
    return positions
