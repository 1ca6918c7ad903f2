"""The wheel carries the templates and bundled data, so an installed CLI works from any folder."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel the way `pip install .` does."""
    folder = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(folder), str(REPO)]
    subprocess.run(command, check=True, capture_output=True)
    (built,) = folder.glob("jixiao-*.whl")
    return built


@pytest.fixture(scope="module")
def wheel_names(wheel: Path) -> set[str]:
    """List the files inside the wheel."""
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_wheel_ships_every_template(wheel_names: set[str]) -> None:
    files = [path for path in (REPO / "templates").rglob("*") if path.is_file() and "__pycache__" not in path.parts]
    templates = {f"jixiao/templates/{path.relative_to(REPO / 'templates').as_posix()}" for path in files}
    assert {"jixiao/templates/julu/report.j2", "jixiao/templates/julu/profile.yaml"} <= templates
    assert templates <= wheel_names


def test_wheel_ships_the_indicator_system_and_example(wheel_names: set[str]) -> None:
    assert "jixiao/data/indicators/julu-2021.yaml" in wheel_names
    assert "jixiao/data/examples/yantuan-2021.yaml" in wheel_names


def test_wheel_has_the_console_script(wheel: Path, wheel_names: set[str]) -> None:
    (entry_points,) = [name for name in wheel_names if name.endswith(".dist-info/entry_points.txt")]
    with zipfile.ZipFile(wheel) as archive:
        assert "jixiao = jixiao.startup:main" in archive.read(entry_points).decode()


def test_the_wheel_and_the_cli_name_one_version(wheel: Path, run_cli) -> None:
    """The version is written once (src/jixiao/__init__.py); the wheel's name and `jixiao --version` both read it."""
    from jixiao import __version__

    assert wheel.name.startswith(f"jixiao-{__version__}-")
    result = run_cli("--version")
    assert (result.exit_code, result.stdout) == (0, f"jixiao {__version__}\n")
