"""The `jixiao` command line: each command parses options, calls one library function, reports errors.

Heavy modules (pydantic, jinja2, lxml) are imported inside the commands that need
them, so `jixiao --help` stays fast. Everything the command line itself prints —
usage, section titles, the help option, usage errors — is Chinese: see the classes below.
"""

# No `from __future__ import annotations`: typer would evaluate every parameter's annotation
# string again on each run, which costs `jixiao render` and `jixiao --help` a few milliseconds.
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn, TypeVar

import typer

# Typer 0.29 bundles its own click: its context, formatter and exception classes live there.
from typer._click.core import Context
from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer._click.formatting import HelpFormatter
from typer.core import TyperCommand, TyperGroup

from jixiao.textwidth import display_width

if TYPE_CHECKING:
    from jixiao.errors import Problem

# ---------------------------------------------------------------- Chinese command-line chrome

OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."
HELP_TEXT = "显示本说明并退出"
USAGE_EXIT_CODE = 2  # click's code for "the command line itself is wrong"; domain errors exit 1.

# Patterns are compiled on first use (re caches them): `jixiao render` never needs them.
# What typer appends to a parameter's help, e.g. "[default: gb2312; required]".
_HELP_EXTRA = r"\s*\[([^\[\]]*)\]$"
_EXTRA_WORDS = (("default: ", "默认："), ("env var: ", "环境变量："), ("required", "必填"))
_EXTRA_ARGUMENTS = r"^Got unexpected extra argument(?:s|\(s\))? \((.*)\)$"
# Wrapping units: one CJK character or punctuation mark, a run of other non-space characters, or spaces.
_WIDE = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"
_WRAP_UNITS = f"[{_WIDE}]|[^\\s{_WIDE}]+|\\s+"
_NO_LINE_START = set("，。、；：！？）」』》”’…")  # Chinese typesetting keeps these off the start of a line.


def wrap_by_width(text: str, width: int) -> list[str]:
    """Wrap text to `width` terminal columns, breaking between CJK characters as well as at spaces."""
    lines, line = [], ""
    for unit in re.findall(_WRAP_UNITS, " ".join(text.split())):
        fits = display_width(line + unit.rstrip()) <= width
        if fits or not line.strip() or unit in _NO_LINE_START:
            line += unit
        else:
            lines.append(line.rstrip())
            line = "" if unit.isspace() else unit
    return [*lines, line.rstrip()]


class ChineseHelpFormatter(HelpFormatter):
    """Help text with full-width headings, aligned and wrapped by display width (CJK counts two)."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        for paragraph in text.split("\n\n"):
            lines = wrap_by_width(paragraph, max(self.width - self.current_indent, 20))
            self.write("".join(f"{indent}{line}\n" for line in lines))

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        column = min(max(display_width(first) for first, _ in rows), col_max) + col_spacing
        hanging = " " * (column + self.current_indent)
        for first, second in rows:
            gap = column - display_width(first)
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            self.write(" " * gap if gap >= col_spacing else f"\n{hanging}")
            lines = wrap_by_width(second, max(self.width - column - self.current_indent, 10))
            self.write("\n".join([lines[0], *(f"{hanging}{line}" for line in lines[1:])]) + "\n")


class ChineseContext(Context):
    """A click context that formats help with ChineseHelpFormatter."""

    formatter_class = ChineseHelpFormatter


class _ChineseHelp:
    """Write usage, sections and the help option in Chinese (mixed into typer's command classes)."""

    context_class = ChineseContext

    def get_help_option(self, ctx: Context) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_TEXT
        return option

    def format_usage(self, ctx: Context, formatter: HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="用法：")

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                arguments.append((param.display_name_raw, chinese_help_extra(record[1])))
            else:
                options.append((record[0], chinese_help_extra(record[1])))
        for title, rows in (("参数", arguments), ("选项", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


def chinese_help_extra(help_text: str) -> str:
    """Translate typer's trailing "[default: …; required]" into "[默认：…；必填]"."""
    match = re.search(_HELP_EXTRA, help_text)
    if match is None:
        return help_text
    parts = []
    for part in match.group(1).split("; "):
        for english, chinese in _EXTRA_WORDS:
            part = part.replace(english, chinese) if part.startswith(english) else part
        parts.append(part)
    return f"{help_text[: match.start()]}  [{'；'.join(parts)}]"


class ChineseCommand(_ChineseHelp, TyperCommand):
    """A typer command whose help is Chinese and whose arguments show by their Chinese names."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **{**kwargs, "options_metavar": OPTIONS_METAVAR})

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                name = param.display_name_raw  # type: ignore[attr-defined]
                pieces.append(name if param.required else f"[{name}]")
        return pieces


class ChineseGroup(_ChineseHelp, TyperGroup):
    """A typer group with Chinese help, and the one place command-line mistakes are reported.

    Usage errors are translated here rather than in `main()`, so the console script and
    in-process runners (tests) print the same Chinese lines and exit with code 2.
    """

    def __init__(self, **kwargs: Any):
        super().__init__(**{**kwargs, "options_metavar": OPTIONS_METAVAR, "subcommand_metavar": SUBCOMMAND_METAVAR})

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        rows = [(name, command.get_short_help_str(formatter.width)) for name, command in self._visible(ctx)]
        if rows:
            with formatter.section("命令"):
                formatter.write_dl(rows)

    def _visible(self, ctx: Context) -> list[tuple[str, Any]]:
        """List the subcommands that help shows, in the order they were added."""
        found = ((name, self.get_command(ctx, name)) for name in self.list_commands(ctx))
        return [(name, command) for name, command in found if command is not None and not command.hidden]

    def resolve_command(self, ctx: Context, args: list[str]) -> tuple[str | None, Any, list[str]]:
        name = args[0]
        if self.get_command(ctx, name) is None and not name.startswith("-") and not ctx.resilient_parsing:
            raise UsageError(unknown_command_message(name, list(self.commands)), ctx)
        return super().resolve_command(ctx, args)

    def main(self, args: Sequence[str] | None = None, *rest: Any, standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:  # A caller handling click's exceptions itself gets them untouched.
            return super().main(args, *rest, standalone_mode=False, **extra)
        try:
            result = super().main(args, *rest, standalone_mode=False, **extra)
        except NoArgsIsHelpError as error:
            typer.echo(error.ctx.get_help(), err=True)
            sys.exit(USAGE_EXIT_CODE)
        except UsageError as error:
            report_usage_error(error)
        except typer.Abort:
            typer.echo("已取消。", err=True)
            sys.exit(1)
        # Without standalone mode typer returns an Exit's code, or the command's (None) result.
        sys.exit(result if isinstance(result, int) else 0)


def report_usage_error(error: UsageError) -> NoReturn:
    """Print a command-line mistake in Chinese with the usage line, and exit with code 2."""
    typer.echo(f"错误：{usage_error_message(error)}", err=True)
    if error.ctx is not None:
        typer.echo(error.ctx.get_usage(), err=True)
        typer.echo(f"运行「{error.ctx.command_path} -h」查看全部参数和选项的说明。", err=True)
    sys.exit(USAGE_EXIT_CODE)


def usage_error_message(error: UsageError) -> str:
    """Say in Chinese what is wrong with the command line."""
    if isinstance(error, MissingParameter):
        return f"缺少{_kind(error.param)}「{_param_name(error)}」"
    if isinstance(error, BadParameter):
        return _bad_value_message(error)
    if isinstance(error, NoSuchOption):
        return _no_such_option_message(error)
    if isinstance(error, BadOptionUsage):
        if "does not take a value" in error.message:
            return f"选项「{error.option_name}」是开关，后面不能跟值：直接写「{error.option_name}」即可"
        return f"选项「{error.option_name}」后面缺少它的值"
    extra = re.match(_EXTRA_ARGUMENTS, error.message)
    if extra:
        return f"多余的参数：{extra.group(1)}（文件路径含空格时请加引号）"
    if error.message == "Missing command.":
        return "缺少命令"
    return error.message  # Our own UsageErrors are Chinese already.


def _kind(param: Any) -> str:
    """Name the kind of parameter: 参数 (positional) or 选项 (--option)."""
    return "选项" if getattr(param, "param_type_name", "") == "option" else "参数"


def _param_name(error: BadParameter) -> str:
    """Name a parameter as the person types or reads it: --fonts, or 事实数据文件."""
    param = error.param
    if param is None:
        return str(error.param_hint or "")
    if param.param_type_name == "option":
        return max(param.opts, key=len)
    return param.display_name_raw  # type: ignore[attr-defined]


def _bad_value_message(error: BadParameter) -> str:
    """Explain a value the parameter cannot take, listing the choices when there are some."""
    descriptor = getattr(error.param, "type_descriptor", None)
    choices = getattr(descriptor, "choices", None) if getattr(descriptor, "is_choice", False) else None
    name = f"{_kind(error.param)}「{_param_name(error)}」"
    if choices:
        return f"{name}应为以下之一：{'、'.join(str(choice) for choice in choices)}"
    if re.search("[\u4e00-\u9fff]", error.message):
        return f"{name}的值不对：{error.message}"
    return f"{name}的值无法识别"


def _no_such_option_message(error: NoSuchOption) -> str:
    """Refuse an unknown option, suggesting the closest real one."""
    message = f"没有「{error.option_name}」这个选项"
    if error.possibilities:
        return message + f"，是否想写{'、'.join(f'「{p}」' for p in sorted(error.possibilities))}？"
    return message


def unknown_command_message(name: str, commands: list[str]) -> str:
    """Refuse an unknown command, suggesting the closest ones or listing them all."""
    from difflib import get_close_matches

    close = get_close_matches(name, commands)
    if close:
        return f"没有「{name}」这个命令，是否想写{'、'.join(f'「{c}」' for c in close)}？"
    return f"没有「{name}」这个命令；可用的命令有：{'、'.join(commands)}"


# ---------------------------------------------------------------- the commands

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

F = TypeVar("F", bound=Callable[..., object])

FactsArg = Annotated[
    Path,
    typer.Argument(
        help="事实数据文件（YAML，UTF-8），如 data/examples/yantuan-2021.yaml", metavar="事实数据文件", show_default=False
    ),
]
IndicatorsOpt = Annotated[
    Path | None,
    typer.Option(
        "--indicators",
        "-i",
        help="指标体系文件（YAML）；不指定则用内置的巨鹿县 2021 年评分表",
        metavar="<文件>",
        show_default=False,
    ),
]
StrictOpt = Annotated[bool, typer.Option("--strict", help="把警告也当作错误（有警告时退出码为 1）")]


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
def check(facts: FactsArg, indicators: IndicatorsOpt = None, strict: StrictOpt = False) -> None:
    """检查事实数据文件：格式、必填项、合计与分项是否一致、自评得分与规则计算结果是否一致。"""
    from jixiao.checks import check_facts

    report = check_facts(facts, indicators)
    print_problems(report.problems)
    errors, warnings = report.counts()
    failed = errors > 0 or (strict and warnings > 0)
    verdict = "不能生成报告" if failed else "可以生成报告"
    typer.echo(f"{facts}：{errors} 处错误，{warnings} 处警告，{verdict}。", err=failed)
    if failed:
        raise typer.Exit(1)


@app.command(cls=ChineseCommand)
@reports_errors
def init(
    path: Annotated[Path, typer.Argument(help="要新建的事实数据文件路径", metavar="新文件", show_default=False)],
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
    """新建一份带注释的事实数据文件骨架（不会覆盖已有文件）。"""
    from jixiao.skeleton import write_skeleton

    written = write_skeleton(path, from_)
    typer.echo(f"已新建：{written}")
    typer.echo(f"填写后运行「jixiao check {written}」检查。")


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
    from jixiao.indicators import load_indicators
    from jixiao.scoring import format_scorecard, score_facts, scorecard_json, scorecard_problems

    loaded, system = load_facts(facts), load_indicators(indicators)
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
def render(
    facts: FactsArg,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="输出的 .docx 路径；默认 out/<单位全称><年度>年度部门整体支出绩效评价报告.docx",
            metavar="<文件>",
            show_default=False,
        ),
    ] = None,
    indicators: IndicatorsOpt = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            "-t",
            help="模板目录；其中没有的模板文件用内置默认模板",
            metavar="<目录>",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="即使目标文件被编辑过或不是本程序生成的，也覆盖它")] = False,
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
) -> None:
    """先检查事实数据，再生成 Word 报告（有错误时不生成任何文件）。"""
    from jixiao.report import RenderOptions, render_report

    options = RenderOptions(
        facts=facts, output=output, indicators=indicators, templates=templates, force=force, pdf=pdf, fonts=profile
    )
    result = render_report(options)
    print_problems(result.warnings)
    for path in result.written:
        typer.echo(str(path))
    if result.failures:
        print_problems(result.failures)
        raise typer.Exit(1)


@templates_app.command("export", cls=ChineseCommand)
@reports_errors
def templates_export(
    directory: Annotated[
        Path, typer.Argument(help="导出到的目录（已有同名文件不会被覆盖）", metavar="目录", show_default=False)
    ],
) -> None:
    """把内置默认模板复制到一个目录，作为修改的起点。"""
    from jixiao.templating import export_templates

    for path in export_templates(directory):
        typer.echo(str(path))


def main() -> None:
    """Run the command line."""
    # jixiao uses no pydantic plugins; looking for them scans every installed distribution's
    # metadata on each run. A user who has set the variable keeps their own choice.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    app(prog_name="jixiao")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
