"""Make an edited copy of a facts file for a test, changing whole lines of its text."""

from __future__ import annotations

from pathlib import Path


def edited_copy(source: Path, folder: Path, *changes: tuple[str, str]) -> Path:
    """Copy `source` to folder/facts.yaml with each (old text, new text) replaced once; each old text must be there."""
    text = source.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = folder / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    return path
