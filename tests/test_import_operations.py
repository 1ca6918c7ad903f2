"""机关运行经费 and the official vehicles: imported from 财决附03表 by label, said in the report, questioned by check."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from docx_text import body_text
from edits import edited_copy
from finalaccounts_books import build
from jixiao.checks import consistency_problems
from jixiao.dump import Layout, emit_document
from jixiao.facts import Facts, load_facts
from jixiao.render.form_tables import three_costs_table
from jixiao.yamlsource import load_yaml

CITY_UNIT = Path(__file__).parent / "data" / "facts" / "city-commission-2022.yaml"
SHEET = "机构运行信息表（财决附03表）"
AS_OF = date(2023, 6, 1)  # checked "as of" a fixed day, as in test_checks

# The labels real 财决附03表 give these rows, with the sheet options of the variant.
LABELS = {
    "万元, numbered rows": ({"running": "二、机关运行经费", "held": "公务用车保有量（辆）", "bought": "公务用车购置数（辆）"}, {}),
    "元, other labels": ({"running": "机关运行经费支出", "held": "年末实有车辆数", "bought": "本年购置车辆数"}, {"yuan": True}),
    "车辆数, reversed, blank column": ({"running": "机关运行经费", "held": "车辆数(辆)", "bought": "购置车辆数"}, {"reverse": True, "blank_column": True}),
    "with the 三公 table": ({"running": "（二）机关运行经费", "held": "公务用车保有量"}, {"column_three_costs": True, "yuan": True}),
}


@pytest.fixture
def target(example_path: Path, tmp_path: Path) -> Path:
    """Write the example without its 三公经费, as a YAML facts file to import into."""
    data = load_yaml(example_path).data
    data["预算"].pop("三公经费")
    path = tmp_path / "2021.yaml"
    path.write_text(emit_document(Facts, data, Layout()), encoding="utf-8")
    return path


@pytest.mark.parametrize("variant", LABELS)
def test_running_costs_and_vehicles_are_read_by_their_labels_in_either_unit(variant, target, tmp_path, run_cli):
    labels, options = LABELS[variant]
    result = run_cli("import", build(tmp_path / "决算.xlsx", operations=labels, **options), "--into", target)
    assert result.exit_code == 0, result.output
    year = load_facts(target).facts.budget.three_costs.this_year
    assert (year.budget.running_costs, year.final.running_costs) == (Decimal("35.6"), Decimal("33.284"))
    assert (year.vehicles_held, year.vehicles_bought) == (2, 1 if "bought" in labels else None)


def test_the_import_names_the_cells_of_running_costs_and_vehicles(target, tmp_path, run_cli):
    labels = {"running": "二、机关运行经费", "held": "公务用车保有量（辆）", "bought": "公务用车购置数（辆）"}
    lines = run_cli("import", build(tmp_path / "决算.xlsx", operations=labels, yuan=True), "--into", target).stdout.splitlines()
    assert f"  预算 › 三公经费 › 本年 › 决算数 › 机关运行经费 = 33.284 ← {SHEET}!D9（行「机关运行经费」，列「决算数」）" in lines
    assert f"  预算 › 三公经费 › 本年 › 公务用车保有量 = 2 ← {SHEET}!D10（行「公务用车保有量(辆)」，列「决算数」）" in lines
    assert f"  预算 › 三公经费 › 本年 › 公务用车购置数 = 1 ← {SHEET}!D11（行「公务用车购置数(辆)」，列「决算数」）" in lines


def test_missing_vehicle_rows_are_reported_as_not_found_and_never_filled(target, tmp_path, run_cli):
    lines = run_cli("import", build(tmp_path / "决算.xlsx"), "--into", target).stdout.splitlines()
    held = "」「".join(["公务用车保有量", "公务用车保有量（辆）", "年末公务用车保有量", "年末实有车辆数", "年末实有车辆数（辆）", "实有车辆数", "车辆数", "车辆数（辆）"])
    assert f"  预算 › 三公经费 › 本年 › 公务用车保有量：工作表「{SHEET}」中没有标题为「{held}」的行" in lines
    assert f"  预算 › 三公经费 › 本年 › 决算数 › 机关运行经费：工作表「{SHEET}」中没有标题为「机关运行经费」「机关运行经费支出」的行" in lines
    year = load_facts(target).facts.budget.three_costs.this_year
    assert (year.final.running_costs, year.vehicles_held, year.vehicles_bought) == (None, None, None)
    assert "机关运行经费" not in target.read_text(encoding="utf-8")


def test_the_report_says_running_costs_and_vehicles_in_the_three_costs_paragraph(example_path, tmp_path, run_cli):
    facts = edited_copy(example_path, tmp_path, ("      公务接待费: 0\n", "      公务接待费: 0\n      机关运行经费: 33.284\n      公务用车保有量: 2\n"))
    assert run_cli("render", facts, "-o", tmp_path / "r.docx").exit_code == 0
    expected = "三公经费及会议费支出情况：2021年度因公出国（境）费用0万元；公务用车购置及运行维护费3.5万元；公务接待费0万元；会议费0万元。机关运行经费33.284万元，年末公务用车保有量2辆。"
    assert expected in body_text(tmp_path / "r.docx")


def test_the_report_names_the_column_and_last_year(tmp_path, run_cli):
    facts = edited_copy(
        CITY_UNIT,
        tmp_path,
        ("        培训费: 2.45\n", "        培训费: 2.45\n        机关运行经费: 86.5\n      公务用车购置数: 1\n"),
        ("        公务接待费: 5.30\n", "        公务接待费: 5.30\n        机关运行经费: 90.1\n"),
    )
    assert run_cli("render", facts, "-o", tmp_path / "r.docx").exit_code == 0
    paragraph = next(text for text in body_text(tmp_path / "r.docx") if text.startswith("三公经费及会议费支出情况"))
    assert paragraph.endswith("会议费3.20万元。机关运行经费决算数86.5万元（上年90.1万元），本年购置公务用车1辆。")


def test_vehicles_bought_without_a_purchase_cost_are_questioned(tmp_path):
    facts = edited_copy(CITY_UNIT, tmp_path, ("        培训费: 2.45\n", "        培训费: 2.45\n      公务用车购置数: 1\n"))
    assert _findings(facts) == []
    facts = edited_copy(
        CITY_UNIT, tmp_path, ("        公务用车购置及运行维护费: 10.86\n", "        公务用车购置费: 0\n        公务用车运行维护费: 10.86\n"), ("        培训费: 2.45\n", "        培训费: 2.45\n      公务用车购置数: 2\n")
    )
    assert _findings(facts) == [
        f"{facts}:102:7: 警告：字段「预算 › 三公经费 › 本年 › 公务用车购置数」：购置公务用车 2 辆，但公务用车购置费为 0 万元；请核对购置数和购置费"
    ]


def _findings(path: Path) -> list[str]:
    """Return the consistency findings on a facts file as printed lines."""
    loaded = load_facts(path)
    return [str(problem) for problem in consistency_problems(loaded.facts, loaded.source, AS_OF)]


def test_the_form_table_adds_rows_for_running_costs_and_vehicles_only_when_given(tmp_path):
    plain = three_costs_table(load_facts(CITY_UNIT).facts).rows
    facts = edited_copy(
        CITY_UNIT,
        tmp_path,
        ("        公务接待费: 6.00\n", "        公务接待费: 6.00\n        机关运行经费: 88\n"),
        ("        培训费: 2.45\n", "        培训费: 2.45\n        机关运行经费: 86.5\n      公务用车保有量: 3\n"),
        ("        公务接待费: 5.30\n", "        公务接待费: 5.30\n        机关运行经费: 90.1\n      公务用车保有量: 4\n"),
    )
    rows = three_costs_table(load_facts(facts).facts).rows
    assert rows[: len(plain)] == plain
    assert rows[len(plain) :] == (("机关运行经费", "88", "86.5", "90.1", "-3.6"), ("公务用车保有量（辆）", "—", "3", "4", "-1"))
