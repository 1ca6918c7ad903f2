"""Zero bases (零基数): a measure dividing 0 by 0 is scored by the policy its rule or table states, never a stop."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from docx_text import docx_lines
from edits import edited_copy
from jixiao.checks import check_facts
from jixiao.errors import IndicatorError, Severity
from jixiao.facts import load_facts
from jixiao.indicators import load_indicators
from jixiao.resources import default_indicators_path
from jixiao.scoring import Scorecard, format_scorecard, score_facts

EXAMPLE = Path(__file__).resolve().parents[1] / "tests" / "data" / "facts" / "yantuan-2021-v0.2.yaml"
NO_THREE_COSTS = (
    ("      公务用车购置及运行维护费: 3.5\n", "      公务用车购置及运行维护费: 0\n"),
    ("      公务用车购置及运行维护费: 4.0\n      公务接待费: 0.2\n", "      公务用车购置及运行维护费: 0\n      公务接待费: 0\n"),
)
THREE_COSTS_RULE = "零分阈值: 10, 零基数: 满分}"


def _zero_facts(tmp_path: Path) -> Path:
    """Copy the example with 三公经费 0 in both years."""
    folder = tmp_path / "facts"
    folder.mkdir()
    return edited_copy(EXAMPLE, folder, *NO_THREE_COSTS)


def _table(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    """Copy the bundled 巨鹿 table with some text changed."""
    folder = tmp_path / "table"
    folder.mkdir()
    path = edited_copy(default_indicators_path(), folder, *changes)
    return path.rename(folder / "table.yaml")


def _card(tmp_path: Path, *changes: tuple[str, str]) -> Scorecard:
    """Score the example without 三公经费 against the bundled table with some text changed."""
    system = load_indicators(_table(tmp_path, *changes)) if changes else load_indicators()
    return score_facts(load_facts(_zero_facts(tmp_path)).facts, system)


def _three_costs(card: Scorecard):
    return next(item for item in card.indicators if item.name == "“三公经费”变动率")


def test_bundled_table_gives_full_marks_when_both_years_are_zero_and_says_why(tmp_path: Path) -> None:
    card = _card(tmp_path)
    item = _three_costs(card)
    assert (item.score, item.lost, item.measure_label) == (D("2.00"), D("0.00"), "—")
    assert item.basis == (
        "“三公经费”变动率 = （三公经费本年 0 - 三公经费上年 0） ÷ 三公经费上年 0 × 100%，分子、分母均为 0，"
        "按零基数规则「均为 0 的得满分」（本指标规则），得满分 2.00 分"
    )
    assert card.complete and card.total == D("95.00")


def test_check_says_which_zero_policy_applied_and_lets_the_report_through(tmp_path: Path) -> None:
    report = check_facts(_zero_facts(tmp_path))
    notes = [p for p in report.problems if p.severity is Severity.NOTE]
    assert [(p.field, p.message) for p in notes] == [
        ("预算 › 三公经费 › 上年", "“三公经费”变动率：（三公经费本年 0 - 三公经费上年 0） ÷ 三公经费上年 0 × 100%，分子、分母均为 0，"
         "按零基数规则「均为 0 的得满分」（本指标规则）计分")
    ]
    assert str(notes[0]).startswith(f"{report.source.file}:")
    assert ": 说明：字段「预算 › 三公经费 › 上年」：" in str(notes[0])
    assert report.counts() == (0, len([p for p in report.problems if p.severity is Severity.WARNING]))


def test_the_example_without_three_costs_renders_with_the_policy_in_the_basis(run_cli, tmp_path: Path) -> None:
    facts, out = _zero_facts(tmp_path), tmp_path / "r.docx"
    result = run_cli("render", facts, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert "表格 5,5（表格文字）｜2" in docx_lines(out)
    scored = run_cli("score", facts)
    assert scored.exit_code == 0
    assert "分子、分母均为 0，按零基数规则「均为 0 的得满分」（本指标规则），得满分 2.00 分" in scored.stdout


def test_treated_as_zero_scores_a_zero_change_by_the_band(tmp_path: Path) -> None:
    card = _card(tmp_path, (THREE_COSTS_RULE, "零分阈值: 10, 零基数: 视为零}"))
    item = _three_costs(card)
    # 0% lies in the band -5…10 (lower is better): (10 - 0) / 15 × 2 = 1.333…
    assert (item.score, item.measure, item.measure_label) == (D("1.33"), D(0), "0.00%")
    assert "按零基数规则「均为 0 的测算值按 0 计」（本指标规则），计 0.00%，介于 -5%–10%，按插值得 1.33 分" in item.basis


def test_not_applicable_scales_the_total_to_the_remaining_weights(tmp_path: Path) -> None:
    card = _card(tmp_path, (THREE_COSTS_RULE, "零分阈值: 10, 零基数: 不适用}"))
    item = _three_costs(card)
    assert (item.score, item.lost, item.applicable, item.measure_label) == (D(0), D(0), False, "不适用")
    assert item.basis.endswith("（本指标规则），本指标不适用，分值 2 分不计，总分按其余指标分值折算为百分制")
    # The other rows add up to 93.00 of 98: 93 × 100 / 98 = 94.897…
    assert card.total == D("94.90")
    assert card.adjustments == (
        "「“三公经费”变动率」不适用，总分按其余指标分值 98 分折算为百分制：93.00 × 100 ÷ 98 = 94.90 分",
    )
    assert card.adjustments[0] in format_scorecard(card)


def test_not_applicable_moves_the_weight_to_the_named_indicator(tmp_path: Path) -> None:
    rule = "零分阈值: 10, 零基数: 不适用, 分值转入: 重点支出安排率}"
    card = _card(tmp_path, (THREE_COSTS_RULE, rule))
    receiver = next(item for item in card.indicators if item.name == "重点支出安排率")
    assert (receiver.weight, receiver.score, receiver.lost) == (D(4), D("4.00"), D("0.00"))
    assert receiver.basis.endswith(
        "；「“三公经费”变动率」不适用，其分值 2 分转入本项，本项按 4 分计：2.00 × 4 ÷ 2 = 4.00 分"
    )
    assert card.total == D("95.00") and card.adjustments == ()


def test_a_table_default_applies_where_the_rule_states_none(tmp_path: Path) -> None:
    card = _card(
        tmp_path, (THREE_COSTS_RULE, "零分阈值: 10}"), ("零基数: 不适用\n", "零基数: 视为零\n")
    )
    assert "按零基数规则「均为 0 的测算值按 0 计」（指标体系的默认规则）" in _three_costs(card).basis


def test_without_any_policy_a_zero_base_still_stops_as_in_0_2(tmp_path: Path) -> None:
    card = _card(tmp_path, (THREE_COSTS_RULE, "零分阈值: 10}"), ("零基数: 不适用\n", ""))
    assert _three_costs(card).basis == "无法评分：三公经费上年为 0，无法计算"


def test_a_nonzero_change_from_zero_is_not_a_legal_zero(tmp_path: Path) -> None:
    facts = edited_copy(EXAMPLE, tmp_path, NO_THREE_COSTS[1])
    item = _three_costs(score_facts(load_facts(facts).facts, load_indicators()))
    assert item.basis == "无法评分：三公经费上年为 0，无法计算（零基数规则只在分子、分母均为 0 时适用）"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("零分阈值: 10, 零基数: 满分, 分值转入: 重点支出安排率}", "只有「零基数: 不适用」的规则才能写「分值转入」"),
        ("零分阈值: 10, 零基数: 不适用, 分值转入: 重点支出安排}", "分值转入的「重点支出安排」不是本指标体系的三级指标，是否想写「重点支出安排率」？"),
        ("零分阈值: 10, 零基数: 不适用, 分值转入: 三公经费变动率}", "分值转入的「三公经费变动率」是本指标自身"),
        ("零分阈值: 10, 零基数: 全免}", "应为以下之一：「满分」、「视为零」、「不适用」"),
    ],
)
def test_a_wrong_zero_policy_is_refused_with_its_line(tmp_path: Path, rule: str, message: str) -> None:
    path = _table(tmp_path, (THREE_COSTS_RULE, rule))
    with pytest.raises(IndicatorError) as caught:
        load_indicators(path)
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if rule in text)
    errors = [p for p in caught.value.problems if p.is_error]
    assert [(p.line, message in p.message) for p in errors] == [(line, True)], errors


def test_the_current_example_with_three_costs_zero_in_both_years_checks_and_renders(run_cli, tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[1] / "data" / "examples" / "yantuan-2021.yaml"
    facts = edited_copy(
        example,
        tmp_path,
        ("      公务用车购置及运行维护费: 3.5\n", "      公务用车购置及运行维护费: 0\n"),
        ("  三公经费上年: 4.2\n", "  三公经费上年: 0\n"),
    )
    checked = run_cli("check", facts)
    assert checked.exit_code == 0, checked.stderr
    assert "按零基数规则「均为 0 的得满分」（本指标规则）计分" in checked.stderr
    assert run_cli("render", facts, "-o", tmp_path / "r.docx").exit_code == 0
    scored = run_cli("score", facts)
    assert "分子、分母均为 0，按零基数规则「均为 0 的得满分」（本指标规则），得满分 2.00 分" in scored.stdout
