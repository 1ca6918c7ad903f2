"""The indicator system file: the seed's table as data, and strict, placed, Chinese validation."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from jixiao.errors import IndicatorError, Severity
from jixiao.figures import FIGURES
from jixiao.indicators import IndicatorSystem, load_indicators, normalise_name
from jixiao.measures import (
    ExpressionError,
    MissingFigures,
    Name,
    ZeroDivisor,
    evaluate,
    names,
    parse_expression,
    show,
)
from jixiao.resources import default_indicators_path
from jixiao.rules import Assessed, Checklist, Direction, Grade, LinearBand, Proportional

DATA = Path(__file__).parent / "data" / "indicators"


@pytest.fixture(scope="module")
def seed() -> IndicatorSystem:
    return load_indicators()


def _problems(path: Path) -> list[tuple[int | None, str | None, str]]:
    """Load a broken file and return its problems as (line, field, message)."""
    with pytest.raises(IndicatorError) as caught:
        load_indicators(path)
    return [(p.line, p.field, p.message) for p in caught.value.problems]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "指标.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- the seed's table


def test_default_is_the_bundled_seed_table(seed: IndicatorSystem) -> None:
    assert default_indicators_path().name == "julu-2021.yaml"
    assert seed.name == "巨鹿县 2021 年部门整体支出绩效评价指标体系评分表"
    assert seed.total == 100


def test_seed_tiers_and_weights(seed: IndicatorSystem) -> None:
    shape = [(t1.name, t1.weight, [(t2.name, t2.weight, len(t2.indicators)) for t2 in t1.tiers]) for t1 in seed.tiers]
    assert shape == [
        ("投入", 10, [("绩效目标设定情况", 5, 3), ("预算配置情况", 5, 3)]),
        ("过程", 45, [("预算执行情况", 25, 6), ("预算管理情况", 15, 3), ("资产管理情况", 5, 2)]),
        ("产出", 25, [("职责履行情况", 25, 2)]),
        ("效果", 20, [("履职效益情况", 20, 4)]),
    ]


def test_seed_has_23_indicators_with_their_weights(seed: IndicatorSystem) -> None:
    assert [(i.name, i.weight) for i in seed.indicators] == [
        ("职责明确", 1), ("活动合规性", 2), ("活动合理性", 2),
        ("在职人员控制率", 1), ("“三公经费”变动率", 2), ("重点支出安排率", 2),
        ("预算完成率", 5), ("预算调整率", 3), ("支付进度率", 5), ("结转结余率", 4), ("公用经费控制率", 4),
        ("政府采购执行率", 4),
        ("资金使用合规性", 8), ("预决算信息公开性", 3), ("基础信息完善性", 4),
        ("资产管理完整性", 2), ("固定资产利用率", 3),
        ("履职完成情况", 10), ("项目完成质量达标率", 15),
        ("经济效益", 5), ("社会效益", 5), ("生态效益", 5), ("服务对象满意度", 5),
    ]  # fmt: skip


def test_seed_rules_model_the_printed_criteria(seed: IndicatorSystem) -> None:
    rules = {i.name: i.rule for i in seed.indicators}
    assert rules["在职人员控制率"] == LinearBand("在职人员控制率", D(100), D(115), Direction.LOWER)
    assert rules["“三公经费”变动率"] == LinearBand("“三公经费”变动率", D(-5), D(10), Direction.LOWER)
    assert rules["预算调整率"] == LinearBand("预算调整率", D(0), D(10), Direction.TARGET)
    assert rules["政府采购执行率"] == LinearBand("政府采购执行率", D(100), D(90), Direction.TARGET)
    assert rules["项目完成质量达标率"] == LinearBand("项目质量达标率", D(100), D(99), Direction.TARGET)
    assert rules["支付进度率"] == Proportional("支付进度率", D(100))
    assert rules["资金使用合规性"] == Checklist(8, ((8, D(8)), (7, D(6)), (6, D(4)), (5, D(2))))
    assert rules["资产管理完整性"] == Checklist(3, ((3, D(3)), (2, D(2)), (1, D(1))), cap=True)
    assert rules["服务对象满意度"] == Grade("满意度等级", (("优秀", D(5)), ("良好", D(3)), ("合格", D(1)), ("不合格", D(0))))
    assert [name for name, rule in rules.items() if isinstance(rule, Assessed)] == ["履职完成情况", "经济效益", "社会效益", "生态效益"]


def test_seed_texts_are_verbatim_with_points_on_their_own_lines(seed: IndicatorSystem) -> None:
    staff = seed.find("在职人员控制率")
    assert staff is not None
    assert staff.criteria.splitlines() == [
        "1.在职人员控制率小于或等于100%的，得满分；",
        "2.在职人员控制率大于或等于115%的，得0分；",
        "3.在职人员控制率在100%-115%之间的，在0分和满分之间计算确定：",
        "得分=[max（在职人员控制率）－某部门在职人员控制率]/[max（在职人员控制率）－min（在职人员控制率）]×该指标分值。",
    ]
    funds = seed.find("资金使用合规性")
    assert funds is not None
    lines = funds.explanation.splitlines()
    assert lines[1] == "评价要点："
    assert [line[:2] for line in lines[2:]] == [f"{n}." for n in range(1, 9)]


def test_seed_slips_are_kept_but_truncations_fixed(seed: IndicatorSystem) -> None:
    three_costs = seed.find("三公经费变动率")
    assert three_costs is not None
    assert three_costs.criteria.splitlines()[2] == "3.在职人员控制率在-5%-10%之间的，在0分和满分之间计算确定："
    assert seed.tiers[0].tiers[0].name == "绩效目标设定情况"  # printed 「绩效目标设定情」
    disclosure = seed.find("预决算信息公开性")
    assert disclosure is not None
    assert disclosure.criteria.splitlines()[1] == "符合其中两项（2）"


def test_seed_asset_checklist_over_its_weight_loads_with_a_placed_warning(seed: IndicatorSystem) -> None:
    [warning] = seed.warnings
    assert warning.severity is Severity.WARNING
    assert warning.message == "资产管理完整性：评分标准最高 3 分，超过指标分值 2 分；按分值封顶，最多计 2 分"
    assert warning.field == "一级指标 › 第2项 › 二级指标 › 第3项 › 三级指标 › 第1项 › 规则 › 超出分值时封顶"
    line = default_indicators_path().read_text(encoding="utf-8").splitlines()[warning.line - 1]
    assert "资产管理完整性" not in line and "超出分值时封顶: true" in line


def test_seed_measures_read_only_known_figures(seed: IndicatorSystem) -> None:
    read = {name for m in seed.measures.values() if m.expression for name in names(m.expression)}
    assert read <= set(FIGURES)
    assert len(seed.measures) == 11


# ---------------------------------------------------------------- names


@pytest.mark.parametrize("typed", ["三公经费变动率", "“三公经费”变动率", " 三公经费 变动率", "「三公经费」变动率", '"三公经费"变动率'])
def test_names_match_whatever_quotes_and_spaces(seed: IndicatorSystem, typed: str) -> None:
    found = seed.find(typed)
    assert found is not None and found.name == "“三公经费”变动率"


def test_normalise_name_keeps_everything_else() -> None:
    assert normalise_name("“三公经费” 变动率\u3000") == "三公经费变动率"
    assert normalise_name("预算完成率") == "预算完成率"


# ---------------------------------------------------------------- validation: every problem, placed, in Chinese


def test_schema_problems_are_all_reported_with_lines_in_file_order() -> None:
    assert _problems(DATA / "broken-schema.yaml") == [
        (15, "一级指标 › 第1项 › 二级指标 › 第1项 › 三级指标 › 第1项 › 规则 › 类型",
         "应为以下之一：「要点计分」、「线性区间」、「比例」、「等级」、「扣分」、「评定」、「分档」、「整档扣分」、「目标比率」、「三档评定」、「二者择其一」"),
        (16, "一级指标 › 第1项 › 二级指标 › 第1项 › 三级指标 › 第2项 › 评分标准", "缺少必填项「评分标准」（评分标准原文）"),
        (19, "一级指标 › 第1项 › 二级指标 › 第1项 › 三级指标 › 第2项 › 规则 › 满分阈值",
         "缺少必填项「满分阈值」（达到此值（或更好）得满分）"),
        (19, "一级指标 › 第1项 › 二级指标 › 第1项 › 三级指标 › 第2项 › 规则 › 满分阀值", "未知字段「满分阀值」，是否想写「满分阈值」？"),
        (21, "一级指标 › 第1项 › 二级指标 › 第1项 › 三级指标 › 第3项 › 分值", "应为数字，例如 1104.784985（不带单位和千分位逗号）"),
        (26, "测算指标 › 乙率 › 表达试", "未知字段「表达试」，是否想写「表达式」？"),
    ]  # fmt: skip


def test_weight_rule_and_formula_problems_are_all_reported_with_lines() -> None:
    tier = "一级指标 › 第1项 › 二级指标 › 第1项"
    assert _problems(DATA / "broken-rules.yaml") == [
        (3, "总分", "总分应为 100（百分制），而不是 90"),
        (4, "一级指标", "一级指标分值合计为 80，应等于总分 90"),
        (9, f"{tier} › 分值", "二级指标「配置」分值为 20，但所含三级指标分值合计为 16"),
        (15, f"{tier} › 三级指标 › 第1项 › 规则",
         "评分标准最高 3 分，超过指标分值 2 分；如评分表原文如此，请在规则中加「超出分值时封顶: true」按分值封顶"),
        (15, f"{tier} › 三级指标 › 第1项 › 规则 › 得分表 › 9", "「9」应为 1 到 2 之间的整数：得分表的键是符合的要点项数"),
        (20, f"{tier} › 三级指标 › 第2项 › 规则 › 得分表", "符合 3 项得 2 分，少于符合 2 项的 4 分：符合的要点越多，得分不能越少"),
        (25, f"{tier} › 三级指标 › 第3项 › 规则 › 测算指标", "没有名为「在职人员控制律」的测算指标，是否想写「在职人员控制率」？"),
        (25, f"{tier} › 三级指标 › 第3项 › 规则 › 方向", "方向为「越高越好」时，满分阈值应大于零分阈值"),
        (30, f"{tier} › 三级指标 › 第4项 › 规则 › 零分阈值", "零分阈值与满分阈值相同（95），无法插值"),
        (32, "一级指标 › 第1项 › 二级指标 › 第2项 › 分值", "二级指标「效益」分值为 30，但所含三级指标分值合计为 20"),
        (38, "一级指标 › 第1项 › 二级指标 › 第2项 › 三级指标 › 第1项 › 规则 › 取值", "没有名为「满意等级」的等级数据，是否想写「满意度等级」？"),
        (39, "一级指标 › 第1项 › 二级指标 › 第2项 › 三级指标 › 第2项 › 名称",
         "三级指标「满意度」与第 34 行的指标同在「投入 › 效益」下重名；同一二级指标下名称不能重复"),
        (58, "测算指标 › 在职人员控制率 › 表达式", "表达式中的「编制人数」不是可用的数据名称，是否想写「编制数」？"),
        (61, "测算指标 › 预算完成率 › 表达式", "表达式只能用数据名称、数字、+ - * / 和括号，不能用「预算数 ** 100」"),
        (64, "测算指标 › 支付进度率 › 表达式", "表达式「年度支付数 / (年度任务数 * 100」写法有误：只能用数据名称、数字、+ - * / 和括号"),
    ]  # fmt: skip


def test_tier1_weight_must_be_the_sum_of_its_tier2(tmp_path: Path) -> None:
    text = (DATA / "second.yaml").read_text(encoding="utf-8").replace("  - 名称: 决策\n    分值: 30", "  - 名称: 决策\n    分值: 35")
    assert _problems(_write(tmp_path, text)) == [
        (6, "一级指标", "一级指标分值合计为 105，应等于总分 100"),
        (8, "一级指标 › 第1项 › 分值", "一级指标「决策」分值为 35，但所含二级指标分值合计为 30"),
    ]


def test_grade_points_over_the_weight_need_the_cap(tmp_path: Path) -> None:
    text = (DATA / "second.yaml").read_text(encoding="utf-8").replace("优秀: 10,", "优秀: 12,")
    [(_, field, message)] = _problems(_write(tmp_path, text))
    assert field == "一级指标 › 第2项 › 二级指标 › 第1项 › 三级指标 › 第3项 › 规则"
    assert message.startswith("评分标准最高 12 分，超过指标分值 10 分")


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("", "文件是空的：没有任何内容可读"),
        ("- 一\n- 二\n", "文件的最外层应是若干「键: 值」"),
        ("名称: [\n", "YAML 格式错误："),
    ],
)
def test_unreadable_files_are_reported_as_one_problem(tmp_path: Path, text: str, start: str) -> None:
    [(_, _, message)] = _problems(_write(tmp_path, text))
    assert message.startswith(start)


def test_missing_file_is_an_indicator_error(tmp_path: Path) -> None:
    with pytest.raises(IndicatorError) as caught:
        load_indicators(tmp_path / "没有.yaml")
    assert [p.message for p in caught.value.problems] == ["找不到这个文件，请检查路径是否正确"]
    assert caught.value.kind == "指标体系文件"


# ---------------------------------------------------------------- another county's table


def test_a_second_system_with_another_shape_loads() -> None:
    system = load_indicators(DATA / "second.yaml")
    assert [(t.name, t.weight) for t in system.tiers] == [("决策", 30), ("管理", 40), ("效益", 30)]
    assert [i.rule.kind for i in system.indicators] == ["要点计分", "扣分", "要点计分", "线性区间", "比例", "线性区间", "等级", "评定"]
    assert system.warnings == []
    given_only = system.measure("满意率")
    assert given_only is not None and given_only.expression is None


# ---------------------------------------------------------------- measures: the safe evaluator


@pytest.mark.parametrize(
    ("text", "values", "result"),
    [
        ("在职人员数 / 编制数 * 100", {"在职人员数": D(64), "编制数": D(70)}, D(6400) / D(70)),
        ("(三公经费本年 - 三公经费上年) / 三公经费上年 * 100", {"三公经费本年": D("3.5"), "三公经费上年": D("4.2")},
         (D("3.5") - D("4.2")) / D("4.2") * 100),
        ("预算完成数 ÷ 预算数 × 100", {"预算完成数": D(90), "预算数": D(120)}, D(75)),
        ("（a + b）× 0.5", {"a": D(1), "b": D(2)}, D("1.5")),
        ("-a + +b", {"a": D(1), "b": D(2)}, D(1)),
    ],
)  # fmt: skip
def test_expressions_evaluate_in_decimal(text: str, values: dict[str, D], result: D) -> None:
    value = evaluate(parse_expression(text), values)
    assert isinstance(value, D) and value == result


@pytest.mark.parametrize("text", ["__import__('os')", "a ** 2", "a.b", "f(a)", "a if b else c", "[a]", "a < b", "'a'", "1j"])
def test_expressions_refuse_anything_but_arithmetic(text: str) -> None:
    with pytest.raises(ExpressionError, match="只能用数据名称、数字、\\+ - \\* / 和括号"):
        parse_expression(text)


def test_expression_reports_every_missing_figure() -> None:
    with pytest.raises(MissingFigures) as caught:
        evaluate(parse_expression("(a - b) / c * 100"), {"b": D(1)})
    assert caught.value.names == ("a", "c")


def test_expression_reports_the_zero_divisor() -> None:
    with pytest.raises(ZeroDivisor) as caught:
        evaluate(parse_expression("在职人员数 / 编制数 * 100"), {"在职人员数": D(64), "编制数": D(0)})
    assert caught.value.divisor == Name("编制数")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("在职人员数 / 编制数 * 100", "在职人员数 64 ÷ 编制数 70 × 100%"),
        ("(在职人员数 - 编制数) / 编制数 * 100", "（在职人员数 64 - 编制数 70） ÷ 编制数 70 × 100%"),
        ("在职人员数 - (编制数 - 1)", "在职人员数 64 - （编制数 70 - 1）"),
        ("在职人员数 / (编制数 * 2)", "在职人员数 64 ÷ （编制数 70 × 2）"),
        ("在职人员数 * 100 / 编制数", "在职人员数 64 × 100 ÷ 编制数 70"),
    ],
)
def test_expressions_show_the_figures_read(text: str, shown: str) -> None:
    assert show(parse_expression(text), {"在职人员数": D(64), "编制数": D(70)}) == shown
