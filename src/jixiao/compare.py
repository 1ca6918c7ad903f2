"""Compare units scored with one indicator system: a county finance bureau's overview of many reports."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from jixiao import rules
from jixiao.errors import Problem, only_errors
from jixiao.scoring import Scorecard
from jixiao.textwidth import align_rows


class UnitScore(NamedTuple):
    """One unit's place in a comparison."""

    file: Path
    unit: str
    year: int
    rank: int
    card: Scorecard


class Comparison(NamedTuple):
    """Units ranked by total score (ties share a rank), and the problems of files left out."""

    units: list[UnitScore]
    problems: list[Problem]

    @property
    def complete(self) -> bool:
        """Tell whether every file given could be checked and scored."""
        return not self.problems


def compare_units(paths: Sequence[Path], indicators: Path | None = None) -> Comparison:
    """Check and score every facts file; rank those without errors, collect the errors of the rest."""
    from jixiao.checks import check_facts

    scored: list[tuple[Path, str, int, Scorecard]] = []
    problems: list[Problem] = []
    for path in paths:
        checked = check_facts(path, indicators)
        errors = only_errors(checked.problems)
        if errors or checked.facts is None or checked.card is None:
            problems.extend(errors)
            continue
        scored.append((path, checked.facts.unit.full_name, checked.facts.unit.year, checked.card))
    scored.sort(key=lambda entry: entry[3].total, reverse=True)
    return Comparison(units=_ranked(scored), problems=problems)


def _ranked(scored: list[tuple[Path, str, int, Scorecard]]) -> list[UnitScore]:
    """Give each unit its rank: equal totals share a rank, and the next rank skips (1, 1, 3)."""
    units: list[UnitScore] = []
    for position, (path, unit, year, card) in enumerate(scored, start=1):
        tied = units and units[-1].card.total == card.total
        units.append(UnitScore(path, unit, year, units[-1].rank if tied else position, card))
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
    return "\n".join(align_rows(rows, numbers))


def comparison_csv(comparison: Comparison) -> str:
    """Return the comparison as CSV, with a BOM so that Excel opens the Chinese text correctly."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(comparison_rows(comparison))
    return "\ufeff" + buffer.getvalue()
