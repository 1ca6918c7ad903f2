"""Render many units in one run: worker processes build the reports, this process writes them in input order.

Each unit's work — check, score, templates, the .docx bytes — is done by `build_unit`,
in a pool of worker processes when more than one job is asked for. Everything that
decides what ends up on disk stays here and runs in the order the files were given:
two files naming one report, a file someone edited, the order of the messages and of
the paths printed. So `--jobs 4` writes the same files and says the same things as
`--jobs 1`, only sooner. With `--merge`, a report already on disk is merged into here
too, by the writer one unit's `render --merge` uses (report.write_report). The first
unit is built here before any worker starts, which fills the caches (compiled templates,
indicator system, validators) once instead of having every worker race to build them.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from functools import partial
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from jixiao.errors import OutputError, Problem, ReportError
from jixiao.report import RenderOptions, docx_bytes, prepare_report, write_report

if TYPE_CHECKING:
    from jixiao.merge.edited import Merged

T = TypeVar("T")
_CHUNKS_PER_JOB = 4  # Units go to workers in chunks: fewer hand-overs, yet the work stays even.
_MAX_CHUNK = 16
_WRITERS_PER_JOB = 2  # Threads writing reports: a write mostly waits for the disk to flush.


class BatchResult(NamedTuple):
    """What a batch wrote, the warnings, and the problems of the files it could not render.

    `failed` names those files: each is left unwritten, and the others are written all the same.
    `merged` holds the merges made with `--merge`, in input order.
    """

    written: list[Path]
    warnings: list[Problem]
    problems: list[Problem]
    failed: list[Path]
    merged: list[Merged]


class BuiltUnit(NamedTuple):
    """One unit's report built by a worker: where it goes and its bytes, or the problems that stopped it."""

    target: Path | None
    data: bytes
    warnings: list[Problem]
    problems: list[Problem]


class _Outcome(NamedTuple):
    """What became of one facts file: files written (the .docx, then its PDF), warnings, problems, the merge."""

    written: list[Path]
    warnings: list[Problem]
    problems: list[Problem]
    failed: bool
    merged: tuple[Merged, ...] = ()


def render_reports(paths: Sequence[Path], options: RenderOptions, jobs: int = 1) -> BatchResult:
    """Render each facts file to its default path with up to `jobs` processes; a bad file does not stop the rest.

    Two files naming the same unit and year would be written to one path: the later one
    (in the order given) is refused rather than allowed to replace the report just written
    for the first.
    """
    if not paths:
        return BatchResult([], [], [], [], [])
    build = partial(build_unit, options=options)
    first = build(paths[0])  # Fills the caches the workers then read.
    claimed: dict[Path, Path] = {}  # output -> the facts file it was written from
    # The workers are started before the writing threads: a process must not fork while threads run.
    with _workers(jobs, len(paths) - 1) as pool, _writers(jobs) as writers:
        rest = map(build, paths[1:]) if pool is None else pool.imap(build, paths[1:], _chunk(len(paths), jobs))
        built = zip(paths, chain([first], rest), strict=True)
        pending = [_store(path, unit, claimed, options, writers) for path, unit in built]
    outcomes = [outcome.result() for outcome in pending]
    if options.pdf:
        outcomes = _with_pdfs(outcomes, jobs)
    return _gathered(paths, outcomes)


def build_unit(facts: Path, options: RenderOptions) -> BuiltUnit:
    """Check, lay out and build one unit's report (in a worker); nothing is written here."""
    try:
        prepared = prepare_report(options._replace(facts=facts, output=None))
        data = docx_bytes(prepared.document, options.fonts)
    except ReportError as exc:
        return BuiltUnit(None, b"", [], exc.problems)
    return BuiltUnit(prepared.target, data, prepared.checked.problems, [])


def _workers(jobs: int, units: int) -> AbstractContextManager[Any]:
    """Return a pool of up to `jobs` worker processes for `units` units, or no pool when one process will do."""
    workers = min(jobs, units)
    if workers <= 1:
        return nullcontext(None)
    return _process_context().Pool(workers, initializer=_leave_interrupts_to_the_parent)


def _chunk(units: int, jobs: int) -> int:
    """Return how many units a worker takes at a time: fewer hand-overs, yet the work stays even."""
    return max(1, min(_MAX_CHUNK, units // (jobs * _CHUNKS_PER_JOB)))


def _process_context() -> Any:
    """Start workers by forking on Linux: they begin with everything the first unit loaded and built.

    Elsewhere (macOS, Windows) Python's own default is kept; workers then load the modules
    themselves and read the caches the first unit filled.
    """
    import multiprocessing

    return multiprocessing.get_context("fork" if sys.platform == "linux" else None)


def _writers(jobs: int) -> Executor:
    """Return where reports are written: threads when jobs run side by side, so that disks flush in parallel.

    With one job each report is written before the next is built, as it always was.
    """
    return ThreadPoolExecutor(max_workers=_WRITERS_PER_JOB * jobs) if jobs > 1 else _Inline()


class _Inline(Executor):
    """An executor that runs each call at once, in the calling thread."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        done: Future[T] = Future()
        done.set_result(fn(*args, **kwargs))
        return done


def _leave_interrupts_to_the_parent() -> None:
    """Let Ctrl-C stop the parent alone; it ends the workers, and says what was written."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _store(
    path: Path, unit: BuiltUnit, claimed: dict[Path, Path], options: RenderOptions, writers: Executor
) -> Future[_Outcome]:
    """Have one built report written (or merged), unless it failed or another file of the batch took its path first."""
    try:
        if unit.target is None:
            raise ReportError(unit.problems)
        _claim(claimed, unit.target, path)
    except ReportError as exc:
        return _Inline().submit(_Outcome, [], [], exc.problems, failed=True)
    return writers.submit(_write, unit, unit.target, options._replace(facts=path))


def _write(unit: BuiltUnit, target: Path, options: RenderOptions) -> _Outcome:
    """Write a built report as `jixiao render` writes one: never over an edited or foreign file, or merged into it."""
    try:
        merged = write_report(target, unit.data, options)
    except ReportError as exc:
        return _Outcome([], [], exc.problems, failed=True)
    return _Outcome([target], unit.warnings, [], failed=False, merged=merged)


def _claim(claimed: dict[Path, Path], target: Path, source: Path) -> None:
    """Reserve `target` for `source`, or refuse when another file of this batch already wrote there."""
    key = target.resolve()
    first = claimed.setdefault(key, source)
    if first != source:
        message = f"与 {first} 的单位全称和年度相同，会写到同一个文件 {target}，未生成；请检查这两个文件的「单位」"
        raise OutputError([Problem(str(source), None, None, None, message)])


def _with_pdfs(outcomes: list[_Outcome], jobs: int) -> list[_Outcome]:
    """Convert every written report to PDF in one batch, and add each PDF (or why it is missing) to its unit."""
    from jixiao.office import convert_all

    documents = [outcome.written[0] for outcome in outcomes if outcome.written]
    converted = iter(convert_all(documents, jobs))
    with_pdfs = []
    for outcome in outcomes:
        made = next(converted) if outcome.written else None
        if isinstance(made, Path):
            outcome = outcome._replace(written=[*outcome.written, made])
        elif isinstance(made, Problem):
            outcome = outcome._replace(problems=[*outcome.problems, made])
        with_pdfs.append(outcome)
    return with_pdfs


def _gathered(paths: Sequence[Path], outcomes: list[_Outcome]) -> BatchResult:
    """Put the units' outcomes together in input order."""
    written = [path for outcome in outcomes for path in outcome.written]
    warnings = [problem for outcome in outcomes for problem in outcome.warnings]
    problems = [problem for outcome in outcomes for problem in outcome.problems]
    failed = [path for path, outcome in zip(paths, outcomes, strict=True) if outcome.failed]
    merged = [merge for outcome in outcomes for merge in outcome.merged]
    # What the indicator file or the templates say comes again with every unit: say each once.
    return BatchResult(written, list(dict.fromkeys(warnings)), list(dict.fromkeys(problems)), failed, merged)
