"""The three-way comparison of paragraphs (or table rows, or a cell's lines): base, mine and theirs.

Pure: it sees only texts (a table row is a tuple of cell texts) and says, place by place,
who changed what. `base` is what jixiao generated last time, `mine` the editor's document
now, `theirs` what the current facts and templates generate.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence
from difflib import SequenceMatcher
from enum import StrEnum
from typing import NamedTuple

# Below this share of equal characters two texts count as different paragraphs, not one edited.
SIMILAR = 0.5
# Numbers (with decimals, thousands separators and a per cent sign) and Latin words are one token;
# every other character (each Chinese character, each punctuation mark) is a token of its own.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*%?|[A-Za-z]+|.", re.DOTALL)


class Kind(StrEnum):
    """What happened at one place; the value is how `jixiao diff` names it."""

    SAME = "未改动"
    EDITED = "编辑改写"
    EDITOR_ADDED = "编辑新增"
    EDITOR_DELETED = "编辑删除"
    GENERATED = "生成改动"
    GENERATOR_ADDED = "生成新增"
    GENERATOR_DELETED = "生成删除"
    CONVERGED = "双方改得相同"
    BOTH = "双方都改动"


class Step(NamedTuple):
    """One place of the comparison: indexes into base, mine and theirs (None where it is absent).

    For GENERATOR_ADDED, `mine` is the anchor: the editor's item after which the new one goes
    (None: before the first).
    """

    kind: Kind
    base: int | None
    mine: int | None
    theirs: int | None


class Edit(NamedTuple):
    """One change of a text: characters [start, end) of the old text become `new` (empty: deleted)."""

    start: int
    end: int
    new: str


def similarity(a: Hashable, b: Hashable) -> float:
    """Return the share of equal characters of two texts (or rows, cell by cell joined)."""
    left, right = _flat(a), _flat(b)
    matcher = SequenceMatcher(None, left, right, autojunk=False)
    return matcher.ratio() if matcher.real_quick_ratio() >= SIMILAR else 0.0


def _flat(item: Hashable) -> str:
    """Return a text, or a row's cells joined, for comparing characters."""
    return item if isinstance(item, str) else "\u241f".join(map(str, item))  # type: ignore[arg-type]


def align(
    base: Sequence[Hashable], other: Sequence[Hashable], key: Callable[[Hashable], Hashable] = lambda x: x
) -> list[int | None]:
    """Map each base index to its index in `other`, or None where `other` has no counterpart.

    Equal runs match first; inside a replaced run, items pair in order when similar enough.
    """
    found: list[int | None] = [None] * len(base)
    matcher = SequenceMatcher(None, [key(b) for b in base], [key(o) for o in other], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            found[i1:i2] = range(j1, j2)
        elif tag == "replace":
            _pair_similar(base, other, range(i1, i2), range(j1, j2), found)
    return found


def _pair_similar(
    base: Sequence[Hashable], other: Sequence[Hashable], left: range, right: range, found: list[int | None]
) -> None:
    """Pair items of two replaced runs in order, each with the next similar enough one.

    One item replaced by one item is the same place changed, however different (a score 1 → 0).
    """
    if len(left) == len(right) == 1:
        found[left.start] = right.start
        return
    next_j = right.start
    for i in left:
        for j in range(next_j, right.stop):
            if similarity(base[i], other[j]) >= SIMILAR:
                found[i], next_j = j, j + 1
                break


def compare(
    base: Sequence[Hashable],
    mine: Sequence[Hashable],
    theirs: Sequence[Hashable],
    key: Callable[[Hashable], Hashable] = lambda x: x,
) -> list[Step]:
    """Return the places where base, mine and theirs differ, in the editor's order (SAME left out)."""
    to_mine, to_theirs = align(base, mine, key), align(base, theirs, key)
    steps = [_step(i, to_mine[i], to_theirs[i], base, mine, theirs) for i in range(len(base))]
    steps += _added(mine, to_mine, Kind.EDITOR_ADDED)
    steps += _not_added_by_both(_generator_added(theirs, to_mine, to_theirs), steps, mine, theirs)
    return sorted((s for s in steps if s.kind != Kind.SAME), key=lambda s: _editor_order(s, to_mine))


def _step(
    i: int,
    m: int | None,
    t: int | None,
    base: Sequence[Hashable],
    mine: Sequence[Hashable],
    theirs: Sequence[Hashable],
) -> Step:
    """Decide what happened to base item `i`, found at `m` in mine and `t` in theirs."""
    if m is None:
        return Step(Kind.EDITOR_DELETED, i, None, t)
    edited = mine[m] != base[i]
    if t is None:
        return Step(Kind.BOTH if edited else Kind.GENERATOR_DELETED, i, m, None)
    generated = theirs[t] != base[i]
    if edited and generated:
        return Step(Kind.CONVERGED if mine[m] == theirs[t] else Kind.BOTH, i, m, t)
    kind = Kind.EDITED if edited else Kind.GENERATED if generated else Kind.SAME
    return Step(kind, i, m, t)


def _added(items: Sequence[Hashable], matched: Sequence[int | None], kind: Kind) -> list[Step]:
    """Return a step for each item of mine that no base item matched."""
    taken = set(matched)
    return [Step(kind, None, j, None) for j in range(len(items)) if j not in taken]


def _generator_added(
    theirs: Sequence[Hashable], to_mine: list[int | None], to_theirs: list[int | None]
) -> list[Step]:
    """Return a step for each new item of theirs, anchored after the editor's item of its nearest predecessor."""
    base_of = {t: i for i, t in enumerate(to_theirs) if t is not None}
    steps, anchor = [], None
    for j in range(len(theirs)):
        if j in base_of:
            anchor = to_mine[base_of[j]] if to_mine[base_of[j]] is not None else anchor
        else:
            steps.append(Step(Kind.GENERATOR_ADDED, None, anchor, j))
    return steps


def _not_added_by_both(
    generated: list[Step], steps: list[Step], mine: Sequence[Hashable], theirs: Sequence[Hashable]
) -> list[Step]:
    """Leave out what the generator adds that the editor has already added the same (it is there once)."""
    added = [mine[s.mine] for s in steps if s.kind == Kind.EDITOR_ADDED and s.mine is not None]
    kept = []
    for step in generated:
        unit = theirs[step.theirs]  # type: ignore[index]
        if unit in added:
            added.remove(unit)
        else:
            kept.append(step)
    return kept


def _editor_order(step: Step, to_mine: Sequence[int | None]) -> tuple[float, int]:
    """Sort key: where the step stands in the editor's document; insertions and deletions after their anchor."""
    if step.kind == Kind.GENERATOR_ADDED:
        return (_after(step.mine) + 0.5, step.theirs or 0)
    if step.mine is None:  # Deleted by the editor: after what stood before it.
        before = (to_mine[i] for i in range(step.base or 0, -1, -1) if to_mine[i] is not None)
        return (_after(next(before, None)) + 0.25, step.base or 0)
    return (float(step.mine), 0)


def _after(anchor: int | None) -> float:
    """Return the position of an anchor in the editor's document; -1 stands before the first item."""
    return -1.0 if anchor is None else float(anchor)


def edits(old: str, new: str) -> list[Edit]:
    """Return the changes turning `old` into `new`, a word or a whole number at a time.

    A text rewritten more than it was kept is one change: scattered single characters that
    happen to match would only make it harder to read.
    """
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    starts = _offsets(a)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if old and new and matcher.ratio() < SIMILAR:
        return [Edit(0, len(old), new)]
    return [
        Edit(starts[i1], starts[i2], "".join(b[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _offsets(tokens: Sequence[str]) -> list[int]:
    """Return the character offset where each token starts, and the total length last."""
    offsets = [0]
    for token in tokens:
        offsets.append(offsets[-1] + len(token))
    return offsets


def describe(old: str, new: str, limit: int = 5) -> str:
    """Say in Chinese what changed from `old` to `new`: 「3.5」改为「3.8」；删去「…」；加入「…」."""
    said = [_describe_edit(old[e.start : e.end], e.new) for e in edits(old, new)]
    more = f"等 {len(said)} 处" if len(said) > limit else ""
    return "；".join(said[:limit]) + more


def _describe_edit(before: str, after: str) -> str:
    """Say one change in Chinese."""
    if not before:
        return f"加入「{after}」"
    return f"删去「{before}」" if not after else f"「{before}」改为「{after}」"
