"""Rule kinds: a table of cases per kind (edges at and just inside each threshold), then properties."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from jixiao.rules import (
    Assessed,
    Bounds,
    Checklist,
    Deduction,
    Direction,
    Grade,
    LinearBand,
    Proportional,
    plain,
    two_places,
)

# The seed's tables.
ALL_OR_NOTHING = Checklist(2, ((2, D(2)),))
EIGHT_POINTS = Checklist(8, ((8, D(8)), (7, D(6)), (6, D(4)), (5, D(2))))
ASSETS = Checklist(3, ((3, D(3)), (2, D(2)), (1, D(1))), cap=True)
COMPLETION = LinearBand("预算完成率", D(95), D(85), Direction.HIGHER)
STAFF = LinearBand("在职人员控制率", D(100), D(115), Direction.LOWER)
THREE_COSTS = LinearBand("三公经费变动率", D(-5), D(10), Direction.LOWER)
ADJUSTMENT = LinearBand("预算调整率", D(0), D(10), Direction.TARGET)
PROCUREMENT = LinearBand("政府采购执行率", D(100), D(90), Direction.TARGET)
PAYMENT = Proportional("支付进度率")
SATISFACTION = Grade("满意度等级", (("优秀", D(5)), ("良好", D(3)), ("合格", D(1)), ("不合格", D(0))))
STAFF_DEDUCTION = Deduction("在职人员控制率", D(100), D("0.5"))


@pytest.mark.parametrize(
    ("rule", "met", "points", "clause"),
    [
        (ALL_OR_NOTHING, [1, 2], D(2), "评价要点 2 项全部符合，得"),
        (ALL_OR_NOTHING, [2], D(0), "评价要点 2 项中符合 1 项（第 2 项），得"),
        (ALL_OR_NOTHING, [], D(0), "评价要点 2 项全部不符合，得"),
        (EIGHT_POINTS, list(range(1, 9)), D(8), "评价要点 8 项全部符合，得"),
        (EIGHT_POINTS, [1, 2, 3, 4, 5, 6, 8], D(6), "评价要点 8 项中符合 7 项（第 1、2、3、4、5、6、8 项），得"),
        (EIGHT_POINTS, [1, 2, 3, 4, 5, 6], D(4), "评价要点 8 项中符合 6 项（第 1、2、3、4、5、6 项），得"),
        (EIGHT_POINTS, [1, 2, 3, 4, 5], D(2), "评价要点 8 项中符合 5 项（第 1、2、3、4、5 项），得"),
        (EIGHT_POINTS, [1, 2, 3, 4], D(0), "评价要点 8 项中符合 4 项（第 1、2、3、4 项），得"),
        (EIGHT_POINTS, [], D(0), "评价要点 8 项全部不符合，得"),
        (ASSETS, [1, 2, 3], D(3), "评价要点 3 项全部符合，得"),
        (ASSETS, [3], D(1), "评价要点 3 项中符合 1 项（第 3 项），得"),
    ],
)
def test_checklist(rule: Checklist, met: list[int], points: D, clause: str) -> None:
    outcome = rule.apply(met)
    assert (outcome.points, outcome.clause) == (points, clause)


def test_checklist_max_points_is_the_table_top_not_the_weight() -> None:
    assert ASSETS.max_points(D(2)) == D(3)
    assert EIGHT_POINTS.max_points(D(8)) == D(8)


@pytest.mark.parametrize(
    ("rule", "value", "points", "clause"),
    [
        # higher is better: 预算完成率 ≥95 full, ≤85 zero
        (COMPLETION, D(100), D(5), "≥95% 得满分"),
        (COMPLETION, D(95), D(5), "≥95% 得满分"),
        (COMPLETION, D("94.99"), D("4.995"), "介于 85%–95%，按插值得"),
        (COMPLETION, D(93), D(4), "介于 85%–95%，按插值得"),
        (COMPLETION, D("85.01"), D("0.005"), "介于 85%–95%，按插值得"),
        (COMPLETION, D(85), D(0), "≤85% 得"),
        (COMPLETION, D(0), D(0), "≤85% 得"),
        # lower is better: 在职人员控制率 ≤100 full, ≥115 zero
        (STAFF, D("91.43"), D(5), "≤100% 得满分"),
        (STAFF, D(100), D(5), "≤100% 得满分"),
        (STAFF, D("100.03"), D("4.99"), "介于 100%–115%，按插值得"),
        (STAFF, D(106), D(3), "介于 100%–115%，按插值得"),
        (STAFF, D(115), D(0), "≥115% 得"),
        (STAFF, D(200), D(0), "≥115% 得"),
        # lower is better with a negative threshold: 三公经费变动率 ≤-5 full, ≥10 zero
        (THREE_COSTS, D("-16.67"), D(5), "≤-5% 得满分"),
        (THREE_COSTS, D(-5), D(5), "≤-5% 得满分"),
        (THREE_COSTS, D("2.5"), D("2.5"), "介于 -5%–10%，按插值得"),
        (THREE_COSTS, D(10), D(0), "≥10% 得"),
        # equal to target 0: 预算调整率 =0 full, ≥10 zero
        (ADJUSTMENT, D(0), D(5), "等于 0% 得满分"),
        (ADJUSTMENT, D("0.01"), D("4.995"), "介于 0%–10%，按插值得"),
        (ADJUSTMENT, D(5), D("2.5"), "介于 0%–10%，按插值得"),
        (ADJUSTMENT, D(10), D(0), "≥10% 得"),
        # equal to target 100: 政府采购执行率 =100 full, ≤90 zero; above 100 loses by the distance
        (PROCUREMENT, D(100), D(5), "等于 100% 得满分"),
        (PROCUREMENT, D("99.99"), D("4.995"), "介于 90%–100%，按插值得"),
        (PROCUREMENT, D(90), D(0), "≤90% 得"),
        (PROCUREMENT, D(104), D(3), "高于目标 100% 4.00 个百分点，按偏离程度插值得"),
        (PROCUREMENT, D(110), D(0), "高于目标 100% 达 10 个百分点及以上，得"),
    ],
)
def test_linear_band(rule: LinearBand, value: D, points: D, clause: str) -> None:
    outcome = rule.apply(value, D(5))
    assert (outcome.points, outcome.clause) == (points, clause)


STAFF = LinearBand("在职人员控制率", D(100), D(115), Direction.LOWER)


@pytest.mark.parametrize(
    ("rule", "values", "bounds"),
    [
        (COMPLETION, [D(93), D(90), D(88)], Bounds(D(93), D(88), 3)),
        # Each measure is first held within the thresholds: clauses 1 and 2 of the table still hold.
        (COMPLETION, [D(99), D(93), D(90), D(80)], Bounds(D(95), D(85), 4)),
        (STAFF, [D(98), D(104), D(110)], Bounds(D(100), D(110), 3)),
        (STAFF, [D(104), D(120)], Bounds(D(104), D(115), 2)),
        # 0 / 0: every unit stands at one place in the band, so the thresholds apply.
        (COMPLETION, [D(90), D(90)], None),
        (COMPLETION, [D(96), D(99)], None),
        (COMPLETION, [], None),
        # The best of several units need not be the target.
        (PROCUREMENT, [D(100), D(96)], None),
    ],
)
def test_cohort_bounds_are_the_units_ends_within_the_thresholds(rule, values, bounds) -> None:
    assert rule.cohort_bounds(values) == bounds


@pytest.mark.parametrize(
    ("value", "points", "clause"),
    [
        (D(93), D(5), "为参与比较的 3 个单位中最高，得满分"),
        (D(90), D(2), "介于参与比较的 3 个单位的最低 88.00% 与最高 93.00% 之间，按插值得"),
        (D(88), D(0), "为参与比较的 3 个单位中最低，得"),
        (D(96), D(5), "≥95% 得满分"),
        (D(80), D(0), "≤85% 得"),
    ],
)
def test_a_band_carrying_cohort_ends_scores_between_them(value, points, clause) -> None:
    outcome = COMPLETION._replace(cohort=Bounds(D(93), D(88), 3)).apply(value, D(5))
    assert (outcome.points, outcome.clause) == (points, clause)


def test_a_lower_is_better_band_names_its_best_unit_the_lowest() -> None:
    band = STAFF._replace(cohort=Bounds(D(102), D(110), 4))
    assert band.apply(D(102), D(1)).clause == "为参与比较的 4 个单位中最低，得满分"
    assert band.apply(D(110), D(1)).clause == "为参与比较的 4 个单位中最高，得"
    assert band.apply(D(106), D(1)).points == D("0.5")


def test_band_shows_other_units() -> None:
    band = LinearBand("人均", D(10), D(20), Direction.LOWER)
    assert band.apply(D(15), D(2), unit="人").clause == "介于 10人–20人，按插值得"


@pytest.mark.parametrize(
    ("value", "points", "clause"),
    [
        (D(100), D(5), "按比例计分（100.00% × 分值 5），得"),
        (D("93.5"), D("4.675"), "按比例计分（93.50% × 分值 5），得"),
        (D(0), D(0), "按比例计分（0.00% × 分值 5），得"),
        (D(-3), D(0), "按比例计分（-3.00% × 分值 5），得"),
        (D(120), D(6), "按比例计分（120.00% × 分值 5），得"),  # scoring caps at the weight
    ],
)
def test_proportional(value: D, points: D, clause: str) -> None:
    outcome = PAYMENT.apply(value, D(5))
    assert (outcome.points, outcome.clause) == (points, clause)


def test_proportional_with_another_full_value() -> None:
    outcome = Proportional("完成数", D(8)).apply(D(6), D(4), unit="个")
    assert (outcome.points, outcome.clause) == (D(3), "按比例计分（6.00个 ÷ 8个 × 分值 4），得")


@pytest.mark.parametrize(("grade", "points"), [("优秀", D(5)), ("良好", D(3)), ("合格", D(1)), ("不合格", D(0))])
def test_grade(grade: str, points: D) -> None:
    outcome = SATISFACTION.apply(grade)
    assert (outcome.points, outcome.clause) == (points, f"满意度等级为「{grade}」，得")


def test_grade_refuses_an_unknown_grade() -> None:
    with pytest.raises(KeyError):
        SATISFACTION.apply("很好")


@pytest.mark.parametrize(
    ("rule", "value", "points", "clause"),
    [
        (STAFF_DEDUCTION, D("91.43"), D(4), "≤100% 不扣分，得满分"),
        (STAFF_DEDUCTION, D(100), D(4), "≤100% 不扣分，得满分"),
        (STAFF_DEDUCTION, D("100.5"), D("3.75"), "超过 100% 0.50 个百分点，每 1 个百分点扣 0.5 分，得"),
        (STAFF_DEDUCTION, D(106), D(1), "超过 100% 6.00 个百分点，每 1 个百分点扣 0.5 分，得"),
        (STAFF_DEDUCTION, D(108), D(0), "超过 100% 8.00 个百分点，每 1 个百分点扣 0.5 分，得"),
        (STAFF_DEDUCTION, D(150), D(0), "超过 100% 50.00 个百分点，每 1 个百分点扣 0.5 分，得"),
        (Deduction("执行率", D(90), D(1), D(5), above=False), D(80), D(2), "低于 90% 10.00 个百分点，每 5 个百分点扣 1 分，得"),
        (Deduction("执行率", D(90), D(1), D(5), above=False), D(95), D(4), "≥90% 不扣分，得满分"),
    ],
)
def test_deduction(rule: Deduction, value: D, points: D, clause: str) -> None:
    outcome = rule.apply(value, D(4))
    assert (outcome.points, outcome.clause) == (points, clause)


def test_assessed_quotes_the_reason_without_its_full_stop() -> None:
    outcome = Assessed().apply(D("9.5"), "年度任务基本完成。")
    assert (outcome.points, outcome.clause) == (D("9.5"), "评价人员评定（理由：年度任务基本完成），得")


@pytest.mark.parametrize(
    ("value", "shown"),
    [(D("91.428571"), "91.43"), (D("2.005"), "2.01"), (D("-16.666"), "-16.67"), (D(0), "0.00")],
)
def test_two_places_rounds_half_up(value: D, shown: str) -> None:
    assert two_places(value) == shown


@pytest.mark.parametrize(("value", "shown"), [(D("100.00"), "100"), (D("0.50"), "0.5"), (D("-0.0"), "0"), (D(-5), "-5")])
def test_plain_drops_trailing_zeros(value: D, shown: str) -> None:
    assert plain(value) == shown


# ---------------------------------------------------------------- properties

measures = st.decimals(min_value=-300, max_value=300, places=3, allow_nan=False, allow_infinity=False)
weights = st.decimals(min_value="0.5", max_value=30, places=1)
thresholds = st.decimals(min_value=-100, max_value=200, places=2, allow_nan=False, allow_infinity=False)
tiny = st.decimals(min_value="0.0001", max_value="0.01", places=4)
# Decimal arithmetic carries 28 significant digits; continuity is checked up to the last of them.
ULP = D("1e-20")


@st.composite
def bands(draw: st.DrawFn) -> LinearBand:
    """Draw a band of any direction with distinct thresholds."""
    full, zero = draw(thresholds), draw(thresholds)
    assume(full != zero)
    direction = draw(st.sampled_from([None, Direction.TARGET]))
    if direction is None:
        direction = Direction.HIGHER if full > zero else Direction.LOWER
    return LinearBand("测算值", full, zero, direction)


def _lipschitz(band: LinearBand, weight: D) -> D:
    """Return the most a band's points can change per unit of the measure."""
    return weight / abs(band.full_at - band.zero_at)


@given(bands(), measures, weights)
def test_band_score_lies_between_zero_and_the_weight(band: LinearBand, value: D, weight: D) -> None:
    assert 0 <= band.apply(value, weight).points <= weight


@given(bands(), measures, measures, weights)
def test_band_is_monotone_towards_full_points(band: LinearBand, a: D, b: D, weight: D) -> None:
    low, high = sorted((a, b))
    points = band.apply(low, weight).points, band.apply(high, weight).points
    if band.direction is Direction.HIGHER:
        assert points[0] <= points[1]
    elif band.direction is Direction.LOWER:
        assert points[0] >= points[1]
    elif high <= band.full_at:  # TARGET: rises up to the target …
        assert points[0] <= points[1]
    elif low >= band.full_at:  # … and falls after it
        assert points[0] >= points[1]


@given(bands(), weights, tiny, st.booleans())
def test_band_is_continuous_at_its_thresholds(band: LinearBand, weight: D, step: D, at_full: bool) -> None:
    threshold = band.full_at if at_full else band.zero_at
    at = band.apply(threshold, weight).points
    for near in (threshold - step, threshold + step):
        assert abs(band.apply(near, weight).points - at) <= _lipschitz(band, weight) * step + ULP


@given(bands(), weights, st.booleans())
def test_band_gives_full_and_zero_exactly_at_its_thresholds(band: LinearBand, weight: D, at_full: bool) -> None:
    threshold = band.full_at if at_full else band.zero_at
    assert band.apply(threshold, weight).points == (weight if at_full else 0)


deductions = st.builds(
    Deduction,
    st.just("测算值"),
    thresholds,
    st.decimals(min_value="0.1", max_value=5, places=1),
    st.decimals(min_value="0.5", max_value=5, places=1),
    st.booleans(),
)


@given(deductions, measures, measures, weights)
def test_deduction_is_bounded_and_monotone(rule: Deduction, a: D, b: D, weight: D) -> None:
    low, high = sorted((a, b))
    points = rule.apply(low, weight).points, rule.apply(high, weight).points
    assert all(0 <= p <= weight for p in points)
    assert points[0] >= points[1] if rule.above else points[0] <= points[1]


@given(deductions, weights, tiny)
def test_deduction_is_continuous_at_its_threshold(rule: Deduction, weight: D, step: D) -> None:
    slope = rule.per_step / rule.step
    at = rule.apply(rule.threshold, weight).points
    assert at == weight
    for near in (rule.threshold - step, rule.threshold + step):
        assert abs(rule.apply(near, weight).points - at) <= slope * step + ULP


@given(measures, measures, weights)
def test_proportional_is_monotone_and_never_negative(a: D, b: D, weight: D) -> None:
    low, high = sorted((a, b))
    points = PAYMENT.apply(low, weight).points, PAYMENT.apply(high, weight).points
    assert 0 <= points[0] <= points[1]


@given(st.lists(st.integers(min_value=1, max_value=8), unique=True), st.integers(min_value=1, max_value=8))
def test_checklist_more_met_never_scores_less(met: list[int], extra: int) -> None:
    more = sorted({*met, extra})
    assert EIGHT_POINTS.apply(met).points <= EIGHT_POINTS.apply(more).points <= EIGHT_POINTS.max_points(D(8))
