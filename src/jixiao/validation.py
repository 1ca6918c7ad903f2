"""Validate loaded YAML against a pydantic schema, turning every error into a placed Chinese Problem."""

from __future__ import annotations

import re
import types
import typing
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from jixiao.errors import Problem, file_order
from jixiao.records import Record, pydantic_core_module, stored_validator
from jixiao.wording import closest
from jixiao.yamlsource import Loc, SourceMap, field_label

if TYPE_CHECKING:
    import pydantic_core
    from pydantic import BaseModel
    from pydantic.fields import FieldInfo

Model = TypeVar("Model", bound="BaseModel | Record")
_INTERNAL_STEP = re.compile(r"^([a-z][a-z_-]*\[.*\]|\[key\]|str|int|decimal|list|dict|bool)$")

# What `jixiao init` writes where a value is still to be filled in; any field holding it is refused.
BLANK = "待填写"
BLANK_MESSAGE = "尚未填写（init 生成的空白）：请填上实际内容；不适用的可选项可整行删除"


def validate_into(model: type[Model], data: Any, source: SourceMap) -> tuple[Model | None, list[Problem]]:
    """Validate `data` as `model` (a record or a pydantic model); return the instance, or None with every problem found."""
    if not isinstance(data, dict):
        line, column = source.locate(())
        message = "文件的最外层应是若干「键: 值」（例如「单位:」），而不是单个值或列表"
        return None, [Problem(source.file, line or 1, column, None, message)]
    if not issubclass(model, Record):
        with_built_validator(model)
    try:
        return model.model_validate(data), []
    except pydantic_core_module().ValidationError as exc:
        problems = [_problem(model, error, source) for error in exc.errors(include_url=False)]
        # Listed top to bottom, the way a person fixes the file.
        return None, sorted(problems, key=file_order)


@cache
def with_built_validator(model: type[BaseModel]) -> None:
    """Give a model whose build was deferred the validator an earlier run of the same code built.

    For pydantic models (indicator files, import mappings; the facts are records, see
    `records.validator`). Building a schema's validator (pydantic's schema generation, in
    Python) costs tens of milliseconds; the built pydantic-core validator pickles and loads
    in under a millisecond (`records.stored_validator`, keyed as record validators are).
    Only validation uses the loaded validator; anything else pydantic does
    with the model (dumping, JSON Schema) still builds the model as it always would.
    """
    if model.__pydantic_complete__:
        return

    def build() -> pydantic_core.SchemaValidator:
        model.model_rebuild()
        return model.__pydantic_validator__

    model.__pydantic_validator__ = stored_validator(model, build)


def _problem(model: type[BaseModel], error: dict, source: SourceMap) -> Problem:
    """Translate one pydantic error dict into a placed Problem."""
    loc = _user_loc(error["loc"])
    if error["type"] == "extra_forbidden":
        return source.problem(loc, _unknown_key_message(model, loc))
    if error["type"] == "missing":
        # A missing YAML key has no line of its own: point at its parent mapping. A workbook
        # records the empty cell where the value belongs: point at that.
        place = loc if loc in source.positions else loc[:-1]
        return source.problem(place, _missing_message(model, loc))._replace(field=field_label(loc))
    return source.problem(loc, _message(error))


def _is_blank(value: Any) -> bool:
    """Tell whether `value` is the marker `jixiao init` leaves for a person to fill in."""
    return isinstance(value, str) and value.strip() == BLANK


def _user_loc(loc: tuple) -> Loc:
    """Drop pydantic's internal markers (union branch names, function validators) from a location."""
    return tuple(part for part in loc if isinstance(part, int) or not _is_internal(str(part)))


def _is_internal(part: str) -> bool:
    """Tell pydantic's own location steps (e.g. 'function-after[...]', 'literal[...]') from user keys."""
    return bool(_INTERNAL_STEP.match(part))


def _missing_message(model: type[BaseModel], loc: Loc) -> str:
    """Say which required key is missing and what it should hold."""
    message = f"缺少必填项「{loc[-1]}」"
    description = _description(model, loc)
    return f"{message}（{description}）" if description else message


def _description(model: type[BaseModel], loc: Loc) -> str | None:
    """Return the schema's Chinese description of the field at `loc`, if the schema has one."""
    parent: Any = model
    for part in loc[:-1]:
        parent = child_annotation(parent, part)
    info = field_info(parent, str(loc[-1]))
    return info.description if info else None


def _unknown_key_message(model: type[BaseModel], loc: Loc) -> str:
    """Say the key is unknown and suggest the closest known key at that level."""
    key = str(loc[-1])
    known = _known_keys(model, loc[:-1])
    message = f"未知字段「{key}」"
    close = closest(key, known, 0.3)
    if close:
        message += f"，是否想写「{close}」？"
    elif known:
        message += f"；这一层可以写的字段有：{'、'.join(known)}"
    return message


def _known_keys(model: type[BaseModel], parent: Loc) -> list[str]:
    """List the aliases allowed in the mapping at `parent`, walking the schema by alias."""
    current: Any = model
    for part in parent:
        current = child_annotation(current, part)
        if current is None:
            return []
    if is_model(current):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []


def child_annotation(annotation: Any, part: str | int) -> Any:
    """Return the annotation one step below `annotation`: a list item, a dict value or a model field by alias."""
    annotation = model_form(annotation)
    origin = typing.get_origin(annotation)
    if origin is list:
        return typing.get_args(annotation)[0] if isinstance(part, int) else None
    if origin is dict:
        return typing.get_args(annotation)[1]
    if is_model(annotation) and isinstance(part, str):
        return _field_annotation(annotation, part)
    return None


def _field_annotation(model: type[BaseModel], alias: str) -> Any:
    """Return the annotation of the field with `alias` in `model`, or None."""
    info = field_info(model, alias)
    return info.annotation if info else None


def field_info(annotation: Any, alias: str) -> FieldInfo | None:
    """Return the field of the model `annotation` whose YAML key is `alias`, or None."""
    annotation = unwrap(annotation)
    if not is_model(annotation):
        return None
    for name, info in annotation.model_fields.items():
        if (info.alias or name) == alias:
            return info
    return None


def unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional (Union with None) down to the one type inside, when there is one."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            inner = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(inner) != 1:
                return annotation
            annotation = inner[0]
        else:
            return annotation


def model_form(annotation: Any) -> Any:
    """Unwrap a type, and of a union of values and one model (an amount alone or in its columns) return the model."""
    inner = unwrap(annotation)
    if typing.get_origin(inner) in (typing.Union, types.UnionType):
        models = [unwrap(arg) for arg in typing.get_args(inner) if is_model(unwrap(arg))]
        if len(models) == 1:
            return models[0]
    return inner


def is_model(annotation: Any) -> bool:
    """Tell whether `annotation` is a record or a pydantic model class."""
    if not isinstance(annotation, type):
        return False
    from pydantic import (
        BaseModel,  # Only messages and the schema walks ask: a render does not import pydantic.
    )

    return issubclass(annotation, Record | BaseModel)


_MESSAGES = {
    "string_type": "应为文字",
    "string_unicode": "含有无效的字符编码（孤立的代理字符，如 \\ud800），Word 无法保存；请删除它",
    "int_type": "应为整数",
    "int_parsing": "应为整数（阿拉伯数字，不带小数点和单位）",
    "int_from_float": "应为整数，不能有小数",
    "int_parsing_size": "数字太大：绝对值应小于 10^15（一千万亿）",
    "decimal_type": "应为数字，例如 1104.784985（不带单位和千分位逗号）",
    "decimal_parsing": "应为数字，例如 1104.784985（不带单位和千分位逗号）",
    "finite_number": "应为有限的数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表：每一项单独一行，以「- 」开头",
    "dict_type": "应为若干「键: 值」，每个键单独一行并缩进",
    "model_type": "应为若干「键: 值」，每个键单独一行并缩进",
    "model_attributes_type": "应为若干「键: 值」，每个键单独一行并缩进",
    "string_too_short": "不能为空",
    "too_short": "至少要有 {min_length} 项",
    "too_long": "最多只能有 {max_length} 项",
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "不能大于 {le}",
    "less_than": "应小于 {lt}",
    "literal_error": "应为以下之一：{expected}",
    "enum": "应为以下之一：{expected}",
}


def _message(error: dict) -> str:
    """Return the Chinese message for a pydantic error, with its context filled in."""
    if _is_blank(error.get("input")):
        return BLANK_MESSAGE
    if error.get("input", ...) is None and error["type"].endswith("_type"):
        # «键:» with nothing after the colon reads as null.
        return f"没有填写内容（冒号后是空的）；{_MESSAGES.get(error['type'], '请填写')}"
    ctx = error.get("ctx") or {}
    if error["type"] in {"value_error", "assertion_error"} and "error" in ctx:
        return str(ctx["error"])
    if error["type"] == "greater_than_equal" and str(ctx.get("ge")) == "0":
        return "不能为负数"
    template = _MESSAGES.get(error["type"])
    if template is None:  # pydantic's own wording is English: name the check instead.
        return f"值不符合要求（{error['type']}）"
    expected = "、".join(f"「{choice}」" for choice in re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
    return template.format(**{**ctx, "expected": expected})
