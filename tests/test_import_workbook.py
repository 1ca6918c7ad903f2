"""jixiao import into a workbook updates the cells in place: the officer's edits to the workbook all survive."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from finalaccounts_books import build
from jixiao.facts import load_facts
from jixiao.workbookwrite import workbook_bytes
from jixiao.yamlsource import load_yaml
from office_convert import convert
from test_import import money_and_staff, stripped

YELLOW = "FFFFFF00"
NOTE = "核对人：张三（12月1日）"


@pytest.fixture
def workbook(example_path: Path, tmp_path: Path) -> Path:
    """Write the example without its figures as a workbook, as `jixiao convert` lays it out."""
    return facts_workbook(stripped(example_path), tmp_path)


def facts_workbook(data: dict[str, Any], folder: Path) -> Path:
    """Write facts data as the workbook `jixiao convert` makes (convert itself refuses facts still incomplete)."""
    path = folder / "2021.xlsx"
    path.write_bytes(workbook_bytes(data))
    return path


def edit_as_an_officer(path: Path) -> None:
    """Edit the workbook as an officer would: a fill, a column width, a comment, an extra sheet, a note and formulas."""
    book = openpyxl.load_workbook(path)
    sheet = book["单位与人员"]
    sheet["B3"].fill = PatternFill("solid", fgColor=YELLOW)
    book["预算收支"].column_dimensions["C"].width = 61
    book["预算收支"]["A2"].comment = Comment("收入按决算表填", "张三")
    book["预算收支"]["F200"] = NOTE
    book["预算收支"]["G200"] = "=1+2"
    extra = book.create_sheet("核对记录")
    extra.append(["项目", "金额"])
    extra.append(["合计", "=SUM(1,2)"])
    book.save(path)


def officer_edits(path: Path) -> dict[str, Any]:
    """Return what the officer's edits (and the writer's protections) look like in a workbook."""
    book = openpyxl.load_workbook(path)
    sheet = book["预算收支"]
    return {
        "fill": book["单位与人员"]["B3"].fill.fgColor.rgb,
        "width": sheet.column_dimensions["C"].width,
        "comment": sheet["A2"].comment.text if sheet["A2"].comment else None,
        "note": sheet["F200"].value,
        "formula": sheet["G200"].value,
        "extra sheet": [[cell.value for cell in row] for row in book["核对记录"].iter_rows()],
        "guide first": book.sheetnames[0],
        "guide": [row[0].value for row in book["填写说明"].iter_rows()],
        "frozen": sheet.freeze_panes,
        "protected": sheet.protection.sheet,
        "label locked": sheet["A3"].protection.locked,
        "validations": sorted(str(v.sqref) for v in sheet.data_validations.dataValidation),
    }


def assert_imported(example_path: Path, path: Path) -> None:
    """Assert the workbook now holds the example's money and staffing."""
    expected = money_and_staff(load_facts(example_path).facts)
    imported = money_and_staff(load_facts(path).facts)
    assert {place: imported.get(place) for place in expected} == expected


def test_import_updates_the_cells_and_keeps_every_edit(example_path, workbook, tmp_path, run_cli):
    edit_as_an_officer(workbook)
    before = officer_edits(workbook)
    assert before["fill"] == YELLOW and before["comment"].startswith("收入按决算表填") and before["validations"]
    result = run_cli("import", build(tmp_path / "决算.xlsx", yuan=True), "--into", workbook)
    assert result.exit_code == 0, result.output
    assert_imported(example_path, workbook)
    assert officer_edits(workbook) == before


@pytest.mark.office
def test_import_into_a_workbook_saved_by_libreoffice_keeps_formulas_in_fact_cells(example_path, workbook, tmp_path, run_cli):
    edit_as_an_officer(workbook)
    book = openpyxl.load_workbook(workbook)
    year = next(row[1] for row in book["单位与人员"].iter_rows() if row[0].value == "单位 › 年度")
    year.value = "=2020+1"  # LibreOffice saves the formula with its result, as Excel and WPS do
    book.save(workbook)
    saved = convert(workbook, "xlsx", tmp_path / "libreoffice")
    before = officer_edits(saved)
    result = run_cli("import", build(tmp_path / "决算.xlsx"), "--into", saved)
    assert result.exit_code == 0, result.output
    assert_imported(example_path, saved)
    assert officer_edits(saved) == before
    assert openpyxl.load_workbook(saved)["单位与人员"][year.coordinate].value == "=2020+1"
    assert load_facts(saved).facts.unit.year == 2021


def test_new_list_items_take_the_empty_rows_under_their_table(example_path, tmp_path, run_cli):
    data = stripped(example_path)
    data["预算"]["收入"] = {}
    workbook = facts_workbook(data, tmp_path)
    result = run_cli("import", build(tmp_path / "决算.xlsx"), "--into", workbook)
    assert result.exit_code == 0, result.output
    sources = load_facts(workbook).facts.budget.income.sources
    assert [(s.name, s.kind, s.final) for s in sources] == [
        ("一般公共预算财政拨款收入", "财政拨款", Decimal("1019.9")),
        ("政府性基金预算财政拨款收入", "政府性基金", Decimal("98.25")),
        ("上年结转和结余", "上年结转", Decimal("12.5")),
    ]


def test_a_table_without_an_empty_row_is_refused_naming_the_item(example_path, tmp_path, run_cli):
    data = stripped(example_path)
    data["预算"]["收入"] = {"来源": [{"名称": "一般公共预算财政拨款收入"}]}
    workbook = facts_workbook(data, tmp_path)
    book = openpyxl.load_workbook(workbook)
    sheet = book["预算收支"]
    first = next(row for row in range(1, sheet.max_row) if sheet.cell(row, 2).value == "一般公共预算财政拨款收入") + 1
    sheet.delete_rows(first, 4)  # the spare rows and the blank row under the table
    book.save(workbook)
    assert refusal(run_cli, build(tmp_path / "决算.xlsx"), workbook) == (
        f"{workbook}: 错误：字段「预算 › 收入 › 来源 › 第2项」：工作簿中表格「预算 › 收入 › 来源」的最后一项下面没有空行，"
        "无法添加新的一项「政府性基金预算财政拨款收入」；请在这个表格下面插入一个空行后再导入（工作簿未改动）"
    )


def refusal(run_cli, source: Path, workbook: Path) -> str:
    """Import into a workbook that must be refused: assert it is left as it was, and return the first line of the error."""
    content = workbook.read_bytes()
    result = run_cli("import", source, "--into", workbook)
    assert result.exit_code == 1
    assert workbook.read_bytes() == content
    return result.stderr.splitlines()[0]


def delete_rows(path: Path, sheet_name: str, wanted: Any) -> None:
    """Delete the rows of a sheet whose column-A label `wanted` accepts, as if the workbook were made before those fields."""
    book = openpyxl.load_workbook(path)
    sheet = book[sheet_name]
    for row in reversed([cell.row for cell in sheet["A"] if isinstance(cell.value, str) and wanted(cell.value)]):
        sheet.delete_rows(row)
    book.save(path)


def column_a(path: Path, sheet_name: str) -> list[Any]:
    """Return a sheet's column-A labels, in order."""
    return [cell.value for cell in openpyxl.load_workbook(path)[sheet_name]["A"]]


def test_fields_the_workbook_lacks_get_rows_at_the_end_of_their_sheet(workbook, tmp_path, run_cli):
    new = ("机关运行经费", "公务用车保有量", "公务用车购置数")
    delete_rows(workbook, "三公经费", lambda label: label.endswith(new))
    source = build(tmp_path / "决算.xlsx", operations={"running": "机关运行经费", "held": "公务用车保有量", "bought": "购置车辆数"})
    result = run_cli("import", source, "--into", workbook)
    assert result.exit_code == 0, result.output
    year = load_facts(workbook).facts.budget.three_costs.this_year
    assert (year.budget.running_costs, year.final.running_costs, year.vehicles_held, year.vehicles_bought) == (Decimal("35.6"), Decimal("33.284"), 2, 1)
    assert column_a(workbook, "三公经费")[-4:] == [
        "预算 › 三公经费 › 本年 › 预算数 › 机关运行经费",
        "预算 › 三公经费 › 本年 › 决算数 › 机关运行经费",
        "预算 › 三公经费 › 本年 › 公务用车保有量",
        "预算 › 三公经费 › 本年 › 公务用车购置数",
    ]


def test_a_line_of_amounts_the_workbook_lacks_gets_its_row_under_its_own_heading(example_path, workbook, tmp_path, run_cli):
    delete_rows(workbook, "预算收支", lambda label: label == "预算 › 收入 › 合计")
    result = run_cli("import", build(tmp_path / "决算.xlsx"), "--into", workbook)
    assert result.exit_code == 0, result.output
    assert_imported(example_path, workbook)
    assert column_a(workbook, "预算收支")[-2:] == ["栏目", "预算 › 收入 › 合计"]


# A drop-down list drawing its choices from another sheet, as Excel 2010 and later store it (an x14 extension).
X14_LIST = (
    '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:dataValidation type="list" allowBlank="1">'
    "<x14:formula1><xm:f>核对记录!$A$1:$A$2</xm:f></x14:formula1><xm:sqref>E3</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>"
)


def test_content_the_update_cannot_keep_is_named_and_the_workbook_left_alone(workbook, tmp_path, run_cli):
    edit_as_an_officer(workbook)
    package = tmp_path / "excel.xlsx"
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b"</worksheet>", X14_LIST.encode("utf-8") + b"</worksheet>")
            target.writestr(info, data)
    assert refusal(run_cli, build(tmp_path / "决算.xlsx"), package) == (
        f"{package}: 错误：工作簿中有改写时无法保留的内容（openpyxl：Data Validation extension is not supported and will be removed），"
        "为免丢失，工作簿未改动；请改为导入到 YAML 文件（jixiao convert excel.xlsx excel.yaml，导入后再转换回来），或去掉这些内容后再导入"
    )


def test_a_new_item_in_the_blank_row_under_a_table_gets_the_style_and_validation_of_the_row_above(example_path, tmp_path, run_cli):
    data = stripped(example_path)
    data["预算"]["收入"] = {}
    workbook = facts_workbook(data, tmp_path)
    book = openpyxl.load_workbook(workbook)
    sheet = book["预算收支"]
    heading = next(cell.row for cell in sheet["A"] if cell.value == "预算 › 收入 › 来源") + 1
    sheet.delete_rows(heading + 1)  # two spare rows are left, then the blank row before the next part
    book.save(workbook)
    result = run_cli("import", build(tmp_path / "决算.xlsx"), "--into", workbook)
    assert result.exit_code == 0, result.output
    assert [s.name for s in load_facts(workbook).facts.budget.income.sources][-1] == "上年结转和结余"
    sheet = openpyxl.load_workbook(workbook)["预算收支"]
    above, taken = heading + 2, heading + 3
    assert [sheet.cell(taken, column).value for column in (1, 2)] == [3, "上年结转和结余"]
    for column in range(1, 9):
        assert sheet.cell(taken, column).protection.locked == sheet.cell(above, column).protection.locked
        assert sheet.cell(taken, column).number_format == sheet.cell(above, column).number_format
    amounts = [v for v in sheet.data_validations.dataValidation if f"D{above}" in v.sqref]
    assert amounts and all(f"D{taken}" in v.sqref for v in amounts)


def test_overwrite_replaces_the_value_in_its_cell_and_keeps_the_cell_format(example_path, tmp_path, run_cli):
    data = load_yaml(example_path).data
    data["人员情况"]["在职人员"] = 63
    workbook = facts_workbook(data, tmp_path)
    book = openpyxl.load_workbook(workbook)
    cell = next(row[1] for row in book["单位与人员"].iter_rows() if row[0].value == "人员情况 › 在职人员")
    cell.fill = PatternFill("solid", fgColor=YELLOW)
    book.save(workbook)
    source = build(tmp_path / "决算.xlsx")
    lines = run_cli("import", source, "--into", workbook).stdout.splitlines()
    assert "  人员情况 › 在职人员 = 64 ← 基本数字表（财决附02表）!B5（行「在职人员」，列「合计」）（文件中原为 63）" in lines
    assert load_facts(workbook).facts.staffing.in_post == 63
    assert run_cli("import", source, "--into", workbook, "--overwrite").exit_code == 0
    assert load_facts(workbook).facts.staffing.in_post == 64
    kept = openpyxl.load_workbook(workbook)["单位与人员"][cell.coordinate]
    assert (kept.value, kept.fill.fgColor.rgb, kept.protection.locked) == (64, YELLOW, False)


def test_a_fact_cell_inside_merged_cells_is_refused(workbook, tmp_path, run_cli):
    book = openpyxl.load_workbook(workbook)
    sheet = book["预算收支"]
    row = next(cell.row for cell in sheet["A"] if cell.value == "预算 › 收入 › 合计")
    sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
    book.save(workbook)
    assert refusal(run_cli, build(tmp_path / "决算.xlsx"), workbook) == (
        f"{workbook}: 错误：字段「预算 › 收入 › 合计 › 全年预算数」：单元格 预算收支!C{row} 在合并的单元格中，无法填入；请取消合并后再导入（工作簿未改动）"
    )
