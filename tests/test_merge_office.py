"""LibreOffice reads a merged report as the editor's text plus the new figures, also after it rewrote the file."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from lxml import etree

from edits import edited_copy
from office_convert import accepted_lines, comments, convert
from ooxml_validate import invalid_parts
from test_merge import (
    CAR,
    COSTS,
    COSTS_EDITED,
    COSTS_NEW,
    STAFF,
    STAFF_EDITED,
    edit_paragraph,
    merged_message,
    render,
)

pytestmark = pytest.mark.office

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def through_libreoffice(path: Path, folder: Path) -> None:
    """Let LibreOffice open and save the document as .docx, as an editor using it (or WPS) would."""
    shutil.copyfile(convert(path, "docx", folder), path)


def with_sections_in_schema_order(path: Path, folder: Path) -> Path:
    """Return a copy where each w:pPr's w:sectPr stands where the schema wants it.

    LibreOffice writes a paragraph's section properties before its style; the merge leaves
    the editor's properties as they are, so this is LibreOffice's own slip, not the merge's.
    """
    copy = folder / f"ordered-{path.name}"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/document.xml":
                data = _sections_last(data)
            target.writestr(name, data)
    return copy


def _sections_last(data: bytes) -> bytes:
    """Move each paragraph's w:sectPr after its other properties (before w:pPrChange, if any)."""
    root = etree.fromstring(data)
    for section in root.iter(f"{{{W}}}sectPr"):
        properties = section.getparent()
        if etree.QName(properties).localname == "pPr":
            change = properties.find(f"{{{W}}}pPrChange")
            properties.remove(section)
            (change.addprevious if change is not None else properties.append)(section)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def edited_and_fresh(
    run_cli: Callable[..., Any], example_path: Path, tmp_path: Path, edit: tuple[str, str], through_office: bool
) -> tuple[Path, Path, Path]:
    """Render the example, edit one paragraph (and let LibreOffice save it); render changed facts afresh.

    Return the edited report, the changed facts (the car cost) and the fresh report of them.
    """
    target = tmp_path / "报告.docx"
    assert render(run_cli, example_path, target).exit_code == 0
    edit_paragraph(target, *edit)
    if through_office:
        through_libreoffice(target, tmp_path / "saved")
    (tmp_path / "new").mkdir()
    facts = edited_copy(example_path, tmp_path / "new", CAR)
    fresh = tmp_path / "fresh.docx"
    assert render(run_cli, facts, fresh).exit_code == 0
    return target, facts, fresh


@pytest.mark.parametrize("editor", ["python-docx", "LibreOffice"])
def test_libreoffice_reads_the_editors_text_plus_the_new_figures(
    run_cli: Callable[..., Any], example_path: Path, tmp_path: Path, editor: str
) -> None:
    target, facts, fresh = edited_and_fresh(run_cli, example_path, tmp_path, (STAFF, STAFF_EDITED), editor == "LibreOffice")
    result = render(run_cli, facts, target, "--merge")
    assert result.exit_code == 0, result.stderr
    assert merged_message(target, 1) in result.stdout.splitlines()

    expected = [STAFF_EDITED if line == STAFF else line for line in accepted_lines(fresh, tmp_path / "fresh")]
    assert COSTS_NEW in expected and COSTS not in expected
    assert accepted_lines(target, tmp_path / "merged") == expected
    assert invalid_parts(with_sections_in_schema_order(target, tmp_path).read_bytes()) == []
    assert [p.text for p in docx.Document(str(target)).paragraphs if p.text == STAFF_EDITED] == [STAFF_EDITED]


def test_libreoffice_shows_both_versions_and_the_comment_where_both_changed(
    run_cli: Callable[..., Any], example_path: Path, tmp_path: Path
) -> None:
    target, facts, fresh = edited_and_fresh(run_cli, example_path, tmp_path, (COSTS, COSTS_EDITED), through_office=True)
    result = render(run_cli, facts, target, "--merge")
    assert merged_message(target, 1, both=1) in result.stdout.splitlines()

    expected = accepted_lines(fresh, tmp_path / "fresh")
    expected.insert(expected.index(COSTS_NEW), COSTS_EDITED)
    assert accepted_lines(target, tmp_path / "merged") == expected
    ((author, text),) = comments(tmp_path / "merged" / "报告.fodt")
    assert author == "jixiao" and text.endswith("生成的改动：「3.5」改为「3.8」")
    assert invalid_parts(with_sections_in_schema_order(target, tmp_path).read_bytes()) == []
