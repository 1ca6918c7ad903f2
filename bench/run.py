"""Measure how fast jixiao renders the bundled example, and how much memory it takes.

    python bench/run.py            # a readable summary
    python bench/run.py --json     # {"render_ms_median": …, "cli_render_ms_median": …, …}

Figures are medians on this machine; nothing here asserts a target (tests never time
anything). The targets from issues 5 and 15 are printed next to the figures for the reader.

How the whole-process figures are taken, so they can be trusted:
- The baseline is a bare interpreter importing every runtime dependency that
  pyproject.toml declares (read from it, not written down here twice).
- Baseline, `jixiao render` and `jixiao --help` run interleaved, one of each per round,
  so a machine that speeds up or slows down during the run affects all three alike.
- Children run with bytecode caching allowed (PYTHONDONTWRITEBYTECODE removed), as an
  installed package has its .pyc files; one untimed round comes first.
- The cache (compiled templates, the validated indicator system, built validators) lives in a fresh
  folder: the first render fills it (reported as `cli_render_first_ms`), the timed
  renders use it, as every render after the first does on a user's machine. The facts
  are never cached: every render validates them, as a new unit's facts would be.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "examples" / "yantuan-2021.yaml"
# Distributions whose import name differs from the distribution name.
IMPORT_NAMES = {"python-docx": "docx", "pyyaml": "yaml", "lxml": "lxml.etree"}
# The floor of issue 15: what a docxtpl-style one-shot script imports before it can start.
IMPORT_FLOOR = "import docx, jinja2, yaml, typer"
EXAMPLE_UNIT = "全称: 巨鹿县阎疃镇人民政府"


def runtime_imports(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """Return an import statement for every runtime dependency pyproject.toml declares."""
    declared = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    names = [re.match(r"[A-Za-z0-9._-]+", requirement).group().lower() for requirement in declared]
    return "import " + ", ".join(IMPORT_NAMES.get(name, name.replace("-", "_")) for name in names)


def render_in_process(repeats: int) -> list[float]:
    """Time scoring + templates + docx for the example, facts and indicators loaded once."""
    from jixiao.facts import load_facts
    from jixiao.indicators import load_indicators
    from jixiao.report import build_document, docx_bytes
    from jixiao.scoring import score_facts

    facts = load_facts(EXAMPLE).facts
    system = load_indicators(None)
    docx_bytes(build_document(facts, score_facts(facts, system)))  # Warm caches: templates, static parts.
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        docx_bytes(build_document(facts, score_facts(facts, system)))
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def run_once(command: list[str], env: dict[str, str], cwd: Path | None = None) -> tuple[float, float]:
    """Run a command to its end (in `cwd`); return its wall time in ms and its peak RSS in MB.

    Its messages go to a file, not a pipe: a batch's warnings would fill a pipe nobody reads
    until the end, and the command would wait for ever.
    """
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, env=env, cwd=cwd)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = (time.perf_counter() - start) * 1000
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            raise SystemExit(f"命令失败：{' '.join(command[:4])} …\n{errors.read().decode()[-3000:]}")
    return elapsed, usage.ru_maxrss / 1024


def jixiao_command() -> list[str]:
    """Return how to start the installed CLI: the console script beside this interpreter when present."""
    # Prefer the script next to sys.executable: a version-manager shim on PATH adds its own start-up.
    beside = Path(sys.executable).parent / "jixiao"
    script = str(beside) if beside.exists() else shutil.which("jixiao")
    return [script] if script else [sys.executable, "-m", "jixiao"]


def child_environment(cache: Path) -> dict[str, str]:
    """Return the environment for measured processes: .pyc files allowed, the jixiao cache in `cache`."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["XDG_CACHE_HOME"] = str(cache)
    return env


def measure_processes(rounds: int, folder: Path) -> dict[str, float]:
    """Time the baseline, the import floor, `jixiao render` and `jixiao --help` in interleaved rounds."""
    env = child_environment(folder / "cache")
    target = str(folder / "bench.docx")
    commands = {
        "import": [sys.executable, "-c", runtime_imports()],
        "floor": [sys.executable, "-c", IMPORT_FLOOR],
        "render": [*jixiao_command(), "render", str(EXAMPLE), "-o", target, "--force"],
        "help": [*jixiao_command(), "--help"],
    }
    first_render, _ = run_once(commands["render"], env)  # Fills the empty cache.
    for command in commands.values():
        run_once(command, env)
    timings, peaks = interleaved(commands, env, rounds)
    peak = max(peaks["render"])
    return {
        # Ratios are taken round by round (each against the baseline run just before it), then the
        # median: the machine's speed drifts between rounds, and a paired ratio cancels most of it.
        "render_to_import_ratio": paired_ratio(timings["render"], timings["import"]),
        "help_to_import_ratio": paired_ratio(timings["help"], timings["import"]),
        "cli_render_vs_import_floor": paired_ratio(timings["render"], timings["floor"]),
        "help_vs_import_floor": paired_ratio(timings["help"], timings["floor"]),
        "import_floor_ms_median": round(statistics.median(timings["floor"]), 1),
        "cli_render_ms_median": round(statistics.median(timings["render"]), 1),
        "help_ms_median": round(statistics.median(timings["help"]), 1),
        "peak_rss_mb": round(peak, 1),
        "import_runtime_ms_median": round(statistics.median(timings["import"]), 1),
        "cli_render_first_ms": round(first_render, 1),
    }


def interleaved(
    commands: dict[str, list[str]], env: dict[str, str], rounds: int, cwd: Path | None = None
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Run each command once per round, in turn; return every run's wall time (ms) and peak RSS (MB) by name."""
    timings: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, command in commands.items():
            elapsed, rss = run_once(command, env, cwd)
            timings[name].append(elapsed)
            peaks[name].append(rss)
    return timings, peaks


def paired_ratio(measured: list[float], baseline: list[float]) -> float:
    """Return the median of the round-by-round ratios measured / baseline."""
    return round(statistics.median(m / b for m, b in zip(measured, baseline, strict=True)), 3)


def write_units(folder: Path, count: int) -> list[str]:
    """Write `count` facts files — the example under other unit names, as a county's batch — and name them.

    The names are relative to `folder`'s parent, where the measured commands run: 10,000
    of them must fit on one command line.
    """
    text = EXAMPLE.read_text(encoding="utf-8")
    assert text.count(EXAMPLE_UNIT) == 1
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for number in range(1, count + 1):
        name = f"{folder.name}/unit{number:05d}.yaml"
        (folder.parent / name).write_text(text.replace(EXAMPLE_UNIT, f"全称: 测试单位{number:05d}"), encoding="utf-8")
        names.append(name)
    return names


def measure_batch(units: int, rounds: int, folder: Path) -> dict[str, float]:
    """Time one `jixiao render` of `units` facts files at `--jobs 1` and at the default (one job per core)."""
    names = write_units(folder / "units", units)
    env = child_environment(folder / "cache")
    render = [*jixiao_command(), "render", *names, "--force"]
    commands = {"jobs_1": [*render, "--jobs", "1"], "default": render}
    run_once(commands["jobs_1"], env, folder)  # Fills the cache, writes the reports once.
    timings, peaks = interleaved(commands, env, rounds, folder)
    jobs_1 = statistics.median(timings["jobs_1"])
    return {
        "batch_units": units,
        "default_jobs": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1,
        "batch_1000_s_jobs_1": round(jobs_1 / 1000, 2),
        "batch_1000_s_default": round(statistics.median(timings["default"]) / 1000, 2),
        "batch_default_vs_jobs_1": paired_ratio(timings["default"], timings["jobs_1"]),
        "batch_ms_per_unit": round(jobs_1 / units, 1),
        "batch_peak_rss_mb": round(max(peaks["jobs_1"]), 1),
    }


def measure_pdf(units: int, rounds: int, folder: Path) -> dict[str, float]:
    """Time `render --pdf` of the example alone, and of `units` units in one run; empty without LibreOffice."""
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        return {}
    names = write_units(folder / "units", units)
    env = child_environment(folder / "cache")
    commands = {
        "single": [*jixiao_command(), "render", str(EXAMPLE), "-o", str(folder / "single.docx"), "--pdf", "--force"],
        "batch": [*jixiao_command(), "render", *names, "--pdf", "--force"],
    }
    run_once(commands["single"], env, folder)  # Fills the cache.
    timings, _ = interleaved(commands, env, rounds, folder)
    per_document = [elapsed / units for elapsed in timings["batch"]]
    return {
        "pdf_batch_units": units,
        "pdf_single_s": round(statistics.median(timings["single"]) / 1000, 2),
        "pdf_batch_10_s_per_doc": round(statistics.median(per_document) / 1000, 2),
        "pdf_batch_vs_single": paired_ratio(per_document, timings["single"]),
    }


def measure_compare(units: int, folder: Path) -> dict[str, float]:
    """Take the peak memory and time of one `jixiao compare` of `units` facts files."""
    names = write_units(folder / "units", units)
    env = child_environment(folder / "cache")
    run_once([*jixiao_command(), "compare", names[0]], env, folder)  # Fills the cache.
    elapsed, rss = run_once([*jixiao_command(), "compare", *names], env, folder)
    return {"compare_units": units, "compare_10000_peak_mb": round(rss, 1), "compare_10000_s": round(elapsed / 1000, 1)}


def measure(options: argparse.Namespace) -> dict[str, float]:
    """Take every figure the README reports."""
    in_process = render_in_process(options.repeats)
    figures = {"render_ms_median": round(statistics.median(in_process), 2)}
    with tempfile.TemporaryDirectory() as folder:
        figures.update(measure_processes(options.process_repeats, Path(folder)))
    with tempfile.TemporaryDirectory() as folder:
        figures.update(measure_batch(options.batch, options.scale_rounds, Path(folder)))
    with tempfile.TemporaryDirectory() as folder:
        figures.update(measure_pdf(options.pdf_batch, options.scale_rounds, Path(folder)))
    with tempfile.TemporaryDirectory() as folder:
        figures.update(measure_compare(options.compare, Path(folder)))
    return figures


def summary(figures: dict[str, float]) -> str:
    """Describe the figures next to the targets of issues 5 and 15."""
    baseline = figures["import_runtime_ms_median"]
    render, help_ = figures["cli_render_ms_median"], figures["help_ms_median"]
    rows = [
        ("进程内生成一份报告（评分+模板+docx）中位数", f"{figures['render_ms_median']} ms", "≤ 15 ms"),
        ("jixiao render 整个进程中位数", f"{render} ms（逐轮比值中位数 {figures['render_to_import_ratio']:.2f}×基准）", "≤ 1.5×基准"),
        ("jixiao --help 整个进程中位数", f"{help_} ms（逐轮比值中位数 {figures['help_to_import_ratio']:.2f}×基准）", "≤ 0.7×基准"),
        (
            "jixiao render 与导入下限的逐轮比值中位数",
            f"{figures['cli_render_vs_import_floor']:.2f}×（下限 {figures['import_floor_ms_median']} ms：{IMPORT_FLOOR}）",
            "≤ 1.1×下限",
        ),
        ("jixiao --help 与导入下限的逐轮比值中位数", f"{figures['help_vs_import_floor']:.2f}×", "≤ 0.7×下限"),
        ("jixiao render 峰值内存", f"{figures['peak_rss_mb']} MB", "≤ 80 MB"),
        ("基准：仅导入运行时依赖的进程中位数", f"{baseline} ms", runtime_imports()),
        ("首次 jixiao render（模板缓存为空）", f"{figures['cli_render_first_ms']} ms", "仅供参考"),
        (
            f"一次 jixiao render 生成 {figures['batch_units']} 个单位：--jobs 1 / 默认（{figures['default_jobs']} 个进程）",
            f"{figures['batch_1000_s_jobs_1']} s / {figures['batch_1000_s_default']} s"
            f"（逐轮比值中位数 {figures['batch_default_vs_jobs_1']:.2f}×；--jobs 1 平均每份 {figures['batch_ms_per_unit']} ms，"
            f"峰值内存 {figures['batch_peak_rss_mb']} MB）",
            "默认 ≤ 0.6× --jobs 1（2 核）",
        ),
        *pdf_rows(figures),
        (
            f"一次 jixiao compare 比较 {figures['compare_units']} 个单位",
            f"峰值内存 {figures['compare_10000_peak_mb']} MB，用时 {figures['compare_10000_s']} s",
            "≤ 300 MB（10,000 个单位）",
        ),
    ]
    return "\n".join(f"{name}：{value}（{target}）" for name, value, target in rows)


def pdf_rows(figures: dict[str, float]) -> list[tuple[str, str, str]]:
    """Describe the PDF figures, or say they were not taken (no LibreOffice)."""
    if "pdf_single_s" not in figures:
        return [("PDF", "未测：未找到 LibreOffice（soffice）", "—")]
    batch = f"一次 jixiao render --pdf 生成 {figures['pdf_batch_units']} 个单位，平均每份"
    return [
        ("jixiao render --pdf 生成一份（整个进程）", f"{figures['pdf_single_s']} s", "仅供参考"),
        (batch, f"{figures['pdf_batch_10_s_per_doc']} s（逐轮比值中位数 {figures['pdf_batch_vs_single']:.2f}×单份）", "≤ 0.35×单份"),
    ]


def main() -> None:
    """Parse options, measure, print."""
    parser = argparse.ArgumentParser(description="jixiao 性能基准：生成内置示例报告的速度和内存")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    parser.add_argument("--repeats", type=int, default=200, help="进程内重复次数（默认 200）")
    parser.add_argument("--process-repeats", type=int, default=15, help="整个进程的测量轮数（默认 15）")
    parser.add_argument("--batch", type=int, default=1000, help="一次 render 生成的单位数（默认 1000）")
    parser.add_argument("--pdf-batch", type=int, default=10, help="一次 render --pdf 生成的单位数（默认 10）")
    parser.add_argument("--compare", type=int, default=10000, help="一次 compare 比较的单位数（默认 10000）")
    parser.add_argument("--scale-rounds", type=int, default=2, help="批量与 PDF 的测量轮数（默认 2）")
    options = parser.parse_args()
    figures = measure(options)
    print(json.dumps(figures, ensure_ascii=False) if options.json else summary(figures))


if __name__ == "__main__":
    main()
