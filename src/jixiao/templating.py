"""The one Jinja environment of the report: loader with maintainer overrides, filters, errors in Chinese."""

from __future__ import annotations

import copy
import re
import traceback
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2

from jixiao.errors import Problem, TemplateError
from jixiao.render.blocks import Block
from jixiao.render.markup import MarkupError, mark_value, parse_blocks
from jixiao.templatesandbox import (
    UNWRITABLE,
    BoundedLoader,
    Refused,
    ReportSandbox,
    TemplateUnreadable,
    output_line_place,
)
from jixiao.templatesets import TEMPLATE_SUFFIX, choose_set
from jixiao.wording import did_you_mean, template_filters

MAIN_TEMPLATE = "report.j2"


def build_environment(override_dir: Path | None = None, folders: Sequence[Path] | None = None) -> jinja2.Environment:
    """Build the report's sandboxed Jinja environment: maintainer folder first, then the set's `folders` (巨鹿's if None)."""
    search = [str(override_dir)] if override_dir is not None else []
    search.extend(str(folder) for folder in (folders if folders is not None else choose_set(None).folders))
    env = ReportSandbox(
        loader=BoundedLoader(search, encoding="utf-8"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # The output is our own light markup, not HTML; values are marked instead.
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=mark_value,
        auto_reload=False,
    )
    env.filters.update(template_filters())
    return env


def render_text(env: jinja2.Environment, context: Mapping[str, Any], name: str = MAIN_TEMPLATE) -> str:
    """Render the report text, turning every template failure into a placed Chinese TemplateError."""
    try:
        text = "".join(env.generate_bounded(env.get_template(name), context))  # type: ignore[attr-defined]
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError([_syntax_problem(env, exc)]) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError([Problem(exc.name, None, None, None, "找不到这个模板文件")]) from None
    except TemplateUnreadable as exc:
        raise TemplateError([Problem(exc.filename, exc.line, None, None, exc.message)]) from None
    except Exception as exc:  # Whatever a template's code raises while rendering: placed and said in Chinese.
        raise TemplateError([_runtime_problem(env, exc, context)]) from None
    found = UNWRITABLE.search(text)
    if found:
        message = f"模板输出了 Word 无法保存的字符 U+{ord(found.group()):04X}"
        raise TemplateError([_output_problem(env, context, name, text, text.count("\n", 0, found.start()) + 1, message)])
    return text


def render_blocks(
    env: jinja2.Environment, context: Mapping[str, Any], tables: Collection[str], name: str = MAIN_TEMPLATE
) -> list[Block]:
    """Render the report text and parse its markup into blocks; a bad markup line is a placed TemplateError."""
    text = render_text(env, context, name)
    try:
        return parse_blocks(text, tables)
    except MarkupError as exc:
        raise TemplateError([_output_problem(env, context, name, text, exc.line, str(exc))]) from None


def _output_problem(
    env: jinja2.Environment, context: Mapping[str, Any], name: str, text: str, line: int, message: str
) -> Problem:
    """Place a problem found in the output `text`'s `line` on the template line that wrote it."""
    filename, template_line = output_line_place(env, copy.deepcopy(dict(context)), name, text, line)
    if filename is None:
        return Problem("报告模板输出", line, None, None, message)
    return Problem(_template_path(env, filename), template_line, None, None, message)


def _syntax_problem(env: jinja2.Environment, exc: jinja2.TemplateSyntaxError) -> Problem:
    """Place a template syntax error on its file and line."""
    message = f"模板语法错误：{syntax_message(exc.message or '')}"
    return Problem(_template_path(env, exc.name or exc.filename), exc.lineno, None, None, message)


_TOKEN_NAMES = {
    "end of print statement": "}}",
    "end of statement block": "%}",
    "end of template": "模板末尾",
    "name": "名称",
}
# Patterns are compiled on first use (re caches them): only a failing template needs them.
_SYNTAX_PHRASES = (
    (
        r"(?s)Unexpected end of template\..*?innermost block that needs to be closed is '(\w+)'",
        "模板在 {{% {0} %}} 还没有结束时就结束了：缺少对应的 {{% end{0} %}}",
    ),
    (r"(?s)Encountered unknown tag '(\w+)'\..*?innermost block that needs to be closed is '(\w+)'",
     "这里的 {{% {0} %}} 与前面的 {{% {1} %}} 不配对：应先写 {{% end{1} %}}"),
    (r"Encountered unknown tag '(\w+)'", "无法识别的标签 {{% {0} %}}"),
    (r"Missing end of comment tag", "注释 {{# … #}} 没有闭合"),
    (r"tag name expected", "{{% 后面缺少标签名"),
    (r"unexpected char '(.)'", "无法识别的字符「{0}」（文字请放在引号里，引号要成对）"),
    (r"unexpected '(.+?)', expected '(.+?)'", "这里应为「{1}」，却是「{0}」"),
    (r"expected token '(.+?)', got '(.+?)'", "这里应为「{0}」，却是「{1}」"),
    (r"Expected an expression, got '(.+?)'", "「{0}」前面缺少表达式"),
    (r"unexpected '(.+?)'", "这里不应出现「{0}」"),
)


def syntax_message(english: str) -> str:
    """Say a Jinja syntax error in Chinese: which tag is unclosed or unknown, what was expected."""
    for pattern, chinese in _SYNTAX_PHRASES:
        found = re.search(pattern, english)
        if found:
            return chinese.format(*(_TOKEN_NAMES.get(part, part) for part in found.groups()))
    return "无法识别的写法（请检查 {{ }}、{% %} 是否成对，括号和引号是否闭合）"


def _runtime_problem(env: jinja2.Environment, exc: Exception, context: Mapping[str, Any]) -> Problem:
    """Place an error raised while rendering on the template line that raised it."""
    name, line = _template_frame(exc)
    if name is None and isinstance(exc, Refused):
        name, line = exc.place
    return Problem(_template_path(env, name), line, None, None, _runtime_message(exc, context))


def _template_frame(exc: Exception) -> tuple[str | None, int | None]:
    """Find the innermost template file and line in a rendering traceback."""
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith(TEMPLATE_SUFFIX):
            found = (frame.filename, frame.lineno)
    return found


def _template_path(env: jinja2.Environment, name: str | None) -> str:
    """Return the file a template name was loaded from (maintainer copy or bundled default)."""
    if name is None:
        return "模板"
    if Path(name).is_absolute():
        return name
    for folder in env.loader.searchpath:  # type: ignore[union-attr]
        candidate = Path(folder) / name
        if candidate.is_file():
            return str(candidate)
    return name


_UNDEFINED_NAME = r"'(?P<name>[^']+)' is undefined"
_MISSING_ATTR = r"has no attribute '(?P<name>[^']+)'"


def _runtime_message(exc: Exception, context: Mapping[str, Any]) -> str:
    """Say in Chinese what went wrong: a name missing or misspelled (with a suggestion), or what Python refused."""
    text = str(exc)
    if isinstance(exc, Refused) or re.search(_CJK, text):
        return f"渲染出错：{text}" if not isinstance(exc, Refused) else f"已拒绝：{text}"
    match = re.search(_UNDEFINED_NAME, text)
    if match:
        return did_you_mean(f"名称「{match['name']}」不存在", match["name"], list(context))
    match = re.search(_MISSING_ATTR, text)
    if match:
        return did_you_mean(f"属性「{match['name']}」不存在", match["name"], _known_attributes(context))
    return f"渲染出错：{_python_error(exc)}"


_CJK = "[\u4e00-\u9fff]"  # A pattern with a range this wide takes a millisecond to compile.
_PYTHON_ERRORS = (
    (ZeroDivisionError, "除数为 0"),
    (RecursionError, "宏或模板调用自身层次太深（可能无限递归）"),
    (OverflowError, "数字太大，无法计算"),
    (MemoryError, "内存不足：模板要生成的内容太多"),
    (UnicodeError, "文字含有无法编码的字符"),
    (TypeError, "值的类型不对，不能这样运算或调用"),
    (ValueError, "值不合适，无法这样运算或转换"),
    (LookupError, "取不到这一项（序号或键不存在）"),
    (jinja2.UndefinedError, "取不到这一项或属性（序号、键或属性不存在）"),
    (AttributeError, "取不到这个属性"),
)


def _python_error(exc: Exception) -> str:
    """Say in Chinese what kind of error Python raised, naming its class for the template's maintainer."""
    meaning = next((text for kind, text in _PYTHON_ERRORS if isinstance(exc, kind)), "模板运行出错")
    return f"{meaning}（{type(exc).__name__}）"


def _known_attributes(context: Mapping[str, Any]) -> set[str]:
    """Collect attribute names of the context's objects (one level deep) for suggestions."""
    # dir() lists a record's fields (its instance dict) and a NamedTuple's (its class) with their properties.
    return {name for value in context.values() for name in dir(value) if not name.startswith("_")}
