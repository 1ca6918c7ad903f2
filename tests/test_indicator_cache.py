"""The validated-indicator cache: the same file loads the same system, anything else validates afresh."""

from __future__ import annotations

import os
import pickle
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from jixiao import cache, indicatorfile
from jixiao.errors import IndicatorError, Severity
from jixiao.indicators import load_indicators
from jixiao.yamlsource import SourceMap


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every time the file is actually validated (a cache miss)."""
    seen: list[Path] = []
    build = indicatorfile.build_system

    def counting(data: Any, source: SourceMap) -> Any:
        seen.append(Path(source.file))
        return build(data, source)

    monkeypatch.setattr(indicatorfile, "build_system", counting)
    return seen


def _entries(root: Path) -> list[Path]:
    return sorted((root / "cache" / "jixiao" / "indicators").glob("*.pickle"))


def test_a_second_load_comes_from_the_cache_with_its_warnings(table: Path, validations: list[Path]) -> None:
    first = load_indicators(table)
    second = load_indicators(table)
    assert validations == [table]
    assert second == first
    assert second is not first
    capped = [w for w in second.warnings if w.severity is Severity.WARNING and "封顶" in w.message]
    lines = table.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "超出分值时封顶: true" in text)
    assert [(w.file, w.line) for w in capped] == [(str(table), line)]
    assert second.find("资产管理完整性").weight == first.find("资产管理完整性").weight


def test_a_changed_file_is_validated_afresh(table: Path, validations: list[Path]) -> None:
    load_indicators(table)
    table.write_text(table.read_text(encoding="utf-8").replace("名称: 巨鹿县", "名称: 平乡县", 1), encoding="utf-8")
    changed = load_indicators(table)
    assert len(validations) == 2
    assert changed.name.startswith("平乡县")


def test_the_same_bytes_under_another_name_are_validated_for_that_name(table: Path, validations: list[Path]) -> None:
    load_indicators(table)
    other = table.with_name("other.yaml")
    shutil.copyfile(table, other)
    system = load_indicators(other)
    assert validations == [table, other]
    assert {w.file for w in system.warnings} == {str(other)}
    assert system.path == str(other)


def test_changed_code_makes_every_entry_a_miss(
    table: Path, validations: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    load_indicators(table)
    monkeypatch.setattr(cache, "code_stamp", lambda: b"another version of jixiao")
    load_indicators(table)
    assert len(validations) == 2


def test_the_code_stamp_follows_the_modules_on_disk() -> None:
    stamp = cache.code_stamp().decode()
    assert "indicatorfile.py|" in stamp
    assert "render/docx_writer.py|" in stamp or "render\\docx_writer.py|" in stamp


def test_a_damaged_entry_is_a_miss_not_an_error(table: Path, validations: list[Path]) -> None:
    expected = load_indicators(table)
    (entry,) = _entries(table.parent)
    entry.write_bytes(b"\x80\x05damaged")
    assert load_indicators(table) == expected
    assert len(validations) == 2


def test_an_entry_of_another_type_is_a_miss(table: Path, validations: list[Path]) -> None:
    expected = load_indicators(table)
    (entry,) = _entries(table.parent)
    entry.write_bytes(pickle.dumps({"not": "a system"}))
    assert load_indicators(table) == expected
    assert len(validations) == 2


def test_an_unwritable_cache_only_costs_the_validation(
    table: Path, validations: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = table.parent / "blocked"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    first = load_indicators(table)
    assert load_indicators(table) == first
    assert len(validations) == 2


def test_a_file_with_errors_is_never_stored(table: Path, validations: list[Path]) -> None:
    table.write_text(table.read_text(encoding="utf-8").replace("总分: 100", "总分: 90", 1), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(IndicatorError):
            load_indicators(table)
    assert len(validations) == 2
    assert _entries(table.parent) == []


def test_writing_an_entry_drops_stale_ones_and_nothing_else(tmp_path: Path) -> None:
    folder = tmp_path / "entries"
    folder.mkdir()
    stale, fresh, foreign = folder / f"{'a' * 64}.pickle", folder / f"{'b' * 64}.jinja", folder / "notes.txt"
    for path in (stale, fresh, foreign):
        path.write_bytes(b"x")
    long_ago = time.time() - cache.STALE_AFTER - 3600
    os.utime(stale, (long_ago, long_ago))
    os.utime(foreign, (long_ago, long_ago))
    cache.write_entry(folder / f"{'c' * 64}.pickle", b"new")
    assert sorted(p.name for p in folder.iterdir()) == sorted([fresh.name, foreign.name, f"{'c' * 64}.pickle"])
