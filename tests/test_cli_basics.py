"""Every command explains itself in Chinese; exit codes say what happened."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import Any

import pytest
import typer

from jixiao.cli import app

CJK = re.compile(r"[\u4e00-\u9fff]")


def all_commands(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    """Return every command and subcommand under `command`, with the words that invoke it."""
    found = [(path, command)]
    # Typer may bundle its own click, so recognise a group by its subcommands, not its class.
    for name, sub in getattr(command, "commands", {}).items():
        found.extend(all_commands(sub, (*path, name)))
    return found


COMMANDS = all_commands(typer.main.get_command(app))


def test_the_command_tree_has_the_commands_the_issue_names():
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"check", "init", "schema", "score", "render", "templates", "templates export"} <= names


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_every_command_has_chinese_help(run_cli, path, command):
    assert command.help and CJK.search(command.help), path
    result = run_cli(*path, "--help")
    assert result.exit_code == 0
    assert CJK.search(result.stdout)
    first_line = command.help.strip().splitlines()[0]
    assert first_line[:20] in result.stdout


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_every_option_and_argument_is_explained_in_chinese(path, command):
    for param in command.params:
        if param.name == "help":
            continue
        text = getattr(param, "help", None) or ""
        assert CJK.search(text), f"{' '.join(path)} {param.name}"


def test_no_arguments_shows_help(run_cli):
    result = run_cli()
    assert "Traceback" not in result.output
    assert "用法：jixiao" in result.output
    for name in ("check", "init", "schema"):
        assert name in result.output


def test_check_exit_codes(run_cli, example_path, tmp_path):
    assert run_cli("check", example_path).exit_code == 0
    assert run_cli("check", tmp_path / "missing.yaml").exit_code == 1
    assert run_cli("check").exit_code == 2  # usage error: the file is required


def test_init_and_schema_exit_codes(run_cli, tmp_path):
    assert run_cli("init", tmp_path / "a.yaml").exit_code == 0
    assert run_cli("init", tmp_path / "a.yaml").exit_code == 1
    assert run_cli("schema").exit_code == 0


def test_errors_are_chinese_lines_not_tracebacks(run_cli, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"\x00\x01")
    result = run_cli("check", path)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_console_that_cannot_show_a_character_gets_a_question_mark_not_a_traceback(tmp_path):
    """Field paths use › and facts may hold emoji; a GBK console (Windows) has neither."""
    path = tmp_path / "facts.yaml"
    path.write_text("金额单位: 万元\n单位:\n  全称: 某镇🙂\n", encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    done = subprocess.run([sys.executable, "-m", "jixiao", "check", str(path)], capture_output=True, env=env, check=False)
    assert done.returncode == 1
    stderr = done.stderr.decode("gbk")
    assert "Traceback" not in stderr
    assert "字段「单位 ? 简称」" in stderr or "字段「单位 ? 层级」" in stderr
