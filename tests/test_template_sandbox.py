"""Templates are untrusted: the sandbox refuses Python's internals, bounds work and output, and says so in Chinese."""

import os
from pathlib import Path

import pytest

from jixiao import inputfile, templatesandbox
from jixiao.errors import TemplateError
from jixiao.report import build_document
from jixiao.templating import build_environment, render_blocks, render_text


def _refusal(tmp_path: Path, template: str, name: str = "report.j2") -> str:
    """Render `template` as the main template of a maintainer folder; return the one problem it gives."""
    (tmp_path / name).write_text(template, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        render_blocks(build_environment(tmp_path), {"money_unit": "万元", "items": [1, 2]}, {"评分表"})
    (problem,) = caught.value.problems
    return str(problem)


def _where(tmp_path: Path, line: int, name: str = "report.j2") -> str:
    return f"{tmp_path / name}:{line}: 错误："


@pytest.mark.parametrize(
    ("expression", "refused"),
    [
        ("cycler.__init__.__globals__.os.popen('touch {marker}').read()", "__init__"),
        ("joiner.__init__.__globals__.os.popen('touch {marker}').read()", "__init__"),
        ("namespace.__init__.__globals__.os.popen('touch {marker}').read()", "__init__"),
        ("''.__class__.__mro__[1].__subclasses__()", "__class__"),
        ("items.__class__.__base__", "__class__"),
        ("(1).real.__class__", "__class__"),
    ],
)
def test_python_internals_are_refused_and_nothing_runs(tmp_path, expression, refused):
    marker = tmp_path / "ran"
    template = "正文\n{{ " + expression.format(marker=marker) + " }}\n"
    assert _refusal(tmp_path, template) == (
        f"{_where(tmp_path, 2)}已拒绝：模板不能访问 Python 内部属性「{refused}」（模板只能读取报告数据）"
    )
    assert not marker.exists()


def test_lipsum_is_not_there_at_all(tmp_path):
    assert _refusal(tmp_path, "{{ lipsum.__globals__.os }}\n") == f"{_where(tmp_path, 1)}名称「lipsum」不存在"


def test_lists_cannot_be_changed(tmp_path):
    assert _refusal(tmp_path, "{{ items.append(3) }}\n") == (
        f"{_where(tmp_path, 1)}已拒绝：模板不能修改数据（「append」会改动列表、字典或集合）"
    )


def test_a_huge_range_is_refused(tmp_path):
    template = "甲\n乙\n{% for i in range(10**9) %}{{ i }}{% endfor %}\n"
    assert _refusal(tmp_path, template) == f"{_where(tmp_path, 3)}已拒绝：range() 最多给出 10,000 个数，这里要 1,000,000,000 个"


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("'x' * 10**9", "模板要生成的文字或列表太长（超过 2,000,000 项）"),
        ("[1] * 10**9", "模板要生成的文字或列表太长（超过 2,000,000 项）"),
        ("2 ** 100000", "乘方的指数太大（超过 1,000）"),
        ("(10 ** 1000) ** 1000", "乘方的结果太大（超过 1,000,000 位二进制数）"),
        ("'%0999999999d' % 1", "格式字符串中的宽度或精度太大（六位数以上）"),
        ("'{:>999999999}'.format(1)", "格式字符串中的宽度或精度太大（六位数以上）"),
        ("'x' | center(10**9)", "数字参数太大（超过 2,000,000），模板不能要求这么多字符或次数"),
        ("'x'.ljust(10**9)", "数字参数太大（超过 2,000,000），模板不能要求这么多字符或次数"),
        ("('x' * 100000) | replace('', 'y' * 100000)", "模板要生成的文字或列表太长（超过 2,000,000 项）"),
        ("'%09999999d' | format(1)", "格式字符串中的宽度或精度太大（六位数以上）"),
    ],
)
def test_expressions_that_ask_for_too_much_are_refused(tmp_path, expression, message):
    assert _refusal(tmp_path, "{{ " + expression + " }}\n") == f"{_where(tmp_path, 1)}已拒绝：{message}"


def test_doubling_text_with_tilde_is_bounded(tmp_path):
    template = "{% set s = 'x' * 1000000 %}\n{% set s = s ~ s %}\n{% set s = s ~ s %}\n{{ s | length }}\n"
    assert _refusal(tmp_path, template) == (
        f"{_where(tmp_path, 3)}已拒绝：模板要生成的文字或列表太长（超过 2,000,000 项）"
    )


def test_output_beyond_the_limit_is_refused_at_the_line_writing_it(tmp_path):
    template = "标题\n{% for i in range(10000) %}{% for j in range(10000) %}xxxxxxxxxx{% endfor %}{% endfor %}\n"
    assert _refusal(tmp_path, template) == (
        f"{_where(tmp_path, 2)}已拒绝：模板输出超过 2,000,000 个字符，已停止（可能是循环次数过多）"
    )


def test_a_render_running_too_long_is_stopped(tmp_path, monkeypatch):
    monkeypatch.setattr(templatesandbox, "MAX_SECONDS", 0.0)
    template = "{#- 注释 -#}\n{% for i in range(10) %}{{ i }}{% endfor %}\n"
    assert _refusal(tmp_path, template) == (
        f"{_where(tmp_path, 2)}已拒绝：模板运行超过 0 秒，已停止（可能是循环次数过多或无限递归）"
    )


@pytest.mark.parametrize(
    ("template", "line", "message"),
    [
        ("甲\n{{ 1 / 0 }}\n", 2, "渲染出错：除数为 0（ZeroDivisionError）"),
        ("{% macro f() %}{{ f() }}{% endmacro %}\n{{ f() }}\n", 1, "渲染出错：宏或模板调用自身层次太深（可能无限递归）（RecursionError）"),
        ("{{ 1 + 'a' }}\n", 1, "渲染出错：值的类型不对，不能这样运算或调用（TypeError）"),
        ("{{ items[5] }}\n", 1, "渲染出错：取不到这一项或属性（序号、键或属性不存在）（UndefinedError）"),
        ("{{ 10 ** 999 * 10 ** 999 * 10 ** 999 * 10 ** 999 * 10 ** 999 }}\n", 1, "渲染出错：值不合适，无法这样运算或转换（ValueError）"),
    ],
)
def test_render_errors_are_chinese_and_placed(tmp_path, template, line, message):
    assert _refusal(tmp_path, template) == f"{_where(tmp_path, line)}{message}"


def test_nul_in_output_is_placed_on_the_template_line(tmp_path):
    template = "甲\n乙\n丙{{ '' }}\n丁{{ '\\x00' | replace('\\x1f', '') }}\n"
    assert _refusal(tmp_path, template) == f"{_where(tmp_path, 4)}模板输出了 Word 无法保存的字符 U+0000"


def test_a_surrogate_in_output_is_refused(tmp_path):
    assert _refusal(tmp_path, "甲\n{{ '\\ud800' }}\n") == f"{_where(tmp_path, 2)}模板输出了 Word 无法保存的字符 U+D800"


def test_control_characters_in_a_template_file_are_refused_with_their_line(tmp_path):
    assert _refusal(tmp_path, "甲\n乙\x00\n") == f"{_where(tmp_path, 2)}模板含有 Word 无法保存的控制字符 U+0000；请删除它"


def test_an_unreadable_template_says_why(tmp_path, monkeypatch):
    (tmp_path / "s1_overview.j2").write_text("甲\n", encoding="utf-8")
    monkeypatch.setattr(inputfile.os, "open", _refusing_open(inputfile.os.open, "s1_overview.j2"))
    message = _refusal(tmp_path, '{% include "s1_overview.j2" %}\n')
    assert message == f"{tmp_path / 's1_overview.j2'}: 错误：无法读取模板文件：没有读取这个文件的权限"


def _refusing_open(real_open, name):
    """Open files as usual, except `name`, which is refused as an unreadable file is (root reads anything)."""

    def refusing(path, *args, **kwargs):
        if str(path).endswith(name):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    return refusing


def test_a_template_that_is_a_fifo_is_refused_without_hanging(tmp_path):
    os.mkfifo(tmp_path / "title.j2")
    message = _refusal(tmp_path, '{% include "title.j2" %}\n')
    assert message == f"{tmp_path / 'title.j2'}: 错误：无法读取模板文件：这不是普通文件（而是设备、管道或套接字），不读取"


def test_a_template_not_in_utf8_is_refused(tmp_path):
    (tmp_path / "report.j2").write_bytes("标题\n".encode("gbk"))
    with pytest.raises(TemplateError) as caught:
        render_text(build_environment(tmp_path), {})
    assert str(caught.value) == f"{tmp_path / 'report.j2'}: 错误：模板文件不是 UTF-8 编码；请在编辑器中另存为 UTF-8"


def test_an_unknown_table_is_a_template_error_on_its_line(tmp_path):
    template = "甲\n{% if true %}\n乙\n::: 表格 不存在的表\n{% endif %}\n"
    assert _refusal(tmp_path, template) == f"{_where(tmp_path, 4)}没有名为「不存在的表」的表格；可用：评分表"


def test_an_unknown_table_in_an_included_template_names_that_file(tmp_path):
    (tmp_path / "attachment.j2").write_text("附件\n\n::: 表格 X\n", encoding="utf-8")
    template = '甲\n乙\n{% include "attachment.j2" %}\n'
    assert _refusal(tmp_path, template) == f"{_where(tmp_path, 3, 'attachment.j2')}没有名为「X」的表格；可用：评分表"


def test_the_bundled_templates_run_in_the_sandbox(example_document):
    assert example_document.blocks


@pytest.fixture
def example_document():
    from jixiao.facts import load_facts
    from jixiao.indicators import load_indicators
    from jixiao.scoring import score_facts

    facts = load_facts(Path("data/examples/yantuan-2021.yaml")).facts
    return build_document(facts, score_facts(facts, load_indicators(None)))


@pytest.mark.parametrize(
    ("template", "line", "message"),
    [
        ("甲\n{% if true %}\n乙\n", 3, "模板在 {% if %} 还没有结束时就结束了：缺少对应的 {% endif %}"),
        ("{% for x in items %}\n{% endif %}\n", 2, "这里的 {% endif %} 与前面的 {% for %} 不配对：应先写 {% endfor %}"),
        ("{% foo %}\n", 1, "无法识别的标签 {% foo %}"),
        ("{{ x y }}\n", 1, "这里应为「}}」，却是「y」"),
        ("{{ $ }}\n", 1, "无法识别的字符「$」（文字请放在引号里，引号要成对）"),
        ("甲\n{# 注释\n", 2, "注释 {# … #} 没有闭合"),
        ("{{ }}\n", 1, "「}}」前面缺少表达式"),
    ],
)
def test_syntax_errors_are_said_in_chinese(tmp_path, template, line, message):
    assert _refusal(tmp_path, template) == f"{_where(tmp_path, line)}模板语法错误：{message}"


def test_a_line_separator_in_a_template_line_shifts_no_later_line(tmp_path):
    template = "甲\u2028乙\n丙\n::: 表格 X\n"
    assert _refusal(tmp_path, template) == f"{_where(tmp_path, 3)}没有名为「X」的表格；可用：评分表"
