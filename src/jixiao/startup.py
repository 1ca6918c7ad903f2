"""The `jixiao` console script: the command line, minus what a process pays around its work.

A `jixiao render` spends most of its time loading modules and tearing the interpreter
down, not rendering. Three of those costs are skipped here (figures in README 「性能」):
- the garbage collector, which runs again and again while modules load and finds
  nothing to free: it is off until the command line is built, what was loaded by
  then is frozen out of later collections, and it then runs less often;
- pydantic's plugin loader, which imports importlib.metadata (and with it the email
  package) to look for plugins jixiao does not use;
- interpreter teardown, which frees every object one by one: once the command has
  finished, its output is flushed and its files are closed, the process simply ends.

`jixiao.cli.main` stays the in-process entry (tests call it); this module is what the
console script and `python -m jixiao` run.
"""

import gc
import os
import sys
import types
from typing import NoReturn

_PLUGINS_OFF = ("__all__", "1", "true")  # PYDANTIC_DISABLE_PLUGINS values that turn every plugin off
# Collect the youngest objects after this many allocations (Python's default: 700). A render
# allocates in bursts of short-lived acyclic objects; cycles are still freed, only less often.
_YOUNG_THRESHOLD = 100_000


def main() -> NoReturn:
    """Run the command line with the collector quiet while it loads, and leave without teardown."""
    gc.disable()
    skip_pydantic_plugins()
    from jixiao.cli import main as run_command_line

    gc.freeze()  # Everything loaded so far lives as long as the process: never scan it again.
    gc.set_threshold(_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
    gc.enable()
    try:
        run_command_line()
    except SystemExit as stop:
        leave(stop.code)
    leave(0)


def skip_pydantic_plugins() -> None:
    """Turn pydantic plugins off unless the user chose otherwise, and skip the loader that would find none.

    With the variable set to turn plugins off, pydantic's own loader returns no plugins
    without looking; it is replaced by one that does the same without its imports.
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] in _PLUGINS_OFF and "pydantic.plugin._loader" not in sys.modules:
        loader = types.ModuleType("pydantic.plugin._loader", "pydantic plugins are off: no loader needed")
        loader.get_plugins = tuple  # type: ignore[attr-defined]  # get_plugins() -> (): no plugins
        sys.modules[loader.__name__] = loader


def leave(code: object) -> NoReturn:
    """End the process with `code` once stdout and stderr are flushed, skipping interpreter teardown.

    A code that is not a number (a message), or output that cannot be flushed (a closed
    pipe), takes Python's usual way out, which reports it as it always has.
    """
    if code is None or isinstance(code, int):
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            raise SystemExit(code) from None
        os._exit(code or 0)
    raise SystemExit(code)
