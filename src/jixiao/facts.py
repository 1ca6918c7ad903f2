"""The facts file: everything the report states about one unit in one year.

The file is YAML with Chinese keys (the pydantic aliases below); every field is
documented in Chinese where it is declared, and `jixiao schema` prints the JSON
Schema built from these descriptions. Money is `Decimal` from the YAML text on.
"""

# No `from __future__ import annotations` here: pydantic would have to evaluate ~150 string
# annotations at import, which `jixiao render` pays on every run (see bench/run.py).
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal, NamedTuple, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, GetCoreSchemaHandler, model_validator
from pydantic_core import CoreSchema, core_schema

from jixiao.errors import FactsError, Problem, only_errors
from jixiao.validation import BLANK, BLANK_MESSAGE, validate_into
from jixiao.yamlsource import SourceMap, load_yaml

__all__ = ["BLANK", "Facts", "LoadedFacts", "load_facts"]

# Characters XML 1.0 (and so Word) cannot hold; a string containing one is refused at load time.
_NOT_IN_WORD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _word_safe(text: str) -> str:
    """Refuse text that Word cannot store, naming the offending character."""
    bad = _NOT_IN_WORD.search(text)
    if bad:
        raise ValueError(
            f"含有不可见的控制字符 U+{ord(bad.group()):04X}（第 {bad.start() + 1} 个字符），"
            "Word 无法保存；请删除它（常见于从其他文档复制粘贴）"
        )
    return text


def _filled(text: str) -> str:
    """Refuse the marker `jixiao init` leaves where a person still has to write something."""
    if text == BLANK:
        raise ValueError(BLANK_MESSAGE)
    return text


def _checked_text(text: str) -> str:
    """Refuse text Word cannot store, then the blank `jixiao init` leaves."""
    return _filled(_word_safe(text))


class PrebuiltSchema:
    """An annotation whose pydantic core schema is written out directly.

    Text, Money, Count and Score are used by about a hundred fields. Spelled with
    StringConstraints, Field constraints and validator markers, each use goes through
    pydantic's general annotation handling, a sizeable part of the import time every
    command pays. The schemas below are what that handling produced: validation, error
    types and the JSON Schema are the same.
    """

    def __init__(self, build: Callable[[], CoreSchema]):
        self._build = build

    def __get_pydantic_core_schema__(self, source: type, handler: GetCoreSchemaHandler) -> CoreSchema:
        return self._build()  # A fresh schema per field: pydantic may annotate what it is given.


Text = Annotated[
    str,
    PrebuiltSchema(
        lambda: core_schema.no_info_after_validator_function(
            _checked_text, core_schema.str_schema(strip_whitespace=True, min_length=1)
        )
    ),
]


# Factories written in Python: pydantic inspects each default_factory's signature, and for the
# builtins list and dict that means parsing their text signatures, slow enough to notice at import.
def empty_list() -> list:
    """Return an empty list (the default of optional lists)."""
    return []


def empty_dict() -> dict:
    """Return an empty mapping (the default of optional mappings)."""
    return {}


def _not_truth_value(value: object) -> object:
    """Refuse a YAML true/false where a number belongs (YAML reads yes/no/on/off as true/false)."""
    if isinstance(value, bool):
        raise ValueError("应为数字，不能是真假值（YAML 会把 yes、no、on、off、true、false 读成真假值）")
    return value


# Listed after the Field constraints, so they stay on the number and show in the JSON Schema.
Number = BeforeValidator(_not_truth_value)


def _number(schema: CoreSchema) -> CoreSchema:
    """Check for a truth value before the number's own validation (Number, prebuilt)."""
    return core_schema.no_info_before_validator_function(_not_truth_value, schema)


_CHINESE_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
DATE_MESSAGE = "应为日期，写作 2022-01-10 或 2022年1月10日"


def _date(value: object) -> date:
    """Read a date written as 2022-01-10 or 2022年1月10日 (YAML gives both as text); refuse anything else."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip() == BLANK:
        raise ValueError(BLANK_MESSAGE)
    found = (_ISO_DATE.match(value.strip()) or _CHINESE_DATE.match(value.strip())) if isinstance(value, str) else None
    if found is None:
        raise ValueError(DATE_MESSAGE)
    try:
        return date(*(int(part) for part in found.groups()))
    except ValueError:
        raise ValueError(f"没有这一天：{value}（{DATE_MESSAGE}）") from None


# A plain validator: pydantic's own date parsing would read 20220110 as seconds since 1970.
DateText = Annotated[
    date, PrebuiltSchema(lambda: core_schema.no_info_plain_validator_function(_date, json_schema_input_schema=core_schema.str_schema()))
]


Money = Annotated[Decimal, PrebuiltSchema(lambda: _number(core_schema.decimal_schema(ge=0, allow_inf_nan=False)))]
Count = Annotated[int, PrebuiltSchema(lambda: _number(core_schema.int_schema(ge=0)))]
Score = Money


def _chinese_only(schema: dict) -> None:
    """Drop a model's English docstring from its JSON Schema: editors show the Chinese title instead."""
    schema.pop("description", None)


class _Schema(BaseModel):
    """Base of every facts model: Chinese keys only, unknown keys refused."""

    # Numbers are accepted where text belongs (a title may be 2021), written exactly as entered.
    # defer_build: nested models are validated as part of Facts; building a validator for
    # each of them as well, at import, is work no command uses.
    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=False,
        frozen=True,
        coerce_numbers_to_str=True,
        json_schema_extra=_chinese_only,
        defer_build=True,
    )


class Unit(_Schema, title="被评价单位"):
    """The evaluated unit and the evaluation it belongs to."""

    full_name: Text = Field(alias="全称", description="单位全称，如「巨鹿县阎疃镇人民政府」；用于报告标题和文件名")
    short_name: Text = Field(alias="简称", description="单位简称，如「阎疃镇」；用于正文中的称呼")
    level: Literal["乡镇", "县直部门", "市直部门", "其他"] = Field(
        alias="层级", description="单位层级：乡镇、县直部门、市直部门或其他"
    )
    year: Annotated[int, Number] = Field(alias="年度", ge=1990, le=2100, description="评价年度（预算年度），如 2021")
    notice: Text | None = Field(
        None, alias="评价依据", description="本次评价依据的通知全名（含书名号），如「《巨鹿县财政局关于开展…的通知》」"
    )
    head: Text | None = Field(None, alias="负责人", description="单位负责人姓名（评分表表头）")


class Duties(_Schema, title="部门职责"):
    """The unit's duties as its 三定 plan states them."""

    items: list[Text] = Field(alias="职责", min_length=1, description="部门职责，按顺序逐条列出，每条一段（不写「一、」「二、」等编号，保留句末标点）")
    closing: Text | None = Field(
        None, alias="兜底职责", description="职责列表后的兜底条款，如「承办上级党委、人大、政府交办的其他事项。」"
    )


class Staffing(_Schema, title="人员情况"):
    """Head counts: people in post, the authorised establishment, and their splits."""

    in_post: Count = Field(alias="在职人员", description="在职人员总数（人），以部门决算口径为准")
    administrative: Count | None = Field(None, alias="行政人员", description="在职人员中的行政人员数")
    institutional: Count | None = Field(None, alias="事业人员", description="在职人员中的事业人员数")
    establishment: Count | None = Field(None, alias="编制数", description="机构编制部门核定的编制数（人）")
    administrative_establishment: Count | None = Field(None, alias="行政编制", description="编制数中的行政编制")
    institutional_establishment: Count | None = Field(None, alias="事业编制", description="编制数中的事业编制")
    retired: Count | None = Field(None, alias="离退休人员", description="离退休人员数")
    other: Count | None = Field(None, alias="其他人员", description="其他人员数（如临聘）")


class AnnualGoals(_Schema, title="年度整体绩效目标"):
    """The year's overall performance goal: a lead text and numbered items (①②…)."""

    lead: Text = Field(alias="总述", description="年度整体绩效目标的总述段落")
    items: list[Text] = Field(default_factory=empty_list, alias="分项", description="分项目标，报告中按 ①②③… 编号（不写编号，保留原文的句末标点）")


class Task(_Schema, title="工作任务"):
    """One area of work: a title and, usually, what it covers."""

    title: Text = Field(alias="标题", description="工作任务的标题，如「促进经济发展方面」（不写编号、冒号和句末句号）")
    text: Text | None = Field(None, alias="内容", description="该方面的具体工作内容（完整的句子，含句末标点）；只有标题的任务可不填")


class IncomeSource(_Schema, title="收入来源"):
    """One source of budgeted income."""

    name: Text = Field(alias="名称", description="收入来源，如「一般公共预算财政拨款收入」「基金预算收入」")
    amount: Money = Field(alias="金额", description="金额（单位见「金额单位」）")


class Income(_Schema, title="预算收入"):
    """Budgeted income: the total and its sources."""

    total: Money = Field(alias="合计", description="预算安排收入合计")
    sources: list[IncomeSource] = Field(default_factory=empty_list, alias="来源", description="按来源列出的收入，合计应等于「合计」")


class Expenditure(_Schema, title="预算支出"):
    """Budgeted expenditure: the total and its split."""

    total: Money = Field(alias="合计", description="预算安排支出合计")
    basic: Money | None = Field(None, alias="基本支出", description="基本支出；与项目支出之和应等于合计")
    project: Money | None = Field(None, alias="项目支出", description="项目支出")
    fund: Money | None = Field(None, alias="基金预算支出", description="政府性基金预算支出（单独列示，不计入基本支出与项目支出之和）")


class ThreeCosts(_Schema, title="一个年度的三公经费及会议费"):
    """The 三公经费 items (and 会议费) of one year."""

    abroad: Money = Field(alias="因公出国（境）费", description="因公出国（境）费")
    vehicles: Money = Field(alias="公务用车购置及运行维护费", description="公务用车购置及运行维护费")
    reception: Money = Field(alias="公务接待费", description="公务接待费")
    meetings: Money | None = Field(None, alias="会议费", description="会议费（不属于三公经费，单独列示）")

    @property
    def total(self) -> Decimal:
        """Return the 三公经费 total (会议费 is not one of the three)."""
        return self.abroad + self.vehicles + self.reception


class ThreeCostsYears(_Schema, title="三公经费（本年和上年）"):
    """三公经费 for this year and last year (last year's drives the 变动率 indicator)."""

    this_year: ThreeCosts = Field(alias="本年", description="本年度三公经费及会议费")
    last_year: ThreeCosts | None = Field(None, alias="上年", description="上年度三公经费及会议费；计算「三公经费变动率」需要")


class Budget(_Schema, title="预算资金安排及支出"):
    """Budget and spending figures as the report states them."""

    income: Income = Field(alias="收入", description="预算收入")
    expenditure: Expenditure = Field(alias="支出", description="预算支出")
    three_costs: ThreeCostsYears | None = Field(None, alias="三公经费", description="三公经费及会议费")
    carried_forward: Money | None = Field(None, alias="年末结转", description="年末需结转的资金")
    balance: Money | None = Field(None, alias="年末结余", description="决算年末结余的资金")


class Achievement(_Schema, title="主要成绩"):
    """One achievement of the year: a short title and what was done."""

    title: Text = Field(alias="标题", description="成绩标题，如「统筹协调全镇工作」（不含编号和句号）")
    text: Text = Field(alias="内容", description="具体内容（完整的句子，含句末标点）")


class Performance(_Schema, title="工作履行活动完成情况"):
    """What the unit achieved, and where it fell short (二（二）)."""

    lead: Text | None = Field(None, alias="开篇", description="成绩部分的开篇段落，如「一年来，……较好完成了年初预定的各项目标任务。」")
    achievements: list[Achievement] = Field(default_factory=empty_list, alias="主要成绩", description="主要成绩，按 1. 2. … 编号")
    weakness_lead: Text | None = Field(
        None, alias="薄弱环节引言", description="列出薄弱环节之前的一段话，如「……主要表现在：」"
    )
    weaknesses: list[Text] = Field(
        default_factory=empty_list, alias="薄弱环节", description="薄弱环节，报告中按「一是…；二是…」连成一句（每项不写「一是」等序号和句末标点）"
    )
    weakness_closing: Text | None = Field(None, alias="薄弱环节结语", description="薄弱环节之后的结语")


class Satisfaction(_Schema, title="服务对象满意程度"):
    """How satisfied the people served are (二（三）, and the 满意度 indicator)."""

    rate: Annotated[Decimal, Field(ge=0, le=100, allow_inf_nan=False), Number] | None = Field(
        None, alias="满意率", description="群众（服务对象）满意率，百分数（0–100），如 90 表示 90%"
    )
    grade: Literal["优秀", "良好", "合格", "不合格"] | None = Field(
        None, alias="等级", description="满意度调查结论：优秀、良好、合格或不合格；「服务对象满意度」指标按此评分"
    )
    text: Text | None = Field(None, alias="说明", description="满意度段落的文字；不填则按满意率生成标准表述")

    @model_validator(mode="after")
    def _rate_or_grade(self) -> Self:
        """Require at least one of 满意率 and 等级: the paragraph and the indicator need one."""
        if self.rate is None and self.grade is None:
            raise ValueError("「满意度」至少要填「满意率」或「等级」之一")
        return self


class Evaluation(_Schema, title="绩效评价的组织实施情况"):
    """How the evaluation was organised (三、绩效评价的组织实施情况)."""

    purposes: list[Text] = Field(
        default_factory=empty_list, alias="评价目的", description="评价目的（评价对象绩效目标），报告中按「一是…；二是…」连成一句（每项不写序号和句末标点）"
    )
    process: list[Text] = Field(
        default_factory=empty_list, alias="工作过程", description="绩效评价工作过程，报告中按「一是…。二是…。」编排（每项不写序号和句末标点）"
    )


class Reason(_Schema, title="差异原因"):
    """One reason for a variance between goals and results (四)."""

    title: Text = Field(alias="标题", description="原因概括，如「预算调整率较高」（不写序号和句末句号）")
    text: Text | None = Field(None, alias="内容", description="具体说明（完整的句子，含句末标点）；只有概括的原因可不填")


class Remedy(_Schema, title="改进措施"):
    """One corrective measure or suggestion (六)."""

    title: Text = Field(alias="标题", description="措施标题（一句话，不写编号和句末句号），如「科学合理编制部门预算，推进预算编制科学化、准确化」")
    text: Text | None = Field(None, alias="内容", description="具体做法（完整的句子，含句末标点）；只有标题的措施可不填")


class Assessment(_Schema, title="评定得分"):
    """A score given by the evaluator for an indicator scored by judgement."""

    score: Score = Field(alias="得分", description="评定得分")
    reason: Text = Field(alias="理由", description="评定理由：说明得分和扣分的依据")


def _checklist_answer(value: object) -> str | list[int]:
    """Accept 「全部符合」「全部不符合」 or a list of the met points' numbers (1-based)."""
    if value in ("全部符合", "全部不符合"):
        return value  # type: ignore[return-value]
    if isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in value):
        return value
    raise ValueError("应为「全部符合」「全部不符合」，或符合的评价要点序号列表（从 1 起），如 [1, 2]")


ChecklistAnswer = Annotated[str | list[int], BeforeValidator(_checklist_answer)]


class ScoringInputs(_Schema, title="评分数据"):
    """The raw figures the scoring table's indicators read (评分数据)."""

    key_project_spending: Money | None = Field(None, alias="重点项目支出", description="重点项目支出（金额）")
    project_spending: Money | None = Field(None, alias="项目总支出", description="项目总支出；不填则取「预算 › 支出 › 项目支出」")
    budget: Money | None = Field(None, alias="预算数", description="预算数（预算完成率、预算调整率的分母）")
    budget_completed: Money | None = Field(None, alias="预算完成数", description="预算完成数")
    budget_adjusted: Money | None = Field(None, alias="预算调整数", description="预算调整数（追加、追减的绝对值合计）")
    payments: Money | None = Field(None, alias="年度支付数", description="年度支付数")
    payment_target: Money | None = Field(None, alias="年度任务数", description="年度支付任务数")
    spending_budget: Money | None = Field(None, alias="支出预算数", description="支出预算数；不填则取「预算 › 支出 › 合计」")
    carry_over: Money | None = Field(
        None, alias="结转结余总额", description="结转结余总额；不填则取「预算 › 年末结转」与「年末结余」之和"
    )
    public_budget: Money | None = Field(None, alias="公用经费预算数", description="预算安排的公用经费总额")
    public_actual: Money | None = Field(None, alias="公用经费实际数", description="实际支出的公用经费总额")
    procurement_planned: Count | None = Field(None, alias="政府采购预算项目数", description="政府采购预算项目个数")
    procurement_done: Count | None = Field(None, alias="实际政府采购项目数", description="实际政府采购预算项目个数")
    assets_total: Money | None = Field(None, alias="固定资产总额", description="所有固定资产总额")
    assets_in_use: Money | None = Field(None, alias="在用固定资产总额", description="实际在用固定资产总额")
    projects_completed: Count | None = Field(None, alias="已完成项目数", description="已完成项目个数")
    projects_qualified: Count | None = Field(None, alias="质量达标项目数", description="已完成项目中质量达标（决算验收合格）的个数")
    checklists: dict[Text, ChecklistAnswer] = Field(
        default_factory=empty_dict,
        alias="评价要点",
        description="按评价要点评分的指标：指标名称 → 「全部符合」「全部不符合」或符合的要点序号列表，如 [1, 2]",
    )
    assessments: dict[Text, Assessment] = Field(
        default_factory=empty_dict, alias="评定", description="由评价人员评定得分的指标：指标名称 → 得分和理由"
    )
    measures: dict[Text, Annotated[Decimal, Field(allow_inf_nan=False), Number]] = Field(
        default_factory=empty_dict, alias="测算值", description="直接给出的测算值（百分数，如 93 表示 93%），优先于按公式计算"
    )


class Facts(_Schema, title="部门整体支出绩效评价事实数据"):
    """One unit's facts for one year: the whole content of a facts file."""

    money_unit: Literal["元", "万元"] = Field(alias="金额单位", description="本文件所有金额的单位：元或万元")
    unit: Unit = Field(alias="单位", description="被评价单位和评价年度")
    duties: Duties = Field(alias="部门职责", description="部门主要职责")
    organisations: list[Text] = Field(default_factory=empty_list, alias="内设机构", description="内设机构（组织架构），逐个列出；报告中用顿号连接")
    staffing: Staffing = Field(alias="人员情况", description="人员情况")
    mission: Text | None = Field(None, alias="履职总体目标", description="部门履职总体目标")
    goals: AnnualGoals | None = Field(None, alias="年度绩效目标", description="年度整体绩效目标")
    tasks: list[Task] = Field(default_factory=empty_list, alias="工作任务", description="工作任务，按 1、2、… 编号")
    budget: Budget = Field(alias="预算", description="预算资金安排及资金支出情况")
    management: Text | None = Field(
        None, alias="预算绩效管理", description="部门开展预算绩效管理情况的段落；不写「通过认真自评，本单位自评得分…分。」一句，程序按计算结果补上"
    )
    performance: Performance | None = Field(None, alias="履职成效", description="工作履行活动完成情况")
    satisfaction: Satisfaction | None = Field(None, alias="满意度", description="服务对象满意程度")
    evaluation: Evaluation | None = Field(None, alias="评价组织", description="绩效评价的组织实施情况")
    reasons: list[Reason] = Field(
        default_factory=empty_list, alias="差异原因", description="绩效目标实现程度的差异原因；不填则按扣分指标生成"
    )
    problems: list[Text] = Field(default_factory=empty_list, alias="存在问题", description="存在的问题，报告中按（一）（二）编号，每条一段（不写编号，保留句末标点）")
    remedies: list[Remedy] = Field(default_factory=empty_list, alias="改进措施", description="纠偏措施及改进建议")
    scoring: ScoringInputs = Field(
        default_factory=ScoringInputs, alias="评分数据", description="评分表各指标所需的原始数据"
    )
    declared_scores: dict[Text, Score] = Field(
        default_factory=empty_dict, alias="自评得分", description="已公布的自评得分：三级指标名称 → 得分；用于与计算结果核对"
    )
    declared_total: Score | None = Field(
        None, alias="自评总分", description="已公布的自评总分（评分表表头）；用于与计算出的总分核对"
    )
    report_date: DateText | None = Field(
        None, alias="成文日期", description="落款署名下的成文日期，写作 2022-01-10 或 2022年1月10日；不写则落款只有署名"
    )


class LoadedFacts(NamedTuple):
    """A validated facts file with where its values came from and any warnings raised reading it."""

    facts: Facts
    source: SourceMap
    warnings: list[Problem]


def load_facts(path: Path | str) -> LoadedFacts:
    """Load and validate a facts file; raise FactsError listing every problem found."""
    loaded = load_yaml(path)
    problems = list(loaded.problems)
    facts = None
    # A parsed document is validated even after duplicate keys, so one run reports everything.
    if loaded.data is not None:
        facts, schema_problems = validate_into(Facts, loaded.data, loaded.source)
        problems.extend(schema_problems)
    if facts is None or only_errors(problems):
        raise FactsError(problems)
    return LoadedFacts(facts=facts, source=loaded.source, warnings=problems)
