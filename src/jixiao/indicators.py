"""The indicator system (指标体系评分表) as jixiao scores with it: tiers, weights, texts, rules and measures.

`load_indicators` reads an indicator file and returns it validated (see `indicatorfile`
for the file's schema and checks). A validated system is kept in the per-user cache,
keyed by the file's bytes and name and by the running code (`cache.code_stamp`): the
same file loads the next time without its schema being built or checked again, with
the same warnings.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from jixiao import rules, wording
from jixiao.cache import remembered
from jixiao.errors import IndicatorError, Problem, file_order, only_errors
from jixiao.measures import Measure
from jixiao.resources import default_indicators_path
from jixiao.wording import closest
from jixiao.yamlsource import load_yaml, read_bytes

_CACHE_FOLDER = "indicators"

# Quotes and spaces people type or leave out: 「“三公经费”变动率」 and 「三公经费变动率」 are one name.
# String methods rather than a pattern: a character class this wide takes 0.2 ms to compile.
_QUOTES_GONE = str.maketrans("", "", "\"'“”‘’「」『』《》")


# An indicator's path as people write it: 过程 › 预算管理 › 管理制度健全性 (› or >, with or without spaces).
_PATH_SEPARATOR = "›"
_OTHER_SEPARATORS = str.maketrans(">＞", "››")
PATH_JOINER = " › "


@lru_cache(maxsize=4096)  # Scoring and the templates look the same few names up thousands of times a report.
def normalise_name(name: str) -> str:
    """Reduce an indicator or measure name to what identifies it: no quotes, no spaces."""
    return "".join(name.split()).translate(_QUOTES_GONE)  # split() drops what \s matches: all whitespace


def indicator_key(tier1: str, tier2: str, name: str) -> str:
    """Return what identifies a 三级指标 in its system: its normalised path."""
    return "›".join(normalise_name(part) for part in (tier1, tier2, name))


def path_parts(text: str) -> tuple[str, ...]:
    """Split a name or path into its normalised parts: 「过程 › 预算管理 › 管理制度健全性」 → three parts."""
    return tuple(normalise_name(part) for part in text.translate(_OTHER_SEPARATORS).split(_PATH_SEPARATOR))


def suggest(name: str, candidates: list[str]) -> str | None:
    """Return the candidate closest to `name` (compared without quotes and spaces), if any is close."""
    return closest(name, candidates, 0.5, normalise_name)


# ---------------------------------------------------------------- the loaded system


class Indicator(NamedTuple):
    """A 三级指标 ready to score."""

    tier1: str
    tier2: str
    name: str
    weight: Decimal
    explanation: str
    criteria: str
    rule: rules.Rule
    zero: rules.ZeroBase | None = None

    @property
    def key(self) -> str:
        """Return what identifies this indicator in the system: its path, normalised."""
        return indicator_key(self.tier1, self.tier2, self.name)

    @property
    def parts(self) -> tuple[str, str, str]:
        """Return the normalised 一级, 二级 and 三级 names."""
        return normalise_name(self.tier1), normalise_name(self.tier2), normalise_name(self.name)

    @property
    def path(self) -> str:
        """Return the indicator's place in the table: 过程 › 预算管理情况 › 资金使用合规性."""
        return PATH_JOINER.join((self.tier1, self.tier2, self.name))

    def answers_to(self, parts: tuple[str, ...]) -> bool:
        """Tell whether a name or path (as `path_parts`) names this indicator: its name, or its path's tail."""
        if len(parts) == 1:  # A bare name, as facts files mostly write: a report asks this a thousand times.
            return normalise_name(self.name) == parts[0]
        return 1 < len(parts) <= 3 and self.parts[-len(parts) :] == parts


class Tier2(NamedTuple):
    """A 二级指标 with its 三级指标."""

    name: str
    weight: Decimal
    indicators: tuple[Indicator, ...]


class Tier1(NamedTuple):
    """A 一级指标 with its 二级指标."""

    name: str
    weight: Decimal
    tiers: tuple[Tier2, ...]


class IndicatorSystem(NamedTuple):
    """A validated indicator system; `warnings` are placed in the indicator file."""

    name: str
    scope: str | None
    total: Decimal
    tiers: tuple[Tier1, ...]
    measures: dict[str, Measure]
    path: str
    warnings: list[Problem]
    caps: tuple[rules.TotalCap, ...] = ()
    grades: tuple[rules.GradeBand, ...] = ()
    figures: tuple[tuple[str, str], ...] = ()
    """Figures the table itself defines for its formulas (自定义数据: name, meaning), given by units in 评分数据."""
    source: str | None = None
    """Where the table comes from and which rows are the maintainer's reading (来源)."""

    @property
    def indicators(self) -> list[Indicator]:
        """Return every 三级指标 in table order."""
        return [item for tier1 in self.tiers for tier2 in tier1.tiers for item in tier2.indicators]

    def matches(self, name: str) -> list[Indicator]:
        """Return the indicators a name or path names (quotes and spaces ignored): more than one when ambiguous."""
        parts = path_parts(name)
        return [item for item in self.indicators if item.answers_to(parts)]

    def written(self, item: Indicator) -> str:
        """Return how facts files name an indicator: its name, or 二级 › 三级 when the name is not unique."""
        return item.name if len(self.matches(item.name)) == 1 else f"{item.tier2} › {item.name}"

    def find(self, name: str) -> Indicator | None:
        """Return the one indicator a name or path names, or None (none, or an ambiguous name)."""
        found = self.matches(name)
        return found[0] if len(found) == 1 else None

    def with_cohort(self, ends: Mapping[str, rules.Bounds]) -> IndicatorSystem:
        """Return the system with each 线性区间 named in `ends` (by indicator key) carrying its cohort's ends."""

        def carried(item: Indicator) -> Indicator:
            bounds = ends.get(item.key)
            return item if bounds is None else item._replace(rule=item.rule._replace(cohort=bounds))

        tiers = tuple(
            tier1._replace(
                tiers=tuple(tier2._replace(indicators=tuple(map(carried, tier2.indicators))) for tier2 in tier1.tiers)
            )
            for tier1 in self.tiers
        )
        return self._replace(tiers=tiers)

    def measure(self, name: str) -> Measure | None:
        """Return the measure called `name` (quotes and spaces ignored), or None."""
        key = normalise_name(name)
        return next((m for m in self.measures.values() if normalise_name(m.name) == key), None)


def load_indicators(path: Path | None = None) -> IndicatorSystem:
    """Load and validate an indicator system (default: the seed's 巨鹿县 2021 table); raise IndicatorError."""
    path = default_indicators_path() if path is None else Path(path)
    raw, problems = read_bytes(path)
    if raw is None:
        raise IndicatorError(problems)
    return remembered(_CACHE_FOLDER, IndicatorSystem, (str(path), raw), lambda: _validate(path, raw))


def _validate(path: Path, raw: bytes) -> IndicatorSystem:
    """Parse and validate the file's bytes; return the system with its warnings, or raise IndicatorError."""
    from jixiao.indicatorfile import build_system

    loaded = load_yaml(path, raw)
    problems = list(loaded.problems)
    system = None
    if loaded.data is not None:
        system, found = build_system(loaded.data, loaded.source)
        problems.extend(found)
    problems.sort(key=file_order)
    if system is None or only_errors(problems):
        raise IndicatorError(problems)
    return system._replace(warnings=problems)


def ambiguous(name: str, found: list[Indicator]) -> str:
    """Say a name fits several indicators, listing their paths to write instead."""
    paths = "；".join(f"「{item.path}」" for item in found)
    return f"「{name}」对应 {len(found)} 个三级指标，请写明路径（一级 › 二级 › 三级）：{paths}"


def did_you_mean(message: str, name: str, known: list[str]) -> str:
    """Add the closest known indicator name (compared without quotes and spaces), if one is close."""
    return wording.did_you_mean(message, name, known, 0.5, normalise_name)
