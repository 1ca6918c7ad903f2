"""PDF in batches: one LibreOffice per batch, a document it cannot convert is named, and the others are made."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jixiao import office

Run = Callable[..., Any]
NAME = "  全称: 巨鹿县阎疃镇人民政府"
UNCONVERTIBLE = "LibreOffice 未能把它转换为 PDF（文件可能已损坏，或不是 Word 文档）"


def needs_office() -> None:
    """Fail in CI, skip elsewhere, when LibreOffice or pdftotext is missing."""
    if office.office_program() is None or shutil.which("pdftotext") is None:
        message = "LibreOffice (soffice) or poppler-utils (pdftotext) is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def pdf_text(path: Path) -> str:
    """Return the text of a PDF as pdftotext reads it."""
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def units(example_path: Path, tmp_path: Path) -> list[Path]:
    """Facts files of two units, 甲 and 乙."""
    paths = []
    for name in "甲乙":
        path = tmp_path / f"{name}.yaml"
        path.write_text(example_path.read_text(encoding="utf-8").replace(NAME, f"  全称: {name}镇人民政府", 1), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.mark.office
def test_render_pdf_makes_each_pdf_after_its_report_in_input_order(
    run_cli: Run, units: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    needs_office()
    monkeypatch.chdir(tmp_path)
    result = run_cli("render", *reversed(units), "--pdf", "--jobs", "2")
    assert result.exit_code == 0, result.stderr
    reports = [f"out/{name}镇人民政府2021年度部门整体支出绩效评价报告" for name in "乙甲"]
    assert result.stdout.splitlines() == [f"{reports[0]}.docx", f"{reports[0]}.pdf", f"{reports[1]}.docx", f"{reports[1]}.pdf"]
    assert "乙镇人民政府" in pdf_text(tmp_path / f"{reports[0]}.pdf")
    assert "甲镇人民政府" in pdf_text(tmp_path / f"{reports[1]}.pdf")


@pytest.mark.office
def test_pdf_names_the_document_it_could_not_convert_and_makes_the_others(
    run_cli: Run, units: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    needs_office()
    monkeypatch.chdir(tmp_path)
    assert run_cli("render", *units, "--jobs", "1").exit_code == 0
    first, second = (tmp_path / "out" / f"{name}镇人民政府2021年度部门整体支出绩效评价报告.docx" for name in "甲乙")
    broken = tmp_path / "损坏.docx"
    broken.write_bytes(first.read_bytes()[:5000])  # A download cut short: a zip without its end.
    other = tmp_path / "编辑后" / first.name  # The same name in another folder: an editor's copy.
    other.parent.mkdir()
    shutil.copyfile(second, other)
    result = run_cli("pdf", first, broken, second, other, "--jobs", "2")
    assert result.exit_code == 1
    made = [first.with_suffix(".pdf"), second.with_suffix(".pdf"), other.with_suffix(".pdf")]
    assert result.stdout.splitlines() == [str(path) for path in made]
    assert result.stderr.splitlines()[0].startswith(f"{broken}: 错误：{UNCONVERTIBLE}")
    assert result.stderr.splitlines()[-1] == "1 个文件未能转换为 PDF；其余 3 个已生成。"
    assert "甲镇人民政府" in pdf_text(made[0])
    assert "乙镇人民政府" in pdf_text(made[2])
    assert not broken.with_suffix(".pdf").exists()


def test_pdf_refuses_what_is_not_a_docx_before_starting_libreoffice(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(office, "_run_office", lambda *args: pytest.fail("LibreOffice was started"))
    notes = tmp_path / "说明.txt"
    notes.write_text("不是报告", encoding="utf-8")
    missing = tmp_path / "没有.docx"
    result = run_cli("pdf", missing, notes, tmp_path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{missing}: 错误：找不到这个文件，请检查路径是否正确",
        f"{notes}: 错误：不是 Word 文档（.docx）：jixiao pdf 只转换 .docx 文件",
        f"{tmp_path}: 错误：这是一个文件夹，不是 Word 文档",
        "3 个文件未能转换为 PDF；其余 0 个已生成。",
    ]
    assert result.stdout == ""


def test_pdf_without_libreoffice_names_every_document(run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(office.shutil, "which", lambda name: None)
    documents = [tmp_path / "甲.docx", tmp_path / "乙.docx"]
    for path in documents:
        path.write_bytes(b"PK")
    result = run_cli("pdf", *documents)
    assert result.exit_code == 1
    message = "未找到 LibreOffice（soffice），无法转换为 PDF；安装 LibreOffice 后重试"
    assert result.stderr.splitlines() == [*(f"{path}: 错误：{message}" for path in documents), "2 个文件未能转换为 PDF；其余 0 个已生成。"]


@pytest.mark.parametrize(("count", "jobs", "sizes"), [(5, 2, [3, 2]), (2, 4, [1, 1]), (10, 3, [4, 3, 3]), (3, 1, [3])])
def test_documents_are_dealt_into_batches_of_neighbours(count: int, jobs: int, sizes: list[int]) -> None:
    documents = [Path(f"{number}.docx") for number in range(count)]
    batches = office._batches(documents, min(jobs, count))
    assert [len(batch) for batch in batches] == sizes
    assert [document for batch in batches for document in batch] == documents
