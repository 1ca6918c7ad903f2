"""Terminal column widths of Chinese text, for the CLI's help and the score table."""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Sequence


def display_width(text: str) -> int:
    """Return how many terminal columns `text` takes: East Asian Wide and Fullwidth count two."""
    return len(text) + sum(wide_characters(text))


def wide_characters(text: str) -> list[bool]:
    """Tell, character by character, whether `text` is East Asian Wide or Fullwidth (two columns, one em)."""
    width = unicodedata.east_asian_width
    return [width(char) in "WF" for char in text]


def align_rows(rows: Sequence[Sequence[str]], right: Collection[int] = ()) -> list[str]:
    """Pad every column but the last to its widest cell (CJK counts two); columns in `right` align right."""
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        cells = [pad(cell, widths[i], i in right) for i, cell in enumerate(row[:-1])]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return lines


def pad(text: str, width: int, right: bool = False) -> str:
    """Pad `text` to `width` columns, on the left when `right` (numbers)."""
    space = " " * (width - display_width(text))
    return space + text if right else text + space
