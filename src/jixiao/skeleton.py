"""Start a facts file: a commented skeleton generated from the schema, or next year's file from last year's.

Every place still to be filled in holds the marker 「待填写」, which loading refuses with
「尚未填写（init 生成的空白）」 at its line, so `jixiao check` lists exactly what is left.
"""

from __future__ import annotations

import copy
import typing
from pathlib import Path
from typing import Any

from jixiao.dump import Layout, emit_document
from jixiao.errors import OutputError, Problem
from jixiao.facts import BLANK, CostItems, Facts, IncomeSource, Line, ThreeCosts, is_workbook, load_facts
from jixiao.output import create_file
from jixiao.validation import child_annotation, is_model, model_form
from jixiao.yamlsource import Loc

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

_HEADER = """\
# 部门整体支出绩效评价 —— 事实数据文件（由 jixiao init 生成）
#
# 填写方法：
#   · 把每一处「待填写」换成实际内容；注明「可不填」的项不适用时，连同其下各行一起删去。
#   · 金额一律按「金额单位」填写纯数字，不带单位和千分位逗号，如 1104.784985；填几位小数就保留几位。
#   · 列表的每一项单独一行，以「- 」开头；需要几项就写几项。
#   · 填好后运行「jixiao check 本文件」：没填完的地方会逐条报告「尚未填写」及其行号。
#   · 编辑器补全与即时校验：运行「jixiao schema > jixiao-facts.schema.json」，
#     再在 VS Code 的 YAML 插件设置 yaml.schemas 中把该文件关联到本文件（详见 README）。
"""

_CONFIRM = "沿用上年，请按本年实际核对"

# Examples of the keyed sections whose keys are indicator names, which the schema cannot list.
_KEYED_EXAMPLES: dict[Loc, str] = {
    ("评分数据", "评价要点"): "每个指标一行，如「职责明确: 全部符合」或「资金使用合规性: [1, 2, 3, 4, 5, 6, 7]」",
    ("评分数据", "评定"): "每个指标写「得分」和「理由」两项，如「经济效益:」下一行缩进写「得分: 4.5」「理由: ……」",
    ("评分数据", "测算值"): "每个指标一行，如「预算完成率: 93」",
    ("自评得分",): "每个指标一行，如「职责明确: 1」",
}


def write_skeleton(path: Path | str, from_path: Path | str | None = None) -> Path:
    """Write a new facts skeleton (or next year's file from `from_path`) to `path`; never overwrite."""
    path = Path(path)
    if path.exists() or path.is_symlink():
        raise OutputError([_exists(path)])
    if is_workbook(path):
        data = next_year_values(load_facts(from_path).facts) if from_path is not None else {}
        write_new(path, skeleton_workbook(data))
        return path
    text = carried_over_text(from_path) if from_path is not None else skeleton_text()
    write_new(path, text.encode())
    return path


def skeleton_workbook(data: dict[str, Any]) -> bytes:
    """Return a workbook to fill in: `data` where given, empty input cells elsewhere."""
    from jixiao.workbookwrite import workbook_bytes  # openpyxl is paid for by workbooks only

    return workbook_bytes(data)


def skeleton_text() -> str:
    """Return the commented skeleton: every key of the schema, every value 「待填写」."""
    layout = Layout(comments=True, notes=_KEYED_EXAMPLES)
    return _HEADER + "\n" + emit_document(Facts, blank_like(Facts), layout)


def blank_like(annotation: Any) -> Any:
    """Return plain data shaped like `annotation` with 「待填写」 in every leaf (one item per list)."""
    annotation = model_form(annotation)
    if is_model(annotation):
        fields = annotation.model_fields.items()
        return {info.alias or name: blank_like(info.annotation) for name, info in fields if _offered(annotation, name)}
    if typing.get_origin(annotation) is list:
        return [blank_like(child_annotation(annotation, 0))]
    if typing.get_origin(annotation) is dict:
        return {}
    return BLANK


def _offered(model: type, name: str) -> bool:
    """Tell whether a new file offers a field: last year's columns of every line, 金额 and 三公 items
    written directly (the jixiao 0.2 forms) are read but left out, to keep the skeleton short."""
    if issubclass(model, Line) and name == "last_year":
        return False
    if issubclass(model, IncomeSource) and name == "given_amount":
        return False
    return not (issubclass(model, ThreeCosts) and name in CostItems.model_fields)


def carried_over_text(from_path: Path | str) -> str:
    """Return next year's facts file started from last year's: stable parts kept, this year's left blank.

    Last year's file is edited in place through ruamel.yaml's round trip, so its comments,
    its order of keys and its layout stay as the person wrote them.
    """
    from jixiao.upgrade import dump_text, round_trip

    last = load_facts(from_path).facts
    yaml = round_trip()
    data = yaml.load(Path(from_path).read_text(encoding="utf-8-sig"))
    next_year_data(data, last)
    _add_notes(data, _notes(last))
    header = _HEADER + f"#\n# 由上年度文件 {from_path} 生成：标「▲」的地方请特别留意。\n"
    return header + "\n" + dump_text(yaml, data)


def next_year_values(last: Facts) -> dict[str, Any]:
    """Return next year's starting data (alias-keyed plain values) made from last year's facts."""
    data = last.model_dump(by_alias=True, exclude_none=True)
    next_year_data(data, last)
    return data


def next_year_data(data: dict[str, Any], last: Facts) -> None:
    """Turn last year's file data (alias-keyed, round-trip) into next year's starting data, in place."""
    data["单位"]["年度"] = last.unit.year + 1
    data["单位"]["评价依据"] = BLANK
    _next_budget(data["预算"])
    for key in ("预算绩效管理", "差异原因", "存在问题", "改进措施"):
        data[key] = _blanked(data.get(key) or blank_like(child_annotation(Facts, key)))
    for key in ("履职成效", "满意度"):
        if key in data:
            _next_narrative(data[key])
    if "评分数据" in data:
        _blank_leaves(data["评分数据"])
    data["自评得分"] = {}
    data.pop("自评总分", None)
    if "成文日期" in data:  # This year's report has a date of its own.
        data["成文日期"] = BLANK


def _next_budget(budget: dict[str, Any]) -> None:
    """Blank this year's budget figures, keeping income source and project names; move 三公经费 本年 into 上年."""
    three = budget.get("三公经费")
    this_year = copy.deepcopy(three["本年"]) if three else None
    _blank_leaves(budget, keep=("名称", "类别", "重点项目"))
    if three:
        three["上年"] = this_year


def _next_narrative(section: dict[str, Any]) -> None:
    """Blank a narrative section in place, keeping its boilerplate lead-in and closing lines."""
    kept = ("薄弱环节引言", "薄弱环节结语")
    for key in list(section):
        if key not in kept:
            section[key] = _blanked(section[key])


def _blanked(value: Any) -> Any:
    """Replace a value by a blank of the same shape: one blank item for a list, blank leaves for a mapping."""
    if isinstance(value, list):
        return [_blanked(value[0])] if value else []
    if isinstance(value, dict):
        return {key: _blanked(item) for key, item in value.items()}
    return BLANK


def _blank_leaves(value: Any, keep: tuple[str, ...] = ()) -> None:
    """Blank every leaf of a mapping or list in place, keeping keys (指标名称), items and the keys in `keep`."""
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in list(items):
        if key in keep:
            continue
        # A list of numbers is one answer (符合的要点序号), not several items.
        if isinstance(item, dict) or (isinstance(item, list) and item and isinstance(item[0], dict)):
            _blank_leaves(item, keep)
        else:
            value[key] = BLANK


def _add_notes(data: Any, notes: dict[Loc, str]) -> None:
    """Put each reminder as a 「# ▲ …」 comment above its key, where the file has that key."""
    for loc, note in notes.items():
        parent = data
        for part in loc[:-1]:
            parent = parent.get(part) if isinstance(parent, dict) else None
        if isinstance(parent, dict) and loc[-1] in parent:
            parent.yaml_set_comment_before_after_key(loc[-1], before=f"▲ {note}", indent=2 * (len(loc) - 1))


def _notes(last: Facts) -> dict[Loc, str]:
    """Return the reminders placed above carried-over and moved parts."""
    year = last.unit.year
    notes: dict[Loc, str] = {
        **_KEYED_EXAMPLES,
        ("单位", "年度"): f"由上年度 {year} 加 1",
        ("单位", "评价依据"): "每年的通知不同，请填写本年度评价所依据的通知全名",
        ("预算", "三公经费", "上年"): f"由上年度文件（{year} 年）的「本年」移来",
        ("评分数据",): "指标名称沿用上年，数字、评价要点和评定请按本年填写",
        ("自评得分",): "本年自评得分公布后再填，每个指标一行，如「职责明确: 1」；不填则只按规则计算",
    }
    for key in ("部门职责", "内设机构", "人员情况", "履职总体目标", "年度绩效目标", "工作任务", "评价组织"):
        notes[(key,)] = _CONFIRM if key != "人员情况" else f"沿用上年度（{year} 年）的人数，请按本年实际核对"
    for key in ("薄弱环节引言", "薄弱环节结语"):
        notes[("履职成效", key)] = _CONFIRM
    return notes


def _exists(path: Path) -> Problem:
    """Say that the target already exists and will not be touched."""
    if path.is_dir():
        message = "这是一个已有的文件夹；请给出要新建的文件名，如 文件夹/2022.yaml"
    else:
        message = "文件已存在，不会覆盖；请换一个文件名，或先把原文件改名或移走"
    return Problem(str(path), None, None, None, message)


def write_new(path: Path, data: bytes) -> None:
    """Write `path` whole or not at all, and never over a file that appeared meanwhile."""
    try:
        create_file(path, data)
    except FileExistsError:
        raise OutputError([_exists(path)]) from None
    except OSError as exc:
        raise OutputError([_unwritable(path, exc)]) from None


def _unwritable(path: Path, exc: OSError) -> Problem:
    """Explain why the file could not be written."""
    return Problem(str(path), None, None, None, f"无法写入：{exc.strerror or exc}")


def facts_json_schema() -> dict[str, Any]:
    """Return the JSON Schema of the facts file, with Chinese titles and descriptions, for editors."""
    schema = Facts.model_json_schema(by_alias=True)
    body = {key: value for key, value in schema.items() if key not in ("title", "description")}
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": "部门整体支出绩效评价事实数据文件（jixiao）",
        "description": "一个单位一个年度的事实数据：报告中关于本单位的一切内容和评分所需的原始数据。",
        **body,
    }
