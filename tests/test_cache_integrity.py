"""The cache loads only what this user's jixiao wrote: planted, tampered or foreign entries are misses, never code."""

from __future__ import annotations

import os
import pickle
import stat
from decimal import Decimal
from pathlib import Path

import pytest
from jinja2.bccache import Bucket

from jixiao import cache
from jixiao.indicators import load_indicators
from jixiao.report import build_environment
from jixiao.templatecache import CompiledTemplates


class _Planted:
    """A pickle that runs code as it loads (as os.system would): it leaves a marker file."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "ran"))


def _entry(tmp_path: Path, folder: str = "indicators", pattern: str = "*.pickle") -> Path:
    (entry,) = (tmp_path / "cache" / "jixiao" / folder).glob(pattern)
    return entry


def _signed(entry: Path, data: bytes) -> bytes:
    """Sign `data` for `entry` as jixiao does, with this user's own secret."""
    return cache._sign(cache._secret(entry.parent.parent), entry, data)


def test_a_planted_pickle_is_never_loaded(table: Path, tmp_path: Path) -> None:
    expected = load_indicators(table)
    entry, marker = _entry(tmp_path), tmp_path / "ran"
    entry.write_bytes(pickle.dumps(_Planted(marker)))
    assert load_indicators(table) == expected
    assert not marker.exists()


def test_a_tampered_indicator_system_is_not_used(table: Path, tmp_path: Path) -> None:
    expected = load_indicators(table)
    entry = _entry(tmp_path)
    signed = entry.read_bytes()
    tampered = expected._replace(tiers=())  # Another system of the same type: every score would change.
    entry.write_bytes(signed[:32] + pickle.dumps(tampered))
    assert load_indicators(table) == expected


def test_an_entry_signed_for_another_name_is_not_used(table: Path, tmp_path: Path) -> None:
    expected = load_indicators(table)
    entry = _entry(tmp_path)
    other = entry.with_name("0" * 64 + ".pickle")
    other.write_bytes(_signed(other, pickle.dumps(expected._replace(tiers=()))))
    entry.write_bytes(other.read_bytes())
    assert load_indicators(table) == expected


def test_a_signed_entry_is_used(table: Path, tmp_path: Path) -> None:
    """The other tests' misses are the signature's doing: an entry this user signed is loaded."""
    load_indicators(table)
    entry = _entry(tmp_path)
    system = pickle.loads(entry.read_bytes()[32:])
    entry.write_bytes(_signed(entry, pickle.dumps(system._replace(total=Decimal(7)))))
    assert load_indicators(table).total == Decimal(7)


def test_a_planted_template_compilation_is_never_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "report.j2").write_text("正文\n", encoding="utf-8")
    folder = tmp_path / "cache" / "jixiao" / "templates"
    env = build_environment(tmp_path / "t")
    env.bytecode_cache = CompiledTemplates(folder)
    env.get_template("report.j2")
    entry, marker = _entry(tmp_path, "templates", "*.jinja"), tmp_path / "ran"
    code = compile(f"open({str(marker)!r}, 'w').write('ran')", "x", "exec")
    bucket = Bucket(env, entry.stem, entry.stem)  # The checksum Jinja compares is the entry's name.
    bucket.code = code
    entry.write_bytes(bucket.bytecode_to_string())
    fresh = build_environment(tmp_path / "t")
    fresh.bytecode_cache = CompiledTemplates(folder)
    assert fresh.get_template("report.j2").render() == "正文\n"
    assert not marker.exists()


@pytest.mark.parametrize("where", ["root", "folder", "entry", "secret"])
def test_anything_others_may_write_is_a_miss(table: Path, tmp_path: Path, where: str) -> None:
    expected = load_indicators(table)
    entry = _entry(tmp_path)
    system = pickle.loads(entry.read_bytes()[32:])
    entry.write_bytes(_signed(entry, pickle.dumps(system._replace(total=Decimal(7)))))
    shared = {"root": entry.parent.parent, "folder": entry.parent, "entry": entry, "secret": entry.parent.parent / "secret"}
    shared[where].chmod(shared[where].stat().st_mode | stat.S_IWOTH)
    assert load_indicators(table) == expected


def test_an_entry_of_another_owner_is_a_miss(table: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = load_indicators(table)
    entry = _entry(tmp_path)
    system = pickle.loads(entry.read_bytes()[32:])
    entry.write_bytes(_signed(entry, pickle.dumps(system._replace(total=Decimal(7)))))
    monkeypatch.setattr(os, "getuid", lambda: os.stat(entry).st_uid + 1)
    assert load_indicators(table) == expected


def test_the_secret_and_entries_are_private(table: Path, tmp_path: Path) -> None:
    load_indicators(table)
    entry = _entry(tmp_path)
    assert stat.S_IMODE((entry.parent.parent / "secret").stat().st_mode) == 0o600
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert len((entry.parent.parent / "secret").read_bytes()) == 32
