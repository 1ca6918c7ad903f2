"""Write the report's blocks as a Word .docx laid out per GB/T 9704-2012 党政机关公文格式.

The package is assembled directly (no python-docx at write time): the parts that
depend only on the style profile are built once per profile and cached, the body
is rendered block by block through `oxml`, and everything is zipped in memory
before a single write, so a failing input never leaves half a file behind.
`build_parts` + `package` split the same work for callers that hash the content
(parts outside docProps/) before storing the hash as a custom property; the
output is byte-for-byte reproducible (no timestamps anywhere).

Contract details beyond `blocks`:
- `Paragraph.text` is one paragraph: a newline or carriage return in it raises
  ValueError (so do characters XML cannot carry, such as NUL); a tab becomes a
  Word tab. Table cell texts, in contrast, may hold "\\n": each line becomes its
  own paragraph inside the cell.
- `PageBreak` puts the next paragraph on a new page ("page break before"); before
  a table it becomes a small page-break paragraph; before a `SectionBreak` or at
  the end of the document it is dropped, as a new section already starts a page.
"""

from __future__ import annotations

import io
import math
import os
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import BinaryIO, NamedTuple

from jixiao.render import oxml
from jixiao.render.blocks import (
    Block,
    Column,
    PageBreak,
    Paragraph,
    SectionBreak,
    StyleKey,
    TableData,
    TablePlaceholder,
)
from jixiao.render.profile import (
    A4_LANDSCAPE,
    A4_PORTRAIT,
    DEFAULT_PROFILE,
    MM_PER_PT,
    PAGE_NUMBER_STYLE,
    SIGNATURE_INSET_CHARS,
    TABLE_HEADER_STYLE,
    Align,
    FontFacts,
    PageSetup,
    ParagraphStyle,
    StyleProfile,
    font_facts,
    paragraph_styles,
)
from jixiao.textwidth import wide_characters

CREATOR = "jixiao"
# 7.5: 页码 is "— 1 —": 一字线 on both sides of the number, 一字 in from the outer edge, and the
# 一字线 7 mm below the type area.
PAGE_NUMBER_PREFIX = "— "
PAGE_NUMBER_SUFFIX = " —"
PAGE_NUMBER_INSET_CHARS = 1.0
PAGE_NUMBER_GAP_MM = 7.0
# Zip entries get a fixed timestamp so the same input gives the same bytes.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_ZIP_LEVEL = 1

# What the base record holds of one paragraph (its text) or of one table (its cell texts, row by row).
Recorded = str | tuple[tuple[str, ...], ...]


def write_docx(
    blocks: Sequence[Block],
    tables: Mapping[str, TableData],
    out: BinaryIO | Path | str,
    profile: StyleProfile = DEFAULT_PROFILE,
    properties: Mapping[str, str] = {},  # read only, never mutated
) -> None:
    """Write `blocks` as a .docx to `out` (a path or a binary stream), with `properties` as custom properties."""
    _emit(package(build_parts(blocks, tables, profile), properties), out)


def build_parts(
    blocks: Sequence[Block], tables: Mapping[str, TableData], profile: StyleProfile = DEFAULT_PROFILE
) -> list[tuple[str, bytes]]:
    """Return the package parts (name, bytes) for `blocks`, all but the custom properties."""
    layout = _layout(profile)
    writer = _Body(layout, tables)
    body = writer.render(blocks)
    return [
        *layout.static_parts[writer.has_landscape],
        (oxml.DOCUMENT_PART, body.encode()),
        (oxml.CORE_PART, oxml.core_properties(document_title(blocks), CREATOR).encode()),
        (oxml.BASE_RECORD_PART, oxml.base_record(writer.record).encode()),
    ]


def package(parts: Sequence[tuple[str, bytes]], properties: Mapping[str, str] = {}) -> bytes:
    """Return the zipped .docx of `parts` plus `properties` as custom document properties."""
    _check_property_names(properties)
    custom = (oxml.CUSTOM_PART, oxml.custom_properties(properties).encode())
    return _zip([*parts, custom])


def _check_property_names(properties: Mapping[str, str]) -> None:
    """Raise ValueError for an empty property name, which Word refuses."""
    if any(not name for name in properties):
        raise ValueError("custom property names must not be empty")


def read_custom_properties(path_or_stream: BinaryIO | Path | str) -> dict[str, str]:
    """Return the custom document properties of a .docx (empty if it has none)."""
    with zipfile.ZipFile(path_or_stream) as package:
        try:
            xml = package.read(oxml.CUSTOM_PART)
        except KeyError:
            return {}
    return oxml.parse_custom_properties(xml)


def document_title(blocks: Sequence[Block]) -> str:
    """Return the text of the first run of consecutive TITLE paragraphs, joined."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph) and block.style == StyleKey.TITLE:
            lines.append(block.text)
        elif lines:
            break
    return "".join(lines)


def merge_spans(rows: Sequence[Sequence[str]], levels: int) -> list[list[int]]:
    """Return each cell's vertical span: run length at its first row, 0 below it, 1 if unmerged."""
    _check_levels(rows, levels)
    spans = [[1] * len(row) for row in rows]
    starts = {0} if rows else set()
    for col in range(levels):
        # A run in column `col` also ends wherever a run of a column to its left ends.
        starts |= {i for i in range(1, len(rows)) if rows[i][col] != rows[i - 1][col]}
        _fill_spans(spans, col, sorted(starts))
    return spans


def _check_levels(rows: Sequence[Sequence[str]], levels: int) -> None:
    """Raise ValueError if `levels` is negative or wider than a row."""
    narrowest = min((len(row) for row in rows), default=levels)
    if not 0 <= levels <= narrowest:
        raise ValueError(f"merge_levels {levels} must be between 0 and the row width {narrowest}")


def _fill_spans(spans: list[list[int]], col: int, starts: list[int]) -> None:
    """Write the span of each run starting at `starts` into column `col`."""
    for start, end in pairwise([*starts, len(spans)]):
        spans[start][col] = end - start
        for row in range(start + 1, end):
            spans[row][col] = 0


def scale_widths(relative: Sequence[float], total: int) -> list[int]:
    """Return integer widths proportional to `relative` that add up to exactly `total`."""
    if not relative or any(w <= 0 for w in relative):
        raise ValueError(f"column widths must be positive, got {list(relative)}")
    scale = total / sum(relative)
    edges, acc = [0], 0.0
    for width in relative:
        acc += width
        edges.append(round(acc * scale))
    edges[-1] = total  # guard against float drift on the last edge
    return [right - left for left, right in pairwise(edges)]


# --- Profile-dependent, cached ------------------------------------------------------------------


class _Layout(NamedTuple):
    """Everything that depends only on the profile: style ids, section properties, static parts."""

    style_ids: Mapping[str, str]
    styles: Mapping[str, ParagraphStyle]  # by style id
    sections: Mapping[bool, str]  # landscape? -> w:sectPr
    static_parts: Mapping[bool, tuple[tuple[str, bytes], ...]]  # any landscape section? -> parts


@lru_cache(maxsize=8)
def _layout(profile: StyleProfile) -> _Layout:
    """Build the cached layout for `profile`."""
    styles = paragraph_styles(profile)
    by_name = {s.name: s for s in styles}
    return _Layout(
        style_ids={s.name: s.style_id for s in styles},
        styles={s.style_id: s for s in styles},
        sections={False: _section(A4_PORTRAIT, profile), True: _section(A4_LANDSCAPE, profile)},
        static_parts={
            landscape: _static_parts(styles, by_name[StyleKey.BODY], by_name[PAGE_NUMBER_STYLE], profile, landscape)
            for landscape in (False, True)
        },
    )


def _section(page: PageSetup, profile: StyleProfile) -> str:
    """Return the section properties for `page`: margins, footers 7 mm below the type area, line grid."""
    # Word measures the footer from the page edge to the bottom of its line; the 一字线 sits at mid-line.
    footer_mm = page.bottom - PAGE_NUMBER_GAP_MM - _page_number_line_mm(profile) / 2
    return oxml.section_properties(page, footer_mm, profile.line_pitch)


def _static_parts(
    styles: Sequence[ParagraphStyle],
    body: ParagraphStyle,
    page_number: ParagraphStyle,
    profile: StyleProfile,
    landscape: bool,
) -> tuple[tuple[str, bytes], ...]:
    """Build the parts that do not depend on the document's content (landscape footers only when used)."""
    number = (PAGE_NUMBER_PREFIX, PAGE_NUMBER_SUFFIX, PAGE_NUMBER_INSET_CHARS)
    parts = {
        oxml.CONTENT_TYPES_PART: oxml.content_types(landscape),
        oxml.PACKAGE_RELS_PART: oxml.package_rels(),
        oxml.DOCUMENT_RELS_PART: oxml.document_rels(landscape),
        oxml.STYLES_PART: oxml.styles(styles, body),
        oxml.SETTINGS_PART: oxml.settings(tab_stop=2 * body.size),
        oxml.FONT_TABLE_PART: oxml.font_table(_fonts(styles)),
        oxml.ODD_FOOTER_PART: oxml.page_number_footer(page_number, Align.RIGHT, *number),
        oxml.EVEN_FOOTER_PART: oxml.page_number_footer(page_number, Align.LEFT, *number),
        oxml.APP_PART: oxml.app_properties(CREATOR),
        oxml.BASE_RECORD_PROPS_PART: oxml.base_record_properties(),
        oxml.BASE_RECORD_RELS_PART: oxml.base_record_rels(),
    }
    if landscape:
        box = _turned_number_box(A4_LANDSCAPE, profile)
        parts[oxml.LANDSCAPE_ODD_FOOTER_PART] = oxml.turned_page_number_footer(page_number, Align.RIGHT, *number, box)
        parts[oxml.LANDSCAPE_EVEN_FOOTER_PART] = oxml.turned_page_number_footer(page_number, Align.LEFT, *number, box)
    return tuple((name, xml.encode()) for name, xml in parts.items())


def _page_number_line_mm(profile: StyleProfile) -> float:
    """Return the height of the page number's line: single spaced, about 1.3 em."""
    return 1.3 * profile.page_number_size * MM_PER_PT


def _turned_number_box(page: PageSetup, profile: StyleProfile) -> oxml.Box:
    """Place a landscape page's number where portrait numbers stand once the sheet is turned back (8).

    The landscape page's left margin lies along the foot of the sheet (see `PageSetup.rotated`):
    the number runs down it as long as the type area is high, its middle 7 mm out from the type
    area like the 一字线 of portrait pages; odd pages end it one character short of the foot of
    the type area (the sheet's right), even pages start it one character below its head.
    """
    line_mm = _page_number_line_mm(profile)
    middle = page.left - PAGE_NUMBER_GAP_MM
    return oxml.Box(middle - line_mm / 2, page.top, line_mm, page.height - page.top - page.bottom)


def _fonts(styles: Sequence[ParagraphStyle]) -> list[tuple[str, FontFacts]]:
    """Return each font the styles use, once, with what Word needs to substitute it."""
    names = dict.fromkeys(name for s in styles for name in (s.font, s.latin_font))
    return [(name, font_facts(name)) for name in names]


# --- Body ---------------------------------------------------------------------------------------


class _Written(NamedTuple):
    """A paragraph already written, kept so its properties can still change."""

    style_id: str
    text: str
    page_break_before: bool
    keep_next: bool = False
    right_indent: tuple[float, float] | None = None  # (characters, font size): overrides the style's
    left_indent_pt: float | None = None  # set from the left instead of the style's alignment

    def xml(self, section: str = "") -> str:
        """Return the paragraph's XML, ending a section there when `section` is given."""
        return oxml.paragraph(
            self.style_id, self.text, page_break_before=self.page_break_before, keep_next=self.keep_next,
            right_indent=self.right_indent, left_indent_pt=self.left_indent_pt, section=section,
            align=Align.LEFT if self.left_indent_pt is not None else None,
        )  # fmt: skip


class DatePlacement(NamedTuple):
    """Where a 成文日期 goes under its 署名: a left indent (points), or right indents (characters) for both."""

    date_left_pt: float | None = None
    signature_right_chars: float | None = None
    date_right_chars: float | None = None


def place_date(signature: str, date: str, style: ParagraphStyle, text_width_pt: float) -> DatePlacement:
    """Place a 成文日期 under its 署名 (GB/T 9704 7.3.5.2): its first character two characters right of the 署名's.

    The 署名 ends two characters in from the right; the date is set from the left, at the
    署名's first character plus two, so how wide its digits come out does not matter. A date
    longer than the 署名 ends two characters in instead, and the 署名 moves right to keep
    the two characters between their first characters (widths estimated, see `rendered_chars`).
    """
    glyph = style.size * style.char_scale / 100
    signature_chars, date_chars = rendered_chars(signature), rendered_chars(date)
    if date_chars <= signature_chars:
        signature_start = text_width_pt - SIGNATURE_INSET_CHARS * style.size - signature_chars * glyph
        return DatePlacement(date_left_pt=signature_start + 2 * glyph)
    moved = SIGNATURE_INSET_CHARS + date_chars + 2 - signature_chars
    return DatePlacement(signature_right_chars=moved, date_right_chars=SIGNATURE_INSET_CHARS)


def rendered_chars(text: str) -> float:
    """Estimate how many characters wide `text` sets: Latin letters and digits half, plus the quarter
    character Word adds where Chinese and Latin text meet."""
    wide = wide_characters(text)  # A wide character is one em; any other half an em.
    meetings = sum(1 for a, b in pairwise(wide) if a != b)
    return (len(text) + sum(wide)) / 2 + meetings / 4


class _Body:
    """Renders blocks into document.xml, tracking the open section and a pending page break."""

    def __init__(self, layout: _Layout, tables: Mapping[str, TableData]) -> None:
        self._layout = layout
        self._tables = tables
        self._parts: list[str] = []
        self._landscape = False
        self.has_landscape = False  # whether any section written so far is landscape
        self.record: list[Recorded] = []  # the text of each paragraph and table written: the base record
        self._section_start = 0  # index in _parts where the open section begins
        self._break_pending = False
        self._last_paragraph: _Written | None = None  # when _parts[-1] is a paragraph
        # GB/T 9704 7.3.5: 署名 (and the 附件说明 above it) never stand alone on a page: the body
        # paragraph before them is kept on their page, as the 署名 is kept on its 成文日期's page.
        self._keeps_previous = {layout.style_ids[key] for key in (StyleKey.ATTACHMENT_NOTE, StyleKey.SIGNATURE, StyleKey.DATE)}
        self._signature_id, self._date_id = layout.style_ids[StyleKey.SIGNATURE], layout.style_ids[StyleKey.DATE]

    def render(self, blocks: Sequence[Block]) -> str:
        """Return document.xml for `blocks`."""
        for block in blocks:
            self._add(block)
        self._break_pending = False  # nothing follows to put on a new page
        self._end_with_paragraph()
        return oxml.document(self._parts, self._section_properties())

    def _add(self, block: Block) -> None:
        """Render one block."""
        match block:
            case Paragraph(style=style, text=text):
                self._paragraph(self._style_id(style), text)
                if text:
                    self.record.append(text)
            case PageBreak():
                self._break_pending = True
            case SectionBreak(landscape=landscape):
                self._section_break(landscape)
            case TablePlaceholder(name=name):
                self._table(name)
            case _:
                raise TypeError(f"not a block: {block!r}")

    def _style_id(self, name: str) -> str:
        """Return the style id for a style name."""
        try:
            return self._layout.style_ids[name]
        except KeyError:
            raise ValueError(f"no paragraph style {name!r} in the profile") from None

    def _paragraph(self, style_id: str, text: str) -> None:
        """Append a paragraph, honouring a pending page break."""
        if style_id in self._keeps_previous and self._last_paragraph is not None:
            self._rewrite_last(self._last_paragraph._replace(keep_next=True))
        written = _Written(style_id, text, self._break_pending)
        last = self._last_paragraph
        if style_id == self._date_id and last is not None and last.style_id == self._signature_id:
            written = self._placed_date(last, written)
        self._parts.append(written.xml())
        self._last_paragraph = written
        self._break_pending = False

    def _placed_date(self, signature: _Written, date: _Written) -> _Written:
        """Set a 成文日期 against the 署名 just written, moving the 署名 when the date is the longer."""
        style = self._layout.styles[self._signature_id]
        page = A4_LANDSCAPE if self._landscape else A4_PORTRAIT
        placement = place_date(signature.text, date.text, style, page.text_width / MM_PER_PT)
        if placement.date_left_pt is not None:
            return date._replace(left_indent_pt=placement.date_left_pt)
        self._rewrite_last(signature._replace(right_indent=(placement.signature_right_chars, style.size)))
        return date._replace(right_indent=(placement.date_right_chars, style.size))

    def _rewrite_last(self, written: _Written, section: str = "") -> None:
        """Write the last paragraph again with changed properties."""
        self._parts[-1] = written.xml(section)
        self._last_paragraph = written

    def _section_break(self, landscape: bool) -> None:
        """Close the open section (unless it is still empty) and open one with the new orientation."""
        self._break_pending = False  # the new section starts on a new page anyway
        if len(self._parts) > self._section_start:
            self._close_section()
        self._landscape = landscape

    def _close_section(self) -> None:
        """Put the open section's properties on its last paragraph, adding one after a table."""
        self._end_with_paragraph()
        assert self._last_paragraph is not None
        self._rewrite_last(self._last_paragraph, self._section_properties())
        self._section_start = len(self._parts)
        self._last_paragraph = None

    def _section_properties(self) -> str:
        """Return the open section's properties, noting a landscape one: its footers are parts of their own."""
        self.has_landscape |= self._landscape
        return self._layout.sections[self._landscape]

    def _end_with_paragraph(self) -> None:
        """Make a paragraph the last thing: Word needs one after a table, and in an empty body."""
        if self._last_paragraph is None:
            self._paragraph(self._layout.style_ids[StyleKey.TABLE_TEXT], "")

    def _table(self, name: str) -> None:
        """Append the table registered under `name`."""
        try:
            data = self._tables[name]
        except KeyError:
            raise ValueError(f"no table named {name!r} (have {sorted(self._tables)})") from None
        if self._break_pending:
            self._parts.append(oxml.page_break(self._layout.style_ids[StyleKey.TABLE_TEXT]))
            self._break_pending = False
        page = A4_LANDSCAPE if self._landscape else A4_PORTRAIT
        text_size = self._layout.styles[self._layout.style_ids[StyleKey.TABLE_TEXT]].size
        self._parts.append(_table_xml(data, page, text_size, self._layout.style_ids))
        self.record.append(recorded_rows(data))
        self._last_paragraph = None


# --- Tables -------------------------------------------------------------------------------------


def _table_xml(data: TableData, page: PageSetup, text_size: float, style_ids: Mapping[str, str]) -> str:
    """Return the table: repeating header row, merged tier columns, footer rows."""
    _check_table(data)
    widths = scale_widths([c.width for c in data.columns], oxml.text_width(page))
    cells = _CellStyles(style_ids[TABLE_HEADER_STYLE], style_ids[StyleKey.TABLE_TEXT])
    header = [c.title for c in data.columns]
    # A row is kept on one page unless it could not fit on one below the repeated header row.
    room = oxml.text_height(page) - row_height(header, widths, text_size)
    rows = [_header_row(data.columns, widths, cells)]
    rows.extend(_body_rows(data, widths, cells, room, text_size))
    rows.extend(_footer_row(row, widths, cells) for row in data.footer)
    return oxml.table(widths, rows)


# Single-spaced lines of CJK text take about 1.3 times the font size (Word and LibreOffice alike).
_LINE_HEIGHT_EM = 1.3


def row_height(cells: Sequence[str], widths: Sequence[int], size: float) -> int:
    """Estimate a row's height in twips: its tallest cell's wrapped lines, `size` points each."""
    lines = max(cell_lines(text, width, size) for text, width in zip(cells, widths, strict=True))
    return round(lines * size * _LINE_HEIGHT_EM * 20)


def cell_lines(text: str, width: int, size: float) -> int:
    """Estimate how many lines `text` wraps to in a cell `width` twips wide (each "\n" starts a line)."""
    room_chars = max(1.0, (width - 2 * oxml.CELL_MARGIN_TWIPS) / (size * 20))
    return sum(max(1, math.ceil(rendered_chars(line) / room_chars)) for line in text.split("\n"))


def recorded_rows(data: TableData) -> tuple[tuple[str, ...], ...]:
    """Return the table's cell texts as written, row by row: a cell continuing a merge is empty."""
    spans = merge_spans(data.rows, data.merge_levels)
    body = (
        tuple("" if span == 0 else text for text, span in zip(row, row_spans, strict=True))
        for row, row_spans in zip(data.rows, spans, strict=True)
    )
    return (tuple(c.title for c in data.columns), *body, *data.footer)


def _check_table(data: TableData) -> None:
    """Raise ValueError if a row is not as wide as the columns or a footer row is too wide."""
    n = len(data.columns)
    for row in data.rows:
        if len(row) != n:
            raise ValueError(f"table row has {len(row)} cells, expected {n}: {row!r}")
    for row in data.footer:
        if not 1 <= len(row) <= n:
            raise ValueError(f"footer row must have 1 to {n} cells: {row!r}")


class _CellStyles(NamedTuple):
    """Style ids used inside tables."""

    header: str
    text: str


def _cell_paragraphs(text: str, style_id: str, align: Align | None = None) -> str:
    """Return one paragraph per line of `text`."""
    return "".join(oxml.paragraph(style_id, line, align=align) for line in text.split("\n"))


def _header_row(columns: Sequence[Column], widths: Sequence[int], styles: _CellStyles) -> str:
    """Return the header row, repeated at the top of every page the table spans."""
    cells = (
        oxml.table_cell(_cell_paragraphs(c.title, styles.header), w, centred=True)
        for c, w in zip(columns, widths, strict=True)
    )
    return oxml.table_row(cells, header=True)


def _body_rows(
    data: TableData, widths: Sequence[int], styles: _CellStyles, room: int, size: float
) -> Iterator[str]:
    """Yield the body rows with the tier columns merged vertically, each kept whole when it fits on a page."""
    spans = merge_spans(data.rows, data.merge_levels)
    for row, row_spans in zip(data.rows, spans, strict=True):
        cells = (
            _body_cell(text, width, span, col < data.merge_levels, styles)
            for col, (text, width, span) in enumerate(zip(row, widths, row_spans, strict=True))
        )
        # A row split by a page leaves its 评分标准 half on each page, which readers misread as two
        # rows; a row taller than a page must split, or Word and LibreOffice clip it.
        yield oxml.table_row(cells, keep_together=row_height(row, widths, size) <= room)


def _body_cell(text: str, width: int, span: int, tier: bool, styles: _CellStyles) -> str:
    """Return one body cell: a merge start, a merge continuation (empty) or a plain cell."""
    # Only tier cells are centred: LibreOffice misplaces centred cells beside a merge split by a page.
    if span == 0:
        return oxml.table_cell(oxml.paragraph(styles.text, ""), width, vmerge="continue", centred=True)
    align = Align.CENTER if tier else None
    vmerge = "restart" if span > 1 else None
    return oxml.table_cell(_cell_paragraphs(text, styles.text, align), width, vmerge=vmerge, centred=tier)


def _footer_row(row: Sequence[str], widths: Sequence[int], styles: _CellStyles) -> str:
    """Return a footer row whose first cell spans the columns the row is short of."""
    lead = len(widths) - len(row) + 1
    first = oxml.table_cell(
        _cell_paragraphs(row[0], styles.header), sum(widths[:lead]), grid_span=lead, centred=True
    )
    rest = (
        oxml.table_cell(_cell_paragraphs(text, styles.text, Align.CENTER), width, centred=True)
        for text, width in zip(row[1:], widths[lead:], strict=True)
    )
    return oxml.table_row([first, *rest], keep_together=True)


# --- Zip ----------------------------------------------------------------------------------------


def _zip(parts: Sequence[tuple[str, bytes]]) -> bytes:
    """Return the zipped package."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in parts:
            info = zipfile.ZipInfo(name, _ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(info, data, compresslevel=_ZIP_LEVEL)
    return buffer.getvalue()


def _emit(data: bytes, out: BinaryIO | Path | str) -> None:
    """Write `data` to a path or a binary stream."""
    if isinstance(out, str | os.PathLike):
        Path(out).write_bytes(data)
    else:
        out.write(data)
