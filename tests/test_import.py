"""jixiao import: the 决算 workbook read by its labels fills the example's money and staffing, whatever the variant."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from finalaccounts_books import build
from jixiao.dump import Layout, emit_document
from jixiao.facts import Facts, load_facts
from jixiao.workbookwrite import workbook_bytes
from jixiao.yamlsource import load_yaml

VARIANTS = {
    "万元": {},
    "元": {"yuan": True},
    "rows reversed": {"reverse": True},
    "blank column": {"blank_column": True},
    "names cut to 31": {"long_names": True},
    "三公 table": {"column_three_costs": True},
    "all at once": {"yuan": True, "reverse": True, "blank_column": True, "long_names": True},
}


def stripped(example_path: Path) -> dict[str, Any]:
    """Return the example's data without its money and staffing figures (income sources keep their names)."""
    data = load_yaml(example_path).data
    data["人员情况"] = {}
    budget = data["预算"]
    budget["收入"] = {"来源": [{"名称": item["名称"]} for item in budget["收入"]["来源"]]}
    budget["支出"] = {}
    for key in ("三公经费", "年末结转", "年末结余"):
        budget.pop(key)
    return data


def money_and_staff(facts: Facts) -> dict[tuple, Any]:
    """Return every money and staffing leaf of facts, 三公 items read as stated (决算数 when given in columns)."""
    data = facts.model_dump(by_alias=True, exclude_none=True, exclude_defaults=True)
    budget = data["预算"]
    # An income source's amount is its 金额 or its stated column, whichever the file gives.
    budget["收入"]["来源"] = [{"名称": item.name, "金额": item.amount} for item in facts.budget.income.sources]
    if "三公经费" in budget:
        stated = facts.budget.three_costs.this_year.stated
        budget["三公经费"] = {"本年": stated.model_dump(by_alias=True, exclude_none=True, exclude={"budget", "final"})}
    return dict(leaves({"预算": budget, "人员情况": data["人员情况"]}))


def leaves(value: Any, path: tuple = ()) -> list[tuple[tuple, Any]]:
    """Return (path, value) of every leaf of plain data."""
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in leaves(item, (*path, key))]
    if isinstance(value, list):
        return [leaf for index, item in enumerate(value) for leaf in leaves(item, (*path, index))]
    return [(path, value)]


@pytest.fixture
def target(example_path: Path, tmp_path: Path) -> Path:
    """Write the example without its figures, as a YAML facts file to import into."""
    path = tmp_path / "2021.yaml"
    path.write_text(emit_document(Facts, stripped(example_path), Layout()), encoding="utf-8")
    return path


@pytest.mark.parametrize("variant", VARIANTS)
def test_import_fills_every_money_and_staffing_fact_of_the_example(variant, example_path, target, tmp_path, run_cli):
    source = build(tmp_path / "决算.xlsx", **VARIANTS[variant])
    result = run_cli("import", source, "--into", target)
    assert result.exit_code == 0, result.output
    expected = money_and_staff(load_facts(example_path).facts)
    imported = money_and_staff(load_facts(target).facts)
    assert {path: imported.get(path) for path in expected} == expected


@pytest.mark.office
def test_a_legacy_xls_is_read_through_libreoffice(example_path, target, tmp_path, run_cli):
    book = build(tmp_path / "决算.xlsx", yuan=True)
    command = ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "xls", "--outdir", str(tmp_path / "xls"), str(book)]
    subprocess.run(command, capture_output=True, timeout=300, check=True)
    result = run_cli("import", tmp_path / "xls" / "决算.xls", "--into", target)
    assert result.exit_code == 0, result.output
    expected = money_and_staff(load_facts(example_path).facts)
    assert {path: value for path, value in money_and_staff(load_facts(target).facts).items() if path in expected} == expected


def test_the_report_names_each_fact_its_cell_and_labels_and_what_was_not_found(target, tmp_path, run_cli):
    source = build(tmp_path / "决算.xlsx", yuan=True)
    lines = run_cli("import", source, "--into", target).stdout.splitlines()
    assert lines[0] == f"从 {source} 读取："
    assert "  工作表「收入支出决算总表（财决01表）」的金额单位是元，已换算为万元" in lines
    assert "  预算 › 收入 › 合计 › 年初预算数 = 1104.784985 ← 收入支出决算总表（财决01表）!C6（行「本年收入合计」，列「年初预算数」）" in lines
    assert "  人员情况 › 在职人员 = 64 ← 基本数字表（财决附02表）!B5（行「在职人员」，列「合计」）" in lines
    assert "  人员情况 › 离休人员：工作表「基本数字表（财决附02表）」中没有标题为「离休人员」「离休」的行" in lines
    assert "  人员情况 › 工勤编制：工作表「基本数字表（财决附02表）」中没有标题为「工勤编制」「工勤」的列（在行「编制人数」的右边）" in lines
    assert lines[-1] == f"已写入：{target}"


def test_facts_already_entered_are_kept_unless_overwrite(example_path, tmp_path, run_cli):
    facts = tmp_path / "2021.yaml"
    facts.write_text(example_path.read_text(encoding="utf-8").replace("在职人员: 64", "在职人员: 63"), encoding="utf-8")
    source = build(tmp_path / "决算.xlsx")
    lines = run_cli("import", source, "--into", facts).stdout.splitlines()
    assert "文件中已有、与决算表不同，未覆盖（加 --overwrite 可改为决算表的数）：" in lines
    assert "  人员情况 › 在职人员 = 64 ← 基本数字表（财决附02表）!B5（行「在职人员」，列「合计」）（文件中原为 63）" in lines
    assert load_facts(facts).facts.staffing.in_post == 63
    assert "# 来源：巨鹿县阎疃镇人民政府《2021 年度部门整体支出绩效评价报告》" in facts.read_text(encoding="utf-8")
    lines = run_cli("import", source, "--into", facts, "--overwrite").stdout.splitlines()
    assert "已改为决算表的数：" in lines
    assert load_facts(facts).facts.staffing.in_post == 64
    assert "# 来源：巨鹿县阎疃镇人民政府《2021 年度部门整体支出绩效评价报告》" in facts.read_text(encoding="utf-8")


def test_import_into_a_workbook(example_path, tmp_path, run_cli):
    workbook = tmp_path / "2021.xlsx"
    workbook.write_bytes(workbook_bytes(stripped(example_path)))
    result = run_cli("import", build(tmp_path / "决算.xlsx", reverse=True), "--into", workbook)
    assert result.exit_code == 0, result.output
    expected = money_and_staff(load_facts(example_path).facts)
    imported = money_and_staff(load_facts(workbook).facts)
    assert {path: imported.get(path) for path in expected} == expected


def test_a_county_mapping_file_adds_a_table_without_code(target, tmp_path, run_cli):
    mapping = tmp_path / "县对照表.yaml"
    mapping.write_text(
        "表:\n  - 表名: [人员统计]\n    取数:\n      - 事实: 人员情况 › 在职人员\n        类型: 人数\n        行: [在岗人数]\n        列: [人数]\n",
        encoding="utf-8",
    )
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "人员统计"
    book.active.append(["项目", None, "人数"])
    book.active.append(["在岗人数", None, 64])
    source = tmp_path / "统计.xlsx"
    book.save(source)
    result = run_cli("import", source, "--into", target, "--mapping", mapping)
    assert result.stdout.splitlines()[1:3] == ["填入 1 项：", "  人员情况 › 在职人员 = 64 ← 人员统计!C2（行「在岗人数」，列「人数」）"]
    mapping.write_text(mapping.read_text(encoding="utf-8").replace("在职人员", "在岗人员"), encoding="utf-8")
    result = run_cli("import", source, "--into", target, "--mapping", mapping)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{mapping}:4:9: 错误：字段「表 › 第1项 › 取数 › 第1项 › 事实」：事实数据中没有「人员情况 › 在岗人员」这一项"


def test_a_missing_target_is_refused_with_the_init_command(tmp_path, run_cli):
    result = run_cli("import", build(tmp_path / "决算.xlsx"), "--into", tmp_path / "2022.yaml")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"错误：找不到要填入的文件 {tmp_path / '2022.yaml'}；请先运行「jixiao init {tmp_path / '2022.yaml'}」新建"
