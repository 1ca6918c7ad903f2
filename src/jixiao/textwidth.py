"""Terminal column widths of Chinese text, for the CLI's help and the score table."""

from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    """Return how many terminal columns `text` takes: East Asian Wide and Fullwidth count two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
