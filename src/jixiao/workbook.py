"""The facts workbook's layout: which sheet holds which facts, the rows each part becomes, and cell values.

The layout is derived from the facts schema, so a field added to facts.py appears in the
workbook without a change here: its alias is the label, its description the 说明, its type
the cell's kind. Column A of every data sheet holds the field's full path in the same words
as error messages (「预算 › 收入 › 合计」), so a workbook reads back whatever its sheets are
called and whichever order its rows are in. Lists and mappings of flat items become tables.
Nothing here imports openpyxl: workbookwrite.py and workbookread.py do.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from pydantic import BaseModel

from jixiao.facts import Facts
from jixiao.validation import child_annotation, field_info, is_model, model_form, unwrap
from jixiao.yamlsource import Loc, field_label

GUIDE_SHEET = "填写说明"
HEADER = ("字段", "值", "说明")
LIST_KEY = "序号"
DICT_KEY = "名称"
SEPARATOR = " › "

# The parts of the report, in report order, and the facts each sheet holds (a path may be nested:
# 三公经费 has a sheet of its own). A key of the schema not listed here goes to the sheet of the
# key declared before it, so a new field is never left out.
SHEETS: tuple[tuple[str, tuple[Loc, ...]], ...] = (
    ("单位与人员", (("金额单位",), ("单位",), ("人员情况",), ("内设机构",), ("成文日期",))),
    ("预算收支", (("预算",), ("预算绩效管理",))),
    ("三公经费", (("预算", "三公经费"),)),
    ("职责与任务", (("部门职责",), ("履职总体目标",), ("年度绩效目标",), ("工作任务",))),
    ("履职成效", (("履职成效",),)),
    ("满意度", (("满意度",), ("评价组织",))),
    ("问题与措施", (("差异原因",), ("存在问题",), ("改进措施",))),
    ("评分数据", (("评分数据",),)),
    ("自评得分", (("自评得分",), ("自评总分",))),
)

_PLAIN_DECIMAL = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
_PLAIN_INT = re.compile(r"^[-+]?\d+$")
_POINTS = re.compile(r"^\[?\s*\d+(\s*[,，、]\s*\d+)*\s*\]?$")
_ITEM = re.compile(r"^第(\d+)项$")


class Field(NamedTuple):
    """One label/value row: a single fact."""

    loc: Loc
    annotation: Any
    value: Any
    note: str


class Section(NamedTuple):
    """A heading row over the fields of a nested part."""

    loc: Loc
    note: str


class Column(NamedTuple):
    """One column of a table: its heading, the type of its cells and its description."""

    header: str
    annotation: Any
    note: str


class Table(NamedTuple):
    """A list or mapping of flat items: a title row, a heading row, then one row per item."""

    loc: Loc
    note: str
    key_header: str
    columns: tuple[Column, ...]
    rows: list[tuple[Any, list[Any]]]


class Columns(NamedTuple):
    """A part made of a few amounts (年初预算数, 全年预算数, 决算数 …): one row, its values in columns."""

    loc: Loc
    columns: tuple[Column, ...]
    values: list[Any]
    note: str


Row = Field | Section | Table | Columns
LINE_HEADER = "栏目"  # column A of the heading row over a run of Columns rows
MAX_LINE_COLUMNS = 8


def label(loc: Loc) -> str:
    """Return the column-A label of a place: its field path as error messages name it."""
    return field_label(loc)


def parse_label(text: str) -> Loc:
    """Turn a column-A label back into a place: 「第2项」 steps become list indices."""
    parts = [part.strip() for part in text.replace("›", SEPARATOR).split(SEPARATOR.strip())]
    return tuple(int(found.group(1)) - 1 if (found := _ITEM.match(part)) else part for part in parts)


def top_keys() -> list[str]:
    """Return the top-level keys of a facts file, in schema order."""
    return [info.alias or name for name, info in Facts.model_fields.items()]


def sheet_plan() -> list[tuple[str, list[Loc]]]:
    """Return each sheet's name and the places it holds, every top-level key placed once."""
    plan = [(name, list(locs)) for name, locs in SHEETS]
    placed = {loc for _, locs in SHEETS for loc in locs}
    previous: Loc | None = None
    for key in top_keys():
        if (key,) not in placed:
            _place_after(plan, (key,), previous)
        previous = (key,)
    return plan


def _place_after(plan: list[tuple[str, list[Loc]]], loc: Loc, previous: Loc | None) -> None:
    """Put `loc` right after `previous` in whichever sheet holds it (the first sheet when none does)."""
    for _, locs in plan:
        if previous in locs:
            locs.insert(locs.index(previous) + 1, loc)
            return
    plan[0][1].append(loc)


def sheet_rows(locs: list[Loc], data: dict[str, Any]) -> list[Row]:
    """Return the rows of one sheet: the parts at `locs`, filled from alias-keyed `data`."""
    elsewhere = {loc for _, held in SHEETS for loc in held}
    rows: list[Row] = []
    for loc in locs:
        annotation = annotation_at(loc)
        rows.extend(_rows(loc, annotation, _value_at(data, loc), elsewhere - {loc}))
    return rows


def annotation_at(loc: Loc) -> Any:
    """Return the schema type at a place; None where the schema has no such place."""
    annotation: Any = Facts
    for part in loc:
        annotation = child_annotation(annotation, part)
    return annotation


def always_present(loc: Loc) -> bool:
    """Tell whether a place must be in every facts file: it and each part above it are required."""
    return all(_is_required(loc[:end]) for end in range(1, len(loc) + 1))


def _is_required(loc: Loc) -> bool:
    """Tell whether the field at a place is required in its parent."""
    info = field_info(model_form(annotation_at(loc[:-1])), str(loc[-1])) if isinstance(loc[-1], str) else None
    return info is not None and info.is_required()


def _value_at(data: Any, loc: Loc) -> Any:
    """Return the value at a place of plain data, or None."""
    for part in loc:
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _rows(loc: Loc, annotation: Any, value: Any, elsewhere: set[Loc]) -> Iterator[Row]:
    """Lay out one part: a section over a model's fields, a table, indexed items, or one field."""
    inner = model_form(annotation)
    note = _note(loc)
    if is_model(inner) and is_line(inner):
        columns = table_columns(loc, inner)
        yield Columns(loc, columns, _cells(inner, columns, value), note)
    elif is_model(inner):
        yield Section(loc, note)
        for name, info in inner.model_fields.items():
            below = (*loc, info.alias or name)
            if below not in elsewhere:
                yield from _rows(below, info.annotation, (value or {}).get(below[-1]), elsewhere)
    elif is_collection(inner) and is_flat(child_annotation(inner, 0)):
        yield _table(loc, inner, value, note)
    elif is_collection(inner):
        yield Section(loc, note)
        for key, item in _items(inner, value):
            yield from _rows((*loc, key), child_annotation(inner, key), item, elsewhere)
    else:
        yield Field(loc, annotation, value, note)


def _note(loc: Loc) -> str:
    """Return the 说明 of a place: the schema's description, and whether it must be filled."""
    info = field_info(model_form(annotation_at(loc[:-1])), str(loc[-1])) if isinstance(loc[-1], str) else None
    if info is None or not info.description:
        return ""
    return f"{info.description}（{'必填' if info.is_required() else '可不填'}）"


def is_collection(annotation: Any) -> bool:
    """Tell whether a type is a list or a mapping."""
    return typing.get_origin(annotation) in (list, dict)


def is_flat(annotation: Any) -> bool:
    """Tell whether items of this type fit one row: a value, or a model of values and such models (上年 columns)."""
    inner = model_form(annotation)
    if is_model(inner):
        return all(is_value(info.annotation) or is_flat(info.annotation) for info in inner.model_fields.values())
    return is_value(inner)


def is_line(model: Any) -> bool:
    """Tell whether a model is a few numbers (a budget line, the 三公 items) laid out as one row of columns."""
    if not is_flat(model):
        return False
    columns = tuple(_model_columns(model, ()))
    return len(columns) <= MAX_LINE_COLUMNS and all(cell_kind(column.annotation) in (DECIMAL, INTEGER) for column in columns)


def is_value(annotation: Any) -> bool:
    """Tell whether a type is held by one cell (text, number, date, choice, or a list of point numbers)."""
    inner = model_form(annotation)
    return not is_model(inner) and (not is_collection(inner) or _is_points(inner))


def _items(annotation: Any, value: Any) -> list[tuple[Any, Any]]:
    """Return (index or key, item) pairs of a list or mapping value; one empty item when there is none."""
    if isinstance(value, dict) and value:
        return list(value.items())
    if isinstance(value, list) and value:
        return list(enumerate(value))
    return [(0, None)] if typing.get_origin(annotation) is list else []


def _table(loc: Loc, annotation: Any, value: Any, note: str) -> Table:
    """Lay out a list or mapping of flat items as a table."""
    item = model_form(child_annotation(annotation, 0))
    is_list = typing.get_origin(annotation) is list
    columns = table_columns(loc, item)
    rows = [(key + 1 if is_list else key, _cells(item, columns, one)) for key, one in _items(annotation, value) if one is not None]
    return Table(loc, note, LIST_KEY if is_list else DICT_KEY, columns, rows)


def table_columns(loc: Loc, item: Any) -> tuple[Column, ...]:
    """Return a table's columns: one per value of a model item (nested ones headed 「上年 › 决算数」),
    or one named after the list itself."""
    if is_model(item):
        columns = tuple(_model_columns(item, ()))
        # Names and kinds first, then the amounts: a row reads like a line of a 决算 table.
        return tuple(sorted(columns, key=lambda column: cell_kind(column.annotation) in (DECIMAL, INTEGER)))
    return (Column(str(loc[-1]), item, ""),)


def _model_columns(model: Any, prefix: Loc) -> Iterator[Column]:
    """Yield the columns of a model's values, nested models' values after their parent's."""
    for name, info in model.model_fields.items():
        path = (*prefix, info.alias or name)
        if is_value(info.annotation):
            yield Column(label(path), info.annotation, info.description or "")
        else:
            yield from _model_columns(model_form(info.annotation), path)


def _cells(item: Any, columns: tuple[Column, ...], value: Any) -> list[Any]:
    """Return one table row's values, in column order."""
    if not is_model(item):
        return [value]
    if not isinstance(value, dict):  # an item written in its short form: the first column alone (名称)
        return [value] + [None] * (len(columns) - 1)
    return [_value_at(value, parse_label(column.header)) for column in columns]


def short_form(annotation: Any) -> bool:
    """Tell whether an item may also be written as a value alone (a 内设机构 by its name)."""
    inner = unwrap(annotation)
    return model_form(inner) is not inner and any(not is_model(unwrap(arg)) for arg in typing.get_args(inner))


# Cell kinds: how a type is shown, checked and read back.
DECIMAL, INTEGER, DATE, CHOICE, POINTS, TEXT = "decimal", "integer", "date", "choice", "points", "text"


def cell_kind(annotation: Any) -> str:
    """Return the kind of cell a type needs."""
    inner = unwrap(annotation)
    if inner is Decimal:
        return DECIMAL
    if inner is int:
        return INTEGER
    if inner is date:
        return DATE
    if typing.get_origin(inner) is typing.Literal:
        return CHOICE
    if _is_points(inner):
        return POINTS
    return TEXT


def choices(annotation: Any) -> tuple[str, ...]:
    """Return the allowed values of a choice."""
    return tuple(str(choice) for choice in typing.get_args(unwrap(annotation)))


def _is_points(annotation: Any) -> bool:
    """Tell whether a type is (or may be) a list of whole numbers: 符合的评价要点序号."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return any(_is_points(unwrap(arg)) for arg in typing.get_args(annotation))
    return typing.get_origin(annotation) is list and typing.get_args(annotation) == (int,)


def to_cell(value: Any) -> Any:
    """Return what a cell holds for a value: decimals as their exact text, point lists as 「1、2」."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, list):
        return "、".join(str(point) for point in value)
    return value


def from_cell(value: Any, annotation: Any) -> Any:
    """Return the plain value the YAML loader would give for what a cell holds; None for an empty cell."""
    if isinstance(value, str):
        text = value if cell_kind(annotation) == TEXT else value.strip()
        return _from_text(text, annotation) if text.strip() else None
    if isinstance(value, float):
        # A number typed into a cell: Excel keeps 15 significant digits, and shows them.
        value = Decimal(format(value, ".15g"))
        return int(value) if cell_kind(annotation) == INTEGER and value == value.to_integral_value() else value
    if isinstance(value, datetime):
        return value.date() if cell_kind(annotation) == DATE else value.date().isoformat()
    if isinstance(value, int) and not isinstance(value, bool) and cell_kind(annotation) == POINTS:
        return [value]
    return value


def _from_text(text: str, annotation: Any) -> Any:
    """Read a cell's text as its field's type does; text that does not fit stays text, for validation to refuse."""
    kind = cell_kind(annotation)
    if kind == DECIMAL and _PLAIN_DECIMAL.match(text):
        return _decimal(text)
    if kind == INTEGER and _PLAIN_INT.match(text):
        return int(text)
    if kind == POINTS and _POINTS.match(text):
        return [int(point) for point in re.findall(r"\d+", text)]
    return text


def _decimal(text: str) -> Decimal | str:
    """Read a decimal exactly from its text."""
    try:
        return Decimal(text)
    except InvalidOperation:
        return text


def facts_data(model: BaseModel) -> dict[str, Any]:
    """Return facts as the alias-keyed plain data a workbook shows."""
    return model.model_dump(by_alias=True, exclude_none=True)


def loc_text(loc: Loc) -> str:
    """Name a place for messages about the workbook's layout."""
    return label(loc) if loc else "（整个文件）"
