"""`jixiao score` (and the scoring part of `jixiao check`) as a person runs them."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal as D
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data" / "indicators"

# The seed's published 三级 scores, as the bundled example must reproduce them.
PUBLISHED = {
    "职责明确": 1, "活动合规性": 2, "活动合理性": 2, "在职人员控制率": 1, "重点支出安排率": 2,
    "预算完成率": 4, "预算调整率": 2, "结转结余率": 4, "公用经费控制率": 3, "政府采购执行率": 4,
    "资金使用合规性": 8, "预决算信息公开性": 3, "基础信息完善性": 4, "资产管理完整性": 2,
    "项目完成质量达标率": 15, "经济效益": 4.5, "社会效益": 5,
}  # fmt: skip

Run = Callable[..., Any]


def test_example_json_gives_23_indicators_the_published_scores_and_95(run_cli: Run, example_path: Path) -> None:
    result = run_cli("score", example_path, "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout, parse_float=D)
    assert data["total"] == 95
    assert len(data["indicators"]) == 23
    scores = {item["name"]: item["score"] for item in data["indicators"]}
    assert {name: scores[name] for name in PUBLISHED} == PUBLISHED
    assert scores["固定资产利用率"] == 3  # published 3.5, over its weight of 3


def test_example_json_bases_state_the_measure_and_the_rule(run_cli: Run, example_path: Path) -> None:
    data = json.loads(run_cli("score", example_path, "--json").stdout, parse_float=D)
    by_name = {item["name"]: item for item in data["indicators"]}
    budget = by_name["预算完成率"]
    assert (budget["tier1"], budget["tier2"], budget["weight"], budget["measure"]) == ("过程", "预算执行情况", 5, 93)
    assert "93.00%" in budget["basis"] and "介于 85%–95%，按插值得 4.00 分，扣 1.00 分" in budget["basis"]
    measured = [item for item in data["indicators"] if item["measure"] is not None]
    assert all(f"= {item['measure']:.2f}%" in item["basis"] for item in measured)


def test_score_prints_a_table_by_tier(run_cli: Run) -> None:
    result = run_cli("score", DATA / "yantuan-facts.yaml")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "巨鹿县 2021 年部门整体支出绩效评价指标体系评分表"
    assert [line.split()[0] for line in lines if line.split()[:1] in (["投入"], ["过程"], ["产出"], ["效果"])] == [
        "投入", "过程", "产出", "效果",
    ]  # fmt: skip
    assert ["总分", "100", "95.00"] in [line.split() for line in lines]


def test_score_with_another_indicator_system(run_cli: Run) -> None:
    result = run_cli("score", DATA / "second-facts.yaml", "--indicators", DATA / "second.yaml", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["total"] == 78.57
    assert [item["tier1"] for item in data["indicators"]] == ["决策"] * 4 + ["管理"] * 3 + ["效益"]


def test_a_broken_indicator_file_lists_every_problem_and_exits_1(run_cli: Run) -> None:
    broken = DATA / "broken-rules.yaml"
    result = run_cli("score", DATA / "yantuan-facts.yaml", "-i", broken)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"{broken}:3:1: 错误：字段「总分」：总分应为 100（百分制），而不是 90"
    assert lines[-1] == "指标体系文件有 15 处错误，未生成任何文件。"
    assert result.stdout == ""


def test_a_missing_indicator_file_is_one_clear_error(run_cli: Run, tmp_path: Path) -> None:
    missing = tmp_path / "没有.yaml"
    result = run_cli("score", DATA / "yantuan-facts.yaml", "--indicators", missing)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{missing}: 错误：找不到这个文件，请检查路径是否正确", "指标体系文件有 1 处错误，未生成任何文件。"]


def test_score_shows_what_cannot_be_scored(run_cli: Run, tmp_path: Path) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text((DATA / "yantuan-facts.yaml").read_text(encoding="utf-8").replace("编制数: 70", "编制数: 0"), "utf-8")
    result = run_cli("score", facts)
    assert result.exit_code == 1  # an incomplete scorecard is not a success (tests/test_cli_chrome.py)
    assert "无法评分  无法评分：编制数为 0，无法计算（零基数规则只在分子、分母均为 0 时适用）" in result.stdout
    assert "  错误：在职人员控制率：编制数为 0，无法计算（零基数规则只在分子、分母均为 0 时适用）" in result.stdout.splitlines()
    assert json.loads(run_cli("score", facts, "--json").stdout)["total"] == 94


def test_check_names_both_seed_inconsistencies(run_cli: Run, example_path: Path) -> None:
    result = run_cli("check", example_path)
    assert result.exit_code == 0
    messages = [line.split("：", 1)[-1] for line in result.stderr.splitlines()]
    assert any(m.endswith("固定资产利用率：自评得分 3.5 超过分值 3") for m in messages)
    assert any(m.endswith("固定资产利用率：自评得分 3.5 与按规则计算的 3.00 不一致") for m in messages)
    assert any(m.endswith("资产管理完整性：评分标准最高 3 分，超过指标分值 2 分；按分值封顶，最多计 2 分") for m in messages)


def test_score_has_help(run_cli: Run) -> None:
    result = run_cli("score", "--help")
    assert result.exit_code == 0
    assert "按指标体系计算评分" in result.stdout and "--indicators" in result.stdout and "--json" in result.stdout
