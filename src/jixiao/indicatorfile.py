"""The indicator file (指标体系评分表 YAML): its schema, and validation into an IndicatorSystem.

The file is YAML with Chinese keys, validated as strictly as the facts file: every
problem is reported at once with its line, in Chinese. Validation runs in three steps:
the schema (tiers, indicators, measures), each rule against its own kind's schema,
then the checks the schema cannot express — children's weights add up to their
parent, the whole to 100, every rule's points fit its weight, every name a rule or
formula reads exists.

Only `indicators.load_indicators` imports this module, and only when its cache holds
no validated copy of the file: the models below cost a render's start-up time.
"""

# No `from __future__ import annotations`: pydantic would evaluate every string annotation at import.
from decimal import Decimal
from itertools import pairwise
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from jixiao import rules
from jixiao.errors import Problem, Severity, only_errors
from jixiao.facts import Text, empty_dict
from jixiao.figures import FIGURES, GRADE_FIGURES
from jixiao.indicators import (
    Indicator,
    IndicatorSystem,
    Tier1,
    Tier2,
    ambiguous,
    did_you_mean,
    indicator_key,
    normalise_name,
    suggest,
)
from jixiao.measures import ExpressionError, Measure, names, parse_expression
from jixiao.records import PrebuiltSchema
from jixiao.validation import validate_into
from jixiao.yamlsource import Loc, SourceMap, field_label

# Schemas written out directly, as facts.Text is, for the same import time.
Points = Annotated[Decimal, PrebuiltSchema(lambda schemas: schemas.decimal_schema(ge=0, allow_inf_nan=False))]
Threshold = Annotated[Decimal, PrebuiltSchema(lambda schemas: schemas.decimal_schema(allow_inf_nan=False))]
Positive = Annotated[Decimal, PrebuiltSchema(lambda schemas: schemas.decimal_schema(gt=0, allow_inf_nan=False))]


# ---------------------------------------------------------------- the file's schema


class _Schema(BaseModel):
    """Base of the indicator file's models: Chinese keys only, unknown keys refused."""

    # defer_build: validators are built for the models actually validated, when first used.
    model_config = ConfigDict(extra="forbid", populate_by_name=False, frozen=True, defer_build=True)


class MeasureSpec(_Schema, title="测算指标"):
    """How one measure is computed and shown."""

    formula: Text = Field(alias="公式", description="公式原文，如「在职人员控制率=（在职人员数/编制数）×100%」；显示在得分依据中")
    expression: Text | None = Field(
        None,
        alias="表达式",
        description="按哪些数据计算：只用数据名称、数字、+ - * / 和括号，如「在职人员数 / 编制数 * 100」；"
        "不写则该测算值只能在事实数据的「评分数据 › 测算值」中直接给出",
    )
    unit: str = Field("%", alias="单位", description="测算值的单位；默认 %（表达式已乘 100）")


ZeroPolicyName = Literal["满分", "视为零", "不适用"]
_ZERO_HELP = (
    "测算值的分子、分母均为 0（如三公经费本年、上年均为 0）时怎么计分："
    "「满分」得满分；「视为零」测算值按 0 计（变动率 0%）；「不适用」本指标不计分"
)

KindName = Literal["要点计分", "线性区间", "比例", "等级", "扣分", "评定", "分档", "整档扣分", "目标比率", "三档评定", "二者择其一"]


class RuleHeader(BaseModel, title="评分规则"):
    """The rule's kind; its other keys are checked against that kind's own schema."""

    model_config = ConfigDict(extra="allow", populate_by_name=False, frozen=True)

    kind: KindName = Field(
        alias="类型",
        description="规则类型：要点计分、线性区间、比例、等级、扣分、评定、分档、整档扣分、目标比率、三档评定或二者择其一",
    )


class IndicatorSpec(_Schema, title="三级指标"):
    """One 三级指标: its texts as the table prints them and its rule."""

    name: Text = Field(alias="名称", description="三级指标名称，照评分表原文")
    weight: Points = Field(alias="分值", description="指标分值")
    explanation: Text = Field(alias="指标解释说明", description="指标解释说明原文；评价要点分行书写")
    criteria: Text = Field(alias="评分标准", description="评分标准原文")
    rule: RuleHeader = Field(alias="规则", description="机器可读的评分规则")


class Tier2Spec(_Schema, title="二级指标"):
    """One 二级指标 and its 三级指标."""

    name: Text = Field(alias="名称", description="二级指标名称")
    weight: Points = Field(alias="分值", description="分值，应等于所含三级指标分值之和")
    indicators: list[IndicatorSpec] = Field(alias="三级指标", min_length=1, description="所含三级指标")


class Tier1Spec(_Schema, title="一级指标"):
    """One 一级指标 and its 二级指标."""

    name: Text = Field(alias="名称", description="一级指标名称，如「投入」")
    weight: Points = Field(alias="分值", description="分值，应等于所含二级指标分值之和")
    tiers: list[Tier2Spec] = Field(alias="二级指标", min_length=1, description="所含二级指标")


class SystemSpec(_Schema, title="指标体系"):
    """A whole indicator system file."""

    name: Text = Field(alias="名称", description="指标体系名称，如「巨鹿县 2021 年部门整体支出绩效评价指标体系评分表」")
    scope: Text | None = Field(None, alias="适用", description="适用的地区、年度和依据的文件")
    source: Text | None = Field(
        None, alias="来源", description="评分表从哪里来（文件、网址），哪些行是维护人员对原文不清之处的理解"
    )
    total: Points = Field(Decimal(100), alias="总分", description="总分，百分制为 100")
    tiers: list[Tier1Spec] = Field(alias="一级指标", min_length=1, description="一级指标，按评分表顺序")
    measures: dict[Text, MeasureSpec] = Field(
        default_factory=empty_dict, alias="测算指标", description="规则读取的测算指标：名称 → 公式和表达式"
    )
    zero: ZeroPolicyName | None = Field(
        None, alias="零基数", description=_ZERO_HELP + "；这里写全表默认，规则中的「零基数」优先；都不写则报错「为 0，无法计算」"
    )
    caps: list["TotalCapSpec"] = Field(
        default_factory=list,
        alias="总分封顶",
        description="测算值落在某一范围时总分的上限，如 {测算指标: 预算执行率, 范围: \"[70, 80)\", 最高: 89}",
    )
    figures: dict[Text, Text] = Field(
        default_factory=empty_dict,
        alias="自定义数据",
        description="本表公式用到、内置数据名称中没有的数据：名称 → 含义；各单位在事实数据「评分数据 › 自定义数据」中填写数值",
    )
    grades: dict[Text, Points] = Field(
        default_factory=empty_dict,
        alias="等级",
        description="总分的等级及其最低分（含），如 {优: 90, 良: 80, 中: 60, 差: 0}；报告和评分表印出总分所属等级",
    )


class TotalCapSpec(_Schema, title="总分封顶"):
    """A cap on the total while a measure lies in a range."""

    measure: Text = Field(alias="测算指标", description="读取的测算指标名称")
    range: Text = Field(alias="范围", description="测算值的范围，如「[70, 80)」（方括号含端点，圆括号不含）")
    most: Points = Field(alias="最高", description="测算值在此范围内时，总分最高为多少分")


class _ReadsMeasure(_Schema):
    """The keys every rule that reads a measure shares: its zero-base policy."""

    zero: ZeroPolicyName | None = Field(None, alias="零基数", description=_ZERO_HELP + "；不写则用全表默认")
    moved_to: Text | None = Field(
        None,
        alias="分值转入",
        description="「零基数: 不适用」时本指标分值转入哪个指标（名称或路径）；不写则总分按其余指标分值折算为百分制",
    )


class ChecklistSpec(_Schema, title="要点计分"):
    """Points by how many 评价要点 are met."""

    kind: Literal["要点计分"] = Field(alias="类型")
    count: int = Field(alias="要点数", ge=1, description="评价要点的项数；只有「符合/不符合」一项的写 1")
    table: dict[Text, Points] = Field(
        alias="得分表",
        min_length=1,
        description="符合的要点项数 → 得分，如 {8: 8, 7: 6, 6: 4, 5: 2}；按达到的最高一档计分，低于最低一档得 0 分",
    )
    cap: bool = Field(
        False, alias="超出分值时封顶", description="评分标准最高分超过指标分值时，照录原文并按分值封顶（给出警告）"
    )


class BandSpec(_ReadsMeasure, title="线性区间"):
    """Full points at one threshold, zero at the other, linear in between."""

    kind: Literal["线性区间"] = Field(alias="类型")
    measure: Text = Field(alias="测算指标", description="读取的测算指标名称（见「测算指标」）")
    full_at: Threshold = Field(alias="满分阈值", description="达到此值（或更好）得满分")
    zero_at: Threshold = Field(alias="零分阈值", description="达到此值（或更差）得 0 分；两阈值之间线性插值")
    direction: Literal["越高越好", "越低越好", "等于目标"] | None = Field(
        None,
        alias="方向",
        description="不写时按两个阈值的大小判断；「等于目标」表示恰好等于满分阈值才得满分，向两侧偏离都按插值扣分",
    )


class ProportionalSpec(_ReadsMeasure, title="比例"):
    """Measure × weight, capped at the weight."""

    kind: Literal["比例"] = Field(alias="类型")
    measure: Text = Field(alias="测算指标", description="读取的测算指标名称")
    full_at: Positive = Field(Decimal(100), alias="满分测算值", description="得满分的测算值，默认 100（即 100%）")


class GradeSpec(_Schema, title="等级"):
    """Named grades to points."""

    kind: Literal["等级"] = Field(alias="类型")
    figure: Text = Field(alias="取值", description="读取的等级数据，如「满意度等级」（事实数据「满意度 › 等级」）")
    table: dict[Text, Points] = Field(alias="等级分", min_length=1, description="等级 → 得分，如 {优秀: 5, 良好: 3}")
    cap: bool = Field(False, alias="超出分值时封顶", description="等级分超过指标分值时按分值封顶（给出警告）")


class DeductionSpec(_ReadsMeasure, title="扣分"):
    """Points off per unit beyond a threshold, floored at zero."""

    kind: Literal["扣分"] = Field(alias="类型")
    measure: Text = Field(alias="测算指标", description="读取的测算指标名称")
    threshold: Threshold = Field(alias="起扣点", description="超过（或低于）此值开始扣分")
    step: Positive = Field(Decimal(1), alias="扣分单位", description="每超出多少扣一次分，默认 1（个百分点）")
    per_step: Positive = Field(alias="每单位扣分", description="每超出一个扣分单位扣的分数，按超出部分连续计算，扣完为止")
    direction: Literal["超过", "低于"] = Field("超过", alias="方向", description="「超过」起扣点扣分（默认）或「低于」起扣点扣分")


class AssessedSpec(_Schema, title="评定"):
    """A score given by the evaluator, with a reason (read from 评分数据 › 评定)."""

    kind: Literal["评定"] = Field(alias="类型")


class StepDeductionSpec(DeductionSpec, title="整档扣分"):
    """Points off per whole step beyond a threshold, floored at zero."""

    kind: Literal["整档扣分"] = Field(alias="类型")
    step: Positive = Field(alias="扣分单位", description="每满多少扣一次分，如 5（个百分点）；不足一档不扣")
    per_step: Positive = Field(alias="每单位扣分", description="每满一档扣的分数，扣完为止")


class BandEntrySpec(_Schema, title="档次"):
    """One band: a range of the measure and its points."""

    range: Text = Field(alias="范围", description="测算值的范围：「=0」「≤10」「＞30」或区间「(0, 10]」「[95, ∞)」")
    points: Points = Field(alias="得分", description="测算值在此范围内得多少分")


class BandedSpec(_ReadsMeasure, title="分档"):
    """Points by the band the measure falls in."""

    kind: Literal["分档"] = Field(alias="类型")
    measure: Text = Field(alias="测算指标", description="读取的测算指标名称")
    bands: list[BandEntrySpec] = Field(alias="档次", min_length=1, description="各档的范围和得分；各档不能重叠，也不应留空档")
    cap: bool = Field(False, alias="超出分值时封顶", description="最高一档得分超过指标分值时按分值封顶（给出警告）")


class TargetRatioSpec(_ReadsMeasure, title="目标比率"):
    """Actual against target, as a share of the weight."""

    kind: Literal["目标比率"] = Field(alias="类型")
    measure: Text = Field(alias="测算指标", description="实际值：读取的测算指标名称")
    target: Text | None = Field(None, alias="目标测算指标", description="目标值：读取的测算指标名称（与「目标值」二选一）")
    target_value: Threshold | None = Field(None, alias="目标值", description="目标值：一个数（与「目标测算指标」二选一）")
    direction: Literal["不低于", "不高于"] = Field(
        "不低于", alias="方向", description="「不低于」目标按 实际 ÷ 目标 计分（默认）；「不高于」目标按 目标 ÷ 实际 计分；都以分值封顶"
    )
    over: Positive | None = Field(None, alias="超出比例", description="超过目标多少（%，含）即扣分，如 30")
    over_penalty: Positive | None = Field(None, alias="超出扣分", description="超过目标达到「超出比例」时扣的分数，如 2")


class ThreeBandsSpec(_Schema, title="三档评定"):
    """The evaluator's score (评分数据 › 评定), placed in a named band of the weight."""

    kind: Literal["三档评定"] = Field(alias="类型")
    bands: dict[Text, Points] = Field(
        default_factory=lambda: {"好": Decimal(80), "中": Decimal(60), "差": Decimal(0)},
        alias="档次",
        description="各档名称 → 该档最低得分占分值的百分比（含），从高到低，如 {好: 80, 中: 60, 差: 0}",
    )


class AlternativesSpec(_Schema, title="二者择其一"):
    """Alternative rules: the first whose facts are given is scored."""

    kind: Literal["二者择其一"] = Field(alias="类型")
    options: list[dict[Text, Any]] = Field(
        alias="备选", min_length=2, description="备选的规则（每条是一个完整的规则，不能再是「二者择其一」）；按顺序取第一条有数据的计分"
    )


RULE_SPECS: dict[str, type[_Schema]] = {
    "要点计分": ChecklistSpec,
    "线性区间": BandSpec,
    "比例": ProportionalSpec,
    "等级": GradeSpec,
    "扣分": DeductionSpec,
    "评定": AssessedSpec,
    "分档": BandedSpec,
    "整档扣分": StepDeductionSpec,
    "目标比率": TargetRatioSpec,
    "三档评定": ThreeBandsSpec,
    "二者择其一": AlternativesSpec,
}


def build_system(data: Any, source: SourceMap) -> tuple[IndicatorSystem | None, list[Problem]]:
    """Validate loaded YAML as an indicator system; return it (or None) with every problem found."""
    spec, problems = validate_into(SystemSpec, data, source)
    rule_specs, rule_problems = _rule_specs(data, source)
    problems.extend(rule_problems)
    if spec is None or only_errors(problems):
        return None, problems
    builder = _Builder(spec, rule_specs, source)
    system = builder.build()
    return system, problems + builder.problems


# ---------------------------------------------------------------- step 2: each rule by its kind


def _rule_specs(data: Any, source: SourceMap) -> tuple[dict[Loc, _Schema], list[Problem]]:
    """Validate every rule against its kind's schema, wherever the rest of the file stands."""
    specs: dict[Loc, _Schema] = {}
    problems: list[Problem] = []
    found_rules = _raw_rules(data)
    parts = _rebased(source, [loc for loc, _ in found_rules])
    for loc, raw in found_rules:
        model = RULE_SPECS.get(raw.get("类型")) if isinstance(raw.get("类型"), str) else None
        if loc[-2:-1] == ("备选",) and model in (None, AlternativesSpec):
            problems.append(_option_kind_problem(parts[loc], loc))
            continue
        if model is None:
            continue  # an unknown or missing 类型 of a rule is reported by the file's schema
        spec, found = validate_into(model, raw, parts[loc])
        problems.extend(_prefixed(p, loc) for p in found)
        if spec is not None:
            specs[loc] = spec
    return specs, problems


def _option_kind_problem(part: SourceMap, loc: Loc) -> Problem:
    """Say an alternative of 二者择其一 needs a kind of its own, other than 二者择其一."""
    kinds = "、".join(kind for kind in RULE_SPECS if kind != "二者择其一")
    return _prefixed(part.problem(("类型",), f"备选规则的类型应为以下之一：{kinds}"), loc)


def _raw_rules(data: Any) -> list[tuple[Loc, dict]]:
    """Find each 规则 mapping in the raw YAML, with its location, skipping malformed parts."""
    found: list[tuple[Loc, dict]] = []
    for i, tier1 in _items(data, "一级指标"):
        for j, tier2 in _items(tier1, "二级指标"):
            for k, item in _items(tier2, "三级指标"):
                rule = item.get("规则")
                if isinstance(rule, dict):
                    loc = ("一级指标", i, "二级指标", j, "三级指标", k, "规则")
                    found.append((loc, rule))
                    found.extend(_raw_options(loc, rule))
    return found


def _raw_options(loc: Loc, rule: dict) -> list[tuple[Loc, dict]]:
    """Find the alternatives of a 二者择其一 rule, each with its location."""
    options = rule.get("备选") if rule.get("类型") == "二者择其一" else None
    if not isinstance(options, list):
        return []
    return [((*loc, "备选", n), option) for n, option in enumerate(options) if isinstance(option, dict)]


def _items(parent: Any, key: str) -> list[tuple[int, dict]]:
    """Return the mappings listed under `key` of a raw mapping, with their indexes."""
    children = parent.get(key) if isinstance(parent, dict) else None
    if not isinstance(children, list):
        return []
    return [(index, child) for index, child in enumerate(children) if isinstance(child, dict)]


def _rebased(source: SourceMap, prefixes: list[Loc]) -> dict[Loc, SourceMap]:
    """Return a SourceMap per prefix (all of one length) of the part of the file under it, relative to it.

    One pass over the positions, not one per rule: the bundled table has two dozen rules
    (prefixes are of one length, or two when 二者择其一 has alternatives).
    """
    parts: dict[Loc, dict[Loc, tuple[int, int]]] = {prefix: {} for prefix in prefixes}
    sizes = sorted({len(prefix) for prefix in prefixes})
    for loc, place in source.positions.items():
        for size in sizes:
            part = parts.get(loc[:size])
            if part is not None:
                part[loc[size:]] = place
    return {prefix: SourceMap(source.file, positions) for prefix, positions in parts.items()}


def _prefixed(problem: Problem, prefix: Loc) -> Problem:
    """Name a problem found in a rebased part of the file by its full path."""
    head = field_label(prefix)
    return problem._replace(field=f"{head} › {problem.field}" if problem.field else head)


# ---------------------------------------------------------------- step 3: build and cross-check


class _Builder:
    """Turn a validated file into an IndicatorSystem, collecting what the schema cannot check."""

    def __init__(self, spec: SystemSpec, rule_specs: dict[Loc, _Schema], source: SourceMap):
        self.spec = spec
        self.rule_specs = rule_specs
        self.source = source
        self.problems: list[Problem] = []
        self.measures: dict[str, Measure] = {}

    def report(self, loc: Loc, message: str, severity: Severity = Severity.ERROR) -> None:
        """Record a problem at `loc` in the indicator file."""
        self.problems.append(self.source.problem(loc, message, severity))

    def build(self) -> IndicatorSystem:
        """Build the system and run every cross-check."""
        self.measures = {name: self._measure(name, spec) for name, spec in self.spec.measures.items()}
        tiers = tuple(self._tier1(("一级指标", i), tier) for i, tier in enumerate(self.spec.tiers))
        self._check_total(tiers)
        self._check_unique_names()
        caps = tuple(cap for n, spec in enumerate(self.spec.caps) if (cap := self._cap(("总分封顶", n), spec)))
        system = IndicatorSystem(
            self.spec.name, self.spec.scope, self.spec.total, tiers, self.measures, self.source.file, [],
            caps, self._grades(), tuple(self.spec.figures.items()), self.spec.source,
        )  # fmt: skip
        self._check_moved_weights(system, [spec[0] for spec in self._indicator_specs()])
        return system

    # -- the whole table: caps and grades

    def _cap(self, loc: Loc, spec: TotalCapSpec) -> rules.TotalCap | None:
        """Build a cap on the total, checking its measure, range and most."""
        self._check_measure(loc, spec.measure)
        if spec.most > self.spec.total:
            self.report((*loc, "最高"), f"封顶分 {rules.plain(spec.most)} 超过总分 {rules.plain(self.spec.total)}")
        try:
            return rules.TotalCap(spec.measure, rules.parse_range(spec.range), spec.most)
        except rules.RangeError as exc:
            self.report((*loc, "范围"), str(exc))
            return None

    def _grades(self) -> tuple[rules.GradeBand, ...]:
        """Build the grade bands of the total, best first, checking every total from 0 up has one."""
        bands = tuple(sorted((rules.GradeBand(n, v) for n, v in self.spec.grades.items()), key=lambda b: -b.at_least))
        if bands and bands[-1].at_least != 0:
            message = f"最低一个等级「{bands[-1].name}」从 {rules.plain(bands[-1].at_least)} 分起，低于此分的总分没有等级；应有一个等级从 0 分起"
            self.report(("等级",), message)
        if bands and bands[0].at_least > self.spec.total:
            self.report(("等级",), f"等级「{bands[0].name}」的最低分 {rules.plain(bands[0].at_least)} 超过总分")
        return bands

    # -- measures

    def _measure(self, name: str, spec: MeasureSpec) -> Measure:
        """Parse a measure's expression and check every name it reads."""
        loc = ("测算指标", name, "表达式")
        expression = None
        if spec.expression is not None:
            try:
                expression = parse_expression(spec.expression)
            except ExpressionError as exc:
                self.report(loc, str(exc))
        known = [*FIGURES, *self.spec.figures]
        for unknown in [n for n in names(expression) if n not in known] if expression else []:
            self.report(loc, _unknown_message(f"表达式中的「{unknown}」不是可用的数据名称", unknown, known))
        return Measure(name, spec.formula, expression, spec.unit)

    # -- tiers and weights

    def _tier1(self, loc: Loc, spec: Tier1Spec) -> Tier1:
        """Build a 一级指标 and check its weight against its children."""
        tiers = tuple(self._tier2((*loc, "二级指标", j), spec, tier) for j, tier in enumerate(spec.tiers))
        self._check_sum(loc, "一级", spec.name, spec.weight, [t.weight for t in tiers], "二级")
        return Tier1(spec.name, spec.weight, tiers)

    def _tier2(self, loc: Loc, parent: Tier1Spec, spec: Tier2Spec) -> Tier2:
        """Build a 二级指标 and check its weight against its children."""
        items = tuple(
            self._indicator((*loc, "三级指标", k), parent.name, spec.name, item)
            for k, item in enumerate(spec.indicators)
        )
        self._check_sum(loc, "二级", spec.name, spec.weight, [i.weight for i in items], "三级")
        return Tier2(spec.name, spec.weight, items)

    def _check_sum(self, loc: Loc, level: str, name: str, weight: Decimal, parts: list[Decimal], below: str) -> None:
        """Report a tier whose weight is not the sum of its children's."""
        total = sum(parts, Decimal(0))
        if total != weight:
            message = f"{level}指标「{name}」分值为 {rules.plain(weight)}，但所含{below}指标分值合计为 {rules.plain(total)}"
            self.report((*loc, "分值"), message)

    def _check_total(self, tiers: tuple[Tier1, ...]) -> None:
        """Report a total that is not 100, or 一级 weights that do not add up to it."""
        if self.spec.total != 100:
            self.report(("总分",), f"总分应为 100（百分制），而不是 {rules.plain(self.spec.total)}")
        total = sum((t.weight for t in tiers), Decimal(0))
        if total != self.spec.total:
            message = f"一级指标分值合计为 {rules.plain(total)}，应等于总分 {rules.plain(self.spec.total)}"
            self.report(("一级指标",), message)

    def _check_unique_names(self) -> None:
        """Report 三级指标 whose paths coincide once quotes and spaces are ignored (same name in the same 二级)."""
        seen: dict[str, Loc] = {}
        for loc, tier1, tier2, spec in self._indicator_specs():
            key = indicator_key(tier1.name, tier2.name, spec.name)
            if key in seen:
                line, _ = self.source.locate(seen[key])
                message = f"三级指标「{spec.name}」与第 {line} 行的指标同在「{tier1.name} › {tier2.name}」下重名；同一二级指标下名称不能重复"
                self.report((*loc, "名称"), message)
            else:
                seen[key] = (*loc, "名称")

    def _indicator_specs(self) -> list[tuple[Loc, Tier1Spec, Tier2Spec, IndicatorSpec]]:
        """Return every 三级指标 spec with its location and its parents."""
        return [
            (("一级指标", i, "二级指标", j, "三级指标", k), tier1, tier2, item)
            for i, tier1 in enumerate(self.spec.tiers)
            for j, tier2 in enumerate(tier1.tiers)
            for k, item in enumerate(tier2.indicators)
        ]

    # -- indicators and their rules

    def _indicator(self, loc: Loc, tier1: str, tier2: str, spec: IndicatorSpec) -> Indicator:
        """Build a 三级指标 with its rule."""
        rule_loc = (*loc, "规则")
        rule_spec = self.rule_specs[rule_loc]
        rule = self._rule(rule_loc, rule_spec)
        self._check_points(rule_loc, spec, rule)
        zero = self._zero(rule_loc, rule_spec)
        return Indicator(tier1, tier2, spec.name, spec.weight, spec.explanation, spec.criteria, rule, zero)

    def _zero(self, loc: Loc, spec: _Schema) -> rules.ZeroBase | None:
        """Return the rule's zero-base policy: its own, else the table's default (rules reading a measure only)."""
        if not isinstance(spec, _ReadsMeasure):
            return None
        if spec.moved_to is not None and spec.zero != "不适用":
            self.report((*loc, "分值转入"), "只有「零基数: 不适用」的规则才能写「分值转入」")
        if spec.zero is not None:
            return rules.ZeroBase(spec.zero, spec.moved_to)
        return rules.ZeroBase(self.spec.zero, table_default=True) if self.spec.zero else None

    def _check_moved_weights(self, system: IndicatorSystem, locs: list[Loc]) -> None:
        """Report a 分值转入 naming no indicator, several, or the indicator itself."""
        for item, loc in zip(system.indicators, locs, strict=True):
            target = item.zero.moved_to if item.zero else None
            if target is not None:
                self._check_reference((*loc, "规则", "分值转入"), system, target, "分值转入的", item)

    def _check_reference(self, loc: Loc, system: IndicatorSystem, name: str, what: str, own: Indicator) -> None:
        """Report a name or path that names no indicator, several, or the indicator that writes it."""
        found = system.matches(name)
        if not found:
            known = [other.name for other in system.indicators]
            self.report(loc, _unknown_message(f"{what}「{name}」不是本指标体系的三级指标", name, known))
        elif len(found) > 1:
            self.report(loc, ambiguous(name, found))
        elif found[0].key == own.key:
            self.report(loc, f"{what}「{name}」是本指标自身")

    def _rule(self, loc: Loc, spec: _Schema) -> rules.Rule:
        """Build the rule object of one kind, checking what it refers to."""
        if isinstance(spec, ChecklistSpec):
            return self._checklist(loc, spec)
        if isinstance(spec, GradeSpec):
            return self._grade(loc, spec)
        if isinstance(spec, _ReadsMeasure):
            return self._measured(loc, spec)
        if isinstance(spec, ThreeBandsSpec):
            return self._three_bands(loc, spec)
        if isinstance(spec, AlternativesSpec):
            return self._alternatives(loc)
        return rules.Assessed()

    def _measured(self, loc: Loc, spec: _ReadsMeasure) -> rules.Rule:
        """Build a rule that reads a measure, checking the measure exists."""
        self._check_measure(loc, spec.measure)
        if isinstance(spec, BandSpec):
            return self._band(loc, spec)
        if isinstance(spec, ProportionalSpec):
            return rules.Proportional(spec.measure, spec.full_at)
        if isinstance(spec, BandedSpec):
            return self._banded(loc, spec)
        if isinstance(spec, TargetRatioSpec):
            return self._target_ratio(loc, spec)
        deduction = rules.StepDeduction if isinstance(spec, StepDeductionSpec) else rules.Deduction
        return deduction(spec.measure, spec.threshold, spec.per_step, spec.step, spec.direction == "超过")

    def _banded(self, loc: Loc, spec: BandedSpec) -> rules.Banded:
        """Build a banded rule, reading each range and checking the bands neither overlap nor leave gaps."""
        bands: list[rules.Band] = []
        for n, entry in enumerate(spec.bands):
            try:
                bands.append(rules.Band(rules.parse_range(entry.range), entry.points))
            except rules.RangeError as exc:
                self.report((*loc, "档次", n, "范围"), str(exc))
        if len(bands) == len(spec.bands):
            self._check_bands((*loc, "档次"), [band.range for band in bands], self._unit(spec.measure))
        return rules.Banded(spec.measure, tuple(bands), spec.cap)

    def _check_bands(self, loc: Loc, ranges: list[rules.Interval], unit: str) -> None:
        """Report bands that overlap (an error) and values no band covers (a warning)."""
        pairs, gaps = rules.gaps_and_overlaps(ranges)
        for first, second in pairs:
            shared = f"「{ranges[first].text(unit)}」与「{ranges[second].text(unit)}」"
            self.report((*loc, second, "范围"), f"第 {second + 1} 档与第 {first + 1} 档重叠：{shared}有共同的值")
        for gap in gaps:
            self.report(loc, f"档次之间有空档：「{gap.text(unit)}」不属于任何一档（落在空档的测算值得 0 分）", Severity.WARNING)

    def _unit(self, measure: str) -> str:
        """Return a measure's unit (% when the measure is unknown)."""
        key = normalise_name(measure)
        return next((m.unit for name, m in self.measures.items() if normalise_name(name) == key), "%")

    def _target_ratio(self, loc: Loc, spec: TargetRatioSpec) -> rules.TargetRatio:
        """Build a target ratio, checking it has one target and a whole overshoot penalty."""
        if (spec.target is None) == (spec.target_value is None):
            self.report(loc, "目标比率须写「目标测算指标」或「目标值」之一（且只写一个）")
        if spec.target is not None:
            self._check_measure(loc, spec.target, "目标测算指标")
        if (spec.over is None) != (spec.over_penalty is None):
            self.report(loc, "「超出比例」和「超出扣分」须同时写")
        if spec.over is not None and spec.direction == "不高于":
            self.report((*loc, "超出比例"), "「超出比例」只用于「不低于」的目标")
        penalty = spec.over_penalty or Decimal(0)
        at_most = spec.direction == "不高于"
        return rules.TargetRatio(spec.measure, spec.target, spec.target_value, at_most, spec.over, penalty)

    def _three_bands(self, loc: Loc, spec: ThreeBandsSpec) -> rules.ThreeBands:
        """Build three-band grades, checking the edges fall from the best band down to 0."""
        bands = tuple(spec.bands.items())
        edges = [edge for _, edge in bands]
        if edges != sorted(edges, reverse=True) or len(set(edges)) != len(edges) or edges[-1] != 0 or edges[0] > 100:
            message = "档次的最低百分比应从高到低排列、互不相同、都不超过 100，最后一档为 0，如 {好: 80, 中: 60, 差: 0}"
            self.report((*loc, "档次"), message)
        return rules.ThreeBands(bands)

    def _alternatives(self, loc: Loc) -> rules.Alternatives:
        """Build 二者择其一 from its alternatives, each an ordinary rule."""
        found = [(key, spec) for key, spec in self.rule_specs.items() if key[:-1] == (*loc, "备选")]
        options = tuple(self._rule(key, spec) for key, spec in sorted(found, key=lambda entry: entry[0][-1]))
        return rules.Alternatives(tuple(_option_label(option) for option in options), options)

    def _check_measure(self, loc: Loc, name: str, key: str = "测算指标") -> None:
        """Report a rule reading a measure the file does not define."""
        known = list(self.measures)
        if normalise_name(name) not in {normalise_name(m) for m in known}:
            self.report((*loc, key), _unknown_message(f"没有名为「{name}」的测算指标", name, known))

    def _checklist(self, loc: Loc, spec: ChecklistSpec) -> rules.Checklist:
        """Build a checklist, checking its table's keys and that more met never scores less."""
        table: list[tuple[int, Decimal]] = []
        for key, points in spec.table.items():
            count = int(key) if key.isascii() and key.isdigit() else None  # «²» is a digit to isdigit, not to int
            if count is None or not 1 <= count <= spec.count:
                self.report((*loc, "得分表", key), f"「{key}」应为 1 到 {spec.count} 之间的整数：得分表的键是符合的要点项数")
            else:
                table.append((count, points))
        table.sort(reverse=True)
        self._check_monotone((*loc, "得分表"), table)
        return rules.Checklist(spec.count, tuple(table), spec.cap)

    def _check_monotone(self, loc: Loc, table: list[tuple[int, Decimal]]) -> None:
        """Report a checklist table where meeting more points scores less."""
        for (more, high), (fewer, low) in pairwise(table):
            if high < low:
                message = f"符合 {more} 项得 {rules.plain(high)} 分，少于符合 {fewer} 项的 {rules.plain(low)} 分：符合的要点越多，得分不能越少"
                self.report(loc, message)

    def _grade(self, loc: Loc, spec: GradeSpec) -> rules.Grade:
        """Build a grade rule, checking the grade figure it reads."""
        if spec.figure not in GRADE_FIGURES:
            message = _unknown_message(f"没有名为「{spec.figure}」的等级数据", spec.figure, list(GRADE_FIGURES))
            self.report((*loc, "取值"), message)
        return rules.Grade(spec.figure, tuple(spec.table.items()), spec.cap)

    def _band(self, loc: Loc, spec: BandSpec) -> rules.LinearBand:
        """Build a linear band, checking its thresholds against its direction."""
        inferred = rules.Direction.HIGHER if spec.full_at > spec.zero_at else rules.Direction.LOWER
        direction = rules.Direction(spec.direction) if spec.direction else inferred
        if spec.full_at == spec.zero_at:
            self.report((*loc, "零分阈值"), f"零分阈值与满分阈值相同（{rules.plain(spec.zero_at)}），无法插值")
        elif direction is not rules.Direction.TARGET and direction is not inferred:
            relation = "大于" if direction is rules.Direction.HIGHER else "小于"
            self.report((*loc, "方向"), f"方向为「{direction}」时，满分阈值应{relation}零分阈值")
        return rules.LinearBand(spec.measure, spec.full_at, spec.zero_at, direction)

    def _check_points(self, loc: Loc, spec: IndicatorSpec, rule: rules.Rule) -> None:
        """Report a rule that can award more than the weight: an error, or a warning when capped."""
        most = rule.max_points(spec.weight)
        if most < spec.weight:
            message = f"{spec.name}：评分标准最高只能得 {rules.plain(most)} 分，达不到指标分值 {rules.plain(spec.weight)} 分"
            self.report(loc, message, Severity.WARNING)
        if most <= spec.weight:
            return
        most_text, weight_text = rules.plain(most), rules.plain(spec.weight)
        if getattr(rule, "cap", False):
            message = f"{spec.name}：评分标准最高 {most_text} 分，超过指标分值 {weight_text} 分；按分值封顶，最多计 {weight_text} 分"
            self.report((*loc, "超出分值时封顶"), message, Severity.WARNING)
        else:
            message = (
                f"评分标准最高 {most_text} 分，超过指标分值 {weight_text} 分；"
                "如评分表原文如此，请在规则中加「超出分值时封顶: true」按分值封顶"
            )
            self.report(loc, message)


def _option_label(option: rules.Rule) -> str:
    """Name an alternative of 二者择其一 by what it reads: 按「项目完成率」计分."""
    read = getattr(option, "measure", None) or getattr(option, "figure", None)
    return f"按「{read}」{option.kind}" if read else f"按{option.kind}"


def _unknown_message(message: str, name: str, known: list[str]) -> str:
    """Add a did-you-mean, or the list of what is allowed, to a message about an unknown name."""
    if known and suggest(name, known) is None:
        return f"{message}；可用的有：{'、'.join(known)}"
    return did_you_mean(message, name, known)
