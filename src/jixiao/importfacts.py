"""Fill a facts file (YAML or workbook) with what a 决算 workbook gives, never losing what a person entered.

A fact already in the file is kept unless --overwrite is given; either way a different
value is reported. A YAML file is edited through ruamel.yaml's round trip (comments and
order kept); a workbook has the changed cells written in place (workbookupdate.py), keeping
the officer's formatting, comments and extra sheets, and is read back to prove nothing was
lost before it replaces the old one.
"""

from __future__ import annotations

import copy
import itertools
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from jixiao.errors import FactsError, Problem
from jixiao.facts import is_workbook, load_facts_source
from jixiao.finalaccounts import Found, ImportMap, Missing, normal, read_final_accounts
from jixiao.output import write_atomically
from jixiao.yamlsource import Loaded, Loc, field_label

DEFAULT_UNIT = "万元"


class Change(NamedTuple):
    """One fact as the import leaves it: filled, kept (different in the file) or replaced."""

    found: Found
    loc: Loc
    before: Any


class ImportResult(NamedTuple):
    """What an import did: facts filled, facts kept or replaced, facts not found, and notes."""

    filled: list[Change]
    differing: list[Change]
    missing: list[Missing]
    notes: list[str]
    written: bool


def import_final_accounts(source: Path, into: Path, mapping: ImportMap, overwrite: bool = False) -> ImportResult:
    """Read `source` (a 决算 workbook) by `mapping` and fill `into`; write it only when something changes."""
    target = _target(into)
    data = copy.deepcopy(target.data)
    unit = data.get("金额单位") or DEFAULT_UNIT
    reading = read_final_accounts(source, mapping, unit)
    notes = list(reading.notes)
    unit_added = "金额单位" not in data
    if unit_added:
        data["金额单位"] = unit
        notes.append(f"文件中没有「金额单位」，已写上「{unit}」")
    filled, differing = _apply(data, reading.found, overwrite)
    changed = bool(filled) or (overwrite and bool(differing)) or unit_added
    if changed:
        _write(into, target, data)
    return ImportResult(filled, differing, reading.missing, notes, changed)


def _target(path: Path) -> Loaded:
    """Read the facts file's plain data as it stands (it may be far from complete), with where each value stands."""
    loaded = load_facts_source(path)
    if loaded.data is None or not isinstance(loaded.data, dict) or any(p.is_error for p in loaded.problems):
        raise FactsError(loaded.problems or [Problem(str(path), None, None, None, "文件的最外层应是若干「键: 值」")])
    return loaded


def _apply(data: dict[str, Any], found: list[Found], overwrite: bool) -> tuple[list[Change], list[Change]]:
    """Put each found value into the data; return those filled and those that differ from the file."""
    filled, differing = [], []
    for item in found:
        loc = _resolve(data, item)
        before = value_at(data, loc)
        if before is None:
            _set(data, loc, item.value)
            filled.append(Change(item, loc, None))
        elif not _same(before, item.value):
            differing.append(Change(item, loc, before))
            if overwrite:
                _set(data, loc, item.value)
    return filled, differing


def _same(before: Any, value: Decimal | int) -> bool:
    """Tell whether the file already holds the value (3.5 and 3.50 are the same amount)."""
    try:
        return Decimal(str(before)) == Decimal(value)
    except ArithmeticError:
        return False


def _resolve(data: dict[str, Any], item: Found) -> Loc:
    """Return the place of a found value, choosing (or adding) the list item its pick names."""
    loc = item.target.loc
    named = item.target.item
    if named is None:
        return loc
    list_loc, rest = _split_at_list(loc)
    items = value_at(data, list_loc) or []
    wanted = {normal(named.get("名称", "")), *(normal(label) for label in item.target.rows)}
    for index, existing in enumerate(items):
        name = existing.get("名称") if isinstance(existing, dict) else existing
        if normal(name or "") in wanted:
            return (*list_loc, index, *rest)
    index = len(items)
    _set(data, (*list_loc, index), dict(named))
    return (*list_loc, index, *rest)


def _split_at_list(loc: Loc) -> tuple[Loc, Loc]:
    """Split a pick's place into the list (e.g. 预算 › 收入 › 来源) and the place within its item."""
    from jixiao.validation import model_form
    from jixiao.workbook import annotation_at

    for end in range(len(loc), 0, -1):
        if typing.get_origin(model_form(annotation_at(loc[:end]))) is list:
            return loc[:end], loc[end:]
    return loc, ()


def value_at(data: Any, loc: Loc) -> Any:
    """Return the value at a place of plain data, or None."""
    for part in loc:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def _set(data: Any, loc: Loc, value: Any) -> None:
    """Set a value at a place of plain data, making the mappings (and list items) on the way."""
    for part, following in itertools.pairwise(loc):
        empty: Any = [] if isinstance(following, int) else {}
        if isinstance(data, list):
            while len(data) <= part:
                data.append(empty)
            data = data[part]
        else:
            if not isinstance(data.get(part), dict | list):
                data[part] = empty
            data = data[part]
    if isinstance(data, list):
        data.append(value)
    else:
        data[loc[-1]] = value


def _write(path: Path, target: Loaded, data: dict[str, Any]) -> None:
    """Write the filled data back: a workbook's changed cells in place (proved lossless), YAML through the round trip."""
    if is_workbook(path):
        from jixiao.workbookupdate import updated_workbook

        write_atomically(path, updated_workbook(path, target.source, target.data, data))
    else:
        write_atomically(path, _yaml_text(path, data).encode("utf-8"))


def _yaml_text(path: Path, data: dict[str, Any]) -> str:
    """Return the YAML file with the new values merged in, its comments and order kept."""
    from jixiao.upgrade import dump_text, round_trip

    yaml = round_trip()
    yaml.representer.add_representer(Decimal, _represent_decimal)
    document = yaml.load(path.read_text(encoding="utf-8-sig")) or {}
    _merge(document, data)
    return dump_text(yaml, document)


def _represent_decimal(representer: Any, value: Decimal) -> Any:
    """Write a Decimal as its own digits."""
    text = format(value, "f")
    tag = "tag:yaml.org,2002:int" if "." not in text else "tag:yaml.org,2002:float"
    return representer.represent_scalar(tag, text)


def _merge(document: Any, data: Any) -> None:
    """Copy into the round-trip document every value of `data` it lacks or holds differently."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    for key, value in data.items() if isinstance(data, dict) else enumerate(data):
        if isinstance(document, list) and key >= len(document):
            document.append(CommentedSeq() if isinstance(value, list) else CommentedMap())
        current = document[key] if isinstance(document, list) else document.get(key)
        if isinstance(value, dict | list) and isinstance(current, dict | list):
            _merge(current, value)
        elif isinstance(value, dict | list):
            document[key] = CommentedSeq() if isinstance(value, list) else CommentedMap()
            _merge(document[key], value)
        elif not _same_scalar(current, value):
            document[key] = value


def _same_scalar(current: Any, value: Any) -> bool:
    """Tell whether a round-trip scalar already says `value` (kept as written when it does)."""
    if current is None:
        return value is None
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return _same(current, value)
    # ruamel reads 2022-01-10 as a date where jixiao keeps the text: the same value, left as written.
    return current == value or str(current) == str(value)


def describe(change: Change) -> str:
    """Say where a value came from: fact ← sheet!cell (行「…」，列「…」)."""
    found = change.found
    return f"{field_label(change.loc)} = {found.value} ← {found.cell}（行「{found.row_label}」，列「{found.column_label}」）"


def report_lines(result: ImportResult, source: Path, into: Path, overwrite: bool) -> list[str]:
    """Return the Chinese report of an import: what was filled, what differs, what was not found."""
    lines = [f"从 {source} 读取："]
    lines += [f"  {note}" for note in result.notes]
    if result.filled:
        lines.append(f"填入 {len(result.filled)} 项：")
        lines += [f"  {describe(change)}" for change in result.filled]
    if result.differing:
        lines.append("已改为决算表的数：" if overwrite else "文件中已有、与决算表不同，未覆盖（加 --overwrite 可改为决算表的数）：")
        lines += [f"  {describe(change)}（文件中原为 {change.before}）" for change in result.differing]
    if result.missing:
        lines.append(f"没有找到 {len(result.missing)} 项：")
        lines += [f"  {_missing_label(item)}：{item.reason}" for item in result.missing]
    lines.append(f"已写入：{into}" if result.written else f"{into} 没有需要填入的内容，未改动。")
    return lines


def _missing_label(item: Missing) -> str:
    """Name a fact that was not found, with the list item its pick names."""
    label = field_label(item.target.loc)
    name = (item.target.item or {}).get("名称")
    return f"{label}（{name}）" if name else label
