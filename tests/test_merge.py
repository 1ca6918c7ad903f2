"""`render --merge` and `diff`: the editor's work stays, what the generator changed arrives as tracked changes."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from lxml import etree

from edits import edited_copy
from jixiao.merge import wordxml
from jixiao.merge.edited import recorded_base
from jixiao.merge.threeway import Edit, Kind, Step, compare, describe, edits
from jixiao.merge.tracked import merge_documents
from jixiao.render.blocks import Column, Paragraph, StyleKey, TableData, TablePlaceholder
from jixiao.render.docx_writer import write_docx
from ooxml_validate import invalid_parts

Run = Callable[..., Any]
W = wordxml.W
NS = {"w": W}

STAFF = "我单位有在职人员64名，行政人员29名，事业人员35名。"
STAFF_EDITED = "本镇现有在职人员64名，其中行政人员29名、事业人员35名。"
COSTS = "三公经费及会议费支出情况：2021年度因公出国（境）费用0万元；公务用车购置及运行维护费3.5万元；公务接待费0万元；会议费0万元。"
COSTS_NEW = COSTS.replace("3.5万元", "3.8万元")
COSTS_EDITED = COSTS + "公务用车为一辆应急执法车。"
CAR = ("      公务用车购置及运行维护费: 3.5\n", "      公务用车购置及运行维护费: 3.8\n")
NO_PROBLEMS = (
    "存在问题:\n  - 年初预算方案编制不够精细，不够全面。\n  - 资金监督管理机制还需要进一步加强。\n",
    "",
)
PROBLEM_LINES = [
    "五、存在的问题",
    "（一）年初预算方案编制不够精细，不够全面。",
    "（二）资金监督管理机制还需要进一步加强。",
]
DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


# --- Helpers ------------------------------------------------------------------------------------


def render(run_cli: Run, facts: Path, target: Path, *options: str) -> Any:
    """Run `jixiao render FACTS -o TARGET …` and return the result."""
    return run_cli("render", facts, "-o", target, *options)


def edit_paragraph(path: Path, old: str, new: str | None) -> None:
    """Rewrite (or, with None, delete) the paragraph reading `old`, with python-docx as an editor's tool would."""
    document = docx.Document(str(path))
    (paragraph,) = [p for p in document.paragraphs if p.text == old]
    if new is None:
        paragraph._element.getparent().remove(paragraph._element)
    else:
        for run in paragraph.runs[1:]:
            run._element.getparent().remove(run._element)
        paragraph.runs[0].text = new
    document.save(str(path))


def add_paragraph_after(path: Path, old: str, new: str) -> None:
    """Add a paragraph of the editor's own after the one reading `old`."""
    document = docx.Document(str(path))
    (paragraph,) = [p for p in document.paragraphs if p.text == old]
    added = copy_of(paragraph._element)
    paragraph._element.addnext(added)
    docx.text.paragraph.Paragraph(added, paragraph._parent).runs[0].text = new
    document.save(str(path))


def copy_of(element: etree._Element) -> etree._Element:
    """Return a deep copy of an element."""
    import copy

    return copy.deepcopy(element)


def body(path: Path) -> etree._Element:
    """Return the w:body of a .docx."""
    return docx.Document(str(path)).element.body


def accepted(path: Path) -> list[str]:
    """Return the body's paragraph texts and table cell texts with every tracked change accepted."""
    lines = []
    for item in wordxml.body_items(body(path)):
        unit = wordxml.unit(item)
        lines += [unit] if isinstance(unit, str) else ["｜".join(row) for row in unit]
    return lines


def paragraph_reading(path: Path, text: str) -> etree._Element:
    """Return the one body paragraph whose accepted text is `text`."""
    (found,) = [p for p in body(path).iterfind("w:p", NS) if wordxml.paragraph_text(p) == text]
    return found


def revisions(element: etree._Element, name: str) -> list[str]:
    """Return the texts inside w:ins (name="ins") or w:del ("del") elements under `element`."""
    texts = []
    for mark in element.iter(f"{{{W}}}{name}"):
        if mark.getparent().tag == f"{{{W}}}rPr" or mark.getparent().tag == f"{{{W}}}trPr":
            continue
        assert mark.get(f"{{{W}}}author") == "jixiao"
        assert DATE.match(mark.get(f"{{{W}}}date")), mark.get(f"{{{W}}}date")
        texts.append(mark.xpath("string(.)"))  # python-docx's runs answer .text themselves: itertext doubles
    return texts


def comments(path: Path) -> list[tuple[str, str]]:
    """Return (author, text) of each comment in the document."""
    document = docx.Document(str(path))
    return [(c.author, c.text) for c in document.comments]


@pytest.fixture
def edited(run_cli: Run, example_path: Path, tmp_path: Path) -> Path:
    """Render the example to 报告.docx: the file an editor then opens."""
    target = tmp_path / "报告.docx"
    assert render(run_cli, example_path, target).exit_code == 0
    return target


@pytest.fixture
def new_facts(example_path: Path, tmp_path: Path) -> Path:
    """Return the example with the 公务用车 figure corrected from 3.5 to 3.8 (万元)."""
    (tmp_path / "new").mkdir()
    return edited_copy(example_path, tmp_path / "new", CAR)


def merged_message(path: Path, changes: int, both: int = 0) -> str:
    """Return what the terminal says after a merge."""
    extra = (
        f"，其中 {both} 处编辑和重新生成都改动过（保留编辑的文字，生成的文字作为修订插入并加了批注）"
        if both
        else ""
    )
    return f"已合并到 {path}：{changes} 处修订（作者 jixiao）{extra}。在 Word 或 WPS 中逐条接受或拒绝。"


# --- The three-way comparison -------------------------------------------------------------------


def test_each_place_gets_its_outcome() -> None:
    base = ["标题", "甲段文字不变", "乙段原文", "丙段原文", "丁段", "戊段原文"]
    mine = ["标题", "甲段文字不变", "乙段原文，编辑加了一句", "丙段原文", "戊段原文，编辑改了", "编辑加的段"]
    theirs = ["标题", "甲段文字不变", "乙段原文", "丙段原文改", "生成加的段", "丁段", "戊段原文，生成改了"]
    assert compare(base, mine, theirs) == [
        Step(Kind.EDITED, 2, 2, 2),
        Step(Kind.GENERATED, 3, 3, 3),
        Step(Kind.EDITOR_DELETED, 4, None, 5),
        Step(Kind.GENERATOR_ADDED, None, 3, 4),
        Step(Kind.BOTH, 5, 4, 6),
        Step(Kind.EDITOR_ADDED, None, 5, None),
    ]


def test_the_same_change_on_both_sides_is_made_once() -> None:
    assert compare(["甲", "乙"], ["甲", "新", "乙"], ["甲", "新", "乙"]) == [
        Step(Kind.EDITOR_ADDED, None, 1, None)
    ]
    assert compare(["甲乙丙"], ["甲乙丙丁"], ["甲乙丙丁"]) == [Step(Kind.CONVERGED, 0, 0, 0)]


def test_a_paragraph_only_the_generator_dropped_is_deleted_one_the_editor_changed_is_kept() -> None:
    assert compare(["甲", "乙段落"], ["甲", "乙段落"], ["甲"]) == [Step(Kind.GENERATOR_DELETED, 1, 1, None)]
    assert compare(["甲", "乙段落"], ["甲", "乙段落改"], ["甲"]) == [Step(Kind.BOTH, 1, 1, None)]


def test_numbers_change_whole_and_words_one_at_a_time() -> None:
    assert edits("费用3.5万元", "费用13.75万元") == [Edit(2, 5, "13.75")]
    assert edits("增长12%，", "增长9.5%，") == [Edit(2, 5, "9.5%")]
    assert describe(COSTS, COSTS_NEW) == "「3.5」改为「3.8」"
    assert describe("甲乙丙丁", "甲丙丁戊") == "删去「乙」；加入「戊」"
    assert edits("本段全部重写了", "这是另一段话了") == [Edit(0, 7, "这是另一段话了")]


# --- The base record ----------------------------------------------------------------------------


def test_the_record_holds_what_the_document_reads(edited: Path) -> None:
    document = docx.Document(str(edited))
    units = [item.unit for item in wordxml.located(document.element.body)]
    assert recorded_base(document) == units
    assert STAFF in units and COSTS in units
    (table,) = [u for u in units if isinstance(u, tuple)]
    assert table[0] == ("一级指标", "二级指标", "三级指标", "指标解释说明", "评分标准", "得分")
    assert table[-1] == ("自评总分", "95")


def test_the_record_survives_an_edit_with_python_docx(edited: Path) -> None:
    before = recorded_base(docx.Document(str(edited)))
    edit_paragraph(edited, STAFF, STAFF_EDITED)
    assert recorded_base(docx.Document(str(edited))) == before


# --- Merging ------------------------------------------------------------------------------------


def test_merge_keeps_the_editors_sentence_and_tracks_the_new_figure(
    run_cli: Run, edited: Path, new_facts: Path
) -> None:
    edit_paragraph(edited, STAFF, STAFF_EDITED)
    before = edited.read_bytes()
    expected = [
        STAFF_EDITED if line == STAFF else line for line in accepted_render(run_cli, new_facts, edited.parent)
    ]
    result = render(run_cli, new_facts, edited, "--merge")
    assert result.exit_code == 0, result.stderr
    backup = edited.with_name("报告.bak.docx")
    assert result.stdout.splitlines() == [
        str(edited),
        merged_message(edited, 1),
        f"合并前的文件另存为 {backup}",
    ]
    assert backup.read_bytes() == before
    staff = paragraph_reading(edited, STAFF_EDITED)
    assert revisions(staff, "ins") == revisions(staff, "del") == []
    costs = paragraph_reading(edited, COSTS_NEW)
    assert (revisions(costs, "del"), revisions(costs, "ins")) == (["3.5"], ["3.8"])
    assert accepted(edited) == expected
    assert invalid_parts(edited.read_bytes()) == []


def accepted_render(run_cli: Run, facts: Path, folder: Path) -> list[str]:
    """Return the lines of a fresh render of `facts` (what the merged document should read, edits apart)."""
    fresh = folder / "fresh.docx"
    assert render(run_cli, facts, fresh).exit_code == 0
    lines = accepted(fresh)
    fresh.unlink()
    return lines


def test_where_both_changed_the_generators_version_follows_with_a_comment(
    run_cli: Run, edited: Path, new_facts: Path
) -> None:
    edit_paragraph(edited, COSTS, COSTS_EDITED)
    result = render(run_cli, new_facts, edited, "--merge", "--no-backup")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [str(edited), merged_message(edited, 1, both=1)]
    assert not edited.with_name("报告.bak.docx").exists()
    mine = paragraph_reading(edited, COSTS_EDITED)
    assert revisions(mine, "ins") == revisions(mine, "del") == []
    inserted = mine.getnext()
    assert wordxml.paragraph_text(inserted) == COSTS_NEW
    assert revisions(inserted, "ins") == [COSTS_NEW]
    assert inserted.find("w:pPr/w:rPr/w:ins", NS) is not None  # the paragraph mark is new too
    ((author, text),) = comments(edited)
    assert author == "jixiao"
    assert text.startswith("编辑和重新生成都改动了这一段") and text.endswith("生成的改动：「3.5」改为「3.8」")
    assert invalid_parts(edited.read_bytes()) == []


def test_a_section_the_generator_drops_is_deleted_and_later_numbers_move_up(
    run_cli: Run, edited: Path, example_path: Path, tmp_path: Path
) -> None:
    add_paragraph_after(edited, STAFF, "编辑补充的一段说明。")
    (tmp_path / "drop").mkdir()
    facts = edited_copy(example_path, tmp_path / "drop", NO_PROBLEMS)
    expected = accepted_render(run_cli, facts, tmp_path)
    expected.insert(expected.index(STAFF) + 1, "编辑补充的一段说明。")
    result = render(run_cli, facts, edited, "--merge")
    assert result.exit_code == 0, result.stderr
    assert merged_message(edited, 4) in result.stdout
    for line in PROBLEM_LINES:
        deleted = paragraph_reading_deleted(edited, line)
        assert deleted.find("w:pPr/w:rPr/w:del", NS) is not None
    heading = paragraph_reading(edited, "五、采取的纠偏措施及改进绩效管理建议")
    assert (revisions(heading, "del"), revisions(heading, "ins")) == (["六"], ["五"])
    assert accepted(edited) == expected
    assert invalid_parts(edited.read_bytes()) == []


def paragraph_reading_deleted(path: Path, text: str) -> etree._Element:
    """Return the paragraph whose deleted text reads `text`."""
    (found,) = [
        p for p in body(path).iterfind("w:p", NS)
        if "".join(t.text or "" for t in p.iter(f"{{{W}}}delText")) == text
    ]  # fmt: skip
    return found


def test_a_section_the_generator_adds_arrives_as_tracked_insertions_in_its_place(
    run_cli: Run, example_path: Path, tmp_path: Path
) -> None:
    (tmp_path / "old").mkdir()
    target = tmp_path / "报告.docx"
    assert render(run_cli, edited_copy(example_path, tmp_path / "old", NO_PROBLEMS), target).exit_code == 0
    edit_paragraph(target, STAFF, STAFF_EDITED)
    expected = [
        STAFF_EDITED if line == STAFF else line for line in accepted_render(run_cli, example_path, tmp_path)
    ]
    result = render(run_cli, example_path, target, "--merge")
    assert result.exit_code == 0, result.stderr
    assert merged_message(target, 4) in result.stdout
    lines = [wordxml.paragraph_text(p) for p in body(target).iterfind("w:p", NS)]
    start = lines.index(PROBLEM_LINES[0])
    assert lines[start : start + 3] == PROBLEM_LINES
    assert lines[start - 1].startswith("一是预算调整率较高")  # the last paragraph of 四
    for line in PROBLEM_LINES:
        assert revisions(paragraph_reading(target, line), "ins") == [line]
    assert accepted(target) == expected
    assert invalid_parts(target.read_bytes()) == []


def test_a_paragraph_the_editor_deleted_stays_deleted(run_cli: Run, edited: Path, new_facts: Path) -> None:
    edit_paragraph(edited, STAFF, None)
    result = render(run_cli, new_facts, edited, "--merge")
    assert result.exit_code == 0, result.stderr
    lines = accepted(edited)
    assert STAFF not in lines and COSTS_NEW in lines


def test_score_table_cells_change_as_tracked_changes(
    run_cli: Run, edited: Path, example_path: Path, tmp_path: Path
) -> None:
    (tmp_path / "staff").mkdir()
    smaller = (
        ("  编制数: 70\n  行政编制: 32\n  事业编制: 38\n", "  编制数: 55\n  行政编制: 25\n  事业编制: 30\n"),
    )
    facts = edited_copy(example_path, tmp_path / "staff", *smaller)
    edit_paragraph(edited, STAFF, STAFF_EDITED)
    expected = [STAFF_EDITED if line == STAFF else line for line in accepted_render(run_cli, facts, tmp_path)]
    result = render(run_cli, facts, edited, "--merge")
    assert result.exit_code == 0, result.stderr
    assert accepted(edited) == expected
    (table,) = body(edited).iterfind("w:tbl", NS)
    rows = table.findall("w:tr", NS)
    assert (revisions(rows[4][-1], "del"), revisions(rows[4][-1], "ins")) == (["1"], ["0"])
    assert (revisions(rows[-1][-1], "del"), revisions(rows[-1][-1], "ins")) == (["95"], ["94"])
    assert invalid_parts(edited.read_bytes()) == []


def small_table(*names: str) -> TableData:
    """Return a score table with one row per indicator name, all in one tier."""
    columns = (Column("一级指标", 1), Column("三级指标", 2), Column("得分", 1))
    return TableData(
        columns, tuple(("投入", name, "1") for name in names), merge_levels=1, footer=(("合计", "3"),)
    )


def written(tmp_path: Path, name: str, table: TableData) -> docx.document.Document:
    """Write a one-table document and open it with python-docx."""
    path = tmp_path / name
    write_docx([Paragraph(StyleKey.BODY, "评分如下："), TablePlaceholder("表")], {"表": table}, path)
    return docx.Document(str(path))


def test_rows_of_indicators_added_or_removed_arrive_as_tracked_rows(tmp_path: Path) -> None:
    mine = written(tmp_path, "mine.docx", small_table("甲指标", "乙指标", "丙指标"))
    theirs = written(tmp_path, "theirs.docx", small_table("甲指标", "丙指标", "丁指标"))
    counts = merge_documents(mine, recorded_base(mine), theirs, "2026-12-01T00:00:00Z")
    assert counts == (2, 0)
    rows = mine.element.body.find("w:tbl", NS).findall("w:tr", NS)
    assert [r.findall("w:tc", NS)[1].xpath("string(.)") for r in rows] == [
        "三级指标",
        "甲指标",
        "乙指标",
        "丙指标",
        "丁指标",
        "3",
    ]
    assert rows[2].find("w:trPr/w:del", NS) is not None and revisions(rows[2], "del") == ["乙指标", "1"]
    assert rows[4].find("w:trPr/w:ins", NS) is not None and revisions(rows[4], "ins") == ["丁指标", "1"]
    saved = tmp_path / "merged.docx"
    mine.save(str(saved))
    assert invalid_parts(saved.read_bytes()) == []


# --- When the record is lost, or there is nothing to merge into ---------------------------------


def without_record(path: Path) -> None:
    """Drop jixiao's record from a .docx, as some office suites do when saving."""
    document = docx.Document(str(path))
    part = wordxml.record_part(document)
    (rid,) = [rid for rid, rel in document.part.rels.items() if rel.target_part is part]
    document.part.drop_rel(rid)
    document.save(str(path))


def test_a_document_that_lost_its_record_is_not_merged(run_cli: Run, edited: Path, new_facts: Path) -> None:
    without_record(edited)
    before = edited.read_bytes()
    result = render(run_cli, new_facts, edited, "--merge")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{edited}: 错误：文档中没有找到 jixiao 上次生成时记下的内容（可能被另存为 .doc 或经某些软件另存时删去了），"
        f"无法分辨哪些是编辑改的、哪些是生成改的，未合并，原文件未改动。可运行「jixiao diff {edited} {new_facts}」"
        "逐段查看它与重新生成内容的差异（两方比较）",
        "编辑过的文档有 1 处错误，未生成任何文件。",
    ]
    assert edited.read_bytes() == before
    assert sorted(p.name for p in edited.parent.iterdir()) == ["new", "报告.docx"]


def test_merge_without_a_file_to_merge_into_writes_a_new_report(
    run_cli: Run, example_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "新.docx"
    result = render(run_cli, example_path, target, "--merge")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [str(target)]
    assert recorded_base(docx.Document(str(target))) is not None


# --- diff ---------------------------------------------------------------------------------------


def listing(tmp_path: Path) -> list[str]:
    """Return the names in a folder, to show nothing was written."""
    return sorted(p.name for p in tmp_path.rglob("*"))


def test_diff_lists_the_editors_and_the_generators_changes_and_writes_nothing(
    run_cli: Run, edited: Path, new_facts: Path, tmp_path: Path
) -> None:
    edit_paragraph(edited, STAFF, STAFF_EDITED)
    files = listing(tmp_path)
    result = run_cli("diff", edited, new_facts)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{edited}：与上次生成时（文档内的记录）相比编辑改动了什么，以及按现在的事实数据重新生成会改动什么，逐段列出：",
        "[编辑改写] 一、基本概况 › （二）人员情况",
        "    「我单位」改为「本镇现」；加入「其中」；「，」改为「、」",
        "[生成改动] 一、基本概况 › （五）预算资金安排及资金支出情况",
        "    「3.5」改为「3.8」",
        "合计：编辑改动 1 处；重新生成将改动 1 处，其中编辑也改动过的 0 处。未写入任何文件。",
    ]
    assert listing(tmp_path) == files


def test_diff_without_facts_lists_only_the_editors_changes(run_cli: Run, edited: Path) -> None:
    edit_paragraph(edited, COSTS, None)
    result = run_cli("diff", edited)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1:] == [
        "[编辑删除] 一、基本概况 › （五）预算资金安排及资金支出情况",
        "    「三公经费及会议费支出情况：2021年度因公出国（境）费用0万元；公务用车购置及运行维护费3.5万元；公务接待费0万元；会议费0万元。」",
        "合计：编辑改动 1 处。未写入任何文件。",
    ]


def test_diff_json(run_cli: Run, edited: Path, new_facts: Path) -> None:
    edit_paragraph(edited, COSTS, COSTS_EDITED)
    found = json.loads(run_cli("diff", edited, new_facts, "--json").stdout)
    assert found["base"] == "recorded"
    assert found["counts"] == {"editor": 1, "generator": 1, "both": 1}
    (change,) = found["changes"]
    assert change == {
        "kind": "both", "label": "双方都改动", "where": "一、基本概况 › （五）预算资金安排及资金支出情况",
        "base": COSTS, "mine": COSTS_EDITED, "theirs": COSTS_NEW,
    }  # fmt: skip


def test_diff_of_a_document_that_lost_its_record_compares_two_ways(
    run_cli: Run, edited: Path, new_facts: Path
) -> None:
    edit_paragraph(edited, STAFF, STAFF_EDITED)
    without_record(edited)
    result = run_cli("diff", edited, new_facts)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"注意：{edited} 文档中没有找到 jixiao 上次生成时记下的内容")
    assert lines[0].endswith("以下是文档与重新生成的内容逐段的差异（两方比较）：")
    assert lines[1:] == [
        "[生成改动] 一、基本概况 › （二）人员情况",
        "    「本镇现」改为「我单位」；删去「其中」；「、」改为「，」",
        "[生成改动] 一、基本概况 › （五）预算资金安排及资金支出情况",
        "    「3.5」改为「3.8」",
        "共 2 处不同。未写入任何文件。",
    ]
    refused = run_cli("diff", edited)
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[0].endswith(
        "请同时给出事实数据文件，逐段比较它与重新生成的内容（两方比较）"
    )


@pytest.mark.parametrize("content", [b"not a zip", b"PK\x03\x04broken"])
def test_diff_of_something_that_is_not_a_docx_says_so(run_cli: Run, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "坏.docx"
    path.write_bytes(content)
    result = run_cli("diff", path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}: 错误：不是能读取的 Word 文档（.docx）；如果是 .doc 或 WPS 格式，请先另存为 .docx",
        "编辑过的文档有 1 处错误，未生成任何文件。",
    ]


def test_a_zip_claiming_a_huge_size_is_not_unpacked(run_cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "大.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", b"\0" * (300 * 1024 * 1024))
    path.write_bytes(buffer.getvalue())
    result = run_cli("diff", path)
    assert result.exit_code == 1
    assert "解压后超过 256 MB，不像是一份报告，未读取" in result.stderr


def test_a_second_merge_of_the_same_facts_changes_nothing_and_a_rejected_change_stays_rejected(
    run_cli: Run, edited: Path, new_facts: Path
) -> None:
    assert render(run_cli, new_facts, edited, "--merge").exit_code == 0
    nothing_new = f"已合并到 {edited}：重新生成的内容与编辑的文档没有新的差异，未加修订。"
    again = render(run_cli, new_facts, edited, "--merge", "--no-backup")
    assert again.stdout.splitlines() == [str(edited), nothing_new]
    costs = paragraph_reading(edited, COSTS_NEW)  # the first merge's change, still waiting to be accepted
    assert (revisions(costs, "del"), revisions(costs, "ins")) == (["3.5"], ["3.8"])
    reject_all(edited)
    after_rejecting = render(run_cli, new_facts, edited, "--merge", "--no-backup")
    assert after_rejecting.stdout.splitlines() == [str(edited), nothing_new]
    assert COSTS in accepted(edited) and COSTS_NEW not in accepted(edited)


def reject_all(path: Path) -> None:
    """Reject every tracked change as Word would: drop insertions, restore deletions."""
    document = docx.Document(str(path))
    root = document.element.body
    for inserted in list(root.iter(f"{{{W}}}ins")):
        inserted.getparent().remove(inserted)
    for deleted in list(root.iter(f"{{{W}}}del")):
        for text in deleted.iter(f"{{{W}}}delText"):
            text.tag = f"{{{W}}}t"
        for run in list(deleted):
            deleted.addprevious(run)
        deleted.getparent().remove(deleted)
    document.save(str(path))


def test_merge_into_a_folder_or_a_missing_file_is_explained(run_cli: Run, example_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "文件夹.docx"
    folder.mkdir()
    result = run_cli("diff", folder)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{folder}: 错误：这是一个文件夹，不是文件"
    missing = run_cli("diff", tmp_path / "没有.docx")
    assert missing.stderr.splitlines()[0] == f"{tmp_path / '没有.docx'}: 错误：找不到这个文件，请检查路径是否正确"


def test_inserted_paragraphs_take_the_editors_style_by_name_or_else_by_id(tmp_path: Path) -> None:
    def write(name: str, *texts: str) -> docx.document.Document:
        write_docx([Paragraph(StyleKey.BODY, text) for text in texts], {}, tmp_path / name)
        return docx.Document(str(tmp_path / name))

    mine, theirs = write("mine.docx", "甲段。"), write("theirs.docx", "甲段。", "乙段。")
    body_id = mine.element.body.find("w:p/w:pPr/w:pStyle", NS).get(f"{{{W}}}val")
    for name in mine.styles.element.iterfind("w:style/w:name", NS):  # renamed since: only the id still matches
        name.set(f"{{{W}}}val", "旧" + name.get(f"{{{W}}}val"))
    merge_documents(mine, recorded_base(mine), theirs, "2026-12-01T00:00:00Z")
    inserted = mine.element.body.findall("w:p", NS)[1]
    assert wordxml.paragraph_text(inserted) == "乙段。"
    assert inserted.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val") == body_id
