"""`jixiao diff`: what the editor changed since jixiao wrote the document, and what a re-render would change.

Paragraph by paragraph (and row by row in tables), in the editor's order, in Chinese or as
JSON; nothing is written. Without facts it lists only the editor's changes; when the
document has lost jixiao's record of the base, it compares the document with a fresh
render directly (two-way), saying so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from jixiao.merge import wordxml
from jixiao.merge.edited import RECORD_LOST, open_edited, recorded_base
from jixiao.merge.threeway import Kind, Step, compare, describe
from jixiao.merge.tracked import unit_key
from jixiao.merge.wordxml import Recorded

if TYPE_CHECKING:
    from jixiao.report import RenderOptions

EDITOR_KINDS = (Kind.EDITED, Kind.EDITOR_ADDED, Kind.EDITOR_DELETED)
GENERATOR_KINDS = (Kind.GENERATED, Kind.GENERATOR_ADDED, Kind.GENERATOR_DELETED, Kind.BOTH)
_HEADINGS = (
    re.compile(r"^[一二三四五六七八九十]+、"),
    re.compile(r"^（[一二三四五六七八九十]+）"),
    re.compile(r"^\d+\."),
)
_HEADING_MAX = 40  # Longer lines that start like a heading are numbered paragraphs.
_SHOWN = 100  # Characters of a paragraph shown when it is added or deleted whole.


class Change(NamedTuple):
    """One place that differs: what kind, where, and the texts of base, editor and generator there."""

    kind: Kind
    where: str
    base: str | None
    mine: str | None
    theirs: str | None


class Listing(NamedTuple):
    """What `jixiao diff` found."""

    document: Path
    facts: Path | None
    recorded: bool  # False: the base record was lost and the comparison is two-way
    changes: list[Change]


def diff_document(path: Path, options: RenderOptions | None) -> tuple[Listing, list]:
    """Compare an edited document with its recorded base and, given facts, with a fresh render.

    Returns the listing and the warnings of checking the facts.
    """
    mine = open_edited(path)
    base = recorded_base(mine)
    mine_units = [item.unit for item in wordxml.located(mine.element.body)]
    theirs_units, warnings = _generated_units(options) if options is not None else (None, [])
    if base is None and theirs_units is None:
        raise _lost(path)
    old = mine_units if base is None else base
    new = old if theirs_units is None else theirs_units
    changes = _changes(old, mine_units, new)
    return Listing(path, options.facts if options else None, base is not None, changes), warnings


def _lost(path: Path) -> Exception:
    """Return the error for a document without a record, compared with nothing."""
    from jixiao.errors import EditedDocumentError, Problem

    message = f"{RECORD_LOST}。请同时给出事实数据文件，逐段比较它与重新生成的内容（两方比较）"
    return EditedDocumentError([Problem(str(path), None, None, None, message)])


def _generated_units(options: RenderOptions) -> tuple[list[Recorded], list]:
    """Render the report in memory and return its units, with the warnings of checking the facts."""
    import io

    import docx

    from jixiao.report import report_bytes

    data, warnings = report_bytes(options)
    body = docx.Document(io.BytesIO(data)).element.body
    return [item.unit for item in wordxml.located(body)], warnings


def _changes(base: Sequence[Recorded], mine: Sequence[Recorded], theirs: Sequence[Recorded]) -> list[Change]:
    """Return the changes of the body, a table's rows in place of the table."""
    places = _Places(base, mine, theirs)
    changes: list[Change] = []
    for step in compare(base, mine, theirs, unit_key):
        units = places.units(step)
        if any(isinstance(u, tuple) for u in units):
            changes += _row_changes(*units)  # type: ignore[arg-type]
        else:
            changes.append(Change(step.kind, places.where(step), *units))  # type: ignore[arg-type]
    return changes


class _Places:
    """Finds the units of a step and names where it stands by the headings above it."""

    def __init__(
        self, base: Sequence[Recorded], mine: Sequence[Recorded], theirs: Sequence[Recorded]
    ) -> None:
        self.sides = (base, mine, theirs)
        self.headings = tuple(headings(side) for side in self.sides)

    def units(self, step: Step) -> tuple[Recorded | None, ...]:
        """Return the step's base, mine and theirs units (None where absent)."""
        indexes = (step.base, step.mine if step.kind != Kind.GENERATOR_ADDED else None, step.theirs)
        return tuple(None if i is None else side[i] for side, i in zip(self.sides, indexes, strict=True))

    def where(self, step: Step) -> str:
        """Name the step's place by the headings above it, in the editor's document when it is there."""
        for index, side in ((step.mine, 1), (step.base, 0), (step.theirs, 2)):
            if index is not None:
                return self.headings[side][index]
        return ""


def headings(units: Sequence[Recorded]) -> list[str]:
    """Return, for each unit, the path of headings it stands under (一、… › （一）…)."""
    path: list[str] = []
    found = []
    for unit in units:
        level = _heading_level(unit)
        if level is not None:
            path = [*path[:level], unit]  # type: ignore[list-item]
        found.append(" › ".join(path) or "开头")
    return found


def _heading_level(unit: Recorded) -> int | None:
    """Return 0, 1 or 2 for a paragraph numbered like a heading of that level, else None."""
    if not isinstance(unit, str) or len(unit) > _HEADING_MAX:
        return None
    return next((level for level, pattern in enumerate(_HEADINGS) if pattern.match(unit)), None)


def _row_changes(base: tuple | None, mine: tuple | None, theirs: tuple | None) -> list[Change]:
    """Return the changed rows of a table, named by the indicator (or first cell) of each row."""
    rows = (base or (), mine or (), theirs or ())
    changes = []
    for step in compare(*rows):
        units = [
            None if i is None else side[i]
            for side, i in zip(rows, (step.base, _mine(step), step.theirs), strict=True)
        ]
        label = next(u for u in (units[1], units[0], units[2]) if u is not None)
        texts = ["｜".join(u) if u is not None else None for u in units]
        changes.append(Change(step.kind, f"表格 · {row_name(label)}", *texts))
    return changes


def _mine(step: Step) -> int | None:
    """Return the step's index in the editor's document, None for an insertion's anchor."""
    return None if step.kind == Kind.GENERATOR_ADDED else step.mine


def row_name(cells: Sequence[str]) -> str:
    """Name a row by its third cell (the 三级指标 of the 评分表) or else its first, first line only."""
    for cell in (cells[2:3] or ()) + tuple(cells[:1]):
        if cell.strip():
            return "「" + cell.split("\n")[0] + "」行"
    return "空行"


# --- Output -------------------------------------------------------------------------------------


def format_listing(listing: Listing) -> str:
    """Return the listing in Chinese, one block per place, and a closing count."""
    lines = [_heading(listing)]
    for change in listing.changes:
        lines.append(f"[{change.kind}] {change.where}")
        lines.extend(f"    {detail}" for detail in _details(change))
    lines.append(_summary(listing))
    return "\n".join(lines)


def _heading(listing: Listing) -> str:
    """Say what is compared with what."""
    if not listing.recorded:
        return f"注意：{listing.document} {RECORD_LOST}；以下是文档与重新生成的内容逐段的差异（两方比较）："
    against = "，以及按现在的事实数据重新生成会改动什么" if listing.facts else ""
    return f"{listing.document}：与上次生成时（文档内的记录）相比编辑改动了什么{against}，逐段列出："


def _details(change: Change) -> list[str]:
    """Say what changed at one place."""
    base, mine, theirs = change.base, change.mine, change.theirs
    match change.kind:
        case Kind.EDITED:
            return [describe(base or "", mine or "")]
        case Kind.GENERATED:
            return [describe(base or "", theirs or "")]
        case Kind.BOTH if theirs is None:
            return [f"编辑：{describe(base or '', mine or '')}", "生成：删去了这一段"]
        case Kind.BOTH:
            return [
                f"编辑：{describe(base or '', mine or '')}",
                f"生成：{describe(base or '', theirs or '')}",
            ]
        case Kind.CONVERGED:
            return [describe(base or "", mine or "")]
    return [_shorten(mine or theirs or base or "")]


def _shorten(text: str) -> str:
    """Return a paragraph's text, cut after `_SHOWN` characters."""
    return f"「{text[:_SHOWN]}……」" if len(text) > _SHOWN else f"「{text}」"


def counts(listing: Listing) -> dict[str, int]:
    """Count the editor's changes, the generator's, and the places both changed."""
    kinds = [change.kind for change in listing.changes]
    return {
        "editor": sum(kind in EDITOR_KINDS or kind in (Kind.BOTH, Kind.CONVERGED) for kind in kinds),
        "generator": sum(kind in GENERATOR_KINDS for kind in kinds),
        "both": kinds.count(Kind.BOTH),
    }


def _summary(listing: Listing) -> str:
    """Return the closing count."""
    found = counts(listing)
    if not listing.recorded:
        return f"共 {found['generator']} 处不同。未写入任何文件。"
    generator = (
        f"；重新生成将改动 {found['generator']} 处，其中编辑也改动过的 {found['both']} 处"
        if listing.facts
        else ""
    )
    return f"合计：编辑改动 {found['editor']} 处{generator}。未写入任何文件。"


def listing_json(listing: Listing) -> str:
    """Return the listing as JSON: each change with its kind, place and the three texts."""
    changes = [
        {"kind": change.kind.name.lower(), "label": change.kind.value, "where": change.where,
         "base": change.base, "mine": change.mine, "theirs": change.theirs}
        for change in listing.changes
    ]  # fmt: skip
    document = {
        "document": str(listing.document),
        "facts": None if listing.facts is None else str(listing.facts),
        "base": "recorded" if listing.recorded else "lost",
        "counts": counts(listing),
        "changes": changes,
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
