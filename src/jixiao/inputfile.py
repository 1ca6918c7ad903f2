"""Read an input file whole, within bounds: a regular file only, and no larger than a stated size.

Facts, indicator systems, templates and workbooks all come from people's disks, shares
and USB sticks. A FIFO or a device (/dev/zero) would hang a plain read or grow it
without end, so the file is opened without blocking, checked to be a regular file, and
read no further than its limit; whatever is wrong is said in Chinese.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_INPUT_BYTES = 2 * 1024 * 1024  # Facts and indicator files are tens of kilobytes; templates a few.
_CHUNK = 1 << 16
# Opening a FIFO for reading blocks until a writer appears; without blocking it opens at once.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


class Unreadable(Exception):
    """A file that cannot or must not be read; the message is Chinese and says why."""


def read_limited(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """Read a regular file of at most `limit` bytes whole; raise Unreadable for anything else."""
    descriptor = _open(path)
    try:
        _check_regular(path, os.fstat(descriptor), limit)
        return _read_up_to(descriptor, limit)
    finally:
        os.close(descriptor)


def _open(path: Path) -> int:
    """Open `path` for reading without blocking; say in Chinese why it cannot be opened."""
    try:
        return os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise Unreadable("找不到这个文件，请检查路径是否正确") from None
    except IsADirectoryError:
        raise Unreadable(_FOLDER) from None
    except PermissionError:
        raise Unreadable(_FOLDER if Path(path).is_dir() else "没有读取这个文件的权限") from None
    except OSError as exc:
        raise Unreadable(f"无法读取文件：{exc.strerror or exc}") from None


_FOLDER = "这是一个文件夹，不是文件"


def _check_regular(path: Path, status: os.stat_result, limit: int) -> None:
    """Refuse folders, devices, pipes and sockets, and files larger than `limit`."""
    if stat.S_ISDIR(status.st_mode):
        raise Unreadable(_FOLDER)
    if not stat.S_ISREG(status.st_mode):
        raise Unreadable("这不是普通文件（而是设备、管道或套接字），不读取")
    if status.st_size > limit:
        raise Unreadable(too_large(limit))


def too_large(limit: int) -> str:
    """Say that a file is over its size limit, in a person's units."""
    return f"文件太大（超过 {limit / 1024 / 1024:g} MB），不读取：请检查是否选错了文件"


def _read_up_to(descriptor: int, limit: int) -> bytes:
    """Read to the end, or refuse once more than `limit` bytes have come (a file still growing)."""
    chunks, size = [], 0
    while True:
        try:
            chunk = os.read(descriptor, _CHUNK)
        except OSError as exc:
            raise Unreadable(f"无法读取文件：{exc.strerror or exc}") from None
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise Unreadable(too_large(limit))
        chunks.append(chunk)
