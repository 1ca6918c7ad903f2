"""Shared fixtures: where the repository and the bundled example are, and a way to run the CLI in-process."""

from __future__ import annotations

import inspect
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.resources import default_indicators_path

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def repo_root() -> Path:
    """Return the repository's top folder."""
    return REPO_ROOT


@pytest.fixture
def example_path() -> Path:
    """Return the 阎疃镇 2021 example as jixiao 0.2 wrote it (the same report as the bundled example).

    Tests that edit the example's text edit this copy: it is what files written for 0.2 look like,
    and it must keep loading, scoring and rendering exactly as the bundled example does
    (tests/test_golden.py). The bundled example itself is `bundled_example_path`.
    """
    return REPO_ROOT / "tests" / "data" / "facts" / "yantuan-2021-v0.2.yaml"


@pytest.fixture
def bundled_example_path() -> Path:
    """Return the bundled example facts file (阎疃镇 2021), in the current layout."""
    return REPO_ROOT / "data" / "examples" / "yantuan-2021.yaml"


def _runner() -> CliRunner:
    """Return a runner that keeps stderr apart from stdout on every click version."""
    # Runners from click < 8.2 mix stderr into stdout unless told not to; newer ones (click 8.2+,
    # and the runner bundled with recent typer) dropped the option and always keep them apart.
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        return CliRunner(mix_stderr=False)
    return CliRunner()


@pytest.fixture
def run_cli() -> Callable[..., Any]:
    """Return a function running `jixiao ARGS…` in-process; the Result has exit_code, stdout and stderr."""
    runner = _runner()

    def run(*args: str | Path) -> Any:
        return runner.invoke(app, [str(arg) for arg in args])

    return run


def pytest_configure(config: pytest.Config) -> None:
    """Keep compiled templates of the test run out of the user's own cache folder."""
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="jixiao-test-cache-")


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add --update-golden: rewrite golden files from the current output after an intended change."""
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/* from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Tell whether golden files are to be rewritten instead of compared."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled table, and an empty cache of its own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    copy = tmp_path / "table.yaml"
    shutil.copyfile(default_indicators_path(), copy)
    return copy
