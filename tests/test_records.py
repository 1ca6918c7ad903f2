"""Records: facts validated into plain classes, with pydantic needed only to build their validator."""

from __future__ import annotations

import copy
import os
import pickle
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.facts import Acknowledged, Facts, Line, ScoringInputs, load_facts
from jixiao.records import pydantic_core_module


def _run(code: str, cache: Path) -> list[str]:
    """Run Python code in a fresh process with its own cache folder; return its output's words."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return done.stdout.split()


def test_a_render_with_built_validators_imports_neither_pydantic_nor_asyncio(example_path: Path, tmp_path: Path) -> None:
    render = (
        "import sys\n"
        "from jixiao.cli import main\n"
        f"sys.argv = ['jixiao', 'render', {str(example_path)!r}, '-o', {str(tmp_path / 'a.docx')!r}, '--force']\n"
        "try:\n    main()\nexcept SystemExit as stop:\n    assert not stop.code, stop.code\n"
        "print(*(name in sys.modules for name in ('pydantic', 'asyncio', 'pydantic_core')))"
    )
    first = _run(render, tmp_path / "cache")  # builds the validator, with pydantic
    assert first[-3] == "True"
    assert _run(render, tmp_path / "cache")[-3:] == ["False", "False", "True"]
    assert (tmp_path / "a.docx").stat().st_size > 0


def test_importing_pydantic_core_leaves_the_real_asyncio_to_whoever_imports_it(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom jixiao.records import pydantic_core_module\n"
        "core = pydantic_core_module()\n"
        "print('asyncio' in sys.modules, 'asyncio.coroutines' in sys.modules)\n"
        "import asyncio\nprint(asyncio.run(asyncio.sleep(0, 'ran')), callable(core.SchemaValidator))"
    )
    assert _run(code, tmp_path) == ["False", "False", "ran", "True"]


def test_pydantic_core_is_the_same_module_however_it_was_imported() -> None:
    import pydantic_core

    assert pydantic_core_module() is pydantic_core


EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "examples" / "yantuan-2021.yaml"


@pytest.fixture(scope="module")
def facts() -> Facts:
    return load_facts(EXAMPLE).facts


def test_records_are_immutable_and_compared_by_value(facts: Facts) -> None:
    with pytest.raises(AttributeError, match="不可修改"):
        facts.unit.full_name = "别的单位"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="不可修改"):
        del facts.unit.full_name
    assert facts.unit == facts.unit.model_copy()
    assert facts.unit != facts.unit.model_copy(update={"short_name": "某镇"})
    assert hash(facts.unit) == hash(facts.unit.model_copy())
    assert repr(facts.unit).startswith("Unit(full_name='巨鹿县阎疃镇人民政府', short_name='阎疃镇'")


def test_a_copy_changes_only_what_it_is_told(facts: Facts) -> None:
    renamed = facts.unit.model_copy(update={"short_name": "某镇"})
    assert (renamed.short_name, renamed.full_name) == ("某镇", facts.unit.full_name)
    assert facts.unit.short_name == "阎疃镇"
    assert "short_name" in renamed.model_fields_set


def test_records_pickle_and_copy_whole(facts: Facts) -> None:
    for again in (pickle.loads(pickle.dumps(facts)), copy.deepcopy(facts), copy.copy(facts)):
        assert again == facts
        assert again.budget.income.total == facts.budget.income.total
        assert again.model_fields_set == facts.model_fields_set


def test_construct_fills_in_the_defaults_without_validating() -> None:
    line = Line.model_construct(initial=Decimal("3"))
    assert (line.initial, line.adjusted, line.final, line.last_year) == (Decimal("3"), None, None, None)
    assert line.stated == Decimal("3")
    assert line.model_fields_set == {"initial"}
    assert ScoringInputs.model_construct().checklists == {}


def test_building_a_record_validates_it_as_pydantic_does() -> None:
    assert Acknowledged(字段="预算 > 收入", 理由="原表如此").place == "预算 › 收入"
    with pytest.raises(pydantic_core_module().ValidationError) as refused:
        Acknowledged(字段="预算", 多余=1)
    assert [error["type"] for error in refused.value.errors()] == ["missing", "extra_forbidden"]


def test_dumping_and_validating_again_gives_the_same_records(facts: Facts) -> None:
    data = facts.model_dump(by_alias=True, exclude_none=True)
    assert data["单位"]["全称"] == "巨鹿县阎疃镇人民政府"
    assert Facts.model_validate(data) == facts
    assert dict(facts.unit)["short_name"] == "阎疃镇"


def test_the_model_of_a_record_has_its_fields_title_and_descriptions() -> None:
    fields = Facts.model_fields
    assert fields["unit"].alias == "单位"
    schema = Facts.model_json_schema(by_alias=True)
    assert schema["title"] == "部门整体支出绩效评价事实数据"
    assert "description" not in schema
    assert schema["$defs"]["Unit"]["properties"]["全称"]["description"].startswith("单位全称")
