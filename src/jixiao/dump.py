"""Write facts as YAML text: Chinese keys in schema order, exact decimals, optional comments from the schema.

The emitter lays out the block structure itself, so it can put each field's Chinese
description above its key; PyYAML only writes the scalars, so quoting stays correct.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any, NamedTuple

import yaml
from pydantic import BaseModel

from jixiao.facts import Facts
from jixiao.validation import child_annotation, field_info, is_model, unwrap
from jixiao.yamlsource import Loc, looks_like_number

_INDENT = 2
# Wide enough that PyYAML never folds a long Chinese paragraph across lines.
_NO_FOLDING = 1_000_000
_INT_TEXT = re.compile(r"^-?\d+$")


class Layout(NamedTuple):
    """How to lay out a document: whether to explain each key, and notes to add above some keys."""

    comments: bool = False
    notes: Mapping[Loc, str] = MappingProxyType({})


def dump_facts(facts: Facts) -> str:
    """Return the facts as YAML text that loads back to equal facts, every decimal written as entered."""
    data = facts.model_dump(by_alias=True, exclude_none=True, exclude_defaults=True)
    return emit_document(Facts, data, Layout())


def emit_document(model: type[BaseModel], data: Mapping[str, Any], layout: Layout) -> str:
    """Lay out alias-keyed plain data as block YAML, top-level sections separated by blank lines."""
    sections = [_entry_lines(model, key, value, 0, (key,), layout) for key, value in _ordered(model, data)]
    return "\n\n".join("\n".join(lines) for lines in sections) + "\n"


def _ordered(annotation: Any, data: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """Return the items of a mapping in schema order for a model, as given for a free dict."""
    model = unwrap(annotation)
    if not is_model(model):
        return list(data.items())
    aliases = [info.alias or name for name, info in model.model_fields.items()]
    return [(alias, data[alias]) for alias in aliases if alias in data]


def _entry_lines(parent: Any, key: str, value: Any, indent: int, loc: Loc, layout: Layout) -> list[str]:
    """Lay out one `key: value` entry of the mapping typed `parent`, with its comments above it."""
    annotation = child_annotation(parent, key)
    head = _comment_lines(parent, key, indent, loc, layout)
    pad = " " * indent
    if isinstance(value, Mapping) and value:
        return [*head, f"{pad}{_key_text(key)}:", *_mapping_lines(annotation, value, indent + _INDENT, loc, layout)]
    if isinstance(value, list) and value:
        return [*head, f"{pad}{_key_text(key)}:", *_list_lines(annotation, value, indent + _INDENT, loc, layout)]
    return [*head, *_indented(_scalar_yaml({key: value}), pad)]


def _mapping_lines(annotation: Any, data: Mapping[str, Any], indent: int, loc: Loc, layout: Layout) -> list[str]:
    """Lay out the entries of a nested mapping."""
    lines: list[str] = []
    free_keys = not is_model(unwrap(annotation))
    for position, (key, value) in enumerate(_ordered(annotation, data)):
        # Under free keys (指标名称) every entry has the same shape: explain it once, on the first.
        entry_layout = Layout(False, layout.notes) if free_keys and position > 0 else layout
        lines.extend(_entry_lines(annotation, key, value, indent, (*loc, key), entry_layout))
    return lines


def _list_lines(annotation: Any, items: list[Any], indent: int, loc: Loc, layout: Layout) -> list[str]:
    """Lay out list items: scalars as «- text», mappings with their first key on the «- » line."""
    item_type = child_annotation(annotation, 0)
    pad = " " * indent
    lines: list[str] = []
    for index, item in enumerate(items):
        if not (isinstance(item, Mapping) and item):
            lines.extend(_indented(_scalar_yaml([item]), pad))
            continue
        # Explain an item's keys once, on the first item: repeating them on every item is noise.
        item_layout = layout if index == 0 else Layout(False, layout.notes)
        body = _mapping_lines(item_type, item, indent + _INDENT, (*loc, index), item_layout)
        lines.extend(_dash_first_key(body, indent))
    return lines


def _dash_first_key(body: list[str], indent: int) -> list[str]:
    """Put «- » in front of the first key line, keeping the comments above it at the dash's level."""
    inner = " " * (indent + _INDENT)
    for position, line in enumerate(body):
        if not line.lstrip().startswith("#"):
            comments = [" " * indent + c.lstrip() for c in body[:position]]
            first = " " * indent + "- " + line[len(inner) :]
            return [*comments, first, *body[position + 1 :]]
    return body


def _comment_lines(parent: Any, key: str, indent: int, loc: Loc, layout: Layout) -> list[str]:
    """Return the comment lines above a key: the schema's description, then any note for this place."""
    pad = " " * indent
    lines = []
    info = field_info(parent, key) if layout.comments else None
    if info is not None and info.description:
        need = "必填" if info.is_required() else "可不填，不适用时删去此项"
        lines.append(f"{pad}# {info.description}（{need}）")
    note = layout.notes.get(loc)
    if note:
        lines.append(f"{pad}# ▲ {note}")
    return lines


def _indented(text: str, pad: str) -> list[str]:
    """Indent every line of a YAML fragment."""
    return [pad + line for line in text.splitlines()]


def _key_text(key: str) -> str:
    """Write a mapping key, quoted only when YAML needs it (a key like 2021 must stay text)."""
    return _scalar_yaml(key)


def _scalar_yaml(value: Any) -> str:
    """Let PyYAML write a scalar (or a one-entry mapping or list of one scalar) with correct quoting."""
    text = yaml.dump(
        value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=_NO_FOLDING
    )
    return text.removesuffix("...\n").rstrip("\n")


class _Dumper(yaml.SafeDumper):
    """A safe dumper that writes Decimal exactly and multi-line text as a literal block."""


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    """Write a Decimal as its own digits (3.50 stays 3.50), never in exponent form."""
    text = format(value, "f")
    tag = "tag:yaml.org,2002:int" if _INT_TEXT.match(text) else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, text)


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    """Write text with line breaks as a «|» block so it stays readable; PyYAML falls back to quotes if it must.

    Text the loader would read as a number (a title «0E100», which PyYAML leaves plain) is quoted.
    """
    style = "|" if "\n" in value else ("'" if looks_like_number(value) else None)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(str, _represent_text)
