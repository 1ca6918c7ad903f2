"""Validate every XML part of a .docx package against the ECMA-376 schemas in ../shared/ooxml-xsd/."""

from __future__ import annotations

import zipfile
from functools import cache
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).resolve().parents[2] / "shared" / "ooxml-xsd"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


@cache
def schema() -> etree.XMLSchema:
    """Load the entry schema once (it imports every namespace a .docx uses)."""
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "ooxml-docx.xsd")))


def package_errors(path: Path) -> list[str]:
    """Return the schema errors of each XML part ('part: message'); custom XML items hold anyone's XML."""
    errors = []
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if not name.endswith((".xml", ".rels")) or _is_custom_item(name):
                continue
            root = _standard_only(etree.fromstring(package.read(name)))
            if not schema().validate(root):
                errors += [f"{name}: {error.message}" for error in schema().error_log]
    return errors


def _is_custom_item(name: str) -> bool:
    """Tell whether a part is a custom XML data-store item (its content is not OOXML)."""
    return name.startswith("customXml/item") and "Props" not in name


def _standard_only(root: etree._Element) -> etree._Element:
    """Drop what a reader knowing only the standard drops (ISO/IEC 29500-3): mc:Ignorable markup, and of
    each mc:AlternateContent everything but its Fallback."""
    for choice in list(root.iter(f"{{{_MC}}}AlternateContent")):
        fallback = choice.find(f"{{{_MC}}}Fallback")
        for child in list(fallback if fallback is not None else ()):
            choice.addprevious(child)
        choice.getparent().remove(choice)
    ignorable = {root.nsmap.get(prefix) for prefix in (root.get(f"{{{_MC}}}Ignorable") or "").split()}
    if ignorable:
        for element in list(root.iter()):
            if isinstance(element.tag, str) and etree.QName(element).namespace in ignorable:
                element.getparent().remove(element)
        for element in root.iter():
            for attribute in [a for a in element.attrib if etree.QName(a).namespace in ignorable]:
                del element.attrib[attribute]
        root.attrib.pop(f"{{{_MC}}}Ignorable")
    return root
