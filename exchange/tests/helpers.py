"""Files for the data-exchange tests: valid ID numbers, .xlsx and .csv bytes, trainee rows."""

import csv
import io
import zipfile
from datetime import date

import openpyxl

from jianxi_portal.core.validators import id_number_check_char
from trainees.resources import TraineeResource

TRAINEE_HEADERS = TraineeResource.headers()


def id_number(birth: date, seq: int, area: str = "220102") -> str:
    first17 = f"{area}{birth:%Y%m%d}{seq % 1000:03d}"
    return first17 + id_number_check_char(first17)


def phone(seq: int) -> str:
    return f"139{seq:08d}"


def trainee_row(
    seq: int,
    *,
    name=None,
    number=None,
    category="离校2年内未就业高校毕业生",
    school="吉林大学",
    left="2025-06-30",
    birth=date(2002, 3, 1),
    **overrides,
) -> dict:
    row = {
        "姓名": name or f"学员{seq}",
        "居民身份证号": number or id_number(birth, seq),
        "手机号码": phone(seq),
        "人员类别": category,
        "毕业院校": school,
        "专业": "计算机科学与技术",
        "学历": "本科",
        "毕业（离校）日期": left,
        "已进行失业登记": "否",
        "已就业": "否",
    }
    row.update(overrides)
    return row


def xlsx_bytes(rows: list[dict], headers: list[str] | None = None, *, write_only: bool = True) -> bytes:
    headers = headers or TRAINEE_HEADERS
    workbook = openpyxl.Workbook(write_only=write_only)
    sheet = workbook.create_sheet("数据") if write_only else workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[dict], headers: list[str] | None = None, encoding: str = "utf-8-sig") -> bytes:
    headers = headers or TRAINEE_HEADERS
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return buffer.getvalue().encode(encoding)


def replace_part(xlsx: bytes, name: str, content: bytes) -> bytes:
    """The same workbook with one ZIP part replaced (to plant hostile XML)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, content if info.filename == name else source.read(info.filename))
    return out.getvalue()


def zip_bomb(xlsx: bytes, megabytes: int = 30) -> bytes:
    """The same workbook plus a part of `megabytes` MB of zeros, deflated to a few dozen KB."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        with target.open("xl/media/bomb.bin", "w", force_zip64=True) as bomb:
            for _ in range(megabytes):
                bomb.write(b"\x00" * (1024 * 1024))
    return out.getvalue()
