"""The facts file: everything the report states about one unit in one year.

The file is YAML with Chinese keys (the pydantic aliases below); every field is
documented in Chinese where it is declared, and `jixiao schema` prints the JSON
Schema built from these descriptions. Money is `Decimal` from the YAML text on.
"""

# The classes are records (jixiao.records): plain classes a render validates into without
# importing pydantic. Their annotations stay text until a pydantic model is declared from them.
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple, Self

from jixiao.errors import FactsError, Problem, only_errors
from jixiao.records import After, Before, Field, PrebuiltSchema, Record, TaggedUnion, after_validation
from jixiao.validation import BLANK, BLANK_MESSAGE, validate_into
from jixiao.yamlsource import Loaded, SourceMap, load_yaml, quoted_number_problem

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


Text = Annotated[
    str,
    PrebuiltSchema(
        lambda schemas: schemas.no_info_after_validator_function(
            _checked_text, schemas.str_schema(strip_whitespace=True, min_length=1)
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
    out_of_range = quoted_number_problem(value)
    if out_of_range:  # A number in quotes is text to YAML, so yamlsource has not checked its range.
        raise ValueError(out_of_range)
    return value


# Listed after the Field constraints, so they stay on the number and show in the JSON Schema.
Number = Before(_not_truth_value)


def _number(schemas: Any, schema: dict) -> dict:
    """Check for a truth value before the number's own validation (Number, prebuilt)."""
    return schemas.no_info_before_validator_function(_not_truth_value, schema)


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
    date, PrebuiltSchema(lambda schemas: schemas.no_info_plain_validator_function(_date, json_schema_input_schema=schemas.str_schema()))
]


Money = Annotated[Decimal, PrebuiltSchema(lambda schemas: _number(schemas, schemas.decimal_schema(ge=0, allow_inf_nan=False)))]
Count = Annotated[int, PrebuiltSchema(lambda schemas: _number(schemas, schemas.int_schema(ge=0)))]
Score = Money
# A figure of any sign, and a percentage (0–100).
Figure = Annotated[Decimal, PrebuiltSchema(lambda schemas: _number(schemas, schemas.decimal_schema(allow_inf_nan=False)))]
Percent = Annotated[
    Decimal, PrebuiltSchema(lambda schemas: _number(schemas, schemas.decimal_schema(ge=0, le=100, allow_inf_nan=False)))
]


class _Schema(Record):
    """Base of every facts record: Chinese keys only, unknown keys refused (recordschema.RecordModel)."""


class Unit(_Schema, title="被评价单位"):
    """The evaluated unit and the evaluation it belongs to."""

    full_name: Text = Field(alias="全称", description="单位全称，如「巨鹿县阎疃镇人民政府」；用于报告标题和文件名", examples=["巨鹿县阎疃镇人民政府"])
    short_name: Text = Field(alias="简称", description="单位简称，如「阎疃镇」；用于正文中的称呼", examples=["阎疃镇"])
    level: Literal["乡镇", "街道", "区直部门", "县直部门", "市直部门", "其他"] = Field(
        alias="层级", description="单位层级：乡镇、街道、区直部门、县直部门、市直部门或其他", examples=["乡镇"]
    )
    year: Annotated[int, Number] = Field(alias="年度", ge=1990, le=2100, description="评价年度（预算年度），如 2021", examples=[2021])
    notice: Text | None = Field(
        None, alias="评价依据", examples=['《巨鹿县财政局关于开展2021年度县级项目支出绩效自评和部门整体支出绩效自评工作的通知》'], description="本次评价依据的通知全名（含书名号），如「《巨鹿县财政局关于开展…的通知》」"
    )
    head: Text | None = Field(None, alias="负责人", description="单位负责人姓名（评分表表头）", examples=["张三"])
    intro: Text | None = Field(
        None,
        alias="简介",
        examples=["巨鹿县城市管理综合行政执法局是县政府工作部门，为正科级。"],
        description="单位自己的介绍语（一句或一段，照部门决算说明或三定方案的原文），如「巨鹿县城市管理综合行政执法局是县政府工作部门，为正科级。」",
    )


class Duties(_Schema, title="部门职责"):
    """The unit's duties as its 三定 plan states them."""

    items: list[Text] = Field(alias="职责", examples=[['宣传贯彻执行党的路线方针政策和党中央、上级党组织的决议。']], min_length=1, description="部门职责，按顺序逐条列出，每条一段（不写「一、」「二、」等编号，保留句末标点）")
    closing: Text | None = Field(
        None, alias="兜底职责", examples=['承办上级党委、人大、政府交办的其他事项。'], description="职责列表后的兜底条款，如「承办上级党委、人大、政府交办的其他事项。」"
    )


def _tag_by_shape(value: object) -> str:
    """Name the branch a value takes: a mapping (or a model, when dumping) is the detailed form, anything else the plain one."""
    return "dict" if isinstance(value, dict | Record) else "str"


class Body(_Schema, title="内设机构"):
    """One internal body (内设机构) with its kind, as the 三定 plan names it."""

    name: Text = Field(alias="名称", description="机构名称", examples=["党政综合办公室"])
    kind: Text | None = Field(
        None, alias="类别", description="机构类别，如「行政机构」「事业单位」「职能办公室」", examples=["职能办公室"]
    )

    def __str__(self) -> str:
        return self.name


# A body is written as its name alone (jixiao 0.2) or as 名称 and 类别; the tags name pydantic's
# internal location steps, so messages place errors at the item itself (see validation._INTERNAL_STEP).
BodyEntry = Annotated[Text | Body, TaggedUnion(_tag_by_shape, str=Text, dict=Body)]

PEOPLE_GROUPS = "离退休人员、分流人员、临聘人员、协管员、公司聘用人员"


class PeopleGroup(_Schema, title="其他人员类别"):
    """A group of people the unit names beside its staff in post: 分流, 临聘, 协管员, 公司聘用 …"""

    name: Text = Field(alias="名称", description=f"人员类别的名称，照单位的说法写，如{PEOPLE_GROUPS}", examples=["分流人员"])
    count: Count = Field(alias="人数", description="该类人员人数（人）", examples=[49])
    in_post: bool = Field(
        False,
        alias="计入在职人员",
        description="这些人是否已计入「在职人员」：true 表示已包含在在职人员数内，false（默认）表示不在其内",
        examples=[False],
    )


class StaffingLines(_Schema, title="人员情况（一个单位）"):
    """Head counts as the 基本数字表 states them: 编制数 with its split, 在职 with its split, the other groups."""

    establishment: Count | None = Field(None, alias="编制数", description="机构编制部门核定的编制数（人）", examples=[75])
    administrative_establishment: Count | None = Field(None, alias="行政编制", description="编制数中的行政编制", examples=[32])
    institutional_establishment: Count | None = Field(None, alias="事业编制", description="编制数中的事业编制", examples=[43])
    worker_establishment: Count | None = Field(None, alias="工勤编制", description="编制数中的工勤编制（机关工勤人员编制）", examples=[0])
    other_establishment: dict[Text, Count] = Field(
        default_factory=empty_dict,
        alias="其他编制",
        description="编制数中其他名目的编制：名称 → 人数，如「政法专项编制: 3」",
        examples=[{"政法专项编制": 3}],
    )
    in_post: Count = Field(alias="在职人员", description="在职人员总数（实有人数，人），以部门决算口径为准", examples=[75])
    administrative: Count | None = Field(None, alias="行政人员", description="在职人员中的行政人员数", examples=[30])
    civil_service_managed: Count | None = Field(
        None, alias="参照公务员法管理人员", description="在职人员中参照公务员法管理的事业人员数（参公人员）", examples=[2]
    )
    institutional: Count | None = Field(None, alias="事业人员", description="在职人员中的事业人员数（不含参公人员）", examples=[43])
    workers: Count | None = Field(None, alias="工勤人员", description="在职人员中的机关工勤人员数", examples=[0])
    retired: Count | None = Field(None, alias="离退休人员", description="离退休人员数（离休与退休之和）", examples=[70])
    retired_cadres: Count | None = Field(None, alias="离休人员", description="离退休人员中的离休人员数", examples=[0])
    retirees: Count | None = Field(None, alias="退休人员", description="离退休人员中的退休人员数", examples=[70])
    other: Count | None = Field(None, alias="其他人员", description="其他人员数（不分类别时填写，如临聘）", examples=[5])
    groups: list[PeopleGroup] = Field(
        default_factory=empty_list,
        alias="其他人员类别", examples=[[{'名称': '分流人员', '人数': 49, '计入在职人员': False}]],
        description=f"在职人员以外（或已计入在职人员）的各类人员，每类写名称、人数和是否计入在职人员，如{PEOPLE_GROUPS}",
    )


class _SubUnitName(_Schema, title="下属单位"):
    """The fields that name a 下属单位 (listed first in files and forms)."""

    name: Text = Field(alias="名称", description="下属单位（或本级）的名称，如「局本级」「环卫处」", examples=["环卫处"])


class SubUnitStaffing(StaffingLines, _SubUnitName, title="下属单位的人员情况"):
    """A sub-unit's own staffing lines (e.g. 局本级, 环卫处)."""



class Staffing(StaffingLines, title="人员情况"):
    """The unit's staffing (its total when it has sub-units), and each sub-unit's own lines."""

    sub_units: list[SubUnitStaffing] = Field(
        default_factory=empty_list,
        alias="下属单位", examples=[[{'名称': '环卫处', '编制数': 56, '事业编制': 56, '在职人员': 52, '事业人员': 52}]],
        description="有下属单位（或本级与二级单位）分列人数时逐个列出；上面各项为全单位合计",
    )

    @property
    def counted_in_post(self) -> int:
        """People of the named groups that the unit counts in 在职人员."""
        return sum(group.count for group in self.groups if group.in_post)


class AnnualGoals(_Schema, title="年度整体绩效目标"):
    """The year's overall performance goal: a lead text and numbered items (①②…)."""

    lead: Text = Field(alias="总述", examples=['全面贯彻落实党的十九大以及中央和省、市经济工作会议精神，……'], description="年度整体绩效目标的总述段落")
    items: list[Text] = Field(default_factory=empty_list, alias="分项", examples=[['执行本级人大的决议和上级的决定和命令，发布决定和命令。']], description="分项目标，报告中按 ①②③… 编号（不写编号，保留原文的句末标点）")


class Task(_Schema, title="工作任务"):
    """One area of work: a title and, usually, what it covers."""

    title: Text = Field(alias="标题", examples=['促进经济发展方面'], description="工作任务的标题，如「促进经济发展方面」（不写编号、冒号和句末句号）")
    text: Text | None = Field(None, alias="内容", examples=['制定本乡镇产业发展规划，指导产业结构调整……'], description="该方面的具体工作内容（完整的句子，含句末标点）；只有标题的任务可不填")


class Columns(_Schema, title="金额（年初预算数、全年预算数、决算数）"):
    """One line of the 部门决算 tables in its columns.

    `initial` is 年初预算数 (the budget passed at the start of the year), `adjusted` 全年预算数
    (after 追加/追减), `final` 决算数 (the final accounts). Each is optional: fill in those the
    unit's tables give.
    """

    initial: Money | None = Field(None, alias="年初预算数", description="年初预算数（人大批准的年初部门预算）", examples=[1104.784985])
    adjusted: Money | None = Field(
        None, alias="全年预算数", description="全年预算数（年初预算加追加、减追减后的调整预算数）", examples=[1128.653175]
    )
    final: Money | None = Field(None, alias="决算数", description="决算数（部门决算表中的本年实际数）", examples=[1120.5])

    @property
    def budgeted(self) -> Decimal | None:
        """The budget as arranged: 全年预算数, or 年初预算数 when the adjusted one is not given."""
        return self.adjusted if self.adjusted is not None else self.initial

    @property
    def stated(self) -> Decimal | None:
        """The amount a one-number sentence prints (预算安排): 年初预算数, else 全年预算数, else 决算数."""
        return next((value for value in (self.initial, self.adjusted, self.final) if value is not None), None)


COLUMNS = ("年初预算数", "全年预算数", "决算数")


def column_value(line: Columns | None, column: str) -> Decimal | None:
    """Read one column (年初预算数, 全年预算数 or 决算数) of a line that may be absent."""
    if line is None:
        return None
    return {"年初预算数": line.initial, "全年预算数": line.adjusted, "决算数": line.final}[column]


class Line(Columns, title="金额（含上年）"):
    """A line in its columns, with last year's columns where known."""

    last_year: Columns | None = Field(None, alias="上年", examples=[{'年初预算数': 1400, '决算数': 1650.3}], description="上年的年初预算数、全年预算数、决算数（知道几项填几项）")


def _columns_from_number(value: Decimal | Line) -> Line:
    """Read a single amount (the jixiao 0.2 layout, 预算安排) as the line's 年初预算数."""
    return value if isinstance(value, Line) else Line.model_construct(initial=value)


# A line is a mapping of columns, or (as jixiao 0.2 wrote it) one amount, read as 年初预算数.
# The tags are pydantic's internal location steps, dropped from messages (validation._INTERNAL_STEP).
AmountLine = Annotated[Money | Line, TaggedUnion(_tag_by_shape, str=Money, dict=Line), After(_columns_from_number)]

INCOME_KINDS = ("财政拨款", "政府性基金", "国有资本经营预算", "纳入专户管理的非税收入", "上级补助收入", "事业收入", "其他收入", "上年结转", "上年结余")
# Money brought from earlier years, kept apart from this year's income (决算 收入支出决算总表: 年初结转和结余).
CARRIED_IN = ("上年结转", "上年结余")
IncomeKind = Literal["财政拨款", "政府性基金", "国有资本经营预算", "纳入专户管理的非税收入", "上级补助收入", "事业收入", "其他收入", "上年结转", "上年结余"]


class _SourceName(_Schema, title="收入来源"):
    """The fields that name a 收入来源 (listed first in files and forms)."""

    name: Text = Field(alias="名称", description="收入来源，照决算表的行名，如「一般公共预算财政拨款收入」「年初结转和结余」", examples=["一般公共预算财政拨款收入"])
    kind: IncomeKind | None = Field(
        None,
        alias="类别",
        description="收入类别：" + "、".join(INCOME_KINDS) + "；「上年结转」「上年结余」不计入本年收入合计",
        examples=["财政拨款"],
    )


class IncomeSource(Line, _SourceName, title="收入来源"):
    """One source of income, in the columns of the 收入决算表."""

    given_amount: Money | None = Field(
        None, alias="金额", description="只有一个金额时填写（预算安排数，jixiao 0.2 的写法）；分栏时改填年初预算数等", examples=[1013.304904]
    )

    @property
    def amount(self) -> Decimal | None:
        """The amount the report prints: 金额, else the line's stated column."""
        return self.given_amount if self.given_amount is not None else self.stated

    @property
    def carried_in(self) -> bool:
        """Tell whether this is money brought from earlier years (上年结转 / 上年结余)."""
        return self.kind in CARRIED_IN


class Income(_Schema, title="收入"):
    """Income: the total of this year's income and its sources (carried-over money kept apart)."""

    total_line: AmountLine = Field(
        alias="合计", examples=[{'年初预算数': 1500, '全年预算数': 1820.5, '决算数': 1790.2}], description="本年收入合计（不含上年结转和结余）：分栏写年初预算数、全年预算数、决算数，或只写一个金额（预算安排数）"
    )
    sources: list[IncomeSource] = Field(default_factory=empty_list, alias="来源", examples=[[{'名称': '一般公共预算财政拨款收入', '类别': '财政拨款', '年初预算数': 1400, '决算数': 1690.2}]], description="按来源列出的收入；本年各来源之和应等于「合计」")

    @property
    def total(self) -> Decimal:
        """The income the report states (预算安排收入)."""
        return self.total_line.stated or Decimal(0)

    @property
    def carried_in_total(self) -> Decimal | None:
        """上年结转和结余 brought into the year (年初结转和结余): the carried-in sources added; None when none is given."""
        amounts = [source.amount for source in self.sources if source.carried_in and source.amount is not None]
        return sum(amounts, Decimal(0)) if amounts else None


class _LineName(_Schema, title="明细"):
    """The fields that name a 明细 (listed first in files and forms)."""

    name: Text = Field(alias="名称", description="支出经济分类的名称，如「工资福利支出」「商品和服务支出」", examples=["商品和服务支出"])


class NamedLine(Line, _LineName, title="明细金额"):
    """A named line with its columns (an economic-type line, e.g. 工资福利支出)."""



class Expenditure(_Schema, title="支出"):
    """Spending in columns: the total, by function (基本/项目) and by economic type (人员/公用经费)."""

    total_line: AmountLine = Field(alias="合计", examples=[{'年初预算数': 1500, '全年预算数': 1820.5, '决算数': 1780}], description="本年支出合计：分栏写年初预算数、全年预算数、决算数，或只写一个金额（预算安排数）")
    basic_line: AmountLine | None = Field(None, alias="基本支出", examples=[{'年初预算数': 900, '全年预算数': 950, '决算数': 940}], description="基本支出；与项目支出之和应等于合计")
    project_line: AmountLine | None = Field(None, alias="项目支出", examples=[{'年初预算数': 600, '全年预算数': 870.5, '决算数': 840}], description="项目支出")
    fund_line: AmountLine | None = Field(
        None, alias="基金预算支出", examples=[{'年初预算数': 137.26}], description="政府性基金预算支出（单独列示，不计入基本支出与项目支出之和）"
    )
    personnel: Line | None = Field(None, alias="人员经费", examples=[{'年初预算数': 800, '决算数': 825}], description="人员经费（基本支出中的工资福利支出和对个人和家庭的补助）")
    public: Line | None = Field(None, alias="公用经费", examples=[{'年初预算数': 100, '全年预算数': 120, '决算数': 115}], description="公用经费（基本支出中的商品和服务支出等）")
    economic: list[NamedLine] = Field(
        default_factory=empty_list, alias="经济分类", examples=[[{'名称': '商品和服务支出', '决算数': 115}]], description="按支出经济分类的明细（可选），如工资福利支出、商品和服务支出、对个人和家庭的补助、资本性支出"
    )

    @property
    def total(self) -> Decimal:
        """The spending the report states (预算安排支出)."""
        return self.total_line.stated or Decimal(0)

    @property
    def basic(self) -> Decimal | None:
        """基本支出 as stated."""
        return self.basic_line.stated if self.basic_line is not None else None

    @property
    def project(self) -> Decimal | None:
        """项目支出 as stated."""
        return self.project_line.stated if self.project_line is not None else None

    @property
    def fund(self) -> Decimal | None:
        """基金预算支出 as stated."""
        return self.fund_line.stated if self.fund_line is not None else None


class _ProjectName(_Schema, title="项目"):
    """The fields that name a 项目 (listed first in files and forms)."""

    name: Text = Field(alias="名称", description="项目名称", examples=["农村人居环境整治"])


class Project(Columns, _ProjectName, title="项目"):
    """One project of 项目支出: its budget and final amount, and whether it is a 重点项目."""

    key: bool = Field(False, alias="重点项目", description="是否重点项目（true 或 false，默认 false）；用于重点支出安排率", examples=[True])


class Adjustment(_Schema, title="预算调整"):
    """In-year budget changes: added (追加) and cut (追减) amounts."""

    added: Money | None = Field(None, alias="追加", description="年度中追加的预算金额", examples=[37.621773])
    cut: Money | None = Field(None, alias="追减", description="年度中追减的预算金额（写正数）", examples=[0])
    note: Text | None = Field(None, alias="说明", description="调整的原因", examples=["上级交办任务追加预算"])

    @property
    def total(self) -> Decimal:
        """The 预算调整数: 追加 and 追减 added as absolute amounts."""
        return (self.added or Decimal(0)) + (self.cut or Decimal(0))


class CostItems(_Schema, title="三公经费各项"):
    """The 三公经费 items (and 会议费, 培训费, 机关运行经费) of one column.

    `vehicles` is the combined 公务用车购置及运行维护费; `vehicle_purchase` and
    `vehicle_running` hold it apart where the unit gives it apart. `published_total` is
    the 合计 as printed; `total` adds the parts.
    """

    published_total: Money | None = Field(None, alias="合计", description="公布的三公经费合计（照表填写）；与各项之和不一致时 check 警告，报告印公布数，评分用各项之和", examples=[24.86])
    abroad: Money | None = Field(None, alias="因公出国（境）费", description="因公出国（境）费", examples=[0])
    vehicles: Money | None = Field(
        None, alias="公务用车购置及运行维护费", description="公务用车购置及运行维护费（不分列时填写）", examples=[3.5]
    )
    vehicle_purchase: Money | None = Field(None, alias="公务用车购置费", description="公务用车购置费（分列时填写）", examples=[0])
    vehicle_running: Money | None = Field(None, alias="公务用车运行维护费", description="公务用车运行维护费（分列时填写）", examples=[20.1])
    reception: Money | None = Field(None, alias="公务接待费", description="公务接待费", examples=[4.68])
    meetings: Money | None = Field(None, alias="会议费", description="会议费（不属于三公经费，单独列示）", examples=[0])
    training: Money | None = Field(None, alias="培训费", description="培训费（不属于三公经费，单独列示）", examples=[1.2])
    running_costs: Money | None = Field(
        None, alias="机关运行经费", description="机关运行经费（不属于三公经费，单独列示；照财决附03表「机关运行经费」行）", examples=[35.6]
    )

    @property
    def vehicles_total(self) -> Decimal | None:
        """公务用车购置及运行维护费: the combined line, or 购置费 plus 运行维护费."""
        if self.vehicles is not None:
            return self.vehicles
        parts = [v for v in (self.vehicle_purchase, self.vehicle_running) if v is not None]
        return sum(parts, Decimal(0)) if parts else None

    @property
    def parts(self) -> list[Decimal]:
        """The three costs' amounts that are given."""
        return [v for v in (self.abroad, self.vehicles_total, self.reception) if v is not None]

    @property
    def given(self) -> bool:
        """Tell whether any of the three costs, or the total, is given."""
        return bool(self.parts) or self.published_total is not None

    @property
    def total(self) -> Decimal:
        """The 三公经费 total added from its parts (会议费 and 培训费 are not among the three)."""
        return sum(self.parts, Decimal(0)) if self.parts else (self.published_total or Decimal(0))

    @property
    def printed_total(self) -> Decimal:
        """The total the report prints: the published 合计 when given."""
        return self.published_total if self.published_total is not None else self.total


class ThreeCosts(CostItems, title="一个年度的三公经费及会议费"):
    """The 三公经费 of one year: 预算数 and 决算数 columns, or (jixiao 0.2) the items directly; the year-end vehicle counts."""

    budget: CostItems | None = Field(None, alias="预算数", examples=[{'合计': 26.0, '因公出国（境）费': 0, '公务用车购置费': 0, '公务用车运行维护费': 18.0, '公务接待费': 8.0}], description="三公经费预算数（照「三公」经费支出决算表的预算数栏）")
    final: CostItems | None = Field(None, alias="决算数", examples=[{'合计': 24.86, '因公出国（境）费': 0, '公务用车购置费': 0, '公务用车运行维护费': 18.9, '公务接待费': 5.88}], description="三公经费决算数（照「三公」经费支出决算表的决算数栏）")
    vehicles_held: Count | None = Field(
        None, alias="公务用车保有量", description="年末公务用车保有量（辆），照财决附03表「公务用车保有量」或「年末实有车辆数」", examples=[2]
    )
    vehicles_bought: Count | None = Field(None, alias="公务用车购置数", description="本年购置的公务用车数（辆），表中列出时填写", examples=[0])

    @after_validation
    def _some_amount(self) -> Self:
        """Require the items, or at least one of 预算数 and 决算数."""
        if not self.given and self.budget is None and self.final is None:
            raise ValueError("三公经费应写「预算数」「决算数」两栏（或其一），或直接写各项金额")
        return self

    @property
    def stated(self) -> CostItems:
        """The items the report prints: written directly, else 决算数, else 预算数."""
        if self.given:
            return self
        return self.final or self.budget or self

    @property
    def for_scoring(self) -> CostItems:
        """The items the 变动率 reads: 预算数 when given (the scoring table defines it on budgets), else as stated."""
        return self.budget if self.budget is not None and self.budget.given else self.stated


class ThreeCostsYears(_Schema, title="三公经费（本年和上年）"):
    """三公经费 for this year and last year (last year's drives the 变动率 indicator)."""

    this_year: ThreeCosts = Field(alias="本年", examples=[{'决算数': {'因公出国（境）费': 0, '公务用车购置及运行维护费': 3.5, '公务接待费': 0}}], description="本年度三公经费及会议费")
    last_year: ThreeCosts | None = Field(None, alias="上年", examples=[{'预算数': {'因公出国（境）费': 0, '公务用车购置及运行维护费': 4.0, '公务接待费': 0.2}}], description="上年度三公经费及会议费；计算「三公经费变动率」需要")


class Budget(_Schema, title="预算资金安排及支出"):
    """Budget and final accounts as the unit's 部门预算 and 部门决算 tables state them."""

    income: Income = Field(alias="收入", examples=[{'合计': {'年初预算数': 1104.784985}}], description="收入（照收入决算表）")
    expenditure: Expenditure = Field(alias="支出", examples=[{'合计': {'年初预算数': 1128.653175}}], description="支出（照支出决算表：按功能分基本支出、项目支出，按经济分类分人员经费、公用经费）")
    projects: list[Project] = Field(default_factory=empty_list, alias="项目", examples=[[{'名称': '农村人居环境整治', '全年预算数': 500, '决算数': 480, '重点项目': True}]], description="项目支出的各个项目（可选）：名称、预算、决算、是否重点项目")
    adjustment: Adjustment | None = Field(None, alias="预算调整", examples=[{'追加': 37.621773, '追减': 0}], description="年度中的预算调整：追加、追减")
    three_costs: ThreeCostsYears | None = Field(None, alias="三公经费", examples=[{'本年': {'预算数': {'因公出国（境）费': 0, '公务用车运行维护费': 12, '公务接待费': 3}}}], description="三公经费及会议费、培训费")
    carried_forward: Money | None = Field(None, alias="年末结转", description="年末需结转的资金（决算 年末结转和结余 中的结转）", examples=[0])
    balance: Money | None = Field(None, alias="年末结余", description="决算年末结余的资金", examples=[0])


class Achievement(_Schema, title="主要成绩"):
    """One achievement of the year: a short title and what was done."""

    title: Text = Field(alias="标题", examples=['统筹协调全镇工作'], description="成绩标题，如「统筹协调全镇工作」（不含编号和句号）")
    text: Text = Field(alias="内容", examples=['充分发挥镇党委总揽全局、协调各部门的作用，……形成了心齐、气顺、劲足的干事创业氛围。'], description="具体内容（完整的句子，含句末标点）")


class Performance(_Schema, title="工作履行活动完成情况"):
    """What the unit achieved, and where it fell short (二（二）)."""

    lead: Text | None = Field(None, alias="开篇", examples=['一年来，阎疃镇充分发挥镇党委的领导核心作用，较好完成了年初预定的各项目标任务。'], description="成绩部分的开篇段落，如「一年来，……较好完成了年初预定的各项目标任务。」")
    achievements: list[Achievement] = Field(default_factory=empty_list, alias="主要成绩", examples=[[{'标题': '统筹协调全镇工作', '内容': '……'}]], description="主要成绩，按 1. 2. … 编号")
    weakness_lead: Text | None = Field(
        None, alias="薄弱环节引言", examples=['……主要表现在：'], description="列出薄弱环节之前的一段话，如「……主要表现在：」"
    )
    weaknesses: list[Text] = Field(
        default_factory=empty_list, alias="薄弱环节", examples=[['少数党员干部的思想观念落后，创新意识不强']], description="薄弱环节，报告中按「一是…；二是…」连成一句（每项不写「一是」等序号和句末标点）"
    )
    weakness_closing: Text | None = Field(None, alias="薄弱环节结语", examples=['对于上述存在的问题，我镇将在以后工作中加以解决。'], description="薄弱环节之后的结语")


class Satisfaction(_Schema, title="服务对象满意程度"):
    """How satisfied the people served are (二（三）, and the 满意度 indicator)."""

    rate: Percent | None = Field(
        None, alias="满意率", examples=[90], description="群众（服务对象）满意率，百分数（0–100），如 90 表示 90%"
    )
    grade: Literal["优秀", "良好", "合格", "不合格"] | None = Field(
        None, alias="等级", examples=['优秀'], description="满意度调查结论：优秀、良好、合格或不合格；「服务对象满意度」指标按此评分"
    )
    text: Text | None = Field(None, alias="说明", examples=['达到了90%以上的群众满意度。'], description="满意度段落的文字；不填则按满意率生成标准表述")

    @after_validation
    def _rate_or_grade(self) -> Self:
        """Require at least one of 满意率 and 等级: the paragraph and the indicator need one."""
        if self.rate is None and self.grade is None:
            raise ValueError("「满意度」至少要填「满意率」或「等级」之一")
        return self


class ManagementText(_Schema, title="管理情况说明"):
    """A unit's own wording of the 预决算公开 and 资产管理 paragraphs, printed instead of the generated ones."""

    disclosure: Text | None = Field(
        None,
        alias="预决算公开",
        description="「预决算公开情况」一段的文字（完整的句子，含句末标点）；填了就照印，"
        "不填则按「评分数据 › 评价要点」中预决算信息公开性的答案生成，没有答案时不印这一段",
        examples=["我局按规定在市政府门户网站公开了2022年部门预算、2021年部门决算和“三公”经费预决算信息，公开内容完整、及时。"],
    )
    assets: Text | None = Field(
        None,
        alias="资产管理",
        description="「资产管理情况」一段的文字（完整的句子，含句末标点）；填了就照印，"
        "不填则按「评分数据」中的固定资产总额、在用固定资产总额和资产管理完整性（或安全性）的答案生成",
        examples=["我局建立了资产管理制度，年末固定资产总额860万元，资产账实相符，未发生资产处置。"],
    )


class Evaluation(_Schema, title="绩效评价的组织实施情况"):
    """How the evaluation was organised (三、绩效评价的组织实施情况)."""

    purposes: list[Text] = Field(
        default_factory=empty_list, alias="评价目的", examples=[['通过绩效评价考核政策落实情况']], description="评价目的（评价对象绩效目标），报告中按「一是…；二是…」连成一句（每项不写序号和句末标点）"
    )
    process: list[Text] = Field(
        default_factory=empty_list, alias="工作过程", examples=[['前期准备，制订计划，每年年初制订工作计划，并对费用的支出进行预算']], description="绩效评价工作过程，报告中按「一是…。二是…。」编排（每项不写序号和句末标点）"
    )


class Reason(_Schema, title="差异原因"):
    """One reason for a variance between goals and results (四)."""

    title: Text = Field(alias="标题", examples=['预算调整率较高'], description="原因概括，如「预算调整率较高」（不写序号和句末句号）")
    text: Text | None = Field(None, alias="内容", examples=['由于年初预算时一些无法预计的工作开展和上级交办任务的突发性，造成追加预算较大。'], description="具体说明（完整的句子，含句末标点）；只有概括的原因可不填")


class Remedy(_Schema, title="改进措施"):
    """One corrective measure or suggestion (六)."""

    title: Text = Field(alias="标题", examples=['科学合理编制部门预算，推进预算编制科学化、准确化'], description="措施标题（一句话，不写编号和句末句号），如「科学合理编制部门预算，推进预算编制科学化、准确化」")
    text: Text | None = Field(None, alias="内容", examples=['年度预算编制后，根据实际情况，定期做好预算执行分析。'], description="具体做法（完整的句子，含句末标点）；只有标题的措施可不填")


class Assessment(_Schema, title="评定得分"):
    """A score given by the evaluator for an indicator scored by judgement."""

    score: Score = Field(alias="得分", examples=[4.5], description="评定得分")
    reason: Text = Field(alias="理由", examples=['全镇完成固定资产投资4.75亿元，同比增47%；但传统产业规模小，扣0.5分。'], description="评定理由：说明得分和扣分的依据")


def _checklist_answer(value: object) -> str | list[int]:
    """Accept 「全部符合」「全部不符合」 or a list of the met points' numbers (1-based)."""
    if value in ("全部符合", "全部不符合"):
        return value  # type: ignore[return-value]
    if isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in value):
        return value
    raise ValueError("应为「全部符合」「全部不符合」，或符合的评价要点序号列表（从 1 起），如 [1, 2]")


ChecklistAnswer = Annotated[str | list[int], Before(_checklist_answer)]


class OwnFigure(_Schema, title="自定义数据"):
    """A figure a unit (or its county) defines for its own indicator formulas."""

    value: Figure = Field(alias="数值", description="数值（金额按「金额单位」）", examples=[12])
    meaning: Text = Field(alias="含义", description="一句话说明这个数是什么、从哪里来", examples=["本年度开展的专项督查次数"])


class ScoringInputs(_Schema, title="评分数据"):
    """Figures used only for scoring (评分数据): what the narrative does not state.

    A built-in figure given here is used as written, even where it can be computed from
    the facts; `check` warns when the two differ.
    """

    staff_establishment: Count | None = Field(None, alias="编制数", description="编制数（人员情况没有写编制数时，在这里给出评分用的数）", examples=[70])
    three_costs_this_year: Money | None = Field(None, alias="三公经费本年", description="本年度三公经费预算总额（三公经费变动率的分子）", examples=[3.5])
    three_costs_last_year: Money | None = Field(None, alias="三公经费上年", description="上年度三公经费预算总额（三公经费变动率的分母）", examples=[4.2])
    key_project_spending: Money | None = Field(None, alias="重点项目支出", examples=[660.0], description="重点项目支出（金额）；不填则取「预算 › 项目」中重点项目的预算之和")
    project_spending: Money | None = Field(None, alias="项目总支出", examples=[682.448673], description="项目总支出；不填则取「预算 › 项目」的预算之和或「预算 › 支出 › 项目支出」")
    budget: Money | None = Field(None, alias="预算数", examples=[1128.653175], description="预算数（预算完成率、预算调整率的分母）；不填则取「预算 › 支出 › 合计 › 全年预算数」")
    budget_completed: Money | None = Field(None, alias="预算完成数", examples=[1049.64745275], description="预算完成数；不填则取「预算 › 支出 › 合计 › 决算数」")
    budget_adjusted: Money | None = Field(None, alias="预算调整数", examples=[37.621773], description="预算调整数（追加、追减的绝对值合计）；不填则取「预算 › 预算调整」")
    payments: Money | None = Field(None, alias="年度支付数", examples=[1128.653175], description="年度支付数；不填则取「预算 › 支出 › 合计 › 决算数」")
    payment_target: Money | None = Field(None, alias="年度任务数", examples=[1128.653175], description="年度支付任务数；不填则取「预算 › 支出 › 合计 › 全年预算数」")
    spending_budget: Money | None = Field(None, alias="支出预算数", examples=[1128.653175], description="支出预算数；不填则取「预算 › 支出 › 合计」的全年预算数（或年初预算数）")
    carry_over: Money | None = Field(
        None, alias="结转结余总额", examples=[0], description="结转结余总额；不填则取「预算 › 年末结转」与「年末结余」之和"
    )
    public_budget: Money | None = Field(None, alias="公用经费预算数", examples=[80.0], description="预算安排的公用经费总额；不填则取「预算 › 支出 › 公用经费」的全年预算数（或年初预算数）")
    public_actual: Money | None = Field(None, alias="公用经费实际数", examples=[81.0], description="实际支出的公用经费总额；不填则取「预算 › 支出 › 公用经费 › 决算数」")
    procurement_planned: Count | None = Field(None, alias="政府采购预算项目数", examples=[2], description="政府采购预算项目个数")
    procurement_done: Count | None = Field(None, alias="实际政府采购项目数", examples=[2], description="实际政府采购预算项目个数")
    assets_total: Money | None = Field(None, alias="固定资产总额", examples=[500.0], description="所有固定资产总额")
    assets_in_use: Money | None = Field(None, alias="在用固定资产总额", examples=[480.0], description="实际在用固定资产总额")
    projects_completed: Count | None = Field(None, alias="已完成项目数", examples=[7], description="已完成项目个数")
    projects_qualified: Count | None = Field(None, alias="质量达标项目数", examples=[7], description="已完成项目中质量达标（决算验收合格）的个数")
    satisfaction_grade: Literal["优秀", "良好", "合格", "不合格"] | None = Field(
        None, alias="满意度等级", description="评分用的满意度等级（「满意度」没有写等级时在这里给出）", examples=["优秀"]
    )
    checklists: dict[Text, ChecklistAnswer] = Field(
        default_factory=empty_dict,
        alias="评价要点", examples=[{'职责明确': '全部符合', '资金使用合规性': [1, 2, 3, 4, 5, 6, 7]}],
        description="按评价要点评分的指标：指标名称 → 「全部符合」「全部不符合」或符合的要点序号列表，如 [1, 2]",
    )
    assessments: dict[Text, Assessment] = Field(
        default_factory=empty_dict, alias="评定", examples=[{'经济效益': {'得分': 4.5, '理由': '……扣0.5分。'}}], description="由评价人员评定得分的指标：指标名称 → 得分和理由"
    )
    measures: dict[Text, Figure] = Field(
        default_factory=empty_dict, alias="测算值", examples=[{'预算完成率': 93}], description="直接给出的测算值（百分数，如 93 表示 93%），优先于按公式计算"
    )
    own: dict[Text, OwnFigure] = Field(
        default_factory=empty_dict,
        alias="自定义数据",
        description="本单位（或本县评分表）自己定义的数据：名称 → 数值和含义；指标体系的表达式可以用这些名称",
        examples=[{"专项督查次数": {"数值": 12, "含义": "本年度开展的专项督查次数"}}],
    )


class Acknowledged(_Schema, title="照公布数保留"):
    """A published figure that does not add up, kept as published, with the reason."""

    field: Text = Field(alias="字段", description="不一致的字段，照 check 消息中的写法，如「预算 › 三公经费 › 本年 › 决算数 › 合计」", examples=["预算 › 收入 › 合计"])
    reason: Text = Field(alias="理由", description="为什么照公布数保留", examples=["决算公开表原文如此，合计与分项之差为四舍五入所致"])

    @property
    def place(self) -> str:
        """The field path with its separators spaced as messages write it."""
        return " › ".join(part.strip() for part in re.split(r"[›>]", self.field))


class Voice(_Schema, title="行文用语"):
    """The fixed phrases a unit words its own way; each left out takes the report template's wording."""

    opening: Text | None = Field(
        None,
        alias="开头语",
        description="报告开头的一段话，如「为进一步加强财政支出管理……现将…情况报告如下：」；不填则用模板的标准表述（含「单位 › 评价依据」）",
        examples=["根据市财政局的通知要求，我委对2022年度部门整体支出开展了绩效自评，现将有关情况报告如下："],
    )
    self_reference: Text | None = Field(
        None, alias="自称", description="正文中单位的自称，如「我单位」「我镇」「我局」「我会」；不填则按单位全称推定（巨鹿方案沿用「我单位」）",
        examples=["我局"],
    )
    satisfaction_subject: Text | None = Field(
        None,
        alias="满意度主体",
        description="满意度段落中评价单位的人，如「群众」「服务对象」；不填则乡镇、街道为「群众」，其他单位为「服务对象」",
        examples=["服务对象"],
    )
    closing: Text | None = Field(None, alias="结束语", description="正文最后的一句话，如「特此报告。」；不填则不印", examples=["特此报告。"])


class Cover(_Schema, title="报告封面"):
    """The cover fields of a form-style report (表格方案): 预算编码, 评价方式, 评价机构."""

    budget_code: Text | None = Field(None, alias="预算编码", description="单位的部门预算编码，如「101001」", examples=["101001"])
    method: Text | None = Field(None, alias="评价方式", description="评价方式，如「部门自评」「第三方评价」；不填为「部门自评」", examples=["部门自评"])
    evaluator: Text | None = Field(None, alias="评价机构", description="评价机构；不填为被评价单位自己", examples=["某市财政局"])


class Facts(_Schema, title="部门整体支出绩效评价事实数据"):
    """One unit's facts for one year: the whole content of a facts file."""

    money_unit: Literal["元", "万元"] = Field(alias="金额单位", examples=['万元'], description="本文件所有金额的单位：元或万元")
    unit: Unit = Field(alias="单位", examples=[{'全称': '巨鹿县阎疃镇人民政府', '简称': '阎疃镇', '层级': '乡镇', '年度': 2021}], description="被评价单位和评价年度")
    duties: Duties = Field(alias="部门职责", examples=[{'职责': ['宣传贯彻执行党的路线方针政策。']}], description="部门主要职责")
    organisations: list[BodyEntry] = Field(
        default_factory=empty_list,
        alias="内设机构", examples=[['党政综合办公室', {'名称': '农业综合服务中心', '类别': '事业单位'}]],
        description="内设机构（组织架构），逐个列出：只写名称，或写「名称」和「类别」；报告中用顿号连接",
    )
    organisation_counts: dict[Text, Count] = Field(
        default_factory=empty_dict,
        alias="机构数",
        description="按类别的机构个数（单位只说个数时填写）：类别 → 个数，如「职能办公室: 5」「事业单位: 3」",
        examples=[{"职能办公室": 5, "事业单位": 3}],
    )
    staffing: Staffing = Field(alias="人员情况", examples=[{'编制数': 75, '行政编制': 32, '事业编制': 43, '在职人员': 75, '离退休人员': 70}], description="人员情况")
    mission: Text | None = Field(None, alias="履职总体目标", examples=['2021年，阎疃镇按照县委、县政府重点工作安排，……有力推进各项工作顺利开展。'], description="部门履职总体目标")
    goals: AnnualGoals | None = Field(None, alias="年度绩效目标", examples=[{'总述': '全面贯彻落实党的十九大……', '分项': ['保护各种经济组织的合法权益。']}], description="年度整体绩效目标")
    tasks: list[Task] = Field(default_factory=empty_list, alias="工作任务", examples=[[{'标题': '促进经济发展方面', '内容': '制定本乡镇产业发展规划……'}]], description="工作任务，按 1、2、… 编号")
    budget: Budget = Field(alias="预算", examples=[{'收入': {'合计': {'年初预算数': 1104.784985}}, '支出': {'合计': {'年初预算数': 1128.653175}}}], description="预算资金安排及资金支出情况")
    management: Text | None = Field(
        None, alias="预算绩效管理", examples=['2021年，在县委、县政府的正确领导下，……与本年度部门预算资金相匹配。'], description="部门开展预算绩效管理情况的段落；不写「通过认真自评，本单位自评得分…分。」一句，程序按计算结果补上"
    )
    management_text: ManagementText | None = Field(
        None,
        alias="管理情况说明",
        description="单位自己写的「预决算公开情况」「资产管理情况」段落（湖南方案）；不填则按评分数据和评分结果生成",
        examples=[{"预决算公开": "我局按规定公开了部门预算、部门决算和“三公”经费预决算信息，公开内容完整、及时。"}],
    )
    performance: Performance | None = Field(None, alias="履职成效", examples=[{'开篇': '一年来，……较好完成了年初预定的各项目标任务。'}], description="工作履行活动完成情况")
    satisfaction: Satisfaction | None = Field(None, alias="满意度", examples=[{'满意率': 90}], description="服务对象满意程度")
    evaluation: Evaluation | None = Field(None, alias="评价组织", examples=[{'评价目的': ['通过绩效评价考核政策落实情况']}], description="绩效评价的组织实施情况")
    reasons: list[Reason] = Field(
        default_factory=empty_list, alias="差异原因", examples=[[{'标题': '预算调整率较高'}]], description="绩效目标实现程度的差异原因；不填则按扣分指标生成"
    )
    problems: list[Text] = Field(default_factory=empty_list, alias="存在问题", examples=[['年初预算方案编制不够精细，不够全面。']], description="存在的问题，报告中按（一）（二）编号，每条一段（不写编号，保留句末标点）")
    remedies: list[Remedy] = Field(default_factory=empty_list, alias="改进措施", examples=[[{'标题': '科学合理编制部门预算，推进预算编制科学化、准确化'}]], description="纠偏措施及改进建议")
    scoring: ScoringInputs = Field(
        default_factory=ScoringInputs.model_construct, alias="评分数据", examples=[{'预算数': 1128.653175, '预算完成数': 1049.64745275}], description="评分表各指标所需的原始数据"
    )
    declared_scores: dict[Text, Score] = Field(
        default_factory=empty_dict, alias="自评得分", examples=[{'职责明确': 1, '预算完成率': 4}], description="已公布的自评得分：三级指标名称 → 得分；用于与计算结果核对"
    )
    declared_total: Score | None = Field(
        None, alias="自评总分", examples=[95], description="已公布的自评总分（评分表表头）；用于与计算出的总分核对"
    )
    acknowledged: list[Acknowledged] = Field(
        default_factory=empty_list,
        alias="照公布数保留", examples=[[{'字段': '预算 › 三公经费 › 本年 › 决算数 › 合计', '理由': '决算公开表原文如此'}]],
        description="已知不一致、照公布数保留的数字：字段和理由；check 对这些字段的不一致只警告并重复理由，报告照公布数印出",
    )
    voice: Voice | None = Field(
        None,
        alias="行文用语",
        description="单位自己的固定用语：开头语、自称、满意度主体、结束语",
        examples=[{"自称": "我局", "满意度主体": "服务对象", "结束语": "特此报告。"}],
    )
    cover: Cover | None = Field(
        None,
        alias="报告封面",
        description="表格式报告封面的预算编码、评价方式、评价机构",
        examples=[{"预算编码": "101001", "评价方式": "部门自评"}],
    )
    template: Text | None = Field(
        None,
        alias="报告模板",
        description="报告采用的模板方案：内置方案名（巨鹿、湖南、表格，见 jixiao templates list），或模板目录（相对于本文件）；不填为巨鹿",
        examples=["湖南"],
    )
    indicator_system: Text | None = Field(
        None,
        alias="指标体系",
        examples=["巨鹿2021"],
        description="按哪个指标体系评分：内置名称（巨鹿2021、财预53号、岳阳2018，见 jixiao indicators list）或指标体系文件（相对于本文件）；命令行 --indicators 优先；不填为巨鹿2021",
    )
    report_date: DateText | None = Field(
        None, alias="成文日期", examples=['2022-01-10'], description="落款署名下的成文日期，写作 2022-01-10 或 2022年1月10日；不写则落款只有署名"
    )


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


class LoadedFacts(NamedTuple):
    """A validated facts file with where its values came from and any warnings raised reading it."""

    facts: Facts
    source: SourceMap
    warnings: list[Problem]


def load_facts(path: Path | str) -> LoadedFacts:
    """Load and validate a facts file (YAML or workbook); raise FactsError listing every problem found."""
    loaded = load_facts_source(path)
    facts, problems = validate_facts(loaded)
    if facts is None:
        raise FactsError(problems)
    return LoadedFacts(facts=facts, source=loaded.source, warnings=problems)


def validate_facts(loaded: Loaded) -> tuple[Facts | None, list[Problem]]:
    """Validate read data as Facts; None with every problem when anything is an error."""
    problems = list(loaded.problems)
    facts = None
    # A parsed document is validated even after duplicate keys, so one run reports everything.
    if loaded.data is not None:
        facts, schema_problems = validate_into(Facts, loaded.data, loaded.source)
        problems.extend(schema_problems)
    return (None if only_errors(problems) else facts), problems


def is_workbook(path: Path | str) -> bool:
    """Tell whether a facts path names a workbook (by its suffix) rather than a YAML file."""
    return Path(path).suffix.lower() in WORKBOOK_SUFFIXES


def load_facts_source(path: Path | str) -> Loaded:
    """Read a facts file's plain data: a workbook (.xlsx) by its labels, anything else as YAML."""
    if is_workbook(path):
        from jixiao.workbookread import read_workbook  # openpyxl is paid for by workbooks only

        return read_workbook(path)
    return load_yaml(path)
