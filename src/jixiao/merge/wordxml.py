"""Raw WordprocessingML of the merge: reading texts back, tracked changes, comments, the base record.

The only module of the merge that knows element names. It reads paragraphs as an editor
sees them with all tracked changes accepted, and patches the editor's document in place
(lxml elements held by python-docx): w:ins and w:del by author 「jixiao」, a comment where
both sides changed, and the base record (a custom XML part, see `render.oxml.base_record`).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from lxml import etree

from jixiao.merge.threeway import Edit
from jixiao.render.oxml import BASE_RECORD_NS, BASE_RECORD_PART

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.opc.part import Part

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
AUTHOR = "jixiao"
_NS = {"w": W}
_CUSTOM_XML_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
# Children of a paragraph and of a run that a word-by-word change can be cut around safely.
_PLAIN_IN_PARAGRAPH = {"pPr", "r", "bookmarkStart", "bookmarkEnd", "proofErr", "permStart", "permEnd"}
_PLAIN_IN_RUN = {"rPr", "t", "tab", "lastRenderedPageBreak"}
# The visible text of a paragraph with tracked changes accepted: runs not deleted, not in a text box.
_TEXT_XPATH = etree.XPath(
    ".//w:r[not(ancestor::w:del) and not(ancestor::w:moveFrom) and not(ancestor::w:txbxContent)]"
    "/*[self::w:t or self::w:tab]",
    namespaces=_NS,
)

Recorded = str | tuple[tuple[str, ...], ...]


def w(name: str) -> str:
    """Return the Clark name of a WordprocessingML element or attribute."""
    return f"{{{W}}}{name}"


def _local(element: etree._Element) -> str:
    """Return an element's name without its namespace ('' for comments and processing instructions)."""
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


# --- Reading ------------------------------------------------------------------------------------


def paragraph_text(p: etree._Element) -> str:
    """Return a paragraph's text as it reads with every tracked change accepted; a tab is '\\t'."""
    return "".join("\t" if _local(node) == "tab" else (node.text or "") for node in _TEXT_XPATH(p))


def body_items(container: etree._Element) -> list[etree._Element]:
    """Return the paragraphs with text and the tables of a body, in order (empty paragraphs carry nothing)."""
    items = []
    for child in container:
        name = _local(child)
        if name == "tbl" or (name == "p" and paragraph_text(child)):
            items.append(child)
        elif name == "sdt":  # A content control around paragraphs: its content counts as the body's.
            items.extend(
                body_items(child.find(w("sdtContent")) if child.find(w("sdtContent")) is not None else child)
            )
    return items


def is_table(item: etree._Element) -> bool:
    """Tell whether a body item is a table."""
    return _local(item) == "tbl"


def table_rows(tbl: etree._Element) -> list[etree._Element]:
    """Return a table's rows, leaving out rows deleted as a tracked change."""
    return [tr for tr in tbl.iterfind(w("tr")) if tr.find(f"{w('trPr')}/{w('del')}") is None]


def row_cells(tr: etree._Element) -> list[etree._Element]:
    """Return a row's cells."""
    return list(tr.iterfind(w("tc")))


def cell_paragraphs(tc: etree._Element) -> list[etree._Element]:
    """Return a cell's paragraphs, empty ones included (a cell's text is its lines joined), but not
    paragraphs deleted as a tracked change, which join the next one when the change is accepted."""
    return [p for p in tc.iterfind(w("p")) if not (_mark_deleted(p) and not paragraph_text(p))]


def _mark_deleted(p: etree._Element) -> bool:
    """Tell whether a paragraph's mark is deleted as a tracked change."""
    return p.find(f"{w('pPr')}/{w('rPr')}/{w('del')}") is not None


def cell_text(tc: etree._Element) -> str:
    """Return a cell's text, one line per paragraph."""
    return "\n".join(paragraph_text(p) for p in cell_paragraphs(tc))


def row_texts(tr: etree._Element) -> tuple[str, ...]:
    """Return a row's cell texts."""
    return tuple(cell_text(tc) for tc in row_cells(tr))


def unit(item: etree._Element) -> Recorded:
    """Return what the base record would hold for a body item: a paragraph's text or a table's rows."""
    if is_table(item):
        return tuple(row_texts(tr) for tr in table_rows(item))
    return paragraph_text(item)


def style_names(styles: etree._Element) -> dict[str, str]:
    """Return style id -> style name of a styles part."""
    names = {}
    for style in styles.iterfind(w("style")):
        name = style.find(w("name"))
        if name is not None:
            names[style.get(w("styleId"), "")] = name.get(w("val"), "")
    return names


def record_part(document: WordDocument) -> Part | None:
    """Return the part holding jixiao's base record in a document opened with python-docx, if any."""
    for rel in document.part.rels.values():
        if rel.reltype == _CUSTOM_XML_REL and not rel.is_external and _is_record(rel.target_part.blob):
            return rel.target_part
    return None


def _is_record(blob: bytes) -> bool:
    """Tell whether a custom XML part is jixiao's base record."""
    try:
        return etree.QName(_parse(blob)).namespace == BASE_RECORD_NS
    except etree.XMLSyntaxError:
        return False


def _parse(blob: bytes) -> etree._Element:
    """Parse XML read from a document, without entities or network."""
    return etree.fromstring(blob, etree.XMLParser(resolve_entities=False, no_network=True))


def parse_record(blob: bytes) -> list[Recorded]:
    """Return the units of a base record part."""
    units: list[Recorded] = []
    for element in _parse(blob):
        if _local(element) == "p":
            units.append(element.text or "")
        elif _local(element) == "tbl":
            units.append(tuple(tuple(tc.text or "" for tc in tr) for tr in element))
    return units


def replace_record(document: WordDocument, blob: bytes) -> None:
    """Store `blob` as the document's base record, replacing the old one or adding a part when lost."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    part = record_part(document)
    if part is not None:
        part._blob = blob  # A plain Part: python-docx writes back whatever its blob is.
        return
    partname = PackURI(f"/{BASE_RECORD_PART}")
    if partname in {p.partname for p in document.part.package.iter_parts()}:
        partname = document.part.package.next_partname("/customXml/item%d.xml")
    document.part.relate_to(Part(partname, "application/xml", blob, document.part.package), _CUSTOM_XML_REL)


# --- Tracked changes ----------------------------------------------------------------------------


class Reviser:
    """Makes tracked changes and comments in one document, all by 「jixiao」 at one time.

    Revision ids continue after the largest id already in the document, so the editor's own
    revisions, comments and bookmarks keep theirs.
    """

    def __init__(self, document: WordDocument, when: str) -> None:
        self.document = document
        self.when = when
        self._marks: list[etree._Element] = []
        self.changes = 0  # tracked changes made (a replaced word counts once)

    def _mark(self, name: str) -> etree._Element:
        """Return a new w:ins or w:del element by 「jixiao」, numbered by `finish`."""
        element = etree.Element(w(name), {w("id"): "0", w("author"): AUTHOR, w("date"): self.when})
        self._marks.append(element)
        return element

    def finish(self) -> None:
        """Number the new revisions after every id the document already uses (comments included)."""
        mine = set(self._marks)
        taken = [
            int(value)
            for part in (self.document.element, *self._comment_roots())
            for element in part.iter()
            if element not in mine and str(value := element.get(w("id"), "")).isdigit()
        ]
        for number, mark in enumerate(self._marks, start=max(taken, default=0) + 1):
            mark.set(w("id"), str(number))

    def _comment_roots(self) -> list[etree._Element]:
        """Return the comments part's root when the document has one."""
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        rels = [r for r in self.document.part.rels.values() if r.reltype == RT.COMMENTS]
        return [rels[0].target_part.element] if rels else []

    def edit_paragraph(self, p: etree._Element, changes: Sequence[Edit]) -> None:
        """Apply word-level changes to a paragraph whose text the editor left as jixiao wrote it."""
        if not is_plain(p):
            self.replace_paragraph(p, _apply(paragraph_text(p), changes))
            return
        _single_piece_runs(p)
        for change in reversed(changes):  # From the end, so earlier offsets stay true.
            self._edit(p, change)
            self.changes += 1

    def _edit(self, p: etree._Element, change: Edit) -> None:
        """Delete characters [start, end) of a plain paragraph and insert the new text there."""
        after = _cut(p, change.start)
        end = _cut(p, change.end)
        deleted = _runs_between(p, after, end)
        model = deleted[0] if deleted else (after if after is not None else _first_run(p))
        anchor = after
        if deleted:
            wrapper = self._mark("del")
            deleted[0].addprevious(wrapper)
            for run in deleted:
                wrapper.append(_as_deleted(run))
            anchor = wrapper
        if change.new:
            inserted = self._mark("ins")
            inserted.append(_new_run(model, change.new))
            _put_after(p, anchor, inserted)

    def replace_paragraph(self, p: etree._Element, text: str) -> None:
        """Delete a paragraph's runs and insert `text` as one new run, for paragraphs too complex to cut."""
        runs = [child for child in p if _local(child) == "r"]
        model = runs[0] if runs else None
        self._delete_runs(runs)
        if text:
            inserted = self._mark("ins")
            inserted.append(_new_run(model, text))
            p.append(inserted)
        self.changes += 1

    def _delete_runs(self, runs: Iterable[etree._Element]) -> None:
        """Wrap each run in its own w:del."""
        for run in list(runs):
            wrapper = self._mark("del")
            run.addprevious(wrapper)
            wrapper.append(_as_deleted(run))

    def delete_paragraph(self, p: etree._Element, count: bool = True) -> None:
        """Mark a whole paragraph deleted: its runs and its paragraph mark."""
        self._delete_runs(child for child in p if _local(child) == "r")
        _mark_paragraph(p, self._mark("del"))
        self.changes += count

    def insert_copy(
        self,
        anchor: etree._Element | None,
        container: etree._Element,
        item: etree._Element,
        styles: dict[str, str | None],
    ) -> etree._Element:
        """Insert a copy of another document's paragraph or table after `anchor` (None: first in `container`)."""
        new = copy.deepcopy(item)
        for p in new.iter(w("p")):
            self._insert_marks(p, styles)
        for tr in new.iter(w("tr")):
            _row_properties(tr).append(self._mark("ins"))
        _put_after(container, anchor, new)
        self.changes += 1
        return new

    def _insert_marks(self, p: etree._Element, styles: dict[str, str | None]) -> None:
        """Mark a copied paragraph inserted, with the editor's id of its style and no section break."""
        _restyle(p, styles)
        for run in [child for child in p if _local(child) == "r"]:
            wrapper = self._mark("ins")
            run.addprevious(wrapper)
            wrapper.append(run)
        _mark_paragraph(p, self._mark("ins"))

    def delete_row(self, tr: etree._Element) -> None:
        """Mark a table row deleted, with the text of its cells."""
        _row_properties(tr).append(self._mark("del"))
        for p in tr.iter(w("p")):
            self._delete_runs(child for child in p if _local(child) == "r")
        self.changes += 1

    def comment(self, first: etree._Element, last: etree._Element, text: str) -> None:
        """Add a comment by 「jixiao」 over the runs from `first` to `last` (runs of the document)."""
        from docx.text.run import Run

        comment = self.document.add_comment([Run(first, None), Run(last, None)], text, AUTHOR, "jx")
        comment._comment_elm.set(w("date"), self.when)


def is_plain(p: etree._Element) -> bool:
    """Tell whether a paragraph holds only plain runs of text, which can be cut word by word."""
    return all(_local(child) in _PLAIN_IN_PARAGRAPH for child in p) and all(
        _local(part) in _PLAIN_IN_RUN for run in p.iterfind(w("r")) for part in run
    )


def _apply(text: str, changes: Sequence[Edit]) -> str:
    """Return `text` with the changes made."""
    for change in reversed(changes):
        text = text[: change.start] + change.new + text[change.end :]
    return text


def _single_piece_runs(p: etree._Element) -> None:
    """Split runs so that each holds one w:t or one w:tab (same formatting), making offsets easy."""
    for run in list(p.iterfind(w("r"))):
        pieces = [part for part in run if _local(part) in ("t", "tab")]
        for piece in pieces[1:]:
            twin = _empty_twin(run)
            twin.append(piece)
            run.addnext(twin)
            run = twin


def _empty_twin(run: etree._Element) -> etree._Element:
    """Return a new run with the same formatting as `run` and no content."""
    twin = etree.Element(w("r"))
    properties = run.find(w("rPr"))
    if properties is not None:
        twin.append(copy.deepcopy(properties))
    return twin


def _piece(run: etree._Element) -> str:
    """Return the text of a single-piece run."""
    for part in run:
        if _local(part) == "t":
            return part.text or ""
        if _local(part) == "tab":
            return "\t"
    return ""


def _text_runs(p: etree._Element) -> list[etree._Element]:
    """Return a plain paragraph's runs that are not deleted, in order."""
    return [child for child in p if _local(child) == "r"]


def _cut(p: etree._Element, offset: int) -> etree._Element | None:
    """Split the run holding character `offset` so a run ends there; return it (None: at the start)."""
    position, before = 0, None
    for run in _text_runs(p):
        text = _piece(run)
        if position + len(text) > offset:
            if offset > position:
                before = _split(run, offset - position)
            return before
        position += len(text)
        before = run
    return before


def _split(run: etree._Element, at: int) -> etree._Element:
    """Split a one-w:t run after `at` characters; return the first half."""
    t = run.find(w("t"))
    twin = _empty_twin(run)
    tail = etree.SubElement(twin, w("t"))
    tail.text = t.text[at:]
    tail.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = t.text[:at]
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.addnext(twin)
    return run


def _runs_between(
    p: etree._Element, after: etree._Element | None, end: etree._Element | None
) -> list[etree._Element]:
    """Return the runs after `after` up to and including `end`."""
    runs = _text_runs(p)
    start = 0 if after is None else runs.index(after) + 1
    stop = 0 if end is None else runs.index(end) + 1
    return runs[start:stop]


def _first_run(p: etree._Element) -> etree._Element | None:
    """Return the first run of a paragraph, whose formatting new text at its start takes."""
    return p.find(w("r"))


def _as_deleted(run: etree._Element) -> etree._Element:
    """Turn a run's text into deleted text (w:t → w:delText, w:instrText → w:delInstrText)."""
    for part in run:
        if _local(part) == "t":
            part.tag = w("delText")
        elif _local(part) == "instrText":
            part.tag = w("delInstrText")
    return run


def _new_run(model: etree._Element | None, text: str) -> etree._Element:
    """Return a run of `text` formatted like `model`; tabs become w:tab."""
    run = _empty_twin(model) if model is not None else etree.Element(w("r"))
    for index, piece in enumerate(text.split("\t")):
        if index:
            etree.SubElement(run, w("tab"))
        if piece:
            t = etree.SubElement(run, w("t"))
            t.text = piece
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def _put_after(container: etree._Element, anchor: etree._Element | None, new: etree._Element) -> None:
    """Put `new` right after `anchor`, or first in `container` (after its properties) when None."""
    if anchor is not None:
        anchor.addnext(new)
        return
    index = 0
    while index < len(container) and _local(container[index]) in ("pPr", "tcPr", "tblPr", "trPr"):
        index += 1
    container.insert(index, new)


# CT_PPr: the paragraph mark's run properties come after every other property but the section and
# the record of changed properties.
_AFTER_MARK_PROPERTIES = {"sectPr", "pPrChange"}
# CT_RPr of a paragraph mark: ins, del, moveFrom and moveTo come first.
_MARK_REVISIONS = {"ins", "del", "moveFrom", "moveTo"}


def _mark_paragraph(p: etree._Element, mark: etree._Element) -> None:
    """Record the paragraph mark itself as inserted or deleted (w:pPr/w:rPr/w:ins|w:del)."""
    properties = _paragraph_properties(p)
    run_properties = properties.find(w("rPr"))
    if run_properties is None:
        run_properties = etree.Element(w("rPr"))
        later = [c for c in properties if _local(c) in _AFTER_MARK_PROPERTIES]
        (later[0].addprevious if later else properties.append)(run_properties)
    for old in [c for c in run_properties if _local(c) in _MARK_REVISIONS]:
        run_properties.remove(old)
    run_properties.insert(0, mark)


def _paragraph_properties(p: etree._Element) -> etree._Element:
    """Return a paragraph's w:pPr, adding an empty one first when it has none."""
    properties = p.find(w("pPr"))
    if properties is None:
        properties = etree.Element(w("pPr"))
        p.insert(0, properties)
    return properties


def _restyle(p: etree._Element, styles: dict[str, str | None]) -> None:
    """Give a copied paragraph the editor's id for its style (none if the editor has no such style),
    and drop a section break it carried, which would change the editor's page setup."""
    properties = _paragraph_properties(p)
    for section in properties.iterfind(w("sectPr")):
        properties.remove(section)
    style = properties.find(w("pStyle"))
    if style is not None:
        mapped = styles.get(style.get(w("val"), ""))
        if mapped is None:
            properties.remove(style)
        else:
            style.set(w("val"), mapped)


# CT_TrPr: ins and del come after every other row property.
def _row_properties(tr: etree._Element) -> etree._Element:
    """Return a row's w:trPr, adding one (after w:tblPrEx, if any) when it has none."""
    properties = tr.find(w("trPr"))
    if properties is None:
        properties = etree.Element(w("trPr"))
        exceptions = tr.find(w("tblPrEx"))
        tr.insert(0 if exceptions is None else 1, properties)
    return properties


def runs_of(element: etree._Element) -> list[etree._Element]:
    """Return every run inside an element, in order (for anchoring a comment)."""
    return list(element.iter(w("r")))


class Located(NamedTuple):
    """A body item of one document and the record unit it reads as."""

    element: etree._Element
    unit: Recorded


def located(container: etree._Element) -> list[Located]:
    """Return the body items of a container with their units."""
    return [Located(item, unit(item)) for item in body_items(container)]

