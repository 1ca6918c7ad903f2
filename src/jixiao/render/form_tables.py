"""The tables of a form-style report (表格方案): 基本概况, 收支情况, 三公经费, 绩效目标完成, 得分情况.

Like the 评分表, each is laid out here from the facts and the scorecard and written by the
one Word writer; a template places one with `::: 表格 收支情况`. Amounts are written as
entered, in the facts file's money unit (named in the first column's header); a figure the
unit did not state is a dash.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from jixiao.render.blocks import Column, TableData
from jixiao.shortfalls import loss_reason
from jixiao.wording import entered, percent, points, staffing_sentence

if TYPE_CHECKING:
    from jixiao.facts import Columns, CostItems, Facts, ThreeCosts
    from jixiao.scoring import Scorecard

OVERVIEW_TABLE = "基本概况"
MONEY_TABLE = "收支情况"
THREE_COSTS_TABLE = "三公经费"
GOALS_TABLE = "绩效目标完成"
SCORES_TABLE = "得分情况"
FORM_TABLES = (OVERVIEW_TABLE, MONEY_TABLE, THREE_COSTS_TABLE, GOALS_TABLE, SCORES_TABLE)
_DASH = "—"
_HUNDRED = Decimal(100)


def build_form_table(name: str, facts: Facts, card: Scorecard) -> TableData:
    """Return the form table a template places under `name` (one of FORM_TABLES)."""
    if name == SCORES_TABLE:
        return scores_table(card)
    return _FACTS_TABLES[name](facts)


def overview_table(facts: Facts) -> TableData:
    """Return the unit at a glance: name, introduction, duties, bodies and staff, as the unit stated them."""
    unit = facts.unit
    rows = [
        ("部门名称", unit.full_name),
        ("部门简介", unit.intro or _DASH),
        ("主要职责", "\n".join(f"{i}.{duty}" for i, duty in enumerate(facts.duties.items, start=1))),
        ("内设机构", "、".join(str(body) for body in facts.organisations) or _DASH),
        ("人员情况", staffing_sentence(facts.staffing)),
    ]
    return TableData(columns=(Column("项目", 1.2), Column("内容", 6.0)), rows=tuple(rows))


def money_table(facts: Facts) -> TableData:
    """Return income and spending in their columns (年初预算数, 全年预算数, 决算数) with the execution rate."""
    budget = facts.budget
    spending = budget.expenditure
    lines: list[tuple[str, Columns | None]] = [
        ("收入合计", budget.income.total_line),
        *((f"其中：{source.name}" if i == 0 else source.name, source) for i, source in enumerate(budget.income.sources)),
        ("支出合计", spending.total_line),
        ("其中：基本支出", spending.basic_line),
        ("项目支出", spending.project_line),
        ("人员经费", spending.personnel),
        ("公用经费", spending.public),
        ("基金预算支出", spending.fund_line),
    ]
    rows = tuple(_money_row(name, line) for name, line in lines if line is not None)
    columns = (
        Column(f"项目（{facts.money_unit}）", 2.4),
        Column("年初预算数", 1.4),
        Column("全年预算数", 1.4),
        Column("决算数", 1.4),
        Column("执行率", 1.1),
    )
    return TableData(columns=columns, rows=rows)


def _money_row(name: str, line: Columns) -> tuple[str, ...]:
    """Return one line's columns and its 决算数 ÷ 全年预算数 (or 年初预算数)."""
    initial = getattr(line, "given_amount", None)  # an income source written as one amount (jixiao 0.2)
    initial = line.initial if initial is None else initial
    return (name, _amount(initial), _amount(line.adjusted), _amount(line.final), _rate(line.final, line.budgeted))


def three_costs_table(facts: Facts) -> TableData:
    """Return the 三公经费 items: this year's 预算数 and 决算数, last year's 决算数, and the change."""
    years = facts.budget.three_costs
    columns = (
        Column(f"项目（{facts.money_unit}）", 2.6),
        Column("本年预算数", 1.3),
        Column("本年决算数", 1.3),
        Column("上年决算数", 1.3),
        Column("比上年增减", 1.3),
    )
    if years is None:
        return TableData(columns=columns, rows=(("未填写三公经费", _DASH, _DASH, _DASH, _DASH),))
    this, last = years.this_year, years.last_year
    budget, final = this.budget, this.stated
    last_final = last.stated if last is not None else None
    rows = tuple(
        (name, _amount(_item(budget, key)), _amount(_item(final, key)), _amount(_item(last_final, key)),
         _change(_item(final, key), _item(last_final, key)))
        for name, key in _COST_ITEMS
    )  # fmt: skip
    return TableData(columns=columns, rows=rows + _operations_rows(this, last))


def _operations_rows(this: ThreeCosts, last: ThreeCosts | None) -> tuple[tuple[str, ...], ...]:
    """Return the 机关运行经费 row and the vehicle count rows (辆), each only when some column of it is given."""
    running = (this.budget, this.final or this, (last.final or last) if last is not None else None)
    amounts = tuple(items.running_costs if items is not None else None for items in running)
    rows = [("机关运行经费", *amounts)]
    for name, key in (("公务用车保有量（辆）", "vehicles_held"), ("公务用车购置数（辆）", "vehicles_bought")):
        rows.append((name, None, getattr(this, key), getattr(last, key) if last is not None else None))
    return tuple(
        (name, _amount(budget), _amount(final), _amount(before), _change(final, before))
        for name, budget, final, before in rows
        if (budget, final, before) != (None, None, None)
    )


_COST_ITEMS = (
    ("因公出国（境）费", "abroad"),
    ("公务用车购置及运行维护费", "vehicles_total"),
    ("公务接待费", "reception"),
    ("合计", "printed_total"),
    ("会议费", "meetings"),
    ("培训费", "training"),
)


def _item(items: CostItems | None, key: str) -> Decimal | None:
    """Read one item of a 三公 column that may be absent."""
    return getattr(items, key) if items is not None and items.given else None


def goals_table(facts: Facts) -> TableData:
    """Return each area of work with what was achieved in it (工作任务 and 主要成绩, in order)."""
    achievements = facts.performance.achievements if facts.performance else []
    rows = tuple((str(i), item.title, item.text) for i, item in enumerate(achievements, start=1))
    columns = (Column("序号", 0.7), Column("绩效目标（工作任务）", 2.2), Column("完成情况", 5.3))
    return TableData(columns=columns, rows=rows or (("1", _DASH, _DASH),))


def scores_table(card: Scorecard) -> TableData:
    """Return each 三级指标's weight, score and, where points were lost, why (tiers merged)."""
    rows = tuple(_score_rows(card))
    columns = (
        Column("一级指标", 1.2),
        Column("二级指标", 1.5),
        Column("三级指标", 1.8),
        Column("分值", 0.8),
        Column("得分", 0.9),
        Column("扣分原因", 3.4),
    )
    grade = f"评价等级：{card.grade.name}" if card.grade else ""
    footer = (("总分", points(card.max_total), points(card.total), grade),)
    return TableData(columns=columns, rows=rows, merge_levels=2, footer=footer)


def _score_rows(card: Scorecard) -> Iterator[tuple[str, ...]]:
    """Yield one row per 三级指标."""
    for tier1 in card.tiers:
        for tier2 in tier1.tiers:
            for item in tier2.indicators:
                why = loss_reason(item) if item.lost else ""
                yield (tier1.name, tier2.name, item.name, points(item.weight), points(item.score), why)


def _amount(value: Decimal | None) -> str:
    """Write an amount as entered, or a dash when not stated."""
    return _DASH if value is None else entered(value)


def _rate(part: Decimal | None, whole: Decimal | None) -> str:
    """Write part ÷ whole as a percentage with two places, or a dash."""
    if part is None or not whole:
        return _DASH
    return percent(part / whole * _HUNDRED)


def _change(this: Decimal | None, last: Decimal | None) -> str:
    """Write this year's amount less last year's, signed, or a dash."""
    if this is None or last is None:
        return _DASH
    difference = this - last
    return ("+" if difference > 0 else "") + entered(difference)


_FACTS_TABLES: dict[str, Callable[[Facts], TableData]] = {
    OVERVIEW_TABLE: overview_table,
    MONEY_TABLE: money_table,
    THREE_COSTS_TABLE: three_costs_table,
    GOALS_TABLE: goals_table,
}
