"""Write facts as a workbook people fill in WPS or Excel, laid out by workbook.py.

Labels and descriptions are locked and input cells unlocked, under sheet protection
without a password (removing it loses nothing). Decimals are text cells holding their
exact digits; every number, date and choice cell has data validation.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from jixiao import __version__
from jixiao.textwidth import display_width
from jixiao.workbook import (
    CHOICE,
    DATE,
    DECIMAL,
    GUIDE_SHEET,
    HEADER,
    INTEGER,
    LINE_HEADER,
    TEXT,
    Columns,
    Field,
    Row,
    Section,
    Table,
    cell_kind,
    choices,
    label,
    sheet_plan,
    sheet_rows,
    to_cell,
)

if TYPE_CHECKING:
    from openpyxl.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

SPARE_ROWS = 3  # empty rows under each table, so an item can be added without inserting a row
_BOLD = Font(bold=True)
_HEADING_FILL = PatternFill("solid", fgColor="DDEBF7")
_SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
_INPUT = Protection(locked=False)
_WRAP = Alignment(wrap_text=True, vertical="top")
_MIN_WIDTH, _MAX_WIDTH = 10, 46
_LINE_HEIGHT = 15  # points: one line of 11-point CJK text
_FORMATS = {DECIMAL: "@", TEXT: "@", DATE: "yyyy-mm-dd", INTEGER: "0"}

GUIDE = (
    "部门整体支出绩效评价 —— 事实数据工作簿（由 jixiao 生成）",
    "",
    "一、怎样填写",
    "1. 每个工作表是报告的一部分，按报告顺序排列。A 列是字段名，B 列填写内容，C 列是说明（必填或可不填）。",
    "2. 只在白底可编辑的单元格中填写；字段名和说明已锁定（工作表保护没有密码，取消保护不会丢失任何内容）。",
    "3. 金额按「单位与人员」表中的「金额单位」填写纯数字，如 1104.784985，不带单位和千分位逗号；"
    "金额单元格是文本格式，填几位小数就保留几位，程序按文字原样读取，不会四舍五入。",
    "4. 表格（职责、任务、成绩、问题、措施等）每行一项，需要几项就填几行；不够时在表格中间插入行。空行会被忽略。",
    "5. 「评分数据」「自评得分」中的表格按指标名称填写，每个指标一行；评价要点填「全部符合」「全部不符合」或符合的序号，如 1、2、3。",
    "6. 可以用公式，程序读取 Excel/WPS 保存的计算结果；请不要合并单元格，不要修改 A 列的字段名。",
    "",
    "二、填好以后",
    "在命令行运行「jixiao check 本文件.xlsx」：每个问题都会写明工作表、单元格和字段，如「预算收支!B7」。",
    "没有错误后运行「jixiao render 本文件.xlsx」生成 Word 报告。",
    "「jixiao convert 本文件.xlsx 本文件.yaml」可转成 YAML 文本格式，两种格式内容完全相同，可以来回转换。",
    "",
    "三、从部门决算导入",
    "「jixiao import 决算.xls --into 本文件.xlsx」从部门决算报表中按行列标题读取金额和人数，已填写的内容不会被覆盖；"
    "只改写填入的单元格，本工作簿的格式、批注、公式和另加的工作表都保持不变。",
)


def workbook_bytes(data: dict[str, Any]) -> bytes:
    """Return the .xlsx file of alias-keyed facts data (blank cells where `data` has nothing)."""
    book = Workbook()
    _write_guide(book.active)
    for name, locs in sheet_plan():
        _write_sheet(book.create_sheet(name), sheet_rows(locs, data))
    book.properties.creator = f"jixiao {__version__}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_guide(sheet: Worksheet) -> None:
    """Fill the first sheet with the workflow, in Chinese."""
    sheet.title = GUIDE_SHEET
    for line in GUIDE:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=14)
    for row in (3, 11, 15):
        sheet.cell(row, 1).font = _BOLD
    sheet.column_dimensions["A"].width = 110
    for (cell,) in sheet.iter_rows():
        cell.alignment = _WRAP


def _write_sheet(sheet: Worksheet, rows: list[Row]) -> None:
    """Write one part's rows under the 字段 | 值 | 说明 heading, then size, freeze and protect the sheet."""
    sheet.append(HEADER)
    _style_heading(sheet[1])
    headings: tuple[str, ...] = ()
    for row in rows:
        if isinstance(row, Columns):
            headings = write_columns(sheet, row, headings)
            continue
        headings = ()
        if isinstance(row, Table):
            _write_table(sheet, row)
        elif isinstance(row, Section):
            _write_section(sheet, row)
        else:
            write_field(sheet, row)
    _fit_columns(sheet)
    sheet.freeze_panes = "B2"
    _page_setup(sheet)
    _protect(sheet)


def _page_setup(sheet: Worksheet) -> None:
    """Print a sheet landscape on A4, one page wide, with gridlines and the heading row on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_options.gridLines = True
    sheet.print_title_rows = "1:1"


def _style_heading(cells: Iterable[Cell]) -> None:
    """Make a heading row bold on a blue fill."""
    for cell in cells:
        cell.font, cell.fill = _BOLD, _HEADING_FILL


def _write_section(sheet: Worksheet, section: Section) -> None:
    """Write a section's heading row."""
    sheet.append([label(section.loc), None, section.note])
    for index in range(1, 4):
        cell = sheet.cell(sheet.max_row, index)
        cell.font, cell.fill, cell.alignment = _BOLD, _SECTION_FILL, _WRAP


def write_field(sheet: Worksheet, field: Field) -> None:
    """Write one label/value row."""
    sheet.append([label(field.loc), None, field.note])
    _input(sheet, sheet.cell(sheet.max_row, 2), field.annotation, field.value)
    sheet.cell(sheet.max_row, 1).alignment = sheet.cell(sheet.max_row, 3).alignment = _WRAP


def write_columns(sheet: Worksheet, line: Columns, headings: tuple[str, ...]) -> tuple[str, ...]:
    """Write a row of amounts in columns, under a 栏目 heading row when the columns above differ."""
    own = tuple(column.header for column in line.columns)
    if own != headings:
        sheet.append([LINE_HEADER, *own, HEADER[2]])
        _style_heading([sheet.cell(sheet.max_row, index) for index in range(1, len(own) + 3)])
    sheet.append([label(line.loc)])
    row = sheet.max_row
    sheet.cell(row, 1).alignment = _WRAP
    for index, (column, value) in enumerate(zip(line.columns, line.values, strict=True), start=2):
        _input(sheet, sheet.cell(row, index), column.annotation, value)
    note = sheet.cell(row, len(own) + 2, line.note)
    note.alignment = _WRAP
    return own


def _write_table(sheet: Worksheet, table: Table) -> None:
    """Write a table: its title row, its heading row, its items and a few spare rows."""
    _write_section(sheet, Section(table.loc, table.note))
    sheet.append([table.key_header, *(column.header for column in table.columns)])
    row = sheet.max_row
    _style_heading([sheet.cell(row, index) for index in range(1, len(table.columns) + 2)])
    for index, column in enumerate(table.columns, start=2):
        if column.note:
            sheet.cell(row, index).comment = Comment(column.note, "jixiao")
    spare = [(None, [None] * len(table.columns))] * SPARE_ROWS
    for number, (key, values) in enumerate([*table.rows, *spare], start=1):
        _write_item(sheet, table, key if key is not None else _spare_key(table, number), values)
    sheet.append([])


def _spare_key(table: Table, number: int) -> int | None:
    """Return a spare row's key: the next 序号 of a list, nothing for a mapping (the name is typed in)."""
    return number if table.key_header == "序号" else None


def _write_item(sheet: Worksheet, table: Table, key: Any, values: list[Any]) -> None:
    """Write one table row: the 序号 (locked) or the name (an input), then its values."""
    sheet.append([key])
    row = sheet.max_row
    sheet.cell(row, 1).alignment = _WRAP
    if table.key_header != "序号":
        _input(sheet, sheet.cell(row, 1), str, key)
    for index, (column, value) in enumerate(zip(table.columns, values, strict=True), start=2):
        _input(sheet, sheet.cell(row, index), column.annotation, value)


def _input(sheet: Worksheet, cell: Cell, annotation: Any, value: Any) -> None:
    """Fill an input cell: unlocked, formatted and validated for its kind."""
    kind = cell_kind(annotation)
    cell.value = to_cell(value)
    cell.protection = _INPUT
    cell.number_format = _FORMATS.get(kind, "@")
    cell.alignment = _WRAP
    validation = _validation(kind, annotation, cell.coordinate)
    if validation is not None:
        sheet.add_data_validation(validation)
        validation.add(cell)


def _validation(kind: str, annotation: Any, coordinate: str) -> DataValidation | None:
    """Return the data validation of a cell kind, with a Chinese message; None for text."""
    if kind == DECIMAL:
        rule = DataValidation(type="custom", formula1=f"ISNUMBER(VALUE({coordinate}))")
        message = "应为数字，例如 1104.784985（不带单位和千分位逗号）"
    elif kind == INTEGER:
        rule = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
        message = "应为整数（阿拉伯数字，不带小数点和单位）"
    elif kind == DATE:
        rule = DataValidation(type="date", operator="between", formula1="DATE(1990,1,1)", formula2="DATE(2100,12,31)")
        message = "应为日期，写作 2022-01-10"
    elif kind == CHOICE:
        rule = DataValidation(type="list", formula1='"' + ",".join(choices(annotation)) + '"')
        message = "应为以下之一：" + "、".join(choices(annotation))
    else:
        return None
    rule.allow_blank, rule.showErrorMessage = True, True
    rule.errorTitle, rule.error = "输入有误", message
    return rule


def _fit_columns(sheet: Worksheet) -> None:
    """Size each column to its widest text (CJK counts two), within limits; long text wraps."""
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None:
                width = max(display_width(line) for line in str(_shown(cell.value)).splitlines() or [""])
                widths[cell.column] = max(widths.get(cell.column, 0), width)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH)
    _fit_rows(sheet)


def _fit_rows(sheet: Worksheet) -> None:
    """Give rows with wrapped long text the height of their lines: neither Excel nor LibreOffice does it on opening."""
    for row in sheet.iter_rows(min_row=2):
        lines = max((_lines(cell.value, sheet.column_dimensions[cell.column_letter].width) for cell in row), default=1)
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = min(lines, 30) * _LINE_HEIGHT


def _lines(value: Any, width: float | None) -> int:
    """Return how many lines a value takes in a wrapped column of `width` characters."""
    if value is None:
        return 1
    usable = max((width or _MIN_WIDTH) - 1, 1)
    return sum(max(1, -(-display_width(line) // int(usable))) for line in str(_shown(value)).splitlines() or [""])


def _shown(value: Any) -> Any:
    """Return a value as the sheet shows it, for measuring."""
    return value.isoformat() if isinstance(value, date) else value


def _protect(sheet: Worksheet) -> None:
    """Lock labels and descriptions without a password; rows may still be inserted, deleted and resized."""
    protection = sheet.protection
    protection.sheet = True
    protection.insertRows = protection.deleteRows = False
    protection.formatRows = protection.formatColumns = protection.formatCells = False
