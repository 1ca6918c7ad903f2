"""Merge what jixiao generates now into the editor's document, as tracked changes.

Place by place (see `threeway.compare`): what only the generator changed becomes a tracked
change of the editor's paragraph, word by word; what only the editor changed stays; where
both changed, the editor's paragraph stays and the generator's follows it as a tracked
insertion with a comment. The score table is merged row by row, then cell by cell.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from jixiao.merge import wordxml
from jixiao.merge.threeway import Kind, Step, compare, describe, edits
from jixiao.merge.wordxml import Located, Recorded, Reviser

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from lxml import etree

TABLE_KEY = "\x00表格"  # Tables of base, mine and theirs match in order, whatever their cells say.
BOTH_CHANGED = "编辑和重新生成都改动了这一段：上一段是编辑改过的文字，保留未动；这一段是按现在的事实数据和模板生成的文字（修订插入，可接受或拒绝）。生成的改动："
BOTH_CHANGED_CELL = "编辑和重新生成都改动了这个单元格：编辑改过的文字保留未动，按现在的事实数据生成的文字作为修订插入在它下面（可接受或拒绝）。生成的改动："
GENERATOR_DROPPED = "重新生成时已没有这一段，但编辑改动过它，所以保留未删；如不再需要，请手动删除。"
ROW_RESHAPED = "评分表这一行的单元格被合并或拆分过，生成的改动未能合入，请对照核实："


class MergeCounts(NamedTuple):
    """How many tracked changes the merge made, and at how many places both sides had changed."""

    changes: int
    both: int


def merge_documents(
    mine: WordDocument, base: Sequence[Recorded], theirs: WordDocument, when: str
) -> MergeCounts:
    """Merge `theirs` into `mine` (patched in place) over `base`; return the counts."""
    merger = _Merger(Reviser(mine, when), _style_map(theirs, mine))
    body = mine.element.body
    merger.sequence(base, wordxml.located(body), wordxml.located(theirs.element.body), body, in_cell=False)
    merger.reviser.finish()
    return MergeCounts(merger.reviser.changes, merger.both)


def _style_map(theirs: WordDocument, mine: WordDocument) -> dict[str, str | None]:
    """Map each style id of the generated document to the editor's id of the style with the same name.

    Failing the name (a style renamed since, by a newer jixiao or by the editor), the same id
    if the editor's document has it; failing both, none (the paragraph takes the default style).
    """
    mine_names = wordxml.style_names(mine.styles.element)
    mine_ids = {name: style_id for style_id, name in mine_names.items()}
    return {
        style_id: mine_ids.get(name, style_id if style_id in mine_names else None)
        for style_id, name in wordxml.style_names(theirs.styles.element).items()
    }


def unit_key(unit: Hashable) -> Hashable:
    """Return what base, mine and theirs items are matched by: the text, or one key for every table."""
    return unit if isinstance(unit, str) else TABLE_KEY


class _Merger:
    """Walks the places of a comparison and makes each outcome in the editor's document."""

    def __init__(self, reviser: Reviser, styles: dict[str, str | None]) -> None:
        self.reviser = reviser
        self.styles = styles
        self.both = 0
        self._last_inserted: dict[int, etree._Element] = {}  # anchor's id -> what was inserted after it last

    def sequence(
        self, base: Sequence[Recorded], mine: list[Located], theirs: list[Located], container: etree._Element,
        *, in_cell: bool,
    ) -> None:  # fmt: skip
        """Merge a sequence of paragraphs and tables (a body, or a cell's lines) into `container`."""
        steps = compare(base, [m.unit for m in mine], [t.unit for t in theirs], unit_key)
        for step in steps:
            self._place(step, base, mine, theirs, container, in_cell)

    def _place(
        self, step: Step, base: Sequence[Recorded], mine: list[Located], theirs: list[Located],
        container: etree._Element, in_cell: bool,
    ) -> None:  # fmt: skip
        """Make one outcome."""
        ours = mine[step.mine].element if step.mine is not None else None
        new = theirs[step.theirs] if step.theirs is not None else None
        old = base[step.base] if step.base is not None else None
        match step.kind:
            case Kind.GENERATOR_ADDED:
                assert new is not None
                self._insert(ours, container, new.element)
            case Kind.GENERATOR_DELETED:
                assert ours is not None
                self._delete(ours)
            case Kind.GENERATED | Kind.BOTH if isinstance(old, tuple):
                assert ours is not None and new is not None
                self._table(old, ours, new.element)
            case Kind.GENERATED:
                assert ours is not None and new is not None and isinstance(old, str)
                self.reviser.edit_paragraph(ours, edits(old, new.unit))  # type: ignore[arg-type]
            case Kind.BOTH:
                assert ours is not None and isinstance(old, str)
                self._both(ours, container, old, new, in_cell)

    def _insert(
        self, anchor: etree._Element | None, container: etree._Element, item: etree._Element
    ) -> etree._Element:
        """Insert a copy of a generated item after `anchor`, after what was inserted there before."""
        key = id(anchor) if anchor is not None else id(container)
        after = self._last_inserted.get(key, anchor)
        inserted = self.reviser.insert_copy(after, container, item, self.styles)
        self._last_inserted[key] = inserted
        return inserted

    def _delete(self, item: etree._Element) -> None:
        """Delete a paragraph, or every row of a table, as a tracked change."""
        if wordxml.is_table(item):
            for row in wordxml.table_rows(item):
                self.reviser.delete_row(row)
        else:
            self.reviser.delete_paragraph(item)

    def _both(
        self, ours: etree._Element, container: etree._Element, old: str, new: Located | None, in_cell: bool
    ) -> None:
        """Keep the editor's paragraph; follow it with the generator's as a tracked insertion and a comment."""
        self.both += 1
        if new is None:
            self._comment(ours, GENERATOR_DROPPED)
            return
        inserted = self._insert(ours, container, new.element)
        lead = BOTH_CHANGED_CELL if in_cell else BOTH_CHANGED
        self._comment(inserted, lead + (describe(old, new.unit) or "只改了格式"))  # type: ignore[arg-type]

    def _comment(self, element: etree._Element, text: str) -> None:
        """Comment on all the runs of a paragraph (nothing when it has none to hang the comment on)."""
        runs = wordxml.runs_of(element)
        if runs:
            self.reviser.comment(runs[0], runs[-1], text)

    def _table(self, base: tuple[tuple[str, ...], ...], ours: etree._Element, new: etree._Element) -> None:
        """Merge a table row by row: rows added or removed as tracked rows, changed rows cell by cell."""
        mine_rows, theirs_rows = wordxml.table_rows(ours), wordxml.table_rows(new)
        mine = [Located(tr, wordxml.row_texts(tr)) for tr in mine_rows]
        theirs = [Located(tr, wordxml.row_texts(tr)) for tr in theirs_rows]
        for step in compare(base, [m.unit for m in mine], [t.unit for t in theirs]):
            self._row(step, base, mine, theirs, ours)

    def _row(
        self, step: Step, base: Sequence[tuple[str, ...]], mine: list[Located], theirs: list[Located],
        table: etree._Element,
    ) -> None:  # fmt: skip
        """Make one outcome of a table row."""
        ours = mine[step.mine].element if step.mine is not None else None
        if step.kind == Kind.GENERATOR_ADDED:
            self._insert(ours, table, theirs[step.theirs].element)  # type: ignore[index]
        elif step.kind == Kind.GENERATOR_DELETED:
            self.reviser.delete_row(ours)  # type: ignore[arg-type]
        elif step.kind in (Kind.GENERATED, Kind.BOTH) and step.theirs is not None:
            self._cells(base[step.base], ours, theirs[step.theirs].element)  # type: ignore[index]
        elif step.kind == Kind.BOTH:
            self.both += 1
            self._comment(ours, GENERATOR_DROPPED)  # type: ignore[arg-type]

    def _cells(self, base: tuple[str, ...], ours: etree._Element, new: etree._Element) -> None:
        """Merge a row's cells column by column, each as a sequence of lines."""
        mine_cells, theirs_cells = wordxml.row_cells(ours), wordxml.row_cells(new)
        if not len(base) == len(mine_cells) == len(theirs_cells):
            self.both += 1
            self._comment(ours, ROW_RESHAPED + describe("｜".join(base), "｜".join(wordxml.row_texts(new))))
            return
        for text, mine_cell, theirs_cell in zip(base, mine_cells, theirs_cells, strict=True):
            lines = [Located(p, wordxml.paragraph_text(p)) for p in wordxml.cell_paragraphs(mine_cell)]
            generated = [Located(p, wordxml.paragraph_text(p)) for p in wordxml.cell_paragraphs(theirs_cell)]
            self.sequence(text.split("\n"), lines, generated, mine_cell, in_cell=True)  # type: ignore[arg-type]
