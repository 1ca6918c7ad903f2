"""Write reports without ever losing an editor's work.

A generated .docx carries a fingerprint of its own content in a custom document
property. Replacing a file is allowed only when its content still matches its
fingerprint (nobody has edited it since jixiao wrote it), or with --force.
Every write goes to a temporary file in the same folder and is renamed into
place, so a crash or Ctrl-C mid-write leaves the old file whole. The temporary file
is removed on Ctrl-C and on SIGTERM; one left by a process killed outright (kill -9,
power loss) is swept by the next write to that folder once it is STALE_TEMPORARY old.
Only regular files are ever replaced (never /dev/null, a FIFO or a folder), and a
new report gets the mode the umask gives, a replaced one keeps its mode and group.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import stat
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from jixiao.errors import OutputError, Problem
from jixiao.wording import report_title

FINGERPRINT_PROPERTY = "jixiao.fingerprint"
GENERATOR_PROPERTY = "jixiao.generator"
DEFAULT_OUTPUT_DIR = Path("out")

# Characters Windows forbids in file names, path separators and control characters. These two
# patterns are compiled on first use (re caches them): a render given -o never names a file.
_UNSAFE = r'[<>:"/\\|?*\x00-\x1f\x7f]'
_WINDOWS_RESERVED = r"(?i)^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$"
_MAX_NAME_BYTES = 240  # Most file systems allow 255 bytes; leave room for a temporary suffix.
_NAME_HASH = 8  # hex digits of the full name's hash kept in a shortened name, so two stay apart
_TEMPORARY_PREFIX, _TEMPORARY_SUFFIX = ".~jixiao-", ".tmp"
_TEMPORARY = re.compile(r"\.~jixiao-[A-Za-z0-9_]+\.tmp")
STALE_TEMPORARY = 15 * 60  # seconds: no write of ours takes this long, so an older temporary is left over


def safe_filename(name: str) -> str:
    """Make a file name from free text: no separators, no '..', nothing Windows forbids."""
    cleaned = re.sub(_UNSAFE, "_", name).strip(" .")
    cleaned = re.sub(r"\.{2,}", ".", cleaned)
    if not cleaned or re.match(_WINDOWS_RESERVED, cleaned):
        cleaned = f"_{cleaned}"
    return _truncate_utf8(cleaned, _MAX_NAME_BYTES)


def _truncate_utf8(text: str, limit: int) -> str:
    """Shorten text to at most `limit` UTF-8 bytes without cutting a character, keeping the suffix.

    A shortened name ends with a hash of the whole text (「…-1a2b3c4d.docx」): two long names that
    agree on their first 200-odd bytes still give two files.
    """
    stem, dot, suffix = text.rpartition(".") if "." in text else (text, "", "")
    tail = dot + suffix
    encoded = stem.encode()
    if len(encoded) <= limit - len(tail.encode()):
        return text
    mark = "-" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:_NAME_HASH]
    budget = limit - len(tail.encode()) - len(mark)
    return encoded[:budget].decode(errors="ignore") + mark + tail


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
    """Refuse to replace anything but a regular file, and a file someone edited or jixiao did not write unless forced."""
    check_regular_target(path)
    if force or not path.exists():
        return
    stored = _stored_fingerprint(path)
    if stored is None:
        raise OutputError([_refusal(path, "这个文件不是本程序生成的（或已无法识别），为防止覆盖他人的文件，未写入")])
    if stored != _current_fingerprint(path):
        raise OutputError([_refusal(path, "这个文件在生成后被编辑过，为保护编辑内容，未覆盖它")])


def check_regular_target(path: Path) -> None:
    """Refuse a target that exists and is not a regular file: a device, a FIFO, a socket or a folder."""
    try:
        mode = path.stat().st_mode
    except OSError:  # Nothing there yet (or unreachable: the write itself will say so).
        return
    if not stat.S_ISREG(mode):
        kind = "文件夹" if stat.S_ISDIR(mode) else "设备、管道或套接字"
        raise OutputError([Problem(str(path), None, None, None, f"目标不是普通文件（而是{kind}），不写入，也不替换它")])


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
    check_regular_target(path)
    try:
        replace_file(path, data)
    except OSError as exc:
        detail = exc.strerror or str(exc)
        message = f"无法写入（{detail}）：文件可能正在 Word 或 WPS 中打开，或没有写入权限；原有文件未改动"
        raise OutputError([Problem(str(path), None, None, None, message)]) from None


def replace_file(path: Path, data: bytes, mode: int | None = None) -> None:
    """Put `data` at `path` all at once: temporary file, flush to disk, rename; raise OSError on failure.

    The file gets `mode`, else the mode and group of the file it replaces, else what the umask gives.
    """
    _write_through_temporary(path, data, mode, os.replace)


def create_file(path: Path, data: bytes) -> None:
    """Put `data` at a new `path` all at once; raise FileExistsError, never replacing a file that is there.

    Written as `replace_file` writes (umask mode, flushed, no temporary file left on Ctrl-C or
    SIGTERM); the finished file gets its name by a hard link, which fails rather than replace.
    """
    _write_through_temporary(path, data, None, _link_new)


def _write_through_temporary(path: Path, data: bytes, mode: int | None, publish: Callable[[str, Path], None]) -> None:
    """Write `data` to a temporary file beside `path`, flushed to disk, then `publish` it as `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sweep_temporaries(path.parent)
    with _terminations_interrupt():
        handle, temporary = tempfile.mkstemp(prefix=_TEMPORARY_PREFIX, suffix=_TEMPORARY_SUFFIX, dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                _take_mode(stream.fileno(), path, mode)
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())  # The name must not reach the disk before the bytes do.
            publish(temporary, path)
        finally:  # Including Ctrl-C and SIGTERM: never leave a temporary file behind (a no-op once renamed).
            Path(temporary).unlink(missing_ok=True)


def _link_new(temporary: str, path: Path) -> None:
    """Give the temporary file the new name `path`; raise FileExistsError if something is there."""
    try:
        os.link(temporary, path)
    except FileExistsError:  # An OSError too, but the one the caller must hear of.
        raise
    except (OSError, NotImplementedError):
        # Some file systems (FAT, some network shares) have no hard links: create exclusively instead.
        _copy_exclusive(temporary, path)


def _copy_exclusive(temporary: str, path: Path) -> None:
    """Create `path` only if it does not exist, with the temporary file's bytes; remove it again on failure."""
    with open(path, "xb") as out:
        try:
            out.write(Path(temporary).read_bytes())
        except BaseException:
            path.unlink(missing_ok=True)
            raise


def _take_mode(descriptor: int, path: Path, mode: int | None) -> None:
    """Give the new file its mode: `mode`, else the replaced file's mode and group, else the umask's."""
    if mode is not None:
        _chmod(descriptor, mode)
        return
    try:
        old = path.stat()
    except OSError:
        _chmod(descriptor, 0o666 & ~_umask())
        return
    _chmod(descriptor, stat.S_IMODE(old.st_mode))
    if hasattr(os, "fchown"):
        with suppress(OSError):  # Not a member of that group: the file keeps the user's own group.
            os.fchown(descriptor, -1, old.st_gid)


def _chmod(descriptor: int, mode: int) -> None:
    if os.chmod in os.supports_fd:
        os.chmod(descriptor, mode)


def _umask() -> int:
    """Return the process's umask (reading it means setting it, so it is set straight back)."""
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


@contextmanager
def _terminations_interrupt() -> Iterator[None]:
    """Turn SIGTERM into an exception while writing, so the temporary file is removed as on Ctrl-C."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _terminated(number: int, frame: object) -> None:
    raise SystemExit(128 + number)


def sweep_temporaries(folder: Path) -> None:
    """Remove temporary files of ours in `folder` older than STALE_TEMPORARY (left by a killed process)."""
    oldest = time.time() - STALE_TEMPORARY
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if _TEMPORARY.fullmatch(entry.name) and _stale_own_file(entry, oldest):
                    Path(entry.path).unlink(missing_ok=True)
    except OSError:  # A folder we cannot list or a file we cannot remove: nothing of ours to sweep.
        pass


def _stale_own_file(entry: os.DirEntry, oldest: float) -> bool:
    """Tell whether a directory entry is a regular file of this user's last changed before `oldest`."""
    status = entry.stat(follow_symlinks=False)
    owner = getattr(os, "getuid", lambda: status.st_uid)()
    return stat.S_ISREG(status.st_mode) and status.st_uid == owner and status.st_mtime < oldest
