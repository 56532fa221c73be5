"""Malformed and hostile files are refused with a clear Chinese message, before any row is
written: an .xls renamed .xlsx, a 50 MB file, a zip bomb, billion laughs, XXE, formulas, wrong
headers, an empty sheet, a header without rows, a PDF, a Word file."""

import io
import zipfile

import pytest

from exchange.files import FileRefused, looks_like_formula, open_table
from exchange.imports import importer_for
from exchange.tests.helpers import csv_bytes, replace_part, trainee_row, xlsx_bytes, zip_bomb
from trainees.models import Trainee

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    + f']><worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    "</sheetData></worksheet>"
).encode()

XXE = (
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
    "</sheetData></worksheet>"
).encode()


def refused(content: bytes, city) -> str:
    with pytest.raises(FileRefused) as caught:
        importer_for("trainees").run(io.BytesIO(content), by=city, dry_run=False)
    assert Trainee.objects.count() == 0
    return caught.value.message


def valid_xlsx():
    return xlsx_bytes([trainee_row(1), trainee_row(2)])


def test_valid_file_is_read(city_cc):
    report = importer_for("trainees").run(io.BytesIO(valid_xlsx()), by=city_cc, dry_run=True)
    assert (report.total, report.create, report.invalid) == (2, 2, 0)


def test_old_xls_renamed_xlsx_is_refused_by_its_content(city_cc):
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096
    assert "旧版 Excel（.xls）" in refused(ole2, city_cc)


def test_fifty_megabyte_file_is_refused_before_reading(city_cc):
    big = b"PK\x03\x04" + b"\x00" * (50 * 1024 * 1024)
    message = refused(big, city_cc)
    assert "文件过大：50.0 MB" in message and "上限为 20 MB" in message


def test_zip_bomb_is_refused_from_the_zip_directory(city_cc):
    content = zip_bomb(valid_xlsx())
    assert len(content) < 200 * 1024  # 30 MB of zeros packed into a few dozen KB
    assert "压缩炸弹" in refused(content, city_cc)


def test_too_many_zip_entries_are_refused(city_cc):
    source = zipfile.ZipFile(io.BytesIO(valid_xlsx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        for n in range(600):
            target.writestr(f"xl/junk/{n}.xml", b"")
    assert "文件结构异常" in refused(out.getvalue(), city_cc)


def test_billion_laughs_is_refused_by_defusedxml(city_cc):
    content = replace_part(valid_xlsx(), SHEET, BILLION_LAUGHS)
    assert "不安全的 XML 内容" in refused(content, city_cc)


def test_xxe_in_a_sheet_is_refused_by_defusedxml(city_cc):
    content = replace_part(valid_xlsx(), SHEET, XXE)
    assert "不安全的 XML 内容" in refused(content, city_cc)


def test_xxe_in_the_workbook_part_is_refused(city_cc):
    workbook = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        f'<workbook {NS}><sheets><sheet name="&xxe;" sheetId="1" r:id="rId1" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/></sheets></workbook>'
    ).encode()
    content = replace_part(valid_xlsx(), "xl/workbook.xml", workbook)
    assert "不安全的 XML 内容" in refused(content, city_cc)


def test_formula_cell_is_refused_with_its_position(city_cc):
    workbook_rows = [trainee_row(1), trainee_row(2, 姓名='=HYPERLINK("http://evil","点我")')]
    message = refused(xlsx_bytes(workbook_rows, write_only=False), city_cc)
    assert "单元格 A3 含有公式" in message


def test_dde_payload_in_csv_is_refused(city_cc):
    message = refused(csv_bytes([trainee_row(1, 专业="+cmd|' /C calc'!A0")]), city_cc)
    assert "第2行第6列" in message and "公式" in message


def test_wrong_headers_are_refused_naming_missing_and_unknown_columns(city_cc):
    message = refused(xlsx_bytes([{"单位名称": "某公司"}], headers=["单位名称", "地址"]), city_cc)
    assert "表头与模板不符" in message
    assert "缺少必需的列：“姓名”" in message and "无法识别的列：“单位名称”" in message


def test_empty_sheet_is_refused(city_cc):
    import openpyxl

    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    assert "表格是空的" in refused(buffer.getvalue(), city_cc)


def test_header_without_rows_is_refused(city_cc):
    assert "只有表头，没有数据行" in refused(xlsx_bytes([]), city_cc)


def test_pdf_is_refused_as_not_a_spreadsheet(city_cc):
    assert "不是 .xlsx 或 .csv" in refused(b"%PDF-1.7\n\x00\x01binary", city_cc)


def test_word_document_is_refused_as_not_a_workbook(city_cc):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        target.writestr("[Content_Types].xml", "<Types/>")
        target.writestr("word/document.xml", "<document/>")
    assert "不是 Excel 工作簿" in refused(out.getvalue(), city_cc)


def test_empty_file_is_refused(city_cc):
    assert "空的" in refused(b"", city_cc)


def test_gbk_csv_is_read(city_cc):
    content = csv_bytes([trainee_row(1)], encoding="gb18030")
    table = open_table(io.BytesIO(content))
    assert table.headers[0] == "姓名"
    assert next(table.rows)[1][0] == "学员1"


@pytest.mark.parametrize(
    "value, formula",
    [
        ("=1+1", True),
        ("@SUM(A1)", True),
        ("+cmd|' /C calc'!A0", True),
        ("-2+3", True),
        ("-5", False),
        ("+8613912345678", False),
        ("-", False),
        ("张三", False),
        ("2024-07-01", False),
    ],
)
def test_formula_detection(value, formula):
    assert looks_like_formula(value) is formula
