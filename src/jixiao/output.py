"""Write reports without ever losing an editor's work.

A generated .docx carries a fingerprint of its own content in a custom document
property. Replacing a file is allowed only when its content still matches its
fingerprint (nobody has edited it since jixiao wrote it), or with --force.
Every write goes to a temporary file in the same folder and is renamed into
place, so a crash or Ctrl-C mid-write leaves the old file whole.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

from jixiao.errors import OutputError, Problem
from jixiao.wording import report_title

FINGERPRINT_PROPERTY = "jixiao.fingerprint"
GENERATOR_PROPERTY = "jixiao.generator"
DEFAULT_OUTPUT_DIR = Path("out")

# Characters Windows forbids in file names, path separators and control characters.
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$", re.IGNORECASE)
_MAX_NAME_BYTES = 240  # Most file systems allow 255 bytes; leave room for a temporary suffix.


def safe_filename(name: str) -> str:
    """Make a file name from free text: no separators, no '..', nothing Windows forbids."""
    cleaned = _UNSAFE.sub("_", name).strip(" .")
    cleaned = re.sub(r"\.{2,}", ".", cleaned)
    if not cleaned or _WINDOWS_RESERVED.match(cleaned):
        cleaned = f"_{cleaned}"
    return _truncate_utf8(cleaned, _MAX_NAME_BYTES)


def _truncate_utf8(text: str, limit: int) -> str:
    """Shorten text to at most `limit` UTF-8 bytes without cutting a character, keeping the suffix."""
    stem, dot, suffix = text.rpartition(".") if "." in text else (text, "", "")
    tail = dot + suffix
    budget = limit - len(tail.encode())
    encoded = stem.encode()
    if len(encoded) <= budget:
        return text
    return encoded[:budget].decode(errors="ignore") + tail


def default_output_path(full_name: str, year: int, directory: Path = DEFAULT_OUTPUT_DIR) -> Path:
    """Return out/<单位全称><年度>年度部门整体支出绩效评价报告.docx, made safe and kept inside `directory`."""
    name = safe_filename(f"{report_title(full_name, year)}.docx")
    path = directory / name
    if path.resolve().parent != directory.resolve():  # Defence in depth: safe_filename already ensures it.
        raise OutputError([Problem(str(path), None, None, None, "输出文件名不安全，已拒绝写入")])
    return path


def fingerprint(parts: Iterable[tuple[str, bytes]]) -> str:
    """Hash a document's parts, leaving out docProps/ (where the fingerprint itself lives)."""
    digest = hashlib.sha256()
    for name, data in sorted(parts):
        if not name.startswith("docProps/"):
            digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def zip_fingerprint(path: Path) -> str:
    """Hash the parts of an existing .docx the way `fingerprint` hashes generated ones."""
    with zipfile.ZipFile(path) as archive:
        return fingerprint((name, archive.read(name)) for name in archive.namelist())


def check_replaceable(path: Path, force: bool) -> None:
    """Refuse to replace a file someone edited, or one jixiao did not write, unless forced."""
    if force or not path.exists():
        return
    stored = _stored_fingerprint(path)
    if stored is None:
        raise OutputError([_refusal(path, "这个文件不是本程序生成的（或已无法识别），为防止覆盖他人的文件，未写入")])
    if stored != _current_fingerprint(path):
        raise OutputError([_refusal(path, "这个文件在生成后被编辑过，为保护编辑内容，未覆盖它")])


def _stored_fingerprint(path: Path) -> str | None:
    """Read the fingerprint jixiao stored in a .docx; None if absent or not a .docx at all."""
    from jixiao.render.docx_writer import read_custom_properties

    try:
        return read_custom_properties(path).get(FINGERPRINT_PROPERTY)
    except Exception:  # Not a zip, a damaged part, a folder, unreadable XML: not recognisably ours.
        return None


def _current_fingerprint(path: Path) -> str | None:
    """Hash an existing .docx's parts now; None when they cannot all be read (treated as edited)."""
    try:
        return zip_fingerprint(path)
    except Exception:  # A damaged zip cannot be shown to be unchanged, so it is kept.
        return None


def _refusal(path: Path, reason: str) -> Problem:
    """Explain why a file was not replaced and how to proceed."""
    advice = "如确实要重新生成并丢弃原文件，请加 --force；或用 -o 指定另一个输出文件"
    return Problem(str(path), None, None, None, f"{reason}。{advice}。")


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and an atomic rename.

    A failure leaves whatever was at `path` before untouched and no temporary file behind;
    it is reported as an OutputError in Chinese (KeyboardInterrupt is re-raised as it is).
    """
    try:
        replace_file(path, data)
    except OSError as exc:
        detail = exc.strerror or str(exc)
        message = f"无法写入（{detail}）：文件可能正在 Word 或 WPS 中打开，或没有写入权限；原有文件未改动"
        raise OutputError([Problem(str(path), None, None, None, message)]) from None


def replace_file(path: Path, data: bytes) -> None:
    """Put `data` at `path` all at once: temporary file, flush to disk, rename; raise OSError on failure."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".~jixiao-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())  # The rename must not reach the disk before the bytes do.
        os.replace(temporary, path)
    except BaseException:  # Including Ctrl-C: never leave a half-written temporary file behind.
        Path(temporary).unlink(missing_ok=True)
        raise
