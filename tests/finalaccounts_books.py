"""部门决算 workbooks built from the example's own figures, in the layouts and variants the importer must read."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl

# The example's figures (万元) and staffing, with 全年预算数 and 决算数 chosen so every column has a number.
INCOME = [
    ("一、一般公共预算财政拨款收入", "1013.304904", "1020.1", "1019.9"),
    ("二、政府性基金预算财政拨款收入", "91.480081", "99.5", "98.25"),
    ("本年收入合计", "1104.784985", "1119.6", "1118.15"),
    ("年初结转和结余", "12.5", "12.5", "12.5"),
]
SPENDING = [
    ("基本支出", "446.204502", "450", "449.5"),
    ("项目支出", "682.448673", "690", "688.4"),
    ("政府性基金预算财政拨款支出", "137.26", "140", "139.1"),
    ("本年支出合计", "1128.653175", "1140", "1137.9"),
    ("年末结转", "0", "0", "0"),
    ("年末结余", "0", "0", "0"),
]
THREE_COSTS = [
    ("一、“三公”经费支出", "3.5", "3.5"),
    ("1.因公出国（境）费", "0", "0"),
    ("2.公务用车购置及运行维护费", "3.5", "3.5"),
    ("3.公务接待费", "0", "0"),
    ("二、会议费", "0", "0"),
]
STAFF = [("编制人数", 70, 32, 38), ("在职人员", 64, 29, 35), ("离退休人员", 12, 5, 7)]


def amount(text: str, yuan: bool) -> Any:
    """Return an amount as the 决算 software writes it: a number cell, in 元 when asked."""
    value = Decimal(text) * (10000 if yuan else 1)
    return float(value) if value != value.to_integral_value() else int(value)


# 附03's 机关运行经费 (万元) and vehicle rows, under the labels a variant gives them (the counts in the 决算数 column).
RUNNING_COSTS = ("35.6", "33.284")
VEHICLES = {"held": 2, "bought": 1}


def build(
    path: Path,
    *,
    yuan: bool = False,
    reverse: bool = False,
    blank_column: bool = False,
    long_names: bool = False,
    column_three_costs: bool = False,
    operations: dict[str, str] | None = None,
) -> Path:
    """Write a 决算 workbook: 财决01, 财决04, 附03 (or the 三公 table) and 基本数字表.

    `operations` adds 附03 rows by the labels it gives: 机关运行经费 under "running", the
    vehicle counts under "held" and "bought" (a label left out leaves its row out).
    """
    book = openpyxl.Workbook()
    book.remove(book.active)
    unit = "单位：元" if yuan else "金额单位：万元"
    prefix = "2021年度部门决算报表（巨鹿县阎疃镇人民政府）-" if long_names else ""
    order = (lambda rows: list(reversed(rows))) if reverse else list

    totals = book.create_sheet(_name(prefix + "收入支出决算总表（财决01表）"))
    totals.append(["收入支出决算总表"])
    totals.append(["财决01表", None, None, None, unit])
    header = ["项目", "行次", "年初预算数", "全年预算数", "决算数"]
    totals.append([*header, *header])
    rows_in, rows_out = order(INCOME), order(SPENDING)
    for number in range(max(len(rows_in), len(rows_out))):
        left = _line(rows_in, number, number + 1, yuan)
        right = _line(rows_out, number, number + 30, yuan)
        totals.append([*left, *right])

    spending = book.create_sheet(_name(prefix + "支出决算表（财决04表）"))
    spending.append(["支出决算表"])
    spending.append([unit])
    spending.append(["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"])
    lines = [["201", "一般公共服务支出", "1000", "400", "600"], [None, "合计", "1137.9", "449.5", "688.4"]]
    for line in order(lines):
        spending.append([*line[:2], *(amount(value, yuan) for value in line[2:])])

    running = book.create_sheet(_name(prefix + "机构运行信息表（财决附03表）"))
    running.append(["机构运行信息表"])
    running.append([unit])
    running.append(["项目", "行次", "预算数", "决算数"])
    # With the 三公 table, 附03 keeps only 会议费: the 三公 items come from the later table.
    lines = THREE_COSTS[-1:] if column_three_costs else THREE_COSTS
    lines = [(label, amount(budget, yuan), amount(final, yuan)) for label, budget, final in lines] + _operations(operations or {}, yuan)
    for number, (label, budget, final) in enumerate(order(lines), start=1):
        running.append([label, number, budget, final])
    if column_three_costs:
        _three_costs_table(book.create_sheet(_name(prefix + "一般公共预算财政拨款“三公”经费支出决算表（财决08表）")), unit, yuan)

    staff = book.create_sheet(_name(prefix + "基本数字表（财决附02表）"))
    staff.append(["基本数字表"])
    staff.append(["单位：人"])
    staff.append(["项目", "合计", "行政", "事业"])
    for line in order(STAFF):
        staff.append(list(line))

    if blank_column:
        for sheet in book.worksheets:
            _insert_blank_column(sheet)
    book.save(path)
    return path


def _operations(labels: dict[str, str], yuan: bool) -> list[tuple[str, Any, Any]]:
    """Return 附03's 机关运行经费 and vehicle rows under the labels given: (label, 预算数, 决算数)."""
    rows = []
    if "running" in labels:
        rows.append((labels["running"], *(amount(value, yuan) for value in RUNNING_COSTS)))
    rows += [(labels[key], None, count) for key, count in VEHICLES.items() if key in labels]
    return rows


def _insert_blank_column(sheet: Any) -> None:
    """Insert an empty column B, moving merged headers with their cells (openpyxl leaves merges in place)."""
    from openpyxl.utils import get_column_letter, range_boundaries

    merged = [range_boundaries(str(cells)) for cells in sheet.merged_cells.ranges]
    for cells in list(sheet.merged_cells.ranges):
        sheet.unmerge_cells(str(cells))
    sheet.insert_cols(2)
    for first_column, first_row, last_column, last_row in merged:
        first = first_column + (first_column >= 2)
        last = last_column + (last_column >= 2)
        sheet.merge_cells(f"{get_column_letter(first)}{first_row}:{get_column_letter(last)}{last_row}")


def _three_costs_table(sheet: Any, unit: str, yuan: bool) -> None:
    """Lay out the 三公 table: 预算数 and 决算数 as merged upper headers, the items below, one row of numbers."""
    sheet.append(["一般公共预算财政拨款“三公”经费支出决算表"])
    sheet.append([unit])
    items = ["合计", "因公出国（境）费", "小计", "公务用车购置费", "公务用车运行费", "公务接待费"]
    sheet.append(["预算数", None, None, None, None, None, "决算数"])
    sheet.merge_cells("A3:F3")
    sheet.merge_cells("G3:L3")
    sheet.append(items * 2)
    figures = ["3.5", "0", "3.5", "0", "3.5", "0"]
    sheet.append([amount(value, yuan) for value in figures * 2])


def _line(rows: list[tuple[str, ...]], index: int, number: int, yuan: bool) -> list[Any]:
    """Return one side of a 财决01 row: label, 行次 and three columns; blanks past the end."""
    if index >= len(rows):
        return [None] * 5
    label, *values = rows[index]
    return [label, number, *(amount(value, yuan) for value in values)]


def _name(title: str) -> str:
    """Cut a sheet name to Excel's 31 characters, as the 决算 software does."""
    return title[:31]
