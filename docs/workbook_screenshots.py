"""Make the README's pictures of the facts workbook as LibreOffice shows it.

Run `python docs/workbook_screenshots.py` after changing the workbook's layout: it writes
the example as a workbook, lets LibreOffice Calc print it to PDF (landscape, one page
wide, as the workbook's page setup asks) and turns chosen pages into docs/workbook/*.png.
Needs soffice and pdftoppm.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from jixiao.facts import load_facts
from jixiao.resources import EXAMPLE_FACTS
from jixiao.workbook import facts_data
from jixiao.workbookwrite import workbook_bytes

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "data" / EXAMPLE_FACTS
# Each picture is the first PDF page showing its text: the guide, then three sheets people fill most.
PAGES = {"填写说明": "一、怎样填写", "单位与人员": "单位 › 全称", "预算收支": "预算 › 收入 › 合计", "评分数据": "评分数据 › 预算数"}


def main() -> None:
    """Write the pictures into docs/workbook/."""
    with tempfile.TemporaryDirectory(prefix="jixiao-shots-") as folder:
        work = Path(folder)
        book = work / "example.xlsx"
        book.write_bytes(workbook_bytes(facts_data(load_facts(EXAMPLE).facts)))
        office = ["soffice", f"-env:UserInstallation=file://{work}/profile", "--headless"]
        subprocess.run([*office, "--convert-to", "pdf", "--outdir", folder, str(book)], check=True, capture_output=True)
        pdf = work / "example.pdf"
        for name, text in PAGES.items():
            page = _page_with(pdf, text)
            target = HERE / "workbook" / name
            command = ["pdftoppm", "-png", "-r", "70", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(target)]
            subprocess.run(command, check=True)
            print(target.with_suffix(".png"))


def _page_with(pdf: Path, text: str) -> int:
    """Return the number of the first page of `pdf` whose text holds `text`."""
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return next(number for number, page in enumerate(pages.split("\f"), start=1) if text in page)


if __name__ == "__main__":
    main()
