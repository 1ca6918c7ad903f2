"""The Chinese face of the command line: usage, help sections, the help option and usage errors.

click (bundled inside typer 0.29) prints English chrome; these classes replace it, and
the group's main() turns every command-line mistake into one Chinese 「错误：…」 line
with exit code 2 (domain errors, reported by the commands, exit with 1).
"""

# No `from __future__ import annotations`: see cli.py.
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

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
from typer._click.globals import get_current_context
from typer.core import TyperCommand, TyperGroup

from jixiao.textwidth import display_width

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


def refuse_usage(message: str) -> NoReturn:
    """Stop the running command for a command-line mistake the parser cannot see; `message` is Chinese."""
    raise UsageError(message, get_current_context(silent=True))


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
    return param.display_name_raw.rstrip("…")  # type: ignore[attr-defined]  # «事实数据文件…» names several


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
