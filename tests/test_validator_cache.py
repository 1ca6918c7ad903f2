"""Built validators kept in the cache: a later run validates exactly as a fresh build does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jixiao import cache as cache_module
from jixiao.validation import with_built_validator


def _run(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    """Run Python in a fresh process (where no model is built yet) with its own cache folder."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, check=False)


def test_a_later_process_validates_with_the_stored_validator_and_reports_the_same(
    example_path: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    text = example_path.read_text(encoding="utf-8")
    text = text.replace("在职人员: 64", "在职人员: 很多").replace("  全称: ", "  全名: ", 1)
    broken.write_text(text, encoding="utf-8")
    cache = tmp_path / "cache"
    first = _run("-m", "jixiao", "check", str(broken), cache=cache)
    assert list((cache / "jixiao" / "validators").glob("*.pickle"))
    second = _run("-m", "jixiao", "check", str(broken), cache=cache)
    assert first.returncode == second.returncode == 1
    assert "在职人员" in first.stderr and "全名" in first.stderr
    assert second.stderr == first.stderr
    # The stored validator needs pydantic-core alone: a later process never imports pydantic, nor asyncio.
    probe = (
        "import sys; from jixiao.facts import load_facts; "
        f"facts = load_facts({str(example_path)!r}).facts; "
        "print('pydantic' in sys.modules, 'asyncio' in sys.modules, facts.unit.full_name)"
    )
    assert _run("-c", probe, cache=cache).stdout.split() == ["False", "False", "巨鹿县阎疃镇人民政府"]


def _model() -> type[BaseModel]:
    """Define a fresh deferred model: a new class each time, as each new process has.

    It is published as this module's `Sample`, the name pickle stores a reference to.
    """

    class Sample(BaseModel):
        model_config = ConfigDict(defer_build=True, extra="forbid")
        amount: int = Field(alias="金额", ge=0)

    Sample.__qualname__ = "Sample"
    globals()["Sample"] = Sample
    return Sample


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "jixiao" / "validators"


def test_the_first_use_builds_and_stores_the_next_loads(cache: Path) -> None:
    built = _model()
    with_built_validator(built)
    assert built.__pydantic_complete__
    assert len(list(cache.glob("*.pickle"))) == 1
    loaded = _model()
    with_built_validator(loaded)
    assert not loaded.__pydantic_complete__
    assert loaded.model_validate({"金额": 3}).amount == 3
    with pytest.raises(ValidationError) as refused:
        loaded.model_validate({"金额": -1, "多余": 1})
    assert [e["type"] for e in refused.value.errors()] == ["greater_than_equal", "extra_forbidden"]
    # Anything beyond validation still builds the model as pydantic always would.
    assert loaded.model_json_schema()["properties"]["金额"]["minimum"] == 0
    assert loaded.__pydantic_complete__


def test_changed_code_or_a_damaged_entry_builds_afresh(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with_built_validator(_model())
    (entry,) = cache.glob("*.pickle")
    entry.write_bytes(b"damaged")
    damaged = _model()
    with_built_validator(damaged)
    assert damaged.__pydantic_complete__
    monkeypatch.setattr(cache_module, "code_stamp", lambda: b"other code")
    changed = _model()
    with_built_validator(changed)
    assert changed.__pydantic_complete__
    assert len(list(cache.glob("*.pickle"))) == 2


def test_a_model_pickle_cannot_name_is_validated_and_not_stored(cache: Path) -> None:
    class Local(BaseModel):
        model_config = ConfigDict(defer_build=True)
        amount: int

    with_built_validator(Local)
    assert Local.model_validate({"amount": 2}).amount == 2
    assert not cache.exists() or not list(cache.glob("*.pickle"))
