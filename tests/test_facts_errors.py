"""Each kind of broken facts file gets one exact, placed Chinese message through `jixiao check`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from jixiao.errors import FactsError
from jixiao.facts import load_facts

BROKEN = Path(__file__).parent / "data" / "broken"

# A small complete facts file; the GBK and null tests break it in ways a stored file cannot show.
MINIMAL = """\
金额单位: 万元
单位:
  全称: 巨鹿县某某镇人民政府
  简称: 某某镇
  层级: 乡镇
  年度: 2021
部门职责:
  职责:
    - 宣传贯彻执行党的路线方针政策。
人员情况:
  在职人员: 64
预算:
  收入:
    合计: 1104.784985
  支出:
    合计: 1128.653175
"""


def check_lines(run_cli, path: Path) -> list[str]:
    """Run `jixiao check` on a file that must fail; return its stderr lines."""
    before = sorted(path.parent.iterdir()) if path.parent.exists() else []
    result = run_cli("check", path)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stdout == ""
    # Checking never writes anything next to the file.
    assert (sorted(path.parent.iterdir()) if path.parent.exists() else []) == before
    return result.stderr.splitlines()


def copied(name: str, tmp_path: Path) -> Path:
    """Copy a stored broken input into a fresh folder, so the test also sees that nothing is written."""
    target = tmp_path / name
    shutil.copyfile(BROKEN / name, target)
    return target


def verdict(path: Path, errors: int, warnings: int = 0) -> str:
    """Return the last line `jixiao check` prints for a file that cannot be rendered."""
    return f"{path}：{errors} 处错误，{warnings} 处警告，不能生成报告。"


def test_yaml_syntax_error_names_line_and_column(run_cli, tmp_path):
    path = copied("syntax.yaml", tmp_path)
    assert check_lines(run_cli, path) == [
        f"{path}:8:11: 错误：YAML 格式错误：这里不能出现「: 」：可能是这一行比上一行多缩进了，"
        "或文字里有英文冒号加空格（请改用中文冒号「：」，或给整段文字加引号）",
        verdict(path, 1),
    ]


def test_control_character_position_becomes_line_and_column(run_cli, tmp_path):
    path = copied("control-char.yaml", tmp_path)
    assert check_lines(run_cli, path) == [
        f"{path}:4:13: 错误：字段「单位 › 全称」：含有不可见的控制字符 U+000C，Word 无法保存；请删除它（常见于从其他文档复制粘贴）",
        verdict(path, 1),
    ]


def test_escaped_control_character_in_quoted_text_is_refused_at_its_field(run_cli, tmp_path):
    path = tmp_path / "escaped.yaml"
    path.write_text(MINIMAL.replace("全称: 巨鹿县某某镇人民政府", '全称: "巨鹿县某某镇\\a人民政府"'), encoding="utf-8")
    assert check_lines(run_cli, path) == [
        f"{path}:3:3: 错误：字段「单位 › 全称」：含有不可见的控制字符 U+0007（第 7 个字符），"
        "Word 无法保存；请删除它（常见于从其他文档复制粘贴）",
        verdict(path, 1),
    ]


def test_empty_file(run_cli, tmp_path):
    path = copied("empty.yaml", tmp_path)
    assert check_lines(run_cli, path) == [f"{path}:1: 错误：文件是空的：没有任何内容可读", verdict(path, 1)]


def test_file_of_only_comments_is_empty(run_cli, tmp_path):
    path = tmp_path / "comments.yaml"
    path.write_text("# 还没开始填\n\n", encoding="utf-8")
    assert check_lines(run_cli, path) == [f"{path}:1: 错误：文件是空的：没有任何内容可读", verdict(path, 1)]


def test_gbk_file_is_read_with_a_warning(run_cli, tmp_path):
    path = tmp_path / "windows.yaml"
    path.write_bytes(MINIMAL.replace("在职人员: 64", "在职人员: -64").encode("gbk"))
    # The warning says how the file was read; the error proves the Chinese keys were decoded right.
    assert check_lines(run_cli, path) == [
        f"{path}:1: 警告：文件是 GBK（Windows 中文）编码，已按 GBK 读取；建议在编辑器中另存为 UTF-8 编码",
        f"{path}:11:3: 错误：字段「人员情况 › 在职人员」：不能为负数",
        verdict(path, 1, 1),
    ]


def test_file_in_no_known_encoding(run_cli, tmp_path):
    path = tmp_path / "binary.yaml"
    path.write_bytes("金额单位: 万元\n".encode() + b"\xff\xfe\xfd\n")
    assert check_lines(run_cli, path) == [
        f"{path}:2: 错误：文件不是 UTF-8 编码，也不是 GBK 编码，无法识别；请在编辑器中另存为 UTF-8 编码",
        verdict(path, 1),
    ]


def test_missing_file(run_cli, tmp_path):
    path = tmp_path / "nowhere.yaml"
    assert check_lines(run_cli, path) == [f"{path}: 错误：找不到这个文件，请检查路径是否正确", verdict(path, 1)]


def test_unknown_key_suggests_the_closest(run_cli, tmp_path):
    path = copied("unknown-key.yaml", tmp_path)
    assert check_lines(run_cli, path) == [
        f"{path}:8:3: 错误：字段「单位 › 负责任」：未知字段「负责任」，是否想写「负责人」？",
        verdict(path, 1),
    ]


def test_wrong_type(run_cli, tmp_path):
    path = copied("wrong-type.yaml", tmp_path)
    assert check_lines(run_cli, path) == [
        f"{path}:12:3: 错误：字段「人员情况 › 在职人员」：应为整数（阿拉伯数字，不带小数点和单位）",
        verdict(path, 1),
    ]


def test_negative_amount(run_cli, tmp_path):
    path = copied("negative.yaml", tmp_path)
    assert check_lines(run_cli, path) == [f"{path}:15:5: 错误：字段「预算 › 收入 › 合计」：不能为负数", verdict(path, 1)]


def test_duplicate_key_points_at_both_places(run_cli, tmp_path):
    path = copied("duplicate.yaml", tmp_path)
    assert check_lines(run_cli, path) == [
        f"{path}:7:3: 错误：字段「单位 › 简称」：重复的字段（第 5 行已经写过）",
        verdict(path, 1),
    ]


def test_missing_required_key_points_at_its_parent(run_cli, tmp_path):
    path = copied("missing-key.yaml", tmp_path)
    assert check_lines(run_cli, path) == [
        f"{path}:3:1: 错误：字段「单位 › 简称」：缺少必填项「简称」（单位简称，如「阎疃镇」；用于正文中的称呼）",
        verdict(path, 1),
    ]


def test_several_problems_are_all_reported_in_one_run(run_cli, tmp_path):
    path = copied("several.yaml", tmp_path)
    assert check_lines(run_cli, path) == [
        f"{path}:3:1: 错误：字段「单位 › 简称」：缺少必填项「简称」（单位简称，如「阎疃镇」；用于正文中的称呼）",
        f"{path}:6:3: 错误：字段「单位 › 年度」：应为整数（阿拉伯数字，不带小数点和单位）",
        f"{path}:7:3: 错误：字段「单位 › 负责任」：未知字段「负责任」，是否想写「负责人」？",
        f"{path}:17:5: 错误：字段「预算 › 支出 › 合计」：不能为负数",
        verdict(path, 4),
    ]


def test_duplicate_key_does_not_hide_other_problems(run_cli, tmp_path):
    path = tmp_path / "both.yaml"
    text = MINIMAL.replace("  层级: 乡镇\n", "  层级: 乡镇\n  简称: 某某\n").replace("在职人员: 64", "在职人员: -1")
    path.write_text(text, encoding="utf-8")
    assert check_lines(run_cli, path) == [
        f"{path}:6:3: 错误：字段「单位 › 简称」：重复的字段（第 4 行已经写过）",
        f"{path}:12:3: 错误：字段「人员情况 › 在职人员」：不能为负数",
        verdict(path, 2),
    ]


def test_key_with_nothing_after_the_colon(run_cli, tmp_path):
    path = tmp_path / "null.yaml"
    path.write_text(MINIMAL.replace("全称: 巨鹿县某某镇人民政府", "全称:"), encoding="utf-8")
    assert check_lines(run_cli, path) == [
        f"{path}:3:3: 错误：字段「单位 › 全称」：没有填写内容（冒号后是空的）；应为文字",
        verdict(path, 1),
    ]


def test_yes_is_not_a_number(run_cli, tmp_path):
    path = tmp_path / "truth.yaml"
    path.write_text(MINIMAL.replace("在职人员: 64", "在职人员: yes"), encoding="utf-8")
    assert check_lines(run_cli, path) == [
        f"{path}:11:3: 错误：字段「人员情况 › 在职人员」：应为数字，不能是真假值（YAML 会把 yes、no、on、off、true、false 读成真假值）",
        verdict(path, 1),
    ]


def test_self_referencing_anchor_is_refused_not_a_crash(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text(MINIMAL.replace("  职责:\n    - 宣传贯彻执行党的路线方针政策。\n", "  职责: &x [*x]\n"), encoding="utf-8")
    with pytest.raises(FactsError) as caught:
        load_facts(path)
    assert str(caught.value.problems[0]) == (
        f"{path}:8:7: 错误：字段「部门职责 › 职责 › 第1项」：锚点引用了它自身（&名称 … *名称），无法展开"
    )


def test_top_level_list_is_refused(run_cli, tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- 单位\n- 预算\n", encoding="utf-8")
    assert check_lines(run_cli, path) == [
        f"{path}:1:1: 错误：文件的最外层应是若干「键: 值」（例如「单位:」），而不是单个值或列表",
        verdict(path, 1),
    ]


def test_minimal_file_loads(tmp_path):
    path = tmp_path / "minimal.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    loaded = load_facts(path)
    assert loaded.warnings == []
    assert str(loaded.facts.budget.income.total) == "1104.784985"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("职责: [1, 2\n", "YAML 格式错误：方括号列表 [ … ] 没有闭合，或项与项之间缺少英文逗号「,」"),
        ("职责: x\n---\nb: 1\n", "YAML 格式错误：文件中出现了第二个文档分隔线「---」；一个文件只能写一份事实数据"),
    ],
)
def test_less_common_yaml_mistakes_are_explained_in_chinese(run_cli, tmp_path, text, message):
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    (line,) = [entry for entry in check_lines(run_cli, path) if "YAML" in entry]
    assert line.endswith(message)
    assert line.startswith(f"{path}:2:1: ")


def test_lone_surrogate_escape_is_refused_in_chinese(run_cli, tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text(MINIMAL.replace("全称: 巨鹿县某某镇人民政府", '全称: "某镇\\ud800"'), encoding="utf-8")
    assert check_lines(run_cli, path) == [
        f"{path}:3:3: 错误：字段「单位 › 全称」：含有无效的字符编码（孤立的代理字符，如 \\ud800），Word 无法保存；请删除它",
        verdict(path, 1),
    ]


def _laughs(levels: int = 9) -> str:
    """A few hundred bytes whose references (*名称) expand to 9**levels values ("billion laughs")."""
    lines = ['l0: &l0 ["哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈"]']
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_references_that_multiply_are_refused_not_followed(run_cli, tmp_path):
    path = tmp_path / "laughs.yaml"
    path.write_text(_laughs(), encoding="utf-8")
    lines = check_lines(run_cli, path)
    assert lines[-1] == verdict(path, 1)
    (refusal,) = lines[:-1]
    assert refusal.startswith(f"{path}:1:")
    assert refusal.endswith("引用（*名称）展开后超过 100,000 项，不再读取：请不要用锚点和引用（&名称、*名称）重复大段内容")


def test_a_few_references_are_still_read(tmp_path):
    path = tmp_path / "facts.yaml"
    text = MINIMAL.replace("    - 宣传贯彻执行党的路线方针政策。\n", "    - &duty 宣传贯彻执行党的路线方针政策。\n    - *duty\n")
    path.write_text(text, encoding="utf-8")
    assert load_facts(path).facts.duties.items == ["宣传贯彻执行党的路线方针政策。"] * 2


def test_deep_nesting_is_refused_at_its_line_and_field(run_cli, tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("单位:\n  全称: " + "[" * 60 + "]" * 60 + "\n", encoding="utf-8")
    message = "嵌套层次太深（超过 50 层），不再读取：事实数据和指标体系文件都只有几层，请检查方括号、花括号或缩进"
    assert check_lines(run_cli, path) == [f"{path}:2:56: 错误：字段「单位 › 全称」：{message}", verdict(path, 1)]


@pytest.mark.parametrize("depth", [3_000, 300_000])
def test_nesting_deep_enough_to_crash_a_parser_is_refused_in_a_real_process(tmp_path, depth):
    """libyaml's composer recurses in C: 300,000 levels would kill the process, not raise."""
    path = tmp_path / "deeper.yaml"
    path.write_text("单位: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "jixiao", "check", str(path)], capture_output=True, text=True)
    assert done.returncode == 1, done.stderr[-500:]
    assert "嵌套层次太深（超过 50 层）" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("written", ["2022-01-10", "2022年1月10日", "2022 年 1 月 10 日", '"2022-1-10"'])
def test_report_date_is_read_in_either_way_people_write_it(tmp_path, written):
    path = tmp_path / "facts.yaml"
    path.write_text(MINIMAL + f"成文日期: {written}\n", encoding="utf-8")
    assert load_facts(path).facts.report_date == date(2022, 1, 10)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("20220110", "应为日期，写作 2022-01-10 或 2022年1月10日"),  # not seconds since 1970
        ("2022-02-30", "没有这一天：2022-02-30（应为日期，写作 2022-01-10 或 2022年1月10日）"),
        ("明年元旦", "应为日期，写作 2022-01-10 或 2022年1月10日"),
    ],
)
def test_a_report_date_that_is_not_a_day_is_refused_at_its_line(run_cli, tmp_path, written, message):
    path = tmp_path / "facts.yaml"
    path.write_text(MINIMAL + f"成文日期: {written}\n", encoding="utf-8")
    line = len(MINIMAL.splitlines()) + 1
    assert check_lines(run_cli, path)[0] == f"{path}:{line}:1: 错误：字段「成文日期」：{message}"
