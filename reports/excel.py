"""Excel files in the official layouts (openpyxl): Annex 2 (百万就业见习岗位募集计划工作情况汇总表)
for a city's own row or the province summary, and the Annex 1 progress table. Numbers are
written as numbers; widths, borders and the page set-up make each sheet print on one A4
landscape page. The workbook neutralises every text cell and the sheet names (SECURITY.md: Exports
and formula injection): a region's or a reporter's name never becomes a formula."""

from dataclasses import dataclass

from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jianxi_portal.core.spreadsheets import Workbook
from reports.indicators import NUMBERS, Period

TITLE = "百万就业见习岗位募集计划工作情况汇总表"
UNITS_LINE = "单位：个、人、万元"
LAST_COL = 15  # A (项目) + the 14 indicators: B..O

# Level 1 of the header: (label, first indicator, last indicator). Groups follow the form's own
# logical relations (1 ≥ 2, 3 ≥ 4, 5 ≥ 6 ≥ 7, 8 ≥ 9 + 11, 9 ≥ 10); single indicators span both rows.
HEADER_GROUPS = (
    ("见习单位", 1, 2),
    ("见习岗位", 3, 4),
    ("组织见习", 5, 7),
    ("完成见习", 8, 11),
)
# Level 2: each indicator's wording on the national form.
HEADER_NAMES = {
    1: "本期实有见习单位数量",
    2: "其中：本期新增见习单位数量",
    3: "本期实有见习岗位数量",
    4: "其中：本期新增见习岗位数量",
    5: "本期计划组织见习人数",
    6: "本期实际到岗人数",
    7: "其中：离校2年内未就业高校毕业生人数",
    8: "本期完成见习人数",
    9: "其中：留用人数",
    10: "其中：离校2年内未就业高校毕业生人数",
    11: "其他方式就业人数",
    12: "本期非正常结束见习人数",
    13: "本期末实有在岗见习人数",
    14: "本年累计各级财政实际拨付见习补贴资金数",
}
NOTES = (
    "填报说明：",
    "1.本表于月后3日内上报，遇节假日顺延。",
    "2.指标8“本期完成见习人数”：是指统计周期内，按照见习协议的规定，如期完成就业见习的人数；以及见习期虽未满，"
    "但提前被见习单位留用的人数。（见习期内，因见习人员个人原因等提前结束见习的人员数不算在内）",
    "3.指标11“其他方式就业人数”：是指见习期满后除被见习单位留用外，通过见习单位或公共就业人才服务机构推荐、"
    "个人自主选择等方式实现就业的人数。",
    "4.指标12“本期非正常结束见习人数”：是指统计周期内，见习期未满，因个人选择或见习单位变动等原因，"
    "未按照见习协议规定提前结束见习，且未被留用的人员数量。",
    "5.指标14“本年累计各级财政实际拨付的见习补贴资金数”：是指省、市、县级财政实际拨付的见习补贴资金数，"
    "包括分配拨付中央财政下达的就业补助资金中用于见习补贴的部分。",
    "6.指标中的“本期”：是指统计周期当期实际情况，不与上期数据累积。",
    "7.逻辑关系：1≥2，3≥4，5≥6≥7，8≥9+11，9≥10。",
)

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
FONT = "宋体"


@dataclass
class Footer:
    unit: str = ""
    date: str = ""
    reporter: str = ""
    phone: str = ""


def col(number: int) -> int:
    """Sheet column (1-based) of indicator `number`: column A is 项目."""
    return number + 1


def _set(ws: Worksheet, row: int, column: int, value, *, bold=False, size=10, align=CENTER, border=True):
    cell = ws.cell(row=row, column=column, value=value)
    cell.font = Font(name=FONT, size=size, bold=bold)
    cell.alignment = align
    if border:
        cell.border = BOX
    return cell


def _merge(ws: Worksheet, r1: int, c1: int, r2: int, c2: int, value, **style):
    _set(ws, r1, c1, value, **style)
    if (r1, c1) != (r2, c2):
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        if style.get("border", True):
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    ws.cell(row=r, column=c).border = BOX


def _page_setup(ws: Worksheet, last_row: int, last_col: int, header_rows: str) -> None:
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_area = f"A1:{get_column_letter(last_col)}{last_row}"
    ws.print_title_rows = header_rows


def annex2_workbook(period: Period, rows, footer: Footer) -> Workbook:
    """`rows`: (label, {1..14: value}) in print order, the 全省 row last when there is one."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"{period.year}年{period.month}月"
    left = Alignment(horizontal="left", vertical="center")
    _set(ws, 1, 1, "附件2", size=11, align=left, border=False)
    _merge(ws, 2, 1, 2, LAST_COL, TITLE, bold=True, size=16, border=False)
    _merge(ws, 3, 1, 3, LAST_COL, f"（{period.year}年 {period.month}月）", size=11, border=False)
    _merge(
        ws, 4, 1, 4, LAST_COL, UNITS_LINE, size=10, border=False, align=Alignment(horizontal="right", vertical="center")
    )
    _header(ws, top=5)
    first = 8
    for offset, (label, values) in enumerate(rows):
        r = first + offset
        _set(ws, r, 1, label, bold=label == "全省")
        for n in NUMBERS:
            cell = _set(ws, r, col(n), values[n], bold=label == "全省")
            cell.number_format = "0.00" if n == 14 else "0"
            cell.alignment = Alignment(horizontal="right", vertical="center")
    last = first + len(rows) - 1
    last = _footer(ws, last + 2, footer)
    _widths(ws)
    _page_setup(ws, last, LAST_COL, "5:7")
    return wb


def _header(ws: Worksheet, top: int) -> None:
    _merge(ws, top, 1, top + 1, 1, "项目", bold=True)
    grouped = set()
    for label, a, b in HEADER_GROUPS:
        _merge(ws, top, col(a), top, col(b), label, bold=True)
        for n in range(a, b + 1):
            _set(ws, top + 1, col(n), HEADER_NAMES[n], bold=True)
            grouped.add(n)
    for n in NUMBERS:
        if n not in grouped:
            _merge(ws, top, col(n), top + 1, col(n), HEADER_NAMES[n], bold=True)
    _set(ws, top + 2, 1, "甲", bold=True)
    for n in NUMBERS:
        _set(ws, top + 2, col(n), n, bold=True)
    ws.row_dimensions[top].height = 22
    ws.row_dimensions[top + 1].height = 96
    ws.row_dimensions[top + 2].height = 18


def _footer(ws: Worksheet, row: int, footer: Footer) -> int:
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    for (c1, c2), text in (
        ((1, 4), f"填报单位（盖章）：{footer.unit}"),
        ((5, 8), f"填报时间：{footer.date}"),
        ((9, 11), f"填报人：{footer.reporter}"),
        ((12, LAST_COL), f"联系电话：{footer.phone}"),
    ):
        _merge(ws, row, c1, row, c2, text, align=left, border=False)
    row += 2
    for i, note in enumerate(NOTES):
        _merge(ws, row, 1, row, LAST_COL, note, bold=i == 0, align=left, border=False)
        ws.row_dimensions[row].height = 30 if len(note) > 60 else 16
        row += 1
    return row - 1


def _widths(ws: Worksheet) -> None:
    ws.column_dimensions["A"].width = 14
    for n in NUMBERS:
        ws.column_dimensions[get_column_letter(col(n))].width = 9
    ws.column_dimensions[get_column_letter(col(14))].width = 14


def annex1_workbook(year: int, rows, total, show_total: bool) -> Workbook:
    """Annex 1 progress: per region the quotas, what the records show, the completion rates and
    the previous year (只增不减), with the 全省 row."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年"
    _merge(ws, 1, 1, 1, 11, f"{year}年度就业见习万岗募集计划目标任务完成情况", bold=True, size=16, border=False)
    _merge(ws, 2, 1, 2, 11, "单位：个、人", size=10, border=False, align=Alignment(horizontal="right"))
    _merge(ws, 3, 1, 4, 1, "地区", bold=True)
    _merge(ws, 3, 2, 3, 6, "岗位募集", bold=True)
    _merge(ws, 3, 7, 3, 11, "组织见习人员", bold=True)
    subs = ["指标（个）", "已募集", "完成率（%）", f"{year - 1}年", "较上年增减"]
    for i, text in enumerate(subs + ["指标（人）", "已组织", "完成率（%）", f"{year - 1}年", "较上年增减"]):
        _set(ws, 4, 2 + i, text, bold=True)
    ws.row_dimensions[4].height = 30
    r = 5
    for row in list(rows) + ([total] if show_total else []):
        label = row.region.name if row.region is not None else "全省"
        values = [
            row.post_quota,
            row.posts_recruited,
            row.post_pct,
            row.prev_posts,
            row.post_delta,
            row.trainee_quota,
            row.trainees_organised,
            row.trainee_pct,
            row.prev_trainees,
            row.trainee_delta,
        ]
        _set(ws, r, 1, label, bold=row.region is None)
        for i, value in enumerate(values):
            cell = _set(
                ws, r, 2 + i, value, bold=row.region is None, align=Alignment(horizontal="right", vertical="center")
            )
            cell.number_format = "0.0" if i in (2, 7) else "0"
            if i in (4, 9) and value is not None and value < 0:
                cell.font = Font(name=FONT, size=10, bold=True, color="C00000")
        r += 1
    note_row = r + 1
    _merge(
        ws,
        note_row,
        1,
        note_row,
        11,
        "说明：已募集岗位数为本年度首次审核通过的岗位的岗位数之和；已组织见习人数为本年度实际到岗人数；"
        "上年数据来自平台记录或管理员录入的往年基数；较上年减少（只增不减未达到）以红色标示。",
        align=Alignment(horizontal="left", vertical="center", wrap_text=True),
        border=False,
    )
    ws.row_dimensions[note_row].height = 32
    ws.column_dimensions["A"].width = 14
    for c in range(2, 12):
        ws.column_dimensions[get_column_letter(c)].width = 11
    _page_setup(ws, note_row, 11, "3:4")
    return wb


def to_bytes(wb: Workbook) -> bytes:
    return wb.to_bytes()
