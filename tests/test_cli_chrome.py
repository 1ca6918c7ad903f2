"""Everything the command line itself prints is Chinese; exit codes: 0 done, 1 the input or result, 2 the command line."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer

from jixiao import cli
from jixiao.cli import app
from jixiao.clichrome import wrap_by_width
from jixiao.textwidth import display_width

Run = Callable[..., Any]

# click's and typer's English chrome; none of it may reach a person.
ENGLISH = re.compile(
    r"Usage:|Options|Arguments|Commands|Show this message|Error:|Missing argument|No such (option|command)"
    r"|Invalid value|does not exist|\[default|\[required|Try '|Did you mean|Got unexpected|requires an argument"
)
HINT = "运行「{}」查看全部参数和选项的说明。"


def command_paths() -> list[tuple[str, ...]]:
    """Return the words that invoke every command and group, the top-level one first."""
    paths: list[tuple[str, ...]] = []

    def walk(command: Any, path: tuple[str, ...]) -> None:
        paths.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return paths


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p) or "jixiao")
def test_help_is_chinese_throughout(run_cli: Run, path: tuple[str, ...]) -> None:
    result = run_cli(*path, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"用法：jixiao {' '.join((*path, ''))}".replace("  ", " "))
    assert "选项：" in result.stdout
    assert "-h, --help" in result.stdout and "显示本说明并退出" in result.stdout
    assert not ENGLISH.search(result.stdout), ENGLISH.search(result.stdout)
    # Arguments are named in Chinese too: nothing but the command's own words is English.
    usage = result.stdout.splitlines()[0].removeprefix(f"用法：jixiao {' '.join(path)}")
    assert not re.search(r"[A-Za-z]", usage.replace("[选项]", "").replace("命令", "")), usage


def test_top_level_help_lists_commands_under_a_chinese_heading(run_cli: Run) -> None:
    lines = run_cli("-h").stdout.splitlines()
    assert lines[0] == "用法：jixiao [选项] 命令 [参数]..."
    assert "命令：" in lines
    commands = [line.split()[0] for line in lines[lines.index("命令：") + 1 :] if line.startswith("  ") and line.split()]
    assert {"check", "init", "schema", "score", "render", "templates"} <= set(commands)


def test_render_help_names_the_argument_and_translates_defaults(run_cli: Run) -> None:
    out = run_cli("render", "-h").stdout
    assert out.splitlines()[0] == "用法：jixiao render [选项] 事实数据文件…"
    assert "参数：" in out and "[必填]" in out and "[默认：gb2312]" in out
    assert "-o, --output <文件>" in out and "--fonts <方案>" in out


def test_render_help_says_merge_works_for_many_units(run_cli: Run) -> None:
    lines = run_cli("render", "-h").stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  --merge "))
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("  -"))
    text = "".join(line.strip() for line in lines[start:end]).removeprefix("--merge").strip()
    assert text == (
        "目标文件被编辑过时不覆盖，而是把重新生成的改动以修订（作者 jixiao）合入它，编辑的改动全部保留；"
        "给多个事实数据文件时，各单位的报告各自合并（还没有报告的单位照常生成）"
    )


def test_help_columns_line_up_by_display_width(run_cli: Run) -> None:
    lines = run_cli("render", "-h").stdout.splitlines()
    options = lines[lines.index("选项：") + 1 :]
    starts = {display_width(line[: len(line) - len(line[2:].lstrip())]) for line in options if line.startswith("  -")}
    columns = {display_width(re.match(r"^(  \S.*?\S)  +", line).group(0)) for line in options if line.startswith("  -")}
    assert starts == {2}
    assert len(columns) == 1, columns


def test_help_lines_fit_the_terminal_counting_chinese_as_two_columns() -> None:
    text = "检查事实数据文件：格式、必填项、合计与分项是否一致、自评得分与规则计算结果是否一致。"
    lines = wrap_by_width(text, 30)
    assert "".join(lines) == text
    # Closing punctuation hangs past the margin rather than starting the next line (Chinese typesetting).
    assert all(display_width(line.rstrip("，。、；：")) <= 30 for line in lines)
    assert not any(line.startswith(("，", "。", "、", "：")) for line in lines)


# ---------------------------------------------------------------- usage errors: Chinese, exit code 2


USAGE_ERRORS = [
    (("check",), "缺少参数「事实数据文件」", "jixiao check -h"),
    (("check", "a.yaml", "--strct"), "没有「--strct」这个选项，是否想写「--strict」？", "jixiao check -h"),
    (("check", "a.yaml", "--nope"), "没有「--nope」这个选项", "jixiao check -h"),
    (("chek", "a.yaml"), "没有「chek」这个命令，是否想写「check」、「schema」？", "jixiao -h"),
    (("xyz",), "没有「xyz」这个命令；可用的命令有：check、init、upgrade、convert、import、schema、score、compare、render、pdf、diff、templates、indicators", "jixiao -h"),
    (("templates", "expo"), "没有「expo」这个命令，是否想写「export」？", "jixiao templates -h"),
    (("render", "a.yaml", "--fonts", "宋体"), "选项「--fonts」应为以下之一：gb2312、common", "jixiao render -h"),
    (("score", "a.yaml", "b.yaml"), "多余的参数：b.yaml（文件路径含空格时请加引号）", "jixiao score -h"),
    (("check", "--strict=yes", "a.yaml"), "选项「--strict」是开关，后面不能跟值：直接写「--strict」即可", None),
    (("render", "a.yaml", "-o"), "选项「-o」后面缺少它的值", None),
]


@pytest.mark.parametrize(("args", "message", "hint"), USAGE_ERRORS, ids=[" ".join(a) for a, _, _ in USAGE_ERRORS])
def test_usage_errors_are_chinese_and_exit_2(run_cli: Run, args: tuple[str, ...], message: str, hint: str | None) -> None:
    result = run_cli(*args)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == f"错误：{message}"
    if hint:
        assert lines[1].startswith("用法：jixiao")
        assert lines[2] == HINT.format(hint)
    assert not ENGLISH.search(result.stderr)
    assert result.stdout == ""


def test_no_arguments_shows_the_chinese_help(run_cli: Run) -> None:
    result = run_cli()
    assert result.exit_code == 2
    assert result.stderr.startswith("用法：jixiao [选项] 命令 [参数]...")
    assert not ENGLISH.search(result.stderr)


def console(
    args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[object, str, str]:
    """Run `jixiao ARGS…` as the console script does; return the exit code, stdout and stderr."""
    monkeypatch.setattr(sys, "argv", ["jixiao", *args])
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    printed = capsys.readouterr()
    return stopped.value.code, printed.out, printed.err


def test_the_console_script_reports_the_same_way(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = console(("check",), monkeypatch, capsys)
    assert code == 2
    assert err.splitlines()[0] == "错误：缺少参数「事实数据文件」"


SAME_FROM_THE_CONSOLE = [("render", "-h"), ("templates",), ("templates", "list"), *(args for args, _, _ in USAGE_ERRORS)]


@pytest.mark.parametrize("args", SAME_FROM_THE_CONSOLE, ids=[" ".join(a) for a in SAME_FROM_THE_CONSOLE])
def test_the_console_script_prints_what_the_whole_app_does(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    alone = console(args, monkeypatch, capsys)
    monkeypatch.setattr(cli, "app_for", lambda _: app)
    assert alone == console(args, monkeypatch, capsys)


def test_the_console_script_builds_only_the_command_it_runs() -> None:
    assert [info.callback.__name__ for info in cli.app_for(["render", "a.yaml"]).registered_commands] == ["render"]
    assert [info.name for info in cli.app_for(["templates", "list"]).registered_groups] == ["templates"]
    assert cli.app_for(["import", "a.xlsx"]).registered_commands[0].name == "import"
    for whole in ([], ["-h"], ["--version"], ["chek", "a.yaml"]):  # Help, options and unknown commands need them all.
        assert cli.app_for(whole) is app


# ---------------------------------------------------------------- domain outcomes: exit code 1


def test_a_missing_facts_file_is_a_domain_error_exit_1(run_cli: Run, tmp_path: Path) -> None:
    missing = tmp_path / "没有.yaml"
    result = run_cli("render", missing, "-o", tmp_path / "x.docx")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{missing}: 错误：找不到这个文件，请检查路径是否正确",
        "事实数据文件有 1 处错误，未生成任何文件。",
    ]


def test_score_exits_1_when_some_indicator_cannot_be_scored(
    run_cli: Run, example_path: Path, tmp_path: Path
) -> None:
    facts = tmp_path / "facts.yaml"
    text = example_path.read_text(encoding="utf-8")
    assert "  编制数: 70\n" in text
    facts.write_text(text.replace("  编制数: 70\n", "  编制数: 0\n", 1), encoding="utf-8")
    for extra in ((), ("--json",)):
        result = run_cli("score", facts, *extra)
        assert result.exit_code == 1
        assert "在职人员控制率" in result.stdout  # the table (or JSON) is still printed
        assert result.stderr.splitlines() == [
            f"{facts}:65:3: 错误：字段「人员情况 › 编制数」：在职人员控制率：编制数为 0，无法计算（零基数规则只在分子、分母均为 0 时适用）",
            f"{facts}：有 1 项指标无法评分，评分不完整；补齐上面列出的数据后重新运行。",
        ]


def test_score_of_the_complete_example_exits_0(run_cli: Run, example_path: Path) -> None:
    result = run_cli("score", example_path)
    assert result.exit_code == 0
    assert result.stderr == ""
