"""Output that never loses an editor's work, survives hostile text, and names files safely (issue items 1, 2, 4)."""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest

from edits import edited_copy
from jixiao import office, output
from jixiao.errors import OutputError
from jixiao.output import default_output_path, safe_filename, write_atomically

Run = Callable[..., Any]

ADVICE = "如确实要重新生成并丢弃原文件，请加 --force；或用 -o 指定另一个输出文件。"
EDITED = "这个文件在生成后被编辑过，为保护编辑内容，未覆盖它。" + ADVICE
FOREIGN = "这个文件不是本程序生成的（或已无法识别），为防止覆盖他人的文件，未写入。" + ADVICE
NOTHING_WRITTEN = "输出文件有 1 处错误，未生成任何文件。"
WORD_CANNOT = "Word 无法保存；请删除它（常见于从其他文档复制粘贴）"


@pytest.fixture
def rendered(run_cli: Run, example_path: Path, tmp_path: Path) -> Path:
    """Render the example to tmp/report.docx and return its path."""
    target = tmp_path / "report.docx"
    result = run_cli("render", example_path, "-o", target)
    assert result.exit_code == 0, result.stderr
    return target


def quoted(value: str) -> str:
    """Write a string as a YAML double-quoted scalar (JSON's quoting is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def rewrite_part(path: Path, name: str, edit: Callable[[bytes], bytes]) -> None:
    """Change one part inside a .docx, as an editor's save would, keeping every other part."""
    with zipfile.ZipFile(path) as archive:
        parts = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            archive.writestr(info, edit(data) if info.filename == name else data)


def document_text(path: Path) -> str:
    """Return every paragraph and table cell of a .docx as python-docx reads them, one per line."""
    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def folder_listing(path: Path) -> list[str]:
    """Return the names in a folder, sorted (to spot temporary files left behind)."""
    return sorted(p.name for p in path.iterdir())


# ---------------------------------------------------------------- 1. never lose an edit


def test_an_unchanged_generated_file_is_replaced_silently(run_cli: Run, example_path: Path, rendered: Path) -> None:
    changed = edited_copy(example_path, rendered.parent, ("  全称: 巨鹿县阎疃镇人民政府", "  全称: 巨鹿县新名镇人民政府"))
    result = run_cli("render", changed, "-o", rendered)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [str(rendered)]
    assert "巨鹿县新名镇人民政府" in document_text(rendered)


def _edit_document_xml(path: Path) -> None:
    rewrite_part(path, "word/document.xml", lambda xml: xml.replace("阎疃镇".encode(), "编辑改过".encode()))


def _save_with_python_docx(path: Path) -> None:
    docx.Document(str(path)).save(str(path))


@pytest.mark.parametrize("edit", [_edit_document_xml, _save_with_python_docx], ids=["zip-part", "python-docx-save"])
def test_an_edited_file_survives_a_rerender(run_cli: Run, example_path: Path, rendered: Path, edit: Any) -> None:
    edit(rendered)
    before = rendered.read_bytes()
    result = run_cli("render", example_path, "-o", rendered)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{rendered}: 错误：{EDITED}", NOTHING_WRITTEN]
    assert result.stdout == ""
    assert rendered.read_bytes() == before
    assert folder_listing(rendered.parent) == ["report.docx"]


def test_force_replaces_an_edited_file_and_later_renders_replace_it_again(
    run_cli: Run, example_path: Path, rendered: Path
) -> None:
    _edit_document_xml(rendered)
    edited = rendered.read_bytes()
    assert run_cli("render", example_path, "-o", rendered, "--force").exit_code == 0
    assert rendered.read_bytes() != edited
    assert "编辑改过" not in document_text(rendered)
    assert run_cli("render", example_path, "-o", rendered).exit_code == 0  # ours again, unchanged


def _python_docx_file(path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("别人的报告")
    document.save(str(path))


def _text_file(path: Path) -> None:
    path.write_text("不是 Word 文档", encoding="utf-8")


@pytest.mark.parametrize("make", [_python_docx_file, _text_file], ids=["foreign-docx", "not-a-docx"])
def test_a_file_jixiao_did_not_write_is_never_replaced(
    run_cli: Run, example_path: Path, tmp_path: Path, make: Any
) -> None:
    target = tmp_path / "report.docx"
    make(target)
    before = target.read_bytes()
    result = run_cli("render", example_path, "-o", target)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{target}: 错误：{FOREIGN}", NOTHING_WRITTEN]
    assert target.read_bytes() == before
    assert run_cli("render", example_path, "-o", target, "--force").exit_code == 0
    assert target.read_bytes() != before


# ---------------------------------------------------------------- interrupted writes


def _fail_at(monkeypatch: pytest.MonkeyPatch, where: str, target: Path, error: BaseException) -> None:
    """Make the write of `target` fail at `where`: while flushing its bytes, or at the final rename."""
    if where == "rename":
        real = os.replace

        def replace(src: Any, dst: Any) -> None:
            if Path(dst) == target:
                raise error
            real(src, dst)

        monkeypatch.setattr(output.os, "replace", replace)
    else:

        def fsync(fd: int) -> None:
            raise error

        monkeypatch.setattr(output.os, "fsync", fsync)


@pytest.mark.parametrize("where", ["write", "rename"])
def test_a_failed_write_leaves_the_old_file_whole_and_no_temporary_file(
    run_cli: Run, example_path: Path, rendered: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    before = rendered.read_bytes()
    _fail_at(monkeypatch, where, rendered, OSError(28, "No space left on device"))
    result = run_cli("render", example_path, "-o", rendered)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{rendered}: 错误：无法写入（No space left on device）：文件可能正在 Word 或 WPS 中打开，或没有写入权限；原有文件未改动",
        NOTHING_WRITTEN,
    ]
    assert rendered.read_bytes() == before
    assert folder_listing(rendered.parent) == ["report.docx"]


@pytest.mark.parametrize("where", ["write", "rename"])
def test_ctrl_c_during_the_write_leaves_the_old_file_whole(
    run_cli: Run, example_path: Path, rendered: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    before = rendered.read_bytes()
    _fail_at(monkeypatch, where, rendered, KeyboardInterrupt())
    result = run_cli("render", example_path, "-o", rendered)
    assert result.exit_code == 130
    assert result.stderr.splitlines() == ["已中断，未写入任何文件。"]
    assert rendered.read_bytes() == before
    assert folder_listing(rendered.parent) == ["report.docx"]


def test_write_atomically_reports_a_failure_in_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.docx"
    target.write_bytes(b"old")
    _fail_at(monkeypatch, "rename", target, PermissionError(13, "Permission denied"))
    with pytest.raises(OutputError) as caught:
        write_atomically(target, b"new")
    assert [p.message for p in caught.value.problems] == [
        "无法写入（Permission denied）：文件可能正在 Word 或 WPS 中打开，或没有写入权限；原有文件未改动"
    ]
    assert target.read_bytes() == b"old"
    assert folder_listing(tmp_path) == ["a.docx"]


# ---------------------------------------------------------------- 2. hostile text


HOSTILE = {
    "  全称: 巨鹿县阎疃镇人民政府": ("  全称: ", "A&B<C>\"D'E“F”‘G’😀 ../../etc a/b\\c:d*?<>| 人民政府"),
    "  - 标题: 科学合理编制部门预算": ("  - 标题: ", "<b>&amp;“措施”😀</b>"),
    "履职总体目标: 2021年": ("履职总体目标: ", "二〇二一年，" + "<长段落>&“引号”😀" * 1900 + "。"),
    "  - 年初预算方案编制不够精细，不够全面。": ("  - ", "# 不是标题 [正文] ::: 分页 {{ 也不是模板 }} & <x/>。"),
}


def test_hostile_strings_reach_the_document_exactly(run_cli: Run, example_path: Path, tmp_path: Path) -> None:
    lines = example_path.read_text(encoding="utf-8").splitlines()
    values = []
    for start, (key, value) in HOSTILE.items():
        index = next(i for i, line in enumerate(lines) if line.startswith(start))
        lines[index] = key + quoted(value)
        values.append(value)
    facts = tmp_path / "hostile.yaml"
    facts.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert len(values[2]) > 20_000
    target = tmp_path / "hostile.docx"
    result = run_cli("render", facts, "-o", target)
    assert result.exit_code == 0, result.stderr
    text = document_text(target)
    for value in values:
        assert value in text, value[:40]


def test_an_escaped_control_character_is_refused_at_its_field_and_line(
    run_cli: Run, example_path: Path, tmp_path: Path
) -> None:
    facts = edited_copy(example_path, tmp_path, ("  全称: 巨鹿县阎疃镇人民政府", '  全称: "巨鹿县阎疃镇\\x01人民政府"'))
    target = tmp_path / "never.docx"
    result = run_cli("render", facts, "-o", target)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{facts}:30:3: 错误：字段「单位 › 全称」：含有不可见的控制字符 U+0001（第 7 个字符），{WORD_CANNOT}",
        "事实数据文件有 1 处错误，未生成任何文件。",
    ]
    assert not target.exists()


def test_a_raw_control_character_is_refused_at_its_field_and_line(
    run_cli: Run, example_path: Path, tmp_path: Path
) -> None:
    facts = edited_copy(example_path, tmp_path, ("  简称: 阎疃镇", "  简称: 阎疃\x07镇"))
    target = tmp_path / "never.docx"
    result = run_cli("render", facts, "-o", target)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{facts}:32:9: 错误：字段「单位 › 简称」：含有不可见的控制字符 U+0007，{WORD_CANNOT}",
        "事实数据文件有 1 处错误，未生成任何文件。",
    ]
    assert folder_listing(tmp_path) == ["facts.yaml"]


# ---------------------------------------------------------------- file names from the unit name

UNIT_NAMES = [
    "../../etc/passwd",
    "..",
    "a/b\\c:d*?<>|\"e",
    "CON",
    "  .隐藏的单位.  ",
    "/绝对/路径",
    "C:\\Windows\\System32",
    "很长的单位名称" * 60,
]


@pytest.mark.parametrize("name", UNIT_NAMES, ids=range(len(UNIT_NAMES)))
def test_a_name_from_the_unit_lands_inside_the_output_folder(name: str, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    path = default_output_path(name, 2021, folder)
    assert path.resolve().parent == folder.resolve()
    assert path.name.endswith("2021年度部门整体支出绩效评价报告.docx") or len(name) > 100
    assert path.suffix == ".docx"
    assert not set(path.name) & set('<>:"/\\|?*')
    assert ".." not in path.name
    assert len(path.name.encode()) <= 240


@pytest.mark.parametrize(("name", "safe"), [("CON", "_CON"), ("con.docx", "_con.docx"), ("LPT1", "_LPT1"), ("..", "_")])
def test_windows_reserved_and_empty_names_are_changed(name: str, safe: str) -> None:
    assert safe_filename(name) == safe


def test_the_default_output_of_a_hostile_unit_name_stays_in_out(
    run_cli: Run, example_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    facts = edited_copy(example_path, tmp_path, ("  全称: 巨鹿县阎疃镇人民政府", '  全称: "../../a/b\\\\c:d*?<>|镇"'))
    monkeypatch.chdir(tmp_path)
    result = run_cli("render", facts)
    assert result.exit_code == 0, result.stderr
    written = Path(result.stdout.strip())
    assert written.resolve().parent == (tmp_path / "out").resolve()
    assert folder_listing(tmp_path / "out") == [written.name]
    assert written.name == "_._a_b_c_d_____镇2021年度部门整体支出绩效评价报告.docx"


# ---------------------------------------------------------------- 4. PDF without LibreOffice


def test_pdf_without_libreoffice_says_so_writes_the_docx_and_exits_1(
    run_cli: Run, example_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(office.shutil, "which", lambda name: None)
    target = tmp_path / "report.docx"
    result = run_cli("render", example_path, "-o", target, "--pdf")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [str(target)]
    assert result.stderr.splitlines()[-1] == (
        f"{target}: 错误：未找到 LibreOffice（soffice），无法生成 PDF；Word 文档已生成。安装 LibreOffice 后重试"
    )
    assert "Word 文档已生成" in result.stderr and "未生成任何文件" not in result.stderr
    assert folder_listing(tmp_path) == ["report.docx"]
    assert "巨鹿县阎疃镇人民政府" in document_text(target)


def test_a_batch_without_libreoffice_writes_every_docx_and_blames_no_file(
    run_cli: Run, example_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(office.shutil, "which", lambda name: None)
    monkeypatch.chdir(tmp_path)
    other = tmp_path / "other.yaml"
    other.write_text(example_path.read_text(encoding="utf-8").replace("全称: 巨鹿县阎疃镇人民政府", "全称: 某某镇人民政府", 1), encoding="utf-8")
    result = run_cli("render", example_path, other, "--pdf")
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 2
    assert result.stderr.count("未找到 LibreOffice（soffice），无法生成 PDF；Word 文档已生成") == 2
    assert "个文件有错误" not in result.stderr
