"""The named figures indicator formulas read, taken from a facts file in the scoring table's terms.

Each figure has a name in the scoring table's wording (在职人员数, 预算完成数, 三公经费本年 …),
a one-line meaning, and the places it comes from: computed from what the unit states
(人员情况, 预算 › 支出 › 合计 › 决算数 …) when those facts are there, or given directly
under 评分数据. A figure given directly is used as written; `given_against_computed` lists
those that differ from the facts, for `check` to say so. A unit's own figures
(评分数据 › 自定义数据) are figures too, with the meaning the unit wrote.

For scoring (and helper modules):
- `fact_values(facts)`      name → Decimal, every figure the file holds (own figures included);
- `fact_figures(facts)`     name → FigureValue(value, source label, place) — which facts a value came from;
- `figure_meanings(facts)`  name → one-line meaning, built-in and own;
- `source_notes(held, names)` / `sources_clause(facts, names)`  「预算完成数取自「预算 › 支出 › 合计 › 决算数」，…」 for a basis sentence;
- `FIGURES[name].where()`   where to fill a missing figure in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import NamedTuple

from jixiao.facts import Columns, Facts, ThreeCosts, column_value
from jixiao.yamlsource import Loc, field_label

_SCORING = "评分数据"
_BUDGET = "预算"
_SPENDING_TOTAL: Loc = (_BUDGET, "支出", "合计")


class FigureValue(NamedTuple):
    """A figure's value and the place in the facts file it was read from."""

    value: Decimal
    place: Loc
    label: str = ""

    @property
    def source(self) -> str:
        """Name the facts the value came from: 「预算 › 支出 › 合计 › 决算数」."""
        return self.label or f"「{field_label(self.place)}」"


Computer = Callable[[Facts], FigureValue | None]


class Figure(NamedTuple):
    """A named figure: its meaning, where it is filled in, and how it is computed from the facts."""

    name: str
    place: Loc
    meaning: str
    computed_from: str | None = None
    compute: Computer | None = None

    def where(self) -> str:
        """Say where to fill the figure in, as 「评分数据 › 预算完成数」（或「预算 › 支出 › 合计 › 决算数」）."""
        text = f"「{field_label(self.place)}」"
        return f"{text}（或{self.computed_from}）" if self.computed_from else text


# ---------------------------------------------------------------- computed from the facts


def _column(line: Columns | None, loc: Loc, column: str) -> FigureValue | None:
    """Read one column of a line: 年初预算数, 全年预算数 or 决算数."""
    value = column_value(line, column)
    return FigureValue(Decimal(value), (*loc, column)) if value is not None else None


def _budgeted(line: Columns | None, loc: Loc) -> FigureValue | None:
    """Read a line's budget as arranged: 全年预算数, else 年初预算数."""
    return _column(line, loc, "全年预算数") or _column(line, loc, "年初预算数")


def _in_post(facts: Facts) -> FigureValue:
    return FigureValue(Decimal(facts.staffing.in_post), ("人员情况", "在职人员"))


def _establishment(facts: Facts) -> FigureValue | None:
    value = facts.staffing.establishment
    return FigureValue(Decimal(value), ("人员情况", "编制数")) if value is not None else None


def _projects_sum(facts: Facts, key_only: bool) -> FigureValue | None:
    """Add the budgets of the listed projects (only the 重点项目 when asked)."""
    projects = [p for p in facts.budget.projects if p.key or not key_only]
    if not facts.budget.projects or any(p.budgeted is None for p in projects):
        return None
    label = "「预算 › 项目」中重点项目的预算之和" if key_only else "「预算 › 项目」的预算之和"
    return FigureValue(sum((p.budgeted for p in projects), Decimal(0)), (_BUDGET, "项目"), label)


def _key_projects(facts: Facts) -> FigureValue | None:
    return _projects_sum(facts, key_only=True)


def _project_total(facts: Facts) -> FigureValue | None:
    listed = _projects_sum(facts, key_only=False)
    return listed or _budgeted(facts.budget.expenditure.project_line, (_BUDGET, "支出", "项目支出"))


def _spending(column: str) -> Computer:
    """Read a column of 支出 › 合计."""
    return lambda facts: _column(facts.budget.expenditure.total_line, _SPENDING_TOTAL, column)


def _spending_budget(facts: Facts) -> FigureValue | None:
    return _budgeted(facts.budget.expenditure.total_line, _SPENDING_TOTAL)


def _adjusted_by(facts: Facts) -> FigureValue | None:
    adjustment = facts.budget.adjustment
    if adjustment is None or (adjustment.added is None and adjustment.cut is None):
        return None
    return FigureValue(adjustment.total, (_BUDGET, "预算调整"))


def _carried(facts: Facts) -> FigureValue | None:
    budget = facts.budget
    known = [v for v in (budget.carried_forward, budget.balance) if v is not None]
    label = "「预算 › 年末结转」与「预算 › 年末结余」之和"
    return FigureValue(sum(known, Decimal(0)), (_BUDGET, "年末结转"), label) if known else None


def _public(column: str | None) -> Computer:
    """Read 公用经费: a column, or (None) its budget as arranged."""
    loc = (_BUDGET, "支出", "公用经费")

    def read(facts: Facts) -> FigureValue | None:
        line = facts.budget.expenditure.public
        return _budgeted(line, loc) if column is None else _column(line, loc, column)

    return read


def _three_costs(year: str, final: bool = False) -> Computer:
    """Read a year's 三公经费 total: 预算数 (as the scoring table defines it), or 决算数 when asked."""

    def read(facts: Facts) -> FigureValue | None:
        costs = facts.budget.three_costs
        held: ThreeCosts | None = None if costs is None else (costs.this_year if year == "本年" else costs.last_year)
        return None if held is None else _cost_total(held, (_BUDGET, "三公经费", year), final)

    return read


def _cost_total(year: ThreeCosts, loc: Loc, final: bool) -> FigureValue | None:
    """Add one year's three costs from the column that serves: 预算数, else as stated."""
    if final:
        items = year.final if year.final is not None else (year if year.given else None)
        column = "决算数" if year.final is not None else None
    else:
        items = year.for_scoring
        column = "预算数" if items is year.budget else ("决算数" if items is year.final else None)
    if items is None or not items.parts:
        return None
    return FigureValue(items.total, (*loc, column) if column else loc)


class Operations(NamedTuple):
    """机关运行经费 and the official vehicles as a report states them: None where the facts do not say.

    `running_column` names the column the amount comes from (决算数, 预算数, or "" for items
    written directly); `running_last_year` is last year's amount in the same column, when known.
    """

    running: Decimal | None
    running_column: str
    running_last_year: Decimal | None
    vehicles_held: int | None
    vehicles_bought: int | None

    @property
    def given(self) -> bool:
        """Tell whether there is anything to say: an amount or a vehicle count."""
        return self.running is not None or self.vehicles_held is not None or self.vehicles_bought is not None


def operations(facts: Facts) -> Operations:
    """Return this year's 机关运行经费 (决算数, else as written, else 预算数) and the vehicle counts."""
    costs = facts.budget.three_costs
    if costs is None:
        return Operations(None, "", None, None, None)
    year, last = costs.this_year, costs.last_year
    column, running = _running_costs(year)
    before = _running_costs(last, column)[1] if last is not None and running is not None else None
    return Operations(running, column, before, year.vehicles_held, year.vehicles_bought)


def _running_costs(year: ThreeCosts, only: str | None = None) -> tuple[str, Decimal | None]:
    """Return a year's 机关运行经费 and its column: 决算数, else written directly, else 预算数 (or just `only`)."""
    for column, items in (("决算数", year.final), ("", year), ("预算数", year.budget)):
        if items is not None and items.running_costs is not None and only in (None, column):
            return column, items.running_costs
    return only or "", None


def _income_carried_in(facts: Facts) -> FigureValue | None:
    carried_in = facts.budget.income.carried_in_total
    if carried_in is None:
        return None
    return FigureValue(carried_in, (_BUDGET, "收入", "来源"), "「预算 › 收入 › 来源」中上年结转和结余之和")


def _retired(facts: Facts) -> FigureValue | None:
    value = facts.staffing.retired
    return FigureValue(Decimal(value), ("人员情况", "离退休人员")) if value is not None else None


def _given(name: str, meaning: str) -> Figure:
    """A figure only ever given directly under 评分数据 (nothing in the facts computes it)."""
    return Figure(name, (_SCORING, name), meaning)


def _figure(name: str, meaning: str, compute: Computer, computed_from: str) -> Figure:
    """A figure computed from the facts (`computed_from` says where), which may also be given under 评分数据."""
    return Figure(name, (_SCORING, name), meaning, computed_from, compute)


FIGURES: dict[str, Figure] = {
    figure.name: figure
    for figure in (
        Figure("在职人员数", ("人员情况", "在职人员"), "部门实际在职人数（部门决算口径）", None, _in_post),
        Figure("编制数", ("人员情况", "编制数"), "机构编制部门核定的编制数", "「评分数据 › 编制数」", _establishment),
        _figure("重点项目支出", "年度预算安排的重点项目支出", _key_projects, "「预算 › 项目」中重点项目的预算之和"),
        _figure("项目总支出", "年度预算安排的项目支出总额", _project_total, "「预算 › 支出 › 项目支出」"),
        _figure("预算数", "本年度支出预算数（全年预算数，含调整）", _spending("全年预算数"), "「预算 › 支出 › 合计 › 全年预算数」"),
        _figure("预算完成数", "本年度预算完成数（支出决算数）", _spending("决算数"), "「预算 › 支出 › 合计 › 决算数」"),
        _figure("预算调整数", "本年度预算调整数（追加、追减的绝对值合计）", _adjusted_by, "「预算 › 预算调整」"),
        _figure("年度支付数", "本年度实际支付数（支出决算数）", _spending("决算数"), "「预算 › 支出 › 合计 › 决算数」"),
        _figure("年度任务数", "本年度支付任务数（全年预算数）", _spending("全年预算数"), "「预算 › 支出 › 合计 › 全年预算数」"),
        _figure("支出预算数", "本年度支出预算数（全年预算数，未调整时为年初预算数）", _spending_budget, "「预算 › 支出 › 合计」"),
        _figure("结转结余总额", "年末结转和结余总额", _carried, "「预算 › 年末结转」与「预算 › 年末结余」"),
        _figure("公用经费预算数", "预算安排的公用经费总额", _public(None), "「预算 › 支出 › 公用经费」"),
        _figure("公用经费实际数", "实际支出的公用经费总额（决算数）", _public("决算数"), "「预算 › 支出 › 公用经费 › 决算数」"),
        _given("政府采购预算项目数", "政府采购预算项目个数"),
        _given("实际政府采购项目数", "实际政府采购预算项目个数"),
        _given("固定资产总额", "所有固定资产总额"),
        _given("在用固定资产总额", "实际在用固定资产总额"),
        _given("已完成项目数", "已完成项目个数"),
        _given("质量达标项目数", "已完成项目中质量达标的个数"),
        Figure("三公经费本年", (_BUDGET, "三公经费", "本年"), "本年度三公经费总额（预算数）", "「评分数据 › 三公经费本年」", _three_costs("本年")),
        Figure("三公经费上年", (_BUDGET, "三公经费", "上年"), "上年度三公经费总额（预算数）", "「评分数据 › 三公经费上年」", _three_costs("上年")),
        # Figures new in jixiao 0.3: the columns of the 决算 tables, for county scoring tables that use them.
        Figure("支出年初预算数", (*_SPENDING_TOTAL, "年初预算数"), "本年度支出年初预算数", None, _spending("年初预算数")),
        Figure("支出全年预算数", (*_SPENDING_TOTAL, "全年预算数"), "本年度支出全年预算数（调整后）", None, _spending("全年预算数")),
        Figure("支出决算数", (*_SPENDING_TOTAL, "决算数"), "本年度支出决算数", None, _spending("决算数")),
        Figure("上年结转结余收入", (_BUDGET, "收入", "来源"), "收入中的上年结转和结余", None, _income_carried_in),
        Figure("三公经费本年决算数", (_BUDGET, "三公经费", "本年", "决算数"), "本年度三公经费决算总额", None, _three_costs("本年", True)),
        Figure("三公经费上年决算数", (_BUDGET, "三公经费", "上年", "决算数"), "上年度三公经费决算总额", None, _three_costs("上年", True)),
        Figure("离退休人员数", ("人员情况", "离退休人员"), "离退休人员数", None, _retired),
    )
}

# Figures read as a named grade (等级) rather than a number.
GRADE_FIGURES: dict[str, Figure] = {
    "满意度等级": Figure("满意度等级", ("满意度", "等级"), "服务对象满意度等级", "「评分数据 › 满意度等级」"),
}


# ---------------------------------------------------------------- given directly under 评分数据


def _given_values(facts: Facts) -> dict[str, Decimal | int | None]:
    """Return the figures written directly under 评分数据, by figure name."""
    inputs = facts.scoring
    return {
        "编制数": inputs.staff_establishment,
        "三公经费本年": inputs.three_costs_this_year,
        "三公经费上年": inputs.three_costs_last_year,
        "重点项目支出": inputs.key_project_spending,
        "项目总支出": inputs.project_spending,
        "预算数": inputs.budget,
        "预算完成数": inputs.budget_completed,
        "预算调整数": inputs.budget_adjusted,
        "年度支付数": inputs.payments,
        "年度任务数": inputs.payment_target,
        "支出预算数": inputs.spending_budget,
        "结转结余总额": inputs.carry_over,
        "公用经费预算数": inputs.public_budget,
        "公用经费实际数": inputs.public_actual,
        "政府采购预算项目数": inputs.procurement_planned,
        "实际政府采购项目数": inputs.procurement_done,
        "固定资产总额": inputs.assets_total,
        "在用固定资产总额": inputs.assets_in_use,
        "已完成项目数": inputs.projects_completed,
        "质量达标项目数": inputs.projects_qualified,
    }


def given_figures(facts: Facts) -> dict[str, FigureValue]:
    """Return the figures given directly under 评分数据 (built-in and own), placed at their keys."""
    given = {
        name: FigureValue(Decimal(value), (_SCORING, name))
        for name, value in _given_values(facts).items()
        if value is not None
    }
    for name, own in facts.scoring.own.items():
        given[name] = FigureValue(own.value, (_SCORING, "自定义数据", name, "数值"))
    return given


def computed_figures(facts: Facts) -> dict[str, FigureValue]:
    """Return the built-in figures computed from what the unit states (not from 评分数据)."""
    found = {name: figure.compute(facts) for name, figure in FIGURES.items() if figure.compute is not None}
    return {name: value for name, value in found.items() if value is not None}


def fact_figures(facts: Facts) -> dict[str, FigureValue]:
    """Return every figure the file holds with where it came from; a figure given directly wins."""
    return {**computed_figures(facts), **given_figures(facts)}


def fact_values(facts: Facts) -> dict[str, Decimal]:
    """Return the named figures indicator formulas may read (own figures included).

    A figure the file does not hold is absent, so a formula needing it reports what is missing.
    """
    return {name: held.value for name, held in fact_figures(facts).items()}


def source_notes(held: dict[str, FigureValue], names: Iterable[str]) -> list[str]:
    """Say, for each named figure `held` holds, which facts it was read from: 「预算数取自「评分数据 › 预算数」」."""
    return [f"{name}取自{held[name].source}" for name in dict.fromkeys(names) if name in held]


def sources_clause(facts: Facts, names: Iterable[str]) -> str:
    """Say which facts the named figures were read from, for a score's basis sentence.

    E.g. 「预算完成数取自「预算 › 支出 › 合计 › 决算数」，预算数取自「评分数据 › 预算数」」;
    figures the file does not hold are left out, and an empty text comes back when none is held.
    """
    return "，".join(source_notes(fact_figures(facts), names))


def figure_meanings(facts: Facts) -> dict[str, str]:
    """Return the one-line meaning of every figure: built-in ones, then the unit's own."""
    meanings = {name: figure.meaning for name, figure in FIGURES.items()}
    meanings.update({name: own.meaning for name, own in facts.scoring.own.items()})
    return meanings


class Disagreement(NamedTuple):
    """A figure given under 评分数据 that differs from the one computed from the facts."""

    name: str
    given: FigureValue
    computed: FigureValue


def given_against_computed(facts: Facts) -> Iterator[Disagreement]:
    """Yield each figure given directly that the facts compute differently."""
    computed = computed_figures(facts)
    for name, given in given_figures(facts).items():
        other = computed.get(name)
        if other is not None and other.value != given.value and other.place != given.place:
            yield Disagreement(name, given, other)


_COUNTS = {"在职人员数": "人", "编制数": "人", "离退休人员数": "人"}


def figure_unit(name: str, money_unit: str) -> str:
    """Return the unit a figure is counted in: 人, 个, or the file's money unit (own figures have none)."""
    if name in _COUNTS:
        return _COUNTS[name]
    if name.endswith("项目数"):
        return "个"
    return money_unit if name in FIGURES else ""


def grade_values(facts: Facts) -> dict[str, str]:
    """Return the named grades indicator rules may read (满意度等级 ← 满意度 › 等级, or 评分数据 › 满意度等级)."""
    grade = facts.satisfaction.grade if facts.satisfaction is not None else None
    grade = facts.scoring.satisfaction_grade or grade
    return {"满意度等级": grade} if grade is not None else {}
