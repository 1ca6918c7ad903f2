"""Filters, the environment and template errors."""

from datetime import date
from decimal import Decimal

import jinja2
import pytest

from jixiao.errors import OutputError, TemplateError
from jixiao.templatesets import export_set
from jixiao.templating import build_environment, render_text
from jixiao.wording import chinese_numeral, enumerate_inline, ordinal, percent, points


@pytest.mark.parametrize(
    ("number", "text"), [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (23, "二十三"), (99, "九十九")]
)
def test_chinese_numeral(number, text):
    assert chinese_numeral(number) == text


@pytest.mark.parametrize("number", [0, 100, -1])
def test_chinese_numeral_out_of_range(number):
    with pytest.raises(ValueError, match="1–99"):
        chinese_numeral(number)


@pytest.mark.parametrize(
    ("number", "pattern", "text"),
    [
        (3, "一、", "三、"),
        (12, "（一）", "（十二）"),
        (3, "1.", "3."),
        (10, "（1）", "（10）"),
        (5, "①", "⑤"),
        (2, "一是", "二是"),
        (4, "1、", "4、"),
    ],
)
def test_ordinal_styles(number, pattern, text):
    assert ordinal(number, pattern) == text


def test_ordinal_needs_a_digit_in_the_pattern():
    with pytest.raises(ValueError, match="序号样式"):
        ordinal(1, "甲")


@pytest.mark.parametrize(
    ("value", "text"), [(Decimal("95.00"), "95"), (Decimal("9.50"), "9.5"), (Decimal("3.25"), "3.25"), (Decimal(0), "0")]
)
def test_points(value, text):
    assert points(value) == text


def test_percent_fixed_places():
    assert percent(Decimal("93")) == "93.00%"
    assert percent(Decimal("90"), 0) == "90%"
    assert percent(Decimal("3.33333")) == "3.33%"


def test_enumerate_inline_drops_item_punctuation():
    assert enumerate_inline(["甲；", "乙。", "丙"]) == "一是甲；二是乙；三是丙。"
    assert enumerate_inline([]) == ""


def _render(source: str, **context):
    env = build_environment()
    return env.from_string(source).render(money_unit=context.pop("money_unit", "万元"), **context)


@pytest.mark.parametrize(
    ("amount", "unit", "text"),
    [
        (Decimal("1104.784985"), None, "1104.784985万元"),
        (Decimal("3.5"), None, "3.5万元"),
        (Decimal("0"), None, "0万元"),
        (Decimal("3.5"), "元", "35000元"),
    ],
)
def test_money_keeps_entered_precision(amount, unit, text):
    expression = "{{ x | money(u) }}" if unit else "{{ x | money }}"
    assert _render(expression, x=amount, u=unit).replace("\x1f", "") == text


def test_money_from_yuan_to_wan_is_exact():
    assert _render("{{ x | money('万元') }}", x=Decimal("12345"), money_unit="元").replace("\x1f", "") == "1.2345万元"


def test_strict_undefined_names_the_template_line_and_suggests(tmp_path):
    (tmp_path / "report.j2").write_text("第一行\n{{ uint.full_name }}\n", encoding="utf-8")
    env = build_environment(tmp_path)
    with pytest.raises(TemplateError) as caught:
        render_text(env, {"unit": object()})
    problem = caught.value.problems[0]
    assert problem.file == str(tmp_path / "report.j2")
    assert problem.line == 2
    assert problem.message == "名称「uint」不存在，是否想写「unit」？"


def test_syntax_error_names_file_and_line(tmp_path):
    (tmp_path / "report.j2").write_text("甲\n乙\n{% if x %}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        render_text(build_environment(tmp_path), {"x": 1})
    problem = caught.value.problems[0]
    assert (problem.file, problem.line) == (str(tmp_path / "report.j2"), 3)
    assert problem.message.startswith("模板语法错误：")


def test_override_folder_falls_back_to_defaults(tmp_path):
    (tmp_path / "title.j2").write_text("= 维护人员的标题\n", encoding="utf-8")
    env = build_environment(tmp_path)
    assert env.get_template("title.j2").render() == "= 维护人员的标题\n"
    assert isinstance(env.get_template("s5_problems.j2"), jinja2.Template)


def test_export_copies_every_default_and_never_overwrites(tmp_path):
    written = export_set(tmp_path / "mine")
    names = {path.name for path in written}
    assert {"report.j2", "title.j2", "s1_overview.j2", "attachment.j2"} <= names
    (tmp_path / "mine" / "title.j2").write_text("改过的", encoding="utf-8")
    with pytest.raises(OutputError):
        export_set(tmp_path / "mine")
    assert (tmp_path / "mine" / "title.j2").read_text(encoding="utf-8") == "改过的"


@pytest.mark.parametrize(("day", "text"), [(date(2022, 1, 10), "2022年1月10日"), (date(2021, 12, 31), "2021年12月31日")])
def test_date_filter_writes_the_full_year_and_no_leading_zeros(day, text):
    assert _render("{{ d | date }}", d=day).replace("\x1f", "") == text


def test_wording_is_imported_without_jinja():
    # Checking and scoring word numbers through jixiao.wording; they must not pay for importing Jinja.
    import subprocess
    import sys

    code = "import sys, jixiao.wording, jixiao.rules; print('jinja2' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"


def test_the_report_title_names_the_output_file():
    from jixiao.output import default_output_path
    from jixiao.wording import report_title

    assert report_title("某县某局", 2022) == "某县某局2022年度部门整体支出绩效评价报告"
    assert default_output_path("某县某局", 2022).name == "某县某局2022年度部门整体支出绩效评价报告.docx"
