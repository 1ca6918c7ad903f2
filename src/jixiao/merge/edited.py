"""The editor's document: open it, find the base jixiao recorded in it, write the merged version back.

The merge patches the editor's own package (python-docx keeps every part it does not know),
so styles, comments, headers and page setup stay as the editor left them.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from jixiao.errors import EditedDocumentError, Problem
from jixiao.merge import wordxml
from jixiao.merge.wordxml import Recorded
from jixiao.output import write_atomically

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

# Bounds on what is read: a report is well under a megabyte; a zip may claim any size unpacked.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
BACKUP_SUFFIX = ".bak.docx"
RECORD_LOST = (
    "文档中没有找到 jixiao 上次生成时记下的内容（可能被另存为 .doc 或经某些软件另存时删去了），"
    "无法分辨哪些是编辑改的、哪些是生成改的"
)


def open_edited(path: Path) -> WordDocument:
    """Open an edited .docx with python-docx, or raise EditedDocumentError saying in Chinese why not."""
    import docx

    data = _read_bounded(path)
    try:
        return docx.Document(io.BytesIO(data))
    except Exception:  # Not a zip, a missing main part, broken XML: python-docx raises many kinds.
        raise _error(
            path, "不是能读取的 Word 文档（.docx）；如果是 .doc 或 WPS 格式，请先另存为 .docx"
        ) from None


def _read_bounded(path: Path) -> bytes:
    """Read a regular file no larger than the bounds, unpacked too; raise EditedDocumentError otherwise."""
    from jixiao.inputfile import Unreadable, read_limited

    try:
        data = read_limited(path, MAX_FILE_BYTES)
    except Unreadable as exc:
        raise _error(path, str(exc)) from None
    try:
        unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except zipfile.BadZipFile:
        raise _error(
            path, "不是能读取的 Word 文档（.docx）；如果是 .doc 或 WPS 格式，请先另存为 .docx"
        ) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise _error(path, "解压后超过 256 MB，不像是一份报告，未读取")
    return data


def _error(path: Path, message: str) -> EditedDocumentError:
    """Return an error about the edited document."""
    return EditedDocumentError([Problem(str(path), None, None, None, message)])


def recorded_base(document: WordDocument) -> list[Recorded] | None:
    """Return the base jixiao recorded in the document, or None when it was lost."""
    part = wordxml.record_part(document)
    return None if part is None else wordxml.parse_record(part.blob)


def require_base(document: WordDocument, path: Path, facts: Path) -> list[Recorded]:
    """Return the recorded base, or refuse the merge in Chinese when it was lost."""
    base = recorded_base(document)
    if base is None:
        advice = f"未合并，原文件未改动。可运行「jixiao diff {path} {facts}」逐段查看它与重新生成内容的差异（两方比较）"
        raise _error(path, f"{RECORD_LOST}，{advice}")
    return base


def backup_path(path: Path) -> Path:
    """Return NAME.bak.docx beside NAME.docx."""
    return path.with_name(path.stem + BACKUP_SUFFIX)


def write_merged(path: Path, document: WordDocument, backup: bool) -> Path | None:
    """Keep the previous file as NAME.bak.docx (unless not asked), then write the merged one atomically."""
    kept = None
    if backup:
        kept = backup_path(path)
        write_atomically(kept, path.read_bytes())
    buffer = io.BytesIO()
    document.save(buffer)
    write_atomically(path, buffer.getvalue())
    return kept


class Merged(NamedTuple):
    """A merge written: where, where the previous file was kept, and the counts the terminal reports."""

    path: Path
    backup: Path | None
    changes: int
    both: int


def merge_generated(path: Path, generated: bytes, facts: Path, backup: bool = True) -> Merged:
    """Merge a freshly generated report into the edited document at `path`, and write it back."""
    import docx

    from jixiao.merge.tracked import merge_documents

    mine = open_edited(path)
    base = require_base(mine, path, facts)
    theirs = docx.Document(io.BytesIO(generated))
    counts = merge_documents(mine, base, theirs, revision_time())
    record = wordxml.record_part(theirs)
    assert record is not None  # Every document jixiao generates carries its record.
    wordxml.replace_record(mine, record.blob)  # The next merge's base is what was generated now.
    kept = write_merged(path, mine, backup)
    return Merged(path, kept, counts.changes, counts.both)


def revision_time() -> str:
    """Return now, as Word dates tracked changes (UTC, to the second)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
