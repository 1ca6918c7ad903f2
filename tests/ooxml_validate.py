"""Validate the XML parts of a .docx against the ECMA-376 transitional schemas in ../shared/ooxml-xsd/.

The schemas are not part of the repository (see that folder's README): in CI their absence
fails the test, elsewhere it skips it.
"""

from __future__ import annotations

import io
import os
import zipfile
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

# Where the schemas are looked for, in order: the variable, the shared folder beside this checkout,
# and the workplace's shared folder (a CI clone may live anywhere on the machine).
_CANDIDATES = [
    *([Path(os.environ["JIXIAO_OOXML_XSD"])] if os.environ.get("JIXIAO_OOXML_XSD") else []),
    Path(__file__).resolve().parents[2] / "shared" / "ooxml-xsd",
    Path("/work/shared/ooxml-xsd"),
]
SCHEMA_DIR = next((folder for folder in _CANDIDATES if (folder / "ooxml-docx.xsd").is_file()), _CANDIDATES[0])
ENTRY = SCHEMA_DIR / "ooxml-docx.xsd"


@cache
def schema() -> etree.XMLSchema:
    """Load the entry schema once, or fail (CI) / skip (elsewhere) when it is missing."""
    if not ENTRY.is_file():
        message = f"找不到 OOXML 架构文件 {ENTRY}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return etree.XMLSchema(etree.parse(str(ENTRY)))


def invalid_parts(docx: bytes) -> list[str]:
    """Return one line per schema error in the package's XML parts, naming the part and line."""
    errors = []
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        for name in package.namelist():
            if name.endswith((".xml", ".rels")) and not _is_custom_item(name):
                errors.extend(part_errors(name, package.read(name)))
    return errors


def _is_custom_item(name: str) -> bool:
    """Tell whether a part is a custom XML data-store item, whose content is anyone's XML (jixiao's record)."""
    return name.startswith("customXml/item") and "Props" not in name


def part_errors(name: str, data: bytes) -> list[str]:
    """Validate one part as a reader knowing only the standard sees it (see `standard_only`)."""
    checker = schema()
    if checker.validate(standard_only(etree.fromstring(data))):
        return []
    return [f"{name}:{error.line}: {error.message}" for error in checker.error_log]


_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def standard_only(root: etree._Element) -> etree._Element:
    """Drop what ISO/IEC 29500-3 lets a reader drop: markup in the namespaces a part declares
    mc:Ignorable, and of each mc:AlternateContent all but its Fallback (Word, LibreOffice and
    python-docx write both into the documents an editor saves)."""
    for choice in list(root.iter(f"{{{_MC}}}AlternateContent")):
        fallback = choice.find(f"{{{_MC}}}Fallback")
        for child in list(fallback if fallback is not None else ()):
            choice.addprevious(child)
        choice.getparent().remove(choice)
    ignorable = {root.nsmap.get(prefix) for prefix in (root.get(f"{{{_MC}}}Ignorable") or "").split()}
    if ignorable:
        for element in [e for e in root.iter() if isinstance(e.tag, str)]:
            if etree.QName(element).namespace in ignorable:
                element.getparent().remove(element)
            for attribute in [a for a in element.attrib if etree.QName(a).namespace in ignorable]:
                del element.attrib[attribute]
        del root.attrib[f"{{{_MC}}}Ignorable"]
    return root

