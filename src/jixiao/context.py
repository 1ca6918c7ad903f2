"""The typed contract handed to the report templates.

Templates see exactly the names of `ReportContext.as_mapping()`; the README's
glossary lists them with their Chinese meaning. Everything a template prints
comes from the facts or the scorecard: nothing is typed by hand.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from jixiao.facts import Facts, Unit
from jixiao.figures import operations
from jixiao.management import Management, build_management
from jixiao.shortfalls import Shortfalls, account_for_losses
from jixiao.templatesets import TemplateSet
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


# How a unit refers to itself, by the end of its full name (the first that matches wins).
_SELF_REFERENCES = (
    ("街道办事处", "我街道"),
    ("联合会", "我会"),
    ("协会", "我会"),
    ("政治协商会议", "我会"),
    ("委员会", "我委"),
    ("局", "我局"),
    ("办公室", "我办"),
    ("院", "我院"),
    ("中心", "我中心"),
)
_TOWNSHIPS = {"乡镇", "街道"}


class UnitVoice(NamedTuple):
    """The unit's fixed phrases: as stated in the facts (行文用语) or, for `self_name` and `served`, as inferred.

    Templates that must keep a seed's wording use the `*_stated` values with their own default.
    """

    opening: str | None
    self_name: str
    self_name_stated: str | None
    served: str
    served_stated: str | None
    closing: str | None


def unit_voice(facts: Facts) -> UnitVoice:
    """Return the unit's phrases: stated ones as given, the self-reference and 满意度主体 inferred otherwise."""
    stated = facts.voice
    self_name = stated.self_reference if stated else None
    served = stated.satisfaction_subject if stated else None
    return UnitVoice(
        opening=stated.opening if stated else None,
        self_name=self_name or self_reference(facts.unit),
        self_name_stated=self_name,
        served=served or ("群众" if facts.unit.level in _TOWNSHIPS else "服务对象"),
        served_stated=served,
        closing=stated.closing if stated else None,
    )


def self_reference(unit: Unit) -> str:
    """Infer how the unit calls itself: 我镇/我乡 for townships, 我局 for a 局, 我会 for a 联合会 …, else 我单位."""
    if unit.level in _TOWNSHIPS:
        return "我街道" if unit.level == "街道" else ("我乡" if unit.short_name.endswith("乡") else "我镇")
    name = unit.full_name
    return next((word for ending, word in _SELF_REFERENCES if name.endswith(ending)), "我单位")


class ReportContext(NamedTuple):
    """Everything the templates may use: the facts, the scorecard, and values derived from both.

    `outline` counts headings as the templates print them: one per rendering. `template_set`
    is the chosen set; its 小额扣分 decides which losses section 四 names one by one.
    """

    facts: Facts
    card: Scorecard
    outline: Outline
    template_set: TemplateSet

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

    @property
    def shortfalls(self) -> Shortfalls:
        """Where points were lost, grouped by 一级指标, in plain words (section 四 when no reasons are given)."""
        return account_for_losses(self.card, self.template_set.minor_loss)

    @property
    def management(self) -> Management:
        """What the 预决算公开, 资产管理, 存量资金 and “三公”经费 paragraphs state (management.py)."""
        return build_management(self.facts, self.card)

    def as_mapping(self) -> dict[str, Any]:
        """Return the names templates see."""
        return {
            "voice": unit_voice(self.facts),
            "shortfalls": self.shortfalls,
            "management": self.management,
            "facts": self.facts,
            "unit": self.unit,
            "year": self.unit.year,
            "money_unit": self.facts.money_unit,
            "card": self.card,
            "total": self.total,
            "lost": self.lost,
            "title": self.title,
            "outline": self.outline,
            "operations": operations(self.facts),
        }
