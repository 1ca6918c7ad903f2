"""Scoring: the seed reproduced, every point explained, missing data found rather than crashed on."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import pytest

from edits import edited_copy
from jixiao.errors import Severity
from jixiao.facts import LoadedFacts, load_facts
from jixiao.figures import FIGURES, fact_values
from jixiao.indicators import IndicatorSystem, load_indicators
from jixiao.scoring import (
    Finding,
    IndicatorScore,
    Scorecard,
    format_scorecard,
    score_facts,
    scorecard_json,
    scorecard_problems,
)
from jixiao.textwidth import display_width

DATA = Path(__file__).parent / "data" / "indicators"
YANTUAN = DATA / "yantuan-facts.yaml"

# The seed's 18 published 三级 scores; 固定资产利用率 3.5 is over its weight of 3.
PUBLISHED = {
    "职责明确": 1, "活动合规性": 2, "活动合理性": 2, "在职人员控制率": 1, "重点支出安排率": 2,
    "预算完成率": 4, "预算调整率": 2, "结转结余率": 4, "公用经费控制率": 3, "政府采购执行率": 4,
    "资金使用合规性": 8, "预决算信息公开性": 3, "基础信息完善性": 4, "资产管理完整性": 2,
    "固定资产利用率": D("3.5"), "项目完成质量达标率": 15, "经济效益": D("4.5"), "社会效益": 5,
}  # fmt: skip


@pytest.fixture(scope="module")
def seed() -> IndicatorSystem:
    return load_indicators()


@pytest.fixture(scope="module")
def yantuan() -> LoadedFacts:
    return load_facts(YANTUAN)


@pytest.fixture(scope="module")
def card(yantuan: LoadedFacts, seed: IndicatorSystem) -> Scorecard:
    return score_facts(yantuan.facts, seed)


def _item(card: Scorecard, name: str) -> IndicatorScore:
    return next(item for item in card.indicators if item.name == name)


def _facts(tmp_path: Path, *changes: tuple[str, str], source: Path = YANTUAN) -> LoadedFacts:
    """Load the fixture with some lines changed."""
    return load_facts(edited_copy(source, tmp_path, *changes))


def _line_of(path: Path, text: str) -> int:
    """Return the 1-based line of the first line of `path` containing `text`."""
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


# ---------------------------------------------------------------- the seed reproduced


def test_seed_scores_23_indicators_to_the_published_total(card: Scorecard) -> None:
    assert len(card.indicators) == 23
    assert card.total == D("95.00")
    assert card.max_total == 100
    assert card.complete


def test_seed_reproduces_the_17_consistent_published_scores(card: Scorecard) -> None:
    computed = {item.name: item.score for item in card.indicators if item.name in PUBLISHED}
    differing = {name: (PUBLISHED[name], score) for name, score in computed.items() if score != PUBLISHED[name]}
    assert differing == {"固定资产利用率": (D("3.5"), D("3.00"))}


def test_seed_unpublished_scores_are_chosen_to_reach_95(card: Scorecard) -> None:
    unpublished = {item.name: item.score for item in card.indicators if item.declared is None}
    assert unpublished == {
        "“三公经费”变动率": D("2.00"), "支付进度率": D("5.00"), "履职完成情况": D("9.50"),
        "生态效益": D("4.00"), "服务对象满意度": D("5.00"),
    }  # fmt: skip


def test_seed_tier_subtotals(card: Scorecard) -> None:
    assert [(t.name, t.score, [(s.name, s.score) for s in t.tiers]) for t in card.tiers] == [
        ("投入", D(10), [("绩效目标设定情况", D(5)), ("预算配置情况", D(5))]),
        ("过程", D(42), [("预算执行情况", D(22)), ("预算管理情况", D(15)), ("资产管理情况", D(5))]),
        ("产出", D("24.5"), [("职责履行情况", D("24.5"))]),
        ("效果", D("18.5"), [("履职效益情况", D("18.5"))]),
    ]


@pytest.mark.parametrize(
    ("name", "basis"),
    [
        ("在职人员控制率", "在职人员控制率 = 在职人员数 64 ÷ 编制数 70 × 100% = 91.43%（在职人员数取自「人员情况 › 在职人员」；编制数取自「人员情况 › 编制数」），≤100% 得满分 1.00 分"),
        ("“三公经费”变动率", "“三公经费”变动率 = （三公经费本年 3.5 - 三公经费上年 4.2） ÷ 三公经费上年 4.2 × 100% = -16.67%（三公经费本年取自「预算 › 三公经费 › 本年」；三公经费上年取自「预算 › 三公经费 › 上年」），≤-5% 得满分 2.00 分"),
        ("预算完成率", "预算完成率 = 预算完成数 1049.64745275 ÷ 预算数 1128.653175 × 100% = 93.00%（预算完成数取自「评分数据 › 预算完成数」；预算数取自「评分数据 › 预算数」），介于 85%–95%，按插值得 4.00 分，扣 1.00 分"),
        ("预算调整率", "预算调整率 = 预算调整数 37.621773 ÷ 预算数 1128.653175 × 100% = 3.33%（预算调整数取自「评分数据 › 预算调整数」；预算数取自「评分数据 › 预算数」），介于 0%–10%，按插值得 2.00 分，扣 1.00 分"),
        ("支付进度率", "支付进度率 = 年度支付数 1128.653175 ÷ 年度任务数 1128.653175 × 100% = 100.00%（年度支付数取自「评分数据 › 年度支付数」；年度任务数取自「评分数据 › 年度任务数」），按比例计分（100.00% × 分值 5），得 5.00 分"),
        ("公用经费控制率", "公用经费控制率 = 公用经费实际数 81.00 ÷ 公用经费预算数 80.00 × 100% = 101.25%（公用经费实际数取自「评分数据 › 公用经费实际数」；公用经费预算数取自「评分数据 › 公用经费预算数」），介于 100%–105%，按插值得 3.00 分，扣 1.00 分"),
        ("政府采购执行率", "政府采购执行率 = 实际政府采购项目数 2 ÷ 政府采购预算项目数 2 × 100% = 100.00%（实际政府采购项目数取自「评分数据 › 实际政府采购项目数」；政府采购预算项目数取自「评分数据 › 政府采购预算项目数」），等于 100% 得满分 4.00 分"),
        ("资金使用合规性", "评价要点 8 项全部符合，得 8.00 分"),
        ("资产管理完整性", "评价要点 3 项全部符合，得 3.00 分，超过分值 2 分，封顶计 2.00 分"),
        ("履职完成情况", "评价人员评定（理由：年度主要任务基本完成，个别任务的量化指标未全部达到），得 9.50 分，扣 0.50 分"),
        ("服务对象满意度", "满意度等级为「优秀」，得 5.00 分"),
    ],
)  # fmt: skip
def test_every_basis_states_the_measure_and_the_rule(card: Scorecard, name: str, basis: str) -> None:
    assert _item(card, name).basis == basis


def test_indicator_score_carries_the_table_texts_and_the_measure(card: Scorecard, seed: IndicatorSystem) -> None:
    item = _item(card, "预算完成率")
    indicator = seed.find("预算完成率")
    assert indicator is not None
    assert (item.tier1, item.tier2, item.weight, item.kind) == ("过程", "预算执行情况", 5, "线性区间")
    assert (item.measure_name, item.measure, item.measure_label) == ("预算完成率", D(93), "93.00%")
    assert (item.score, item.lost, item.declared) == (D("4.00"), D("1.00"), 4)
    assert item.formula == "预算完成率=（预算完成数/预算数）×100%"
    assert (item.explanation, item.criteria) == (indicator.explanation, indicator.criteria)


def test_rules_without_a_measure_leave_it_empty(card: Scorecard) -> None:
    labels = {item.name: (item.measure, item.measure_label) for item in card.indicators if item.measure is None}
    assert labels["资金使用合规性"] == (None, "8/8 项")
    assert labels["履职完成情况"] == (None, "评定")
    assert labels["服务对象满意度"] == (None, "优秀")


# ---------------------------------------------------------------- declared vs computed


def test_seed_findings_are_the_asset_utilisation_declaration(card: Scorecard) -> None:
    assert card.findings == [
        Finding("固定资产利用率：自评得分 3.5 超过分值 3", ("自评得分", "固定资产利用率"), Severity.WARNING, "固定资产利用率"),
        Finding("固定资产利用率：自评得分 3.5 与按规则计算的 3.00 不一致", ("自评得分", "固定资产利用率"), Severity.WARNING, "固定资产利用率"),
    ]  # fmt: skip


def test_problems_name_both_seed_inconsistencies_on_their_lines(
    card: Scorecard, yantuan: LoadedFacts, seed: IndicatorSystem
) -> None:
    problems = scorecard_problems(card, yantuan.facts, yantuan.source, seed)
    line = _line_of(YANTUAN, "固定资产利用率: 3.5")
    assert [(p.file, p.line, p.severity, p.message) for p in problems[:2]] == [
        (str(YANTUAN), line, Severity.WARNING, "固定资产利用率：自评得分 3.5 超过分值 3"),
        (str(YANTUAN), line, Severity.WARNING, "固定资产利用率：自评得分 3.5 与按规则计算的 3.00 不一致"),
    ]
    assert problems[2:] == seed.warnings
    assert problems[2].message.startswith("资产管理完整性：评分标准最高 3 分，超过指标分值 2 分")


def test_a_declared_score_matching_the_rule_is_not_reported(tmp_path: Path, seed: IndicatorSystem) -> None:
    facts = _facts(tmp_path, ("固定资产利用率: 3.5", "固定资产利用率: 3.00"))
    assert score_facts(facts.facts, seed).findings == []


def test_declared_names_match_without_quotes(tmp_path: Path, seed: IndicatorSystem) -> None:
    facts = _facts(tmp_path, ("自评得分:\n", "自评得分:\n  “三公经费” 变动率: 1.5\n"))
    card = score_facts(facts.facts, seed)
    assert _item(card, "“三公经费”变动率").declared == D("1.5")
    assert card.findings[0] == Finding(
        "“三公经费”变动率：自评得分 1.5 与按规则计算的 2.00 不一致",
        ("自评得分", "“三公经费” 变动率"),
        Severity.WARNING,
        "“三公经费”变动率",
    )


# ---------------------------------------------------------------- missing data and division by zero: findings, not crashes


@pytest.mark.parametrize(
    ("change", "name", "message", "place"),
    [
        (("编制数: 70", "编制数: 0"), "在职人员控制率", "在职人员控制率：编制数为 0，无法计算（零基数规则只在分子、分母均为 0 时适用）", ("人员情况", "编制数")),
        (("  编制数: 70\n", ""), "在职人员控制率", "在职人员控制率：缺少编制数（机构编制部门核定的编制数）：填在「人员情况 › 编制数」（或「评分数据 › 编制数」）", ("人员情况", "编制数")),
        (("      公务用车购置及运行维护费: 4.0\n      公务接待费: 0.2", "      公务用车购置及运行维护费: 0\n      公务接待费: 0"),
         "“三公经费”变动率", "“三公经费”变动率：三公经费上年为 0，无法计算（零基数规则只在分子、分母均为 0 时适用）", ("预算", "三公经费", "上年")),
        (("  预算完成数: 1049.64745275\n", ""), "预算完成率", "预算完成率：缺少预算完成数（本年度预算完成数（支出决算数））：填在「评分数据 › 预算完成数」（或「预算 › 支出 › 合计 › 决算数」）", ("评分数据", "预算完成数")),
        (("  年度任务数: 1128.653175", "  年度任务数: 0"), "支付进度率", "支付进度率：年度任务数为 0，无法计算（零基数规则只在分子、分母均为 0 时适用）", ("评分数据", "年度任务数")),
        (("    项目支出: 682.448673\n", ""), "重点支出安排率",
         "重点支出安排率：缺少项目总支出（年度预算安排的项目支出总额）：填在「评分数据 › 项目总支出」（或「预算 › 支出 › 项目支出」）", ("评分数据", "项目总支出")),
        (("  已完成项目数: 7\n  质量达标项目数: 7\n", ""), "项目完成质量达标率",
         "项目完成质量达标率：缺少质量达标项目数（已完成项目中质量达标的个数）：填在「评分数据 › 质量达标项目数」；已完成项目数（已完成项目个数）：填在「评分数据 › 已完成项目数」", ("评分数据", "质量达标项目数")),
        (("    资产管理完整性: 全部符合\n", ""), "资产管理完整性",
         "资产管理完整性：缺少「评分数据 › 评价要点 › 资产管理完整性」（「全部符合」「全部不符合」或符合的要点序号列表）", ("评分数据", "评价要点")),
        (("    活动合规性: 全部符合", "    活动合规性: [1, 3]"), "活动合规性",
         "活动合规性：评价要点只有 2 项，没有第 3 项", ("评分数据", "评价要点", "活动合规性")),
        (("      得分: 9.5", "      得分: 12"), "履职完成情况", "履职完成情况：评定得分 12 超过分值 10", ("评分数据", "评定", "履职完成情况", "得分")),
        (("  等级: 优秀\n", ""), "服务对象满意度", "服务对象满意度：缺少「满意度 › 等级」（或「评分数据 › 满意度等级」）", ("满意度", "等级")),
    ],
)  # fmt: skip
def test_what_cannot_be_scored_is_a_placed_error(
    tmp_path: Path,
    seed: IndicatorSystem,
    card: Scorecard,
    change: tuple[str, str],
    name: str,
    message: str,
    place: tuple,
) -> None:
    broken = score_facts(_facts(tmp_path, change).facts, seed)
    item = _item(broken, name)
    assert (item.score, item.lost, item.basis) == (None, None, f"无法评分：{message.split('：', 1)[1]}")
    errors = [f for f in broken.findings if f.severity is Severity.ERROR]
    assert errors == [Finding(message, place, Severity.ERROR, name)]
    assert not broken.complete
    assert broken.total == card.total - _item(card, name).score


def test_division_by_zero_is_placed_on_the_facts_line(tmp_path: Path, seed: IndicatorSystem) -> None:
    facts = _facts(tmp_path, ("编制数: 70", "编制数: 0"))
    card = score_facts(facts.facts, seed)
    [error] = [p for p in scorecard_problems(card, facts.facts, facts.source, seed) if p.is_error]
    assert (error.line, error.field, error.message) == (
        _line_of(tmp_path / "facts.yaml", "编制数: 0"),
        "人员情况 › 编制数",
        "在职人员控制率：编制数为 0，无法计算（零基数规则只在分子、分母均为 0 时适用）",
    )


def test_missing_last_year_three_costs_says_where_to_fill_them(tmp_path: Path, seed: IndicatorSystem) -> None:
    text = YANTUAN.read_text(encoding="utf-8")
    start, end = text.index("    上年:\n"), text.index("  年末结转")
    facts = _facts(tmp_path, (text[start:end], ""))
    [error] = score_facts(facts.facts, seed).findings[:1]
    assert (error.message, error.place) == ("“三公经费”变动率：缺少三公经费上年（上年度三公经费总额（预算数））：填在「预算 › 三公经费 › 上年」（或「评分数据 › 三公经费上年」）", ("预算", "三公经费", "上年"))


# ---------------------------------------------------------------- measures given directly, and rounding


def test_a_measure_given_directly_wins_and_the_basis_says_so(tmp_path: Path, seed: IndicatorSystem) -> None:
    facts = _facts(tmp_path, ("  评价要点:\n", "  测算值:\n    预算完成率: 96\n  评价要点:\n"))
    item = _item(score_facts(facts.facts, seed), "预算完成率")
    assert (item.measure, item.score) == (D(96), D("5.00"))
    assert item.basis == "预算完成率 96.00%（评分数据 › 测算值 › 预算完成率），≥95% 得满分 5.00 分"


def test_a_measure_may_be_given_under_the_indicator_name(tmp_path: Path, seed: IndicatorSystem) -> None:
    facts = _facts(tmp_path, ("  评价要点:\n", "  测算值:\n    项目完成质量达标率: 99.5\n  评价要点:\n"))
    item = _item(score_facts(facts.facts, seed), "项目完成质量达标率")
    assert (item.measure, item.score, item.lost) == (D("99.5"), D("7.50"), D("7.50"))


def test_each_score_is_rounded_once_half_up(tmp_path: Path, seed: IndicatorSystem) -> None:
    # 93.01% on 85–95 for 5 points is exactly 4.005: half up gives 4.01 (half even would give 4.00).
    facts = _facts(tmp_path, ("  评价要点:\n", "  测算值:\n    预算完成率: 93.01\n  评价要点:\n"))
    card = score_facts(facts.facts, seed)
    assert _item(card, "预算完成率").score == D("4.01")
    assert card.total == D("95.01")


# ---------------------------------------------------------------- names in the facts that match nothing


def test_unknown_names_are_errors_with_a_did_you_mean(tmp_path: Path, seed: IndicatorSystem) -> None:
    facts = _facts(
        tmp_path,
        ("    职责明确: 全部符合", "    职责明确: 全部符合\n    职责明晰: 全部符合"),
        ("自评得分:\n", "自评得分:\n  固定资产使用率: 3\n"),
        ("  评价要点:\n", "  测算值:\n    预算完成律: 93\n  评价要点:\n"),
    )
    found = [(f.message, f.place, f.severity) for f in score_facts(facts.facts, seed).findings[:3]]
    system = "「巨鹿县 2021 年部门整体支出绩效评价指标体系评分表」"
    assert found == [
        (f"「职责明晰」不是指标体系{system}中的三级指标名称，是否想写「职责明确」？", ("评分数据", "评价要点", "职责明晰"), Severity.ERROR),
        (f"「预算完成律」不是指标体系{system}中的测算指标或三级指标名称，是否想写「预算完成率」？", ("评分数据", "测算值", "预算完成律"), Severity.ERROR),
        (f"「固定资产使用率」不是指标体系{system}中的三级指标名称，是否想写「固定资产利用率」？", ("自评得分", "固定资产使用率"), Severity.ERROR),
    ]  # fmt: skip


def test_data_for_an_indicator_scored_another_way_is_a_warning(tmp_path: Path, seed: IndicatorSystem) -> None:
    facts = _facts(
        tmp_path,
        ("    职责明确: 全部符合", "    职责明确: 全部符合\n    预算完成率: 全部符合"),
        ("  评价要点:\n", "  测算值:\n    职责明确: 100\n  评价要点:\n"),
    )
    found = [(f.message, f.severity) for f in score_facts(facts.facts, seed).findings[:2]]
    assert found == [
        ("预算完成率：该指标不是按评价要点计分（规则为「线性区间」），这里的数据不会被使用", Severity.WARNING),
        ("职责明确：该指标不读取测算值（规则为「要点计分」），这里的数据不会被使用", Severity.WARNING),
    ]


# ---------------------------------------------------------------- a second indicator system, end to end


def test_second_system_scores_end_to_end() -> None:
    card = score_facts(load_facts(DATA / "second-facts.yaml").facts, load_indicators(DATA / "second.yaml"))
    assert [(i.tier1, i.tier2, i.name, i.score) for i in card.indicators] == [
        ("决策", "目标设定", "目标明确", D("5.00")),
        ("决策", "人员与资金", "在职人员控制率", D("1.00")),
        ("决策", "人员与资金", "资金使用合规性", D("6.00")),
        ("决策", "人员与资金", "群众满意率", D("6.40")),
        ("管理", "预算执行", "预算执行率", D("18.00")),
        ("管理", "预算执行", "结余率", D("6.67")),
        ("管理", "预算执行", "服务对象满意度", D("8.00")),
        ("效益", "综合效益", "综合效益", D("27.50")),
    ]
    assert [(t.name, t.score) for t in card.tiers] == [("决策", D("18.40")), ("管理", D("32.67")), ("效益", D("27.50"))]
    assert card.total == D("78.57")
    assert card.findings == []
    assert _item(card, "在职人员控制率").basis == (
        "在职人员控制率 = 在职人员数 53 ÷ 编制数 50 × 100% = 106.00%"
        "（在职人员数取自「人员情况 › 在职人员」；编制数取自「人员情况 › 编制数」），"
        "超过 100% 6.00 个百分点，每 1 个百分点扣 0.5 分，得 1.00 分，扣 3.00 分"
    )


def test_a_measure_without_expression_must_be_given(tmp_path: Path) -> None:
    facts = _facts(tmp_path, ("  测算值:\n    满意率: 92\n", ""), source=DATA / "second-facts.yaml")
    card = score_facts(facts.facts, load_indicators(DATA / "second.yaml"))
    assert card.findings == [
        Finding("群众满意率：缺少「评分数据 › 测算值 › 满意率」", ("评分数据", "测算值"), Severity.ERROR, "群众满意率")
    ]


def test_a_grade_the_table_does_not_name_cannot_be_scored(tmp_path: Path) -> None:
    system_text = (DATA / "second.yaml").read_text(encoding="utf-8").replace(", 不合格: 0}", "}")
    system_path = tmp_path / "system.yaml"
    system_path.write_text(system_text, encoding="utf-8")
    facts = _facts(tmp_path, ("  等级: 良好", "  等级: 不合格"), source=DATA / "second-facts.yaml")
    [finding] = score_facts(facts.facts, load_indicators(system_path)).findings
    assert finding.message == "服务对象满意度：等级「不合格」不在评分标准的等级（优秀、良好、合格）之中"


# ---------------------------------------------------------------- output


def test_json_has_the_documented_shape_with_numbers_as_numbers(card: Scorecard) -> None:
    data = json.loads(scorecard_json(card))
    assert list(data) == ["total", "indicators"]
    assert data["total"] == 95 and isinstance(data["total"], int)
    assert len(data["indicators"]) == 23
    assert all(list(item) == ["tier1", "tier2", "name", "weight", "measure", "score", "basis"] for item in data["indicators"])
    staff, three_costs = data["indicators"][3], data["indicators"][4]
    assert staff == {
        "tier1": "投入",
        "tier2": "预算配置情况",
        "name": "在职人员控制率",
        "weight": 1,
        "measure": 91.43,
        "score": 1,
        "basis": "在职人员控制率 = 在职人员数 64 ÷ 编制数 70 × 100% = 91.43%（在职人员数取自「人员情况 › 在职人员」；编制数取自「人员情况 › 编制数」），≤100% 得满分 1.00 分",
    }
    assert (three_costs["name"], three_costs["measure"]) == ("“三公经费”变动率", -16.67)
    assert data["indicators"][0]["measure"] is None
    assert [i["score"] for i in data["indicators"] if i["name"] == "履职完成情况"] == [9.5]


def test_json_writes_null_for_what_cannot_be_scored(tmp_path: Path, seed: IndicatorSystem) -> None:
    card = score_facts(_facts(tmp_path, ("编制数: 70", "编制数: 0")).facts, seed)
    staff = json.loads(scorecard_json(card))["indicators"][3]
    assert (staff["measure"], staff["score"], staff["basis"]) == (None, None, "无法评分：编制数为 0，无法计算（零基数规则只在分子、分母均为 0 时适用）")


def test_table_is_laid_out_by_tier_with_subtotals_and_total(card: Scorecard) -> None:
    lines = format_scorecard(card).splitlines()
    assert lines[0] == "巨鹿县 2021 年部门整体支出绩效评价指标体系评分表"
    assert lines[2].split() == ["一级指标", "二级指标", "三级指标", "分值", "测算值", "得分", "得分依据"]
    assert lines[3].split()[:6] == ["投入", "绩效目标设定情况", "职责明确", "1", "1/1", "项"]
    rows = [line.split() for line in lines]
    assert ["绩效目标设定情况小计", "5", "5.00"] in rows
    assert ["过程合计", "45", "42.00"] in rows
    assert ["总分", "100", "95.00"] in rows
    assert "（各三级指标得分按四舍五入保留两位小数，总分为各项得分之和。）" in lines
    assert lines[-2:] == [
        "  警告：固定资产利用率：自评得分 3.5 超过分值 3",
        "  警告：固定资产利用率：自评得分 3.5 与按规则计算的 3.00 不一致",
    ]


def test_table_columns_align_counting_wide_characters_twice(card: Scorecard) -> None:
    lines = format_scorecard(card).splitlines()
    header = lines[2]
    start = display_width(header[: header.index("得分依据")])
    for item in card.indicators:
        [line] = [line for line in lines if f" {item.name} " in line and line.endswith(item.basis)]
        assert display_width(line[: line.index(item.basis)]) == start, line
        cell = line[: line.index(item.basis)].rstrip()
        assert cell.endswith(f"{item.score:.2f}")


def test_display_width_counts_wide_and_fullwidth_as_two() -> None:
    assert display_width("投入") == 4
    assert display_width("ab１") == 4
    assert display_width("“三公”") == 6  # curly quotes are ambiguous width: one column


def test_fact_values_are_all_catalogued_figures(yantuan: LoadedFacts) -> None:
    values = fact_values(yantuan.facts)
    assert set(values) <= set(FIGURES)
    assert (values["三公经费本年"], values["三公经费上年"], values["结转结余总额"]) == (D("3.5"), D("4.2"), D(0))
    assert all(isinstance(v, D) for v in values.values())
