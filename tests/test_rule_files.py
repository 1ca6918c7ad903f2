"""The new rule kinds as an indicator file writes them: loaded, scored from facts, explained; mistakes placed."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from edits import edited_copy
from jixiao.errors import IndicatorError, Severity
from jixiao.facts import load_facts
from jixiao.indicators import IndicatorSystem, load_indicators
from jixiao.scoring import Scorecard, format_scorecard, score_facts, scorecard_json

DATA = Path(__file__).parent / "data" / "indicators"
KINDS = DATA / "kinds.yaml"
FACTS = DATA / "yantuan-facts.yaml"
# 预算调整率 37.621773 / 1128.653175 = 3.33%; 预算完成率 1049.64745275 / 1128.653175 = 93.00%; 结转结余率 0%.
EXTRA = (
    "  评定:\n",
    "  测算值:\n    计划数: 10\n  自定义数据:\n    完成督查次数: {数值: 13, 含义: 全年完成的专项督查}\n  评定:\n",
)
SOCIAL = ("      得分: 5\n      理由: 民生保障、社会稳定和基层治理成效明显。", "      得分: 15\n      理由: 成效一般。")


@pytest.fixture(scope="module")
def kinds() -> IndicatorSystem:
    return load_indicators(KINDS)


def _card(tmp_path: Path, kinds: IndicatorSystem, *changes: tuple[str, str]) -> Scorecard:
    return score_facts(load_facts(edited_copy(FACTS, tmp_path, EXTRA, SOCIAL, *changes)).facts, kinds)


def _basis(card: Scorecard, name: str) -> tuple[D | None, str]:
    item = next(item for item in card.indicators if item.name == name)
    return item.score, item.basis


def test_every_new_kind_scores_from_the_facts_and_says_why(tmp_path: Path, kinds: IndicatorSystem) -> None:
    card = _card(tmp_path, kinds)
    assert _basis(card, "预算调整率") == (
        D("6.00"),
        "预算调整率 = 预算调整数 37.621773 ÷ 预算数 1128.653175 × 100% = 3.33%"
        "（预算调整数取自「评分数据 › 预算调整数」；预算数取自「评分数据 › 预算数」），属于「0%＜测算值≤10%」一档，得 6.00 分，扣 2.00 分",
    )
    assert _basis(card, "预算完成率") == (
        D("6.00"),
        "预算完成率 = 预算完成数 1049.64745275 ÷ 预算数 1128.653175 × 100% = 93.00%"
        "（预算完成数取自「评分数据 › 预算完成数」；预算数取自「评分数据 › 预算数」），"
        "低于 100% 7.00 个百分点，满 1 档（每低于 5 个百分点扣 2 分），得 6.00 分，扣 2.00 分",
    )
    assert _basis(card, "结转结余") == (
        D("24.00"),
        "二者择其一，按「结转结余率」目标比率：结转结余率 = 结转结余总额 0 ÷ 支出预算数 1128.653175 × 100% = 0.00%"
        "（结转结余总额取自「预算 › 年末结转」与「预算 › 年末结余」之和；支出预算数取自「预算 › 支出 › 合计 › 年初预算数」），"
        "实际 0%、目标 9%，不高于目标，得满分 24.00 分",
    )
    assert _basis(card, "实际完成率") == (
        D("38.00"),
        "实际完成数 = 完成督查次数 13 = 13.00项（完成督查次数：全年完成的专项督查），实际 13项、目标 10项，达到目标；"
        "超过目标 30%（含）以上，扣 2 分，得 38.00 分，扣 2.00 分",
    )
    assert _basis(card, "社会效益") == (
        D("15.00"),
        "评价人员评定为「中」档（分值的 60%（含）–80%；理由：成效一般），得 15.00 分，扣 5.00 分",
    )
    assert card.total == D("89.00") and card.complete


def test_the_total_is_graded_in_the_table_and_json(tmp_path: Path, kinds: IndicatorSystem) -> None:
    card = _card(tmp_path, kinds)
    assert card.grade is not None and (card.grade.name, card.total) == ("良", D("89.00"))
    assert "等级：良（80 分及以上、不足 90 分）" in format_scorecard(card).splitlines()
    assert '  "grade": "良",' in scorecard_json(card).splitlines()


def test_a_cap_holds_a_total_above_it(tmp_path: Path, kinds: IndicatorSystem) -> None:
    # 预算完成率 79.99%: within [70, 80); every other indicator at full marks gives 96 > 89.
    card = _card(
        tmp_path,
        kinds,
        ("  预算完成数: 1049.64745275\n", "  预算完成数: 90\n  预算数: 112.5140642580\n"),
        ("  预算数: 1128.653175\n", ""),
        ("  预算调整数: 37.621773\n", "  预算调整数: 0\n"),
        ("      得分: 15\n      理由: 成效一般", "      得分: 20\n      理由: 成效一般"),
    )
    raw = sum((item.score for item in card.indicators), D(0))
    assert raw == D("90.00")
    assert card.total == D("89.00")
    assert card.adjustments[-1].endswith("在「70%≤测算值＜80%」范围内，总分最高 89 分：90.00 分封顶计 89.00 分")
    assert card.grade is not None and card.grade.name == "良"


def test_neither_alternative_given_is_an_error_naming_what_each_lacks(tmp_path: Path, kinds: IndicatorSystem) -> None:
    card = _card(tmp_path, kinds, ("  年末结转: 0\n  年末结余: 0\n", ""))
    score, basis = _basis(card, "结转结余")
    assert score is None
    assert basis.startswith("无法评分：二者择其一，都缺少数据：按「结转结余率」目标比率缺少结转结余总额（年末结转和结余总额）：填在「评分数据 › 结转结余总额」")
    assert "；按「结转结余变动率」目标比率缺少「评分数据 › 测算值 › 结转结余变动率」" in basis


def test_a_missing_figure_the_table_defines_is_asked_for_with_its_meaning(tmp_path: Path, kinds: IndicatorSystem) -> None:
    card = _card(tmp_path, kinds, ("  自定义数据:\n    完成督查次数: {数值: 13, 含义: 全年完成的专项督查}\n", ""))
    assert _basis(card, "实际完成率") == (
        None,
        "无法评分：缺少完成督查次数（本年度完成的专项督查次数）：填在「评分数据 › 自定义数据 › 完成督查次数」（数值和含义）",
    )
    [finding] = [f for f in card.findings if f.indicator == "实际完成率"]
    assert finding.place == ("评分数据", "自定义数据")


def test_a_missing_target_is_a_placed_error(tmp_path: Path, kinds: IndicatorSystem) -> None:
    card = _card(tmp_path, kinds, ("    计划数: 10\n", "    其他: 1\n"))
    assert _basis(card, "实际完成率") == (None, "无法评分：缺少「评分数据 › 测算值 › 计划数」")


def _problems(tmp_path: Path, change: tuple[str, str], marker: str) -> tuple[int, list[tuple[int | None, str, Severity]]]:
    """Load the table with one change; return the line holding `marker` (after the change) and the problems."""
    path = edited_copy(KINDS, tmp_path, change).rename(tmp_path / "table.yaml")
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if marker in text)
    try:
        found = load_indicators(path).warnings
    except IndicatorError as exc:
        found = exc.problems
    return line, [(p.line, p.message, p.severity) for p in found]


@pytest.mark.parametrize(
    ("change", "marker", "message", "severity"),
    [
        (('{范围: "(0, 10]", 得分: 6}', '{范围: "[0, 10]", 得分: 6}'), '[0, 10]', "第 2 档与第 1 档重叠：「=0%」与「0%≤测算值≤10%」有共同的值", Severity.ERROR),
        (('{范围: "(10, 20]", 得分: 4}', '{范围: "(12, 20]", 得分: 4}'), '档次:', "档次之间有空档：「10%＜测算值≤12%」不属于任何一档（落在空档的测算值得 0 分）", Severity.WARNING),
        (('{范围: "＞30", 得分: 0}', '{范围: "30以上", 得分: 0}'), '30以上', "「30以上」不是档次范围：写作「=0」「≤10」「＞30」或区间「(0, 10]」「[95, ∞)」（圆括号不含端点，方括号含端点）", Severity.ERROR),
        (('{范围: "=0", 得分: 8}', '{范围: "=0", 得分: 9}'), '规则:', "评分标准最高 9 分，超过指标分值 8 分；如评分表原文如此，请在规则中加「超出分值时封顶: true」按分值封顶", Severity.ERROR),
        (("目标测算指标: 计划数, 超出比例: 30", "超出比例: 30"), '测算指标: 实际完成数', "目标比率须写「目标测算指标」或「目标值」之一（且只写一个）", Severity.ERROR),
        (("超出比例: 30, 超出扣分: 2}", "超出比例: 30}"), '测算指标: 实际完成数', "「超出比例」和「超出扣分」须同时写", Severity.ERROR),
        (("{类型: 三档评定}", "{类型: 三档评定, 档次: {好: 60, 中: 80, 差: 0}}"), '档次: {好: 60', "档次的最低百分比应从高到低排列、互不相同、都不超过 100，最后一档为 0，如 {好: 80, 中: 60, 差: 0}", Severity.ERROR),
        (("{类型: 目标比率, 测算指标: 结转结余变动率,", "{类型: 二者择其一, 测算指标: 结转结余变动率,"), '{类型: 二者择其一, 测算指标', "备选规则的类型应为以下之一：要点计分、线性区间、比例、等级、扣分、评定、分档、整档扣分、目标比率、三档评定", Severity.ERROR),
        (("{测算指标: 预算完成率, 范围: \"＜70\", 最高: 79}", "{测算指标: 预算完成律, 范围: \"＜70\", 最高: 79}"), '预算完成律', "没有名为「预算完成律」的测算指标，是否想写「预算完成率」？", Severity.ERROR),
        (("等级: {优: 90, 良: 80, 中: 60, 差: 0}", "等级: {优: 90, 良: 80, 中: 60}"), '等级: {优', "最低一个等级「中」从 60 分起，低于此分的总分没有等级；应有一个等级从 0 分起", Severity.ERROR),
    ],
)  # fmt: skip
def test_mistakes_in_the_new_kinds_are_placed(tmp_path: Path, change, marker: str, message: str, severity) -> None:
    line, found = _problems(tmp_path, change, marker)
    assert (line, message, severity) in found
