"""The per-user cache folder: work a render can skip the next time, keyed by what it depends on.

Three things are kept: compiled report templates (`templatecache`), validated
indicator systems (`indicators.load_indicators`) and the validators pydantic builds
for the file schemas (`records.validator` for the facts, `validation.with_built_validator`
for the other files). Every entry is named by a hash of
everything its content depends on, so an entry is never used for other input; a
cache that cannot be read or written (read-only home, full disk) only costs the time
of doing the work again.

Entries hold compiled code and pickles, which run as they load; so nothing is loaded
that this user's jixiao did not write. Every entry is signed with an HMAC keyed by a
random per-user secret (`secret` in the folder, mode 0600), over the entry's name and
bytes; an entry whose signature does not match, and any folder, entry or secret that
is not the user's own or that others may write to, is a miss — the work is done as if
the cache were empty, never with what was found.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import re
import secrets
import stat
import sys
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from jixiao import __version__

T = TypeVar("T")
STALE_AFTER = 60 * 24 * 3600  # seconds: entries written more than 60 days ago are dropped
_ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.(pickle|jinja)")


def cache_root() -> Path | None:
    """Return the per-user cache folder of jixiao (XDG on Unix, LOCALAPPDATA on Windows); None if no home."""
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "jixiao"
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "jixiao"
    try:
        return Path.home() / ".cache" / "jixiao"
    except RuntimeError:  # No home directory to speak of: do the work every time.
        return None


_SECRET = "secret"
_SECRET_BYTES = 32
_MAC_BYTES = hashlib.sha256().digest_size
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # Entries are kilobytes; anything this large is not ours.
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def write_entry(path: Path, data: bytes) -> None:
    """Sign and store an entry (temporary file, rename, mode 0600), then drop stale ones; ignore a cache we cannot write."""
    from jixiao.output import replace_file

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = _secret(path.parent.parent)
        if key is None or not _private(path.parent):
            return
        replace_file(path, _sign(key, path, data), mode=0o600)
        _drop_stale(path.parent)
    except OSError:
        pass


def read_entry(path: Path) -> bytes | None:
    """Return an entry's bytes if this user's jixiao wrote them (signature, owner, mode); None for a miss."""
    try:
        key = _secret(path.parent.parent)
        if key is None or not _private(path.parent):
            return None
        signed = _read_private(path)
    except OSError:
        return None
    if signed is None or len(signed) < _MAC_BYTES:
        return None
    mac, data = signed[:_MAC_BYTES], signed[_MAC_BYTES:]
    return data if hmac.compare_digest(mac, _mac(key, path, data)) else None


def _sign(key: bytes, path: Path, data: bytes) -> bytes:
    return _mac(key, path, data) + data


def _mac(key: bytes, path: Path, data: bytes) -> bytes:
    """Sign the entry's folder and name with its bytes, so an entry cannot stand in for another."""
    signed = hmac.new(key, f"{path.parent.name}/{path.name}".encode("utf-8", "surrogatepass") + b"\0", "sha256")
    signed.update(data)
    return signed.digest()


def _secret(root: Path) -> bytes | None:
    """Return the user's cache secret, creating it (mode 0600) on first use; None if it cannot be trusted."""
    if not _private(root):
        return None
    path = root / _SECRET
    try:
        return _new_secret(path)
    except FileExistsError:
        pass
    secret = _read_private(path)
    return secret if secret is not None and len(secret) == _SECRET_BYTES else None


def _new_secret(path: Path) -> bytes:
    """Write a fresh random secret where none is; raise FileExistsError if one is there."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_FOLLOW, 0o600)
    secret = secrets.token_bytes(_SECRET_BYTES)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(secret)
    return secret


def _read_private(path: Path) -> bytes | None:
    """Read a regular file that is the user's own and that nobody else may write; None otherwise."""
    descriptor = os.open(path, os.O_RDONLY | _NO_FOLLOW)
    with os.fdopen(descriptor, "rb") as stream:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or not _owned(status) or status.st_size > MAX_ENTRY_BYTES:
            return None
        return stream.read(MAX_ENTRY_BYTES + 1)


def _private(folder: Path) -> bool:
    """Tell whether `folder` is a real folder (not a link) of the user's own that nobody else may write to."""
    try:
        status = folder.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(status.st_mode) and _owned(status)


def _owned(status: os.stat_result) -> bool:
    """Tell whether a file is the user's own and not writable by group or others (always true on Windows)."""
    if not hasattr(os, "getuid"):
        return True  # %LOCALAPPDATA% is the user's own; Windows has no Unix owner or mode bits to check.
    return status.st_uid == os.getuid() and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _drop_stale(folder: Path) -> None:
    """Remove entries written more than STALE_AFTER ago, so the folder does not grow without end.

    Entries are only written on a miss, which is rare; one still in use is simply written
    again the next time it misses. Only files named like our entries are touched.
    """
    oldest = time.time() - STALE_AFTER
    with os.scandir(folder) as entries:
        for entry in entries:
            if _ENTRY_NAME.fullmatch(entry.name) and entry.stat().st_mtime < oldest:
                Path(entry.path).unlink(missing_ok=True)


def content_key(*parts: bytes | str) -> str:
    """Hash `parts`, each told apart from the next, into an entry name."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


@cache
def code_stamp() -> bytes:
    """Describe the code that made an entry: versions, and each jixiao module's size and modification time.

    The same test Python applies to its own .pyc files: a changed module, in a checkout
    or an upgraded install, makes every entry a miss.
    """
    package = Path(__file__).parent
    modules = sorted(package.rglob("*.py"))
    described = [f"{__version__}|{sys.version}|{pickle.HIGHEST_PROTOCOL}"]
    for module in modules:
        status = module.stat()
        described.append(f"{module.relative_to(package)}|{status.st_size}|{status.st_mtime_ns}")
    return "\n".join(described).encode("utf-8", "surrogatepass")


def remembered(folder: str, kind: type[T], parts: tuple[bytes | str, ...], compute: Callable[[], T]) -> T:
    """Return what `compute` gave for `parts` under the running code (`code_stamp`), computing and storing it on a miss.

    An exception from `compute` passes through, and nothing is stored.
    """
    key = content_key(code_stamp(), *parts)
    value = _load_object(folder, key, kind)
    if value is None:
        value = compute()
        _store_object(folder, key, value)
    return value


def _load_object(folder: str, key: str, kind: type[T]) -> T | None:
    """Return the object stored under `key` in `folder` if it is a `kind`; None for a miss."""
    root = cache_root()
    data = None if root is None else read_entry(root / folder / f"{key}.pickle")
    if data is None:
        return None
    try:
        value = pickle.loads(data)  # Signed by this user's jixiao (read_entry): its own pickle, not a stranger's.
    except Exception:  # Written by other code that named the same classes: a miss, the work is done as usual.
        return None
    return value if isinstance(value, kind) else None


def _store_object(folder: str, key: str, value: Any) -> None:
    """Store `value` under `key` in `folder` for `_load_object`."""
    root = cache_root()
    if root is None:
        return
    try:
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    except Exception:  # Something pickle cannot name (a class defined inside a function): not kept.
        return
    write_entry(root / folder / f"{key}.pickle", data)
