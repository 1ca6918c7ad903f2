"""Seeded mutations of the bundled example, and a corpus of past failures: no traceback, no hang, a placed Chinese message.

Each case is a facts file (or an indicator file) made from the bundled example by a few
byte and line mutations chosen by a seeded random generator, so every run tries the same
cases and a failure can be replayed by its number. `jixiao check` must end with exit 0 or
1, never an exception; every problem it prints must name a file (and a line, when it is
about the file's content) and say what is wrong in Chinese; a file that passes the check
must render. A case that runs longer than WATCHDOG seconds fails as a hang.

The corpus (tests/fuzz/corpus/) keeps inputs that once failed: files used as they are
(`*.yaml`, `*.bin`), and edits of a bundled file (`*.edit.json`: {"base": "facts" or
"indicators", "edits": [[old, new], …]}). To keep a new failure, set JIXIAO_FUZZ_SAVE=1:
failing mutated cases are then written to the corpus under their case number.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from jixiao.resources import default_indicators_path

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "data" / "examples" / "yantuan-2021.yaml"
CORPUS = Path(__file__).parent / "corpus"
CASES = 300
WATCHDOG = 60  # seconds: far beyond any check (about 20 ms); only a hang gets there

INTERESTING = [
    "\u2028", "\r", "\x00", "\t", '"', "'", "[", "{", "}", ": ", "- ", "&a ", "*a", "? ", "---\n", "...\n",
    "%YAML 1.1\n", "1e999999999", "12345678901234567890123456789012345678901", "-1", "0", "²", "#", "|", ">",
    "!!python/object/apply:os.system ['touch /tmp/jixiao-fuzz-ran']\n", "~", "\\", "\ufeff", "\x85", "\u2029",
    "@", "`", "%", "null", "true", "::: 表格 X", "{{ 1/0 }}", "\ud800",
]
_PLACED = re.compile(r"^(?P<file>.+?)(?::\d+(?::\d+)?)?: (错误|警告)：")
_ENGLISH = re.compile(r"\b[a-z]{3,} [a-z]{3,}\b")  # two English words in a row: wording that escaped translation


def _mutated(case: int, base: bytes) -> bytes:
    """Apply one to three seeded mutations to `base`'s text; one case in ten also gets a raw byte changed."""
    rng = random.Random(case)
    text = base.decode("utf-8")
    for _ in range(rng.randint(1, 3)):
        text = rng.choice(_MUTATIONS)(rng, text)
    data = bytearray(text.encode("utf-8", "surrogatepass"))
    if data and rng.random() < 0.1:
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def _delete(rng: random.Random, text: str) -> str:
    start = rng.randrange(len(text))
    return text[:start] + text[start + rng.randint(1, 20) :]


def _insert(rng: random.Random, text: str) -> str:
    at = rng.randrange(len(text) + 1)
    return text[:at] + rng.choice(INTERESTING) + text[at:]


def _lines(rng: random.Random, text: str) -> str:
    """Duplicate, drop, swap or re-indent lines."""
    lines = text.split("\n")
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    kind = rng.randrange(4)
    if kind == 0:
        lines.insert(i, lines[j])
    elif kind == 1:
        del lines[i]
    elif kind == 2:
        lines[i], lines[j] = lines[j], lines[i]
    else:
        lines[i] = "  " + lines[i] if rng.random() < 0.5 else lines[i][2:]
    return "\n".join(lines)


def _number(rng: random.Random, text: str) -> str:
    """Replace a number with an extreme one."""
    found = list(re.finditer(r"(?<=: )\d[\d.]*", text))
    if not found:
        return text
    match = rng.choice(found)
    extreme = rng.choice(["1e999999999", "-0", "99999999999999999999", "0.0000000000001", "1_0", "0x10", ".5", "-5"])
    return text[: match.start()] + extreme + text[match.end() :]


def _truncate(rng: random.Random, text: str) -> str:
    return text[: rng.randrange(len(text) + 1)]


_MUTATIONS = [_delete, _insert, _insert, _insert, _lines, _lines, _number, _number, _truncate]


@contextmanager
def watchdog(seconds: int) -> Iterator[None]:
    """Fail the running case if it takes `seconds` (a hang, not slowness: checks take milliseconds)."""

    def hung(number: int, frame: object) -> None:
        raise AssertionError(f"超过 {seconds} 秒仍未结束：卡住了")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def assert_handled(run_cli, facts: Path, tmp_path: Path, *options: str | Path) -> None:
    """Check (and, when the check passes, render) one input: exit 0 or 1, every problem placed and in Chinese."""
    with watchdog(WATCHDOG):
        result = run_cli("check", facts, *options)
    assert result.exit_code in (0, 1), f"退出码 {result.exit_code}：{result.exception!r}"
    assert "Traceback" not in result.output
    problems = [line for line in result.stderr.splitlines() if "：错误：" in line or ": 错误：" in line or ": 警告：" in line]
    if result.exit_code == 1:
        assert problems, result.stderr
    for line in problems:
        placed = _PLACED.match(line)
        assert placed, f"没有指明文件：{line}"
        assert re.search("[\u4e00-\u9fff]", line.split("：", 1)[-1]), line
        assert not _ENGLISH.search(line.split("：", 1)[-1]), f"英文提示：{line}"
    if result.exit_code == 0:
        with watchdog(WATCHDOG):
            rendered = run_cli("render", facts, *options, "-o", tmp_path / "report.docx", "--force")
        assert rendered.exit_code in (0, 1), f"render 退出码 {rendered.exit_code}：{rendered.exception!r}"
        assert "Traceback" not in rendered.output
    assert not Path("/tmp/jixiao-fuzz-ran").exists()


def _save(name: str, data: bytes) -> None:
    if os.environ.get("JIXIAO_FUZZ_SAVE") == "1":
        (CORPUS / name).write_bytes(data)


@pytest.mark.parametrize("case", range(CASES))
def test_a_mutated_facts_file_is_handled(run_cli, tmp_path, case):
    facts = tmp_path / "facts.yaml"
    data = _mutated(case, EXAMPLE.read_bytes())
    facts.write_bytes(data)
    try:
        assert_handled(run_cli, facts, tmp_path)
    except AssertionError:
        _save(f"facts-case-{case}.bin", data)
        raise


@pytest.mark.parametrize("case", range(CASES // 6))
def test_a_mutated_indicator_file_is_handled(run_cli, tmp_path, case):
    table = tmp_path / "table.yaml"
    data = _mutated(10_000 + case, default_indicators_path().read_bytes())
    table.write_bytes(data)
    try:
        assert_handled(run_cli, EXAMPLE, tmp_path, "--indicators", table)
    except AssertionError:
        _save(f"indicators-case-{case}.bin", data)
        raise


def _corpus() -> list[Path]:
    return sorted(path for path in CORPUS.iterdir() if path.suffix in {".yaml", ".bin", ".json"})


@pytest.mark.parametrize("entry", _corpus(), ids=lambda path: path.name)
def test_a_past_failure_stays_handled(run_cli, tmp_path, entry):
    if not entry.name.endswith(".edit.json"):
        assert_handled(run_cli, entry, tmp_path)
        return
    spec = json.loads(entry.read_text(encoding="utf-8"))
    base = EXAMPLE if spec["base"] == "facts" else default_indicators_path()
    text = base.read_text(encoding="utf-8")
    for old, new in spec["edits"]:
        assert old in text, f"{entry.name}：示例中已没有「{old}」，请更新这条记录"
        text = text.replace(old, new, 1)
    edited = tmp_path / ("facts.yaml" if spec["base"] == "facts" else "table.yaml")
    edited.write_text(text, encoding="utf-8", errors="surrogatepass")
    if spec["base"] == "facts":
        assert_handled(run_cli, edited, tmp_path)
    else:
        assert_handled(run_cli, EXAMPLE, tmp_path, "--indicators", edited)


def test_the_corpus_holds_the_failures_the_issue_names():
    assert len(_corpus()) >= 20
