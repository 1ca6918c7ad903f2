"""The one Jinja environment of the report: loader with maintainer overrides, filters, errors in Chinese."""

from __future__ import annotations

import difflib
import re
import shutil
import traceback
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2

from jixiao.errors import OutputError, Problem, TemplateError
from jixiao.render.markup import mark_value
from jixiao.resources import templates_dir
from jixiao.rules import entered, plain

MAIN_TEMPLATE = "report.j2"
TEMPLATE_SUFFIX = ".j2"

_CN_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_WAN = Decimal(10000)


def build_environment(override_dir: Path | None = None) -> jinja2.Environment:
    """Build the report's Jinja environment: maintainer folder first, bundled templates after."""
    search = [str(override_dir)] if override_dir is not None else []
    search.append(str(templates_dir()))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search, encoding="utf-8"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # The output is our own light markup, not HTML; values are marked instead.
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=mark_value,
        auto_reload=False,
    )
    env.filters.update(FILTERS)
    return env


def chinese_numeral(number: int) -> str:
    """Write 1–99 as 一 … 九十九 (公文 heading numbers never go beyond that)."""
    if not 0 < number < 100:
        raise ValueError(f"中文序号只支持 1–99，得到 {number}")
    tens, ones = divmod(number, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones else "")


def ordinal(number: int, pattern: str = "一、") -> str:
    """Number an item by example: 一、 （一） 1. （1） 1、 ① 一是 — the pattern shows the style for 1."""
    if "①" in pattern:
        if not 0 < number <= len(_CIRCLED):
            raise ValueError(f"带圈序号只支持 1–{len(_CIRCLED)}，得到 {number}")
        return pattern.replace("①", _CIRCLED[number - 1])
    if "一" in pattern:
        return pattern.replace("一", chinese_numeral(number), 1)
    if "1" in pattern:
        return pattern.replace("1", str(number), 1)
    raise ValueError(f"序号样式「{pattern}」里应含有 一、1 或 ① 之一")


@jinja2.pass_context
def money(context: jinja2.runtime.Context, amount: Decimal | int, unit: str | None = None) -> str:
    """Write an amount with its unit at the entered precision, converting 元↔万元 exactly when asked."""
    source_unit = context["money_unit"]
    target = unit or source_unit
    value = Decimal(amount)
    if source_unit == "元" and target == "万元":
        value = value / _WAN
    elif source_unit == "万元" and target == "元":
        value = value * _WAN
    return entered(value.normalize() if target != source_unit else value) + target


def percent(value: Decimal | int | None, places: int = 2) -> str:
    """Write a percentage number (93 means 93%) with a fixed number of places: 93.00%."""
    if value is None:
        return "—"
    quantum = Decimal(1).scaleb(-places)
    return f"{Decimal(value).quantize(quantum):f}%"


def points(value: Decimal | int | None) -> str:
    """Write a score without trailing zeros: 95.00 → 95, 9.50 → 9.5."""
    return "—" if value is None else plain(Decimal(value))


def enumerate_inline(items: Iterable[str], pattern: str = "一是", sep: str = "；", end: str = "。") -> str:
    """Join items as one sentence: 一是…；二是…；三是…。 (trailing punctuation of items is dropped)."""
    parts = [ordinal(i, pattern) + _strip_end(item) for i, item in enumerate(items, start=1)]
    return sep.join(parts) + end if parts else ""


def chinese_date(value: date) -> str:
    """Write a date as GB/T 9704 7.3.5.4 wants: Arabic numerals, the year in full, no leading zeros (2022年1月10日)."""
    return f"{value.year}年{value.month}月{value.day}日"


def sentence(text: str, end: str = "。") -> str:
    """End a text with 。 unless it already ends with sentence punctuation."""
    return text if text.endswith(("。", "！", "？", "：", "；", "…")) else text + end


def _strip_end(text: str) -> str:
    """Drop one trailing 。；， from an item that is joined into a longer sentence."""
    return text[:-1] if text.endswith(("。", "；", "，")) else text


FILTERS: Mapping[str, Callable[..., Any]] = {
    "cn": chinese_numeral,
    "ordinal": ordinal,
    "money": money,
    "percent": percent,
    "points": points,
    "enumerate_inline": enumerate_inline,
    "sentence": sentence,
    "plain": entered,
    "date": chinese_date,
}


def render_text(env: jinja2.Environment, context: Mapping[str, Any], name: str = MAIN_TEMPLATE) -> str:
    """Render the report text, turning every template failure into a placed Chinese TemplateError."""
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError([_syntax_problem(env, exc)]) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError([Problem(exc.name, None, None, None, "找不到这个模板文件")]) from None
    except (jinja2.UndefinedError, TypeError, ValueError, AttributeError) as exc:
        raise TemplateError([_runtime_problem(env, exc, context)]) from None


def _syntax_problem(env: jinja2.Environment, exc: jinja2.TemplateSyntaxError) -> Problem:
    """Place a template syntax error on its file and line."""
    return Problem(
        _template_path(env, exc.name or exc.filename), exc.lineno, None, None, f"模板语法错误：{exc.message}"
    )


def _runtime_problem(env: jinja2.Environment, exc: Exception, context: Mapping[str, Any]) -> Problem:
    """Place an error raised while rendering on the template line that raised it."""
    name, line = _template_frame(exc)
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


_UNDEFINED_NAME = re.compile(r"'(?P<name>[^']+)' is undefined")
_MISSING_ATTR = re.compile(r"has no attribute '(?P<name>[^']+)'")


def _runtime_message(exc: Exception, context: Mapping[str, Any]) -> str:
    """Say in Chinese which name is missing or misspelled, with a suggestion when one is close."""
    text = str(exc)
    match = _UNDEFINED_NAME.search(text)
    if match:
        return _did_you_mean(f"名称「{match['name']}」不存在", match["name"], list(context))
    match = _MISSING_ATTR.search(text)
    if match:
        return _did_you_mean(f"属性「{match['name']}」不存在", match["name"], _known_attributes(context))
    return f"渲染出错：{text}"


def _did_you_mean(message: str, name: str, known: Iterable[str]) -> str:
    """Append the closest known name, if any."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"{message}，是否想写「{close[0]}」？" if close else message


def _known_attributes(context: Mapping[str, Any]) -> set[str]:
    """Collect attribute names of the context's objects (one level deep) for suggestions."""
    names: set[str] = set()
    for value in context.values():
        fields = getattr(type(value), "model_fields", None) or getattr(value, "_fields", None)
        names.update(fields or ())
        names.update(name for name in dir(value) if not name.startswith("_"))
    return names


def export_templates(directory: Path) -> list[Path]:
    """Copy the bundled templates into `directory`, never overwriting a file already there."""
    directory.mkdir(parents=True, exist_ok=True)
    sources = sorted(templates_dir().glob(f"*{TEMPLATE_SUFFIX}"))
    clashes = [directory / s.name for s in sources if (directory / s.name).exists()]
    if clashes:
        message = "目录中已有同名模板文件，未复制任何文件；请换一个空目录，或先移走这些文件"
        raise OutputError([Problem(str(path), None, None, None, message) for path in clashes])
    written = []
    for source in sources:
        target = directory / source.name
        shutil.copyfile(source, target)
        written.append(target)
    return written
