"""Compare units scored with one indicator system: a county finance bureau's overview of many reports.

A county may compare thousands of units at once, so each unit is kept only as the cells
its row of the table and of the CSV shows (`UnitScore`), not as its facts and scorecard;
texts every unit shares, such as the column headings, are kept once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple, TypeVar

from jixiao import rules
from jixiao.errors import Problem, only_errors
from jixiao.facts import Facts, load_facts
from jixiao.indicatorlibrary import choose_indicators
from jixiao.indicators import IndicatorSystem, load_indicators
from jixiao.scoring import Scorecard, score_facts
from jixiao.textwidth import align_rows

T = TypeVar("T")


class UnitScore(NamedTuple):
    """One unit's place in a comparison, and the cells of its row in the table and the CSV.

    `tier_headings` and `indicator_headings` name the columns («投入（10）», «预算完成率（5）»);
    `subtotals` and `scores` fill them («42.00», or «无法评分» for an indicator without a score).
    `measures` (each 三级指标's measured value, by position) is kept only for the cohort reading.
    """

    file: Path
    unit: str
    year: int
    rank: int
    total: Decimal
    tier_headings: tuple[str, ...]
    subtotals: tuple[str, ...]
    losses: str
    indicator_headings: tuple[str, ...]
    scores: tuple[str, ...]
    measures: tuple[Decimal | None, ...] = ()


class CohortEnds(NamedTuple):
    """The ends a 线性区间 indicator took across the compared units (the cohort reading)."""

    indicator: str
    unit: str
    bounds: rules.Bounds


class Comparison(NamedTuple):
    """Units ranked by total score (ties share a rank), and the problems of files left out.

    `cohort` is None unless the cohort reading was asked for; then it lists the bands whose
    ends came from the units (empty when no band's measures differed within its thresholds).
    """

    units: list[UnitScore]
    problems: list[Problem]
    cohort: list[CohortEnds] | None = None

    @property
    def complete(self) -> bool:
        """Tell whether every file given could be checked and scored."""
        return not self.problems


def compare_units(paths: Sequence[Path], indicators: Path | None = None, cohort: bool = False) -> Comparison:
    """Check and score every facts file; rank those without errors, collect the errors of the rest.

    With `cohort`, every 线性区间 indicator is scored again between the best and worst
    measures of the units compared, as the table's max/min formula reads for a bureau
    evaluating many units (see `rules.LinearBand`).
    """
    from jixiao.report import check_file

    shared: dict[object, object] = {}
    scored: list[UnitScore] = []
    problems: list[Problem] = []
    first: tuple[str, Path, Facts] | None = None
    for path in paths:
        checked = check_file(path, indicators)
        errors = only_errors(checked.problems)
        if errors or checked.facts is None or checked.card is None:
            problems.extend(errors)
            continue
        first = first or (checked.card.system, path, checked.facts)
        if checked.card.system != first[0]:
            problems.append(_other_system(path, checked.card.system, first[0]))
            continue
        scored.append(_unit_score(path, checked.facts, checked.card, shared, keep_measures=cohort))
    ends = None
    if cohort and first is not None:
        system = load_indicators(choose_indicators(indicators, first[2].indicator_system, first[1]))
        keyed = _cohort_ends(system, [unit.measures for unit in scored])
        banded = system.with_cohort({key: e.bounds for key, e in keyed})
        ends = [e for _, e in keyed]
        scored = [_rescored(unit, banded, shared) for unit in scored]
    scored.sort(key=lambda unit: unit.total, reverse=True)
    return Comparison(units=_ranked(scored), problems=problems, cohort=ends)


def _other_system(path: Path, system: str, shared: str) -> Problem:
    """Say a unit was scored against another indicator system than the first unit, so it is not ranked with them."""
    message = (
        f"按指标体系「{system}」评分，与前面的单位（「{shared}」）不同，不能一起排名；"
        "请在事实数据中写同一个「指标体系」，或用 --indicators 指定"
    )
    return Problem(str(path), None, None, "指标体系", message)


def _unit_score(path: Path, facts: Facts, card: Scorecard, shared: dict[object, object], keep_measures: bool) -> UnitScore:
    """Keep of one unit what its rows show, each text that units share (headings, «4.00») held once."""
    tier_headings = tuple(f"{t.name}（{rules.plain(t.weight)}）" for t in card.tiers)
    headings = tuple(f"{item.name}（{rules.plain(item.weight)}）" for item in card.indicators)
    scores = tuple("无法评分" if item.score is None else rules.two_places(item.score) for item in card.indicators)
    return UnitScore(
        file=path,
        unit=facts.unit.full_name,
        year=facts.unit.year,
        rank=0,
        total=card.total,
        tier_headings=_once(shared, tier_headings),
        subtotals=_once(shared, tuple(_once(shared, rules.two_places(t.score)) for t in card.tiers)),
        losses=_losses(card),
        indicator_headings=_once(shared, headings),
        scores=_once(shared, tuple(_once(shared, score) for score in scores)),
        measures=tuple(item.measure for item in card.indicators) if keep_measures else (),
    )


def _once(shared: dict[object, object], value: T) -> T:
    """Return the one copy of `value` kept in `shared`, keeping `value` if it is the first."""
    return shared.setdefault(value, value)  # type: ignore[return-value]


def _rescored(unit: UnitScore, banded: IndicatorSystem, shared: dict[object, object]) -> UnitScore:
    """Score a unit again under the cohort's bands, reading its facts file again (they were not kept)."""
    facts = load_facts(unit.file).facts
    return _unit_score(unit.file, facts, score_facts(facts, banded), shared, keep_measures=False)


def _cohort_ends(system: IndicatorSystem, measures: list[tuple[Decimal | None, ...]]) -> list[tuple[str, CohortEnds]]:
    """Take each 线性区间's ends across the units' measures (none for a band the units do not spread over), by key."""
    ends = []
    for position, item in enumerate(system.indicators):
        if not isinstance(item.rule, rules.LinearBand):
            continue
        values = [m for m in (unit[position] for unit in measures) if m is not None]
        bounds = item.rule.cohort_bounds(values)
        measure = system.measure(item.rule.measure)
        if bounds is not None:
            ends.append((item.key, CohortEnds(item.name, measure.unit if measure else "%", bounds)))
    return ends


def _ranked(scored: list[UnitScore]) -> list[UnitScore]:
    """Give each unit its rank: equal totals share a rank, and the next rank skips (1, 1, 3)."""
    units: list[UnitScore] = []
    for position, unit in enumerate(scored, start=1):
        tied = units and units[-1].total == unit.total
        units.append(unit._replace(rank=units[-1].rank if tied else position))
    return units


def comparison_rows(comparison: Comparison) -> list[tuple[str, ...]]:
    """Return the header and one row per unit: 排名, 单位, 年度, each 一级指标, 总分, points lost."""
    if not comparison.units:
        return []
    header = ("排名", "单位", "年度", *comparison.units[0].tier_headings, "总分", "未得满分的指标")
    rows = [header]
    for entry in comparison.units:
        total = rules.two_places(entry.total)
        rows.append((str(entry.rank), entry.unit, str(entry.year), *entry.subtotals, total, entry.losses))
    return rows


def _losses(card: Scorecard) -> str:
    """Name the indicators that lost points, with how many: 预算完成率−1、预算调整率−1."""
    return "、".join(f"{item.name}−{rules.plain(item.lost)}" for item in card.indicators if item.lost) or "无"


def format_comparison(comparison: Comparison) -> str:
    """Lay the comparison out as an aligned table, numbers right-aligned."""
    rows = comparison_rows(comparison)
    if not rows:
        return "没有可以比较的单位。"
    numbers = set(range(2, len(rows[0]) - 1)) | {0}
    table = "\n".join(align_rows(rows, numbers))
    return table if comparison.cohort is None else f"{table}\n\n{cohort_note(comparison.cohort)}"


def cohort_note(ends: list[CohortEnds]) -> str:
    """Say which bands were scored between the units' ends, and where those ends were."""
    if not ends:
        return "相对评分：各线性区间指标的测算值在阈值之间没有高低之分，均按评分表的阈值评分。"
    lines = ["相对评分：以下线性区间指标按评分表公式中的 max/min，取参与比较各单位的测算值（先限定在评分表的两个阈值之间）："]
    for end in ends:
        low, high = sorted((end.bounds.full_at, end.bounds.zero_at))
        lines.append(
            f"  {end.indicator}：{end.bounds.units} 个单位，最低 {rules.two_places(low)}{end.unit}，最高 {rules.two_places(high)}{end.unit}"
        )
    lines.append("其余线性区间指标（各单位都在阈值以外、测算值相同，或「等于目标」类）按评分表的阈值评分。")
    return "\n".join(lines)


def comparison_csv(comparison: Comparison) -> str:
    """Return the comparison as CSV, with a BOM so that Excel opens the Chinese text correctly.

    The columns of the printed table come first; then one per 三级指标 with each unit's score
    (「无法评分」 where it has none), for sorting and charting in a spreadsheet.
    """
    rows = comparison_rows(comparison)
    if rows:
        rows[0] = (*rows[0], *comparison.units[0].indicator_headings)
        for index, entry in enumerate(comparison.units, start=1):
            rows[index] = (*rows[index], *entry.scores)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return "\ufeff" + buffer.getvalue()
