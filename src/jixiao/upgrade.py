"""Facts files written for jixiao 0.2: how to tell them, and rewriting them in the new layout.

jixiao 0.2 wrote each budget line as one amount (「合计: 1104.784985」) and each income
source with one 金额. Both still load, read as the 年初预算数 column (what the report calls
预算安排). `jixiao upgrade FILE` rewrites them as columns (「合计: {年初预算数: …}」, 金额 →
年初预算数) in place, keeping every comment, the order of keys and the numbers as written:
the file is edited through ruamel.yaml's round trip, never re-emitted from the model.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jixiao.facts import COLUMNS, Facts, is_workbook, load_facts
from jixiao.yamlsource import Loc, SourceMap, field_label

# Budget lines that jixiao 0.2 wrote as one amount.
LINES: tuple[Loc, ...] = (
    ("预算", "收入", "合计"),
    ("预算", "支出", "合计"),
    ("预算", "支出", "基本支出"),
    ("预算", "支出", "项目支出"),
    ("预算", "支出", "基金预算支出"),
)
_SOURCES: Loc = ("预算", "收入", "来源")
_OLD_AMOUNT, _NEW_AMOUNT = "金额", "年初预算数"


def old_layout_places(facts: Facts, source: SourceMap) -> list[Loc]:
    """Return the places written in the jixiao 0.2 layout (one amount where columns now go)."""
    return [*_single_amount_lines(source), *_source_amounts(facts, source)]


def _single_amount_lines(source: SourceMap) -> Iterator[Loc]:
    """Yield the budget lines written as one amount: present, with none of the columns below them."""
    for loc in LINES:
        columns = [(*loc, column) for column in (*COLUMNS, "上年")]
        if loc in source.positions and not any(column in source.positions for column in columns):
            yield loc


def _source_amounts(facts: Facts, source: SourceMap) -> Iterator[Loc]:
    """Yield the income sources written with one 金额."""
    for index in range(len(facts.budget.income.sources)):
        loc = (*_SOURCES, index, _OLD_AMOUNT)
        if loc in source.positions:
            yield loc


def old_layout_note(path: Path | str, places: list[Loc]) -> str:
    """Say once that a file uses the jixiao 0.2 layout, and how to rewrite it."""
    return (
        f"{path}：本文件用的是 jixiao 0.2 的写法（如「{field_label(places[0])}」只写一个金额），照常可用，"
        f"读作年初预算数；运行「jixiao upgrade {path}」可改写为分栏的写法（年初预算数、全年预算数、决算数），注释和顺序不变。"
    )


def round_trip() -> Any:
    """Return a ruamel.yaml round-trip reader/writer laid out the way jixiao writes facts files."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.width = 1_000_000  # never fold a long Chinese paragraph
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    return yaml


def dump_text(yaml: Any, data: Any) -> str:
    """Write round-trip data back to text."""
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def upgraded_text(path: Path | str) -> str | None:
    """Return the file rewritten in the new layout, or None when it already uses it; FactsError when it is invalid."""
    loaded = load_facts(path)
    places = old_layout_places(loaded.facts, loaded.source)
    if not places:
        return None
    yaml = round_trip()
    data = yaml.load(Path(path).read_text(encoding="utf-8-sig"))
    for loc in places:
        _rewrite(data, loc)
    return dump_text(yaml, data)


def _rewrite(data: Any, loc: Loc) -> None:
    """Rewrite one old-layout place: a lone amount becomes {年初预算数: amount}; 金额 is renamed 年初预算数."""
    parent = data
    for part in loc[:-1]:
        parent = parent[part]
    key = loc[-1]
    if key == _OLD_AMOUNT:
        rename_key(parent, _OLD_AMOUNT, _NEW_AMOUNT)
    else:
        parent[key] = _columns(parent[key])


def _columns(amount: Any) -> Any:
    """Return a flow mapping {年初预算数: amount}, written on the key's own line."""
    from ruamel.yaml.comments import CommentedMap

    columns = CommentedMap([(_NEW_AMOUNT, amount)])
    columns.fa.set_flow_style()
    return columns


def rename_key(mapping: Any, old: str, new: str) -> None:
    """Rename a key of a round-trip mapping in place, keeping its position and its comments."""
    position = list(mapping).index(old)
    value = mapping.pop(old)
    mapping.insert(position, new, value)
    comment = mapping.ca.items.pop(old, None)
    if comment is not None:
        mapping.ca.items[new] = comment


def upgrade_file(path: Path | str) -> bool:
    """Rewrite a facts file in the new layout in place; return False when there was nothing to change."""
    from jixiao.output import write_atomically

    data = upgraded_workbook(path) if is_workbook(path) else _encoded(upgraded_text(path))
    if data is None:
        return False
    write_atomically(Path(path), data)
    return True


def _encoded(text: str | None) -> bytes | None:
    """Return text as UTF-8 bytes, None as None."""
    return None if text is None else text.encode("utf-8")


def upgraded_workbook(path: Path | str) -> bytes | None:
    """Return a workbook laid out afresh (amounts in their columns), or None when it already uses the new layout."""
    from jixiao.conversion import facts_bytes

    loaded = load_facts(path)
    if not old_layout_places(loaded.facts, loaded.source):
        return None
    return facts_bytes(loaded.facts, Path(path))
