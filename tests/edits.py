"""Make an edited copy of a facts file for a test, changing pieces of its text."""

from __future__ import annotations

from pathlib import Path


def write_edited(text: str, folder: Path, *changes: tuple[str, str]) -> Path:
    """Write `text` to folder/facts.yaml with each (old, new) replaced; each old text must occur exactly once."""
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = folder / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def edited_copy(source: Path, folder: Path, *changes: tuple[str, str]) -> Path:
    """Copy `source` to folder/facts.yaml with each (old, new) replaced, as `write_edited` does."""
    return write_edited(source.read_text(encoding="utf-8"), folder, *changes)
