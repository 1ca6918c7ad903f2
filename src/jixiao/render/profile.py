"""Style profile of the report: page geometry, font names, sizes and the paragraph styles built from them.

A maintainer changes fonts or sizes here (or passes another `StyleProfile`); the
Word writer turns each `ParagraphStyle` into a named Word style. Figures follow
GB/T 9704-2012 党政机关公文格式; clause numbers are cited where a value comes from it.
Nothing here knows about Word XML.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from jixiao.render.blocks import StyleKey

MM_PER_PT = 25.4 / 72


class Align(StrEnum):
    """Horizontal alignment of a paragraph."""

    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"
    JUSTIFY = "justify"


# --- Page ---------------------------------------------------------------------------------------


class PageSetup(NamedTuple):
    """Paper size and margins of a section, in millimetres."""

    width: float
    height: float
    top: float
    bottom: float
    left: float
    right: float
    landscape: bool = False

    @property
    def text_width(self) -> float:
        """Width of the type area (版心)."""
        return self.width - self.left - self.right

    def rotated(self) -> PageSetup:
        """Return the sheet turned a quarter anticlockwise, as a landscape table is printed on it (8).

        The landscape page's head lies along the sheet's left edge (the binding edge, 订口, of
        odd pages; GB/T 9704 8 wants 单页码表头在订口一边) and its left margin along the foot of
        the sheet; the type area keeps its size, lying across.
        """
        return PageSetup(
            self.height, self.width, self.left, self.right, self.bottom, self.top, not self.landscape
        )


# 5.2.1: A4 210 mm x 297 mm; 天头 37 mm, 订口 28 mm, 版心 156 mm x 225 mm (so bottom 35 mm, right 26 mm).
A4_PORTRAIT = PageSetup(210.0, 297.0, top=37.0, bottom=35.0, left=28.0, right=26.0)
A4_LANDSCAPE = A4_PORTRAIT.rotated()


# --- Profiles -----------------------------------------------------------------------------------


class StyleProfile(NamedTuple):
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
    chars_per_line: int = 28  # 5.2.3: 28 characters on the 156 mm type area


DEFAULT_PROFILE = StyleProfile()

# Fonts every Chinese Windows/WPS install has, for machines without the _GB2312 fonts.
COMMON_PROFILE = StyleProfile(
    name="common", title_font="宋体", heading2_font="楷体", body_font="仿宋", title_bold=True
)

PROFILES: Mapping[str, StyleProfile] = MappingProxyType(
    {DEFAULT_PROFILE.name: DEFAULT_PROFILE, COMMON_PROFILE.name: COMMON_PROFILE}
)

# --- Font table ---------------------------------------------------------------------------------


class FontFacts(NamedTuple):
    """What Word and WPS need to stand in a similar font when a named one is missing.

    `alt_name` is the font to try next (the English name Windows registers the Chinese fonts
    under); `panose` the PANOSE-1 classification as 20 hex digits; `charset` the Windows
    character set (86 = GB2312, 00 = ANSI); `family` and `pitch` the w:family and w:pitch values.
    """

    alt_name: str | None
    panose: str
    charset: str
    family: str
    pitch: str


# The values Word itself writes for these fonts in a document typed on Chinese Windows.
_SONG = FontFacts("SimSun", "02010600030101010101", "86", "auto", "variable")
FONT_FACTS: Mapping[str, FontFacts] = MappingProxyType(
    {
        "宋体": _SONG,
        "黑体": FontFacts("SimHei", "02010609060101010101", "86", "modern", "fixed"),
        "仿宋": FontFacts("FangSong", "02010609060101010101", "86", "modern", "fixed"),
        "楷体": FontFacts("KaiTi", "02010609060101010101", "86", "modern", "fixed"),
        "仿宋_GB2312": FontFacts("FangSong", "02010609030101010101", "86", "modern", "fixed"),
        "楷体_GB2312": FontFacts("KaiTi", "02010609030101010101", "86", "modern", "fixed"),
        "方正小标宋简体": _SONG._replace(panose="02000000000000000000", family="script", pitch="default"),
        "Times New Roman": FontFacts(None, "02020603050405020304", "00", "roman", "variable"),
    }
)


def font_facts(name: str) -> FontFacts:
    """Return the font-table facts of `name`; an unknown font is described by its script alone."""
    known = FONT_FACTS.get(name)
    if known is not None:
        return known
    # A maintainer's own font: a Chinese name is a GB2312 face, anything else a Latin one.
    return FontFacts(None, "00000000000000000000", "00" if name.isascii() else "86", "auto", "default")


def profile_by_name(name: str) -> StyleProfile:
    """Return the ready profile called `name` ("gb2312" or "common")."""
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown style profile {name!r}; choose one of {sorted(PROFILES)}") from None


# --- Paragraph styles ---------------------------------------------------------------------------


class ParagraphStyle(NamedTuple):
    """One named paragraph style: what an editor sees in Word's style gallery.

    `line_spacing` is an exact line height in points, or None for single spacing.
    `indent_chars` (where the first line starts), `hanging_chars` and `right_indent_chars` are
    in characters of this style's font size.
    `on_grid` snaps lines to the page's line grid; `char_scale` (percent, 100 = as designed)
    narrows every character horizontally.
    """

    style_id: str
    name: str
    font: str
    size: float
    latin_font: str = "Times New Roman"
    align: Align = Align.JUSTIFY
    bold: bool = False
    indent_chars: float = 0.0
    hanging_chars: float = 0.0  # lines after the first start this much further right than the first
    right_indent_chars: float = 0.0
    line_spacing: float | None = None
    space_before: float = 0.0
    space_after: float = 0.0  # not between consecutive paragraphs of the same style
    outline_level: int | None = None
    keep_next: bool = False
    on_grid: bool = True
    char_scale: int = 100
    next_style_id: str | None = None  # style Word gives the paragraph typed after this one


# 7.3.5.2: the 署名 (or a 成文日期 longer than it) ends two characters in from the right.
SIGNATURE_INSET_CHARS = 2.0

# Styles outside StyleKey: blocks never name them, the writer uses them itself.
TABLE_HEADER_STYLE = "表格表头"
PAGE_NUMBER_STYLE = "公文页码"


def paragraph_styles(profile: StyleProfile) -> tuple[ParagraphStyle, ...]:
    """Return every paragraph style of the report, StyleKey styles first."""
    p = profile
    # 7.3.3: 每个自然段左空二字; headings keep the same indent (公文 practice).
    body = ParagraphStyle(
        "jxBody", StyleKey.BODY, p.body_font, p.body_size, p.latin_font, indent_chars=2,
        line_spacing=p.line_pitch, char_scale=fit_char_scale(p.body_size, p.chars_per_line),
    )  # fmt: skip
    heading = body._replace(keep_next=True, next_style_id=body.style_id)
    title = ParagraphStyle(
        "jxTitle", StyleKey.TITLE, p.title_font, p.title_size, p.latin_font, Align.CENTER, p.title_bold,
        line_spacing=p.line_pitch, space_after=p.line_pitch, keep_next=True, on_grid=False,
        next_style_id=body.style_id,
    )  # fmt: skip
    table_text = ParagraphStyle(
        "jxTableText", StyleKey.TABLE_TEXT, p.body_font, p.table_text_size, p.latin_font, Align.LEFT,
        on_grid=False,
    )  # fmt: skip
    return (
        title,
        heading._replace(style_id="jxH1", name=StyleKey.HEADING1, font=p.heading1_font, outline_level=0),
        heading._replace(style_id="jxH2", name=StyleKey.HEADING2, font=p.heading2_font, outline_level=1),
        heading._replace(style_id="jxH3", name=StyleKey.HEADING3, bold=True, outline_level=2),
        body,
        body._replace(style_id="jxBodyNoIndent", name=StyleKey.BODY_NO_INDENT, indent_chars=0),
        # 7.3.7: "附件" 3号黑体 顶格 on the first line; the attachment's title centred on the third.
        heading._replace(style_id="jxAttachment", name=StyleKey.ATTACHMENT_LABEL, font=p.heading1_font,
                align=Align.LEFT, indent_chars=0, space_after=p.line_pitch),
        title._replace(style_id="jxTableTitle", name=StyleKey.TABLE_TITLE, size=p.table_title_size,
                space_after=0, next_style_id=None),
        table_text,
        # 7.3.6: 附件说明 正文下空一行左空二字; a long name wraps under its own first character,
        # after 「附件：」; kept on the page of the 署名 that follows it.
        body._replace(style_id="jxAttachmentNote", name=StyleKey.ATTACHMENT_NOTE, keep_next=True,
                space_before=p.line_pitch, hanging_chars=3),
        # 7.3.5.2: 署名 正文（或附件说明）下空一行右空二字; 成文日期 on the next line, placed by the writer
        # against the 署名 above it (首字比署名首字右移二字).
        body._replace(style_id="jxSignature", name=StyleKey.SIGNATURE, align=Align.RIGHT, indent_chars=0,
                right_indent_chars=SIGNATURE_INSET_CHARS, space_before=p.line_pitch),
        body._replace(style_id="jxDate", name=StyleKey.DATE, align=Align.RIGHT, indent_chars=0,
                right_indent_chars=SIGNATURE_INSET_CHARS),
        table_text._replace(style_id="jxTableHead", name=TABLE_HEADER_STYLE, align=Align.CENTER, bold=True),
        # 7.5: 4号半角宋体 digits (so Latin text in 宋体 too); the writer aligns odd pages right, even left.
        ParagraphStyle("jxPageNum", PAGE_NUMBER_STYLE, p.page_number_font, p.page_number_size,
                       p.page_number_font, Align.RIGHT, on_grid=False),
    )  # fmt: skip


def fit_char_scale(size: float, chars: int, width_mm: float = A4_PORTRAIT.text_width) -> int:
    """Return the character width (whole percent) that fits `chars` characters of `size` in `width_mm`."""
    # 5.2.3 wants 28 characters on 156 mm, but 28 glyphs of 三号 (16 pt) need 158 mm: narrow each
    # glyph a little (98%). Negative character spacing would fit too, but LibreOffice then drops
    # punctuation that hangs at a line end (、；， vanish from the page). Never widen.
    return min(100, math.floor(width_mm / MM_PER_PT / chars / size * 100))
