"""Raw WordprocessingML: the only module that knows element names, namespaces and units.

Everything is built as text for speed (a report must be written in a few
milliseconds). All text that does not come from this module — user text, style
and font names, property names — passes through `_text` or `_attr`, which escape
it and reject what XML 1.0 cannot carry; nothing else is interpolated unescaped.

Units: callers speak millimetres and points; this module converts to twips
(1/20 pt), half-points and eighths of a point as Word wants them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal, NamedTuple

from jixiao.render.profile import Align, FontFacts, PageSetup, ParagraphStyle

# --- Package layout -----------------------------------------------------------------------------

CONTENT_TYPES_PART = "[Content_Types].xml"
PACKAGE_RELS_PART = "_rels/.rels"
DOCUMENT_PART = "word/document.xml"
DOCUMENT_RELS_PART = "word/_rels/document.xml.rels"
STYLES_PART = "word/styles.xml"
SETTINGS_PART = "word/settings.xml"
FONT_TABLE_PART = "word/fontTable.xml"
ODD_FOOTER_PART = "word/footer1.xml"
EVEN_FOOTER_PART = "word/footer2.xml"
LANDSCAPE_ODD_FOOTER_PART = "word/footer3.xml"
LANDSCAPE_EVEN_FOOTER_PART = "word/footer4.xml"
CORE_PART = "docProps/core.xml"
APP_PART = "docProps/app.xml"
CUSTOM_PART = "docProps/custom.xml"
# What jixiao wrote, kept inside the document as a custom XML data-store item (which Word, WPS,
# LibreOffice and python-docx all carry along), so a later `render --merge` knows the base.
BASE_RECORD_PART = "customXml/item1.xml"
BASE_RECORD_PROPS_PART = "customXml/itemProps1.xml"
BASE_RECORD_RELS_PART = "customXml/_rels/item1.xml.rels"
BASE_RECORD_NS = "urn:jixiao:base-record:1"
_BASE_RECORD_ITEM_ID = "{6E2F3A1B-8C4D-4B5E-9F60-71A2B3C4D5E6}"

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_WR = f'xmlns:w="{_W}" xmlns:r="{_R}"'

# Relationship ids of document.xml; section properties refer to the footers by them.
_ODD_FOOTER_RID = "rIdFooterOdd"
_EVEN_FOOTER_RID = "rIdFooterEven"
_LANDSCAPE_ODD_FOOTER_RID = "rIdFooterLandscapeOdd"
_LANDSCAPE_EVEN_FOOTER_RID = "rIdFooterLandscapeEven"
_FOOTER_RIDS = {False: (_ODD_FOOTER_RID, _EVEN_FOOTER_RID), True: (_LANDSCAPE_ODD_FOOTER_RID, _LANDSCAPE_EVEN_FOOTER_RID)}
# Namespaces of a footer holding a (VML) text box.
_VML_NS = 'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:w10="urn:schemas-microsoft-com:office:word"'
_PT_PER_MM = 72 / 25.4

_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_LANDSCAPE_FOOTER_PARTS = (LANDSCAPE_ODD_FOOTER_PART, LANDSCAPE_EVEN_FOOTER_PART)
_CONTENT_TYPES = (
    (DOCUMENT_PART, f"{_WML}.document.main+xml"),
    (STYLES_PART, f"{_WML}.styles+xml"),
    (SETTINGS_PART, f"{_WML}.settings+xml"),
    (FONT_TABLE_PART, f"{_WML}.fontTable+xml"),
    (ODD_FOOTER_PART, f"{_WML}.footer+xml"),
    (EVEN_FOOTER_PART, f"{_WML}.footer+xml"),
    (LANDSCAPE_ODD_FOOTER_PART, f"{_WML}.footer+xml"),
    (LANDSCAPE_EVEN_FOOTER_PART, f"{_WML}.footer+xml"),
    (CORE_PART, "application/vnd.openxmlformats-package.core-properties+xml"),
    (APP_PART, "application/vnd.openxmlformats-officedocument.extended-properties+xml"),
    (CUSTOM_PART, "application/vnd.openxmlformats-officedocument.custom-properties+xml"),
    (BASE_RECORD_PROPS_PART, "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"),
)

# --- Escaping -----------------------------------------------------------------------------------

# XML 1.0 forbids C0 controls other than tab/LF/CR, lone surrogates and U+FFFE/U+FFFF. CR never
# survives a parser (it becomes LF), and LF is refused in running text too: a paragraph is one line
# of the document model. Attribute values lose tabs and LFs to whitespace normalisation.
# The pattern is compiled on first use (re caches it): most texts are printable and never need it.
_UNWRITABLE = "[\x00-\x1f\ud800-\udfff\ufffe\uffff]"
_TEXT_ALLOWS = "\t"  # of the controls above, what element content may hold
_VALUE_ALLOWS = "\t\n"  # … and a property value or custom XML text


def _check(text: str, allowed: str = "") -> None:
    """Raise ValueError if `text` holds a character the document cannot carry, other than those `allowed`."""
    if text.isprintable():  # No control, surrogate or non-character: nothing to look for.
        return
    for found in re.finditer(_UNWRITABLE, text):
        if found.group() not in allowed:
            raise ValueError(f"character {found.group()!r} at {found.start()} cannot be written: {text[:60]!r}")


def _text(text: str, allowed: str = _TEXT_ALLOWS) -> str:
    """Escape `text` for element content."""
    _check(text, allowed)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    """Escape `value` for a double-quoted attribute."""
    _check(value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# --- Units --------------------------------------------------------------------------------------


def _twips_mm(mm: float) -> int:
    """Convert millimetres to twips."""
    return round(mm * 1440 / 25.4)


def _twips_pt(pt: float) -> int:
    """Convert points to twips."""
    return round(pt * 20)


def _half_points(pt: float) -> int:
    """Convert points to the half-points of w:sz."""
    return round(pt * 2)


def text_width(page: PageSetup) -> int:
    """Return the width of the page's type area in table grid units (twips)."""
    return _page_twips(page)[0] - _twips_mm(page.left) - _twips_mm(page.right)


def text_height(page: PageSetup) -> int:
    """Return the height of the page's type area in twips."""
    return _page_twips(page)[1] - _twips_mm(page.top) - _twips_mm(page.bottom)


def _page_twips(page: PageSetup) -> tuple[int, int]:
    """Return the page width and height in twips, as Word rounds A4 (11906 x 16838)."""
    return _twips_mm(page.width), _twips_mm(page.height)


# --- Package parts ------------------------------------------------------------------------------


def content_types(landscape: bool) -> str:
    """Build [Content_Types].xml for the fixed set of parts, with the landscape footers when there are any."""
    parts = [(name, ct) for name, ct in _CONTENT_TYPES if landscape or name not in _LANDSCAPE_FOOTER_PARTS]
    overrides = "".join(f'<Override PartName="/{name}" ContentType="{ct}"/>' for name, ct in parts)
    return (
        f'{_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'
    )


def _relationships(rels: Iterable[tuple[str, str, str]]) -> str:
    """Build a .rels part from (id, type, target) triples."""
    items = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in rels)
    return f'{_DECL}<Relationships xmlns="{_PKG_RELS}">{items}</Relationships>'


def package_rels() -> str:
    """Build _rels/.rels: the main document and the three property parts."""
    core = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
    return _relationships(
        (
            ("rId1", f"{_R}/officeDocument", DOCUMENT_PART),
            ("rId2", core, CORE_PART),
            ("rId3", f"{_R}/extended-properties", APP_PART),
            ("rId4", f"{_R}/custom-properties", CUSTOM_PART),
        )
    )


def document_rels(landscape: bool) -> str:
    """Build word/_rels/document.xml.rels: styles, settings, font table and the footers (four with landscape)."""
    rels = [
        ("rIdStyles", f"{_R}/styles", "styles.xml"),
        ("rIdSettings", f"{_R}/settings", "settings.xml"),
        ("rIdFonts", f"{_R}/fontTable", "fontTable.xml"),
        (_ODD_FOOTER_RID, f"{_R}/footer", "footer1.xml"),
        (_EVEN_FOOTER_RID, f"{_R}/footer", "footer2.xml"),
        ("rIdBaseRecord", f"{_R}/customXml", f"../{BASE_RECORD_PART}"),
    ]
    if landscape:
        rels += [
            (_LANDSCAPE_ODD_FOOTER_RID, f"{_R}/footer", "footer3.xml"),
            (_LANDSCAPE_EVEN_FOOTER_RID, f"{_R}/footer", "footer4.xml"),
        ]
    return _relationships(rels)


def settings(tab_stop: float) -> str:
    """Build word/settings.xml: tab stops every `tab_stop` points, odd/even footers, Word 2013+ layout."""
    # Child order follows CT_Settings. 7.5: odd and even pages place the page number differently.
    return (
        f'{_DECL}<w:settings {_WR}><w:zoom w:percent="100"/><w:defaultTabStop w:val="{_twips_pt(tab_stop)}"/>'
        '<w:evenAndOddHeaders/><w:characterSpacingControl w:val="compressPunctuation"/>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word"'
        ' w:val="15"/></w:compat><w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>'
    )


def font_table(fonts: Iterable[tuple[str, FontFacts]]) -> str:
    """Build word/fontTable.xml from (font name, its facts) pairs."""
    items = "".join(_font_entry(name, facts) for name, facts in fonts)
    return f"{_DECL}<w:fonts {_WR}>{items}</w:fonts>"


def _font_entry(name: str, facts: FontFacts) -> str:
    """Return one w:font, children in CT_Font order, so Word and WPS substitute a like face when it is missing."""
    alt = f'<w:altName w:val="{_attr(facts.alt_name)}"/>' if facts.alt_name else ""
    return (
        f'<w:font w:name="{_attr(name)}">{alt}<w:panose1 w:val="{_attr(facts.panose)}"/>'
        f'<w:charset w:val="{_attr(facts.charset)}"/><w:family w:val="{_attr(facts.family)}"/>'
        f'<w:pitch w:val="{_attr(facts.pitch)}"/></w:font>'
    )


def core_properties(title: str, creator: str) -> str:
    """Build docProps/core.xml with title and author (no timestamps: output stays reproducible)."""
    return (
        f'{_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{_text(title)}</dc:title><dc:creator>{_text(creator)}</dc:creator>"
        f"<cp:lastModifiedBy>{_text(creator)}</cp:lastModifiedBy></cp:coreProperties>"
    )


def app_properties(application: str) -> str:
    """Build a minimal docProps/app.xml."""
    return (
        f'{_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
        f' xmlns:vt="{_VT}"><Application>{_text(application)}</Application><DocSecurity>0</DocSecurity>'
        "</Properties>"
    )


def custom_properties(properties: Mapping[str, str]) -> str:
    """Build docProps/custom.xml with each property as a text (lpwstr) value."""
    # pid 0 and 1 are reserved by the property-set format; user properties start at 2.
    fmtid = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
    items = "".join(
        f'<property fmtid="{fmtid}" pid="{pid}" name="{_attr(name)}"><vt:lpwstr>{_text(value, _VALUE_ALLOWS)}</vt:lpwstr>'
        "</property>"
        for pid, (name, value) in enumerate(properties.items(), start=2)
    )
    return f'{_DECL}<Properties xmlns="{_CUSTOM}" xmlns:vt="{_VT}">{items}</Properties>'


def parse_custom_properties(xml: bytes) -> dict[str, str]:
    """Return name -> text value of every property in a docProps/custom.xml part."""
    from lxml import etree  # Only a re-render over an existing file reads properties; keep start-up lean.

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(xml, parser)
    return {
        prop.get("name", ""): "".join(value.itertext())
        for prop in root.iterfind(f"{{{_CUSTOM}}}property")
        for value in prop[:1]
    }


def base_record(units: Iterable[str | Sequence[Sequence[str]]]) -> str:
    """Build the base record: each paragraph's text (<p>), each table's cell texts row by row (<tbl>)."""
    items = "".join(f"<p>{_text(unit)}</p>" if isinstance(unit, str) else _recorded_table(unit) for unit in units)
    return f'{_DECL}<base xmlns="{BASE_RECORD_NS}">{items}</base>'


def _recorded_table(rows: Sequence[Sequence[str]]) -> str:
    """Return a table of the base record; a cell's lines stay apart as newlines."""
    cells = ("".join(f"<tc>{_text(cell, _VALUE_ALLOWS)}</tc>" for cell in row) for row in rows)
    return f"<tbl>{''.join(f'<tr>{row}</tr>' for row in cells)}</tbl>"


def base_record_properties() -> str:
    """Build the data-store item properties Word expects beside a custom XML part."""
    ds = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
    return (
        f'{_DECL}<ds:datastoreItem ds:itemID="{_BASE_RECORD_ITEM_ID}" xmlns:ds="{ds}">'
        f'<ds:schemaRefs><ds:schemaRef ds:uri="{BASE_RECORD_NS}"/></ds:schemaRefs></ds:datastoreItem>'
    )


def base_record_rels() -> str:
    """Build the custom XML part's relationship to its properties."""
    return _relationships((("rId1", f"{_R}/customXmlProps", "itemProps1.xml"),))


# --- Styles -------------------------------------------------------------------------------------


def styles(paragraph_styles: Sequence[ParagraphStyle], base: ParagraphStyle) -> str:
    """Build word/styles.xml: document defaults from `base`, Word's required defaults, our styles."""
    # Only the defaults Word itself expects (Normal, Default Paragraph Font, Normal Table); no
    # latent-style list and no theme, so no theme fonts can override the names set here. Normal
    # repeats the base size: LibreOffice sizes the page's text grid from Normal, not the defaults.
    defaults = (
        f'<w:docDefaults><w:rPrDefault><w:rPr>{_run_fonts(base)}<w:kern w:val="2"/>{_size(base.size)}'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
        f'<w:pPr><w:widowControl w:val="0"/></w:pPr><w:rPr>{_size(base.size)}</w:rPr></w:style>'
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/>'
        "</w:style>"
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    )
    ours = "".join(_paragraph_style(s) for s in paragraph_styles)
    return f"{_DECL}<w:styles {_WR}>{defaults}{ours}</w:styles>"


def _paragraph_style(style: ParagraphStyle) -> str:
    """Return one custom paragraph style."""
    next_id = style.next_style_id or style.style_id
    return (
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{_attr(style.style_id)}">'
        f'<w:name w:val="{_attr(style.name)}"/><w:basedOn w:val="Normal"/>'
        f'<w:next w:val="{_attr(next_id)}"/><w:qFormat/>'
        f"<w:pPr>{_style_paragraph_props(style)}</w:pPr><w:rPr>{_style_run_props(style)}</w:rPr></w:style>"
    )


def _style_paragraph_props(style: ParagraphStyle) -> str:
    """Return the w:pPr children of a style, in CT_PPrBase order."""
    keep = "<w:keepNext/>" if style.keep_next else ""
    grid = "" if style.on_grid else '<w:snapToGrid w:val="0"/>'
    outline = "" if style.outline_level is None else f'<w:outlineLvl w:val="{style.outline_level:d}"/>'
    # A title set as several lines (several paragraphs) gets its space only after the last line.
    contextual = "<w:contextualSpacing/>" if style.space_after else ""
    return f"{keep}{grid}{_spacing(style)}{_indent(style)}{contextual}{_jc(style.align)}{outline}"


def _spacing(style: ParagraphStyle) -> str:
    """Return w:spacing: space before and after, and an exact line height or single spacing."""
    around = f'w:before="{_twips_pt(style.space_before)}"'
    around += f' w:after="{_twips_pt(style.space_after)}"' if style.space_after else ""
    if style.line_spacing is None:
        return f'<w:spacing {around} w:line="240" w:lineRule="auto"/>'
    return f'<w:spacing {around} w:line="{_twips_pt(style.line_spacing)}" w:lineRule="exact"/>'


def _indent(style: ParagraphStyle) -> str:
    """Return w:ind in characters (what Word shows) plus the equivalent twips for older readers."""
    right = _chars_and_twips("right", style.right_indent_chars, style.size)
    if style.hanging_chars:
        left = _chars_and_twips("left", style.indent_chars + style.hanging_chars, style.size)
        return f"<w:ind{left}{right}{_chars_and_twips('hanging', style.hanging_chars, style.size)}/>"
    first = _chars_and_twips("firstLine", style.indent_chars, style.size)
    return f"<w:ind{right}{first}/>"


def _chars_and_twips(side: str, chars: float, size: float) -> str:
    """Return the pair of w:ind attributes for an indent of `chars` characters."""
    return f' w:{side}Chars="{round(chars * 100)}" w:{side}="{_twips_pt(chars * size)}"'


def _style_run_props(style: ParagraphStyle) -> str:
    """Return the w:rPr children of a style, in CT_RPr order."""
    bold = "<w:b/><w:bCs/>" if style.bold else ""
    scale = f'<w:w w:val="{style.char_scale}"/>' if style.char_scale != 100 else ""
    return f'{_run_fonts(style)}{bold}{scale}{_size(style.size)}<w:lang w:eastAsia="zh-CN"/>'


def _run_fonts(style: ParagraphStyle) -> str:
    """Return w:rFonts naming the fonts outright (no theme attributes, which would win over them)."""
    # hint=eastAsia: characters shared by both scripts (“” — …) take the Chinese font, as typed in Word.
    latin = _attr(style.latin_font)
    return (
        f'<w:rFonts w:ascii="{latin}" w:eastAsia="{_attr(style.font)}" w:hAnsi="{latin}" w:cs="{latin}"'
        ' w:hint="eastAsia"/>'
    )


def _size(pt: float) -> str:
    """Return w:sz and w:szCs for a font size in points."""
    half = _half_points(pt)
    return f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'


_JC = {Align.LEFT: "left", Align.CENTER: "center", Align.RIGHT: "right", Align.JUSTIFY: "both"}


def _jc(align: Align) -> str:
    """Return w:jc for an alignment."""
    return f'<w:jc w:val="{_JC[align]}"/>'


# --- Footers ------------------------------------------------------------------------------------


def page_number_footer(
    style: ParagraphStyle, align: Align, prefix: str, suffix: str, indent_chars: float
) -> str:
    """Build a footer whose one paragraph, in `style`, shows prefix, the PAGE field and suffix."""
    return f"{_DECL}<w:ftr {_WR}>{_page_number(style, align, prefix, suffix, indent_chars)}</w:ftr>"


def turned_page_number_footer(
    style: ParagraphStyle, align: Align, prefix: str, suffix: str, indent_chars: float, box: Box
) -> str:
    """Build a footer showing the same page number in a text box at `box`, its text turned to read downwards.

    The box is VML, which Word, WPS and LibreOffice all place and turn alike; LibreOffice
    put a DrawingML text box at the page's corner on a section's first page when even.
    """
    number = _page_number(style, align, prefix, suffix, indent_chars)
    left, top, width, height = (round(value * _PT_PER_MM, 2) for value in box)
    position = (
        f"position:absolute;margin-left:{left}pt;margin-top:{top}pt;width:{width}pt;height:{height}pt;"
        "mso-position-horizontal-relative:page;mso-position-vertical-relative:page"
    )
    text_box = (
        f'<v:rect style="{position}" filled="f" stroked="f">'
        f'<v:textbox style="layout-flow:vertical" inset="0,0,0,0"><w:txbxContent>{number}</w:txbxContent></v:textbox>'
        '<w10:wrap anchorx="page" anchory="page"/></v:rect>'
    )
    holder = f'<w:pPr><w:pStyle w:val="{_attr(style.style_id)}"/></w:pPr>'
    return f"{_DECL}<w:ftr {_WR} {_VML_NS}><w:p>{holder}<w:r><w:pict>{text_box}</w:pict></w:r></w:p></w:ftr>"


class Box(NamedTuple):
    """A rectangle on the page, in millimetres from its top left corner."""

    left: float
    top: float
    width: float
    height: float


def _page_number(style: ParagraphStyle, align: Align, prefix: str, suffix: str, indent_chars: float) -> str:
    """Return the page-number paragraph: prefix, the PAGE field and suffix, set in from the `align` side."""
    side = "right" if align is Align.RIGHT else "left"
    indent = f"<w:ind{_chars_and_twips(side, indent_chars, style.size)}/>" if indent_chars else ""
    return (
        f'<w:p><w:pPr><w:pStyle w:val="{_attr(style.style_id)}"/>{indent}{_jc(align)}</w:pPr>'
        f"{_run(prefix)}{_page_field()}{_run(suffix)}</w:p>"
    )


def _page_field() -> str:
    """Return a complex PAGE field (begin / instruction / separate / cached result / end)."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText>'
        '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


# --- Document body ------------------------------------------------------------------------------


def document(body: Iterable[str], final_section: str) -> str:
    """Build word/document.xml from body fragments and the last section's properties."""
    return f"{_DECL}<w:document {_WR}><w:body>{''.join(body)}{final_section}</w:body></w:document>"


def _run(text: str) -> str:
    """Return one unformatted run; tabs become w:tab, everything else stays literal."""
    if not text:
        return ""
    escaped = _text(text)
    if "\t" in escaped:
        escaped = escaped.replace("\t", '</w:t><w:tab/><w:t xml:space="preserve">')
    return f'<w:r><w:t xml:space="preserve">{escaped}</w:t></w:r>'


def paragraph(
    style_id: str,
    text: str,
    *,
    align: Align | None = None,
    page_break_before: bool = False,
    keep_next: bool = False,
    right_indent: tuple[float, float] | None = None,
    left_indent_pt: float | None = None,
    section: str = "",
) -> str:
    """Return a paragraph in style `style_id`; `section` (from `section_properties`) ends a section there.

    `right_indent` (characters, font size in points) and `left_indent_pt` override the style's indents.
    """
    keep = "<w:keepNext/>" if keep_next else ""
    pbb = "<w:pageBreakBefore/>" if page_break_before else ""
    ind = ""
    if right_indent is not None:
        ind = f"<w:ind{_chars_and_twips('right', *right_indent)}/>"
    elif left_indent_pt is not None:  # In twips: leftChars would take precedence and count in characters.
        ind = f'<w:ind w:left="{_twips_pt(left_indent_pt)}" w:rightChars="0" w:right="0"/>'

    jc = _jc(align) if align is not None else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{_attr(style_id)}"/>{keep}{pbb}{ind}{jc}{section}</w:pPr>{_run(text)}</w:p>'


def page_break(style_id: str) -> str:
    """Return a paragraph holding only a page break."""
    return f'<w:p><w:pPr><w:pStyle w:val="{_attr(style_id)}"/></w:pPr><w:r><w:br w:type="page"/></w:r></w:p>'


def section_properties(page: PageSetup, footer_mm: float, line_pitch: float) -> str:
    """Return w:sectPr: page size and margins, both footers, and the line grid."""
    width, height = _page_twips(page)
    orient = ' w:orient="landscape"' if page.landscape else ""
    # 5.2.3: 22 lines a page. Only a line grid: a character grid (linesAndChars) would squeeze 28
    # characters into a line in Word, but LibreOffice gives every glyph wider than a grid cell two
    # cells, so the styles narrow the characters instead (see ParagraphStyle.char_scale).
    odd, even = _FOOTER_RIDS[page.landscape]
    return (
        f'<w:sectPr><w:footerReference w:type="default" r:id="{odd}"/>'
        f'<w:footerReference w:type="even" r:id="{even}"/>'
        f'<w:pgSz w:w="{width}" w:h="{height}"{orient}/>'
        f'<w:pgMar w:top="{_twips_mm(page.top)}" w:right="{_twips_mm(page.right)}"'
        f' w:bottom="{_twips_mm(page.bottom)}" w:left="{_twips_mm(page.left)}" w:header="{_twips_mm(15)}"'
        f' w:footer="{_twips_mm(footer_mm)}" w:gutter="0"/><w:cols w:space="425"/>'
        f'<w:docGrid w:type="lines" w:linePitch="{_twips_pt(line_pitch)}"/></w:sectPr>'
    )


# --- Tables -------------------------------------------------------------------------------------

VMerge = Literal["restart", "continue"] | None

# Single 0.5 pt lines (w:sz is in eighths of a point) on every edge and between all cells.
_BORDERS = "".join(
    f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
)


# Space between a cell's border and its text on the left and on the right, in twips (1 mm).
CELL_MARGIN_TWIPS = 57


def table(widths: Sequence[int], rows: Iterable[str]) -> str:
    """Return a bordered, fixed-layout, centred table with the given column widths (twips)."""
    grid = "".join(f'<w:gridCol w:w="{w:d}"/>' for w in widths)
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths):d}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{_BORDERS}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/>'
        f'<w:right w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/></w:tblCellMar>'
        f'<w:tblLook w:val="0020" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0"'
        f' w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>'
    )


def table_row(cells: Iterable[str], *, header: bool = False, keep_together: bool = False) -> str:
    """Return a row; a header row repeats on every page, a kept-together row never splits across pages."""
    keep = "<w:cantSplit/>" if keep_together or header else ""
    repeat = "<w:tblHeader/>" if header else ""
    return f"<w:tr><w:trPr>{keep}{repeat}</w:trPr>{''.join(cells)}</w:tr>"


def table_cell(
    paragraphs: str, width: int, *, grid_span: int = 1, vmerge: VMerge = None, centred: bool = False
) -> str:
    """Return a cell, top-aligned unless `centred`; `paragraphs` must hold at least one paragraph."""
    span = f'<w:gridSpan w:val="{grid_span:d}"/>' if grid_span > 1 else ""
    merge = (
        "" if vmerge is None else ('<w:vMerge w:val="restart"/>' if vmerge == "restart" else "<w:vMerge/>")
    )
    valign = '<w:vAlign w:val="center"/>' if centred else ""
    return f'<w:tc><w:tcPr><w:tcW w:w="{width:d}" w:type="dxa"/>{span}{merge}{valign}</w:tcPr>{paragraphs}</w:tc>'
