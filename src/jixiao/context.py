"""The typed contract handed to the report templates.

Templates see exactly the names of `ReportContext.as_mapping()`; the README's
glossary lists them with their Chinese meaning. Everything a template prints
comes from the facts or the scorecard: nothing is typed by hand.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from jixiao.facts import Facts, Unit
from jixiao.wording import ordinal, report_title

if TYPE_CHECKING:
    from jixiao.scoring import IndicatorScore, Scorecard

_LEVEL_PATTERNS = ("一、", "（一）", "1.", "（1）")


class Outline:
    """Heading numbers 一、 （一） 1. （1）, each level restarting under its parent (GB/T 9704 7.3.3)."""

    def __init__(self) -> None:
        self.counts = [0] * len(_LEVEL_PATTERNS)

    def next(self, level: int) -> str:
        """Return the next number at `level` (1-based) and restart the levels below it."""
        self.counts[level - 1] += 1
        self.counts[level:] = [0] * (len(self.counts) - level)
        return ordinal(self.counts[level - 1], _LEVEL_PATTERNS[level - 1])

    def h1(self) -> str:
        """Return the next 一级 number: 一、 二、 …"""
        return self.next(1)

    def h2(self) -> str:
        """Return the next 二级 number: （一） （二） …"""
        return self.next(2)

    def h3(self) -> str:
        """Return the next 三级 number: 1. 2. …"""
        return self.next(3)


class ReportContext(NamedTuple):
    """Everything the templates may use: the facts, the scorecard, and values derived from both.

    `outline` counts headings as the templates print them: one per rendering.
    """

    facts: Facts
    card: Scorecard
    outline: Outline

    @property
    def unit(self) -> Unit:
        """The evaluated unit (全称, 简称, 年度 …)."""
        return self.facts.unit

    @property
    def total(self) -> Decimal:
        """The computed total score (自评得分)."""
        return self.card.total

    @property
    def lost(self) -> list[IndicatorScore]:
        """The indicators that did not get full points, in table order."""
        return [item for item in self.card.indicators if item.lost]

    @property
    def title(self) -> str:
        """The report's title as one line: <全称><年度>年度部门整体支出绩效评价报告."""
        return report_title(self.unit.full_name, self.unit.year)

    def as_mapping(self) -> dict[str, Any]:
        """Return the names templates see."""
        return {
            "facts": self.facts,
            "unit": self.unit,
            "year": self.unit.year,
            "money_unit": self.facts.money_unit,
            "card": self.card,
            "total": self.total,
            "lost": self.lost,
            "title": self.title,
            "outline": self.outline,
        }
