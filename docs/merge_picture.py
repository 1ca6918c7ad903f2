"""Make the README's picture of a merge: the editor's sentence kept, a corrected figure as a tracked change.

Run `python docs/merge_picture.py` after changing how merges look: it renders the example,
edits a sentence the way an editor would (python-docx), corrects the 公务用车 figure in a copy
of the facts, runs `render --merge`, lets LibreOffice print the merged document to PDF with
its tracked changes and comments showing, and crops the part of the page holding the change
into docs/merge/tracked-change.png; then the same where the editor had also changed that
paragraph (docs/merge/both-changed.png: the editor's paragraph kept, the generated one inserted,
a comment in the margin). Needs soffice, pdftotext and pdftoppm.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import docx

from jixiao.report import RenderOptions, render_report
from jixiao.resources import EXAMPLE_FACTS

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "data" / EXAMPLE_FACTS
PICTURES = HERE / "merge"
STAFF = "我单位有在职人员64名，行政人员29名，事业人员35名。"
STAFF_EDITED = "本镇现有在职人员64名，其中行政人员29名、事业人员35名。"
COSTS_END = "会议费0万元。"
COSTS_EDITED = "会议费0万元。公务用车为一辆应急执法车。"
CAR = ("公务用车购置及运行维护费: 3.5\n", "公务用车购置及运行维护费: 3.8\n")
RESOLUTION = 110  # pixels per inch of the picture
# LibreOffice prints comments in the right margin when asked (a filter option of its PDF export).
PDF_WITH_COMMENTS = 'pdf:writer_pdf_Export:{"ExportNotesInMargin":{"type":"boolean","value":"true"}}'


def main() -> None:
    """Write the pictures."""
    _picture("tracked-change.png", {STAFF: STAFF_EDITED})
    _picture("both-changed.png", {STAFF: STAFF_EDITED, COSTS_END: COSTS_EDITED})


def _picture(name: str, edits: dict[str, str]) -> None:
    """Render, edit, correct the figure, merge, print and crop one picture."""
    with tempfile.TemporaryDirectory(prefix="jixiao-merge-picture-") as folder:
        work = Path(folder)
        report = work / "报告.docx"
        render_report(RenderOptions(facts=EXAMPLE, output=report))
        _edit(report, edits)
        facts = work / "facts.yaml"
        facts.write_text(EXAMPLE.read_text(encoding="utf-8").replace(*CAR), encoding="utf-8")
        render_report(RenderOptions(facts=facts, output=report, merge=True, backup=False))
        pdf = _pdf(report, work)
        _crop(pdf, "3.8", "三公经费及会议费", PICTURES / name)
    print(PICTURES / name)


def _edit(path: Path, edits: dict[str, str]) -> None:
    """Rewrite each paragraph ending with a key so that it ends with its value, as an editor would in Word."""
    document = docx.Document(str(path))
    for old, new in edits.items():
        (paragraph,) = [p for p in document.paragraphs if p.text.endswith(old)]
        text = paragraph.text.removesuffix(old) + new
        paragraph.runs[0].text = text
        for run in paragraph.runs[1:]:
            run._element.getparent().remove(run._element)
    document.save(str(path))


def _pdf(docx_path: Path, work: Path) -> Path:
    """Let LibreOffice print the document to PDF, tracked changes and comments showing."""
    office = ["soffice", f"-env:UserInstallation=file://{work}/profile", "--headless"]
    command = [*office, "--convert-to", PDF_WITH_COMMENTS, "--outdir", str(work), str(docx_path)]
    subprocess.run(command, check=True, capture_output=True)
    return docx_path.with_suffix(".pdf")


def _crop(pdf: Path, changed: str, start: str, target: Path) -> None:
    """Crop the page band from the first paragraph starting with `start` to the end of the one holding `changed`."""
    page, top, bottom = _band(pdf, changed, start)
    scale = RESOLUTION / 72
    y, height = round((top - 12) * scale), round((bottom - top + 18) * scale)
    command = ["pdftoppm", "-png", "-r", str(RESOLUTION), "-f", str(page), "-l", str(page), "-singlefile"]
    command += ["-y", str(y), "-H", str(height), "-W", str(round(_page_width(pdf) * scale))]
    target.parent.mkdir(exist_ok=True)
    subprocess.run([*command, str(pdf), str(target.with_suffix(""))], check=True)


def _band(pdf: Path, changed: str, start: str) -> tuple[int, float, float]:
    """Return the page holding `changed`, the top of the line starting its paragraph (with `start`) and
    the bottom of the paragraph's last line (ending in 。), in points."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    for number, page in enumerate(html.split("<page ")[1:], start=1):
        words = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', page)
        at = next((i for i, (_, _, text) in enumerate(words) if changed in text), None)
        if at is None:
            continue
        first = min(i for i, (_, _, text) in enumerate(words[: at + 1]) if text.startswith(start))
        last = next(i for i, (_, _, text) in enumerate(words) if i >= at and text.endswith("。"))
        return number, float(words[first][0]), float(words[last][1])
    raise SystemExit(f"no page shows {changed!r}")


def _page_width(pdf: Path) -> float:
    """Return the width of the PDF's first page in points."""
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return float(re.search(r"Page size:\s+([\d.]+) x", info).group(1))


if __name__ == "__main__":
    main()
