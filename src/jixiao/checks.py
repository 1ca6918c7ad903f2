"""Consistency findings on a facts file: parts against totals, ranges, plausibility, and the scoring table's own.

These are the pipeline's check step (`report.check_file`): nothing here loads, validates
or scores. Every finding is a placed Problem, so `jixiao check` lists everything in one run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from jixiao.errors import Problem, Severity, only_errors
from jixiao.facts import (
    COLUMNS,
    CostItems,
    Facts,
    IncomeSource,
    Staffing,
    StaffingLines,
    ThreeCosts,
    column_value,
)
from jixiao.figures import FIGURES, fact_values, figure_unit, given_against_computed
from jixiao.templatesets import template_problems
from jixiao.wording import chinese_date, entered, plain
from jixiao.yamlsource import Loc, SourceMap, field_label

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
    notes: tuple[str, ...] = ()

    def counts(self) -> tuple[int, int]:
        """Return (errors, warnings)."""
        errors = len(only_errors(self.problems))
        return errors, sum(p.severity is WARNING for p in self.problems)


def check_facts(
    facts_path: Path | str, indicators_path: Path | str | None = None, templates: Path | str | None = None
) -> CheckReport:
    """Load, validate, check and score a facts file, collecting every finding (the steps are `report.check_file`)."""
    from jixiao.report import check_file

    return check_file(facts_path, indicators_path, templates)


def check_problems(facts: Facts, source: SourceMap, templates: Path | str | None = None) -> list[Problem]:
    """Return the findings of the check step: sums, ranges and plausibility, then the template set's own."""
    return [*consistency_problems(facts, source), *template_problems(facts, source, templates)]


def layout_notes(path: Path | str, facts: Facts, source: SourceMap) -> tuple[str, ...]:
    """Say once when the file uses the jixiao 0.2 layout."""
    from jixiao.upgrade import old_layout_note, old_layout_places

    places = old_layout_places(facts, source)
    return (old_layout_note(path, places),) if places else ()


def consistency_problems(facts: Facts, source: SourceMap, today: date | None = None) -> list[Problem]:
    """Return the findings on sums, ranges and plausibility, in the order the file states them."""
    current_year = (today or date.today()).year
    found = [*_money_unit(facts, source), *_year(facts, source, current_year)]
    for check in _CHECKS:
        found.extend(check(facts, source))
    return acknowledged(found, facts, source)


def acknowledged(problems: list[Problem], facts: Facts, source: SourceMap) -> list[Problem]:
    """Turn findings on fields kept as published (照公布数保留) into warnings repeating the reason.

    Only these consistency findings are eased; an acknowledgement that matches no finding is itself questioned.
    """
    reasons = {item.place: item.reason for item in facts.acknowledged}
    eased = [_eased(problem, reasons[problem.field]) if problem.field in reasons else problem for problem in problems]
    found = {problem.field for problem in problems}
    for index, item in enumerate(facts.acknowledged):
        if item.place not in found:
            message = f"「{item.place}」没有发现不一致，这一项可以删去（字段照 check 消息中的写法，如「预算 › 收入 › 合计」）"
            eased.append(source.problem(("照公布数保留", index, "字段"), message, WARNING))
    return eased


def _eased(problem: Problem, reason: str) -> Problem:
    """Make a finding on a field kept as published a warning that says why it is kept."""
    return problem._replace(severity=WARNING, message=f"{problem.message}；已注明照公布数保留：{reason}")


def _year(facts: Facts, source: SourceMap, current_year: int) -> Iterator[Problem]:
    """Refuse a year that has not begun; question one long past."""
    year, loc = facts.unit.year, ("单位", "年度")
    if year > current_year:
        yield source.problem(loc, f"评价年度 {year} 年还没有到（今年是 {current_year} 年），请检查是否写错", ERROR)
    elif year < current_year - _OLDEST_PLAUSIBLE_AGE:
        message = f"评价年度 {year} 年距今已超过 {_OLDEST_PLAUSIBLE_AGE} 年，请确认没有写错"
        yield source.problem(loc, message, WARNING)


def _staffing(facts: Facts, source: SourceMap) -> Iterator[Problem]:
    """Check the unit's staffing lines, then each sub-unit's, then the sub-units against the total."""
    yield from _staffing_lines(facts.staffing, ("人员情况",), source)
    for index, sub in enumerate(facts.staffing.sub_units):
        yield from _staffing_lines(sub, ("人员情况", "下属单位", index), source)
    yield from _sub_units_add_up(facts.staffing, source)


def _staffing_lines(staff: StaffingLines, loc: Loc, source: SourceMap) -> Iterator[Problem]:
    """Check the 在职, 编制 and 离退休 splits of one unit, and 在职 against 编制."""
    people = {
        "行政人员": staff.administrative,
        "参照公务员法管理人员": staff.civil_service_managed,
        "事业人员": staff.institutional,
        "工勤人员": staff.workers,
    }
    yield from _split(source, (*loc, "在职人员"), "在职人员", staff.in_post, people, "人")
    retired = {"离休人员": staff.retired_cadres, "退休人员": staff.retirees}
    if staff.retired is not None:
        yield from _split(source, (*loc, "离退休人员"), "离退休人员", staff.retired, retired, "人")
    yield from _counted_in_post(staff, loc, source)
    yield from _establishment(staff, loc, source)


def _establishment(staff: StaffingLines, loc: Loc, source: SourceMap) -> Iterator[Problem]:
    """Check the 编制 split against 编制数, and 在职人员 against 编制数."""
    parts: dict[str, int | None] = {
        "行政编制": staff.administrative_establishment,
        "事业编制": staff.institutional_establishment,
        "工勤编制": staff.worker_establishment,
    }
    parts.update(staff.other_establishment)
    if staff.establishment is None:
        named = [name for name, value in parts.items() if value is not None]
        if named and name_is_field(named[0]):
            message = f"填了{'和'.join(named)}，但没有填编制数；编制数是在职人员控制率的分母"
            yield source.problem((*loc, named[0]), message, WARNING)
        return
    yield from _split(source, (*loc, "编制数"), "编制数", staff.establishment, parts, "人")
    yield from _staff_against_establishment(staff, loc, source)


def name_is_field(name: str) -> bool:
    """Tell a built-in 编制 line (a key of its own) from a named one under 其他编制."""
    return name in ("行政编制", "事业编制", "工勤编制")


def _staff_against_establishment(staff: StaffingLines, loc: Loc, source: SourceMap) -> Iterator[Problem]:
    """Question a zero on one side of 在职人员控制率, or more people in post than the establishment."""
    in_post, establishment = staff.in_post, staff.establishment
    if in_post == 0 and establishment:
        message = f"在职人员为 0，而编制数为 {establishment}：请确认在职人员是否漏填"
        yield source.problem((*loc, "在职人员"), message, WARNING)
    elif establishment == 0 and in_post:
        message = f"编制数为 0，而在职人员为 {in_post}：在职人员控制率无法计算，请确认编制数"
        yield source.problem((*loc, "编制数"), message, WARNING)
    elif establishment and in_post > establishment:
        message = f"在职人员 {in_post} 人，超过编制数 {establishment} 人（超编 {in_post - establishment} 人）：请确认两个数的口径"
        yield source.problem((*loc, "在职人员"), message, WARNING)


def _counted_in_post(staff: StaffingLines, loc: Loc, source: SourceMap) -> Iterator[Problem]:
    """Question groups said to be counted in 在职人员 that outnumber it."""
    counted = sum(group.count for group in staff.groups if group.in_post)
    if counted > staff.in_post:
        message = f"标明计入在职人员的各类人员共 {counted} 人，超过了在职人员 {staff.in_post} 人"
        yield source.problem((*loc, "其他人员类别"), message, WARNING)


def _sub_units_add_up(staff: Staffing, source: SourceMap) -> Iterator[Problem]:
    """Check that the sub-units' 在职人员 and 编制数 add up to the unit's totals."""
    subs = staff.sub_units
    if not subs:
        return
    for key, total, parts in (
        ("在职人员", staff.in_post, [sub.in_post for sub in subs]),
        ("编制数", staff.establishment, [sub.establishment for sub in subs]),
    ):
        if total is None or any(part is None for part in parts):
            continue
        added = sum(parts)
        if added != total:
            message = f"各下属单位的{key}之和 {added} 人，与全单位{key} {total} 人不一致（差 {abs(added - total)} 人）"
            yield source.problem(("人员情况", key), message, ERROR)


def _income(facts: Facts, source: SourceMap) -> Iterator[Problem]:
    """Check, column by column, that this year's income sources add up to the income total."""
    income, loc = facts.budget.income, ("预算", "收入", "合计")
    this_year = [item for item in income.sources if not item.carried_in]
    if not this_year:
        return
    for column in COLUMNS:
        total = column_value(income.total_line, column)
        parts = [_source_column(item, column) for item in this_year]
        if total is None or any(part is None for part in parts):
            continue
        added = sum(parts, Decimal(0))
        if added != total:
            place, label = _column_place(source, loc, column)
            unit = facts.money_unit
            message = (
                f"收入来源{label}合计 {entered(added)} {unit}，与收入合计{label} {entered(total)} {unit}不一致"
                f"（差 {entered(abs(added - total))} {unit}）"
            )
            yield source.problem(place, message, ERROR)


def _source_column(item: IncomeSource, column: str) -> Decimal | None:
    """Read a source's column; a lone 金额 (jixiao 0.2) stands in the 年初预算数 column."""
    if column == "年初预算数" and item.given_amount is not None:
        return item.given_amount
    return column_value(item, column)


def _column_place(source: SourceMap, loc: Loc, column: str) -> tuple[Loc, str]:
    """Place a column's finding, and name the column, unless the line was written as one amount (jixiao 0.2)."""
    if (*loc, column) in source.positions:
        return (*loc, column), f"的{column}"
    return loc, ""


def _expenditure(facts: Facts, source: SourceMap) -> Iterator[Problem]:
    """Check 基本支出 + 项目支出 against the total, and 基金预算支出 within it, column by column."""
    spending, loc = facts.budget.expenditure, ("预算", "支出")
    unit = facts.money_unit
    for column in COLUMNS:
        total = column_value(spending.total_line, column)
        if total is None:
            continue
        place, label = _column_place(source, (*loc, "合计"), column)
        parts = {"基本支出": column_value(spending.basic_line, column), "项目支出": column_value(spending.project_line, column)}
        places = {name: _column_place(source, (*loc, name), column)[0] for name in parts}
        yield from _split(source, place, f"支出合计{label}", total, parts, unit, places)
        fund = column_value(spending.fund_line, column)
        fund_place, fund_label = _column_place(source, (*loc, "基金预算支出"), column)
        yield from _not_above(source, fund_place, f"基金预算支出{fund_label}", fund, f"支出合计{label}", total, unit)


def _spending_parts(facts: Facts, source: SourceMap) -> Iterator[Problem]:
    """Question 人员经费 + 公用经费 above 基本支出, and the listed projects' budgets above 项目支出, column by column."""
    spending, loc, unit = facts.budget.expenditure, ("预算", "支出"), facts.money_unit
    for column in COLUMNS:
        basic = column_value(spending.basic_line, column)
        parts = [column_value(line, column) for line in (spending.personnel, spending.public)]
        if basic is not None and None not in parts:
            place = _column_place(source, (*loc, "公用经费"), column)[0]
            added, name = sum(parts, Decimal(0)), f"人员经费与公用经费的{column}之和"
            yield from _not_above(source, place, name, added, f"基本支出的{column}", basic, unit, WARNING)
    yield from _projects_within(facts, source)


def _projects_within(facts: Facts, source: SourceMap) -> Iterator[Problem]:
    """Question listed projects whose budgets add up to more than 项目支出."""
    projects, line = facts.budget.projects, facts.budget.expenditure.project_line
    budgets = [project.budgeted for project in projects]
    whole = line.budgeted if line is not None else None
    if projects and None not in budgets and whole is not None:
        added, unit = sum(budgets, Decimal(0)), facts.money_unit
        yield from _not_above(source, ("预算", "项目"), "各项目的预算之和", added, "项目支出的预算", whole, unit, WARNING)


def _three_costs(facts: Facts, source: SourceMap) -> Iterator[Problem]:
    """Check this year's 三公经费 and 会议费 within this year's spending; each published 合计 against its parts."""
    costs = facts.budget.three_costs
    if costs is None:
        return
    loc, year = ("预算", "三公经费", "本年"), costs.this_year.stated
    total, unit = facts.budget.expenditure.total, facts.money_unit
    yield from _not_above(source, loc, "本年三公经费合计", year.total, "支出合计", total, unit)
    yield from _not_above(source, (*loc, "会议费"), "本年会议费", year.meetings, "支出合计", total, unit)
    for name, held in (("本年", costs.this_year), ("上年", costs.last_year)):
        if held is not None:
            yield from _cost_columns(held, ("预算", "三公经费", name), unit, source)
            yield from _vehicles_bought(held, ("预算", "三公经费", name), unit, source)


def _cost_columns(year: ThreeCosts, loc: Loc, unit: str, source: SourceMap) -> Iterator[Problem]:
    """Check the items written directly and those of the 预算数 and 决算数 columns."""
    for key, items in ((None, year), ("预算数", year.budget), ("决算数", year.final)):
        if items is not None:
            yield from _cost_items(items, (*loc, key) if key else loc, unit, source)


def _vehicles_bought(year: ThreeCosts, loc: Loc, unit: str, source: SourceMap) -> Iterator[Problem]:
    """Question vehicles bought in a year whose 购置费 (or whole 公务用车 cost) is stated as 0."""
    spent = year.stated
    name, cost = ("公务用车购置费", spent.vehicle_purchase) if spent.vehicle_purchase is not None else ("公务用车购置及运行维护费", spent.vehicles_total)
    if year.vehicles_bought and cost == 0:
        message = f"购置公务用车 {year.vehicles_bought} 辆，但{name}为 0 {unit}；请核对购置数和购置费"
        yield source.problem((*loc, "公务用车购置数"), message, WARNING)


def _cost_items(items: CostItems, loc: Loc, unit: str, source: SourceMap) -> Iterator[Problem]:
    """Check 购置费 + 运行维护费 against the combined line, and the published 合计 against the parts."""
    if items.vehicles is not None and items.vehicle_purchase is not None and items.vehicle_running is not None:
        parts = {"公务用车购置费": items.vehicle_purchase, "公务用车运行维护费": items.vehicle_running}
        yield from _split(source, (*loc, "公务用车购置及运行维护费"), "公务用车购置及运行维护费", items.vehicles, parts, unit)
    if items.published_total is None or not items.parts or items.published_total == items.total:
        return
    published, added = items.published_total, items.total
    message = (
        f"公布的合计 {entered(published)} {unit}，与「{field_label(loc)}」中{'、'.join(_cost_names(items))}之和 {entered(added)} {unit}不一致（差 {entered(abs(published - added))} {unit}）；"
        "报告照公布的合计印出，评分按各项之和计算"
    )
    yield source.problem((*loc, "合计"), message, WARNING)


def _cost_names(items: CostItems) -> list[str]:
    """Name the three-cost lines that are given, as the file names them."""
    named = {
        "因公出国（境）费": items.abroad,
        "公务用车购置及运行维护费": items.vehicles,
        "公务用车购置费": None if items.vehicles is not None else items.vehicle_purchase,
        "公务用车运行维护费": None if items.vehicles is not None else items.vehicle_running,
        "公务接待费": items.reception,
    }
    return [name for name, value in named.items() if value is not None]


def _money_unit(facts: Facts, source: SourceMap) -> Iterator[Problem]:
    """Question a budget whose size suggests the amounts were entered in the other unit."""
    largest = max(facts.budget.income.total, facts.budget.expenditure.total)
    if facts.money_unit == "元" and Decimal(0) < largest < _SMALLEST_BUDGET_IN_YUAN:
        message = f"金额单位是「元」，而预算收支合计最多只有 {entered(largest)} 元：金额是否按「万元」填写的？"
        yield source.problem(("金额单位",), message, WARNING)
    elif facts.money_unit == "万元" and largest > _LARGEST_BUDGET_IN_WAN:
        message = f"金额单位是「万元」，而预算收支合计达 {entered(largest)} 万元：金额是否按「元」填写的？"
        yield source.problem(("金额单位",), message, WARNING)


def _figures_given_and_computed(facts: Facts, source: SourceMap) -> Iterator[Problem]:
    """Say where a figure given under 评分数据 differs from the one the facts give; the given one is used."""
    for found in given_against_computed(facts):
        unit = figure_unit(found.name, facts.money_unit)
        message = (
            f"{found.name} {entered(found.given.value)} {unit}，与按事实算出的 {entered(found.computed.value)} {unit}"
            f"（{found.computed.source}）不一致（差 {entered(abs(found.given.value - found.computed.value))} {unit}）；"
            "评分使用评分数据中的数"
        )
        yield source.problem(found.given.place, message, WARNING)


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
    source: SourceMap,
    loc: Loc,
    total_name: str,
    total: Decimal | int,
    parts: dict[str, Decimal | int | None],
    unit: str,
    places: dict[str, Loc] | None = None,
) -> Iterator[Problem]:
    """Check that the given parts add up to the total (two or more given) or stay within it (one given).

    `places` says where each part stands; by default beside the total, under the part's name.
    """
    given = {name: value for name, value in parts.items() if value is not None}
    if len(given) >= 2:
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
        place = (places or {}).get(name, (*loc[:-1], name))
        yield from _not_above(source, place, name, value, total_name, total, unit)


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


def _report_sections(facts: Facts, source: SourceMap) -> Iterator[Problem]:
    """Warn when 存在问题 or 改进措施 is missing: a report without them is sent back for revision."""
    for key, given in (("存在问题", facts.problems), ("改进措施", facts.remedies)):
        if not given:
            message = f"没有填写「{key}」：报告将缺少这一部分，而缺少存在问题或改进措施的报告通常会被退回修改"
            yield Problem(source.file, None, None, key, message, WARNING)  # Missing: there is no line to point at.


def _report_date(facts: Facts, source: SourceMap) -> Iterator[Problem]:
    """Warn when the 成文日期 falls before the end of the year evaluated: the year's results are not yet known."""
    written, year = facts.report_date, facts.unit.year
    if written is not None and written < date(year, 12, 31):
        message = f"成文日期 {chinese_date(written)} 早于评价年度 {year} 年年末：请确认日期或年度是否写错"
        yield source.problem(("成文日期",), message, WARNING)


_CHECKS: tuple[Callable[[Facts, SourceMap], Iterable[Problem]], ...] = (
    _report_sections,
    _report_date,
    _staffing,
    _income,
    _expenditure,
    _spending_parts,
    _three_costs,
    _figures_given_and_computed,
    _scoring_inputs,
)


def declared_total_problems(card: Scorecard, facts: Facts, source: SourceMap) -> Iterator[Problem]:
    """Compare the published 自评总分 with the computed total."""
    declared, computed = facts.declared_total, card.total
    if declared is not None and declared != computed:
        message = (
            f"已公布的自评总分 {plain(declared)} 分，与按规则计算的总分 {plain(computed)} 分不一致"
            f"（差 {plain(abs(declared - computed))} 分）"
        )
        yield source.problem(("自评总分",), message, WARNING)
