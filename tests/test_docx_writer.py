"""The Word writer: styles, page layout, footers, tables and exact text, read back with python-docx."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_LINE_SPACING
from docx.shared import Emu, Pt
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from jixiao.render import oxml
from jixiao.render.blocks import (
    Column,
    PageBreak,
    Paragraph,
    SectionBreak,
    StyleKey,
    TableData,
    TablePlaceholder,
)
from jixiao.render.docx_writer import (
    DatePlacement,
    build_parts,
    cell_lines,
    merge_spans,
    package,
    place_date,
    read_custom_properties,
    rendered_chars,
    row_height,
    scale_widths,
    write_docx,
)
from jixiao.render.profile import A4_LANDSCAPE, COMMON_PROFILE, DEFAULT_PROFILE, StyleProfile, profile_by_name

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def w(name: str) -> str:
    """Return the Clark name of a w: attribute or element."""
    return f"{{{W}}}{name}"


def write(tmp_path: Path, blocks, tables=None, **kwargs) -> Path:
    path = tmp_path / "out.docx"
    write_docx(blocks, tables or {}, path, **kwargs)
    return path


def xml_part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as package_:
        return etree.fromstring(package_.read(name))


def mm(length: int) -> float:
    return Emu(length).mm


ALL_STYLES = [Paragraph(key, f"{key.value}的文字") for key in StyleKey]


# --- Paragraphs and styles ----------------------------------------------------------------------


def test_paragraphs_keep_order_style_and_text(tmp_path):
    doc = docx.Document(write(tmp_path, ALL_STYLES))
    assert [(p.style.name, p.text) for p in doc.paragraphs] == [(b.style.value, b.text) for b in ALL_STYLES]


def test_every_paragraph_names_a_style(tmp_path):
    path = write(tmp_path, [*ALL_STYLES, SectionBreak(True), TablePlaceholder("t")], {"t": small_table()})
    for part in ("word/document.xml", *(f"word/footer{n}.xml" for n in range(1, 5))):
        for p in xml_part(path, part).iter(w("p")):
            assert p.find("w:pPr/w:pStyle", NS) is not None, part


EXPECTED_FONTS = {
    StyleKey.TITLE: ("方正小标宋简体", 44, False),
    StyleKey.HEADING1: ("黑体", 32, False),
    StyleKey.HEADING2: ("楷体_GB2312", 32, False),
    StyleKey.HEADING3: ("仿宋_GB2312", 32, True),
    StyleKey.BODY: ("仿宋_GB2312", 32, False),
    StyleKey.BODY_NO_INDENT: ("仿宋_GB2312", 32, False),
    StyleKey.ATTACHMENT_LABEL: ("黑体", 32, False),
    StyleKey.TABLE_TITLE: ("方正小标宋简体", 36, False),
    StyleKey.TABLE_TEXT: ("仿宋_GB2312", 21, False),
    StyleKey.SIGNATURE: ("仿宋_GB2312", 32, False),
    StyleKey.DATE: ("仿宋_GB2312", 32, False),
}


def style_element(styles: etree._Element, name: str) -> etree._Element:
    found = styles.xpath("w:style[w:name/@w:val=$name]", namespaces=NS, name=name)
    assert len(found) == 1, f"style {name!r} defined {len(found)} times"
    return found[0]


@pytest.mark.parametrize(("key", "expected"), EXPECTED_FONTS.items(), ids=[k.name for k in EXPECTED_FONTS])
def test_styles_carry_the_gb_t_9704_fonts(tmp_path, key, expected):
    font, half_points, bold = expected
    style = style_element(xml_part(write(tmp_path, ALL_STYLES), "word/styles.xml"), key.value)
    assert style.get(w("type")) == "paragraph"
    fonts = style.find("w:rPr/w:rFonts", NS)
    assert fonts.get(w("eastAsia")) == font
    assert fonts.get(w("ascii")) == fonts.get(w("hAnsi")) == "Times New Roman"
    assert style.find("w:rPr/w:sz", NS).get(w("val")) == str(half_points)
    assert (style.find("w:rPr/w:b", NS) is not None) is bold
    assert style.find("w:rPr/w:lang", NS).get(w("eastAsia")) == "zh-CN"


def test_common_profile_uses_fonts_every_pc_has(tmp_path):
    styles = xml_part(write(tmp_path, ALL_STYLES, profile=COMMON_PROFILE), "word/styles.xml")
    east_asia = {
        key: style_element(styles, key.value).find("w:rPr/w:rFonts", NS).get(w("eastAsia"))
        for key in (StyleKey.TITLE, StyleKey.HEADING1, StyleKey.HEADING2, StyleKey.BODY)
    }
    assert east_asia == {
        StyleKey.TITLE: "宋体",
        StyleKey.HEADING1: "黑体",
        StyleKey.HEADING2: "楷体",
        StyleKey.BODY: "仿宋",
    }


def test_profile_by_name():
    assert profile_by_name("gb2312") is DEFAULT_PROFILE
    assert profile_by_name("common") is COMMON_PROFILE
    with pytest.raises(ValueError, match="gb2312"):
        profile_by_name("fancy")


def test_only_our_styles_and_word_defaults(tmp_path):
    styles = xml_part(write(tmp_path, ALL_STYLES), "word/styles.xml")
    names = styles.xpath("w:style/w:name/@w:val", namespaces=NS)
    ours = {k.value for k in StyleKey} | {"表格表头", "公文页码"}
    assert set(names) == ours | {"Normal", "Default Paragraph Font", "Normal Table"}
    assert styles.find("w:latentStyles", NS) is None


def test_no_theme_fonts_anywhere(tmp_path):
    path = write(tmp_path, [*ALL_STYLES, SectionBreak(True), TablePlaceholder("t")], {"t": small_table()})
    with zipfile.ZipFile(path) as package_:
        assert not [n for n in package_.namelist() if "theme" in n]
        for name in package_.namelist():
            if name.endswith(".xml"):
                assert not re.search(rb"w:\w*[tT]heme=", package_.read(name)), name


def test_body_text_has_exact_line_spacing_and_two_character_indent(tmp_path):
    doc = docx.Document(write(tmp_path, ALL_STYLES))
    body = doc.styles[StyleKey.BODY.value].paragraph_format
    assert body.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert body.line_spacing == Pt(28.95)
    assert body.first_line_indent == Pt(32)
    ind = doc.styles[StyleKey.BODY.value].element.find("w:pPr/w:ind", NS)
    assert ind.get(w("firstLineChars")) == "200"


@pytest.mark.parametrize(
    ("key", "level"),
    [(StyleKey.HEADING1, "0"), (StyleKey.HEADING2, "1"), (StyleKey.HEADING3, "2"), (StyleKey.BODY, None)],
)
def test_headings_have_outline_levels(tmp_path, key, level):
    style = style_element(xml_part(write(tmp_path, ALL_STYLES), "word/styles.xml"), key.value)
    outline = style.find("w:pPr/w:outlineLvl", NS)
    assert (None if outline is None else outline.get(w("val"))) == level


@pytest.mark.parametrize(
    ("key", "jc"),
    [
        (StyleKey.TITLE, "center"),
        (StyleKey.BODY, "both"),
        (StyleKey.ATTACHMENT_LABEL, "left"),
        (StyleKey.TABLE_TITLE, "center"),
        (StyleKey.SIGNATURE, "right"),
    ],
)
def test_alignment(tmp_path, key, jc):
    style = style_element(xml_part(write(tmp_path, ALL_STYLES), "word/styles.xml"), key.value)
    assert style.find("w:pPr/w:jc", NS).get(w("val")) == jc


def test_title_and_table_text_have_no_indent(tmp_path):
    doc = docx.Document(write(tmp_path, ALL_STYLES))
    for key in (StyleKey.TITLE, StyleKey.TABLE_TEXT, StyleKey.ATTACHMENT_LABEL, StyleKey.BODY_NO_INDENT):
        assert not doc.styles[key.value].paragraph_format.first_line_indent, key


def test_table_text_is_single_spaced(tmp_path):
    fmt = docx.Document(write(tmp_path, ALL_STYLES)).styles[StyleKey.TABLE_TEXT.value].paragraph_format
    assert fmt.line_spacing == 1.0


# --- Page layout and footers --------------------------------------------------------------------


def test_portrait_page_is_a4_with_gb_t_9704_margins(tmp_path):
    section = docx.Document(write(tmp_path, ALL_STYLES)).sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    got = [section.page_width, section.page_height, section.top_margin, section.bottom_margin]
    got += [section.left_margin, section.right_margin]
    assert [mm(x) for x in got] == pytest.approx([210, 297, 37, 35, 28, 26], abs=0.05)


def test_section_break_starts_a_landscape_section(tmp_path):
    blocks = [
        Paragraph(StyleKey.BODY, "纵向"),
        SectionBreak(landscape=True),
        Paragraph(StyleKey.BODY, "横向"),
    ]
    doc = docx.Document(write(tmp_path, blocks))
    assert len(doc.sections) == 2
    portrait, landscape = doc.sections
    assert portrait.orientation == WD_ORIENT.PORTRAIT
    assert landscape.orientation == WD_ORIENT.LANDSCAPE
    assert [mm(landscape.page_width), mm(landscape.page_height)] == pytest.approx([297, 210], abs=0.05)
    text_area = [
        mm(landscape.page_width - landscape.left_margin - landscape.right_margin),
        mm(landscape.page_height - landscape.top_margin - landscape.bottom_margin),
    ]
    assert text_area == pytest.approx([225, 156], abs=0.1)
    # Turned a quarter anticlockwise (8): head on the binding edge (28), left margin on the sheet's foot (35).
    margins = [landscape.top_margin, landscape.bottom_margin, landscape.left_margin, landscape.right_margin]
    assert [mm(x) for x in margins] == pytest.approx([28, 26, 35, 37], abs=0.05)
    # No empty paragraph is invented to carry the section end: it rides on the last paragraph.
    assert [p.text for p in doc.paragraphs] == ["纵向", "横向"]
    assert doc.paragraphs[0]._p.find("w:pPr/w:sectPr", NS) is not None


def test_section_break_before_any_content_adds_no_empty_section(tmp_path):
    doc = docx.Document(write(tmp_path, [SectionBreak(True), Paragraph(StyleKey.BODY, "横向")]))
    assert [s.orientation for s in doc.sections] == [WD_ORIENT.LANDSCAPE]


def test_even_and_odd_footers_are_enabled(tmp_path):
    doc = docx.Document(write(tmp_path, ALL_STYLES))
    assert doc.settings.odd_and_even_pages_header_footer
    assert xml_part(tmp_path / "out.docx", "word/settings.xml").find("w:evenAndOddHeaders", NS) is not None


def footer_paragraph(footer) -> etree._Element:
    (p,) = footer._element.findall("w:p", NS)
    return p


def page_number_parts(p: etree._Element) -> list[str]:
    """Return the footer paragraph as text pieces, the PAGE field shown as {PAGE}."""
    pieces = []
    for run in p.iter(w("r")):
        for child in run:
            if child.tag == w("t") and run.find("w:fldChar", NS) is None:
                pieces.append(child.text)
            elif child.tag == w("instrText"):
                pieces.append("{" + child.text.strip() + "}")
    return pieces


def test_page_numbers_odd_right_even_left(tmp_path):
    section = docx.Document(write(tmp_path, [Paragraph(StyleKey.BODY, "甲")])).sections[0]
    odd, even = footer_paragraph(section.footer), footer_paragraph(section.even_page_footer)
    for p, jc in ((odd, "right"), (even, "left")):
        assert_page_number(p, jc)


def assert_page_number(p: etree._Element, jc: str) -> None:
    """Check a page-number paragraph: "— {PAGE} —", aligned to `jc`, one character in from that side."""
    assert p.find("w:pPr/w:jc", NS).get(w("val")) == jc
    assert p.find("w:pPr/w:ind", NS).get(w(f"{jc}Chars")) == "100"
    # The cached field result "1" sits between separate and end; drop it to see the shape.
    assert [x for x in page_number_parts(p) if x != "1"] == ["— ", "{PAGE}", " —"]
    assert [f.get(w("fldCharType")) for f in p.iter(w("fldChar"))] == ["begin", "separate", "end"]


VML = "urn:schemas-microsoft-com:vml"
BOX_NS = {**NS, "v": VML, "w10": "urn:schemas-microsoft-com:office:word"}


def test_landscape_page_numbers_run_down_the_left_margin_in_a_text_box(tmp_path):
    """8: on the sheet turned back, the number stands where portrait numbers do; its text box says so."""
    blocks = [Paragraph(StyleKey.BODY, "甲"), SectionBreak(True), Paragraph(StyleKey.BODY, "乙")]
    portrait, landscape = docx.Document(write(tmp_path, blocks)).sections
    assert footer_paragraph(portrait.footer).find(".//w:txbxContent", NS) is None
    for footer, jc in ((landscape.footer, "right"), (landscape.even_page_footer, "left")):
        (box,) = footer_paragraph(footer).findall("w:r/w:pict/v:rect", BOX_NS)
        style = dict(item.split(":") for item in box.get("style").split(";"))
        assert style["position"] == "absolute"
        assert style["mso-position-horizontal-relative"] == style["mso-position-vertical-relative"] == "page"
        left, top, width, height = (float(style[key].removesuffix("pt")) / PT_PER_MM for key in (
            "margin-left", "margin-top", "width", "height"))  # fmt: skip
        # Its middle 7 mm out from the type area (left margin 35 mm); as long as the type area is high.
        assert left + width / 2 == pytest.approx(35 - 7, abs=0.01)
        assert (top, top + height) == pytest.approx((28, 210 - 26), abs=0.01)
        assert (box.get("filled"), box.get("stroked")) == ("f", "f")
        text_box = box.find("v:textbox", BOX_NS)
        assert text_box.get("style") == "layout-flow:vertical"
        (number,) = text_box.findall("w:txbxContent/w:p", BOX_NS)
        assert_page_number(number, jc)
        assert box.find("w10:wrap", BOX_NS).attrib == {"anchorx": "page", "anchory": "page"}


PT_PER_MM = 72 / 25.4


def test_only_a_document_with_landscape_pages_carries_their_footers(tmp_path):
    blocks = [Paragraph(StyleKey.BODY, "甲"), SectionBreak(True), Paragraph(StyleKey.BODY, "乙")]
    with zipfile.ZipFile(write(tmp_path, blocks)) as package_:
        names = set(package_.namelist())
        rels = package_.read("word/_rels/document.xml.rels").decode()
        types = package_.read("[Content_Types].xml").decode()
    assert {"word/footer3.xml", "word/footer4.xml"} <= names
    assert 'Target="footer3.xml"' in rels and 'Target="footer4.xml"' in rels
    assert 'PartName="/word/footer3.xml"' in types and 'PartName="/word/footer4.xml"' in types


def test_page_number_style_is_four_point_song(tmp_path):
    style = style_element(xml_part(write(tmp_path, ALL_STYLES), "word/styles.xml"), "公文页码")
    fonts = style.find("w:rPr/w:rFonts", NS)
    assert fonts.get(w("eastAsia")) == fonts.get(w("ascii")) == "宋体"
    assert style.find("w:rPr/w:sz", NS).get(w("val")) == "28"


# --- Page breaks --------------------------------------------------------------------------------


def test_page_break_puts_the_next_paragraph_on_a_new_page(tmp_path):
    blocks = [Paragraph(StyleKey.BODY, "甲"), PageBreak(), Paragraph(StyleKey.HEADING1, "乙")]
    doc = docx.Document(write(tmp_path, blocks))
    assert [p.text for p in doc.paragraphs] == ["甲", "乙"]
    assert [bool(p.paragraph_format.page_break_before) for p in doc.paragraphs] == [False, True]


def test_page_break_before_a_table_is_a_break_run(tmp_path):
    path = write(
        tmp_path, [Paragraph(StyleKey.BODY, "甲"), PageBreak(), TablePlaceholder("t")], {"t": small_table()}
    )
    body = xml_part(path, "word/document.xml").find("w:body", NS)
    tags = [etree.QName(child).localname for child in body]
    assert tags[:3] == ["p", "p", "tbl"]
    assert body[1].find("w:r/w:br", NS).get(w("type")) == "page"


def test_page_break_before_a_section_break_is_dropped(tmp_path):
    blocks = [Paragraph(StyleKey.BODY, "甲"), PageBreak(), SectionBreak(True), Paragraph(StyleKey.BODY, "乙")]
    doc = docx.Document(write(tmp_path, blocks))
    assert not any(p.paragraph_format.page_break_before for p in doc.paragraphs)
    assert b"w:br" not in zipfile.ZipFile(tmp_path / "out.docx").read("word/document.xml")


# --- Tables -------------------------------------------------------------------------------------

COLUMNS = (
    Column("一级指标", 2),
    Column("二级指标", 2),
    Column("三级指标", 3),
    Column("分值", 1),
    Column("评分标准", 6),
    Column("得分", 1),
)
# Three tier-1 groups; "共用" is a tier-2 name under both 决策 and 过程 and must not merge across them.
ROWS = (
    ("决策", "项目立项", "立项依据", "3", "1.符合规划，得1分；\n2.程序规范，得2分。", "3"),
    ("决策", "项目立项", "立项程序", "2", "程序规范，得2分。", "2"),
    ("决策", "共用", "目标明确", "3", "明确，得3分。", "3"),
    ("过程", "共用", "预算执行率", "5", "执行率×分值。", "4"),
    ("过程", "资金管理", "资金使用", "5", "合规，得5分。", "5"),
    ("产出", "数量", "完成率", "10", "完成率×分值。", "9"),
    ("产出", "数量", "覆盖率", "10", "覆盖率×分值。", "10"),
)


def small_table(**changes) -> TableData:
    data = {"columns": COLUMNS, "rows": ROWS, "merge_levels": 2, "footer": (("自评总分", "36"),)}
    return TableData(**{**data, **changes})


def table_xml(
    tmp_path: Path, data: TableData, landscape: bool = True
) -> tuple[etree._Element, etree._Element]:
    blocks = [SectionBreak(landscape), Paragraph(StyleKey.TABLE_TITLE, "评分表"), TablePlaceholder("评分表")]
    body = xml_part(write(tmp_path, blocks, {"评分表": data}), "word/document.xml").find("w:body", NS)
    return body.find("w:tbl", NS), body.find("w:sectPr", NS)


def vmerge(tc: etree._Element) -> str | None:
    element = tc.find("w:tcPr/w:vMerge", NS)
    if element is None:
        return None
    return element.get(w("val"), "continue")


def test_tier_columns_merge_hierarchically(tmp_path):
    table, _ = table_xml(tmp_path, small_table())
    body_rows = table.findall("w:tr", NS)[1 : 1 + len(ROWS)]
    merges = [[vmerge(tc) for tc in tr.findall("w:tc", NS)[:3]] for tr in body_rows]
    assert merges == [
        ["restart", "restart", None],
        ["continue", "continue", None],
        ["continue", None, None],  # 决策/共用: a run of one
        ["restart", None, None],  # 过程/共用: same name, new tier-1 group, so no merge with the row above
        ["continue", None, None],
        ["restart", "restart", None],
        ["continue", "continue", None],
    ]


def test_merged_continuation_cells_are_empty_and_starts_hold_the_text(tmp_path):
    table, _ = table_xml(tmp_path, small_table())
    first_column = ["".join(tr.findall("w:tc", NS)[0].itertext()) for tr in table.findall("w:tr", NS)[1:8]]
    assert first_column == ["决策", "", "", "过程", "", "产出", ""]


def test_header_row_repeats_on_every_page(tmp_path):
    table, _ = table_xml(tmp_path, small_table())
    rows = table.findall("w:tr", NS)
    assert [tr.find("w:trPr/w:tblHeader", NS) is not None for tr in rows] == [True] + [False] * (
        len(rows) - 1
    )
    assert ["".join(tc.itertext()) for tc in rows[0].findall("w:tc", NS)] == [c.title for c in COLUMNS]


def test_footer_row_spans_the_leftover_columns(tmp_path):
    table, _ = table_xml(tmp_path, small_table())
    grid = [int(g.get(w("w"))) for g in table.findall("w:tblGrid/w:gridCol", NS)]
    label, score = table.findall("w:tr", NS)[-1].findall("w:tc", NS)
    assert label.find("w:tcPr/w:gridSpan", NS).get(w("val")) == "5"
    assert int(label.find("w:tcPr/w:tcW", NS).get(w("w"))) == sum(grid[:5])
    assert "".join(label.itertext()) == "自评总分"
    assert "".join(score.itertext()) == "36"
    assert score.find("w:tcPr/w:gridSpan", NS) is None


def test_full_width_footer_row_has_no_span(tmp_path):
    table, _ = table_xml(tmp_path, small_table(footer=(("合计", "", "", "36", "", "33"),)))
    cells = table.findall("w:tr", NS)[-1].findall("w:tc", NS)
    assert len(cells) == 6
    assert table.find(".//w:gridSpan", NS) is None


def test_multiline_cell_text_becomes_paragraphs(tmp_path):
    table, _ = table_xml(tmp_path, small_table())
    cell = table.findall("w:tr", NS)[1].findall("w:tc", NS)[4]
    assert ["".join(p.itertext()) for p in cell.findall("w:p", NS)] == [
        "1.符合规划，得1分；",
        "2.程序规范，得2分。",
    ]


@pytest.mark.parametrize("landscape", [False, True])
def test_column_widths_fill_the_text_width(tmp_path, landscape):
    table, sect = table_xml(tmp_path, small_table(), landscape)
    page_width = int(sect.find("w:pgSz", NS).get(w("w")))
    margins = sect.find("w:pgMar", NS)
    text_width = page_width - int(margins.get(w("left"))) - int(margins.get(w("right")))
    grid = [int(g.get(w("w"))) for g in table.findall("w:tblGrid/w:gridCol", NS)]
    assert sum(grid) == text_width
    assert grid == pytest.approx([text_width * c.width / 15 for c in COLUMNS], abs=1)
    assert int(table.find("w:tblPr/w:tblW", NS).get(w("w"))) == text_width
    assert table.find("w:tblPr/w:tblLayout", NS).get(w("type")) == "fixed"
    for tr in table.findall("w:tr", NS)[:-1]:
        assert [int(tc.find("w:tcPr/w:tcW", NS).get(w("w"))) for tc in tr.findall("w:tc", NS)] == grid


def test_table_has_single_line_borders(tmp_path):
    table, _ = table_xml(tmp_path, small_table())
    borders = table.find("w:tblPr/w:tblBorders", NS)
    assert {etree.QName(b).localname for b in borders} == {
        "top",
        "left",
        "bottom",
        "right",
        "insideH",
        "insideV",
    }
    assert {b.get(w("val")) for b in borders} == {"single"}


def test_table_cells_use_the_table_styles_and_tiers_are_centred(tmp_path):
    path = write(tmp_path, [TablePlaceholder("t")], {"t": small_table()})
    table = docx.Document(path).tables[0]
    styles = {p.style.name for row in table.rows for cell in row.cells for p in cell.paragraphs}
    assert styles == {"表格文字", "表格表头"}
    assert {p.style.name for p in table.rows[0].cells[0].paragraphs} == {"表格表头"}
    tier = xml_part(path, "word/document.xml").findall(".//w:tr", NS)[1].find("w:tc", NS)
    assert tier.find("w:tcPr/w:vAlign", NS).get(w("val")) == "center"


def test_python_docx_reads_the_merged_grid(tmp_path):
    table = docx.Document(write(tmp_path, [TablePlaceholder("t")], {"t": small_table()})).tables[0]
    assert len(table.rows) == 1 + len(ROWS) + 1
    assert table.cell(2, 0).text == "决策"  # a continuation resolves to the merged cell
    assert table.cell(3, 1).text == "共用"


def test_table_errors_are_reported(tmp_path):
    with pytest.raises(ValueError, match="no table named"):
        write(tmp_path, [TablePlaceholder("缺")])
    with pytest.raises(ValueError, match="cells"):
        write(tmp_path, [TablePlaceholder("t")], {"t": small_table(rows=(("只有一格",),))})
    with pytest.raises(ValueError, match="footer"):
        write(tmp_path, [TablePlaceholder("t")], {"t": small_table(footer=((),))})
    assert not (tmp_path / "out.docx").exists()


# --- merge_spans and scale_widths ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "levels", "expected"),
    [
        pytest.param([], 2, [], id="empty table"),
        pytest.param([("A", "a", "x")], 2, [[1, 1, 1]], id="one row"),
        pytest.param([("A", "a"), ("A", "a")], 0, [[1, 1], [1, 1]], id="no merge levels"),
        pytest.param([("A", "a"), ("A", "a"), ("A", "a")], 1, [[3, 1], [0, 1], [0, 1]], id="one level"),
        pytest.param([("A",), ("B",), ("A",)], 1, [[1], [1], [1]], id="equal but not consecutive"),
        pytest.param(
            [("A", "s"), ("A", "s"), ("B", "s"), ("B", "s")],
            2,
            [[2, 2], [0, 0], [2, 2], [0, 0]],
            id="same tier-2 name under two tier-1 names stays apart",
        ),
        pytest.param(
            [("A", "a", "1"), ("A", "a", "1"), ("A", "b", "1"), ("B", "b", "1"), ("C", "c", "1")],
            2,
            [[3, 2, 1], [0, 0, 1], [0, 1, 1], [1, 1, 1], [1, 1, 1]],
            id="two levels, three groups, third column never merged",
        ),
        pytest.param(
            [("A", "a", "i"), ("A", "a", "i"), ("A", "b", "i")],
            3,
            [[3, 2, 2], [0, 0, 0], [0, 1, 1]],
            id="three levels",
        ),
        pytest.param([("", ""), ("", "")], 2, [[2, 2], [0, 0]], id="blank tiers merge too"),
    ],
)
def test_merge_spans(rows, levels, expected):
    assert merge_spans(rows, levels) == expected


@pytest.mark.parametrize("levels", [-1, 3])
def test_merge_spans_rejects_impossible_levels(levels):
    with pytest.raises(ValueError, match="merge_levels"):
        merge_spans([("A", "a")], levels)


@pytest.mark.parametrize(
    ("relative", "total"), [([1, 1, 1], 8845), ([2, 2, 3, 1, 6, 1], 12756), ([0.7], 100), ([1, 2], 1)]
)
def test_scale_widths_adds_up_exactly(relative, total):
    widths = scale_widths(relative, total)
    assert sum(widths) == total
    assert widths == pytest.approx([total * r / sum(relative) for r in relative], abs=1)


def test_scale_widths_rejects_non_positive_widths():
    with pytest.raises(ValueError):
        scale_widths([1, 0], 100)
    with pytest.raises(ValueError):
        scale_widths([], 100)


# --- Exact text ---------------------------------------------------------------------------------

HOSTILE = [
    "<>&\"'",
    "a < b && c > d; <w:t>not markup</w:t> ]]> &amp; &#x41;",
    "“中文引号”‘单引号’——破折号……省略号",
    "表情 😀 与扩展汉字 𠀀𪚥",
    "  前后有空格  中间  两个空格 ",
    "制表\t符",
    "\u2028行分隔符与\u00a0不换行空格\ufeff",
    "长" * 20_000,
    ("混合&<>" * 2_000)[:20_000],
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_round_trips(tmp_path, text):
    data = TableData((Column(text, 1), Column("乙", 1)), ((text, "x"),), footer=((text,),))
    path = write(tmp_path, [Paragraph(StyleKey.BODY, text), TablePlaceholder("t")], {"t": data})
    doc = docx.Document(path)
    assert doc.paragraphs[0].text == text
    table = doc.tables[0]
    assert [table.cell(0, 0).text, table.cell(1, 0).text, table.cell(2, 0).text] == [text] * 3


@pytest.mark.parametrize("text", ["两行\n文字", "回车\r", "空字符\x00", "换页\x0c", "孤代理\ud800"])
def test_text_that_cannot_be_a_paragraph_is_refused(tmp_path, text):
    with pytest.raises(ValueError):
        write(tmp_path, [Paragraph(StyleKey.BODY, text)])
    assert not (tmp_path / "out.docx").exists()


writable_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r\ufffe\uffff"), max_size=200
).filter(lambda s: not re.search("[\x00-\x08\x0b-\x1f]", s))


@settings(max_examples=40, deadline=None)
@given(texts=st.lists(writable_text, min_size=1, max_size=4))
def test_any_writable_text_round_trips(texts):
    out = io.BytesIO()
    write_docx([Paragraph(StyleKey.BODY, t) for t in texts], {}, out)
    out.seek(0)
    assert [p.text for p in docx.Document(out).paragraphs] == texts


# --- Properties and package ---------------------------------------------------------------------


def test_custom_properties_round_trip(tmp_path):
    properties = {
        "jixiao.fingerprint": "ab" * 32,
        "生成器": "jixiao 0.1 <&>\"'",
        "空": "",
        "多行": "甲\n乙\t丙",
    }
    path = write(tmp_path, ALL_STYLES, properties=properties)
    assert read_custom_properties(path) == properties
    assert read_custom_properties(str(path)) == properties
    assert read_custom_properties(io.BytesIO(path.read_bytes())) == properties
    assert docx.Document(path).paragraphs  # still a valid document


def test_custom_properties_are_lpwstr(tmp_path):
    custom = xml_part(write(tmp_path, ALL_STYLES, properties={"k": "v"}), "docProps/custom.xml")
    vt = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
    (prop,) = custom
    assert prop.get("name") == "k"
    assert prop.get("pid") == "2"
    assert prop[0].tag == f"{{{vt}}}lpwstr"


def test_document_without_custom_properties_reads_empty(tmp_path):
    path = tmp_path / "plain.docx"
    docx.Document().save(path)
    assert read_custom_properties(path) == {}


def test_empty_property_name_is_refused(tmp_path):
    with pytest.raises(ValueError):
        write(tmp_path, ALL_STYLES, properties={"": "v"})


def test_core_properties(tmp_path):
    blocks = [
        Paragraph(StyleKey.TITLE, "某县财政局2024年度"),
        Paragraph(StyleKey.TITLE, "部门整体支出绩效评价报告"),
    ]
    blocks += [Paragraph(StyleKey.BODY, "正文"), Paragraph(StyleKey.TITLE, "不是标题的一部分")]
    core = docx.Document(write(tmp_path, blocks)).core_properties
    assert core.title == "某县财政局2024年度部门整体支出绩效评价报告"
    assert core.author == "jixiao"


def test_output_is_reproducible_and_split_api_matches(tmp_path):
    blocks = [*ALL_STYLES, SectionBreak(True), TablePlaceholder("t")]
    first, second = io.BytesIO(), io.BytesIO()
    write_docx(blocks, {"t": small_table()}, first, properties={"k": "v"})
    write_docx(blocks, {"t": small_table()}, second, properties={"k": "v"})
    assert first.getvalue() == second.getvalue()
    assert package(build_parts(blocks, {"t": small_table()}), {"k": "v"}) == first.getvalue()


def test_package_has_the_lean_part_list(tmp_path):
    with zipfile.ZipFile(write(tmp_path, ALL_STYLES)) as package_:
        names = package_.namelist()
        assert package_.testzip() is None
        assert "footer3" not in package_.read("word/_rels/document.xml.rels").decode()
        assert "footer3" not in package_.read("[Content_Types].xml").decode()
    assert names[0] == "[Content_Types].xml"
    assert set(names) == {
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
        "word/_rels/document.xml.rels",
        "word/styles.xml",
        "word/settings.xml",
        "word/fontTable.xml",
        "word/footer1.xml",
        "word/footer2.xml",
        "docProps/core.xml",
        "docProps/app.xml",
        "docProps/custom.xml",
        "customXml/item1.xml",
        "customXml/itemProps1.xml",
        "customXml/_rels/item1.xml.rels",
    }


def test_empty_document_is_still_valid(tmp_path):
    doc = docx.Document(write(tmp_path, []))
    assert len(doc.sections) == 1


def test_a_table_at_the_end_is_followed_by_a_paragraph(tmp_path):
    body = xml_part(write(tmp_path, [TablePlaceholder("t")], {"t": small_table()}), "word/document.xml")[0]
    assert [etree.QName(child).localname for child in body] == ["tbl", "p", "sectPr"]


def test_title_lines_share_one_space_after(tmp_path):
    style = style_element(xml_part(write(tmp_path, ALL_STYLES), "word/styles.xml"), StyleKey.TITLE.value)
    assert style.find("w:pPr/w:spacing", NS).get(w("after")) == "579"  # one blank line of 28.95 pt
    assert style.find("w:pPr/w:contextualSpacing", NS) is not None


def test_page_break_at_the_end_adds_no_blank_page(tmp_path):
    doc = docx.Document(write(tmp_path, [Paragraph(StyleKey.BODY, "甲"), PageBreak()]))
    assert [(p.text, bool(p.paragraph_format.page_break_before)) for p in doc.paragraphs] == [("甲", False)]


def test_every_part_is_well_formed_xml(tmp_path):
    path = write(tmp_path, [*ALL_STYLES, SectionBreak(True), TablePlaceholder("t")], {"t": small_table()})
    with zipfile.ZipFile(path) as package_:
        for name in package_.namelist():
            etree.fromstring(package_.read(name))  # raises on malformed XML


def test_maintainer_font_names_are_escaped(tmp_path):
    profile = StyleProfile(name="odd", body_font='仿宋 & "Co" <x>', title_font="Title'Font")
    path = write(tmp_path, ALL_STYLES, profile=profile)
    styles = xml_part(path, "word/styles.xml")
    assert style_element(styles, "公文正文").find("w:rPr/w:rFonts", NS).get(w("eastAsia")) == '仿宋 & "Co" <x>'
    names = xml_part(path, "word/fontTable.xml").xpath("w:font/@w:name", namespaces=NS)
    assert '仿宋 & "Co" <x>' in names
    assert "Title'Font" in names


def test_rows_never_split_across_pages_unless_taller_than_a_page(tmp_path):
    # 80 short lines of 评分标准 (五号, about 4.8 mm each) cannot stand on the landscape type area (156 mm).
    tall = ("效果", "满意度", "群众满意度", "5", "\n".join(f"第{i}条。" for i in range(80)), "5")
    table, _ = table_xml(tmp_path, small_table(rows=(*ROWS, tall)))
    keep = [tr.find("w:trPr/w:cantSplit", NS) is not None for tr in table.findall("w:tr", NS)]
    assert keep == [True] + [True] * len(ROWS) + [False] + [True]


def test_a_row_just_within_a_page_is_kept_whole_and_one_line_more_is_not():
    widths = [3000, 3000]
    header = row_height(["甲", "乙"], widths, 10.5)
    lines = (oxml.text_height(A4_LANDSCAPE) - header) // round(10.5 * 1.3 * 20)
    assert row_height(["\n".join("行" * lines), "乙"], widths, 10.5) <= oxml.text_height(A4_LANDSCAPE) - header
    assert row_height(["\n".join("行" * (lines + 1)), "乙"], widths, 10.5) > oxml.text_height(A4_LANDSCAPE) - header


def test_cell_lines_wrap_long_text_at_the_cell_width():
    # 2000 twips less 2 x 57 margin hold 1886 / 210 = 8.98 characters of 10.5 pt.
    assert cell_lines("一二三四五六七八", 2000, 10.5) == 1
    assert cell_lines("一二三四五六七八九十", 2000, 10.5) == 2
    assert cell_lines("甲\n乙", 2000, 10.5) == 2


def test_signature_and_attachment_note_keep_the_last_body_paragraph_with_them(tmp_path):
    blocks = [
        Paragraph(StyleKey.BODY, "前面的段落。"),
        Paragraph(StyleKey.BODY, "正文最后一段。"),
        Paragraph(StyleKey.ATTACHMENT_NOTE, "附件：评分表"),
        Paragraph(StyleKey.SIGNATURE, "某镇人民政府"),
    ]
    paragraphs = xml_part(write(tmp_path, blocks), "word/document.xml").iter(w("p"))
    kept = [p.find(f"{w('pPr')}/{w('keepNext')}") is not None for p in paragraphs]
    # Each paragraph followed by the note or the signature is marked to keep with the next one.
    assert kept == [False, True, True, False]


# --- 附件说明, 署名 and 成文日期 (GB/T 9704 7.3.6, 7.3.5.2) --------------------------------------


def test_attachment_note_and_signature_stand_one_line_below_what_precedes_them(tmp_path):
    styles = xml_part(write(tmp_path, ALL_STYLES), "word/styles.xml")
    for name in ("附件说明", "落款"):
        spacing = style_element(styles, name).find("w:pPr/w:spacing", NS)
        assert spacing.get(w("before")) == spacing.get(w("line")) == "579", name  # one 28.95 pt line
    assert style_element(styles, "公文正文").find("w:pPr/w:spacing", NS).get(w("before")) == "0"


def test_a_long_attachment_name_wraps_under_its_first_character(tmp_path):
    indent = style_element(xml_part(write(tmp_path, ALL_STYLES), "word/styles.xml"), "附件说明").find("w:pPr/w:ind", NS)
    # 「附件：」 starts two characters in; the lines after it start after those three characters.
    assert (indent.get(w("leftChars")), indent.get(w("hangingChars"))) == ("500", "300")
    assert indent.get(w("firstLineChars")) is None


BODY = DEFAULT_PROFILE.body_size  # 三号, the 署名's size
GLYPH = BODY * 0.98  # the styles narrow every character to 98% (ParagraphStyle.char_scale)
TEXT_WIDTH = 156 / 25.4 * 72  # points


def test_rendered_width_counts_latin_as_half_and_where_scripts_meet():
    assert rendered_chars("巨鹿县阎疃镇人民政府") == 10
    assert rendered_chars("2022年1月10日") == 7 * 0.5 + 3 + 5 * 0.25


def test_a_date_shorter_than_the_signature_starts_two_characters_right_of_it():
    from jixiao.render.profile import paragraph_styles

    (style,) = [s for s in paragraph_styles(DEFAULT_PROFILE) if s.name == StyleKey.SIGNATURE]
    placement = place_date("巨鹿县阎疃镇人民政府", "2022年1月10日", style, TEXT_WIDTH)
    signature_start = TEXT_WIDTH - 2 * BODY - 10 * GLYPH  # right-aligned, two characters in
    assert placement == DatePlacement(date_left_pt=pytest.approx(signature_start + 2 * GLYPH))


def test_a_date_longer_than_the_signature_ends_two_in_and_moves_the_signature():
    from jixiao.render.profile import paragraph_styles

    (style,) = [s for s in paragraph_styles(DEFAULT_PROFILE) if s.name == StyleKey.SIGNATURE]
    placement = place_date("某某局", "2022年12月31日", style, TEXT_WIDTH)
    date_chars = rendered_chars("2022年12月31日")
    # The date ends two characters in and still starts two characters right of the 署名 (3 characters),
    # which moves right: its start is 2 + date + 2 characters from the right, its end that less 3.
    assert placement == DatePlacement(signature_right_chars=pytest.approx(2 + date_chars + 2 - 3), date_right_chars=2)


def test_the_writer_places_the_date_and_keeps_the_signature_with_it(tmp_path):
    blocks = [
        Paragraph(StyleKey.BODY, "正文。"),
        Paragraph(StyleKey.SIGNATURE, "巨鹿县阎疃镇人民政府"),
        Paragraph(StyleKey.DATE, "2022年1月10日"),
    ]
    body = xml_part(write(tmp_path, blocks), "word/document.xml")[0]
    _, signature, date = body.findall("w:p", NS)
    assert signature.find("w:pPr/w:keepNext", NS) is not None
    assert signature.find("w:pPr/w:ind", NS) is None  # the style's: 右空二字
    indent = date.find("w:pPr/w:ind", NS)
    expected = (TEXT_WIDTH - 2 * BODY - 10 * GLYPH + 2 * GLYPH) * 20
    assert int(indent.get(w("left"))) == pytest.approx(expected, abs=1)
    assert indent.get(w("leftChars")) is None  # it would take precedence over the twips
    assert (indent.get(w("rightChars")), date.find("w:pPr/w:jc", NS).get(w("val"))) == ("0", "left")


def test_a_date_without_a_signature_above_keeps_its_style(tmp_path):
    body = xml_part(write(tmp_path, [Paragraph(StyleKey.DATE, "2022年1月10日")]), "word/document.xml")[0]
    assert body.find("w:p/w:pPr/w:ind", NS) is None


def test_the_attachment_label_leaves_a_line_so_the_title_is_on_the_third(tmp_path):
    styles = xml_part(write(tmp_path, ALL_STYLES), "word/styles.xml")
    spacing = style_element(styles, "附件标识").find("w:pPr/w:spacing", NS)
    assert spacing.get(w("after")) == spacing.get(w("line")) == "579"  # 7.3.7: 附件标题居中编排在版心第三行
