"""Compare units scored with one indicator system: a county finance bureau's overview of many reports."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from jixiao import rules
from jixiao.errors import Problem, only_errors
from jixiao.facts import Facts
from jixiao.indicators import IndicatorSystem, load_indicators
from jixiao.scoring import Scorecard, score_facts
from jixiao.textwidth import align_rows


class UnitScore(NamedTuple):
    """One unit's place in a comparison."""

    file: Path
    unit: str
    year: int
    rank: int
    card: Scorecard


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

    scored: list[tuple[Path, Facts, Scorecard]] = []
    problems: list[Problem] = []
    for path in paths:
        checked = check_file(path, indicators)
        errors = only_errors(checked.problems)
        if errors or checked.facts is None or checked.card is None:
            problems.extend(errors)
            continue
        scored.append((path, checked.facts, checked.card))
    ends = None
    if cohort:
        system = load_indicators(indicators)
        keyed = _cohort_ends(system, [card for _, _, card in scored])
        banded = system.with_cohort({key: e.bounds for key, e in keyed})
        ends = [e for _, e in keyed]
        scored = [(path, facts, score_facts(facts, banded)) for path, facts, _ in scored]
    scored.sort(key=lambda entry: entry[2].total, reverse=True)
    return Comparison(units=_ranked(scored), problems=problems, cohort=ends)


def _cohort_ends(system: IndicatorSystem, cards: list[Scorecard]) -> list[tuple[str, CohortEnds]]:
    """Take each 线性区间's ends across the units' measures (none for a band the units do not spread over), by key."""
    ends = []
    for position, item in enumerate(system.indicators):
        if not isinstance(item.rule, rules.LinearBand):
            continue
        values = [m for m in (card.indicators[position].measure for card in cards) if m is not None]
        bounds = item.rule.cohort_bounds(values)
        measure = system.measure(item.rule.measure)
        if bounds is not None:
            ends.append((item.key, CohortEnds(item.name, measure.unit if measure else "%", bounds)))
    return ends


def _ranked(scored: list[tuple[Path, Facts, Scorecard]]) -> list[UnitScore]:
    """Give each unit its rank: equal totals share a rank, and the next rank skips (1, 1, 3)."""
    units: list[UnitScore] = []
    for position, (path, facts, card) in enumerate(scored, start=1):
        tied = units and units[-1].card.total == card.total
        rank = units[-1].rank if tied else position
        units.append(UnitScore(path, facts.unit.full_name, facts.unit.year, rank, card))
    return units


def comparison_rows(comparison: Comparison) -> list[tuple[str, ...]]:
    """Return the header and one row per unit: 排名, 单位, 年度, each 一级指标, 总分, points lost."""
    if not comparison.units:
        return []
    tiers = comparison.units[0].card.tiers
    header = ("排名", "单位", "年度", *(f"{t.name}（{rules.plain(t.weight)}）" for t in tiers), "总分", "未得满分的指标")
    rows = [header]
    for entry in comparison.units:
        subtotals = (rules.two_places(t.score) for t in entry.card.tiers)
        total = rules.two_places(entry.card.total)
        rows.append((str(entry.rank), entry.unit, str(entry.year), *subtotals, total, _losses(entry.card)))
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
        items = comparison.units[0].card.indicators
        rows[0] = (*rows[0], *(f"{item.name}（{rules.plain(item.weight)}）" for item in items))
        for index, entry in enumerate(comparison.units, start=1):
            scores = ("无法评分" if item.score is None else rules.two_places(item.score) for item in entry.card.indicators)
            rows[index] = (*rows[index], *scores)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return "\ufeff" + buffer.getvalue()
