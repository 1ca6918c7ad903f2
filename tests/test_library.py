"""The bundled indicator systems: list, show, check; a facts file naming its system; the example against each."""

from __future__ import annotations

from pathlib import Path

import pytest

from edits import edited_copy
from jixiao.indicatorlibrary import BUNDLED, bundled, choose_indicators
from jixiao.indicators import load_indicators

DATA = Path(__file__).parent / "data" / "indicators"
EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "examples" / "yantuan-2021.yaml"


def test_list_shows_each_bundled_system_on_one_line(run_cli) -> None:
    result = run_cli("indicators", "list")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "巨鹿2021\t巨鹿县 2021 年部门整体支出绩效评价指标体系评分表（23 项三级指标）",
        "财预53号\t部门整体支出绩效评价共性指标体系（财预〔2013〕53号附2，维护人员赋分）（28 项三级指标）",
        "岳阳2018\t岳阳市 2018 年度部门整体支出绩效自评评分表（市直部门）（22 项三级指标）",
    ]


@pytest.mark.parametrize("entry", bundled(), ids=lambda entry: entry.name)
def test_every_bundled_system_checks_clean_and_says_where_it_comes_from(run_cli, entry) -> None:
    result = run_cli("indicators", "check", entry.name)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith(f"{entry.name}：0 处错误，")
    system = load_indicators(entry.path)
    assert system.source and system.total == 100
    assert "维护人员" in entry.path.read_text(encoding="utf-8")


def test_show_prints_the_tree_with_weights_kinds_grades_and_caps(run_cli) -> None:
    result = run_cli("indicators", "show", "岳阳2018")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "岳阳市 2018 年度部门整体支出绩效自评评分表（市直部门）（总分 100）"
    assert "过程  40 分" in lines
    assert "  预算执行  15 分" in lines
    assert "    预算完成率  3 分  整档扣分" in lines
    assert "    资金结余  3 分  二者择其一" in lines
    assert lines.count("    管理制度健全性  3 分  要点计分") == 2
    assert lines[-3:] == [
        "等级：优 ≥90、良 ≥80、中 ≥60、差 ≥0",
        "总分封顶：预算完成率「70%≤测算值＜80%」时总分最高 89 分",
        "总分封顶：预算完成率「＜70%」时总分最高 79 分",
    ]


def test_check_reports_a_county_tables_problems_with_lines_and_exit_1(run_cli) -> None:
    result = run_cli("indicators", "check", DATA / "broken-rules.yaml")
    assert result.exit_code == 1
    assert f"{DATA / 'broken-rules.yaml'}:4:1: 错误：字段「一级指标」：一级指标分值合计为 80，应等于总分 90" in result.stderr
    assert result.stderr.splitlines()[-1].endswith("broken-rules.yaml：15 处错误，0 处警告，不能使用。")


def test_check_warns_of_a_rule_that_never_reaches_its_weight(run_cli, tmp_path: Path) -> None:
    table = edited_copy(DATA / "kinds.yaml", tmp_path, ('{范围: "=0", 得分: 8}', '{范围: "=0", 得分: 7}'))
    result = run_cli("indicators", "check", table)
    assert result.exit_code == 0
    line = next(n for n, text in enumerate(table.read_text(encoding="utf-8").splitlines(), 1) if "规则:" in text)
    assert result.stderr.splitlines()[0] == (
        f"{table}:{line}:13: 警告：字段「一级指标 › 第1项 › 二级指标 › 第1项 › 三级指标 › 第1项 › 规则」："
        "预算调整率：评分标准最高只能得 7 分，达不到指标分值 8 分"
    )


def test_an_unknown_system_name_lists_the_bundled_ones(run_cli) -> None:
    result = run_cli("indicators", "show", "巨鹿2012")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "指标体系: 错误：没有名为「巨鹿2012」的内置指标体系，也没有这个文件，是否想写「巨鹿2021」？（内置指标体系：巨鹿2021、财预53号、岳阳2018）"
    )


# ---------------------------------------------------------------- a facts file naming its system


def _stating(tmp_path: Path, system: str) -> Path:
    """Copy the example, stating its indicator system."""
    return edited_copy(EXAMPLE, tmp_path, ("金额单位: 万元\n", f"金额单位: 万元\n指标体系: {system}\n"))


def test_a_facts_file_naming_a_bundled_system_is_checked_against_it(run_cli, tmp_path: Path) -> None:
    result = run_cli("check", _stating(tmp_path, "岳阳2018"))
    assert result.exit_code == 1
    assert "「职责明确」不是指标体系「岳阳市 2018 年度部门整体支出绩效自评评分表（市直部门）」中的三级指标名称" in result.stderr


def test_a_facts_file_may_name_a_table_file_relative_to_itself(run_cli, tmp_path: Path) -> None:
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "ours.yaml").write_bytes((DATA.parents[1] / ".." / "data" / "indicators" / "julu-2021.yaml").resolve().read_bytes())
    result = run_cli("check", _stating(tmp_path, "tables/ours.yaml"))
    assert result.exit_code == 0, result.stderr


def test_the_indicators_option_wins_over_the_facts_file(run_cli, tmp_path: Path) -> None:
    assert run_cli("check", _stating(tmp_path, "岳阳2018"), "--indicators", "巨鹿2021").exit_code == 0


def test_an_unknown_system_in_the_facts_file_is_placed_on_its_line(run_cli, tmp_path: Path) -> None:
    facts = _stating(tmp_path, "岳阳2019")
    result = run_cli("check", facts)
    assert result.exit_code == 1
    line = next(n for n, text in enumerate(facts.read_text(encoding="utf-8").splitlines(), 1) if text.startswith("指标体系"))
    assert (
        f"{facts}:{line}:1: 错误：字段「指标体系」：没有名为「岳阳2019」的内置指标体系，也没有这个文件，是否想写「岳阳2018」？"
        "（内置指标体系：巨鹿2021、财预53号、岳阳2018）"
    ) in result.stderr.splitlines()


def test_choosing_defaults_to_the_julu_table() -> None:
    assert choose_indicators(None) == bundled()[0].path
    assert next(iter(BUNDLED)) == "巨鹿2021"


# ---------------------------------------------------------------- the example against every bundled system


def test_the_example_renders_with_the_julu_table(run_cli, tmp_path: Path) -> None:
    result = run_cli("render", EXAMPLE, "-o", tmp_path / "r.docx", "--indicators", "巨鹿2021")
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    ("system", "lacking"),
    [
        ("财预53号", [
            "绩效目标合理性：缺少「评分数据 › 评价要点 › 绩效目标合理性」（「全部符合」「全部不符合」或符合的要点序号列表）",
            "结转结余变动率：缺少上年结转结余总额（上年度部门结转和结余资金总额）：填在「评分数据 › 自定义数据 › 上年结转结余总额」（数值和含义）",
            "预算管理 › 管理制度健全性：缺少「评分数据 › 评价要点」下的「预算管理 › 管理制度健全性」（「全部符合」「全部不符合」或符合的要点序号列表）",
            "实际完成率：缺少实际完成工作数（部门实际完成的工作任务数）：填在「评分数据 › 自定义数据 › 实际完成工作数」（数值和含义）",
            "重点工作办结率：缺少办结重点工作数（实际完成（办结）的重点工作数）：填在「评分数据 › 自定义数据 › 办结重点工作数」（数值和含义）；"
            "交办重点工作数（党委、政府、人大、相关部门交办或下达的重点工作数）：填在「评分数据 › 自定义数据 › 交办重点工作数」（数值和含义）",
        ]),
        ("岳阳2018", [
            "资金使用合规性：缺少资金使用不合规例数（本年度审计、检查中发现的资金使用不符合要求的事例数）：填在「评分数据 › 自定义数据 › 资金使用不合规例数」（数值和含义）",
            "资产管理 › 管理制度健全性：缺少「评分数据 › 评价要点」下的「资产管理 › 管理制度健全性」（「全部符合」「全部不符合」或符合的要点序号列表）",
            "可持续影响：缺少「评分数据 › 评定 › 可持续影响」（得分和理由）",
            "服务对象满意度：缺少「评分数据 › 测算值 › 满意率」",
        ]),
    ],
)  # fmt: skip
def test_the_example_with_another_system_lists_exactly_what_it_lacks(run_cli, tmp_path: Path, system, lacking) -> None:
    result = run_cli("render", EXAMPLE, "-o", tmp_path / "r.docx", "--indicators", system)
    assert result.exit_code == 1
    assert not (tmp_path / "r.docx").exists()
    messages = [line.split("」：", 1)[1] for line in result.stderr.splitlines() if " 错误：字段「" in line]
    for wanted in lacking:
        assert wanted in messages
