"""Rule kinds of a scoring table (评分标准): each turns what was read into points and says why.

Pure: no facts and no files. A rule returns an `Outcome` with the raw points — exact
Decimal, neither rounded nor capped at the indicator's weight — and the clause of the
basis sentence that leads up to the points («介于 85%–95%，按插值得» + « 4.00 分»).
Scoring rounds once and caps once (see `scoring.ROUNDING`).

The kinds cover the tables 财预〔2013〕53号 leaves to each place: 要点计分 (checklist),
线性区间 (linear band), 比例 (proportional), 等级 (grade), 扣分 (deduction), 评定 (assessed).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from jixiao.wording import plain, two_places

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


Rule = Checklist | LinearBand | Proportional | Grade | Deduction | Assessed
MeasuredRule = LinearBand | Proportional | Deduction
KINDS: tuple[str, ...] = tuple(kind.kind for kind in (Checklist, LinearBand, Proportional, Grade, Deduction, Assessed))
