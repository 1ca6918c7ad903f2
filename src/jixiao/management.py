"""What a narrative report states about how the unit managed its money and assets, from the facts and the scorecard.

The 湖南 set's 实施情况分析 has a paragraph each on “三公”经费控制 (with 机关运行经费),
存量资金 (结转结余), 预决算公开, 资产管理 and 政府采购. The templates word them; this module picks what they state: the
figures the facts hold (exact, in the file's money unit), the rates the scorecard computed,
and, for the 要点计分 indicators, which 评价要点 were met and which were not, in the
indicator system's own words. Whatever the facts leave out is None, and the paragraph
or clause that would state it is not printed: nothing is made up.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from jixiao.facts import CostItems, Facts, ThreeCosts
from jixiao.figures import operations
from jixiao.indicators import normalise_name

if TYPE_CHECKING:
    from jixiao.scoring import IndicatorScore, Scorecard

# The indicators whose 评价要点 the paragraphs report, by the names the bundled systems give them
# (巨鹿2021 and 财预53号: 预决算信息公开性; 岳阳2018: 预决算信息公开性和完善性; 资产管理安全性 in both of the latter).
DISCLOSURE_INDICATORS = ("预决算信息公开性", "预决算信息公开性和完善性")
ASSET_INDICATORS = ("资产管理完整性", "资产管理安全性")
ASSET_RATE = "固定资产利用率"
PROCUREMENT_RATE = "政府采购执行率"
CARRY_OVER_RATE = "结转结余率"

# A numbered 评价要点 on its own line: 「1.公开预决算信息；」「2、…」.
_POINT = re.compile(r"(\d+)\s*[.、．]\s*(.+)")
_POINT_END = "；;。.，,"
_HUNDRED = Decimal(100)


# ---------------------------------------------------------------- 评价要点 in plain words


class PointsOutcome(NamedTuple):
    """A 要点计分 indicator's outcome in words: the points met and not met, its score and weight."""

    indicator: str
    met: tuple[str, ...]
    unmet: tuple[str, ...]
    score: Decimal
    weight: Decimal

    @property
    def all_met(self) -> bool:
        """Tell whether every point was met."""
        return not self.unmet

    @property
    def full_marks(self) -> bool:
        """Tell whether every point was met for the whole weight (a capped table may give it with one missed)."""
        return self.all_met and self.score == self.weight


def checklist_points(explanation: str) -> tuple[str, ...]:
    """Return the 评价要点 an explanation lists, one a line after 「评价要点：」, as statements.

    「是否」 is dropped (「资产账务管理是否合规」 → 「资产账务管理合规」) and so is each point's
    end punctuation; an explanation that lists no numbered points gives ().
    """
    _, found, after = explanation.partition("评价要点")
    points: list[str] = []
    for line in after.splitlines()[1:] if found else ():
        numbered = _POINT.fullmatch(line.strip())
        if numbered is None or int(numbered.group(1)) != len(points) + 1:
            break
        points.append(numbered.group(2).rstrip(_POINT_END).replace("是否", ""))
    return tuple(points)


def points_outcome(item: IndicatorScore) -> PointsOutcome | None:
    """Name the points a scored 要点计分 indicator met and missed; None when its explanation does not list them all."""
    answer = item.points_met
    points = checklist_points(item.explanation)
    if answer is None or item.score is None or len(points) != answer.count:
        return None
    met = tuple(points[n - 1] for n in answer.met)
    unmet = tuple(point for n, point in enumerate(points, 1) if n not in answer.met)
    return PointsOutcome(item.name, met, unmet, item.score, item.weight)


def _indicator(card: Scorecard, names: tuple[str, ...]) -> IndicatorScore | None:
    """Return the first indicator of the card called one of `names` (compared without quotes and spaces)."""
    wanted = {normalise_name(name) for name in names}
    return next((item for item in card.indicators if normalise_name(item.name) in wanted), None)


def _outcome(card: Scorecard, names: tuple[str, ...]) -> PointsOutcome | None:
    """Return the outcome of the first indicator called one of `names`, when it was scored by its points."""
    item = _indicator(card, names)
    return points_outcome(item) if item is not None else None


def _measure(card: Scorecard, name: str) -> Decimal | None:
    """Return the rate the card computed under a measure's name (固定资产利用率 …), if any indicator reads it."""
    found = (item.measure for item in card.indicators if item.measure_name == name and item.measure is not None)
    return next(found, None)


# ---------------------------------------------------------------- 预决算公开, 资产管理


class Disclosure(NamedTuple):
    """The 预决算公开情况 paragraph: the unit's own text, or the 预决算信息公开性 points."""

    stated: str | None
    outcome: PointsOutcome | None

    @property
    def printed(self) -> bool:
        """Tell whether there is anything to print."""
        return bool(self.stated or self.outcome)


def disclosure(facts: Facts, card: Scorecard) -> Disclosure:
    """Gather the 预决算公开 paragraph's content."""
    stated = facts.management_text.disclosure if facts.management_text else None
    return Disclosure(stated, _outcome(card, DISCLOSURE_INDICATORS))


class Assets(NamedTuple):
    """The 资产管理情况 paragraph: the unit's own text, or the fixed assets and the 资产管理 points.

    `total` and `in_use` are 固定资产总额 and 在用固定资产总额 as given (money unit of the file);
    `rate` is 固定资产利用率 in percent: the scorecard's measure, else in_use / total × 100.
    The figures are stated from `total` on (在用 alone, without the total, is not a sentence).
    """

    stated: str | None
    total: Decimal | None
    in_use: Decimal | None
    rate: Decimal | None
    outcome: PointsOutcome | None

    @property
    def printed(self) -> bool:
        """Tell whether there is anything to print."""
        return bool(self.stated or self.outcome) or self.total is not None or self.rate is not None


def assets(facts: Facts, card: Scorecard) -> Assets:
    """Gather the 资产管理 paragraph's content."""
    stated = facts.management_text.assets if facts.management_text else None
    total, in_use = facts.scoring.assets_total, facts.scoring.assets_in_use
    rate = _rate(card, ASSET_RATE, in_use, total)
    return Assets(stated, total, in_use, rate, _outcome(card, ASSET_INDICATORS))


def _rate(card: Scorecard, name: str, part: Decimal | int | None, whole: Decimal | int | None) -> Decimal | None:
    """Return a rate in percent: the scorecard's measure, else part / whole × 100; None over a whole of 0.

    A scoring table may count 0 / 0 as 0 (零基数: 视为零) or leave it out; the narrative states no rate for it.
    """
    if whole is not None and not whole:
        return None
    found = _measure(card, name)
    if found is None and whole and part is not None:
        found = Decimal(part) / Decimal(whole) * _HUNDRED
    return found


class Procurement(NamedTuple):
    """The 政府采购情况 paragraph: 政府采购预算项目数, 实际政府采购项目数 and 政府采购执行率 (percent).

    The counts are stated from `planned` on; the rate is the scorecard's measure, else done / planned × 100.
    """

    planned: int | None
    done: int | None
    rate: Decimal | None

    @property
    def printed(self) -> bool:
        """Tell whether there is anything to print."""
        return self.planned is not None or self.rate is not None


def procurement(facts: Facts, card: Scorecard) -> Procurement:
    """Gather the 政府采购 paragraph's content."""
    planned, done = facts.scoring.procurement_planned, facts.scoring.procurement_done
    return Procurement(planned, done, _rate(card, PROCUREMENT_RATE, done, planned))


# ---------------------------------------------------------------- 存量资金, 三公经费


class Change(NamedTuple):
    """One amount against another (this year against last, 决算 against 预算): by how much, and the rate."""

    before: Decimal
    after: Decimal

    @property
    def difference(self) -> Decimal:
        """After minus before: positive for a rise."""
        return self.after - self.before

    @property
    def amount(self) -> Decimal:
        """The size of the difference."""
        return abs(self.difference)

    @property
    def rate(self) -> Decimal | None:
        """The size of the difference as a percentage of `before` (变动率, unsigned); None when before is 0."""
        return self.amount / self.before * _HUNDRED if self.before else None


class CarryOver(NamedTuple):
    """The 存量资金情况 paragraph: money carried into next year, against what was carried into this one.

    `brought_in` is 年初结转和结余 (the income sources of kind 上年结转 / 上年结余);
    `rate` is the scorecard's 结转结余率, when the indicator system has it.
    """

    carried_forward: Decimal | None
    balance: Decimal | None
    brought_in: Decimal | None
    rate: Decimal | None

    @property
    def total(self) -> Decimal | None:
        """年末结转和结余: the two amounts that are given, added; None when neither is."""
        known = [v for v in (self.carried_forward, self.balance) if v is not None]
        return sum(known, Decimal(0)) if known else None

    @property
    def against_last_year(self) -> Change | None:
        """年末 against 年初 结转和结余, when both are known."""
        if self.total is None or self.brought_in is None:
            return None
        return Change(self.brought_in, self.total)


def carry_over(facts: Facts, card: Scorecard) -> CarryOver:
    """Gather the 存量资金 paragraph's content."""
    budget = facts.budget
    return CarryOver(budget.carried_forward, budget.balance, budget.income.carried_in_total, _measure(card, CARRY_OVER_RATE))


_COST_NAMES = ("因公出国（境）费", "公务用车购置及运行维护费", "公务接待费")


class CostControl(NamedTuple):
    """The “三公”经费控制情况 paragraph: this year's costs, against the budget and against last year.

    `spent` is the column the report prints: 决算数 when given, else 预算数; `column` names it
    (None for items written directly, jixiao 0.2's layout). `budget` is the 预算数 total beside a
    printed 决算数. `last_year` is last year's total in the same column, when last year has it.
    """

    spent: CostItems
    column: str | None
    budget: Decimal | None
    last_year: Decimal | None

    @property
    def total(self) -> Decimal:
        """The total printed: the published 合计, else the items added."""
        return self.spent.printed_total

    @property
    def items(self) -> tuple[tuple[str, Decimal], ...]:
        """The three costs that are given, by name (a 0 is given and printed)."""
        spent = self.spent
        amounts = (spent.abroad, spent.vehicles_total, spent.reception)
        return tuple((name, amount) for name, amount in zip(_COST_NAMES, amounts, strict=True) if amount is not None)

    @property
    def against_budget(self) -> Change | None:
        """决算数 against 预算数, when both are given."""
        return Change(self.budget, self.total) if self.budget is not None else None

    @property
    def against_last_year(self) -> Change | None:
        """This year against last year in the same column, when last year has it."""
        return Change(self.last_year, self.total) if self.last_year is not None else None


def cost_control(facts: Facts) -> CostControl | None:
    """Gather the 三公经费 paragraph's content; None when the facts have no 三公经费."""
    costs = facts.budget.three_costs
    if costs is None:
        return None
    this = costs.this_year
    spent = this.stated
    column = "决算数" if spent is this.final else ("预算数" if spent is this.budget else None)
    beside = this.budget if column == "决算数" and this.budget is not None and this.budget.given else None
    last = _same_column(costs.last_year, this, spent) if costs.last_year is not None else None
    return CostControl(
        spent,
        column,
        beside.printed_total if beside is not None else None,
        last.printed_total if last is not None else None,
    )


def _same_column(last: ThreeCosts, this: ThreeCosts, spent: CostItems) -> CostItems | None:
    """Return last year's items in the column this year prints; items written directly stand for either column."""
    if spent is this:
        return last.stated
    column = last.final if spent is this.final else last.budget
    if column is not None and column.given:
        return column
    return last if last.given else None


# ---------------------------------------------------------------- all four


class Management(NamedTuple):
    """What the 实施情况分析 paragraphs on management state (the templates' `management`).

    `running_costs` is this year's 机关运行经费 against last year's in the same column
    (figures.operations), when both are known.
    """

    disclosure: Disclosure
    assets: Assets
    procurement: Procurement
    carry_over: CarryOver
    costs: CostControl | None
    running_costs: Change | None


def build_management(facts: Facts, card: Scorecard) -> Management:
    """Gather the paragraphs' content from the facts and the scorecard."""
    held = operations(facts)
    running = None if held.running is None or held.running_last_year is None else Change(held.running_last_year, held.running)
    return Management(
        disclosure(facts, card), assets(facts, card), procurement(facts, card), carry_over(facts, card), cost_control(facts), running
    )
