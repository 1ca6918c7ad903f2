"""The pipeline, read top to bottom as mkdocs' build() is: each step a named function.

    load      facts.load_facts_source   the YAML (or workbook) read, every value placed at its line
    validate  facts.validate_facts      the pydantic model, errors in Chinese with file, line and field
    check     checks.check_problems     sums, ranges, plausibility; the template set's own findings
    score     score_facts_file          the indicator system loaded, every 三级指标 scored and explained
    context   build_context             the typed names templates see
    text      render_blocks             the Jinja templates run, and their marked-up lines …
    blocks                              … parsed into paragraphs and tables
    package   docx_bytes                one writer builds the .docx parts and zips them
    write     write_report              atomically, never over an edited or foreign file, or merged into it

`check_file` runs load → score (what `jixiao check` does); `prepare_report` adds context → blocks;
`render_report` writes.
"""

from __future__ import annotations

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
from jixiao.render.blocks import Block, TableData, TablePlaceholder
from jixiao.render.form_tables import FORM_TABLES, build_form_table
from jixiao.render.score_table import SCORE_TABLE, build_score_table
from jixiao.scoring import Scorecard
from jixiao.templatecache import CompiledTemplates, cache_directory
from jixiao.templatesets import TemplateSet, choose_set
from jixiao.templating import build_environment, render_blocks

if TYPE_CHECKING:
    from jixiao.checks import CheckReport
    from jixiao.merge.edited import Merged
    from jixiao.yamlsource import SourceMap


class RenderOptions(NamedTuple):
    """What `jixiao render` was asked to do."""

    facts: Path
    output: Path | None = None
    indicators: Path | None = None
    templates: Path | None = None
    force: bool = False
    pdf: bool = False
    fonts: str = "gb2312"
    merge: bool = False  # merge into the edited file at the output path, as tracked changes
    backup: bool = True  # with merge: keep the previous file as NAME.bak.docx


class RenderResult(NamedTuple):
    """What was written, the warnings a person should still read, and what was asked for but not made.

    `failures` holds problems that did not stop the report itself, such as a PDF that
    LibreOffice could not produce; the CLI prints them and exits with code 1.
    """

    written: list[Path]
    warnings: list[Problem]
    failures: list[Problem]
    merged: tuple[Merged, ...] = ()


class Document(NamedTuple):
    """A report laid out as blocks and tables, ready for the writer."""

    blocks: list[Block]
    tables: dict[str, TableData]


def render_report(options: RenderOptions) -> RenderResult:
    """Check the facts, then build and write the report; nothing is written when anything is wrong."""
    prepared = prepare_report(options)
    return _write(options, prepared)


class PreparedReport(NamedTuple):
    """A report checked and laid out, and where it is to be written."""

    checked: CheckReport
    document: Document
    target: Path


def prepare_report(options: RenderOptions) -> PreparedReport:
    """Check the facts and lay the report out; raise ReportError when anything is wrong."""
    if options.templates is not None:
        choose_set(options.templates)  # A set that cannot be found is the templates' error, said before the facts'.
    checked = check_file(options.facts, options.indicators, options.templates)
    errors = only_errors(checked.problems)
    if errors or checked.facts is None or checked.card is None:
        raise _input_error(errors, options.facts)
    template_set = choose_set(options.templates, checked.facts.template, options.facts)
    document = build_document(checked.facts, checked.card, template_set)
    target = options.output or default_output_path(checked.facts.unit.full_name, checked.facts.unit.year)
    return PreparedReport(checked, document, target)


def check_file(
    facts_path: Path | str, indicators_path: Path | str | None = None, templates: Path | str | None = None
) -> CheckReport:
    """Load, validate, check and score one facts file, collecting every finding; never raises for bad input."""
    from jixiao.checks import CheckReport, check_problems, layout_notes
    from jixiao.facts import load_facts_source, validate_facts

    loaded = load_facts_source(facts_path)
    facts, problems = validate_facts(loaded)
    if facts is None:
        return CheckReport(problems)
    problems.extend(check_problems(facts, loaded.source, templates))
    card, scoring = score_facts_file(facts, loaded.source, indicators_path)
    notes = layout_notes(facts_path, facts, loaded.source)
    return CheckReport([*problems, *scoring], facts, loaded.source, card, notes)


def score_facts_file(
    facts: Facts, source: SourceMap, indicators_path: Path | str | None
) -> tuple[Scorecard | None, list[Problem]]:
    """Load the indicator system and score the facts; return the scorecard with its findings placed in the file."""
    from jixiao.checks import declared_total_problems
    from jixiao.indicatorlibrary import load_chosen, placed_on_facts
    from jixiao.scoring import score_facts, scorecard_problems

    try:
        system = load_chosen(indicators_path, facts.indicator_system, Path(source.file))
        card = score_facts(facts, system)
    except ReportError as exc:
        return None, [placed_on_facts(problem, source) for problem in exc.problems]
    return card, [*scorecard_problems(card, facts, source, system), *declared_total_problems(card, facts, source)]


def _write(options: RenderOptions, prepared: PreparedReport) -> RenderResult:
    """Write the report (and the PDF when asked); a PDF LibreOffice cannot make is a failure, not an error."""
    merged = write_report(prepared.target, docx_bytes(prepared.document, options.fonts), options)
    written, failures = [prepared.target], []
    if options.pdf:
        from jixiao.office import convert_to_pdf  # Its threads and LibreOffice are for PDFs only.

        try:
            written.append(convert_to_pdf(prepared.target))
        except OutputError as exc:  # The Word report is written; say what is missing instead of failing it.
            failures = exc.problems
    return RenderResult(written=written, warnings=prepared.checked.problems, failures=failures, merged=merged)


def _input_error(errors: list[Problem], facts: Path) -> ReportError:
    """Name the file at fault in the summary: the facts, the indicator system, or both."""
    in_facts = {problem.file == str(facts) for problem in errors}
    if in_facts == {False}:
        return IndicatorError(errors)
    return FactsError(errors) if in_facts == {True} else ReportError(errors)


def build_document(facts: Facts, card: Scorecard, templates: TemplateSet | Path | str | None = None) -> Document:
    """Render a template set (given, or a name or folder, else the facts file's 报告模板) and lay out the score table."""
    template_set = templates if isinstance(templates, TemplateSet) else choose_set(templates, facts.template)
    context = build_context(facts, card, template_set)
    blocks = render_blocks(environment(template_set), context, {SCORE_TABLE, *FORM_TABLES})
    placed = {block.name for block in blocks if isinstance(block, TablePlaceholder)}
    return Document(blocks=blocks, tables={name: _table(name, facts, card) for name in sorted(placed)})


def _table(name: str, facts: Facts, card: Scorecard) -> TableData:
    """Lay out the table a template placed: the 评分表 or one of the form tables."""
    return build_score_table(card) if name == SCORE_TABLE else build_form_table(name, facts, card)


def build_context(facts: Facts, card: Scorecard, template_set: TemplateSet) -> dict[str, object]:
    """Return the names the templates see (context.ReportContext)."""
    return ReportContext(facts=facts, card=card, outline=Outline(), template_set=template_set).as_mapping()


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


def report_bytes(options: RenderOptions) -> tuple[bytes, list[Problem]]:
    """Check the facts and build the report's .docx bytes, writing nothing; return them with the warnings."""
    prepared = prepare_report(options)
    return docx_bytes(prepared.document, options.fonts), prepared.checked.problems


def write_report(target: Path, data: bytes, options: RenderOptions) -> tuple[Merged, ...]:
    """Write a built report to `target` atomically, refusing to replace edited or foreign files (unless `force`).

    With `merge`, a file already at the target is not replaced but merged into (see jixiao.merge):
    return that merge, or nothing when the report was written afresh.
    """
    if options.merge and target.exists():
        from jixiao.merge.edited import merge_generated

        return (merge_generated(target, data, options.facts, options.backup),)
    check_replaceable(target, options.force)
    write_atomically(target, data)
    return ()
