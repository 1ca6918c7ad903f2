"""Compiled templates kept on disk are never used for a template or environment they were not compiled from."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from jixiao.templatecache import CompiledTemplates, _content_key, cache_directory


def environment(folder: Path, cache: Path, **settings: object) -> jinja2.Environment:
    """Return a fresh environment over `folder` using the on-disk cache in `cache` (a new run, in effect)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), **settings)  # type: ignore[arg-type]
    env.bytecode_cache = CompiledTemplates(cache)
    return env


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    (templates / "t.j2").write_text("甲{{ n }}", encoding="utf-8")
    return templates, cache


def test_a_second_run_uses_the_stored_compilation(folders: tuple[Path, Path]) -> None:
    templates, cache = folders
    assert environment(templates, cache).get_template("t.j2").render(n=1) == "甲1"
    assert len(list(cache.iterdir())) == 1
    assert environment(templates, cache).get_template("t.j2").render(n=2) == "甲2"
    assert len(list(cache.iterdir())) == 1


def test_a_changed_template_is_compiled_afresh(folders: tuple[Path, Path]) -> None:
    templates, cache = folders
    environment(templates, cache).get_template("t.j2").render(n=1)
    (templates / "t.j2").write_text("乙{{ n }}", encoding="utf-8")
    assert environment(templates, cache).get_template("t.j2").render(n=1) == "乙1"


def test_a_changed_environment_is_compiled_afresh(folders: tuple[Path, Path]) -> None:
    templates, cache = folders
    (templates / "t.j2").write_text("{% if true %}\n甲{{ n }}{% endif %}", encoding="utf-8")
    assert environment(templates, cache).get_template("t.j2").render(n=1) == "\n甲1"
    assert environment(templates, cache, trim_blocks=True).get_template("t.j2").render(n=1) == "甲1"


def test_a_filter_changing_how_it_is_called_changes_the_key() -> None:
    plain, with_context = jinja2.Environment(), jinja2.Environment()
    plain.filters["f"] = lambda value: value
    with_context.filters["f"] = jinja2.pass_context(lambda context, value: value)
    assert _content_key(plain, "t", None, "{{ 1 | f }}") != _content_key(with_context, "t", None, "{{ 1 | f }}")


def test_a_damaged_entry_is_a_miss_not_an_error(folders: tuple[Path, Path]) -> None:
    templates, cache = folders
    environment(templates, cache).get_template("t.j2").render(n=1)
    for entry in cache.iterdir():
        entry.write_bytes(b"\x00damaged")
    assert environment(templates, cache).get_template("t.j2").render(n=3) == "甲3"


def test_an_unwritable_cache_only_costs_the_compile(folders: tuple[Path, Path]) -> None:
    templates, cache = folders
    cache.write_text("a file where the folder should be", encoding="utf-8")
    assert environment(templates, cache).get_template("t.j2").render(n=4) == "甲4"


def test_the_cache_lives_in_the_users_cache_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_directory() == tmp_path / "jixiao" / "templates"
