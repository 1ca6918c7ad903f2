"""The template markup: markers from templates, never from values."""

import pytest

from jixiao.render.blocks import PageBreak, Paragraph, SectionBreak, StyleKey, TablePlaceholder
from jixiao.render.markup import MarkupError, mark_value, parse_blocks


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("= 巨鹿县阎疃镇人民政府", Paragraph(StyleKey.TITLE, "巨鹿县阎疃镇人民政府")),
        ("# 一、基本概况", Paragraph(StyleKey.HEADING1, "一、基本概况")),
        ("## （一）人员情况", Paragraph(StyleKey.HEADING2, "（一）人员情况")),
        ("### 1.统筹协调全镇工作", Paragraph(StyleKey.HEADING3, "1.统筹协调全镇工作")),
        ("[附件标识] 附件", Paragraph(StyleKey.ATTACHMENT_LABEL, "附件")),
        ("[落款] 巨鹿县阎疃镇人民政府", Paragraph(StyleKey.SIGNATURE, "巨鹿县阎疃镇人民政府")),
        ("普通的正文段落。", Paragraph(StyleKey.BODY, "普通的正文段落。")),
        ("::: 分页", PageBreak()),
        ("::: 横向", SectionBreak(landscape=True)),
        ("::: 纵向", SectionBreak(landscape=False)),
        ("::: 表格 评分表", TablePlaceholder("评分表")),
    ],
)
def test_each_marker_gives_its_block(line, expected):
    assert parse_blocks(line, {"评分表"}) == [expected]


def test_blank_lines_are_not_paragraphs():
    assert parse_blocks("甲\n\n   \n乙\n") == [Paragraph(StyleKey.BODY, "甲"), Paragraph(StyleKey.BODY, "乙")]


@pytest.mark.parametrize("hostile", ["# 不是标题", "= 不是标题", "::: 分页", "[附件标识] 不是附件", "## x\n# y"])
def test_values_never_act_as_markers(hostile):
    blocks = parse_blocks(mark_value(hostile))
    assert all(block == Paragraph(StyleKey.BODY, text) for block, text in zip(blocks, hostile.split("\n"), strict=True))


def test_value_inside_a_marker_line_keeps_the_marker():
    assert parse_blocks("# " + mark_value("一、<概况> & “引号” 😀")) == [
        Paragraph(StyleKey.HEADING1, "一、<概况> & “引号” 😀")
    ]


def test_value_with_newline_becomes_two_paragraphs():
    assert parse_blocks("前文" + mark_value("甲\n乙")) == [
        Paragraph(StyleKey.BODY, "前文甲"),
        Paragraph(StyleKey.BODY, "乙"),
    ]


@pytest.mark.parametrize(("line", "fragment"), [("::: 旋转", "::: 旋转"), ("[不存在] x", "未知样式「不存在」")])
def test_bad_markup_names_the_line(line, fragment):
    with pytest.raises(MarkupError) as caught:
        parse_blocks("正文\n" + line)
    assert caught.value.line == 2
    assert fragment in str(caught.value)


@pytest.mark.parametrize("brk", ["\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"])
def test_every_line_break_in_a_value_starts_a_plain_paragraph_never_a_marker(brk):
    value = f"甲{brk}# 伪造标题{brk}::: 分页{brk}[落款] 伪造署名"
    assert parse_blocks("前文" + mark_value(value) + "\n") == [
        Paragraph(StyleKey.BODY, "前文甲"),
        Paragraph(StyleKey.BODY, "# 伪造标题"),
        Paragraph(StyleKey.BODY, "::: 分页"),
        Paragraph(StyleKey.BODY, "[落款] 伪造署名"),
    ]


def test_lines_end_at_newline_only_so_numbers_match_the_output():
    with pytest.raises(MarkupError) as caught:
        parse_blocks("甲\u2028乙\r丙\x85丁\n::: 表格 X\n", {"评分表"})
    assert caught.value.line == 2
    assert str(caught.value) == "没有名为「X」的表格；可用：评分表"
