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
            if name.endswith((".xml", ".rels")):
                errors.extend(part_errors(name, package.read(name)))
    return errors


def part_errors(name: str, data: bytes) -> list[str]:
    """Validate one part; our writer uses no mc:Ignorable markup, so nothing is dropped first."""
    checker = schema()
    if checker.validate(etree.fromstring(data)):
        return []
    return [f"{name}:{error.line}: {error.message}" for error in checker.error_log]

