"""The payment register (拨付登记) as .xlsx: openpyxl's write-only workbook streams rows without
keeping the sheet in memory. Text is neutralised against formula injection by the workbook (a unit
name or voucher number beginning with "=" stays text; SECURITY.md: Exports and formula injection),
money and dates are real numbers and dates."""

from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from jianxi_portal.core.spreadsheets import Workbook

HEADERS = [
    "拨付日期", "市（州）", "见习单位", "申领编号", "申领期间", "核定金额（元）",
    "拨付金额（元）", "资金级次", "凭证号", "登记人", "登记时间",
]  # fmt: skip
WIDTHS = [12, 12, 30, 10, 22, 14, 14, 10, 20, 14, 18]


def _row(ws, d) -> list:
    cells = [
        _cell(ws, d.paid_on, "yyyy-mm-dd"),
        d.region.name,
        d.claim.unit.name,
        d.claim_id,
        d.claim.period_label,
        _cell(ws, d.claim.approved_amount, "0.00"),
        _cell(ws, d.amount, "0.00"),
        d.get_funding_level_display(),
        d.voucher_no,
        d.recorded_by.get_full_name() or d.recorded_by.username,
        _cell(ws, timezone.localtime(d.created_at).replace(tzinfo=None), "yyyy-mm-dd hh:mm"),
    ]
    return cells


def _cell(ws, value, number_format):
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = number_format
    return cell


def disbursements_xlsx(qs) -> bytes:
    """The rows of `qs` (already scoped and filtered, with claim__unit, region, recorded_by joined)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("拨付登记")
    for index, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for title in HEADERS:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for payment in qs.iterator(chunk_size=500):
        ws.append(_row(ws, payment))
    return wb.to_bytes()
