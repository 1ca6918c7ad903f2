"""The per-user cache folder: work a render can skip the next time, keyed by what it depends on.

Three things are kept: compiled report templates (`templatecache`), validated
indicator systems (`indicators.load_indicators`) and the validators pydantic builds
for the file schemas (`validation.with_built_validator`). Every entry is named by a hash of
everything its content depends on, so an entry is never used for other input; a
cache that cannot be read or written (read-only home, full disk) only costs the time
of doing the work again. The folder is private to the user: entries hold code or
pickled objects that are run or loaded as they are.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
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


def write_entry(path: Path, data: bytes) -> None:
    """Store an entry through a temporary file and a rename, then drop stale ones; ignore a cache we cannot write."""
    from jixiao.output import replace_file

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        replace_file(path, data)
        _drop_stale(path.parent)
    except OSError:
        pass


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
    if root is None:
        return None
    try:
        value = pickle.loads((root / folder / f"{key}.pickle").read_bytes())
    except Exception:  # A missing or damaged entry is a miss, never an error: the work is done as usual.
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
