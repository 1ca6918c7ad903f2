"""The facts workbook: equal to the YAML in every way, and every bad cell named by sheet, cell and field."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from docx_text import docx_lines
from jixiao.checks import check_facts
from jixiao.dump import dump_facts
from jixiao.facts import load_facts
from jixiao.report import build_document, docx_bytes
from jixiao.workbook import facts_data
from jixiao.workbookwrite import workbook_bytes

GOLDEN = Path(__file__).parent / "golden" / "yantuan-2021.txt"


@pytest.fixture
def workbook(example_path: Path, tmp_path: Path) -> Path:
    """Write the example as a workbook and return its path."""
    path = tmp_path / "2021.xlsx"
    path.write_bytes(workbook_bytes(facts_data(load_facts(example_path).facts)))
    return path


def find(book: openpyxl.Workbook, label: str) -> tuple[str, int]:
    """Return the sheet and row whose column A holds `label`."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows(min_col=1, max_col=1):
            if row[0].value == label:
                return sheet.title, row[0].row
    raise AssertionError(f"no row labelled {label}")


def edit(path: Path, changes: dict[str, object]) -> None:
    """Set the value cell (column B) of labelled rows, then save the workbook."""
    book = openpyxl.load_workbook(path)
    for label, value in changes.items():
        sheet, row = find(book, label)
        book[sheet].cell(row, 2).value = value
    book.save(path)


def cells(path: Path) -> dict[str, str]:
    """Return the value cell (sheet!B7) of every labelled row."""
    book = openpyxl.load_workbook(path)
    return {
        row[0].value: f"{sheet.title}!B{row[0].row}"
        for sheet in book.worksheets[1:]
        for row in sheet.iter_rows(min_col=1, max_col=1)
        if isinstance(row[0].value, str)
    }


def check_lines(run_cli, path: Path) -> list[str]:
    """Run `jixiao check` on a workbook that must fail; return its stderr lines."""
    result = run_cli("check", path)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.stderr.splitlines()


# --- equal to the YAML ---------------------------------------------------------------------------


def test_example_round_trips_through_a_workbook_with_every_decimal_text(example_path, workbook, tmp_path, run_cli):
    facts = load_facts(example_path).facts
    again = load_facts(workbook).facts
    assert again == facts
    assert dump_facts(again) == dump_facts(facts)
    assert str(again.budget.income.total) == "1104.784985"
    assert str(again.budget.three_costs.last_year.vehicles) == "4.0"
    result = run_cli("convert", workbook, tmp_path / "back.yaml")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"已转换：{tmp_path / 'back.yaml'}\n"
    assert load_facts(tmp_path / "back.yaml").facts == facts


def test_workbook_renders_the_golden_report(workbook, tmp_path):
    checked = check_facts(workbook)
    assert checked.facts is not None and checked.card is not None
    path = tmp_path / "report.docx"
    path.write_bytes(docx_bytes(build_document(checked.facts, checked.card)))
    assert docx_lines(path) == GOLDEN.read_text(encoding="utf-8").splitlines()


def test_money_cells_are_text_holding_the_exact_digits(workbook):
    book = openpyxl.load_workbook(workbook)
    sheet, row = find(book, "预算 › 收入 › 合计")
    cell = book[sheet].cell(row, 2)
    assert (cell.value, cell.data_type, cell.number_format) == ("1104.784985", "s", "@")
    assert cell.protection.locked is False
    assert book[sheet].cell(row, 1).protection.locked is True
    assert book[sheet].protection.sheet is True and not book[sheet].protection.password


def test_sheets_follow_the_report_and_choices_are_validated(workbook):
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames == [
        "填写说明", "单位与人员", "预算收支", "三公经费", "职责与任务", "履职成效", "满意度", "问题与措施", "评分数据", "自评得分",
    ]
    sheet = book["单位与人员"]
    assert sheet.freeze_panes == "B2"
    rules = {str(rule.sqref): rule for rule in sheet.data_validations.dataValidation}
    _, row = find(book, "单位 › 层级")
    assert rules[f"B{row}"].type == "list"
    assert rules[f"B{row}"].formula1 == '"乡镇,街道,区直部门,县直部门,市直部门,其他"'


def test_numbers_typed_as_numbers_read_as_their_digits(workbook):
    edit(workbook, {"预算 › 收入 › 合计": 1104.784985, "人员情况 › 在职人员": "64", "单位 › 年度": 2021.0})
    facts = load_facts(workbook).facts
    assert str(facts.budget.income.total) == "1104.784985"
    assert (facts.staffing.in_post, facts.unit.year) == (64, 2021)


def test_rows_in_another_order_on_a_renamed_sheet_read_the_same(example_path, workbook):
    book = openpyxl.load_workbook(workbook)
    book["预算收支"].title = "收支"
    book.move_sheet("收支", offset=3)
    sheet, row = find(book, "预算 › 收入 › 合计")
    book[sheet].move_range(f"A{row}:C{row}", rows=book[sheet].max_row + 2 - row)
    book.save(workbook)
    assert load_facts(workbook).facts == load_facts(example_path).facts


def test_items_added_in_spare_rows_and_blank_rows_are_read(workbook):
    book = openpyxl.load_workbook(workbook)
    sheet, row = find(book, "存在问题")
    items = [book[sheet].cell(r, 2).value for r in range(row + 2, row + 20)]
    spare = row + 2 + items.index(None)
    book[sheet].cell(spare + 1, 2).value = "新增的问题。"
    book.save(workbook)
    problems = load_facts(workbook).facts.problems
    assert problems[-1] == "新增的问题。"


@pytest.mark.office
def test_formulas_are_read_by_their_cached_result(workbook, tmp_path):
    """LibreOffice stands in for Excel and WPS: it computes the formula and saves its result."""
    edit(workbook, {"评分数据 › 预算数": "=1000+104.784985"})
    resaved = office_resave(workbook, tmp_path / "office")
    assert load_facts(resaved).facts.scoring.budget == Decimal("1104.784985")


# --- LibreOffice ---------------------------------------------------------------------------------


def office_resave(path: Path, folder: Path) -> Path:
    """Open and save a workbook with LibreOffice, as Excel or WPS would after editing."""
    folder.mkdir()
    command = ["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "xlsx", "--outdir", str(folder), str(path)]
    subprocess.run(command, capture_output=True, timeout=300, check=True)
    return folder / path.name


@pytest.mark.office
def test_a_workbook_saved_by_libreoffice_renders_the_same_report(example_path, workbook, tmp_path):
    resaved = office_resave(workbook, tmp_path / "office")
    assert resaved.read_bytes() != workbook.read_bytes()
    assert load_facts(resaved).facts == load_facts(example_path).facts
    checked = check_facts(resaved)
    path = tmp_path / "report.docx"
    path.write_bytes(docx_bytes(build_document(checked.facts, checked.card)))
    assert docx_lines(path) == GOLDEN.read_text(encoding="utf-8").splitlines()


# --- bad cells -----------------------------------------------------------------------------------


def test_every_bad_cell_is_named_by_sheet_cell_and_field_in_one_run(workbook, run_cli):
    edit(
        workbook,
        {
            "预算 › 收入 › 合计": "1,104.78",
            "预算 › 支出 › 基本支出": "-3",
            "人员情况 › 在职人员": "64.5",
            "单位 › 层级": "村委会",
            "成文日期": "2022年13月1日",
            "单位 › 全称": None,
        },
    )
    at = cells(workbook)
    lines = check_lines(run_cli, workbook)
    assert lines[:6] == [
        f"{workbook} {at['单位 › 全称']}: 错误：字段「单位 › 全称」：缺少必填项「全称」（单位全称，如「巨鹿县阎疃镇人民政府」；用于报告标题和文件名）",
        f"{workbook} {at['单位 › 层级']}: 错误：字段「单位 › 层级」：应为以下之一：「乡镇」、「街道」、「区直部门」、「县直部门」、「市直部门」、「其他」",
        f"{workbook} {at['人员情况 › 在职人员']}: 错误：字段「人员情况 › 在职人员」：应为整数（阿拉伯数字，不带小数点和单位）",
        f"{workbook} {at['成文日期']}: 错误：字段「成文日期」：没有这一天：2022年13月1日（应为日期，写作 2022-01-10 或 2022年1月10日）",
        f"{workbook} {at['预算 › 收入 › 合计']}: 错误：字段「预算 › 收入 › 合计 › 年初预算数」：应为数字，例如 1104.784985（不带单位和千分位逗号）",
        f"{workbook} {at['预算 › 支出 › 基本支出']}: 错误：字段「预算 › 支出 › 基本支出 › 年初预算数」：不能为负数",
    ]
    assert lines[-1] == f"{workbook}：6 处错误，0 处警告，不能生成报告。"


def test_a_formula_without_a_result_is_refused_at_its_cell(workbook, run_cli):
    edit(workbook, {"评分数据 › 预算数": "=B4+1"})
    assert check_lines(run_cli, workbook)[0] == (
        f"{workbook} {cells(workbook)['评分数据 › 预算数']}: 错误：字段「评分数据 › 预算数」：单元格中是公式「=B4+1」，"
        "但文件里没有保存计算结果：请在 Excel 或 WPS 中打开并保存一次，或直接填写数值"
    )


def test_unknown_and_repeated_labels_and_unlabelled_values(workbook, run_cli):
    book = openpyxl.load_workbook(workbook)
    sheet = book["单位与人员"]
    last = sheet.max_row
    sheet.append(["单位 › 全名", "某某镇"])
    sheet.append(["单位 › 简称", "又一个"])
    sheet.append([None, "没有字段名的内容"])
    sheet.cell(5, 5).value = "写在说明右边"
    book.save(workbook)
    lines = check_lines(run_cli, workbook)
    assert lines[0] == f"{workbook} 单位与人员!E5: 错误：「单位 › 简称」这一行只有 B 列是填写的值，这一格的内容不会读取；请填在 B 列或删去"
    # What cannot be placed is said first (as YAML syntax errors are), then what validation finds.
    assert lines[1:4] == [
        f"{workbook} 单位与人员!B{last + 3}: 错误：这一行填了内容，但 A 列没有字段名，无法知道它属于哪一项；请补上字段名或删去这一行",
        f"{workbook} 单位与人员!B{last + 2}: 错误：字段「单位 › 简称」：重复的字段（单位与人员!B5 已经写过）",
        f"{workbook} 单位与人员!B{last + 1}: 错误：字段「单位 › 全名」：未知字段「全名」，是否想写「全称」？",
    ]


def test_tables_name_unknown_columns_unheaded_cells_and_nameless_rows(workbook, run_cli):
    book = openpyxl.load_workbook(workbook)
    sheet_name, row = find(book, "改进措施")
    sheet = book[sheet_name]
    sheet.cell(row + 1, 3).value = "说明"
    sheet.cell(row + 2, 5).value = "表外的内容"
    scores, score_row = find(book, "自评得分")
    book[scores].cell(score_row + 2, 1).value = None
    book.save(workbook)
    lines = check_lines(run_cli, workbook)
    assert f"{workbook} 问题与措施!A{row + 1}: 错误：表格「改进措施」的表头有未知的列「说明」；这个表格的列是：标题、内容" in lines
    assert f"{workbook} 问题与措施!E{row + 2}: 错误：表格「改进措施」这一列没有表头，无法知道内容属于哪一项" in lines
    assert f"{workbook} 自评得分!A{score_row + 2}: 错误：表格「自评得分」这一行填了内容，但没有填名称（A 列）" in lines


def test_amounts_stand_in_columns_and_nothing_typed_beside_them_is_lost(workbook, run_cli):
    book = openpyxl.load_workbook(workbook)
    sheet_name, row = find(book, "预算 › 支出 › 合计")
    sheet = book[sheet_name]
    headings = [sheet.cell(row - 1, column).value for column in range(1, 9)]
    assert headings == ["栏目", "年初预算数", "全年预算数", "决算数", "上年 › 年初预算数", "上年 › 全年预算数", "上年 › 决算数", "说明"]
    assert sheet.cell(row, 2).value == "1128.653175"
    sheet.cell(row, 4).value = "1120.5"
    sheet.cell(row, 10).value = "9"
    section_name, section_row = find(book, "预算 › 支出")
    book[section_name].cell(section_row, 2).value = "100"
    book.save(workbook)
    lines = check_lines(run_cli, workbook)
    assert f"{workbook} {section_name}!B{section_row}: 错误：「预算 › 支出」是标题行，这里不填内容；请填在它下面的各行" in lines
    assert (
        f"{workbook} {sheet_name}!J{row}: 错误：「预算 › 支出 › 合计」这一格上方的栏目不是它的栏目"
        "（年初预算数、全年预算数、决算数、上年 › 年初预算数、上年 › 全年预算数、上年 › 决算数），无法知道内容属于哪一栏"
    ) in lines
    book = openpyxl.load_workbook(workbook)
    book[sheet_name].cell(row, 10).value = None
    book[section_name].cell(section_row, 2).value = None
    book.save(workbook)
    assert str(load_facts(workbook).facts.budget.expenditure.total_line.final) == "1120.5"


def test_an_amount_alone_reads_as_its_first_column_and_upgrade_lays_it_out(example_path, workbook, run_cli):
    """A workbook holding a line as one amount (no 栏目 row above it) reads as YAML's jixiao 0.2 layout does."""
    book = openpyxl.load_workbook(workbook)
    sheet_name, row = find(book, "预算 › 收入 › 合计")
    sheet = book[sheet_name]
    sheet.delete_rows(row - 1)  # the 栏目 row
    sheet.cell(row - 1, 2).value = "1104.784985"
    for column in range(3, 9):
        sheet.cell(row - 1, column).value = None
    book.save(workbook)
    facts = load_facts(workbook)
    assert str(facts.facts.budget.income.total_line.initial) == "1104.784985"
    assert facts.facts == load_facts(example_path).facts
    result = run_cli("upgrade", workbook)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(workbook)
    sheet_name, row = find(book, "预算 › 收入 › 合计")
    assert book[sheet_name].cell(row - 1, 1).value == "栏目"
    assert load_facts(workbook).facts == load_facts(example_path).facts


def test_a_bad_answer_to_a_checklist_is_named_at_its_cell(workbook, run_cli):
    book = openpyxl.load_workbook(workbook)
    sheet_name, row = find(book, "评分数据 › 评价要点")
    book[sheet_name].cell(row + 2, 2).value = "大部分符合"
    name = book[sheet_name].cell(row + 2, 1).value
    book.save(workbook)
    assert check_lines(run_cli, workbook)[0] == (
        f"{workbook} {sheet_name}!B{row + 2}: 错误：字段「评分数据 › 评价要点 › {name}」："
        "应为「全部符合」「全部不符合」，或符合的评价要点序号列表（从 1 起），如 [1, 2]"
    )


def test_merged_rows_are_refused_hidden_rows_and_extra_sheets_are_told(workbook, run_cli):
    book = openpyxl.load_workbook(workbook)
    book["单位与人员"].merge_cells("B4:B5")
    book["满意度"].row_dimensions[3].hidden = True
    book.create_sheet("草稿")["A1"] = "随手记的内容"
    book.save(workbook)
    lines = check_lines(run_cli, workbook)
    assert f"{workbook} 单位与人员!B4: 错误：合并了跨行的单元格 B4:B5：合并后只有第一行还有内容，其余行会读不到；请取消合并" in lines
    assert f"{workbook} 满意度!A3: 警告：工作表「满意度」有隐藏的行（第 3 行），其中的内容照常读取" in lines
    assert (
        f"{workbook} 草稿!A1: 警告：工作表「草稿」不是 jixiao 的事实数据表（A1 不是「字段」），其中的内容没有读取；"
        "如有事实数据，请移到对应的工作表"
    ) in lines


def test_files_that_are_not_facts_workbooks(tmp_path, run_cli):
    not_zip = tmp_path / "a.xlsx"
    not_zip.write_text("金额单位: 万元", encoding="utf-8")
    foreign = tmp_path / "b.xlsx"
    openpyxl.Workbook().save(foreign)
    assert check_lines(run_cli, not_zip)[0] == (
        f"{not_zip}: 错误：不是 .xlsx 工作簿（无法按 zip 包打开）；旧的 .xls 格式请先在 Excel、WPS 或 LibreOffice 中另存为 .xlsx"
    )
    assert check_lines(run_cli, foreign)[0] == (
        f"{foreign}: 错误：这不是 jixiao 的事实数据工作簿：没有一个工作表的 A1 是「字段」；请用「jixiao init 文件名.xlsx」新建工作簿再填写"
    )


def test_a_package_with_a_dtd_is_refused_before_parsing(workbook, tmp_path, run_cli):
    hostile = tmp_path / "hostile.xlsx"
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(hostile, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/workbook.xml":
                data = data.replace(b"<workbook", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><workbook', 1)
            target.writestr(item, data)
    assert check_lines(run_cli, hostile)[0] == (
        f"{hostile}: 错误：工作簿的部件 xl/workbook.xml 含有 DTD 声明（<!DOCTYPE），可能是恶意文件，未读取"
    )


# --- init and convert ----------------------------------------------------------------------------


def test_init_writes_an_empty_workbook_whose_check_lists_each_required_cell(tmp_path, run_cli):
    path = tmp_path / "2022.xlsx"
    result = run_cli("init", path)
    assert result.exit_code == 0, result.output
    lines = check_lines(run_cli, path)
    assert lines[0] == f"{path} 单位与人员!B2: 错误：字段「金额单位」：缺少必填项「金额单位」（本文件所有金额的单位：元或万元）"
    assert lines[-1] == f"{path}：7 处错误，0 处警告，不能生成报告。"
    assert run_cli("init", path).exit_code == 1


def test_init_from_last_year_carries_over_into_a_workbook(example_path, tmp_path, run_cli):
    path = tmp_path / "2022.xlsx"
    assert run_cli("init", path, "--from", example_path).exit_code == 0
    lines = check_lines(run_cli, path)
    assert lines[0] == f"{path} 单位与人员!B8: 错误：字段「单位 › 评价依据」：尚未填写（init 生成的空白）：请填上实际内容；不适用的可选项可整行删除"
    book = openpyxl.load_workbook(path)
    sheet, row = find(book, "单位 › 年度")
    assert book[sheet].cell(row, 2).value == 2022


def test_convert_refuses_an_existing_target_and_an_unknown_form(example_path, tmp_path, run_cli):
    target = tmp_path / "a.xlsx"
    target.write_bytes(b"kept")
    result = run_cli("convert", example_path, target)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{target}: 错误：文件已存在，不会覆盖；请换一个文件名，或加 --force 覆盖它"
    assert target.read_bytes() == b"kept"
    assert run_cli("convert", example_path, target, "--force").exit_code == 0
    assert load_facts(target).facts == load_facts(example_path).facts
    unknown = run_cli("convert", example_path, tmp_path / "a.txt")
    assert unknown.stderr.splitlines()[0] == f"{tmp_path / 'a.txt'}: 错误：不知道要转换成什么格式：目标文件名应以 .yaml、.yml、.xlsx、.xlsm 结尾"


def test_reading_yaml_does_not_import_openpyxl(example_path):
    code = f"import sys; from jixiao.checks import check_facts; check_facts({str(example_path)!r}); print('openpyxl' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout == "False\n"
