"""The templates' light markup, parsed into blocks.

One line is one paragraph. A line may start with a marker written in the template:

    = 标题文字              title (标题)
    # 一、基本概况           一级标题
    ## （一）人员情况        二级标题
    ### 1.统筹协调全镇工作   三级标题
    [附件标识] 附件          a paragraph in any named style (see StyleKey)
    ::: 分页                page break
    ::: 横向 / ::: 纵向      new section, landscape / portrait
    ::: 表格 评分表          the named table
    anything else           正文

Values printed with {{ }} can never act as markers: the environment's finalize
(`mark_value`) puts an invisible sentinel before every line of a value, and the
parser treats a sentinel-led line as plain text. Facts may not contain control
characters (they are refused at load time), so no user text can forge one.

Lines are split at \n only. A value's other line breaks (\r, U+2028 and every other
character `str.splitlines` breaks at) are refused when the facts are read; should one
reach a value anyway it is taken as \n, a new plain paragraph, and never as a marker.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from typing import Any

from jixiao.render.blocks import Block, PageBreak, Paragraph, SectionBreak, StyleKey, TablePlaceholder

SENTINEL = "\x1f"
# Every line break str.splitlines knows; in a value each starts a new (plain) line. The pattern is
# compiled on first use (re caches it): a printable value holds no line break and is not searched.
_VALUE_BREAK = "\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]"

_PREFIXES = (
    ("### ", StyleKey.HEADING3),
    ("## ", StyleKey.HEADING2),
    ("# ", StyleKey.HEADING1),
    ("= ", StyleKey.TITLE),
)
# Templates written for jixiao 0.2 name the styles as they were called then (before they were
# renamed away from Word's built-in 正文 and 标题); those names keep working in [样式名] lines.
_FORMER_NAMES = {
    "标题": StyleKey.TITLE,
    "一级标题": StyleKey.HEADING1,
    "二级标题": StyleKey.HEADING2,
    "三级标题": StyleKey.HEADING3,
    "正文": StyleKey.BODY,
    "正文无缩进": StyleKey.BODY_NO_INDENT,
}
_STYLES = {style.value: style for style in StyleKey} | _FORMER_NAMES


class MarkupError(ValueError):
    """A template line that looks like markup but is not valid markup; carries the output line."""

    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(message)


def mark_value(value: Any) -> str:
    """Mark every line of a printed value as plain text (Jinja's finalize hook)."""
    text = "" if value is None else str(value)
    if text.isprintable():
        return SENTINEL + text
    return SENTINEL + re.sub(_VALUE_BREAK, "\n" + SENTINEL, text)


def parse_blocks(text: str, tables: Collection[str] = ()) -> list[Block]:
    """Parse rendered template text into blocks, one paragraph per non-blank line; `tables` are the known tables."""
    return list(_blocks(text, tables))


def _blocks(text: str, tables: Collection[str]) -> Iterator[Block]:
    """Yield the block of each non-blank line (lines end at \n only, so line numbers are the output's own)."""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.replace(SENTINEL, "").strip():
            yield _block(number, line, tables)


def _block(number: int, line: str, tables: Collection[str]) -> Block:
    """Read one line: a marker from the template, or a plain body paragraph."""
    if line.startswith(SENTINEL):
        return Paragraph(StyleKey.BODY, _clean(line))
    if line.startswith("::: "):
        return _directive(number, _clean(line[4:]), tables)
    if line.startswith("["):
        return _styled(number, line)
    for prefix, style in _PREFIXES:
        if line.startswith(prefix):
            return Paragraph(style, _clean(line[len(prefix) :]))
    return Paragraph(StyleKey.BODY, _clean(line))


def _directive(number: int, command: str, tables: Collection[str]) -> Block:
    """Read a ::: directive line; a table must be one of `tables`."""
    word, _, argument = command.partition(" ")
    if word == "分页":
        return PageBreak()
    if word in {"横向", "纵向"}:
        return SectionBreak(landscape=word == "横向")
    if word == "表格" and argument.strip() in tables:
        return TablePlaceholder(argument.strip())
    if word == "表格" and argument.strip():
        raise MarkupError(number, f"没有名为「{argument.strip()}」的表格；可用：{'、'.join(tables)}")
    raise MarkupError(number, f"无法识别的指令「::: {command}」；可用：分页、横向、纵向、表格 名称")


def _styled(number: int, line: str) -> Paragraph:
    """Read a [样式名] line into a paragraph of that named style."""
    name, closed, rest = line[1:].partition("]")
    style = _STYLES.get(name)
    if not closed or style is None:
        raise MarkupError(number, f"未知样式「{name}」；可用：{'、'.join(StyleKey)}")
    return Paragraph(style, _clean(rest.lstrip(" ")))


def _clean(text: str) -> str:
    """Remove sentinels and the template's surrounding spaces, keeping the text itself exact."""
    return text.replace(SENTINEL, "").strip(" ")
