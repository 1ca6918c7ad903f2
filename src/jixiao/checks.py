"""Consistency findings on a facts file: parts against totals, ranges, plausibility, and the scoring table's own.

`check_facts` never raises for bad input: whatever is wrong becomes a placed Problem in
the report, so `jixiao check` can list everything in one run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from jixiao.errors import FactsError, Problem, ReportError, Severity, only_errors
from jixiao.facts import Facts, load_facts
from jixiao.figures import FIGURES, fact_values
from jixiao.wording import entered, plain
from jixiao.yamlsource import Loc, SourceMap

if TYPE_CHECKING:
    from jixiao.scoring import Scorecard

ERROR, WARNING = Severity.ERROR, Severity.WARNING

# A report is about a year that has begun; one more than ten years old is most likely a typo.
_OLDEST_PLAUSIBLE_AGE = 10
# Below 1 万元 in 元, or above 1 000 亿元 in 万元, a unit's whole budget was almost surely entered in the other unit.
_SMALLEST_BUDGET_IN_YUAN = Decimal(10_000)
_LARGEST_BUDGET_IN_WAN = Decimal(10_000_000)


class CheckReport(NamedTuple):
    """Everything `jixiao check` found, with the facts and scorecard when they could be built."""

    problems: list[Problem]
    facts: Facts | None = None
    source: SourceMap | None = None
    card: Scorecard | None = None

    def counts(self) -> tuple[int, int]:
        """Return (errors, warnings)."""
        errors = len(only_errors(self.problems))
        return errors, sum(p.severity is WARNING for p in self.problems)


def check_facts(facts_path: Path | str, indicators_path: Path | str | None = None) -> CheckReport:
    """Load, validate and cross-check a facts file, then score it; collect every finding."""
    try:
        loaded = load_facts(facts_path)
    except FactsError as exc:
        return CheckReport(exc.problems)
    problems = [*loaded.warnings, *consistency_problems(loaded.facts, loaded.source)]
    card, scoring = _scoring_problems(loaded.facts, loaded.source, indicators_path)
    return CheckReport([*problems, *scoring], loaded.facts, loaded.source, card)


def consistency_problems(facts: Facts, source: SourceMap, today: date | None = None) -> list[Problem]:
    """Return the findings on sums, ranges and plausibility, in the order the file states them."""
    current_year = (today or date.today()).year
    found = [*_money_unit(facts, source), *_year(facts, source, current_year)]
    for check in _CHECKS:
        found.extend(check(facts, source))
    return found


def _year(facts: Facts, source: SourceMap, current_year: int) -> Iterator[Problem]:
    """Refuse a year that has not begun; question one long past."""
    year, loc = facts.unit.year, ("单位", "年度")
    if year > current_year:
        yield source.problem(loc, f"评价年度 {year} 年还没有到（今年是 {current_year} 年），请检查是否写错", ERROR)
    elif year < current_year - _OLDEST_PLAUSIBLE_AGE:
        message = f"评价年度 {year} 年距今已超过 {_OLDEST_PLAUSIBLE_AGE} 年，请确认没有写错"
        yield source.problem(loc, message, WARNING)


def _staffing(facts: Facts, source: SourceMap) -> Iterator[Problem]:
    """Check 行政+事业 against 在职人员, and the 编制 split against 编制数."""
    staff = facts.staffing
    people = {"行政人员": staff.administrative, "事业人员": staff.institutional}
    yield from _split(source, ("人员情况", "在职人员"), "在职人员", staff.in_post, people, "人")
    establishment = ("人员情况", "编制数")
    parts = {"行政编制": staff.administrative_establishment, "事业编制": staff.institutional_establishment}
    if staff.establishment is None:
        named = [name for name, value in parts.items() if value is not None]
        if named:
            message = f"填了{'和'.join(named)}，但没有填编制数；编制数是在职人员控制率的分母"
            yield source.problem(("人员情况", named[0]), message, WARNING)
        return
    yield from _split(source, establishment, "编制数", staff.establishment, parts, "人")
    yield from _staff_against_establishment(facts, source)


def _staff_against_establishment(facts: Facts, source: SourceMap) -> Iterator[Problem]:
    """Question a zero on one side of 在职人员控制率 while the other side is not zero."""
    in_post, establishment = facts.staffing.in_post, facts.staffing.establishment
    if in_post == 0 and establishment:
        message = f"在职人员为 0，而编制数为 {establishment}：请确认在职人员是否漏填"
        yield source.problem(("人员情况", "在职人员"), message, WARNING)
    elif establishment == 0 and in_post:
        message = f"编制数为 0，而在职人员为 {in_post}：在职人员控制率无法计算，请确认编制数"
        yield source.problem(("人员情况", "编制数"), message, WARNING)


def _income(facts: Facts, source: SourceMap) -> Iterator[Problem]:
    """Check that the income sources add up to the income total."""
    income = facts.budget.income
    if not income.sources:
        return
    parts = sum((item.amount for item in income.sources), Decimal(0))
    unit = facts.money_unit
    if parts != income.total:
        message = (
            f"收入来源合计 {entered(parts)} {unit}，与收入合计 {entered(income.total)} {unit}不一致"
            f"（差 {entered(abs(parts - income.total))} {unit}）"
        )
        yield source.problem(("预算", "收入", "合计"), message, ERROR)


def _expenditure(facts: Facts, source: SourceMap) -> Iterator[Problem]:
    """Check 基本支出 + 项目支出 against the expenditure total, and 基金预算支出 within it."""
    spending, loc = facts.budget.expenditure, ("预算", "支出")
    parts = {"基本支出": spending.basic, "项目支出": spending.project}
    yield from _split(source, (*loc, "合计"), "支出合计", spending.total, parts, facts.money_unit)
    fund = (*loc, "基金预算支出")
    yield from _not_above(source, fund, "基金预算支出", spending.fund, "支出合计", spending.total, facts.money_unit)


def _three_costs(facts: Facts, source: SourceMap) -> Iterator[Problem]:
    """Check that this year's 三公经费 and 会议费 fit within this year's expenditure total."""
    costs = facts.budget.three_costs
    if costs is None:
        return
    loc, year = ("预算", "三公经费", "本年"), costs.this_year
    total, unit = facts.budget.expenditure.total, facts.money_unit
    yield from _not_above(source, loc, "本年三公经费合计", year.total, "支出合计", total, unit)
    yield from _not_above(source, (*loc, "会议费"), "本年会议费", year.meetings, "支出合计", total, unit)


def _money_unit(facts: Facts, source: SourceMap) -> Iterator[Problem]:
    """Question a budget whose size suggests the amounts were entered in the other unit."""
    largest = max(facts.budget.income.total, facts.budget.expenditure.total)
    if facts.money_unit == "元" and Decimal(0) < largest < _SMALLEST_BUDGET_IN_YUAN:
        message = f"金额单位是「元」，而预算收支合计最多只有 {entered(largest)} 元：金额是否按「万元」填写的？"
        yield source.problem(("金额单位",), message, WARNING)
    elif facts.money_unit == "万元" and largest > _LARGEST_BUDGET_IN_WAN:
        message = f"金额单位是「万元」，而预算收支合计达 {entered(largest)} 万元：金额是否按「元」填写的？"
        yield source.problem(("金额单位",), message, WARNING)


def _carry_over(facts: Facts, source: SourceMap) -> Iterator[Problem]:
    """Check a stated 结转结余总额 against 年末结转 + 年末结余 when both are given."""
    budget, stated = facts.budget, facts.scoring.carry_over
    if stated is None or budget.carried_forward is None or budget.balance is None:
        return
    parts = budget.carried_forward + budget.balance
    if parts != stated:
        unit = facts.money_unit
        message = (
            f"结转结余总额 {entered(stated)} {unit}，与年末结转、年末结余之和 {entered(parts)} {unit}不一致"
            f"（差 {entered(abs(parts - stated))} {unit}）"
        )
        yield source.problem(("评分数据", "结转结余总额"), message, WARNING)


def _scoring_inputs(facts: Facts, source: SourceMap) -> Iterator[Problem]:
    """Check that each part the scoring table divides is not larger than its whole."""
    values, unit = fact_values(facts), facts.money_unit
    pairs = (
        ("重点项目支出", "项目总支出", unit, ERROR),
        ("质量达标项目数", "已完成项目数", "个", ERROR),
        ("在用固定资产总额", "固定资产总额", unit, ERROR),
        ("实际政府采购项目数", "政府采购预算项目数", "个", WARNING),
        ("年度支付数", "年度任务数", unit, WARNING),
        ("预算完成数", "预算数", unit, WARNING),
        ("预算调整数", "预算数", unit, WARNING),
    )
    for name, whole_name, part_unit, severity in pairs:
        part, whole = values.get(name), values.get(whole_name)
        yield from _not_above(source, FIGURES[name].place, name, part, whole_name, whole, part_unit, severity)


def _split(
    source: SourceMap, loc: Loc, total_name: str, total: Decimal | int, parts: dict[str, Decimal | int | None], unit: str
) -> Iterator[Problem]:
    """Check that the given parts add up to the total (both given) or stay within it (one given)."""
    given = {name: value for name, value in parts.items() if value is not None}
    if len(given) == len(parts):
        added = sum(given.values(), Decimal(0))
        if added != total:
            names = "与".join(given)
            message = (
                f"{names}之和 {entered(added)} {unit}，与{total_name} {entered(total)} {unit}不一致"
                f"（差 {entered(abs(added - total))} {unit}）"
            )
            yield source.problem(loc, message, ERROR)
        return
    for name, value in given.items():
        yield from _not_above(source, (*loc[:-1], name), name, value, total_name, total, unit)


def _not_above(
    source: SourceMap,
    loc: Loc,
    name: str,
    part: Decimal | int | None,
    whole_name: str,
    whole: Decimal | int | None,
    unit: str,
    severity: Severity = ERROR,
) -> Iterator[Problem]:
    """Report a part that exceeds its whole (nothing when either is not given)."""
    if part is not None and whole is not None and part > whole:
        message = f"{name} {entered(part)} {unit}，超过了{whole_name} {entered(whole)} {unit}"
        yield source.problem(loc, message, severity)


_CHECKS: tuple[Callable[[Facts, SourceMap], Iterable[Problem]], ...] = (
    _staffing,
    _income,
    _expenditure,
    _three_costs,
    _carry_over,
    _scoring_inputs,
)


def _scoring_problems(
    facts: Facts, source: SourceMap, indicators_path: Path | str | None
) -> tuple[Scorecard | None, list[Problem]]:
    """Score the facts against the indicator system and return the scorecard with its findings."""
    from jixiao.indicators import load_indicators
    from jixiao.scoring import score_facts, scorecard_problems

    try:
        system = load_indicators(Path(indicators_path) if indicators_path is not None else None)
        card = score_facts(facts, system)
    except ReportError as exc:
        return None, list(exc.problems)
    return card, [*scorecard_problems(card, facts, source, system), *_declared_total(card, facts, source)]


def _declared_total(card: Scorecard, facts: Facts, source: SourceMap) -> Iterator[Problem]:
    """Compare the published 自评总分 with the computed total."""
    declared, computed = facts.declared_total, card.total
    if declared is not None and declared != computed:
        message = (
            f"已公布的自评总分 {plain(declared)} 分，与按规则计算的总分 {plain(computed)} 分不一致"
            f"（差 {plain(abs(declared - computed))} 分）"
        )
        yield source.problem(("自评总分",), message, WARNING)
