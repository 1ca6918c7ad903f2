"""The named figures indicator formulas read, taken from a facts file in the scoring table's terms."""

from __future__ import annotations

from decimal import Decimal

from jixiao.facts import Facts


def fact_values(facts: Facts) -> dict[str, Decimal]:
    """Return the named figures indicator formulas may read, in the facts file's own terms.

    Names follow the scoring table's wording (在职人员数, 编制数, 三公经费本年 …); a figure
    the file does not hold is absent, so a formula needing it reports what is missing.
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


def _first(*candidates: Decimal | None) -> Decimal | None:
    """Return the first candidate that is given."""
    return next((c for c in candidates if c is not None), None)


def _sum_known(*parts: Decimal | None) -> Decimal | None:
    """Add the parts that are given; None when none is."""
    known = [p for p in parts if p is not None]
    return sum(known, Decimal(0)) if known else None
