"""Read a .docx back as plain lines (style name + text, table cells) with python-docx, for golden tests.

python-docx is an independent reader here: it checks that what our writer produced is
what Word will show, paragraph by paragraph, in the style an editor will see.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph


def docx_lines(path: Path | str) -> list[str]:
    """Return one line per body paragraph («样式｜文本») and per table cell («表格 r,c｜文本»)."""
    document = docx.Document(str(path))
    lines: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            if item.text:
                lines.append(f"{item.style.name}｜{item.text}")
        else:
            lines.extend(table_lines(item))
    return lines


def table_lines(table: Table) -> list[str]:
    """Return a line per cell, merged cells once at their first row (vMerge continuations skipped)."""
    lines = []
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            if _continues_merge(cell):
                continue
            text = "⏎".join(p.text for p in cell.paragraphs)
            style = cell.paragraphs[0].style.name
            lines.append(f"表格 {r},{c}（{style}）｜{text}")
    return lines


def _continues_merge(cell) -> bool:
    """Tell whether a cell continues a vertical merge started above it."""
    merge = cell._tc.tcPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}vMerge"
    ) if cell._tc.tcPr is not None else None
    if merge is None:
        return False
    value = merge.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val")
    return value != "restart"


def body_text(path: Path | str) -> list[str]:
    """Return the texts of the body paragraphs in order, without styles or tables."""
    return [p.text for p in docx.Document(str(path)).paragraphs if p.text]
