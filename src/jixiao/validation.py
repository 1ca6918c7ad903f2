"""Validate loaded YAML against a pydantic schema, turning every error into a placed Chinese Problem."""

from __future__ import annotations

import difflib
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from jixiao.errors import Problem
from jixiao.yamlsource import Loc, SourceMap, field_label

Model = TypeVar("Model", bound=BaseModel)
_INTERNAL_STEP = re.compile(r"^([a-z][a-z_-]*\[.*\]|str|int|decimal|list|dict|bool)$")


def validate_into(model: type[Model], data: Any, source: SourceMap) -> tuple[Model | None, list[Problem]]:
    """Validate `data` as `model`; return the instance, or None with every problem found."""
    if not isinstance(data, dict):
        line, column = source.locate(())
        message = "文件的最外层应是若干「键: 值」（例如「单位:」），而不是单个值或列表"
        return None, [Problem(source.file, line or 1, column, None, message)]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, [_problem(model, error, source) for error in exc.errors(include_url=False)]


def _problem(model: type[BaseModel], error: dict, source: SourceMap) -> Problem:
    """Translate one pydantic error dict into a placed Problem."""
    loc = _user_loc(error["loc"])
    if error["type"] == "extra_forbidden":
        return source.problem(loc, _unknown_key_message(model, loc))
    if error["type"] == "missing":
        # The missing key has no line of its own: point at its parent mapping.
        problem = source.problem(loc[:-1], f"缺少必填项「{loc[-1]}」")
        return Problem(problem.file, problem.line, problem.column, field_label(loc), problem.message)
    return source.problem(loc, _message(error))


def _user_loc(loc: tuple) -> Loc:
    """Drop pydantic's internal markers (union branch names, function validators) from a location."""
    return tuple(part for part in loc if isinstance(part, int) or not _is_internal(str(part)))


def _is_internal(part: str) -> bool:
    """Tell pydantic's own location steps (e.g. 'function-after[...]', 'literal[...]') from user keys."""
    return bool(_INTERNAL_STEP.match(part))


def _unknown_key_message(model: type[BaseModel], loc: Loc) -> str:
    """Say the key is unknown and suggest the closest known key at that level."""
    key = str(loc[-1])
    known = _known_keys(model, loc[:-1])
    message = f"未知字段「{key}」"
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.3)
    if close:
        message += f"，是否想写「{close[0]}」？"
    elif known:
        message += f"；这一层可以写的字段有：{'、'.join(known)}"
    return message


def _known_keys(model: type[BaseModel], parent: Loc) -> list[str]:
    """List the aliases allowed in the mapping at `parent`, walking the schema by alias."""
    current: Any = model
    for part in parent:
        if isinstance(part, int):
            current = _item_model(current)
            continue
        current = _field_model(current, part)
        if current is None:
            return []
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []


def _field_model(model: Any, alias: str) -> Any:
    """Return the annotation of the field with `alias` in `model`, or None."""
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return None
    for name, info in model.model_fields.items():
        if (info.alias or name) == alias:
            return _unwrap(info.annotation)
    return None


def _item_model(annotation: Any) -> Any:
    """Return the item type of a list annotation."""
    args = getattr(annotation, "__args__", ())
    return _unwrap(args[0]) if args else None


def _unwrap(annotation: Any) -> Any:
    """Strip Optional/Union-with-None to the one model type inside, when there is one."""
    args = getattr(annotation, "__args__", None)
    origin = getattr(annotation, "__origin__", None)
    if origin is list:
        return annotation
    if args:
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        if len(models) == 1:
            return models[0]
        lists = [a for a in args if getattr(a, "__origin__", None) is list]
        if len(lists) == 1:
            return lists[0]
    return annotation


_MESSAGES = {
    "string_type": "应为文字",
    "int_type": "应为整数",
    "int_parsing": "应为整数（不带小数点和单位），例如 64",
    "int_from_float": "应为整数，不能有小数",
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
    ctx = error.get("ctx") or {}
    if error["type"] in {"value_error", "assertion_error"} and "error" in ctx:
        return str(ctx["error"])
    if error["type"] == "greater_than_equal" and str(ctx.get("ge")) == "0":
        return "不能为负数"
    template = _MESSAGES.get(error["type"])
    if template is None:
        return str(error["msg"])
    expected = "、".join(f"「{choice}」" for choice in re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
    return template.format(**{**ctx, "expected": expected})
