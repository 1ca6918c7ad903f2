"""Convert a facts file between its two forms, YAML and workbook, losing nothing."""

from __future__ import annotations

from pathlib import Path

from jixiao.errors import OutputError, Problem
from jixiao.facts import Facts, is_workbook, load_facts
from jixiao.output import write_atomically
from jixiao.skeleton import write_new

FACTS_SUFFIXES = (".yaml", ".yml", ".xlsx", ".xlsm")


def convert_facts(source: Path, target: Path, force: bool = False) -> list[Problem]:
    """Write the facts of `source` to `target` in the form its suffix names; return the warnings reading gave."""
    _check_target(source, target, force)
    loaded = load_facts(source)
    data = facts_bytes(loaded.facts, target)
    if force:
        write_atomically(target, data)
    else:
        write_new(target, data)
    return loaded.warnings


def facts_bytes(facts: Facts, target: Path) -> bytes:
    """Return the file of `facts` in the form `target`'s suffix names."""
    if is_workbook(target):
        from jixiao.workbook import facts_data
        from jixiao.workbookwrite import workbook_bytes

        return workbook_bytes(facts_data(facts))
    from jixiao.dump import dump_facts

    return dump_facts(facts).encode()


def _check_target(source: Path, target: Path, force: bool) -> None:
    """Refuse a target of unknown form, the source itself, or an existing file without --force."""
    if target.suffix.lower() not in FACTS_SUFFIXES:
        message = f"不知道要转换成什么格式：目标文件名应以 {'、'.join(FACTS_SUFFIXES)} 结尾"
        raise OutputError([Problem(str(target), None, None, None, message)])
    if target.exists() and source.exists() and target.resolve() == source.resolve():
        raise OutputError([Problem(str(target), None, None, None, "目标文件就是源文件；请给出另一个文件名")])
    if target.exists() and not force:
        message = "文件已存在，不会覆盖；请换一个文件名，或加 --force 覆盖它"
        raise OutputError([Problem(str(target), None, None, None, message)])
