"""A real office suite lays the written document out as GB/T 9704 wants: LibreOffice → PDF → text."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from jixiao.render.blocks import Column, Paragraph, SectionBreak, StyleKey, TableData, TablePlaceholder
from jixiao.render.docx_writer import write_docx

pytestmark = pytest.mark.office

# 26 + 28 + 28 + 10 characters without punctuation, so line breaks fall only where the line is full.
FULL_LINES = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥天地玄黄" * 4
BODY_COUNT = 59
GROUPS = {
    "决策": ["立项依据", "立项程序", "目标明确"],
    "过程": ["预算执行", "资金管理"],
    "产出": ["完成率", "覆盖率", "及时率"],
}


def sample_blocks() -> list:
    """Portrait: 2 title lines + 1 heading + 4 lines + 59 one-line paragraphs = 66 lines = 3 pages of 22."""
    blocks = [Paragraph(StyleKey.TITLE, "办公软件排版检验报告"), Paragraph(StyleKey.HEADING1, "一、基本情况")]
    blocks.append(Paragraph(StyleKey.BODY, FULL_LINES[:92]))
    blocks += [Paragraph(StyleKey.BODY, f"第{i:02d}段，每页二十二行。") for i in range(1, BODY_COUNT + 1)]
    blocks += [SectionBreak(landscape=True), Paragraph(StyleKey.ATTACHMENT_LABEL, "附件")]
    blocks += [Paragraph(StyleKey.TABLE_TITLE, "绩效评价指标评分表"), TablePlaceholder("评分表")]
    return blocks


def sample_table() -> TableData:
    rows = tuple(
        (tier1, f"{tier1}类", name, "5", "符合要求，得5分；\n否则不得分。", "5")
        for tier1, names in GROUPS.items()
        for name in names
    )
    columns = (Column("一级指标", 2), Column("二级指标", 2), Column("三级指标", 3), Column("分值", 1))
    columns += (Column("评分标准", 6), Column("得分", 1))
    return TableData(columns, rows, merge_levels=2, footer=(("自评总分", "40"),))


def office_pdf(tmp_path_factory, blocks: list, tables: dict) -> Path:
    """Write `blocks` as a .docx and let LibreOffice lay it out as a PDF (fails in CI without it)."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None or not (shutil.which("pdftotext") and shutil.which("pdfinfo")):
        message = "LibreOffice (soffice) or poppler-utils (pdftotext, pdfinfo) is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("office")
    source = folder / "sample.docx"
    write_docx(blocks, tables, source)
    # A private profile lets this run as root and beside other LibreOffice processes.
    command = [office, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless"]
    command += ["--convert-to", "pdf", "--outdir", str(folder), str(source)]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    target = folder / "sample.pdf"
    assert target.exists(), completed.stderr or completed.stdout
    return target


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    return office_pdf(tmp_path_factory, sample_blocks(), {"评分表": sample_table()})


def pdf_text(pdf: Path, page: int | None = None, *options: str) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    command = ["pdftotext", *options, *pages, str(pdf), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]


def test_three_portrait_pages_then_one_landscape_page(pdf):
    sizes = page_sizes(pdf)
    assert len(sizes) == 4
    assert [w < h for w, h in sizes] == [True, True, True, False]
    assert sizes[0] == pytest.approx((595.3, 841.9), abs=1)


def test_all_text_arrives(pdf):
    text = re.sub(r"\s+", "", pdf_text(pdf))
    for expected in [
        "办公软件排版检验报告",
        "一、基本情况",
        FULL_LINES[:92],
        "附件",
        "绩效评价指标评分表",
        "自评总分",
    ]:
        assert expected in text
    for i in range(1, BODY_COUNT + 1):
        assert f"第{i:02d}段，每页二十二行。" in text


def test_body_pages_hold_twenty_two_lines(pdf):
    # 5.2.3: 22 lines a page; pages 2 and 3 hold nothing but one-line paragraphs.
    for page in (2, 3):
        assert pdf_text(pdf, page).count("每页二十二行") == 22


def test_a_full_line_holds_twenty_eight_characters(pdf):
    lines = [line.strip() for line in pdf_text(pdf, 1).splitlines()]
    assert FULL_LINES[:26] in lines  # first line: indented by two characters
    assert FULL_LINES[26:54] in lines
    assert FULL_LINES[54:82] in lines


def word_boxes(pdf: Path, page: int) -> list[tuple[str, float, float]]:
    """Return (word, x centre, y centre) for each word pdftotext finds on `page`."""
    html = pdf_text(pdf, page, "-bbox")
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [
        (word, (float(x0) + float(x1)) / 2, (float(y0) + float(y1)) / 2)
        for x0, y0, x1, y1, word in re.findall(pattern, html)
    ]


@pytest.mark.parametrize("page", [1, 2, 3])
def test_page_numbers_alternate_sides_seven_mm_below_the_type_area(pdf, page):
    width, height = page_sizes(pdf)[page - 1]
    boxes = word_boxes(pdf, page)
    (x,) = [x for word, x, _ in boxes if word == str(page)]
    assert (x > width / 2) is (page % 2 == 1), "odd pages right, even pages left (7.5)"
    assert re.search(rf"—\s*{page}\s*—", pdf_text(pdf, page))
    type_area_bottom = height - 35 * MM
    dash_ys = [y for word, _, y in boxes if word == "—"]
    assert len(dash_ys) == 2
    assert (dash_ys[0] - type_area_bottom) / MM == pytest.approx(7, abs=1.5)


MM = 72 / 25.4  # PDF points in a millimetre
ONE_CHARACTER = 14 / MM  # 4号: the page number's size, in millimetres


def assert_turned_page_number(pdf: Path, page: int) -> None:
    """8: a landscape page's number runs down its left margin, which is the foot of the sheet turned back.

    Its middle lies 7 mm out from the type area (left margin 35 mm); odd pages end it one
    character short of the type area's foot (top margin 28 mm, bottom 26 mm), even pages
    start it one character below the type area's head, as portrait pages do along the foot.
    """
    width, height = page_sizes(pdf)[page - 1]
    assert width > height
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(—|\d+)</word>',
        pdf_text(pdf, page, "-bbox"),
    )
    number = [(float(x0) / MM, float(y0) / MM, float(x1) / MM, float(y1) / MM, w) for x0, y0, x1, y1, w in words]
    number = [word for word in number if word[2] < 35]  # in the left margin
    assert [word[4] for word in number] == ["—", str(page), "—"], "one above the other, read downwards"
    middles = [(x0 + x1) / 2 for x0, _, x1, _, _ in number]
    assert middles == pytest.approx([35 - 7] * 3, abs=1.5)
    if page % 2:
        assert number[-1][3] == pytest.approx(height / MM - 26 - ONE_CHARACTER, abs=1.5)
    else:
        assert number[0][1] == pytest.approx(28 + ONE_CHARACTER, abs=1.5)


def test_landscape_page_number_stands_where_portrait_ones_do_once_turned(pdf):
    assert_turned_page_number(pdf, 4)


def test_tier_names_are_centred_over_their_merged_rows(pdf):
    # Names sit on the first line of their (two-line) rows; a tier name centred over its merged rows lies
    # below the midpoint of the first two names, an unmerged one would lie in its first row, above it.
    boxes = word_boxes(pdf, 4)
    for tier1, names in GROUPS.items():
        (tier_y,) = [y for word, _, y in boxes if word == tier1]
        name_ys = sorted(y for word, _, y in boxes if word in names)
        assert len(name_ys) == len(names)
        assert (name_ys[0] + name_ys[1]) / 2 < tier_y < name_ys[-1], tier1


@pytest.fixture(scope="module")
def example_pdf(tmp_path_factory) -> Path:
    """Render the bundled example and convert it with `jixiao render --pdf`'s own converter."""
    from jixiao.checks import check_facts
    from jixiao.office import convert_to_pdf
    from jixiao.report import build_document, docx_bytes

    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        message = "LibreOffice (soffice) or poppler-utils (pdftotext, pdfinfo) is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    example = Path(__file__).resolve().parents[1] / "data" / "examples" / "yantuan-2021.yaml"
    checked = check_facts(example)
    source = tmp_path_factory.mktemp("example") / "example.docx"
    source.write_bytes(docx_bytes(build_document(checked.facts, checked.card)))
    return convert_to_pdf(source)


def test_example_report_pages_portrait_then_landscape_attachment(example_pdf):
    sizes = page_sizes(example_pdf)
    portrait = [size for size in sizes if size[0] < size[1]]
    landscape = [size for size in sizes if size[0] > size[1]]
    # 11 landscape pages: no row of the 评分表 is split by a page, so some pages end early.
    assert len(sizes) == 24
    assert (len(portrait), len(landscape)) == (13, 11)
    assert sizes[: len(portrait)] == portrait  # The attachment's landscape pages all come after the body.


def test_example_report_text_survives_the_office_suite(example_pdf):
    first = pdf_text(example_pdf, 1)
    assert "巨鹿县阎疃镇人民政府" in first
    assert "2021年度部门整体支出绩效评价报告" in first.replace(" ", "")
    whole = pdf_text(example_pdf).replace(" ", "").replace("\n", "")
    assert "本单位自评得分95分。" in whole
    assert "六、采取的纠偏措施及改进绩效管理建议" in whole
    attachment = pdf_text(example_pdf, 14).replace(" ", "")
    # An even page's turned number stands at the head of the page, so it is read first.
    assert re.sub(r"^—14—\s*", "", attachment).startswith("附件")
    assert "自评总分" in pdf_text(example_pdf, 24)
    assert "—24—" in pdf_text(example_pdf, 24).replace(" ", "")


def test_example_attachment_title_stands_on_the_third_line(example_pdf):
    """7.3.7: 「附件」 on the first line of the type area, the attachment's title centred on the third."""
    boxes = word_boxes(example_pdf, 14)
    width = page_sizes(example_pdf)[13][0]
    ((_, label_y),) = [(x, y) for word, x, y in boxes if word == "附件"]
    title = min(((x, y) for word, x, y in boxes if word == "巨鹿县阎疃镇人民政府"), key=lambda box: box[1])
    assert title[1] - label_y == pytest.approx(2 * 28.95, abs=6)  # the 小二 title sits lower in its line
    assert title[0] == pytest.approx((35 * MM + width - 37 * MM) / 2, abs=2)  # centred on the type area


@pytest.mark.parametrize("page", [14, 15])  # The attachment starts on an even page, then an odd one.
def test_example_attachment_numbers_its_landscape_pages_as_turned(example_pdf, page):
    assert_turned_page_number(example_pdf, page)


def test_every_body_paragraph_reaches_the_page_whole(example_pdf):
    """No character may go missing on the page: punctuation hanging at a line end once did."""
    from docx_text import body_text

    flat = re.sub(r"—\d+—", "", re.sub(r"\s+", "", pdf_text(example_pdf)))
    paragraphs = [re.sub(r"\s+", "", p) for p in body_text(example_pdf.with_suffix(".docx"))]
    # The line above the score table comes out after the table's header cells in pdftotext's reading order.
    missing = [p for p in paragraphs if p not in flat and not p.startswith("单位名称")]
    assert missing == []


ATTACHMENT = "附件：巨鹿县阎疃镇人民政府2021年部门整体支出绩效评价指标体系评分表"  # two lines


@pytest.fixture(scope="module")
def closing_pdf(tmp_path_factory) -> Path:
    blocks = [
        Paragraph(StyleKey.BODY, "正文的最后一段。"),
        Paragraph(StyleKey.ATTACHMENT_NOTE, ATTACHMENT),
        Paragraph(StyleKey.SIGNATURE, "巨鹿县阎疃镇人民政府"),
        Paragraph(StyleKey.DATE, "2022年1月10日"),
    ]
    return office_pdf(tmp_path_factory, blocks, {})


def line_boxes(pdf: Path) -> list[tuple[float, float, float, str]]:
    """Return (x start, x end, y middle, text) of each line pdftotext finds on page 1, top to bottom."""
    html = pdf_text(pdf, 1, "-bbox-layout")
    lines = []
    for line in re.findall(r"<line (.*?)</line>", html, re.S):
        x0, y0, x1, y1 = (float(v) for v in re.match(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', line).groups())
        lines.append((x0, x1, (y0 + y1) / 2, "".join(re.findall(r">([^<]+)</word>", line))))
    return sorted(lines, key=lambda entry: entry[2])


def test_closing_stands_as_gb_t_9704_places_it(closing_pdf):
    """7.3.6 and 7.3.5.2: one blank line above the 附件说明 and the 署名; 署名 右空二字; the date's first
    character two right of the 署名's; a long attachment name wraps under its own first character."""
    left = 28 * MM
    right = page_sizes(closing_pdf)[0][0] - 26 * MM
    character, line = 16 * 0.98, 28.95  # 三号 narrowed to 98%; the exact line height
    body, note, note_more, signature, date = line_boxes(closing_pdf)[:5]
    assert (body[3], signature[3], date[3]) == ("正文的最后一段。", "巨鹿县阎疃镇人民政府", "2022年1月10日")
    assert note[3] + note_more[3] == ATTACHMENT
    assert note[0] - left == pytest.approx(2 * 16, abs=1.5)  # 左空二字
    assert note_more[0] - note[0] == pytest.approx(3 * character, abs=1.5)  # under 「巨」, after 「附件：」
    assert note[2] - body[2] == pytest.approx(2 * line, abs=2)  # 下空一行
    assert signature[2] - note_more[2] == pytest.approx(2 * line, abs=2)
    assert right - signature[1] == pytest.approx(2 * 16, abs=1.5)  # 右空二字
    assert date[0] - signature[0] == pytest.approx(2 * character, abs=1.5)  # 首字右移二字
    assert date[2] - signature[2] == pytest.approx(line, abs=2)  # the next line
