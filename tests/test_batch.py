"""`render --jobs N`: worker processes build the reports, and the run writes and says exactly what `--jobs 1` does."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jixiao import batch
from jixiao.errors import FactsError, Problem

Run = Callable[..., Any]
NAME = "  全称: 巨鹿县阎疃镇人民政府"


def unit_file(example: Path, folder: Path, file_name: str, full_name: str) -> Path:
    """Write the example under another file name, for the unit `full_name`."""
    path = folder / file_name
    path.write_text(example.read_text(encoding="utf-8").replace(NAME, f"  全称: {full_name}", 1), encoding="utf-8")
    return path


@pytest.fixture
def units(example_path: Path, tmp_path: Path) -> list[Path]:
    """Seven facts files in no sorted order: five units, one with an error, one naming an earlier unit again."""
    folder = tmp_path / "units"
    folder.mkdir()
    paths = [unit_file(example_path, folder, f"{name}.yaml", f"{name}镇人民政府") for name in "戊乙丁甲丙"]
    broken = folder / "坏.yaml"
    broken.write_text(paths[0].read_text(encoding="utf-8").replace("  年度: 2021", "  年度: 二〇二一", 1), encoding="utf-8")
    again = unit_file(example_path, folder, "重复.yaml", "乙镇人民政府")
    return [*paths[:2], broken, *paths[2:4], again, paths[4]]


def render_in(folder: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch, *args: str | Path) -> Any:
    """Run `jixiao render ARGS…` with `folder` as the working directory (reports go to folder/out)."""
    folder.mkdir(exist_ok=True)
    monkeypatch.chdir(folder)
    return run_cli("render", *args)


def written_files(folder: Path) -> dict[str, bytes]:
    """Return every file under folder/out by name, with its bytes."""
    return {path.name: path.read_bytes() for path in sorted((folder / "out").iterdir())}


@pytest.mark.parametrize("jobs", ["2", "3", "7"])
def test_jobs_write_the_same_files_and_say_the_same_things_as_one_job(
    run_cli: Run, units: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    for folder in (tmp_path / "one", tmp_path / "many"):  # A report nobody generated stands where 丁's goes.
        (folder / "out").mkdir(parents=True)
        (folder / "out" / "丁镇人民政府2021年度部门整体支出绩效评价报告.docx").write_bytes(b"an editor's own file")
    one = render_in(tmp_path / "one", run_cli, monkeypatch, *units, "--jobs", "1")
    many = render_in(tmp_path / "many", run_cli, monkeypatch, *units, "--jobs", jobs)
    assert (many.exit_code, many.stdout, many.stderr) == (one.exit_code, one.stdout, one.stderr)
    assert written_files(tmp_path / "many") == written_files(tmp_path / "one")
    assert one.exit_code == 1
    assert "与 " in one.stderr and "重复.yaml" in one.stderr and "这个文件不是本程序生成的" in one.stderr
    assert one.stderr.splitlines()[-1] == "3 个文件有错误，未生成；其余 4 个文件的报告已生成。"


def test_reports_are_listed_in_the_order_the_files_were_given(
    run_cli: Run, units: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = [path for path in units if path.stem in "戊乙丁甲丙"]
    result = render_in(tmp_path, run_cli, monkeypatch, *good, "--jobs", "2")
    assert result.exit_code == 0, result.stderr
    names = [f"out/{path.stem}镇人民政府2021年度部门整体支出绩效评价报告.docx" for path in good]
    assert result.stdout.splitlines() == names


def test_units_after_the_first_are_built_in_as_many_worker_processes_as_jobs(
    run_cli: Run, units: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each unit reports the process that built it; every unit waits until two workers have each taken one."""
    arrivals = tmp_path / "arrivals"
    arrivals.touch()

    def reporting_pid(options: Any) -> Any:
        with arrivals.open("a") as log:
            log.write(f"{os.getpid()}\n")
        deadline = time.monotonic() + 60
        while len(set(arrivals.read_text().split()) - {str(parent)}) < 2 and os.getpid() != parent:
            assert time.monotonic() < deadline, "only one worker process took units"
            time.sleep(0.01)
        raise FactsError([Problem(str(options.facts), None, None, None, f"进程 {os.getpid()}")])

    parent = os.getpid()
    monkeypatch.setattr(batch, "prepare_report", reporting_pid)
    result = render_in(tmp_path, run_cli, monkeypatch, *units, "--jobs", "2")
    pids = [line.rsplit(" ", 1)[-1] for line in result.stderr.splitlines() if "进程 " in line]
    assert len(pids) == len(units)
    assert pids[0] == str(parent)
    assert len(set(pids[1:])) == 2 and str(parent) not in pids[1:]


def test_jobs_below_one_are_refused_as_a_usage_error(run_cli: Run, units: list[Path]) -> None:
    result = run_cli("render", *units, "--jobs", "0")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "错误：选项「--jobs」应为正整数（同时使用的进程数），而不是 0"


def test_an_empty_batch_writes_nothing() -> None:
    from jixiao.report import RenderOptions

    assert batch.render_reports([], RenderOptions(facts=Path("x.yaml")), jobs=2) == batch.BatchResult([], [], [], [], [])
