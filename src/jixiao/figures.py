"""The named figures indicator formulas read, taken from a facts file in the scoring table's terms.

Each figure has a name in the scoring table's wording (在职人员数, 编制数, 三公经费本年 …)
and a place in the facts file where a person fills it in, so a formula that cannot be
computed can say exactly what is missing and where to write it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from jixiao.facts import Facts
from jixiao.yamlsource import Loc, field_label


class Figure(NamedTuple):
    """A named figure: where it is filled in, and where else it may be taken from."""

    name: str
    place: Loc
    fallback: str | None = None

    def where(self) -> str:
        """Say where to fill the figure in, as 「评分数据 › 预算完成数」 (or its fallback)."""
        text = f"「{field_label(self.place)}」"
        return f"{text}（或{self.fallback}）" if self.fallback else text


_SCORING = "评分数据"

FIGURES: dict[str, Figure] = {
    figure.name: figure
    for figure in (
        Figure("在职人员数", ("人员情况", "在职人员")),
        Figure("编制数", ("人员情况", "编制数")),
        Figure("重点项目支出", (_SCORING, "重点项目支出")),
        Figure("项目总支出", (_SCORING, "项目总支出"), "「预算 › 支出 › 项目支出」"),
        Figure("预算数", (_SCORING, "预算数")),
        Figure("预算完成数", (_SCORING, "预算完成数")),
        Figure("预算调整数", (_SCORING, "预算调整数")),
        Figure("年度支付数", (_SCORING, "年度支付数")),
        Figure("年度任务数", (_SCORING, "年度任务数")),
        Figure("支出预算数", (_SCORING, "支出预算数"), "「预算 › 支出 › 合计」"),
        Figure("结转结余总额", (_SCORING, "结转结余总额"), "「预算 › 年末结转」与「预算 › 年末结余」"),
        Figure("公用经费预算数", (_SCORING, "公用经费预算数")),
        Figure("公用经费实际数", (_SCORING, "公用经费实际数")),
        Figure("政府采购预算项目数", (_SCORING, "政府采购预算项目数")),
        Figure("实际政府采购项目数", (_SCORING, "实际政府采购项目数")),
        Figure("固定资产总额", (_SCORING, "固定资产总额")),
        Figure("在用固定资产总额", (_SCORING, "在用固定资产总额")),
        Figure("已完成项目数", (_SCORING, "已完成项目数")),
        Figure("质量达标项目数", (_SCORING, "质量达标项目数")),
        Figure("三公经费本年", ("预算", "三公经费", "本年")),
        Figure("三公经费上年", ("预算", "三公经费", "上年")),
    )
}

# Figures read as a named grade (等级) rather than a number.
GRADE_FIGURES: dict[str, Figure] = {
    "满意度等级": Figure("满意度等级", ("满意度", "等级")),
}


def fact_values(facts: Facts) -> dict[str, Decimal]:
    """Return the named figures indicator formulas may read, in the facts file's own terms.

    Names are the keys of `FIGURES`; a figure the file does not hold is absent, so a
    formula needing it reports what is missing.
    """
    inputs = facts.scoring
    budget = facts.budget
    values: dict[str, Decimal | int | None] = {
        "在职人员数": facts.staffing.in_post,
        "编制数": facts.staffing.establishment,
        "重点项目支出": inputs.key_project_spending,
        "项目总支出": _first(inputs.project_spending, budget.expenditure.project),
        "预算数": inputs.budget,
        "预算完成数": inputs.budget_completed,
        "预算调整数": inputs.budget_adjusted,
        "年度支付数": inputs.payments,
        "年度任务数": inputs.payment_target,
        "支出预算数": _first(inputs.spending_budget, budget.expenditure.total),
        "结转结余总额": _first(inputs.carry_over, _sum_known(budget.carried_forward, budget.balance)),
        "公用经费预算数": inputs.public_budget,
        "公用经费实际数": inputs.public_actual,
        "政府采购预算项目数": inputs.procurement_planned,
        "实际政府采购项目数": inputs.procurement_done,
        "固定资产总额": inputs.assets_total,
        "在用固定资产总额": inputs.assets_in_use,
        "已完成项目数": inputs.projects_completed,
        "质量达标项目数": inputs.projects_qualified,
    }
    if budget.three_costs is not None:
        values["三公经费本年"] = budget.three_costs.this_year.total
        if budget.three_costs.last_year is not None:
            values["三公经费上年"] = budget.three_costs.last_year.total
    return {name: Decimal(value) for name, value in values.items() if value is not None}


def grade_values(facts: Facts) -> dict[str, str]:
    """Return the named grades indicator rules may read (满意度等级 ← 满意度 › 等级)."""
    grade = facts.satisfaction.grade if facts.satisfaction is not None else None
    return {"满意度等级": grade} if grade is not None else {}


def _first(*candidates: Decimal | None) -> Decimal | None:
    """Return the first candidate that is given."""
    return next((c for c in candidates if c is not None), None)


def _sum_known(*parts: Decimal | None) -> Decimal | None:
    """Add the parts that are given; None when none is."""
    known = [p for p in parts if p is not None]
    return sum(known, Decimal(0)) if known else None
