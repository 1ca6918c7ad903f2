"""The benchmark script runs and reports its figures (issue item 3); its timings are reported, never asserted."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "run.py"
KEYS = (
    "render_ms_median",
    "cli_render_ms_median",
    "help_ms_median",
    "peak_rss_mb",
    "batch_ms_per_unit",
    "cli_render_vs_import_floor",
    "help_vs_import_floor",
    "batch_1000_s_jobs_1",
    "batch_1000_s_default",
    "batch_default_vs_jobs_1",
    "pdf_single_s",
    "pdf_batch_10_s_per_doc",
    "pdf_batch_vs_single",
    "compare_10000_peak_mb",
)


def test_bench_json_prints_every_figure_as_a_number(repo_root: Path) -> None:
    command = [sys.executable, str(BENCH), "--json", "--repeats", "3", "--process-repeats", "1", "--batch", "3"]
    command += ["--pdf-batch", "2", "--compare", "3", "--scale-rounds", "1"]
    completed = subprocess.run(command, capture_output=True, text=True, cwd=repo_root, timeout=300, check=False)
    assert completed.returncode == 0, completed.stderr
    figures = json.loads(completed.stdout)
    for key in KEYS:
        assert isinstance(figures[key], int | float) and not isinstance(figures[key], bool), key
        assert figures[key] > 0, key


def test_the_baseline_imports_exactly_what_pyproject_declares(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("jixiao_bench", BENCH)
    assert spec is not None and spec.loader is not None
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\ndependencies = ["Jinja2>=3.1", "python-docx>=1.1", "PyYAML", "typer[all]>=0.29", "lxml"]\n',
        encoding="utf-8",
    )
    assert run.runtime_imports(pyproject) == "import jinja2, docx, yaml, typer, lxml.etree"
