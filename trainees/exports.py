"""Excel download of the filtered placement list (openpyxl write-only: rows stream out, memory
stays flat however long the list). ID numbers are masked: a list is never a full view. The title,
headers and cells are neutralised by the workbook (SECURITY.md: Exports and formula injection)."""

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from jianxi_portal.core.spreadsheets import Workbook

HEADERS = [
    "序号",
    "姓名",
    "身份证号",
    "人员类别",
    "市（州）",
    "见习单位",
    "见习岗位",
    "协议签订日期",
    "计划开始日期",
    "计划结束日期",
    "到岗日期",
    "结束日期",
    "结束方式",
    "期满去向",
    "状态",
    "备案状态",
    "生活补贴（元/月）",
    "带教老师",
]
WIDTHS = [6, 10, 20, 28, 12, 28, 20, 13, 13, 13, 13, 13, 12, 12, 10, 10, 14, 12]


def _row(n, p):
    return [
        n,
        p.trainee.name,
        p.trainee.id_number_masked,
        p.get_category_display(),
        p.region.name,
        p.unit.name,
        p.post.title,
        p.signed_on,
        p.planned_start,
        p.planned_end,
        p.started_on,
        p.ended_on,
        p.get_end_display() if p.end else "",
        p.get_outcome_display() if p.outcome else "",
        p.get_status_display(),
        p.get_filing_status_display(),
        p.allowance,
        p.mentor.name if p.mentor else "",
    ]


def placements_xlsx(placements, *, title: str) -> bytes:
    """One sheet: a title row, the header, one row per placement (dates as Excel dates)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("见习协议")
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    heading = WriteOnlyCell(sheet, value=title)
    heading.font = Font(bold=True, size=13)
    sheet.append([heading])
    header = []
    for text in HEADERS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for n, placement in enumerate(placements.iterator(chunk_size=500), start=1):
        row = []
        for value in _row(n, placement):
            cell = WriteOnlyCell(sheet, value=value)
            if hasattr(value, "isoformat") and not isinstance(value, str):
                cell.number_format = "yyyy-mm-dd"
            row.append(cell)
        sheet.append(row)
    return workbook.to_bytes()
