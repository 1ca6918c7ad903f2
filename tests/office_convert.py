"""Let LibreOffice convert a document, and read a converted document's text with tracked changes accepted."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def office() -> str:
    """Return LibreOffice's command, failing in CI (and skipping elsewhere) when it is not installed."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is not installed")
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def convert(source: Path, target_format: str, folder: Path) -> Path:
    """Convert `source` with LibreOffice into `folder` (e.g. "docx", "fodt", "pdf"); return the new file."""
    folder.mkdir(parents=True, exist_ok=True)
    # A private profile lets this run as root and beside other LibreOffice processes.
    command = [office(), f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless"]
    command += ["--convert-to", target_format, "--outdir", str(folder), str(source)]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    target = folder / f"{source.stem}.{target_format}"
    assert target.exists(), completed.stderr or completed.stdout
    return target


def accepted_lines(docx: Path, folder: Path) -> list[str]:
    """Return the non-empty paragraphs (table cells' too) as LibreOffice reads them with every change accepted.

    LibreOffice converts to flat ODF; text between a change's start and end marks is left out
    where the change is a deletion, kept where it is an insertion.
    """
    root = etree.parse(str(convert(docx, "fodt", folder))).getroot()
    deletions = {
        region.get(f"{{{_TEXT}}}id")
        for region in root.iter(f"{{{_TEXT}}}changed-region")
        if region.find(f"{{{_TEXT}}}deletion") is not None
    }
    text = root.find(f"{{{_OFFICE}}}body/{{{_OFFICE}}}text")
    return [line for line in _paragraph_texts(text, deletions) if line]


def _paragraph_texts(text: etree._Element, deletions: set[str | None]) -> list[str]:
    """Walk the body in order, joining each paragraph's text outside deleted ranges."""
    lines: list[str] = []
    open_deletions: set[str | None] = set()
    for event, element in etree.iterwalk(text, events=("start", "end")):
        name = etree.QName(element).localname if isinstance(element.tag, str) else ""
        if name == "tracked-changes":
            continue
        if event == "start" and name in ("p", "h") and not _in_tracked_changes(element):
            lines.append("")
        elif (
            event == "start" and name == "change-start" and element.get(f"{{{_TEXT}}}change-id") in deletions
        ):
            open_deletions.add(element.get(f"{{{_TEXT}}}change-id"))
        elif event == "start" and name == "change-end":
            open_deletions.discard(element.get(f"{{{_TEXT}}}change-id"))
        if not open_deletions and lines and not _in_tracked_changes(element):
            lines[-1] += _own_text(element, event, name)
    return lines


def _own_text(element: etree._Element, event: str, name: str) -> str:
    """Return the text an element adds at this event: its text at start, its tail at end."""
    if event == "start":
        if name == "s":
            return " " * int(element.get(f"{{{_TEXT}}}c", "1"))
        if name == "tab":
            return "\t"
        return element.text or "" if name in ("p", "h", "span", "a") else ""
    return element.tail or "" if name not in ("p", "h") else ""


def _in_tracked_changes(element: etree._Element) -> bool:
    """Tell whether an element is part of the record of changes or of a comment (not of the text)."""
    return any(
        isinstance(a.tag, str) and etree.QName(a).localname in ("tracked-changes", "annotation")
        for a in element.iterancestors()
    )


def comments(fodt: Path) -> list[tuple[str, str]]:
    """Return (author, text) of each comment of a flat ODF document, as LibreOffice read them."""
    dc = "http://purl.org/dc/elements/1.1/"
    root = etree.parse(str(fodt)).getroot()
    return [
        (note.findtext(f"{{{dc}}}creator") or "", "".join(note.find(f"{{{_TEXT}}}p").itertext()))
        for note in root.iter(f"{{{_OFFICE}}}annotation")
    ]
