"""Every input is read within bounds, and every way it can be wrong ends in one placed Chinese message, exit 1."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from jixiao import inputfile, measures, validation
from jixiao.inputfile import MAX_INPUT_BYTES, Unreadable, read_limited
from jixiao.measures import ExpressionError, parse_expression
from jixiao.resources import default_indicators_path

EXAMPLE = Path(__file__).parents[1] / "data" / "examples" / "yantuan-2021.yaml"
RANGE = "数字超出范围：绝对值应小于 10^15（一千万亿），小数不超过 12 位"


def refused(run_cli, path: Path, *options: str | Path) -> list[str]:
    """Run `jixiao check` on an input that must be refused; return its stderr lines."""
    result = run_cli("check", path, *options)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.stderr.splitlines()


def edited(tmp_path: Path, old: str, new: str, name: str = "facts.yaml", source: Path = EXAMPLE) -> Path:
    """Copy a bundled file with one text replaced (which must be there)."""
    text = source.read_text(encoding="utf-8")
    assert old in text
    target = tmp_path / name
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def facts_line(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if needle in line)


# --- what is read at all -------------------------------------------------------------------------


def test_a_fifo_is_refused_without_waiting_for_a_writer(run_cli, tmp_path):
    os.mkfifo(tmp_path / "facts.yaml")
    assert refused(run_cli, tmp_path / "facts.yaml")[0] == (
        f"{tmp_path / 'facts.yaml'}: 错误：这不是普通文件（而是设备、管道或套接字），不读取"
    )


def test_a_device_is_refused_without_reading_it(run_cli):
    assert refused(run_cli, "/dev/zero")[0] == "/dev/zero: 错误：这不是普通文件（而是设备、管道或套接字），不读取"


def test_a_device_as_indicator_file_is_refused(run_cli):
    lines = refused(run_cli, EXAMPLE, "--indicators", "/dev/zero")
    assert lines[0] == "/dev/zero: 错误：这不是普通文件（而是设备、管道或套接字），不读取"


def test_a_folder_is_refused(run_cli, tmp_path):
    assert refused(run_cli, tmp_path)[0] == f"{tmp_path}: 错误：这是一个文件夹，不是文件"


def test_a_file_over_the_limit_is_refused_by_its_size(run_cli, tmp_path):
    big = tmp_path / "facts.yaml"
    big.write_bytes(EXAMPLE.read_bytes() + b"#" * MAX_INPUT_BYTES)
    assert refused(run_cli, big)[0] == f"{big}: 错误：文件太大（超过 2 MB），不读取：请检查是否选错了文件"


def test_a_10_mb_field_is_refused_by_the_file_size(run_cli, tmp_path):
    path = edited(tmp_path, "简称: 阎疃镇", "简称: " + "阎" * (10 * 1024 * 1024 // 3))
    assert refused(run_cli, path)[0] == f"{path}: 错误：文件太大（超过 2 MB），不读取：请检查是否选错了文件"


def test_a_file_growing_while_read_is_cut_off(tmp_path, monkeypatch):
    path = tmp_path / "growing.yaml"
    path.write_bytes(b"x" * (1024 * 1024 + 1))
    small = os.stat_result((*os.stat(path)[:6], 0, *os.stat(path)[7:]))  # Its size when it was opened.
    monkeypatch.setattr(inputfile.os, "fstat", lambda descriptor: small)
    with pytest.raises(Unreadable) as caught:
        read_limited(path, limit=1024 * 1024)
    assert str(caught.value) == "文件太大（超过 1 MB），不读取：请检查是否选错了文件"


def test_an_unreadable_file_exits_1_with_the_reason(run_cli, tmp_path, monkeypatch):
    path = tmp_path / "facts.yaml"
    shutil.copyfile(EXAMPLE, path)
    real_open = inputfile.os.open

    def refusing(name, *args, **kwargs):
        if str(name) == str(path):
            raise PermissionError(13, "Permission denied", str(name))
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(inputfile.os, "open", refusing)
    assert refused(run_cli, path) == [f"{path}: 错误：没有读取这个文件的权限", f"{path}：1 处错误，0 处警告，不能生成报告。"]


# --- encodings -----------------------------------------------------------------------------------


def test_utf16_with_bad_bytes_is_placed_on_its_line(run_cli, tmp_path):
    raw = EXAMPLE.read_text(encoding="utf-8").encode("utf-16")
    cut = raw.index("年度: 2021".encode("utf-16-le"))
    path = tmp_path / "facts.yaml"
    path.write_bytes(raw[:cut] + b"\x00\xd8" + raw[cut + 2 :])
    line = facts_line(EXAMPLE, "年度: 2021")
    assert refused(run_cli, path)[0] == (
        f"{path}:{line}: 错误：文件是 UTF-16 编码，但这里的字节不是有效的 UTF-16 文字；请在编辑器中另存为 UTF-8 编码"
    )


def test_utf32_with_bom_is_read(run_cli, tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_bytes(EXAMPLE.read_text(encoding="utf-8").encode("utf-32"))
    assert run_cli("check", path).exit_code == 0


def test_utf32_without_bom_is_one_message_not_thousands(run_cli, tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_bytes(EXAMPLE.read_text(encoding="utf-8").encode("utf-32-le"))
    assert refused(run_cli, path) == [
        f"{path}:1: 错误：文件含有 NUL 字节：可能是没有 BOM 的 UTF-16/UTF-32 文件，或根本不是文本文件；请在编辑器中另存为 UTF-8 编码",
        f"{path}：1 处错误，0 处警告，不能生成报告。",
    ]


# --- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("年初预算数: 1104.784985", "年初预算数: 1e999999999"),
        ("年初预算数: 1104.784985", "年初预算数: 1.0e+999999999"),
        ("年初预算数: 1104.784985", '年初预算数: "1e999999999"'),
        ("年初预算数: 1104.784985", "年初预算数: 1104.7849851234567"),
        ("在职人员: 64", "在职人员: 1234567890123456789012345678901234567890"),
        ("在职人员: 64", '在职人员: "1234567890123456789012345678901234567890"'),
    ],
)
def test_numbers_beyond_the_stated_range_are_refused(run_cli, tmp_path, old, new):
    path = edited(tmp_path, old, new)
    line = facts_line(path, new)
    field, _, _ = new.partition(":")
    lines = refused(run_cli, path)
    assert len(lines) == 2
    assert lines[0].startswith(f"{path}:{line}:")
    assert lines[0].endswith(f"：{RANGE}")
    assert f"› {field}」" in lines[0]


def test_the_largest_number_in_range_is_read(run_cli, tmp_path):
    path = edited(tmp_path, "年初预算数: 1104.784985", "年初预算数: 999999999999999.123456789012")
    assert "数字超出范围" not in run_cli("check", path).stderr


# --- text ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("escape", "name", "code"),
    [("\\r", "回车符", "000D"), ("\\N", "下一行符", "0085"), ("\\L", "行分隔符", "2028"), ("\\P", "段分隔符", "2029")],
)
def test_line_breaks_inside_a_value_are_refused_at_their_line(run_cli, tmp_path, escape, name, code):
    path = edited(tmp_path, "简称: 阎疃镇", f'简称: "阎疃{escape}# 伪造标题{escape}::: 分页"')
    line = facts_line(path, "伪造标题")
    assert refused(run_cli, path)[0] == (
        f"{path}:{line}:7: 错误：字段「单位 › 简称」：文字中含有{name} U+{code}："
        "报告中只有普通换行（另起一段）；请改为普通换行，或删除它（常见于从其他文档复制粘贴）"
    )


def test_a_raw_line_separator_does_not_shift_later_line_numbers(run_cli, tmp_path):
    path = edited(tmp_path, "简称: 阎疃镇", "简称: 阎疃\u2028镇")
    line = facts_line(path, "简称")
    assert refused(run_cli, path) == [
        f"{path}:{line}:9: 错误：字段「单位 › 简称」：文字中含有行分隔符 U+2028：报告中只有普通换行（另起一段）；"
        "请改为普通换行，或删除它（常见于从其他文档复制粘贴）",
        f"{path}：1 处错误，0 处警告，不能生成报告。",
    ]


# --- YAML's own wording --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "place", "message"),
    [
        (
            "金额单位: 万元\n...\n单位: 2\n",
            "3:1",
            "这里无法接着读下去：可能是多了一行「...」或以「%」开头的行，或引号后面还有文字（整段文字请都放在引号里）",
        ),
        ("金额单位: 万元\n单位:\n  全称: [\n", "4:1", "这里缺少值：括号或引号没有闭合，或「- 」「: 」后面没有内容"),
        ("金额单位: 万元\n单位: @某\n", "2:5", "这个字符不能作为值的开头（@ 和 ` 是 YAML 的保留字符）；请给这段文字加引号"),
        (
            '金额单位: 万元\n单位:\n  全称: "巨鹿县\n  简称: 某\n年度: 2021\n',
            "3:7",
            "引号没有闭合：从这里开始的引号直到文件末尾都没有对应的结束引号",
        ),
    ],
)
def test_yaml_syntax_errors_are_chinese_and_placed(run_cli, tmp_path, text, place, message):
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    assert refused(run_cli, path)[0] == f"{path}:{place}: 错误：YAML 格式错误：{message}"


def test_a_list_written_as_a_key_is_named_not_dumped(run_cli, tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text("金额单位: 万元\n? [a, b]\n: 1\n", encoding="utf-8")
    lines = refused(run_cli, path)
    assert f"{path}:2:3: 错误：键应为文字，不能是列表或「键: 值」（是否多写了「? 」或括号？）" in lines
    assert not any("ScalarNode" in line for line in lines)


def test_a_long_plain_list_is_refused_without_speaking_of_references(run_cli, tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text("存在问题:\n" + "".join(f"  - 问题{i}\n" for i in range(100_001)), encoding="utf-8")
    (line,) = refused(run_cli, path)[:1]
    assert line.endswith("文件中的值超过 100,000 个，不再读取：事实数据和指标体系文件都只有几千个值，请检查是否选错了文件")


def test_pydantic_wording_never_reaches_the_user():
    error = {"type": "int_parsing_size", "loc": ("x",), "msg": "Unable to parse input string as an integer", "input": "9"}
    assert validation._message(error) == "数字太大：绝对值应小于 10^15（一千万亿）"
    error = {"type": "some_future_type", "loc": ("x",), "msg": "Unable to parse…", "input": "9"}
    assert validation._message(error) == "值不符合要求（some_future_type）"


# --- indicator files ------------------------------------------------------------------------------


def indicators_with(tmp_path: Path, old: str, new: str) -> Path:
    return edited(tmp_path, old, new, "table.yaml", default_indicators_path())


def test_a_literal_division_by_zero_is_blamed_on_the_indicator_file(run_cli, tmp_path):
    table = indicators_with(tmp_path, "表达式: 在职人员数 / 编制数 * 100", "表达式: 在职人员数 / 0 * 100")
    line = facts_line(table, "在职人员数 / 0")
    lines = refused(run_cli, EXAMPLE, "--indicators", table)
    assert f"{table}:{line}:5: 错误：字段「测算指标 › 在职人员控制率 › 表达式」：表达式「在职人员数 / 0」除以 0" in lines
    assert not any(line.startswith(str(EXAMPLE)) and "错误" in line.split("：")[0] for line in lines)


def test_a_5000_term_formula_is_refused_by_its_length(run_cli, tmp_path):
    table = indicators_with(tmp_path, "表达式: 在职人员数 / 编制数 * 100", "表达式: " + "+".join(["编制数"] * 5000))
    line = facts_line(table, "编制数+编制数")
    lines = refused(run_cli, EXAMPLE, "--indicators", table)
    expected = f"{table}:{line}:5: 错误：字段「测算指标 › 在职人员控制率 › 表达式」：表达式太长（19,999 个字符，最多 500 个）"
    assert expected in lines


def test_formula_nesting_is_bounded():
    with pytest.raises(ExpressionError) as caught:
        parse_expression("+".join(["a"] * 60))
    assert str(caught.value) == "表达式嵌套太深（超过 50 层运算或括号）；请拆成几个测算指标"
    assert measures.names(parse_expression("+".join(["a"] * 50))) == ["a"]


def test_a_number_in_a_formula_is_bounded():
    with pytest.raises(ExpressionError) as caught:
        parse_expression("a * 1e999999")
    assert str(caught.value) == f"「1e999999」{RANGE}"


def test_a_superscript_two_as_a_checklist_key_is_refused(run_cli, tmp_path):
    table = indicators_with(tmp_path, "得分表: {1: 1}", "得分表: {²: 1}")
    line = facts_line(table, "{²: 1}")
    lines = refused(run_cli, EXAMPLE, "--indicators", table)
    assert any(
        entry.startswith(f"{table}:{line}:") and entry.endswith("「²」应为 1 到 1 之间的整数：得分表的键是符合的要点项数")
        for entry in lines
    )


# --- other files read from a folder a person chose ------------------------------------------------


def test_a_template_set_profile_that_is_a_fifo_is_refused(tmp_path):
    from jixiao.errors import TemplateError
    from jixiao.templatesets import choose_set

    os.mkfifo(tmp_path / "profile.yaml")
    with pytest.raises(TemplateError) as caught:
        choose_set(tmp_path)
    assert str(caught.value) == f"{tmp_path / 'profile.yaml'}: 错误：这不是普通文件（而是设备、管道或套接字），不读取"


def test_a_template_set_profile_in_broken_yaml_is_said_in_chinese(tmp_path):
    from jixiao.errors import TemplateError
    from jixiao.templatesets import choose_set

    (tmp_path / "profile.yaml").write_text("名称: [本县\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        choose_set(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path / 'profile.yaml'}: 错误：无法读取：应为 UTF-8 编码的 YAML（请检查缩进、冒号和引号）"
    )


def test_an_edited_report_that_is_a_fifo_is_refused_without_waiting(tmp_path):
    from jixiao.errors import EditedDocumentError
    from jixiao.merge.edited import _read_bounded

    os.mkfifo(tmp_path / "report.docx")
    with pytest.raises(EditedDocumentError) as caught:
        _read_bounded(tmp_path / "report.docx")
    assert caught.value.problems[0].message == "这不是普通文件（而是设备、管道或套接字），不读取"
