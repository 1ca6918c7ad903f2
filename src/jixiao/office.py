"""PDF from .docx with LibreOffice: one office process converts a whole batch.

Starting LibreOffice costs more than converting a report, so every document of a batch
goes to one `soffice --convert-to pdf a.docx b.docx …` call (several calls side by side
with more than one job). Each call has its own temporary profile, so it never collides
with a LibreOffice the user has open, nor with the other calls. PDFs are made in a
temporary folder and then put beside their .docx the way reports are written (a
temporary file and a rename); a document LibreOffice cannot convert is named in its own
problem, and the others are made all the same.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

from jixiao.errors import OutputError, Problem
from jixiao.output import write_atomically

# Seconds a conversion may take: LibreOffice's start, and then each document.
_START_SECONDS = 120
_SECONDS_PER_DOCUMENT = 60
# Said of each document when LibreOffice is not installed: after a render, and for `jixiao pdf`.
NOT_INSTALLED = "未找到 LibreOffice（soffice），无法生成 PDF；Word 文档已生成。安装 LibreOffice 后重试"
NOT_INSTALLED_FOR_PDF = "未找到 LibreOffice（soffice），无法转换为 PDF；安装 LibreOffice 后重试"


class Converted(NamedTuple):
    """The PDFs `jixiao pdf` made, in the order the documents were given, and why the others were not made."""

    pdfs: list[Path]
    problems: list[Problem]


def office_program() -> str | None:
    """Return the LibreOffice program to run, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(docx: Path) -> Path:
    """Convert one .docx to a PDF beside it; raise OutputError saying why when it cannot be made."""
    (made,) = convert_all([docx])
    if isinstance(made, Problem):
        raise OutputError([made])
    return made


def convert_all(documents: Sequence[Path], jobs: int = 1, not_installed: str = NOT_INSTALLED) -> list[Path | Problem]:
    """Convert each .docx to a PDF beside it, with at most `jobs` LibreOffice processes at a time.

    Returns, for each document in the order given, its PDF or the problem saying why there is none.
    """
    office = office_program()
    if not documents:
        return []
    if office is None:
        return [Problem(str(docx), None, None, None, not_installed) for docx in documents]
    batches = _batches(documents, max(1, min(jobs, len(documents))))
    with ThreadPoolExecutor(max_workers=max(1, len(batches))) as pool:
        return [one for batch in pool.map(lambda batch: _convert(office, batch), batches) for one in batch]


def convert_documents(documents: Sequence[Path], jobs: int = 1) -> Converted:
    """Convert existing reports (an editor's edited .docx files); a file that cannot be converted is named, the rest made."""
    unique = list(dict.fromkeys(documents))
    refused = {docx: problem for docx in unique if (problem := _refusal(docx)) is not None}
    made = iter(convert_all([docx for docx in unique if docx not in refused], jobs, NOT_INSTALLED_FOR_PDF))
    results = [refused.get(docx) or next(made) for docx in unique]
    pdfs = [pdf for pdf in results if isinstance(pdf, Path)]
    return Converted(pdfs, [problem for problem in results if isinstance(problem, Problem)])


def _refusal(docx: Path) -> Problem | None:
    """Say why `docx` is not given to LibreOffice: missing, a folder, or not a .docx file."""
    if not docx.exists():
        message = "找不到这个文件，请检查路径是否正确"
    elif not docx.is_file():
        message = "这是一个文件夹，不是 Word 文档"
    elif docx.suffix.lower() != ".docx":
        message = "不是 Word 文档（.docx）：jixiao pdf 只转换 .docx 文件"
    else:
        return None
    return Problem(str(docx), None, None, None, message)


def _batches(documents: Sequence[Path], count: int) -> list[list[Path]]:
    """Deal documents into `count` batches of consecutive documents, so output order is easy to keep."""
    size, extra = divmod(len(documents), count)
    batches, start = [], 0
    for index in range(count):
        end = start + size + (index < extra)
        batches.append(list(documents[start:end]))
        start = end
    return batches


def _convert(office: str, batch: list[Path]) -> list[Path | Problem]:
    """Convert a batch with one LibreOffice; documents it missed are tried once more each on their own.

    A document that makes LibreOffice stop leaves the rest of its batch unconverted: trying
    them alone gets them made, and pins the failure on the document that caused it.
    """
    made = _run_office(office, batch)
    if len(batch) == 1:
        return made
    return [_run_office(office, [docx])[0] if isinstance(one, Problem) else one for docx, one in zip(batch, made, strict=True)]


def _run_office(office: str, batch: list[Path]) -> list[Path | Problem]:
    """Run one LibreOffice over `batch` in a fresh profile; return each document's PDF or problem."""
    with tempfile.TemporaryDirectory(prefix="jixiao-office-") as scratch:
        profile, outdir = Path(scratch) / "profile", Path(scratch) / "pdf"
        names = _unique_names(batch, Path(scratch) / "in")
        command = [office, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf"]
        command += ["--outdir", str(outdir), *(str(name.resolve()) for name in names)]
        detail = _call(command, _START_SECONDS + _SECONDS_PER_DOCUMENT * len(batch))
        return [_place(docx, outdir / f"{name.stem}.pdf", detail) for docx, name in zip(batch, names, strict=True)]


def _unique_names(batch: list[Path], folder: Path) -> list[Path]:
    """Give each document a name LibreOffice can convert without two PDFs meeting in one folder.

    Documents from different folders may share a name (two editors' 报告.docx); those after
    the first are linked (or copied) into `folder` under a numbered name.
    """
    names, seen = [], set()
    for number, docx in enumerate(batch):
        if docx.stem not in seen:
            seen.add(docx.stem)
            names.append(docx)
            continue
        folder.mkdir(exist_ok=True)
        alias = folder / f"{number}-{docx.name}"
        shutil.copyfile(docx, alias)
        seen.add(alias.stem)
        names.append(alias)
    return names


def _call(command: list[str], timeout: int) -> str:
    """Run LibreOffice; return the errors it printed (they name no file), or why it did not finish."""
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return f"LibreOffice 在 {timeout} 秒内没有完成"
    except OSError as exc:
        return f"无法启动 LibreOffice（{exc.strerror or exc}）"
    printed = f"{completed.stderr}\n{completed.stdout}".splitlines()
    return "；".join(dict.fromkeys(line.strip() for line in printed if line.startswith("Error")))


def _place(docx: Path, made: Path, detail: str) -> Path | Problem:
    """Put the PDF LibreOffice made for `docx` beside it; a problem naming `docx` when there is none."""
    pdf = docx.with_suffix(".pdf")
    if not made.is_file():
        reason = "LibreOffice 未能把它转换为 PDF（文件可能已损坏，或不是 Word 文档）"
        return Problem(str(docx), None, None, None, f"{reason}：{detail}" if detail else reason)
    try:
        write_atomically(pdf, made.read_bytes())
    except OutputError as exc:
        return exc.problems[0]
    return pdf
