"""Style profile of the report: font names, sizes and the paragraph styles built from them.

A maintainer changes fonts or sizes here (or passes another `StyleProfile`); the
Word writer turns each `ParagraphStyle` into a named Word style. Figures follow
GB/T 9704-2012 党政机关公文格式; clause numbers are cited where a value comes from it.
Nothing here knows about Word XML.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from types import MappingProxyType

from jixiao.render.blocks import StyleKey


class Align(StrEnum):
    """Horizontal alignment of a paragraph."""

    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"
    JUSTIFY = "justify"


@dataclass(frozen=True, slots=True)
class StyleProfile:
    """Font names and sizes (points) of the report; the defaults are the GB/T 9704 fonts."""

    name: str = "gb2312"
    title_font: str = "方正小标宋简体"  # 7.3.1: 2号小标宋体字
    heading1_font: str = "黑体"  # 7.3.3: 第一层用黑体字
    heading2_font: str = "楷体_GB2312"  # 7.3.3: 第二层用楷体字
    body_font: str = "仿宋_GB2312"  # 5.2.2: 一般用3号仿宋体字
    page_number_font: str = "宋体"  # 7.5: 4号半角宋体阿拉伯数字
    latin_font: str = "Times New Roman"
    title_bold: bool = False  # 小标宋 is heavy by design; plain 宋体 needs bold to look like it
    title_size: float = 22.0  # 二号
    body_size: float = 16.0  # 三号
    table_title_size: float = 18.0  # 小二
    table_text_size: float = 10.5  # 五号
    page_number_size: float = 14.0  # 四号
    line_pitch: float = 28.95  # 5.2.3: 22 lines on the 225 mm type area


DEFAULT_PROFILE = StyleProfile()

# Fonts every Chinese Windows/WPS install has, for machines without the _GB2312 fonts.
COMMON_PROFILE = StyleProfile(
    name="common",
    title_font="宋体",
    heading2_font="楷体",
    body_font="仿宋",
    title_bold=True,
)

PROFILES: Mapping[str, StyleProfile] = MappingProxyType(
    {DEFAULT_PROFILE.name: DEFAULT_PROFILE, COMMON_PROFILE.name: COMMON_PROFILE}
)


def profile_by_name(name: str) -> StyleProfile:
    """Return the ready profile called `name` ("gb2312" or "common")."""
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown style profile {name!r}; choose one of {sorted(PROFILES)}") from None


@dataclass(frozen=True, slots=True)
class ParagraphStyle:
    """One named paragraph style: what an editor sees in Word's style gallery.

    `line_spacing` is an exact line height in points, or None for single spacing.
    `indent_chars` / `right_indent_chars` are in characters of this style's font size.
    `on_grid` snaps the text to the document grid (22 lines x 28 characters).
    """

    style_id: str
    name: str
    font: str
    size: float
    align: Align = Align.JUSTIFY
    bold: bool = False
    indent_chars: float = 0.0
    right_indent_chars: float = 0.0
    line_spacing: float | None = None
    space_after: float = 0.0
    outline_level: int | None = None
    keep_next: bool = False
    on_grid: bool = True


# Styles outside StyleKey: blocks never name them, the writer uses them itself.
TABLE_HEADER_STYLE = "表格表头"
PAGE_NUMBER_STYLE = "页码"


def paragraph_styles(profile: StyleProfile) -> tuple[ParagraphStyle, ...]:
    """Return every paragraph style of the report, StyleKey styles first."""
    p = profile
    # 7.3.3: 每个自然段左空二字; headings keep the same indent (公文 practice).
    body = ParagraphStyle(
        "jxBody", StyleKey.BODY, p.body_font, p.body_size, indent_chars=2, line_spacing=p.line_pitch
    )
    heading = replace(body, keep_next=True)
    title = ParagraphStyle(
        "jxTitle", StyleKey.TITLE, p.title_font, p.title_size, Align.CENTER, p.title_bold,
        line_spacing=p.line_pitch, space_after=p.line_pitch, keep_next=True, on_grid=False,
    )  # fmt: skip
    table_text = ParagraphStyle(
        "jxTableText", StyleKey.TABLE_TEXT, p.body_font, p.table_text_size, Align.LEFT, on_grid=False
    )
    return (
        title,
        replace(heading, style_id="jxH1", name=StyleKey.HEADING1, font=p.heading1_font, outline_level=0),
        replace(heading, style_id="jxH2", name=StyleKey.HEADING2, font=p.heading2_font, outline_level=1),
        replace(heading, style_id="jxH3", name=StyleKey.HEADING3, bold=True, outline_level=2),
        body,
        replace(body, style_id="jxBodyNoIndent", name=StyleKey.BODY_NO_INDENT, indent_chars=0),
        # 7.3.7: "附件" 3号黑体 顶格.
        replace(heading, style_id="jxAttachment", name=StyleKey.ATTACHMENT_LABEL, font=p.heading1_font,
                align=Align.LEFT, indent_chars=0),
        replace(title, style_id="jxTableTitle", name=StyleKey.TABLE_TITLE, size=p.table_title_size,
                space_after=0),
        table_text,
        # 7.3.5.2: 署名 右空二字.
        replace(body, style_id="jxSignature", name=StyleKey.SIGNATURE, align=Align.RIGHT, indent_chars=0,
                right_indent_chars=2),
        replace(table_text, style_id="jxTableHead", name=TABLE_HEADER_STYLE, align=Align.CENTER, bold=True),
        # 7.5: 4号半角宋体; the writer right-aligns it on odd pages and left-aligns it on even pages.
        ParagraphStyle("jxPageNum", PAGE_NUMBER_STYLE, p.page_number_font, p.page_number_size, on_grid=False),
    )  # fmt: skip


def style_ids(profile: StyleProfile) -> Mapping[str, str]:
    """Return style name -> style id for `profile`'s styles."""
    return {s.name: s.style_id for s in paragraph_styles(profile)}
