"""Keep compiled report templates on disk between runs, so `jixiao render` does not recompile them.

Compiling the report's Jinja templates costs more than everything else a render does
once Python is running (bench/run.py). Jinja can store the compiled code; this cache
names each entry by a hash of *everything* the compiled code depends on — the template's
text, name and file, the Jinja and Python versions, and the environment's lexer settings,
extensions, finalize and filters — so an entry can never be used for a template or an
environment it was not compiled from. Any change compiles afresh; a cache that cannot be
read or written (read-only home, full disk) only costs the compile time. Compiled code
runs as it loads, so an entry is used only with this user's signature (`cache.read_entry`).
"""

from __future__ import annotations

import sys
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket
from jinja2.utils import _PassArg

from jixiao.cache import cache_root, content_key, read_entry, write_entry


class CompiledTemplates(jinja2.BytecodeCache):
    """A Jinja bytecode cache in one folder, keyed by content hash."""

    def __init__(self, directory: Path):
        self.directory = directory

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None, source: str) -> Bucket:
        """Return the bucket for this exact template text compiled by this exact environment."""
        key = _content_key(environment, name, filename, source)
        bucket = Bucket(environment, key, key)
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        """Load a stored compilation; anything unreadable just means compiling again."""
        data = read_entry(self._path(bucket))  # Signed by this user's jixiao, or a miss: marshal runs code.
        if data is None:
            bucket.reset()
            return
        try:
            bucket.bytecode_from_string(data)
        except Exception:  # A damaged entry is a miss, never an error: the template compiles as usual.
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Store a compilation, ignoring a cache we cannot write."""
        write_entry(self._path(bucket), bucket.bytecode_to_string())

    def _path(self, bucket: Bucket) -> Path:
        return self.directory / f"{bucket.key}.jinja"


def _content_key(environment: jinja2.Environment, name: str, filename: str | None, source: str) -> str:
    """Hash the template and every environment setting that changes the code Jinja generates."""
    return content_key(_described(environment), name, filename or "", source)


# Jinja forbids changing an environment once it has loaded a template ("undefined behavior"), so its
# settings are described once, not for each of a report's dozen templates (0.3 ms).
_DESCRIBED: weakref.WeakKeyDictionary[jinja2.Environment, str] = weakref.WeakKeyDictionary()


def _described(environment: jinja2.Environment) -> str:
    """Return `_environment_settings` as text, worked out on the environment's first template."""
    found = _DESCRIBED.get(environment)
    if found is None:
        found = _DESCRIBED[environment] = repr(_environment_settings(environment))
    return found


def _environment_settings(env: jinja2.Environment) -> tuple[Any, ...]:
    """List what Jinja's lexer and code generator read from the environment, with the versions."""
    return (
        jinja2.__version__,
        sys.version,
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        env.is_async,
        _callable_or_value(env.autoescape),
        sorted(env.extensions),
        _callable_or_value(env.finalize),
        _pass_args(env.filters),
        _pass_args(env.tests),
        env.code_generator_class.__qualname__,
    )


def _callable_or_value(value: Any) -> Any:
    """Describe a setting that may be a function by its name and how Jinja passes it arguments."""
    if callable(value):
        return (getattr(value, "__qualname__", repr(value)), _pass_arg(value))
    return value


def _pass_args(functions: Mapping[str, Any]) -> list[tuple[str, str | None]]:
    """Name each filter or test with how it is called: the generated code differs by that."""
    return sorted((name, _pass_arg(function)) for name, function in functions.items())


def _pass_arg(function: Any) -> str | None:
    """Return whether Jinja passes the context, eval context or environment to `function`."""
    kind = _PassArg.from_obj(function)
    return kind.name if kind is not None else None


def cache_directory() -> Path | None:
    """Return the per-user folder for compiled templates; None if there is no home to keep it in."""
    root = cache_root()
    return None if root is None else root / "templates"
