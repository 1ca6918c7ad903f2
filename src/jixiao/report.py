"""The pipeline: facts → check → score → template text → blocks → .docx, written safely."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import jinja2

from jixiao import __version__
from jixiao.context import Outline, ReportContext
from jixiao.errors import (
    FactsError,
    IndicatorError,
    OutputError,
    Problem,
    ReportError,
    only_errors,
)
from jixiao.facts import Facts
from jixiao.output import (
    FINGERPRINT_PROPERTY,
    GENERATOR_PROPERTY,
    check_replaceable,
    default_output_path,
    fingerprint,
    write_atomically,
)
from jixiao.render.blocks import Block, TableData
from jixiao.render.score_table import SCORE_TABLE, build_score_table
from jixiao.scoring import Scorecard
from jixiao.templatecache import CompiledTemplates, cache_directory
from jixiao.templatesets import TemplateSet, choose_set
from jixiao.templating import build_environment, render_blocks

if TYPE_CHECKING:
    from jixiao.checks import CheckReport


class RenderOptions(NamedTuple):
    """What `jixiao render` was asked to do."""

    facts: Path
    output: Path | None = None
    indicators: Path | None = None
    templates: Path | None = None
    force: bool = False
    pdf: bool = False
    fonts: str = "gb2312"


class RenderResult(NamedTuple):
    """What was written, the warnings a person should still read, and what was asked for but not made.

    `failures` holds problems that did not stop the report itself, such as a PDF that
    LibreOffice could not produce; the CLI prints them and exits with code 1.
    """

    written: list[Path]
    warnings: list[Problem]
    failures: list[Problem]


class Document(NamedTuple):
    """A report laid out as blocks and tables, ready for the writer."""

    blocks: list[Block]
    tables: dict[str, TableData]


def render_report(options: RenderOptions) -> RenderResult:
    """Check the facts, then build and write the report; nothing is written when anything is wrong."""
    prepared = _prepare(options)
    return _write(options, prepared)


class BatchResult(NamedTuple):
    """What a batch wrote, the warnings, and the problems of the files it could not render.

    `failed` names those files: each is left unwritten, and the others are written all the same.
    """

    written: list[Path]
    warnings: list[Problem]
    problems: list[Problem]
    failed: list[Path]


def render_reports(paths: Sequence[Path], options: RenderOptions) -> BatchResult:
    """Render each facts file to its default path, one process for many units; a bad file does not stop the rest.

    Two files naming the same unit and year would be written to one path: the later one
    is refused rather than allowed to replace the report just written for the first.
    """
    written: list[Path] = []
    warnings: list[Problem] = []
    problems: list[Problem] = []
    failed: list[Path] = []
    claimed: dict[Path, Path] = {}  # output -> the facts file it was written from
    for path in paths:
        single = options._replace(facts=path, output=None)
        try:
            prepared = _prepare(single)
            _claim(claimed, prepared.target, path)
            result = _write(single, prepared)
        except ReportError as exc:
            problems.extend(exc.problems)
            failed.append(path)
            continue
        written.extend(result.written)
        warnings.extend(result.warnings)
        problems.extend(result.failures)
    # What the indicator file or the templates say comes again with every unit: say each once.
    return BatchResult(written, list(dict.fromkeys(warnings)), list(dict.fromkeys(problems)), failed)


def _claim(claimed: dict[Path, Path], target: Path, source: Path) -> None:
    """Reserve `target` for `source`, or refuse when another file of this batch already wrote there."""
    key = target.resolve()
    first = claimed.setdefault(key, source)
    if first != source:
        message = f"与 {first} 的单位全称和年度相同，会写到同一个文件 {target}，未生成；请检查这两个文件的「单位」"
        raise OutputError([Problem(str(source), None, None, None, message)])


class _Prepared(NamedTuple):
    """A report checked and laid out, and where it is to be written."""

    checked: CheckReport
    document: Document
    target: Path


def _prepare(options: RenderOptions) -> _Prepared:
    """Check the facts and lay the report out; raise ReportError when anything is wrong."""
    from jixiao.checks import check_facts

    if options.templates is not None:
        choose_set(options.templates)  # A set that cannot be found is the templates' error, said before the facts'.
    checked = check_facts(options.facts, options.indicators, options.templates)
    errors = only_errors(checked.problems)
    if errors or checked.facts is None or checked.card is None:
        raise _input_error(errors, options.facts)
    template_set = choose_set(options.templates, checked.facts.template, options.facts)
    document = build_document(checked.facts, checked.card, template_set)
    target = options.output or default_output_path(checked.facts.unit.full_name, checked.facts.unit.year)
    return _Prepared(checked, document, target)


def _write(options: RenderOptions, prepared: _Prepared) -> RenderResult:
    """Write the report (and the PDF when asked); a PDF LibreOffice cannot make is a failure, not an error."""
    write_report(prepared.target, prepared.document, options.fonts, options.force)
    written, failures = [prepared.target], []
    if options.pdf:
        try:
            written.append(convert_to_pdf(prepared.target))
        except OutputError as exc:  # The Word report is written; say what is missing instead of failing it.
            failures = exc.problems
    return RenderResult(written=written, warnings=prepared.checked.problems, failures=failures)


def _input_error(errors: list[Problem], facts: Path) -> ReportError:
    """Name the file at fault in the summary: the facts, the indicator system, or both."""
    in_facts = {problem.file == str(facts) for problem in errors}
    if in_facts == {False}:
        return IndicatorError(errors)
    return FactsError(errors) if in_facts == {True} else ReportError(errors)


def build_document(facts: Facts, card: Scorecard, templates: TemplateSet | Path | str | None = None) -> Document:
    """Render a template set (given, or a name or folder, else the facts file's 报告模板) and lay out the score table."""
    template_set = templates if isinstance(templates, TemplateSet) else choose_set(templates, facts.template)
    context = ReportContext(facts=facts, card=card, outline=Outline(), template_set=template_set).as_mapping()
    blocks = render_blocks(environment(template_set), context, {SCORE_TABLE})
    return Document(blocks=blocks, tables={SCORE_TABLE: build_score_table(card)})


@cache
def environment(template_set: TemplateSet) -> jinja2.Environment:
    """Return the Jinja environment for a template set, built once per process."""
    env = build_environment(folders=template_set.folders)
    directory = cache_directory()
    if directory is not None:
        env.bytecode_cache = CompiledTemplates(directory)
    return env


def docx_bytes(document: Document, fonts: str = "gb2312") -> bytes:
    """Build the .docx bytes, with the fingerprint of its own content inside."""
    from jixiao.render.docx_writer import build_parts, package
    from jixiao.render.profile import profile_by_name

    parts = build_parts(document.blocks, document.tables, profile_by_name(fonts))
    properties = {FINGERPRINT_PROPERTY: fingerprint(parts), GENERATOR_PROPERTY: f"jixiao {__version__}"}
    return package(parts, properties)


def write_report(target: Path, document: Document, fonts: str = "gb2312", force: bool = False) -> None:
    """Write the report to `target` atomically, refusing to replace edited or foreign files."""
    check_replaceable(target, force)
    write_atomically(target, docx_bytes(document, fonts))


def convert_to_pdf(docx: Path) -> Path:
    """Convert a .docx to PDF beside it with LibreOffice, or say plainly that it is not installed."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        message = "未找到 LibreOffice（soffice），无法生成 PDF；Word 文档已生成。安装 LibreOffice 后重试"
        raise OutputError([Problem(str(docx), None, None, None, message)])
    with tempfile.TemporaryDirectory(prefix="jixiao-office-") as profile:
        command = [
            office,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(docx.parent),
            str(docx),
        ]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    pdf = docx.with_suffix(".pdf")
    if completed.returncode != 0 or not pdf.exists():
        detail = (completed.stderr or completed.stdout).strip()
        raise OutputError([Problem(str(docx), None, None, None, f"LibreOffice 转换 PDF 失败：{detail}")])
    return pdf
