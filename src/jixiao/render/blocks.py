"""The document model between the text templates and the Word writer.

Templates produce plain text with light structure; `parse_blocks` (in
`render.markup`) turns it into this list of blocks; `render.docx_writer` maps
each block onto a named Word style. Nothing here knows about Word XML.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class StyleKey(StrEnum):
    """Paragraph styles of the report; the value is the Word style name an editor sees.

    No name is one Word or WPS gives its own built-in styles, in English or Chinese (正文 is
    Normal, 标题 is Title, 标题 1 is Heading 1, 页码 is Page Number …): an editor would see two
    正文 in the style list and not know which is ours.
    """

    TITLE = "公文标题"
    HEADING1 = "公文一级标题"
    HEADING2 = "公文二级标题"
    HEADING3 = "公文三级标题"
    BODY = "公文正文"
    BODY_NO_INDENT = "公文正文无缩进"
    ATTACHMENT_LABEL = "附件标识"
    TABLE_TITLE = "表格标题"
    TABLE_TEXT = "表格文字"
    ATTACHMENT_NOTE = "附件说明"
    SIGNATURE = "落款"
    DATE = "成文日期"


class Paragraph(NamedTuple):
    """One paragraph of text in one named style; the text is exact (no markup inside)."""

    style: StyleKey
    text: str


class PageBreak(NamedTuple):
    """Start the next block on a new page."""


class SectionBreak(NamedTuple):
    """Start a new section (new page) with the given orientation for what follows."""

    landscape: bool


class TablePlaceholder(NamedTuple):
    """Insert the table registered under `name` (e.g. "评分表") at this point."""

    name: str


Block = Paragraph | PageBreak | SectionBreak | TablePlaceholder


class Column(NamedTuple):
    """A table column: header text and relative width (any unit; scaled to the text width)."""

    title: str
    width: float


class TableData(NamedTuple):
    """A plain table for the writer.

    `rows` hold cell texts, one list per row, as wide as `columns`.
    The first `merge_levels` columns are hierarchical tier names: consecutive rows
    with the same value in column 0 are merged vertically, and within such a span
    the same holds for column 1, and so on.
    `footer` rows are written after the body; a footer row shorter than the table
    has its first cell spanning the columns left over (e.g. ["自评总分", "95"]).
    """

    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    merge_levels: int = 0
    footer: tuple[tuple[str, ...], ...] = ()
