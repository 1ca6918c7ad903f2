"""Measure how fast jixiao renders the bundled example, and how much memory it takes.

    python bench/run.py            # a readable summary
    python bench/run.py --json     # {"render_ms_median": …, "cli_render_ms_median": …, …}

Figures are medians over repeated runs on this machine; nothing here asserts a
target (tests never time anything). The targets from issue 5 are printed next to
the figures for the reader.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "examples" / "yantuan-2021.yaml"
RUNTIME_IMPORTS = "import docx, jinja2, yaml, typer, pydantic"


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


def run_process(command: list[str], repeats: int) -> tuple[list[float], float]:
    """Time a whole command `repeats` times; return the timings and the largest child peak RSS in MB."""
    timings, peak_kb = [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        timings.append((time.perf_counter() - start) * 1000)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"命令失败：{' '.join(command)}\n{process.stderr.read().decode()}")
        process.stderr.close()
        peak_kb = max(peak_kb, usage.ru_maxrss)
    return timings, peak_kb / 1024


def jixiao_command() -> list[str]:
    """Return how to start the installed CLI (the console script when present)."""
    script = shutil.which("jixiao")
    return [script] if script else [sys.executable, "-m", "jixiao"]


def measure(repeats: int, process_repeats: int) -> dict[str, float]:
    """Take every figure the README reports."""
    in_process = render_in_process(repeats)
    imports, _ = run_process([sys.executable, "-c", RUNTIME_IMPORTS], process_repeats)
    with tempfile.TemporaryDirectory() as folder:
        target = str(Path(folder) / "bench.docx")
        render_cmd = [*jixiao_command(), "render", str(EXAMPLE), "-o", target, "--force"]
        cli_render, peak = run_process(render_cmd, process_repeats)
    help_times, _ = run_process([*jixiao_command(), "--help"], process_repeats)
    return {
        "render_ms_median": round(statistics.median(in_process), 2),
        "cli_render_ms_median": round(statistics.median(cli_render), 1),
        "help_ms_median": round(statistics.median(help_times), 1),
        "peak_rss_mb": round(peak, 1),
        "import_runtime_ms_median": round(statistics.median(imports), 1),
    }


def summary(figures: dict[str, float]) -> str:
    """Describe the figures next to the targets of issue 5."""
    baseline = figures["import_runtime_ms_median"]
    rows = [
        ("进程内生成一份报告（评分+模板+docx）中位数", figures["render_ms_median"], "ms", "≤ 15 ms"),
        ("jixiao render 整个进程中位数", figures["cli_render_ms_median"], "ms", f"≤ {1.5 * baseline:.0f} ms（1.5×导入依赖）"),
        ("jixiao --help 整个进程中位数", figures["help_ms_median"], "ms", f"≤ {0.7 * baseline:.0f} ms（0.7×导入依赖）"),
        ("jixiao render 峰值内存", figures["peak_rss_mb"], "MB", "≤ 80 MB"),
        ("仅导入运行时依赖的进程中位数", baseline, "ms", "基准"),
    ]
    return "\n".join(f"{name}：{value} {unit}（目标 {target}）" for name, value, unit, target in rows)


def main() -> None:
    """Parse options, measure, print."""
    parser = argparse.ArgumentParser(description="jixiao 性能基准：生成内置示例报告的速度和内存")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    parser.add_argument("--repeats", type=int, default=200, help="进程内重复次数（默认 200）")
    parser.add_argument("--process-repeats", type=int, default=15, help="整个进程的重复次数（默认 15）")
    options = parser.parse_args()
    figures = measure(options.repeats, options.process_repeats)
    print(json.dumps(figures, ensure_ascii=False) if options.json else summary(figures))


if __name__ == "__main__":
    main()
