"""Rule kinds of a scoring table (评分标准): each turns what was read into points and says why.

Pure: no facts and no files. A rule returns an `Outcome` with the raw points — exact
Decimal, neither rounded nor capped at the indicator's weight — and the clause of the
basis sentence that leads up to the points («介于 85%–95%，按插值得» + « 4.00 分»).
Scoring rounds once and caps once (see `scoring.ROUNDING`).

The kinds cover the tables 财预〔2013〕53号 leaves to each place: 要点计分 (checklist),
线性区间 (linear band), 比例 (proportional), 等级 (grade), 扣分 (deduction), 评定 (assessed).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import NamedTuple

from jixiao.wording import entered, plain, two_places

_CENT = Decimal("0.01")
_ZERO = Decimal(0)
_ONE = Decimal(1)


def with_unit(value: Decimal, unit: str) -> str:
    """Show a threshold with its unit: 95%."""
    return f"{plain(value)}{unit}"


def gap(amount: str, unit: str) -> str:
    """Show a difference of a measure: percentages differ by 个百分点."""
    if unit == "%":
        return f"{amount} 个百分点"
    return f"{amount}{unit}"


ZERO_POLICIES: dict[str, str] = {
    "满分": "均为 0 的得满分",
    "视为零": "均为 0 的测算值按 0 计",
    "不适用": "均为 0 的本指标不适用",
}
"""零基数: what a rule does when its measure divides 0 by 0 (三公经费 0 in both years), and how the basis says it."""


class ZeroBase(NamedTuple):
    """A rule's zero-base policy (零基数), from the rule itself or the table's default.

    `moved_to` names the indicator that takes the weight of a 不适用 indicator; without
    it the total is scaled to the weights that remain.
    """

    policy: str
    moved_to: str | None = None
    table_default: bool = False

    def describe(self) -> str:
        """Say the policy and where it is written: 零基数规则「均为 0 的得满分」（本指标规则）."""
        where = "指标体系的默认规则" if self.table_default else "本指标规则"
        return f"零基数规则「{ZERO_POLICIES[self.policy]}」（{where}）"

    def not_applicable_clause(self, weight: Decimal) -> str:
        """Say where the weight of an indicator that does not apply goes."""
        if self.moved_to:
            return f"本指标不适用，分值 {plain(weight)} 分转入「{self.moved_to}」"
        return f"本指标不适用，分值 {plain(weight)} 分不计，总分按其余指标分值折算为百分制"


class Outcome(NamedTuple):
    """Raw points and the clause leading up to them in the basis sentence."""

    points: Decimal
    clause: str


def _clamp(fraction: Decimal) -> Decimal:
    """Keep a fraction of the weight within [0, 1]."""
    return max(_ZERO, min(_ONE, fraction))


class Checklist(NamedTuple):
    """要点计分: points by how many 评价要点 are met, from a table.

    `table` maps «at least this many met» to points; a count below every entry scores 0.
    The seed's 8/6/4/2/0 for 8/7/6/5/≤4 met is {8: 8, 7: 6, 6: 4, 5: 2}.
    """

    kind = "要点计分"
    count: int
    table: tuple[tuple[int, Decimal], ...]
    cap: bool = False

    def max_points(self, weight: Decimal) -> Decimal:
        """Return the most the table awards."""
        return max((points for _, points in self.table), default=_ZERO)

    def points(self, met: int) -> Decimal:
        """Return the points of the highest entry `met` reaches."""
        reached = [points for at_least, points in self.table if met >= at_least]
        return max(reached, default=_ZERO)

    def apply(self, met: Sequence[int]) -> Outcome:
        """Score the met points (1-based numbers, each within `count`)."""
        return Outcome(self.points(len(met)), self._clause(sorted(met)))

    def _clause(self, met: list[int]) -> str:
        """Say how many points were met."""
        if len(met) == self.count:
            return f"评价要点 {self.count} 项全部符合，得"
        if not met:
            return f"评价要点 {self.count} 项全部不符合，得"
        numbers = "、".join(str(n) for n in met)
        return f"评价要点 {self.count} 项中符合 {len(met)} 项（第 {numbers} 项），得"


class Direction(StrEnum):
    """Which way a linear band runs."""

    HIGHER = "越高越好"
    LOWER = "越低越好"
    TARGET = "等于目标"


class Bounds(NamedTuple):
    """A band's ends taken from a cohort of `units` units: full points at `full_at`, zero at `zero_at`."""

    full_at: Decimal
    zero_at: Decimal
    units: int


class LinearBand(NamedTuple):
    """线性区间: full points at or beyond one threshold, zero at or beyond the other, linear between.

    The seed writes the in-between score as
    [某部门比率 − min(比率)] / [max(比率) − min(比率)] × 该指标分值. For one unit's
    self-evaluation, max/min are read as the band's own thresholds (满分阈值, 零分阈值).
    When a finance bureau scores many units together (the cohort reading, `jixiao compare
    --cohort`), `cohort_bounds` takes max/min across their measures, each first held within
    the thresholds, so clauses 1 and 2 of the table (full points at or beyond one threshold,
    zero at or beyond the other) still hold; `cohort` carries those ends into `apply`.

    HIGHER and LOWER share one formula (value − zero) / (full − zero); TARGET gives full
    points only at the target (满分阈值) and loses points linearly with the distance
    from it on either side, reaching zero at |零分阈值 − 满分阈值|. A TARGET band has no
    cohort reading: the best of several units need not be the target.
    """

    kind = "线性区间"
    measure: str
    full_at: Decimal
    zero_at: Decimal
    direction: Direction
    cohort: Bounds | None = None

    def max_points(self, weight: Decimal) -> Decimal:
        """Return the weight: the band awards at most full points."""
        return weight

    def fraction(self, value: Decimal) -> Decimal:
        """Return the share of the weight `value` earns, in [0, 1]."""
        span = self.zero_at - self.full_at
        if span == 0:
            return _ONE if self._not_worse(value) else _ZERO
        if self.direction is Direction.TARGET:
            return _clamp(_ONE - abs(value - self.full_at) / abs(span))
        return _clamp((value - self.zero_at) / (self.full_at - self.zero_at))

    def _not_worse(self, value: Decimal) -> bool:
        """Tell whether `value` is at the full-points threshold or on its good side (degenerate band)."""
        if self.direction is Direction.HIGHER:
            return value >= self.full_at
        if self.direction is Direction.LOWER:
            return value <= self.full_at
        return value == self.full_at

    def cohort_bounds(self, values: Sequence[Decimal]) -> Bounds | None:
        """Return the band's ends across a cohort's measures, each held within the thresholds.

        None for a TARGET band, and when every unit stands at the same place in the band
        (the formula would divide 0 by 0): the thresholds apply then.
        """
        if self.direction is Direction.TARGET or not values:
            return None
        low, high = sorted((self.full_at, self.zero_at))
        held = [min(max(value, low), high) for value in values]
        best, worst = (max(held), min(held)) if self.direction is Direction.HIGHER else (min(held), max(held))
        return None if best == worst else Bounds(best, worst, len(values))

    def apply(self, value: Decimal, weight: Decimal, unit: str = "%") -> Outcome:
        """Score `value` between the thresholds, or between the cohort's ends when the band carries them."""
        cohort = self.cohort
        if cohort is None:
            fraction = self.fraction(value)
            return Outcome(fraction * weight, self._clause(value, fraction, unit))
        fraction = self._replace(full_at=cohort.full_at, zero_at=cohort.zero_at).fraction(value)
        return Outcome(fraction * weight, self._cohort_clause(value, fraction, unit, cohort))

    def _cohort_clause(self, value: Decimal, fraction: Decimal, unit: str, cohort: Bounds) -> str:
        """Say where `value` stands: beyond a threshold, at an end of the cohort, or between its ends."""
        own = self.fraction(value)
        if own in (_ONE, _ZERO):  # At or beyond a threshold: clauses 1 and 2 of the table, as printed.
            return self._clause(value, own, unit)
        units = f"参与比较的 {cohort.units} 个单位"
        best, worst = ("最高", "最低") if self.direction is Direction.HIGHER else ("最低", "最高")
        if fraction == _ONE:
            return f"为{units}中{best}，得满分"
        if fraction == _ZERO:
            return f"为{units}中{worst}，得"
        low, high = sorted((cohort.full_at, cohort.zero_at))
        return f"介于{units}的最低 {two_places(low)}{unit} 与最高 {two_places(high)}{unit} 之间，按插值得"

    def _clause(self, value: Decimal, fraction: Decimal, unit: str) -> str:
        """Say which part of the band `value` falls in."""
        if self.direction is Direction.TARGET and value == self.full_at:
            return f"等于 {with_unit(self.full_at, unit)} 得满分"
        if self.direction is Direction.TARGET and (value - self.full_at) * (self.zero_at - self.full_at) < 0:
            return self._beyond_target_clause(value, fraction, unit)
        if fraction == _ONE:
            return f"{self._sign(self.full_at, self.zero_at)}{with_unit(self.full_at, unit)} 得满分"
        if fraction == _ZERO:
            return f"{self._sign(self.zero_at, self.full_at)}{with_unit(self.zero_at, unit)} 得"
        low, high = sorted((self.full_at, self.zero_at))
        return f"介于 {with_unit(low, unit)}–{with_unit(high, unit)}，按插值得"

    @staticmethod
    def _sign(threshold: Decimal, other: Decimal) -> str:
        """Return ≥ when `threshold` is the band's upper end, else ≤."""
        return "≥" if threshold > other else "≤"

    def _beyond_target_clause(self, value: Decimal, fraction: Decimal, unit: str) -> str:
        """Say how far `value` lies from the target on the side the table does not print."""
        side = "高于" if value > self.full_at else "低于"
        target = with_unit(self.full_at, unit)
        if fraction == _ZERO:
            return f"{side}目标 {target} 达 {gap(plain(abs(self.zero_at - self.full_at)), unit)}及以上，得"
        return f"{side}目标 {target} {gap(two_places(abs(value - self.full_at)), unit)}，按偏离程度插值得"


class Proportional(NamedTuple):
    """比例: measure ÷ full_at × weight (支付进度率: 年度支付数/年度任务数 × 该指标分值)."""

    kind = "比例"
    measure: str
    full_at: Decimal = Decimal(100)

    def max_points(self, weight: Decimal) -> Decimal:
        """Return the weight: scoring caps anything above it."""
        return weight

    def apply(self, value: Decimal, weight: Decimal, unit: str = "%") -> Outcome:
        """Score `value` in proportion; negative values score 0."""
        points = max(_ZERO, value / self.full_at * weight)
        share = f"{two_places(value)}{unit}"
        if not (unit == "%" and self.full_at == 100):
            share += f" ÷ {with_unit(self.full_at, unit)}"
        return Outcome(points, f"按比例计分（{share} × 分值 {plain(weight)}），得")


class Grade(NamedTuple):
    """等级: named grades to points (优秀5/良好3/合格1/不合格0), read from a named grade figure."""

    kind = "等级"
    figure: str
    table: tuple[tuple[str, Decimal], ...]
    cap: bool = False

    def max_points(self, weight: Decimal) -> Decimal:
        """Return the most any grade earns."""
        return max((points for _, points in self.table), default=_ZERO)

    def grades(self) -> list[str]:
        """Return the grade names in the table's order."""
        return [name for name, _ in self.table]

    def apply(self, grade: str) -> Outcome:
        """Score a grade; raise KeyError when the table does not name it."""
        return Outcome(dict(self.table)[grade], f"{self.figure}为「{grade}」，得")


class Deduction(NamedTuple):
    """扣分: full points, less `per_step` for each `step` beyond `threshold`, floored at zero.

    Points fall continuously: 2.5 percentage points over at 0.5 per point loses 1.25.
    `above` False deducts for falling below the threshold instead.
    """

    kind = "扣分"
    measure: str
    threshold: Decimal
    per_step: Decimal
    step: Decimal = _ONE
    above: bool = True

    def max_points(self, weight: Decimal) -> Decimal:
        """Return the weight: nothing is deducted at best."""
        return weight

    def excess(self, value: Decimal) -> Decimal:
        """Return how far `value` lies beyond the threshold (0 when within it)."""
        beyond = value - self.threshold if self.above else self.threshold - value
        return max(_ZERO, beyond)

    def apply(self, value: Decimal, weight: Decimal, unit: str = "%") -> Outcome:
        """Score `value`: deduct for the excess, never below zero."""
        excess = self.excess(value)
        if excess == 0:
            sign = "≤" if self.above else "≥"
            return Outcome(weight, f"{sign}{with_unit(self.threshold, unit)} 不扣分，得满分")
        points = max(_ZERO, weight - excess / self.step * self.per_step)
        side = "超过" if self.above else "低于"
        beyond = gap(two_places(excess), unit)
        rate = f"每 {gap(plain(self.step), unit)}扣 {plain(self.per_step)} 分"
        return Outcome(points, f"{side} {with_unit(self.threshold, unit)} {beyond}，{rate}，得")


class Assessed(NamedTuple):
    """评定: a score the evaluator gives within [0, weight], with the reason required."""

    kind = "评定"

    def max_points(self, weight: Decimal) -> Decimal:
        """Return the weight: an assessment may not exceed it."""
        return weight

    def apply(self, score: Decimal, reason: str) -> Outcome:
        """Take the evaluator's score and quote the reason."""
        return Outcome(score, f"评价人员评定（理由：{reason.rstrip('。；;.')}），得")


class StepDeduction(Deduction):
    """整档扣分: full points, less `per_step` for each whole `step` beyond the threshold, floored at zero.

    「每低于 5% 扣 2 分」: 99.27% is 0.73 below 100%, not a whole step, and keeps full points;
    95% is exactly one step and loses 2.
    """

    kind = "整档扣分"

    def steps(self, value: Decimal) -> int:
        """Return how many whole steps `value` lies beyond the threshold."""
        return int(self.excess(value) // self.step)

    def apply(self, value: Decimal, weight: Decimal, unit: str = "%") -> Outcome:
        """Score `value`: deduct per whole step of excess, never below zero."""
        excess, steps = self.excess(value), self.steps(value)
        if excess == 0:
            sign = "≤" if self.above else "≥"
            return Outcome(weight, f"{sign}{with_unit(self.threshold, unit)} 不扣分，得满分")
        side = "超过" if self.above else "低于"
        beyond = f"{side} {with_unit(self.threshold, unit)} {gap(two_places(excess), unit)}"
        rate = f"每{side} {gap(plain(self.step), unit)}扣 {plain(self.per_step)} 分"
        if steps == 0:
            return Outcome(weight, f"{beyond}，不足一档（{rate}），不扣分，得满分")
        return Outcome(max(_ZERO, weight - steps * self.per_step), f"{beyond}，满 {steps} 档（{rate}），得")


class Interval(NamedTuple):
    """A range of a measure with its edges stated: None is unbounded; `*_closed` says the edge is included."""

    low: Decimal | None
    high: Decimal | None
    low_closed: bool = True
    high_closed: bool = True

    def contains(self, value: Decimal) -> bool:
        """Tell whether `value` lies in the range, edges as stated."""
        above = self.low is None or value > self.low or (self.low_closed and value == self.low)
        below = self.high is None or value < self.high or (self.high_closed and value == self.high)
        return above and below

    def text(self, unit: str = "%") -> str:
        """Write the range as the table would: =0%, ≤10%, 0%＜测算值≤10%, ＞30%."""
        if self.low is not None and self.low == self.high:
            return f"={with_unit(self.low, unit)}"
        low = "" if self.low is None else f"{with_unit(self.low, unit)}{'≤' if self.low_closed else '＜'}"
        high = "" if self.high is None else f"{'≤' if self.high_closed else '＜'}{with_unit(self.high, unit)}"
        if not low or not high:
            return _one_sided(low, high)
        return f"{low}测算值{high}"


_RANGE_FORMS = str.maketrans({"（": "(", "）": ")", "［": "[", "］": "]", "，": ",", "＜": "<", "＞": ">", "＝": "=", "％": "%"})
# Compiled on first use (re caches them): a render whose table comes from the cache reads no range.
_COMPARISON = r"(<=|>=|≤|≥|<|>|=)\s*(-?[\d.]+)%?"
_BRACKETS = r"([(\[])\s*(-?[\d.]+|-∞)?%?\s*,\s*(-?[\d.]+|\+?∞)?%?\s*([)\]])"


class RangeError(ValueError):
    """A band's range that cannot be read; the message is Chinese."""


def parse_range(text: str) -> Interval:
    """Read a range as tables write it: =0, ≤10, ＞30, (0, 10], [95, ∞); raise RangeError."""
    source = text.translate(_RANGE_FORMS).strip()
    compared = re.fullmatch(_COMPARISON, source)
    try:
        if compared:
            return _compared(compared.group(1), Decimal(compared.group(2)))
        bracketed = re.fullmatch(_BRACKETS, source)
        if bracketed:
            return _bracketed(*bracketed.groups())
    except InvalidOperation:
        pass
    raise RangeError(f"「{text}」不是档次范围：写作「=0」「≤10」「＞30」或区间「(0, 10]」「[95, ∞)」（圆括号不含端点，方括号含端点）")


def _compared(sign: str, value: Decimal) -> Interval:
    """Turn a comparison (≤10) into a range."""
    if sign == "=":
        return Interval(value, value)
    if sign in ("<=", "≤", "<"):
        return Interval(None, value, True, sign != "<")
    return Interval(value, None, sign != ">", True)


def _bracketed(opening: str, low: str | None, high: str | None, closing: str) -> Interval:
    """Turn interval notation into a range; ∞ or nothing is unbounded."""
    low_value = None if low in (None, "-∞") else Decimal(low)
    high_value = None if high in (None, "∞", "+∞") else Decimal(high)
    if low_value is not None and high_value is not None and low_value > high_value:
        raise InvalidOperation
    return Interval(low_value, high_value, opening == "[", closing == "]")


def _one_sided(low: str, high: str) -> str:
    """Write a range open on one side as a comparison: ≥95%, ＜60%."""
    if high:
        return high
    if not low:
        return "任意值"
    bound, sign = low[:-1], low[-1]
    return f"{'≥' if sign == '≤' else '＞'}{bound}"


def overlaps(first: Interval, second: Interval) -> bool:
    """Tell whether two ranges share a value."""
    low, low_closed = _later_start(first, second)
    high, high_closed = _earlier_end(first, second)
    if low is None or high is None:
        return True
    return low < high or (low == high and low_closed and high_closed)


def _later_start(first: Interval, second: Interval) -> tuple[Decimal | None, bool]:
    """Return the later of two ranges' starts, with whether it is included."""
    if first.low is None:
        return second.low, second.low_closed
    if second.low is None or first.low > second.low:
        return first.low, first.low_closed
    if second.low > first.low:
        return second.low, second.low_closed
    return first.low, first.low_closed and second.low_closed


def _earlier_end(first: Interval, second: Interval) -> tuple[Decimal | None, bool]:
    """Return the earlier of two ranges' ends, with whether it is included."""
    if first.high is None:
        return second.high, second.high_closed
    if second.high is None or first.high < second.high:
        return first.high, first.high_closed
    if second.high < first.high:
        return second.high, second.high_closed
    return first.high, first.high_closed and second.high_closed


def gap_between(lower: Interval, upper: Interval) -> Interval | None:
    """Return the values between two ranges, `lower` ending before `upper` starts (None when they touch)."""
    if lower.high is None or upper.low is None:
        return None
    if lower.high < upper.low or (lower.high == upper.low and not lower.high_closed and not upper.low_closed):
        return Interval(lower.high, upper.low, not lower.high_closed, not upper.low_closed)
    return None


class Band(NamedTuple):
    """One 档 of a banded rule: a range of the measure and the points it earns."""

    range: Interval
    points: Decimal


class Banded(NamedTuple):
    """分档: points by the band the measure falls in (=0 → 8, 0–10% → 6 … ＞30% → 0), edges as stated.

    The bands should neither overlap nor leave gaps (the loader checks); a value in no
    band scores 0 and the basis says so.
    """

    kind = "分档"
    measure: str
    bands: tuple[Band, ...]
    cap: bool = False

    def max_points(self, weight: Decimal) -> Decimal:
        """Return the most any band earns."""
        return max((band.points for band in self.bands), default=_ZERO)

    def band(self, value: Decimal) -> Band | None:
        """Return the first band containing `value`."""
        return next((band for band in self.bands if band.range.contains(value)), None)

    def apply(self, value: Decimal, weight: Decimal, unit: str = "%") -> Outcome:
        """Score `value` by its band."""
        band = self.band(value)
        if band is None:
            return Outcome(_ZERO, "不在评分标准的任何一档，得")
        return Outcome(band.points, f"属于「{band.range.text(unit)}」一档，得")


def gaps_and_overlaps(ranges: Sequence[Interval]) -> tuple[list[tuple[int, int]], list[Interval]]:
    """Return the pairs of ranges (by index) that overlap, and the gaps left between consecutive ranges."""
    pairs = [(i, j) for i in range(len(ranges)) for j in range(i + 1, len(ranges)) if overlaps(ranges[i], ranges[j])]
    ordered = sorted(ranges, key=_start_order)
    gaps: list[Interval] = []
    covered = ordered[0] if ordered else None
    for upper in ordered[1:]:
        if covered is None or covered.high is None:
            break
        found = gap_between(covered, upper)
        gaps.extend([found] if found is not None else [])
        covered = _reaching_further(covered, upper)
    return pairs, gaps


def _reaching_further(covered: Interval, upper: Interval) -> Interval:
    """Return the range up to the later of two ends (what the bands so far cover, as far as it goes)."""
    if upper.high is None or covered.high is None:
        return covered._replace(high=None)
    if upper.high > covered.high or (upper.high == covered.high and upper.high_closed):
        return covered._replace(high=upper.high, high_closed=upper.high_closed)
    return covered


def _start_order(interval: Interval) -> tuple[bool, Decimal, bool]:
    """Order ranges by where they start: unbounded first, then by the start, included before excluded."""
    return interval.low is not None, interval.low if interval.low is not None else _ZERO, not interval.low_closed


class TargetRatio(NamedTuple):
    """目标比率: actual ÷ target × weight for a 不低于 target, target ÷ actual for a 不高于 one, at most the weight.

    `over` (percent above a 不低于 target) with `over_penalty`: 「超过目标 30%（含）以上的扣 2 分」,
    for a target set too low.
    """

    kind = "目标比率"
    measure: str
    target: str | None
    target_value: Decimal | None
    at_most: bool = False
    over: Decimal | None = None
    over_penalty: Decimal = _ZERO

    def max_points(self, weight: Decimal) -> Decimal:
        """Return the weight: the ratio is held at 1."""
        return weight

    def fraction(self, actual: Decimal, target: Decimal) -> Decimal:
        """Return the share of the weight earned, in [0, 1]; a target met or beaten earns 1.

        A ratio means nothing for a target that is not positive (结转结余变动率 −30%): such
        a target met earns 1, missed earns 0.
        """
        met = actual <= target if self.at_most else actual >= target
        if met:
            return _ONE
        if target <= 0:
            return _ZERO
        return _clamp(target / actual if self.at_most else actual / target)

    def overshoots(self, actual: Decimal, target: Decimal) -> bool:
        """Tell whether `actual` lies `over` percent or more above a 不低于 target."""
        if self.over is None or self.at_most or target <= 0:
            return False
        return actual >= target * (1 + self.over / 100)

    def apply(self, actual: Decimal, target: Decimal, weight: Decimal, unit: str = "") -> Outcome:
        """Score the actual value against its target, less the overshoot penalty."""
        fraction = self.fraction(actual, target)
        shown = f"实际 {entered(actual)}{unit}、目标 {entered(target)}{unit}"
        if fraction == _ONE:
            clause = f"{shown}，{'不高于' if self.at_most else '达到'}目标"
        elif target <= 0:
            clause = f"{shown}，未{'控制在' if self.at_most else '达到'}目标"
        else:
            ratio = "目标 ÷ 实际" if self.at_most else "实际 ÷ 目标"
            clause = f"{shown}，按 {ratio} = {two_places(fraction * 100)}% × 分值 {plain(weight)}"
        points = fraction * weight
        if self.overshoots(actual, target):
            points = max(_ZERO, points - self.over_penalty)
            clause += f"；超过目标 {plain(self.over)}%（含）以上，扣 {plain(self.over_penalty)} 分"
        return Outcome(points, clause + ("，得满分" if points == weight else "，得"))


class ThreeBands(NamedTuple):
    """三档评定: the evaluator's score, placed in a named band of the weight (好 80%（含）–100% …).

    `bands` are (name, lowest share of the weight in percent, included), from the best band down.
    """

    kind = "三档评定"
    bands: tuple[tuple[str, Decimal], ...]

    def max_points(self, weight: Decimal) -> Decimal:
        """Return the weight: an assessment may not exceed it."""
        return weight

    def band(self, score: Decimal, weight: Decimal) -> tuple[str, Decimal, Decimal]:
        """Return the band a score falls in, with its lowest and highest share of the weight in percent."""
        share = score / weight * 100 if weight else Decimal(100)
        top = Decimal(100)
        for name, lowest in self.bands:
            if share >= lowest:
                return name, lowest, top
            top = lowest
        name, lowest = self.bands[-1]
        return name, lowest, top

    def apply(self, score: Decimal, reason: str, weight: Decimal) -> Outcome:
        """Take the evaluator's score, name its band and quote the reason."""
        name, lowest, top = self.band(score, weight)
        span = f"分值的 {plain(lowest)}%（含）–{plain(top)}%"
        why = reason.rstrip("。；;.")
        return Outcome(score, f"评价人员评定为「{name}」档（{span}；理由：{why}），得")


class Alternatives(NamedTuple):
    """二者择其一: the first alternative whose facts are given is scored; neither given is an error."""

    kind = "二者择其一"
    labels: tuple[str, ...]
    options: tuple[Rule, ...]

    def max_points(self, weight: Decimal) -> Decimal:
        """Return the most any alternative can award."""
        return max(option.max_points(weight) for option in self.options)


class TotalCap(NamedTuple):
    """A cap on the whole table's total while a measure lies in a range (预算执行率 70%–80% → 至多 89 分)."""

    measure: str
    range: Interval
    most: Decimal


class GradeBand(NamedTuple):
    """A grade of the total: the lowest total (included) that earns it (优 ≥ 90)."""

    name: str
    at_least: Decimal


def grade_of(total: Decimal, bands: Sequence[GradeBand]) -> GradeBand | None:
    """Return the best grade band a total reaches."""
    return next((band for band in sorted(bands, key=lambda b: -b.at_least) if total >= band.at_least), None)


Rule = (
    Checklist
    | LinearBand
    | Proportional
    | Grade
    | Deduction
    | StepDeduction
    | Assessed
    | Banded
    | TargetRatio
    | ThreeBands
    | Alternatives
)
MeasuredRule = LinearBand | Proportional | Deduction | StepDeduction | Banded | TargetRatio
_ALL_KINDS = (
    Checklist, LinearBand, Proportional, Grade, Deduction, Assessed,
    Banded, StepDeduction, TargetRatio, ThreeBands, Alternatives,
)  # fmt: skip
KINDS: tuple[str, ...] = tuple(kind.kind for kind in _ALL_KINDS)


def reads(rule: Rule, kind: type | tuple[type, ...]) -> bool:
    """Tell whether a rule, or one of its alternatives, is of `kind` (and so reads what that kind reads)."""
    if isinstance(rule, Alternatives):
        return any(reads(option, kind) for option in rule.options)
    return isinstance(rule, kind)
