"""The package-level side of updating a workbook openpyxl saves (the one XML module of workbook updates).

openpyxl keeps a formula but drops its saved result, and jixiao reads a formula's saved result
(it never evaluates one). After `jixiao import` updates a workbook in place, the formulas an
officer typed into fact cells get their results back here, as <v> elements of their cells,
so the workbook reads as it did before and Excel, WPS and LibreOffice show the same numbers.
`lost_content` names what openpyxl did not carry over (pictures, shapes, pivot tables …),
by the content types of the parts before and after.
"""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from typing import Any

from lxml import etree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PACKAGE = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
# Parts whose loss changes nothing a person made: recalculated, rewritten or printer-specific.
_REBUILT = ("calcChain", "sharedStrings", "printerSettings", "core-properties", "extended-properties", "custom-properties", "theme")
# What a person calls the content of a part, by a piece of its content type.
_NAMES = (
    ("image/", "图片"),
    ("chart", "图表"),
    ("drawing+xml", "图形或图片"),
    ("vmlDrawing", "控件或图形"),
    ("pivot", "数据透视表"),
    ("ctrlProp", "表单控件"),
    ("slicer", "切片器"),
    ("externalLink", "外部链接"),
    ("connections", "数据连接"),
    ("queryTable", "查询"),
)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)

Results = dict[str, dict[str, Any]]  # sheet title → cell coordinate → the formula's result


def with_results(content: bytes, results: Results) -> bytes:
    """Return the workbook `content` with each formula cell named in `results` holding its result."""
    if not results:
        return content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        parts = _sheet_parts(archive)
        patched = {parts[title]: _patched(archive.read(parts[title]), cells) for title, cells in results.items() if title in parts}
        return _repacked(archive, patched)


def result_text(value: Any) -> str | None:
    """Return how a cell stores a formula's result: a number's digits or the text; None for what it cannot hold (a date)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        return None
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Return each sheet's part name by its title, through the workbook's relationships."""
    book = etree.fromstring(archive.read("xl/workbook.xml"), _PARSER)
    relationships = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"), _PARSER)
    targets = {item.get("Id"): item.get("Target", "") for item in relationships.iter(_PACKAGE)}
    sheets = {sheet.get("name"): targets.get(sheet.get(_RELATIONSHIP), "") for sheet in book.iter(f"{_MAIN}sheet")}
    return {title: target.lstrip("/") if target.startswith("/") else f"xl/{target}" for title, target in sheets.items()}


def _patched(xml: bytes, cells: dict[str, Any]) -> bytes:
    """Return a sheet part with the results of its named formula cells saved in them."""
    root = etree.fromstring(xml, _PARSER)
    for cell in root.iter(f"{_MAIN}c"):
        value = cells.get(cell.get("r"))
        if value is None or cell.find(f"{_MAIN}f") is None:
            continue
        for old in cell.findall(f"{_MAIN}v"):
            cell.remove(old)
        etree.SubElement(cell, f"{_MAIN}v").text = result_text(value)
        if isinstance(value, str):
            cell.set("t", "str")
        else:
            cell.attrib.pop("t", None)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _repacked(archive: zipfile.ZipFile, patched: dict[str, bytes]) -> bytes:
    """Return the package again, with the patched parts in place of the old ones."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in archive.infolist():
            target.writestr(info, patched.get(info.filename, archive.read(info.filename)))
    return buffer.getvalue()


def lost_content(before: bytes, after: bytes) -> list[str]:
    """Name the kinds of content the package `before` has and `after` lacks (what a person made, not what is rebuilt)."""
    lost = sorted(_part_types(before) - _part_types(after))
    names = [next((name for piece, name in _NAMES if piece in kind), kind) for kind in lost if not any(piece in kind for piece in _REBUILT)]
    return list(dict.fromkeys(names))


def _part_types(content: bytes) -> set[str]:
    """Return the content types of the parts a package holds (by override, else by extension)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        root = etree.fromstring(archive.read("[Content_Types].xml"), _PARSER)
        names = archive.namelist()
    overrides = {item.get("PartName", "").lstrip("/"): item.get("ContentType", "") for item in root.iter(f"{_TYPES}Override")}
    defaults = {item.get("Extension", "").lower(): item.get("ContentType", "") for item in root.iter(f"{_TYPES}Default")}
    return {overrides.get(name) or defaults.get(name.rsplit(".", 1)[-1].lower(), "") for name in names} - {""}
