"""The rule kinds other counties' tables use: cases at each edge (on, just over, just under), then properties."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from jixiao.rules import (
    Alternatives,
    Assessed,
    Band,
    Banded,
    Grade,
    GradeBand,
    Interval,
    Proportional,
    RangeError,
    StepDeduction,
    TargetRatio,
    ThreeBands,
    gaps_and_overlaps,
    grade_of,
    parse_range,
)

# 「“三公经费”变动率 =0 得 8 分，≤10% 得 6 分，≤20% 得 4 分，≤30% 得 2 分，>30% 得 0 分」
THREE_COSTS = Banded(
    "三公经费变动率",
    tuple(
        Band(parse_range(text), D(points))
        for text, points in (("=0", 8), ("(0, 10]", 6), ("(10, 20]", 4), ("(20, 30]", 2), ("＞30", 0), ("＜0", 8))
    ),
)
# 「预算执行率每低于 5% 扣 2 分，扣完为止」
EXECUTION = StepDeduction("预算执行率", D(100), D(2), D(5), above=False)
# 「实际完成数 ÷ 目标数 × 分值；超额 30% 以上的扣 2 分」
OUTPUT = TargetRatio("实际完成数", "目标数", None, over=D(30), over_penalty=D(2))
COST = TargetRatio("实际成本", None, D(100), at_most=True)
GOOD_FAIR_POOR = ThreeBands((("好", D(80)), ("中", D(60)), ("差", D(0))))
GRADES = (GradeBand("优", D(90)), GradeBand("良", D(80)), GradeBand("中", D(60)), GradeBand("差", D(0)))


# ---------------------------------------------------------------- ranges


@pytest.mark.parametrize(
    ("text", "interval", "shown"),
    [
        ("=0", Interval(D(0), D(0)), "=0%"),
        ("≤10", Interval(None, D(10)), "≤10%"),
        ("<10%", Interval(None, D(10), True, False), "＜10%"),
        ("＞30", Interval(D(30), None, False), "＞30%"),
        (">= 95", Interval(D(95), None), "≥95%"),
        ("(0, 10]", Interval(D(0), D(10), False, True), "0%＜测算值≤10%"),
        ("[70, 80)", Interval(D(70), D(80), True, False), "70%≤测算值＜80%"),
        ("（0，10］", Interval(D(0), D(10), False, True), "0%＜测算值≤10%"),
        ("[95, ∞)", Interval(D(95), None, True, False), "≥95%"),
        ("(-∞, -5]", Interval(None, D(-5), False, True), "≤-5%"),
    ],
)
def test_ranges_read_as_tables_write_them(text: str, interval: Interval, shown: str) -> None:
    assert parse_range(text) == interval
    assert interval.text() == shown


@pytest.mark.parametrize("text", ["10", "[10, 5]", "(a, 3]", "≤", "0-10"])
def test_a_range_that_cannot_be_read_says_how_to_write_one(text: str) -> None:
    with pytest.raises(RangeError, match="不是档次范围：写作「=0」「≤10」「＞30」或区间"):
        parse_range(text)


def test_bands_report_overlaps_by_index_and_gaps_as_ranges() -> None:
    ranges = [parse_range(t) for t in ("=0", "≤10", "(10, 20)", "(20, 30]")]
    pairs, gaps = gaps_and_overlaps(ranges)
    assert pairs == [(0, 1)]
    assert gaps == [Interval(D(20), D(20))]
    assert gaps_and_overlaps([parse_range(t) for t in ("＜0", "=0", "(0, 10]", "＞10")]) == ([], [])


# ---------------------------------------------------------------- 分档


@pytest.mark.parametrize(
    ("value", "points", "clause"),
    [
        (D(0), D(8), "属于「=0%」一档，得"),
        (D("0.01"), D(6), "属于「0%＜测算值≤10%」一档，得"),
        (D(10), D(6), "属于「0%＜测算值≤10%」一档，得"),
        (D("10.01"), D(4), "属于「10%＜测算值≤20%」一档，得"),
        (D(30), D(2), "属于「20%＜测算值≤30%」一档，得"),
        (D("30.01"), D(0), "属于「＞30%」一档，得"),
        (D("-0.01"), D(8), "属于「＜0%」一档，得"),
    ],
)
def test_banded_on_and_either_side_of_each_edge(value: D, points: D, clause: str) -> None:
    outcome = THREE_COSTS.apply(value, D(8))
    assert (outcome.points, outcome.clause) == (points, clause)


def test_a_value_in_no_band_scores_zero_and_says_so() -> None:
    rule = Banded("调整率", (Band(parse_range("≤10"), D(3)),))
    assert rule.apply(D(11), D(3)) == (D(0), "不在评分标准的任何一档，得")


# ---------------------------------------------------------------- 整档扣分


@pytest.mark.parametrize(
    ("value", "points", "clause"),
    [
        (D(100), D(4), "≥100% 不扣分，得满分"),
        (D("99.27"), D(4), "低于 100% 0.73 个百分点，不足一档（每低于 5 个百分点扣 2 分），不扣分，得满分"),
        (D("95.01"), D(4), "低于 100% 4.99 个百分点，不足一档（每低于 5 个百分点扣 2 分），不扣分，得满分"),
        (D(95), D(2), "低于 100% 5.00 个百分点，满 1 档（每低于 5 个百分点扣 2 分），得"),
        (D("94.99"), D(2), "低于 100% 5.01 个百分点，满 1 档（每低于 5 个百分点扣 2 分），得"),
        (D(90), D(0), "低于 100% 10.00 个百分点，满 2 档（每低于 5 个百分点扣 2 分），得"),
        (D(50), D(0), "低于 100% 50.00 个百分点，满 10 档（每低于 5 个百分点扣 2 分），得"),
    ],
)
def test_step_deduction_counts_whole_steps_only(value: D, points: D, clause: str) -> None:
    outcome = EXECUTION.apply(value, D(4))
    assert (outcome.points, outcome.clause) == (points, clause)


# ---------------------------------------------------------------- 目标比率 and the overshoot penalty


@pytest.mark.parametrize(
    ("actual", "target", "points", "clause"),
    [
        (D(100), D(100), D(5), "实际 100、目标 100，达到目标，得满分"),
        (D(90), D(100), D("4.5"), "实际 90、目标 100，按 实际 ÷ 目标 = 90.00% × 分值 5，得"),
        (D("129.99"), D(100), D(5), "实际 129.99、目标 100，达到目标，得满分"),
        (D(130), D(100), D(3), "实际 130、目标 100，达到目标；超过目标 30%（含）以上，扣 2 分，得"),
        (D(0), D(100), D(0), "实际 0、目标 100，按 实际 ÷ 目标 = 0.00% × 分值 5，得"),
        (D(5), D(0), D(5), "实际 5、目标 0，达到目标，得满分"),
    ],
)
def test_target_ratio_at_least(actual: D, target: D, points: D, clause: str) -> None:
    outcome = OUTPUT.apply(actual, target, D(5))
    assert (outcome.points, outcome.clause) == (points, clause)


@pytest.mark.parametrize(
    ("actual", "points", "clause"),
    [
        (D(-40), D(5), "实际 -40%、目标 -30%，不高于目标，得满分"),
        (D(-30), D(5), "实际 -30%、目标 -30%，不高于目标，得满分"),
        (D("-29.99"), D(0), "实际 -29.99%、目标 -30%，未控制在目标，得"),
    ],
)
def test_a_target_that_is_not_positive_is_met_or_missed(actual: D, points: D, clause: str) -> None:
    rule = TargetRatio("结转结余变动率", None, D(-30), at_most=True)
    assert rule.apply(actual, D(-30), D(5), "%") == (points, clause)


@pytest.mark.parametrize(
    ("actual", "points"),
    [(D(100), D(6)), (D("99.99"), D(6)), (D(0), D(6)), (D(120), D(5)), (D("100.01"), D(6) * 100 / D("100.01"))],
)
def test_target_ratio_at_most_divides_the_target_by_the_actual(actual: D, points: D) -> None:
    assert COST.apply(actual, D(100), D(6)).points == points


# ---------------------------------------------------------------- 三档评定 and grades of the total


@pytest.mark.parametrize(
    ("score", "band"),
    [(D(5), "好"), (D(4), "好"), (D("3.99"), "中"), (D(3), "中"), (D("2.99"), "差"), (D(0), "差")],
)
def test_three_bands_place_the_score_with_inclusive_lower_edges(score: D, band: str) -> None:
    outcome = GOOD_FAIR_POOR.apply(score, "有依据。", D(5))
    assert outcome.points == score
    assert outcome.clause.startswith(f"评价人员评定为「{band}」档（分值的 ")
    assert outcome.clause.endswith("；理由：有依据），得")


def test_three_bands_name_the_span_of_the_band() -> None:
    assert GOOD_FAIR_POOR.apply(D(3), "一般", D(5)).clause == "评价人员评定为「中」档（分值的 60%（含）–80%；理由：一般），得"


@pytest.mark.parametrize(
    ("total", "grade"), [(D(100), "优"), (D(90), "优"), (D("89.99"), "良"), (D(80), "良"), (D("59.99"), "差"), (D(0), "差")]
)
def test_grades_of_the_total_include_their_lower_edge(total: D, grade: str) -> None:
    band = grade_of(total, GRADES)
    assert band is not None and band.name == grade


def test_alternatives_can_award_what_their_best_option_can() -> None:
    rule = Alternatives(("甲", "乙"), (Proportional("甲率"), THREE_COSTS))
    assert rule.max_points(D(6)) == D(8)


# ---------------------------------------------------------------- properties of every kind

measures = st.decimals(min_value=-200, max_value=300, places=2, allow_nan=False, allow_infinity=False)
weights = st.decimals(min_value="0.5", max_value=30, places=1)
positive = st.decimals(min_value="0.1", max_value=300, places=2)


@given(measures, measures)
def test_banded_is_never_negative_and_never_rises_with_the_rate(a: D, b: D) -> None:
    low, high = sorted((abs(a), abs(b)))  # the table's bands fall from 0 upwards
    points = THREE_COSTS.apply(low, D(8)).points, THREE_COSTS.apply(high, D(8)).points
    assert 0 <= points[1] <= points[0] <= THREE_COSTS.max_points(D(8))


step_deductions = st.builds(
    StepDeduction,
    st.just("测算值"),
    st.decimals(min_value=-100, max_value=200, places=2),
    st.decimals(min_value="0.1", max_value=5, places=1),
    st.decimals(min_value="0.5", max_value=10, places=1),
    st.booleans(),
)


@given(step_deductions, measures, measures, weights)
def test_step_deduction_is_bounded_monotone_and_never_above_the_continuous_loss(rule, a: D, b: D, weight: D) -> None:
    low, high = sorted((a, b))
    points = rule.apply(low, weight).points, rule.apply(high, weight).points
    assert all(0 <= p <= weight for p in points)
    assert points[0] >= points[1] if rule.above else points[0] <= points[1]
    continuous = max(D(0), weight - rule.excess(low) / rule.step * rule.per_step)
    assert rule.apply(low, weight).points >= continuous


@given(positive, positive, positive, weights, st.booleans())
def test_target_ratio_is_bounded_and_monotone(a: D, b: D, target: D, weight: D, at_most: bool) -> None:
    rule = TargetRatio("实际", None, target, at_most)
    low, high = sorted((a, b))
    points = rule.apply(low, target, weight).points, rule.apply(high, target, weight).points
    assert all(0 <= p <= weight for p in points)
    assert points[0] >= points[1] if at_most else points[0] <= points[1]


@given(positive, positive, weights)
def test_the_overshoot_penalty_never_makes_a_score_negative(actual: D, target: D, weight: D) -> None:
    assume(weight >= 0)
    points = OUTPUT.apply(actual, target, weight).points
    assert 0 <= points <= weight
    if actual >= target * D("1.3"):
        assert points == max(D(0), weight - 2)


@given(weights, st.decimals(min_value=0, max_value=1, places=3))
def test_three_bands_and_assessed_keep_the_evaluators_score(weight: D, share: D) -> None:
    score = weight * share
    assert GOOD_FAIR_POOR.apply(score, "理由", weight).points == score == Assessed().apply(score, "理由").points
    bands = [name for name, _ in GOOD_FAIR_POOR.bands]
    assert bands.index(GOOD_FAIR_POOR.band(score, weight)[0]) >= bands.index(GOOD_FAIR_POOR.band(weight, weight)[0])


@given(st.sampled_from(["优秀", "良好", "合格", "不合格"]))
def test_grade_is_never_negative_nor_above_its_table(grade: str) -> None:
    rule = Grade("满意度等级", (("优秀", D(5)), ("良好", D(3)), ("合格", D(1)), ("不合格", D(0))))
    assert 0 <= rule.apply(grade).points <= rule.max_points(D(5))


@given(st.decimals(min_value=0, max_value=100, places=2), st.decimals(min_value=0, max_value=100, places=2))
def test_a_higher_total_never_gets_a_lower_grade(a: D, b: D) -> None:
    low, high = sorted((a, b))
    names = [band.name for band in GRADES]
    assert names.index(grade_of(high, GRADES).name) <= names.index(grade_of(low, GRADES).name)
