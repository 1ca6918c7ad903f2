"""Score a unit's facts against an indicator system, explaining every point.

Pure: facts + indicator system → Scorecard. Each 三级指标 gets its measure, its score,
the points lost and one Chinese sentence saying what was read and which rule applied.
What cannot be scored (missing data, division by zero) becomes a finding, never a crash.

Rounding is stated once here and applied once: see ROUNDING.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from jixiao import measures, rules
from jixiao.errors import Problem, Severity
from jixiao.facts import Assessment, Facts
from jixiao.figures import (
    FIGURES,
    GRADE_FIGURES,
    FigureValue,
    fact_figures,
    figure_meanings,
    grade_values,
    source_notes,
)
from jixiao.indicators import (
    Indicator,
    IndicatorSystem,
    ambiguous,
    did_you_mean,
    indicator_key,
    normalise_name,
)
from jixiao.textwidth import align_rows
from jixiao.yamlsource import Loc, SourceMap

# Every measure and score is computed in Decimal at full precision; each 三级指标's score
# is rounded once, half up, to 2 decimals; the total is the sum of the rounded scores.
ROUNDING = "各三级指标得分按四舍五入保留两位小数，总分为各项得分之和"
_CENT = Decimal("0.01")
_ZERO = Decimal(0)
_SCORING = "评分数据"
_OWN = "自定义数据"
_ZERO_ONLY = "零基数规则只在分子、分母均为 0 时适用"


def round_score(points: Decimal) -> Decimal:
    """Round a score the one time it is rounded: half up, 2 decimals."""
    return points.quantize(_CENT, rounding=ROUND_HALF_UP)


class Finding(NamedTuple):
    """Something scoring found, placed at `place` in the facts file."""

    message: str
    place: Loc
    severity: Severity = Severity.ERROR
    indicator: str | None = None


class PointsMet(NamedTuple):
    """Which 评价要点 a 要点计分 indicator met: their numbers (1-based, in order) out of `count`."""

    met: tuple[int, ...]
    count: int


class IndicatorScore(NamedTuple):
    """One 三级指标 scored: what was read, the score, and the sentence saying why.

    `measure` is the computed rate (in its unit, e.g. 93 for 93%), None for rules that
    read no measure; `score` and `lost` are None when the indicator cannot be scored.
    """

    tier1: str
    tier2: str
    name: str
    weight: Decimal
    kind: str
    measure_name: str | None
    measure: Decimal | None
    measure_label: str
    score: Decimal | None
    lost: Decimal | None
    basis: str
    explanation: str
    criteria: str
    formula: str | None
    declared: Decimal | None
    applicable: bool = True
    points_met: PointsMet | None = None
    """The 评价要点 met, for a 要点计分 indicator that was scored (the narrative names them)."""

    @property
    def key(self) -> str:
        """Return the indicator's key in its system (its normalised path), as `Indicator.key`."""
        return indicator_key(self.tier1, self.tier2, self.name)


class Tier2Score(NamedTuple):
    """A 二级指标's subtotal over its scored 三级指标."""

    name: str
    weight: Decimal
    score: Decimal
    indicators: list[IndicatorScore]


class Tier1Score(NamedTuple):
    """A 一级指标's subtotal over its 二级指标."""

    name: str
    weight: Decimal
    score: Decimal
    tiers: list[Tier2Score]


class Scorecard(NamedTuple):
    """A whole scored table: indicators in table order, tier subtotals, total and findings."""

    system: str
    total: Decimal
    max_total: Decimal
    indicators: list[IndicatorScore]
    tiers: list[Tier1Score]
    findings: list[Finding]
    adjustments: tuple[str, ...] = ()
    """Sentences saying how the total was adjusted after adding the rows (scaled for 不适用, capped)."""
    grade: rules.GradeBand | None = None
    """The grade band the total reaches (优 ≥ 90 …), when the indicator system states grades."""
    grade_bands: tuple[rules.GradeBand, ...] = ()

    @property
    def complete(self) -> bool:
        """Tell whether every indicator could be scored."""
        return all(item.score is not None for item in self.indicators)


# ---------------------------------------------------------------- what the facts give the rules


class _Inputs(NamedTuple):
    """The facts as the rules read them; keyed entries are by normalised name → (key as written, value)."""

    values: dict[str, Decimal]
    grades: dict[str, str]
    given: dict[str, tuple[str, Decimal]]
    checklists: dict[str, tuple[str, Any]]
    assessments: dict[str, tuple[str, Assessment]]
    declared: dict[str, tuple[str, Decimal]]
    meanings: dict[str, str]
    held: dict[str, FigureValue]


def _keyed(mapping: dict[str, Any], system: IndicatorSystem) -> dict[str, tuple[str, Any]]:
    """Key a facts mapping by the indicator each key names (its path, `Indicator.key`) and by normalised name.

    A key naming no indicator, or an ambiguous name, is kept by its normalised name only
    (and reported by `_unknown_names`); the person's own key is kept for messages.
    """
    keyed: dict[str, tuple[str, Any]] = {}
    for key, value in mapping.items():
        keyed[normalise_name(key)] = (key, value)
        item = system.find(key)
        if item is not None:
            keyed[item.key] = (key, value)
    return keyed


def _inputs(facts: Facts, system: IndicatorSystem) -> _Inputs:
    """Gather what the rules read from the facts."""
    scoring = facts.scoring
    held = fact_figures(facts)  # Read once: the values scored and where each was read.
    return _Inputs(
        values={name: figure.value for name, figure in held.items()},
        grades=grade_values(facts),
        given=_keyed(scoring.measures, system),
        checklists=_keyed(scoring.checklists, system),
        assessments=_keyed(scoring.assessments, system),
        declared=_keyed(facts.declared_scores, system),
        meanings={**dict(system.figures), **figure_meanings(facts)},
        held=held,
    )


# ---------------------------------------------------------------- scoring one indicator


class _Attempt(NamedTuple):
    """What scoring one indicator gave: an outcome, or the reason it could not be scored."""

    outcome: rules.Outcome | None = None
    lead: str = ""
    measure_name: str | None = None
    measure: Decimal | None = None
    measure_label: str = ""
    failure: str = ""
    place: Loc = ()
    formula: str | None = None
    note: str = ""
    applicable: bool = True
    missing: bool = False
    points_met: PointsMet | None = None


def _failed(reason: str, place: Loc, missing: bool = False) -> _Attempt:
    """Say an indicator cannot be scored, and where in the facts file to fix it; `missing` when facts are absent."""
    return _Attempt(failure=reason, place=place, missing=missing)


def _checklist(item: Indicator, rule: rules.Checklist, inputs: _Inputs, system: IndicatorSystem) -> _Attempt:
    """Score a checklist from 评分数据 › 评价要点."""
    entry = inputs.checklists.get(item.key)
    if entry is None:
        reason = f"缺少{_entry_where('评价要点', item, system)}（「全部符合」「全部不符合」或符合的要点序号列表）"
        return _failed(reason, (_SCORING, "评价要点"), missing=True)
    key, answer = entry
    met = _met_points(answer, rule.count)
    beyond = [n for n in met if n > rule.count]
    if beyond:
        numbers = "、".join(str(n) for n in beyond)
        return _failed(f"评价要点只有 {rule.count} 项，没有第 {numbers} 项", (_SCORING, "评价要点", key))
    return _Attempt(rule.apply(met), measure_label=f"{len(met)}/{rule.count} 项", points_met=PointsMet(tuple(met), rule.count))


def _entry_where(section: str, item: Indicator, system: IndicatorSystem) -> str:
    """Say where an indicator's entry goes: 「评分数据 › 评定 › 社会效益」, or by path when the name is not unique."""
    written = system.written(item)
    if written == item.name:
        return f"「{_SCORING} › {section} › {written}」"
    return f"「{_SCORING} › {section}」下的「{written}」"


def _met_points(answer: str | list[int], count: int) -> list[int]:
    """Turn 「全部符合」「全部不符合」 or a list of numbers into the sorted met numbers."""
    if answer == "全部符合":
        return list(range(1, count + 1))
    if answer == "全部不符合":
        return []
    return sorted(set(answer))


def _graded(item: Indicator, rule: rules.Grade, inputs: _Inputs, system: IndicatorSystem) -> _Attempt:
    """Score a grade read from a named grade figure (满意度等级 ← 满意度 › 等级)."""
    figure = GRADE_FIGURES[rule.figure]
    grade = inputs.grades.get(rule.figure)
    if grade is None:
        return _failed(f"缺少{figure.where()}", figure.place, missing=True)
    if grade not in rule.grades():
        return _failed(f"等级「{grade}」不在评分标准的等级（{'、'.join(rule.grades())}）之中", figure.place)
    return _Attempt(rule.apply(grade), measure_label=grade)


def _assessed(
    item: Indicator, rule: rules.Assessed | rules.ThreeBands, inputs: _Inputs, system: IndicatorSystem
) -> _Attempt:
    """Score an assessment from 评分数据 › 评定: the evaluator's score, within the weight, with a reason."""
    entry = inputs.assessments.get(item.key)
    if entry is None:
        reason = f"缺少{_entry_where('评定', item, system)}（得分和理由）"
        return _failed(reason, (_SCORING, "评定"), missing=True)
    key, assessment = entry
    if assessment.score > item.weight:
        reason = f"评定得分 {assessment.score:f} 超过分值 {rules.plain(item.weight)}"
        return _failed(reason, (_SCORING, "评定", key, "得分"))
    if isinstance(rule, rules.ThreeBands):
        outcome = rule.apply(assessment.score, assessment.reason, item.weight)
        return _Attempt(outcome, measure_label=rule.band(assessment.score, item.weight)[0])
    return _Attempt(rule.apply(assessment.score, assessment.reason), measure_label="评定")


def _alternatives(item: Indicator, rule: rules.Alternatives, inputs: _Inputs, system: IndicatorSystem) -> _Attempt:
    """Score the first alternative whose facts are given; say what each lacks when none is."""
    lacking: list[_Attempt] = []
    for label, option in zip(rule.labels, rule.options, strict=True):
        attempt = _attempt(item._replace(rule=option), inputs, system)
        if not attempt.missing:
            return attempt._replace(lead=f"二者择其一，{label}：{attempt.lead}" if attempt.lead else f"二者择其一，{label}")
        lacking.append(attempt._replace(failure=f"{label}{attempt.failure}"))
    reasons = "；".join(attempt.failure for attempt in lacking)
    return _failed(f"二者择其一，都缺少数据：{reasons}", lacking[0].place, missing=True)


def _measured(item: Indicator, rule: rules.MeasuredRule, inputs: _Inputs, system: IndicatorSystem) -> _Attempt:
    """Score a rule that reads a measure: given directly in 测算值, or computed from the figures."""
    measure = system.measure(rule.measure)
    if measure is None:  # the loader refuses this; kept so a hand-built system cannot crash scoring
        return _failed(f"指标体系中没有测算指标「{rule.measure}」", ())
    try:
        value, lead = _reading(measure, inputs, item)
    except measures.ZeroDivisor as exc:
        if item.zero is None or exc.dividend != 0:
            reason, place = _why_not(measure, exc, inputs.meanings)
            return _failed(f"{reason}（{_ZERO_ONLY}）" if item.zero else reason, place)
        return _zero_based(item, rule, measure, inputs, system, exc)
    except measures.MeasureError as exc:
        return _failed(*_why_not(measure, exc, inputs.meanings), missing=True)
    outcome = _apply(item, rule, value, measure, inputs, system)
    if isinstance(outcome, _Attempt):
        return outcome
    return _Attempt(
        outcome,
        lead=lead,
        measure_name=measure.name,
        measure=value,
        measure_label=_label(value, measure),
        formula=measure.formula,
    )


def _reading(measure: measures.Measure, inputs: _Inputs, item: Indicator | None = None) -> tuple[Decimal, str]:
    """Return a measure's value and how it was read: given in 测算值 (by its name or the indicator's), or computed."""
    given = inputs.given.get(normalise_name(measure.name)) or (inputs.given.get(item.key) if item else None)
    return _given(measure, given) if given else _computed(measure, inputs)


def _apply(
    item: Indicator, rule: rules.Rule, value: Decimal, measure: measures.Measure, inputs: _Inputs, system: IndicatorSystem
) -> rules.Outcome | _Attempt:
    """Apply a measured rule to its value; a target ratio reads its target first (a failed attempt if it cannot)."""
    if not isinstance(rule, rules.TargetRatio):
        return rule.apply(value, item.weight, measure.unit)
    if rule.target_value is not None:
        return rule.apply(value, rule.target_value, item.weight, measure.unit)
    target = system.measure(rule.target or "")
    if target is None:  # the loader refuses this
        return _failed(f"指标体系中没有测算指标「{rule.target}」", ())
    try:
        goal, _ = _reading(target, inputs)
    except measures.MeasureError as exc:
        return _failed(*_why_not(target, exc, inputs.meanings), missing=True)
    return rule.apply(value, goal, item.weight, measure.unit)


def _zero_based(
    item: Indicator,
    rule: rules.Rule,
    measure: measures.Measure,
    inputs: _Inputs,
    system: IndicatorSystem,
    error: measures.ZeroDivisor,
) -> _Attempt:
    """Score a measure that divides 0 by 0 by the rule's zero-base policy (零基数), saying which applied."""
    zero = item.zero
    assert zero is not None and measure.expression is not None
    values = inputs.values
    shown = measures.show(measure.expression, values, measure.unit)
    lead = f"{measure.name} = {shown}，分子、分母均为 0，按{zero.describe()}"
    place = _zero_divisor(error.divisor)[1]
    note = f"{item.name}：{shown}，分子、分母均为 0，按{zero.describe()}计分"
    common = {"measure_name": measure.name, "formula": measure.formula, "place": place, "note": note}
    if zero.policy == "满分":
        return _Attempt(rules.Outcome(item.weight, "得满分"), lead=lead, measure_label="—", **common)
    if zero.policy == "视为零":
        value = Decimal(0)
        label = _label(value, measure)
        outcome = _apply(item, rule, value, measure, inputs, system)
        if isinstance(outcome, _Attempt):
            return outcome
        return _Attempt(outcome, lead=f"{lead}，计 {label}", measure=value, measure_label=label, **common)
    return _Attempt(lead=f"{lead}，{zero.not_applicable_clause(item.weight)}", measure_label="不适用", applicable=False, **common)


def _label(value: Decimal, measure: measures.Measure) -> str:
    """Show a measure with 2 decimals and its unit: 93.00%."""
    return f"{rules.two_places(value)}{measure.unit}"


def _given(measure: measures.Measure, given: tuple[str, Decimal]) -> tuple[Decimal, str]:
    """Take a measure written directly in 评分数据 › 测算值, saying so."""
    key, value = given
    return value, f"{measure.name} {_label(value, measure)}（{_SCORING} › 测算值 › {key}）"


def _computed(measure: measures.Measure, inputs: _Inputs) -> tuple[Decimal, str]:
    """Compute a measure from the figures, showing the arithmetic, where each figure was read, and what own figures mean."""
    reading = measures.read(measure, inputs.values)
    lead = f"{measure.name} = {reading.shown} = {_label(reading.value, measure)}"
    read = measures.names(measure.expression) if measure.expression else []
    # Built-in figures say where they were read; a unit's or county's own figures say what they mean.
    notes = source_notes(inputs.held, [name for name in read if name in FIGURES])
    notes += [f"{name}：{inputs.meanings[name]}" for name in read if name not in FIGURES and inputs.meanings.get(name)]
    return reading.value, f"{lead}（{'；'.join(notes)}）" if notes else lead


def _why_not(measure: measures.Measure, error: measures.MeasureError, meanings: dict[str, str]) -> tuple[str, Loc]:
    """Say why a measure cannot be computed, in the facts file's words: what each missing figure is and where it goes."""
    if isinstance(error, measures.ZeroDivisor):
        return _zero_divisor(error.divisor)
    missing = error.names if isinstance(error, measures.MissingFigures) else ()
    if not missing:
        return f"缺少「{_SCORING} › 测算值 › {measure.name}」", (_SCORING, "测算值")
    wanted = "；".join(_wanted(name, meanings) for name in missing)
    return f"缺少{wanted}", _figure_place(missing[0])


def _figure_place(name: str) -> Loc:
    """Return where a figure is filled in: its built-in place, or 评分数据 › 自定义数据 for a table's own figure."""
    return FIGURES[name].place if name in FIGURES else (_SCORING, _OWN)


def _wanted(name: str, meanings: dict[str, str]) -> str:
    """Say what a missing figure is and where to write it: 编制数（机构编制部门核定的编制数）：填在「人员情况 › 编制数」."""
    meaning = f"（{meanings[name]}）" if meanings.get(name) else ""
    where = FIGURES[name].where() if name in FIGURES else f"「{_SCORING} › {_OWN} › {name}」（数值和含义）"
    return f"{name}{meaning}：填在{where}"


def _zero_divisor(divisor: measures.Expression) -> tuple[str, Loc]:
    """Say which divisor is zero: 「编制数为 0，无法计算」."""
    read = measures.names(divisor)
    place = FIGURES[read[0]].place if read and read[0] in FIGURES else (_SCORING,)
    return f"{measures.show(divisor, {}, '')}为 0，无法计算", place


_SCORERS: dict[type, Callable[..., _Attempt]] = {
    rules.Checklist: _checklist,
    rules.Grade: _graded,
    rules.Assessed: _assessed,
    rules.LinearBand: _measured,
    rules.Proportional: _measured,
    rules.Deduction: _measured,
    rules.StepDeduction: _measured,
    rules.Banded: _measured,
    rules.TargetRatio: _measured,
    rules.ThreeBands: _assessed,
    rules.Alternatives: _alternatives,
}


def _attempt(item: Indicator, inputs: _Inputs, system: IndicatorSystem) -> _Attempt:
    """Apply an indicator's rule to what the facts give it."""
    return _SCORERS[type(item.rule)](item, item.rule, inputs, system)


class _Transfer(NamedTuple):
    """The weight of an indicator that does not apply, moved to another (零基数: 不适用, 分值转入)."""

    name: str
    weight: Decimal


def _scored(item: Indicator, attempt: _Attempt, declared: Decimal | None, moved: list[_Transfer]) -> IndicatorScore:
    """Turn an attempt into the indicator's line of the scorecard: capped, rounded once, explained."""
    weight = item.weight + sum((t.weight for t in moved), _ZERO)
    score = lost = None
    basis = f"无法评分：{attempt.failure}"
    if attempt.outcome is not None:
        raw = max(attempt.outcome.points, _ZERO)
        score = round_score(min(raw, item.weight) * weight / item.weight) if moved else round_score(min(raw, weight))
        lost = weight - score
        basis = _basis(attempt.lead, attempt.outcome.clause, raw, score, item.weight)
        basis = _moved_basis(basis, raw, item.weight, weight, score, moved) if moved else basis
    elif not attempt.applicable:
        score, lost, basis = _ZERO, _ZERO, attempt.lead
    return IndicatorScore(
        tier1=item.tier1,
        tier2=item.tier2,
        name=item.name,
        weight=weight,
        kind=item.rule.kind,
        measure_name=attempt.measure_name,
        measure=attempt.measure,
        measure_label=attempt.measure_label,
        score=score,
        lost=lost,
        basis=basis,
        explanation=item.explanation,
        criteria=item.criteria,
        formula=attempt.formula,
        declared=declared,
        applicable=attempt.applicable,
        points_met=attempt.points_met,
    )


def _moved_basis(basis: str, raw: Decimal, own: Decimal, weight: Decimal, score: Decimal, moved: list[_Transfer]) -> str:
    """Write the basis of an indicator that takes the weight of others that do not apply."""
    rule_points = rules.two_places(min(raw, own))
    head = basis.split("，扣 ")[0] if raw <= own else basis
    names = "、".join(f"「{t.name}」" for t in moved)
    extra = rules.plain(weight - own)
    sentence = (
        f"{head}；{names}不适用，其分值 {extra} 分转入本项，本项按 {rules.plain(weight)} 分计："
        f"{rule_points} × {rules.plain(weight)} ÷ {rules.plain(own)} = {rules.two_places(score)} 分"
    )
    return sentence + (f"，扣 {rules.two_places(weight - score)} 分" if weight > score else "")


def _basis(lead: str, clause: str, raw: Decimal, score: Decimal, weight: Decimal) -> str:
    """Write the one sentence of basis: what was read, which rule, the score, the points lost."""
    points = f"{clause} {rules.two_places(score)} 分"
    if raw > weight:
        capped = f"超过分值 {rules.plain(weight)} 分，封顶计 {rules.two_places(score)} 分"
        points = f"{clause} {rules.two_places(raw)} 分，{capped}"
    parts = [lead, points] if lead else [points]
    if weight > score:
        parts.append(f"扣 {rules.two_places(weight - score)} 分")
    return "，".join(parts)


# ---------------------------------------------------------------- the whole card


def score_facts(facts: Facts, system: IndicatorSystem) -> Scorecard:
    """Score every 三级指标 of `system` from `facts`; never raises for missing data."""
    inputs = _inputs(facts, system)
    findings = list(_unknown_names(facts, system))
    attempts = [(item, _attempt(item, inputs, system)) for item in system.indicators]
    moved = _moved_weights(attempts, system)
    scores: list[IndicatorScore] = []
    for item, attempt in attempts:
        declared = inputs.declared.get(item.key)
        scores.append(_scored(item, attempt, declared[1] if declared else None, moved.get(item.key, [])))
        findings.extend(_attempt_findings(item, attempt, system))
    findings.extend(_declared_findings(scores, inputs))
    total, adjustments = _adjusted_total(scores, system, moved)
    total, capped = _capped_total(total, system, inputs, findings)
    tiers = _tiers(system, scores)
    grade = rules.grade_of(total, system.grades)
    card = Scorecard(system.name, total, system.total, scores, tiers, findings, (*adjustments, *capped), grade)
    return card._replace(grade_bands=system.grades)


def _capped_total(
    total: Decimal, system: IndicatorSystem, inputs: _Inputs, findings: list[Finding]
) -> tuple[Decimal, list[str]]:
    """Hold the total at the caps whose measure lies in their range (预算执行率 70%–80% → 至多 89 分)."""
    sentences: list[str] = []
    for cap in system.caps:
        measure = system.measure(cap.measure)
        if measure is None:  # the loader refuses this
            continue
        try:
            value, lead = _reading(measure, inputs)
        except measures.MeasureError as exc:
            reason, place = _why_not(measure, exc, inputs.meanings)
            findings.append(Finding(f"总分封顶（{measure.name}）：{reason}", place))
            continue
        if cap.range.contains(value) and total > cap.most:
            sentences.append(
                f"{lead}，在「{cap.range.text(measure.unit)}」范围内，总分最高 {rules.plain(cap.most)} 分："
                f"{rules.two_places(total)} 分封顶计 {rules.two_places(cap.most)} 分"
            )
            total = round_score(cap.most)
    return total, sentences


def _attempt_findings(item: Indicator, attempt: _Attempt, system: IndicatorSystem) -> list[Finding]:
    """Say why an indicator could not be scored, or which zero-base policy scored it."""
    if attempt.note:
        return [Finding(attempt.note, attempt.place, Severity.NOTE, item.name)]
    if attempt.outcome is None:
        return [Finding(f"{system.written(item)}：{attempt.failure}", attempt.place, indicator=item.name)]
    return []


def _moved_weights(attempts: list[tuple[Indicator, _Attempt]], system: IndicatorSystem) -> dict[str, list[_Transfer]]:
    """Return, by receiving indicator's key, the weights moved to it from indicators that do not apply."""
    moved: dict[str, list[_Transfer]] = {}
    for item, attempt in attempts:
        target = system.find(item.zero.moved_to) if item.zero and item.zero.moved_to else None
        if not attempt.applicable and target is not None:
            moved.setdefault(target.key, []).append(_Transfer(item.name, item.weight))
    return moved


def _adjusted_total(
    scores: list[IndicatorScore], system: IndicatorSystem, moved: dict[str, list[_Transfer]]
) -> tuple[Decimal, tuple[str, ...]]:
    """Add the rows; scale the sum to the full total when indicators that do not apply took their weight away."""
    total = _subtotal(scores)
    taken = {t.name for transfers in moved.values() for t in transfers}
    dropped = [item for item in scores if not item.applicable and item.name not in taken]
    remaining = system.total - sum((item.weight for item in dropped), _ZERO)
    if not dropped or remaining <= 0:
        return total, ()
    scaled = round_score(total * system.total / remaining)
    names = "、".join(f"「{item.name}」" for item in dropped)
    sentence = (
        f"{names}不适用，总分按其余指标分值 {rules.plain(remaining)} 分折算为百分制："
        f"{rules.two_places(total)} × {rules.plain(system.total)} ÷ {rules.plain(remaining)} = {rules.two_places(scaled)} 分"
    )
    return scaled, (sentence,)


def _tiers(system: IndicatorSystem, scores: list[IndicatorScore]) -> list[Tier1Score]:
    """Group scores by 一级 and 二级 with subtotals, in table order."""
    remaining = iter(scores)
    tiers = []
    for tier1 in system.tiers:
        children = []
        for tier2 in tier1.tiers:
            items = [next(remaining) for _ in tier2.indicators]
            children.append(Tier2Score(tier2.name, tier2.weight, _subtotal(items), items))
        tiers.append(Tier1Score(tier1.name, tier1.weight, sum((t.score for t in children), _ZERO), children))
    return tiers


def _subtotal(items: list[IndicatorScore]) -> Decimal:
    """Add the scores that could be computed."""
    return sum((item.score for item in items if item.score is not None), _ZERO)


# ---------------------------------------------------------------- names the facts use, and declared scores


def _unknown_names(facts: Facts, system: IndicatorSystem) -> Iterator[Finding]:
    """Report facts entries naming no indicator (with a did-you-mean) or one scored another way."""
    scoring = facts.scoring
    yield from _entries(system, scoring.checklists, (_SCORING, "评价要点"), rules.Checklist, "按评价要点计分")
    yield from _entries(system, scoring.assessments, (_SCORING, "评定"), (rules.Assessed, rules.ThreeBands), "由评价人员评定")
    yield from _given_entries(system, scoring.measures)
    yield from _entries(system, facts.declared_scores, ("自评得分",), None, "")


def _entries(
    system: IndicatorSystem, mapping: dict, base: Loc, kind: type | tuple[type, ...] | None, how: str
) -> Iterator[Finding]:
    """Check each key of a facts mapping names an indicator scored the way the mapping serves."""
    names = [item.name for item in system.indicators]
    for key in mapping:
        item = system.find(key)
        if item is None:
            yield Finding(_not_an_indicator(key, names, system), (*base, key))
        elif kind is not None and not rules.reads(item.rule, kind):
            message = f"{item.name}：该指标不是{how}（规则为「{item.rule.kind}」），这里的数据不会被使用"
            yield Finding(message, (*base, key), Severity.WARNING, item.name)


def _given_entries(system: IndicatorSystem, given: dict) -> Iterator[Finding]:
    """Check each 测算值 names a measure, or an indicator whose rule reads a measure."""
    names = list(system.measures) + [item.name for item in system.indicators]
    for key in given:
        item = system.find(key)
        if system.measure(key) is not None or (item is not None and rules.reads(item.rule, rules.MeasuredRule)):
            continue
        if item is not None:
            message = f"{item.name}：该指标不读取测算值（规则为「{item.rule.kind}」），这里的数据不会被使用"
            yield Finding(message, (_SCORING, "测算值", key), Severity.WARNING, item.name)
        else:
            yield Finding(_not_an_indicator(key, names, system, "测算指标或"), (_SCORING, "测算值", key))


def _not_an_indicator(key: str, names: list[str], system: IndicatorSystem, what: str = "") -> str:
    """Say a name is not in the indicator system (suggesting the closest one), or fits several (listing them)."""
    found = system.matches(key)
    if len(found) > 1:
        return ambiguous(key, found)
    return did_you_mean(f"「{key}」不是指标体系「{system.name}」中的{what}三级指标名称", key, names)


def _declared_findings(scores: list[IndicatorScore], inputs: _Inputs) -> Iterator[Finding]:
    """Compare each published self-score with its weight and with the rule's result."""
    for item in scores:
        if item.declared is None:
            continue
        key = inputs.declared[item.key][0]
        place, declared = ("自评得分", key), f"{item.declared:f}"
        if item.declared > item.weight:
            message = f"{item.name}：自评得分 {declared} 超过分值 {rules.plain(item.weight)}"
            yield Finding(message, place, Severity.WARNING, item.name)
        if item.score is not None and item.declared != item.score:
            message = f"{item.name}：自评得分 {declared} 与按规则计算的 {rules.two_places(item.score)} 不一致"
            yield Finding(message, place, Severity.WARNING, item.name)


def scorecard_problems(card: Scorecard, facts: Facts, source: SourceMap, system: IndicatorSystem) -> list[Problem]:
    """Place every scoring finding on its facts-file line, then add the indicator system's own warnings.

    The published 自评总分 is compared with `card.total` by checks (facts › 自评总分).
    """
    placed = [source.problem(f.place, f.message, f.severity) for f in card.findings]
    return placed + list(system.warnings)


# ---------------------------------------------------------------- output: a readable table, and JSON


_HEADER = ("一级指标", "二级指标", "三级指标", "分值", "测算值", "得分", "得分依据")
_RIGHT = {3, 5}


def format_scorecard(card: Scorecard) -> str:
    """Lay the scorecard out as a table by tier, aligned for CJK text, with the total and findings."""
    rows = [_HEADER, *_rows(card)]
    lines = [card.system, "", *align_rows(rows, _RIGHT), "", *card.adjustments, f"（{ROUNDING}。）"]
    if card.grade is not None:
        lines.insert(-1, f"等级：{grade_text(card)}")
    if card.findings:
        lines += ["", "提示：", *(f"  {f.severity}：{f.message}" for f in card.findings)]
    return "\n".join(lines)


def grade_text(card: Scorecard) -> str:
    """Say the total's grade with its band: 优（90 分及以上）; empty when the system states no grades."""
    band = card.grade
    if band is None:
        return ""
    higher = [b for b in card.grade_bands if b.at_least > band.at_least]
    if not higher:
        return f"{band.name}（{rules.plain(band.at_least)} 分及以上）"
    upper = min(b.at_least for b in higher)
    return f"{band.name}（{rules.plain(band.at_least)} 分及以上、不足 {rules.plain(upper)} 分）"


def _rows(card: Scorecard) -> Iterator[tuple[str, ...]]:
    """Yield the table's rows: indicators, then a subtotal after each tier, then the total."""
    for tier1 in card.tiers:
        for tier2 in tier1.tiers:
            for index, item in enumerate(tier2.indicators):
                first_of_tier1 = index == 0 and tier2 is tier1.tiers[0]
                yield (tier1.name if first_of_tier1 else "", tier2.name if index == 0 else "", *_cells(item))
            yield ("", f"{tier2.name}小计", "", rules.plain(tier2.weight), "", rules.two_places(tier2.score), "")
        yield (f"{tier1.name}合计", "", "", rules.plain(tier1.weight), "", rules.two_places(tier1.score), "")
    note = "" if card.complete else f"有 {sum(i.score is None for i in card.indicators)} 项无法评分，总分不完整"
    yield ("总分", "", "", rules.plain(card.max_total), "", rules.two_places(card.total), note)


def _cells(item: IndicatorScore) -> tuple[str, ...]:
    """Return an indicator's cells from 三级指标 to 得分依据."""
    score = "无法评分" if item.score is None else rules.two_places(item.score)
    return (item.name, rules.plain(item.weight), item.measure_label, score, item.basis)


def scorecard_json(card: Scorecard) -> str:
    """Return `{"total": …, "indicators": [...]}` with numbers as JSON numbers, written from their Decimal text."""
    indicators = [
        {
            "tier1": item.tier1,
            "tier2": item.tier2,
            "name": item.name,
            "weight": item.weight,
            "measure": None if item.measure is None else round_score(item.measure),
            "score": item.score,
            "basis": item.basis,
        }
        for item in card.indicators
    ]
    graded = {"grade": card.grade.name if card.grade else None} if card.grade_bands else {}
    return _json({"total": card.total, **graded, "indicators": indicators})


def _json(value: Any, depth: int = 0) -> str:
    """Write JSON with Decimals as number literals (no float on the way), indented by two spaces."""
    inner, outer = "  " * (depth + 1), "  " * depth
    if isinstance(value, dict):
        members = [f"{inner}{_json(str(key))}: {_json(item, depth + 1)}" for key, item in value.items()]
        return "{\n" + ",\n".join(members) + f"\n{outer}}}" if members else "{}"
    if isinstance(value, list):
        members = [f"{inner}{_json(item, depth + 1)}" for item in value]
        return "[\n" + ",\n".join(members) + f"\n{outer}]" if members else "[]"
    if isinstance(value, Decimal):
        return rules.plain(value)
    return _string(value)


def _string(value: str | None) -> str:
    """Write a JSON string (or null), keeping Chinese characters as they are."""
    return json.dumps(value, ensure_ascii=False)

