"""The bundled indicator systems (指标体系库), choosing one for a facts file, and showing one as a tree.

A system is asked for by `--indicators` (a bundled name or a file), else by the facts
file's 指标体系 (a bundled name or a path relative to the facts file), else the default
巨鹿 2021 table is used. Bundled files live in data/indicators/ and are named here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from jixiao.errors import IndicatorError, Problem
from jixiao.indicators import IndicatorSystem, load_indicators, normalise_name
from jixiao.resources import data_dir
from jixiao.wording import did_you_mean, plain
from jixiao.yamlsource import SourceMap

DEFAULT_SYSTEM = "巨鹿2021"
# Bundled name → file under data/indicators/, in the order `jixiao indicators list` shows them.
BUNDLED: dict[str, str] = {
    DEFAULT_SYSTEM: "julu-2021.yaml",
    "财预53号": "national-2013.yaml",
    "岳阳2018": "yueyang-2018.yaml",
}
STATED = "指标体系"
"""The facts file's key naming its system; problems choosing it are placed on that key."""


class Bundled(NamedTuple):
    """A bundled indicator system: the name to ask for it by, and its file."""

    name: str
    path: Path


def bundled() -> list[Bundled]:
    """Return the bundled systems, the default first."""
    return [Bundled(name, data_dir() / "indicators" / file) for name, file in BUNDLED.items()]


def bundled_path(name: str) -> Path | None:
    """Return the file of the bundled system called `name` (or by its file's stem), quotes and spaces ignored."""
    key = normalise_name(name)
    for entry in bundled():
        if key in (normalise_name(entry.name), entry.path.stem):
            return entry.path
    return None


def choose_indicators(option: str | Path | None, stated: str | None = None, facts_path: Path | None = None) -> Path:
    """Return the file of the system asked for: `--indicators`, else the facts file's 指标体系, else the default.

    A file named in the facts file is found relative to the facts file; raise IndicatorError
    for a name that is neither a file nor a bundled system.
    """
    if option is not None:
        return _named_or_file(str(option), Path(option), "--indicators")
    if stated is not None:
        base = facts_path.parent if facts_path is not None else Path()
        return _named_or_file(stated, base / stated, STATED)
    return bundled()[0].path


def _named_or_file(choice: str, path: Path, where: str) -> Path:
    """Return `path` when it is a file (or written as one: 「…/x.yaml」), else the bundled system called `choice`."""
    if path.is_file() or path.suffix.lower() in (".yaml", ".yml") or len(Path(choice).parts) > 1:
        return path
    found = bundled_path(choice)
    if found is None:
        names = list(BUNDLED)
        message = did_you_mean(f"没有名为「{choice}」的内置指标体系，也没有这个文件", choice, names, 0.5)
        raise IndicatorError([Problem(where, None, None, None, f"{message}（内置指标体系：{'、'.join(names)}）")])
    return found


def named(choice: str) -> Path:
    """Return the file of a system named on the command line: a file, else a bundled name."""
    return _named_or_file(choice, Path(choice), STATED)


def load_chosen(option: str | Path | None, stated: str | None = None, facts_path: Path | None = None) -> IndicatorSystem:
    """Load the system `choose_indicators` picks."""
    return load_indicators(choose_indicators(option, stated, facts_path))


def placed_on_facts(problem: Problem, source: SourceMap) -> Problem:
    """Place a problem with the facts file's 指标体系 on that line of the facts file."""
    return source.problem((STATED,), problem.message) if problem.file == STATED else problem


# ---------------------------------------------------------------- list and show


def list_lines() -> list[str]:
    """Return one line per bundled system: its name, full name and size."""
    lines = []
    for entry in bundled():
        system = load_indicators(entry.path)
        lines.append(f"{entry.name}\t{system.name}（{len(system.indicators)} 项三级指标）")
    return lines


def tree_lines(system: IndicatorSystem) -> Iterator[str]:
    """Yield the system as an indented tree with weights and each 三级指标's rule kind."""
    yield f"{system.name}（总分 {plain(system.total)}）"
    for line in (system.scope, system.source):
        if line:
            yield f"  {line}"
    for tier1 in system.tiers:
        yield f"{tier1.name}  {plain(tier1.weight)} 分"
        for tier2 in tier1.tiers:
            yield f"  {tier2.name}  {plain(tier2.weight)} 分"
            for item in tier2.indicators:
                yield f"    {item.name}  {plain(item.weight)} 分  {item.rule.kind}"
    yield from _whole_table_lines(system)


def _whole_table_lines(system: IndicatorSystem) -> Iterator[str]:
    """Yield the lines on the whole table: zero-base default, grade bands, caps."""
    if system.grades:
        yield "等级：" + "、".join(f"{band.name} ≥{plain(band.at_least)}" for band in system.grades)
    for cap in system.caps:
        yield f"总分封顶：{cap.measure}「{cap.range.text()}」时总分最高 {plain(cap.most)} 分"
