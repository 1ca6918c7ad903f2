"""The `jixiao` command line: each command parses options, calls one library function, reports errors.

Heavy modules (pydantic, jinja2, lxml) are imported inside the commands that need
them, so `jixiao --help` stays fast. Everything the command line itself prints —
usage, section titles, the help option, usage errors — is Chinese: see clichrome.py.
"""

# No `from __future__ import annotations`: typer would evaluate every parameter's annotation
# string again on each run, which costs `jixiao render` and `jixiao --help` a few milliseconds.
import copy
import os
import sys
from collections.abc import Callable, Iterable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, TypeVar

import typer

from jixiao.clichrome import ChineseCommand, ChineseGroup, refuse_usage
from jixiao.cliparams import convert_plain_values

if TYPE_CHECKING:
    from jixiao.errors import Problem
    from jixiao.merge.edited import Merged

convert_plain_values()
app = typer.Typer(
    name="jixiao",
    cls=ChineseGroup,
    help="绩效：根据事实数据和指标体系，计算评分并起草《部门整体支出绩效评价报告》Word 文档。",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
templates_app = typer.Typer(
    cls=ChineseGroup, help="管理报告模板（供模板维护人员使用）。", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(templates_app, name="templates")
indicators_app = typer.Typer(
    cls=ChineseGroup, help="内置的指标体系（评分表）：列出、查看，检查本县自己的评分表文件。", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(indicators_app, name="indicators")


def _show_version(value: bool) -> None:
    """Print the version and stop, before any command runs (an eager option)."""
    if value:
        from jixiao import __version__

        typer.echo(f"jixiao {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", help="显示版本号并退出", callback=_show_version, is_eager=True),
    ] = False,
) -> None:
    """Take the options that come before the command."""


F = TypeVar("F", bound=Callable[..., object])

FactsArg = Annotated[
    Path,
    typer.Argument(
        help="事实数据文件（YAML 或 .xlsx 工作簿），如 data/examples/yantuan-2021.yaml", metavar="事实数据文件", show_default=False
    ),
]


def facts_files(help_text: str) -> object:
    """Return the annotation of a command's one-or-more facts files, named in Chinese in its usage line."""
    return Annotated[list[Path], typer.Argument(help=help_text, metavar="事实数据文件…", show_default=False)]


FactsFilesArg = facts_files("事实数据文件（YAML 或 .xlsx 工作簿），如 data/examples/yantuan-2021.yaml；可一次给多个（如 units/*.yaml）")
IndicatorsOpt = Annotated[
    Path | None,
    typer.Option(
        "--indicators",
        "-i",
        help="指标体系：内置名称（见 jixiao indicators list）或文件（YAML）；不指定则用事实数据中的「指标体系」，再不然用巨鹿县 2021 年评分表",
        metavar="<文件>",
        show_default=False,
    ),
]
TemplatesOpt = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        "-t",
        help="模板方案名（见 jixiao templates list），或模板目录（其中没有的文件用它所基于的方案）；"
        "不指定则用事实数据中的「报告模板」，再没有则用巨鹿方案",
        metavar="<方案>",
        show_default=False,
    ),
]
StrictOpt = Annotated[bool, typer.Option("--strict", help="把警告也当作错误（有警告时退出码为 1）")]
JobsOpt = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        help="同时用几个进程（给多个文件时）；默认为 CPU 核数，1 为逐个处理。结果和消息的顺序不变",
        metavar="<数目>",
        show_default=False,
    ),
]


def reports_errors(command: F) -> F:
    """Turn a ReportError raised by a command into Chinese messages on stderr and exit code 1."""

    @wraps(command)
    def run(*args: object, **kwargs: object) -> object:
        from jixiao.errors import ReportError, only_errors

        try:
            return command(*args, **kwargs)
        except ReportError as exc:
            print_problems(exc.problems)
            count = len(only_errors(exc.problems))
            typer.echo(f"{exc.kind}有 {count} 处错误，未生成任何文件。", err=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            typer.echo("已中断，未写入任何文件。", err=True)
            raise typer.Exit(130) from None

    return run  # type: ignore[return-value]


def print_problems(problems: Iterable["Problem"]) -> None:
    """Print each problem on its own line to stderr."""
    for problem in problems:
        typer.echo(str(problem), err=True)


@app.command(cls=ChineseCommand)
@reports_errors
def check(
    facts: FactsFilesArg, indicators: IndicatorsOpt = None, templates: TemplatesOpt = None, strict: StrictOpt = False
) -> None:
    """检查事实数据文件：格式、必填项、合计与分项是否一致、自评得分与规则计算结果是否一致。"""
    from jixiao.report import check_file

    refused = 0
    for path in facts:
        report = check_file(path, indicators, templates)
        print_problems(report.problems)
        errors, warnings = report.counts()
        failed = errors > 0 or (strict and warnings > 0)
        verdict = "不能生成报告" if failed else "可以生成报告"
        typer.echo(f"{path}：{errors} 处错误，{warnings} 处警告，{verdict}。", err=failed)
        if not errors:
            for note in report.notes:
                typer.echo(note)
        refused += failed
    if len(facts) > 1:
        typer.echo(f"共 {len(facts)} 个文件：{len(facts) - refused} 个可以生成报告，{refused} 个不能。", err=refused > 0)
    if refused:
        raise typer.Exit(1)


@app.command(cls=ChineseCommand)
@reports_errors
def init(
    path: Annotated[
        Path,
        typer.Argument(help="要新建的事实数据文件路径：以 .xlsx 结尾则新建 Excel 工作簿，否则新建 YAML", metavar="新文件", show_default=False),
    ],
    from_: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="上一年度的事实数据文件：沿用职责、机构、任务，上年数字移入「上年」栏",
            metavar="<文件>",
            show_default=False,
        ),
    ] = None,
) -> None:
    """新建一份带注释的事实数据文件骨架或 Excel 工作簿（不会覆盖已有文件）。"""
    from jixiao.skeleton import write_skeleton

    written = write_skeleton(path, from_)
    typer.echo(f"已新建：{written}")
    typer.echo(f"填写后运行「jixiao check {written}」检查。")


@app.command(cls=ChineseCommand)
@reports_errors
def upgrade(
    path: Annotated[Path, typer.Argument(help="要改写的事实数据文件", metavar="事实数据文件", show_default=False)],
) -> None:
    """把 jixiao 0.2 写法的事实数据文件就地改写为分栏的新写法（保留注释和顺序）。"""
    from jixiao.upgrade import upgrade_file

    if upgrade_file(path):
        typer.echo(f"已改写：{path}（只写一个金额的预算行改为「年初预算数」一栏，收入来源的「金额」改为「年初预算数」）")
    else:
        typer.echo(f"{path} 已是新写法，未改动。")


@app.command(cls=ChineseCommand)
@reports_errors
def convert(
    source: Annotated[
        Path, typer.Argument(help="要转换的事实数据文件（.yaml 或 .xlsx）", metavar="源文件", show_default=False)
    ],
    target: Annotated[
        Path,
        typer.Argument(help="转换后的文件：以 .xlsx 结尾则写成工作簿，以 .yaml 结尾则写成 YAML", metavar="目标文件", show_default=False),
    ],
    force: Annotated[bool, typer.Option("--force", help="目标文件已存在时覆盖它")] = False,
) -> None:
    """在 YAML 和 Excel 工作簿两种格式之间转换事实数据，内容完全相同（金额一位小数都不差）。"""
    from jixiao.conversion import convert_facts

    print_problems(convert_facts(source, target, force))
    typer.echo(f"已转换：{target}")


@app.command("import", cls=ChineseCommand)
@reports_errors
def import_(
    source: Annotated[
        Path, typer.Argument(help="单位的部门决算报表（.xlsx，或旧的 .xls，用 LibreOffice 转换）", metavar="决算报表", show_default=False)
    ],
    into: Annotated[
        Path,
        typer.Option("--into", help="要填入的事实数据文件（.yaml 或 .xlsx，先用 jixiao init 新建）", metavar="<文件>", show_default=False),
    ],
    overwrite: Annotated[bool, typer.Option("--overwrite", help="文件中已填写、与决算表不同的数，也改为决算表的数")] = False,
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", help="取数对照表（YAML）；不指定则用内置的财政部部门决算报表对照表", metavar="<文件>", show_default=False),
    ] = None,
) -> None:
    """按行、列标题从部门决算报表中读取金额和人数，填入事实数据文件（已填写的内容不覆盖）。"""
    from jixiao.finalaccounts import load_mapping
    from jixiao.importfacts import import_final_accounts, report_lines

    if not into.is_file():
        refuse_usage(f"找不到要填入的文件 {into}；请先运行「jixiao init {into}」新建")
    result = import_final_accounts(source, into, load_mapping(mapping), overwrite)
    for line in report_lines(result, source, into, overwrite):
        typer.echo(line)


@app.command(cls=ChineseCommand)
def schema() -> None:
    """打印事实数据文件的 JSON Schema（供编辑器自动补全和即时校验）。"""
    import json

    from jixiao.skeleton import facts_json_schema

    typer.echo(json.dumps(facts_json_schema(), ensure_ascii=False, indent=2))


@app.command(cls=ChineseCommand)
@reports_errors
def score(
    facts: FactsArg,
    indicators: IndicatorsOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出（数字为 JSON 数字）")] = False,
) -> None:
    """按指标体系计算评分，逐项说明得分依据；有指标无法评分时退出码为 1。"""
    from jixiao.facts import load_facts
    from jixiao.indicatorlibrary import load_chosen
    from jixiao.scoring import format_scorecard, score_facts, scorecard_json, scorecard_problems

    loaded = load_facts(facts)
    system = load_chosen(indicators, loaded.facts.indicator_system, facts)
    card = score_facts(loaded.facts, system)
    typer.echo(scorecard_json(card) if as_json else format_scorecard(card))
    if not card.complete:
        unscored = [p for p in scorecard_problems(card, loaded.facts, loaded.source, system) if p.is_error]
        print_problems(unscored)
        missing = sum(1 for item in card.indicators if item.score is None)
        typer.echo(f"{facts}：有 {missing} 项指标无法评分，评分不完整；补齐上面列出的数据后重新运行。", err=True)
        raise typer.Exit(1)


@app.command(cls=ChineseCommand)
@reports_errors
def compare(
    facts: facts_files("要比较的各单位事实数据文件（可用通配符，如 units/*.yaml）"),
    indicators: IndicatorsOpt = None,
    as_csv: Annotated[bool, typer.Option("--csv", help="以 CSV 输出（带 BOM，Excel 可直接打开）")] = False,
    cohort: Annotated[
        bool,
        typer.Option(
            "--cohort",
            help="相对评分：线性区间指标按评分表公式中的 max/min 取参与比较各单位的测算值，而不是评分表的阈值",
        ),
    ] = False,
) -> None:
    """用同一指标体系比较多个单位的评分，按总分排名；有文件出错时照常列出其余单位，退出码为 1。"""
    from jixiao.compare import compare_units, comparison_csv, format_comparison

    comparison = compare_units(facts, indicators, cohort=cohort)
    typer.echo(comparison_csv(comparison) if as_csv else format_comparison(comparison), nl=not as_csv)
    if not comparison.complete:
        print_problems(comparison.problems)
        left_out = len(facts) - len(comparison.units)
        typer.echo(f"有 {left_out} 个文件有错误，未列入比较；改正上面列出的问题后重新运行。", err=True)
        raise typer.Exit(1)


@app.command(cls=ChineseCommand)
@reports_errors
def render(
    facts: facts_files(
        "事实数据文件（YAML 或 .xlsx 工作簿），如 data/examples/yantuan-2021.yaml；可一次给多个（如 units/*.yaml），"
        "各自生成一份报告，有错误的文件跳过并列出问题"
    ),
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="输出的 .docx 路径（只给一个事实数据文件时可用）；默认 out/<单位全称><年度>年度部门整体支出绩效评价报告.docx",
            metavar="<文件>",
            show_default=False,
        ),
    ] = None,
    indicators: IndicatorsOpt = None,
    templates: TemplatesOpt = None,
    force: Annotated[bool, typer.Option("--force", help="即使目标文件被编辑过或不是本程序生成的，也覆盖它")] = False,
    merge: Annotated[
        bool,
        typer.Option(
            "--merge",
            help="目标文件被编辑过时不覆盖，而是把重新生成的改动以修订（作者 jixiao）合入它，编辑的改动全部保留；"
            "给多个事实数据文件时，各单位的报告各自合并（还没有报告的单位照常生成）",
        ),
    ] = False,
    no_backup: Annotated[
        bool, typer.Option("--no-backup", help="与 --merge 一起用：不把合并前的文件另存为 <文件名>.bak.docx")
    ] = False,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="同时用 LibreOffice 生成 PDF；未安装 LibreOffice 时照常生成 Word 文档，退出码为 1")
    ] = False,
    profile: Annotated[
        Literal["gb2312", "common"],
        typer.Option(
            "--fonts",
            help="字体方案：gb2312（方正小标宋/仿宋_GB2312/楷体_GB2312）或 common（仿宋/楷体/黑体）",
            metavar="<方案>",
        ),
    ] = "gb2312",
    jobs: JobsOpt = None,
) -> None:
    """先检查事实数据，再生成 Word 报告（有错误的文件不生成）。"""
    from jixiao.report import RenderOptions, render_report

    if output is not None and len(facts) > 1:
        message = f"给了 {len(facts)} 个事实数据文件时不能用 -o：每个文件各自输出到 out/ 下，以单位全称和年度命名"
        refuse_usage(message)
    facts = list(dict.fromkeys(facts))  # Given twice (units/*.yaml units/甲.yaml): rendered, and merged, once.
    jobs = jobs_or_cores(jobs)
    options = RenderOptions(
        facts=facts[0], output=output, indicators=indicators, templates=templates, force=force, pdf=pdf,
        fonts=profile, merge=merge, backup=not no_backup,
    )  # fmt: skip
    if len(facts) == 1:
        result = render_report(options)
        print_problems(result.warnings)
        print_paths(result.written)
        print_merges(result.merged)
        if result.failures:
            print_problems(result.failures)
            raise typer.Exit(1)
        return
    from jixiao.batch import render_reports

    batch = render_reports(facts, options, jobs)
    print_problems(batch.warnings)
    print_problems(batch.problems)
    print_paths(batch.written)
    print_merges(batch.merged)
    if batch.failed:
        done = len(facts) - len(batch.failed)
        skipped, made = ("未生成，也未合并", "已生成或合并") if merge else ("未生成", "已生成")
        typer.echo(f"{len(batch.failed)} 个文件有错误，{skipped}；其余 {done} 个文件的报告{made}。", err=True)
    if batch.problems:  # Files left out, or PDFs LibreOffice could not make.
        raise typer.Exit(1)


def jobs_or_cores(jobs: int | None) -> int:
    """Return the --jobs asked for, or the number of cores; refuse a number below 1."""
    if jobs is not None and jobs < 1:
        refuse_usage(f"选项「--jobs」应为正整数（同时使用的进程数），而不是 {jobs}")
    if jobs is not None:
        return jobs
    try:
        return max(1, len(os.sched_getaffinity(0)))  # The cores this process may use.
    except AttributeError:  # Windows and macOS have no affinity mask.
        return max(1, os.cpu_count() or 1)


def print_paths(paths: Iterable[Path]) -> None:
    """Print each file written on its own line to stdout."""
    for path in paths:
        typer.echo(str(path))


@app.command(cls=ChineseCommand)
@reports_errors
def pdf(
    documents: Annotated[
        list[Path],
        typer.Argument(
            help="要转换的 Word 报告（.docx），可一次给多个（如 out/*.docx）；PDF 与各自的 .docx 同名，放在同一文件夹",
            metavar="报告文件…",
            show_default=False,
        ),
    ],
    jobs: JobsOpt = None,
) -> None:
    """用 LibreOffice 把 Word 报告（包括编辑过的）转换为 PDF；一批文件只启动一次 LibreOffice。"""
    from jixiao.office import convert_documents

    converted = convert_documents(documents, jobs_or_cores(jobs))
    print_problems(converted.problems)
    print_paths(converted.pdfs)
    if converted.problems:
        made = len(converted.pdfs)
        typer.echo(f"{len(converted.problems)} 个文件未能转换为 PDF；其余 {made} 个已生成。", err=True)
        raise typer.Exit(1)


IndicatorsArg = Annotated[
    str, typer.Argument(help="内置指标体系的名称（见 jixiao indicators list）或指标体系文件", metavar="指标体系", show_default=False)
]


@indicators_app.command("list", cls=ChineseCommand)
@reports_errors
def indicators_list() -> None:
    """列出内置的指标体系，每行一个：名称和说明。"""
    from jixiao.indicatorlibrary import list_lines

    for line in list_lines():
        typer.echo(line)


@indicators_app.command("show", cls=ChineseCommand)
@reports_errors
def indicators_show(name: IndicatorsArg) -> None:
    """按一级、二级、三级指标的层次列出一个指标体系，带分值和规则类型。"""
    from jixiao.indicatorlibrary import named, tree_lines
    from jixiao.indicators import load_indicators

    for line in tree_lines(load_indicators(named(name))):
        typer.echo(line)


@indicators_app.command("check", cls=ChineseCommand)
def indicators_check(name: IndicatorsArg) -> None:
    """检查指标体系文件：分值合计、每条规则能否得满分或超出分值、分档的空档与重叠、公式用到的数据，都带行号。"""
    from jixiao.errors import IndicatorError, only_errors
    from jixiao.indicatorlibrary import named
    from jixiao.indicators import load_indicators

    try:
        problems = list(load_indicators(named(name)).warnings)
    except IndicatorError as exc:
        problems = exc.problems
    print_problems(problems)
    errors = len(only_errors(problems))
    verdict = "不能使用" if errors else "可以使用"
    typer.echo(f"{name}：{errors} 处错误，{len(problems) - errors} 处警告，{verdict}。", err=errors > 0)
    if errors:
        raise typer.Exit(1)


@templates_app.command("list", cls=ChineseCommand)
def templates_list() -> None:
    """列出内置的模板方案，每行一个：名称和说明。"""
    from jixiao.templatesets import bundled_sets

    for template_set in bundled_sets():
        typer.echo(f"{template_set.name}\t{template_set.description}")


def print_merges(merges: Iterable["Merged"]) -> None:
    """Say of each merge how many tracked changes it made, how many places both sides changed, and the backup."""
    for merged in merges:
        both = f"，其中 {merged.both} 处编辑和重新生成都改动过（保留编辑的文字，生成的文字作为修订插入并加了批注）" if merged.both else ""
        if merged.changes or merged.both:
            typer.echo(f"已合并到 {merged.path}：{merged.changes} 处修订（作者 jixiao）{both}。在 Word 或 WPS 中逐条接受或拒绝。")
        else:
            typer.echo(f"已合并到 {merged.path}：重新生成的内容与编辑的文档没有新的差异，未加修订。")
        if merged.backup is not None:
            typer.echo(f"合并前的文件另存为 {merged.backup}")


@app.command(cls=ChineseCommand)
@reports_errors
def diff(
    document: Annotated[
        Path, typer.Argument(help="编辑过的 Word 报告（.docx）", metavar="编辑过的报告", show_default=False)
    ],
    facts: Annotated[
        Path | None,
        typer.Argument(help="事实数据文件：同时列出按它重新生成会改动什么", metavar="事实数据文件", show_default=False),
    ] = None,
    indicators: IndicatorsOpt = None,
    templates: TemplatesOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出")] = False,
) -> None:
    """逐段列出报告在生成后被编辑改动了什么，以及按事实数据重新生成会改动什么（不写任何文件）。"""
    from jixiao.merge.listing import diff_document, format_listing, listing_json
    from jixiao.report import RenderOptions

    options = None if facts is None else RenderOptions(facts=facts, indicators=indicators, templates=templates)
    listing, warnings = diff_document(document, options)
    print_problems(warnings)
    typer.echo(listing_json(listing) if as_json else format_listing(listing))


@templates_app.command("export", cls=ChineseCommand)
@reports_errors
def templates_export(
    first: Annotated[
        str,
        typer.Argument(help="要导出的内置方案名（见 jixiao templates list）；只给一个参数时是导出到的目录", metavar="方案", show_default=False),
    ],
    directory: Annotated[
        Path | None,
        typer.Argument(help="导出到的目录（已有同名文件不会被覆盖）", metavar="目录", show_default=False),
    ] = None,
) -> None:
    """把一个内置模板方案复制到一个目录，作为本地方案的起点（只给目录时导出巨鹿方案）。"""
    from jixiao.templatesets import DEFAULT_SET, export_set

    name, target = (first, directory) if directory is not None else (DEFAULT_SET, Path(first))
    for path in export_set(target, name):
        typer.echo(str(path))


def main() -> None:
    """Run the command line."""
    from jixiao.startup import skip_pydantic_plugins

    skip_pydantic_plugins()
    # A Windows console in GBK, or output redirected to a GBK file, cannot take every character
    # (field paths use ›, and a facts file may hold anything): show ? there rather than a traceback.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    app_for(sys.argv[1:])(prog_name="jixiao")


def app_for(args: list[str]) -> typer.Typer:
    """Return the app to run `args` with: when they start with a command's name, one holding only that command.

    typer builds the click command of every command an app holds before it runs one
    (2 ms, a tenth of what a render spends after loading). The others matter only to
    `jixiao --help` and to refusing an unknown command, and neither starts with a name
    found here; a command's own help, usage and errors read the same from either app.
    """
    name = args[0] if args else None
    commands = [info for info in app.registered_commands if _command_name(info) == name]
    groups = [info for info in app.registered_groups if info.name == name]
    if not commands and not groups:
        return app
    only = copy.copy(app)
    only.registered_commands, only.registered_groups = commands, groups
    return only


def _command_name(info: typer.models.CommandInfo) -> str:
    """Return the name a command is run by: the one given, else its function's (typer's own rule)."""
    return info.name or typer.main.get_command_name(info.callback.__name__)  # type: ignore[union-attr]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
