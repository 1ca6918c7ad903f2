"""The console script's quick start and exit change nothing a person sees: output, messages, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Literal

import pytest
from typer import _coercion
from typer._click.exceptions import BadParameter
from typer.models import ArgumentInfo, OptionInfo

from jixiao import startup
from jixiao.cliparams import PlainParam, build_runtime_param

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "examples" / "yantuan-2021.yaml"


def _console(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m jixiao ARGS…` (the console script's way in) as a separate process."""
    command = [sys.executable, "-m", "jixiao", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)


def test_a_console_render_writes_the_report_and_names_it(tmp_path: Path) -> None:
    target = tmp_path / "报告.docx"
    done = _console("render", str(EXAMPLE), "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{target}\n"
    assert target.stat().st_size > 10_000


def test_long_output_reaches_a_pipe_whole_before_the_process_ends(run_cli: Any) -> None:
    done = _console("schema")
    assert done.returncode == 0
    assert done.stdout == run_cli("schema").stdout
    assert len(done.stdout) > 10_000


def _in_process_main(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `jixiao.cli.main` with ARGS… and Python's usual start and exit, as the console script did before."""
    command = [sys.executable, "-c", "import sys; from jixiao.cli import main; sys.argv[0] = 'jixiao'; main()", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize("args", [("--help",), ("render", "--help"), ("render", "--fonts", "宋体", "a.yaml"), ()])
def test_help_and_usage_errors_read_as_with_pythons_usual_start_and_exit(args: tuple[str, ...]) -> None:
    done, usual = _console(*args), _in_process_main(*args)
    assert (done.returncode, done.stdout, done.stderr) == (usual.returncode, usual.stdout, usual.stderr)
    assert "用法：jixiao" in done.stdout + done.stderr


def test_a_usage_error_is_still_chinese_with_exit_code_2() -> None:
    done = _console("render", "--fonts", "宋体", "a.yaml")
    assert done.returncode == 2
    assert done.stderr.startswith("错误：选项「--fonts」应为以下之一：gb2312、common")


def test_a_domain_error_still_exits_1_with_its_message(tmp_path: Path) -> None:
    missing = tmp_path / "没有.yaml"
    done = _console("check", str(missing))
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == f"{missing}: 错误：找不到这个文件，请检查路径是否正确"


def test_leaving_with_a_message_takes_pythons_usual_way() -> None:
    with pytest.raises(SystemExit) as stopped:
        startup.leave("出错了")
    assert stopped.value.code == "出错了"


@pytest.mark.parametrize(("setting", "skipped"), [(None, True), ("1", True), ("0", False), ("logfire", False)])
def test_the_plugin_loader_is_skipped_only_while_plugins_are_off(setting: str | None, skipped: bool) -> None:
    env = {key: value for key, value in os.environ.items() if key != "PYDANTIC_DISABLE_PLUGINS"}
    if setting is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = setting
    probe = (
        "import os, sys; from jixiao.startup import skip_pydantic_plugins; skip_pydantic_plugins()\n"
        "from jixiao.facts import load_facts; from pydantic.plugin._loader import get_plugins\n"
        f"load_facts({str(EXAMPLE)!r}); print(os.environ['PYDANTIC_DISABLE_PLUGINS'], list(get_plugins()),"
        " 'importlib.metadata' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.split()[:2] == [setting or "1", "[]"]
    assert done.stdout.split()[2] == str(not skipped)


# ---------------------------------------------------------------- values converted without pydantic


def _typer_param(annotation: Any, info: Any) -> _coercion.RuntimeParam:
    return _coercion.build_runtime_param(_coercion.resolve_type_descriptor(annotation, info))


def _plain_param(annotation: Any, info: Any) -> _coercion.RuntimeParam:
    return build_runtime_param(_coercion.resolve_type_descriptor(annotation, info))


class _Param:
    """Enough of a click parameter for a RuntimeParam's `coerce`."""

    multiple = False
    nargs = 1


CASES = [
    (Path, ArgumentInfo(), "units/阎疃镇.yaml"),
    (Path, OptionInfo(), ""),
    (list[Path], ArgumentInfo(), ("a.yaml", "b/c.yaml")),
    (Literal["gb2312", "common"], OptionInfo(), "common"),
    (bool, OptionInfo(), True),
    (str, OptionInfo(), "文本"),
    (int, OptionInfo(min=1), "4"),
]


@pytest.mark.parametrize(("annotation", "info", "value"), CASES)
def test_plain_values_convert_as_typers_pydantic_conversion_does(annotation: Any, info: Any, value: Any) -> None:
    plain = _plain_param(annotation, info)
    assert isinstance(plain, PlainParam)
    converted = plain.coerce(value, param=_Param(), ctx=None)  # type: ignore[arg-type]
    assert converted == _typer_param(annotation, info).coerce(value, param=_Param(), ctx=None)  # type: ignore[arg-type]
    assert type(converted) is type(_typer_param(annotation, info).coerce(value, param=_Param(), ctx=None))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("annotation", "info", "value"),
    [
        (int, OptionInfo(min=1), "0"),
        (int, OptionInfo(), "四"),
        (int, OptionInfo(), "1_000"),
        (Literal["gb2312", "common"], OptionInfo(), "宋体"),
        (bool, OptionInfo(), "maybe"),
    ],
)
def test_other_values_go_to_typers_conversion_and_its_message(annotation: Any, info: Any, value: Any) -> None:
    def outcome(param: _coercion.RuntimeParam) -> str:
        try:
            return repr(param.coerce(value, param=_Param(), ctx=None))  # type: ignore[arg-type]
        except BadParameter as error:
            return f"BadParameter: {error.message}"

    assert outcome(_plain_param(annotation, info)) == outcome(_typer_param(annotation, info))


def test_a_render_builds_no_pydantic_type_adapter_for_its_options(tmp_path: Path) -> None:
    probe = (
        "import sys; from typer.testing import CliRunner; from jixiao.cli import app\n"
        f"args = ['render', {str(EXAMPLE)!r}, '-o', {str(tmp_path / 'a.docx')!r}, '--fonts', 'common']\n"
        "print(CliRunner().invoke(app, args).exit_code, 'typer._adapters' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "False"]
