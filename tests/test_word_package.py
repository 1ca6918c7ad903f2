"""The Word package as an editor's Word or WPS sees it: style names, outline levels, font table, schema validity."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from jixiao.checks import check_facts
from jixiao.render.docx_writer import rendered_chars
from jixiao.render.profile import PROFILES
from jixiao.report import build_document, docx_bytes
from jixiao.templatesets import bundled_sets
from ooxml_validate import invalid_parts, part_errors

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}

# Names Word and WPS give their own built-in styles (English, and Chinese as Chinese Word shows them):
# a style of ours under one of these names appears twice in the style list, or replaces Word's.
WORD_BUILT_IN_NAMES = {
    *("Normal", "Title", "Subtitle", "Body Text", "Body Text Indent", "List Paragraph", "Caption", "Header"),
    *("Footer", "Page Number", "Date", "Signature", "Closing", "Salutation", "Plain Text", "Table Grid"),
    *(f"Heading {n}" for n in range(1, 10)),
    *("正文", "标题", "副标题", "正文文本", "正文文本缩进", "正文缩进", "正文首行缩进", "列表段落", "题注"),
    *("页眉", "页脚", "页码", "日期", "签名", "结束语", "称呼", "纯文本", "表格", "网格型", "普通表格"),
    *(f"标题 {n}" for n in range(1, 10)),
    *(f"标题{n}" for n in range(1, 10)),
}
# Word's own defaults, which every document has and which must keep their names.
WORD_DEFAULTS = {"Normal", "Default Paragraph Font", "Normal Table"}


EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "examples" / "yantuan-2021.yaml"


def rendered(facts: Path, fonts: str = "gb2312") -> bytes:
    """Render a facts file with the default templates."""
    checked = check_facts(facts)
    assert checked.facts is not None and checked.card is not None
    return docx_bytes(build_document(checked.facts, checked.card), fonts)


@pytest.fixture(scope="module")
def example_package() -> bytes:
    """The bundled example rendered with the default templates."""
    return rendered(EXAMPLE)


def part(package: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return etree.fromstring(archive.read(name))


def test_no_style_of_ours_has_a_word_built_in_name(example_package):
    styles = part(example_package, "word/styles.xml")
    ours = [s.find("w:name", NS).get(f"{{{W}}}val") for s in styles.iterfind("w:style[@w:customStyle='1']", NS)]
    assert len(ours) == 14
    assert not set(ours) & WORD_BUILT_IN_NAMES
    everything = styles.xpath("w:style/w:name/@w:val", namespaces=NS)
    assert set(everything) - set(ours) == WORD_DEFAULTS


def test_heading_styles_keep_outline_levels_for_the_navigation_pane(example_package):
    styles = part(example_package, "word/styles.xml")
    levels = {
        s.find("w:name", NS).get(f"{{{W}}}val"): s.find("w:pPr/w:outlineLvl", NS).get(f"{{{W}}}val")
        for s in styles.iterfind("w:style", NS)
        if s.find("w:pPr/w:outlineLvl", NS) is not None
    }
    assert levels == {"公文一级标题": "0", "公文二级标题": "1", "公文三级标题": "2"}


@pytest.mark.parametrize(
    ("font", "alt", "panose", "family", "pitch"),
    [
        ("黑体", "SimHei", "02010609060101010101", "modern", "fixed"),
        ("仿宋_GB2312", "FangSong", "02010609030101010101", "modern", "fixed"),
        ("楷体_GB2312", "KaiTi", "02010609030101010101", "modern", "fixed"),
        ("宋体", "SimSun", "02010600030101010101", "auto", "variable"),
        ("方正小标宋简体", "SimSun", "02000000000000000000", "script", "default"),
    ],
)
def test_font_table_entries_let_word_substitute_a_like_chinese_font(example_package, font, alt, panose, family, pitch):
    fonts = part(example_package, "word/fontTable.xml")
    (entry,) = fonts.xpath("w:font[@w:name=$name]", namespaces=NS, name=font)
    values = {child.tag.split("}")[1]: child.get(f"{{{W}}}val") for child in entry}
    assert values == {"altName": alt, "panose1": panose, "charset": "86", "family": family, "pitch": pitch}


def test_latin_font_entry_is_ansi_without_an_alternative(example_package):
    fonts = part(example_package, "word/fontTable.xml")
    (entry,) = fonts.xpath("w:font[@w:name='Times New Roman']", namespaces=NS)
    assert [child.tag.split("}")[1] for child in entry] == ["panose1", "charset", "family", "pitch"]
    assert entry.find("w:charset", NS).get(f"{{{W}}}val") == "00"


def test_score_column_holds_100_00_on_one_line(example_package):
    document = part(example_package, "word/document.xml")
    score_width = int(document.xpath("//w:tbl/w:tblGrid/w:gridCol/@w:w", namespaces=NS)[-1])
    # Bold 五号 (10.5 pt = 210 twips a character) with 57-twip cell margins on both sides.
    assert score_width >= rendered_chars("100.00") * 210 + 2 * 57 + 100


@pytest.mark.parametrize("fonts", sorted(PROFILES))
def test_every_part_validates_against_the_ecma_376_schemas(fonts):
    assert invalid_parts(rendered(EXAMPLE, fonts)) == []


CITY_UNIT = Path(__file__).parent / "data" / "facts" / "city-commission-2022.yaml"


@pytest.mark.parametrize("template_set", [s.name for s in bundled_sets()])
@pytest.mark.parametrize("facts", [EXAMPLE, CITY_UNIT], ids=["township", "city"])
def test_every_template_sets_package_validates(template_set, facts):
    checked = check_facts(facts)
    assert checked.facts is not None and checked.card is not None
    assert invalid_parts(docx_bytes(build_document(checked.facts, checked.card, template_set))) == []


def test_the_validator_sees_an_element_out_of_place(example_package):
    with zipfile.ZipFile(io.BytesIO(example_package)) as archive:
        document = archive.read("word/document.xml")
    assert part_errors("word/document.xml", document) == []
    broken = document.replace(b"<w:pStyle ", b"<w:bogus/><w:pStyle ", 1)
    assert "bogus" in part_errors("word/document.xml", broken)[0]
