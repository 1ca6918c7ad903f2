"""`check_facts` and the consistency findings: parts against totals, ranges, plausibility, scoring."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from edits import write_edited
from jixiao.checks import CheckReport, check_facts, consistency_problems
from jixiao.facts import load_facts

# The example's year is 2021; checking "as of" 2022 keeps these tests independent of today's date.
AS_OF = date(2022, 6, 1)


@pytest.fixture
def example_text(example_path: Path) -> str:
    """Return the bundled example's text."""
    return example_path.read_text(encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """Return the 1-based number of the only line containing `needle`."""
    lines = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line]
    assert len(lines) == 1, needle
    return lines[0]


def findings(path: Path, today: date = AS_OF) -> list[str]:
    """Return the consistency findings on a facts file as printed lines."""
    loaded = load_facts(path)
    return [str(p) for p in consistency_problems(loaded.facts, loaded.source, today)]


def test_example_is_consistent(example_path):
    assert findings(example_path) == []


def test_income_sources_must_add_up_to_the_total(tmp_path, example_text):
    path = write_edited(example_text, tmp_path, ("金额: 91.480081", "金额: 91.480082"))
    line = line_of(path, "合计: 1104.784985")
    assert findings(path) == [
        f"{path}:{line}:5: 错误：字段「预算 › 收入 › 合计」："
        "收入来源合计 1104.784986 万元，与收入合计 1104.784985 万元不一致（差 0.000001 万元）"
    ]


def test_basic_and_project_spending_must_add_up_to_the_total(tmp_path, example_text):
    path = write_edited(example_text, tmp_path, ("基本支出: 446.204502", "基本支出: 446.204503"))
    line = line_of(path, "合计: 1128.653175")
    assert findings(path) == [
        f"{path}:{line}:5: 错误：字段「预算 › 支出 › 合计」："
        "基本支出与项目支出之和 1128.653176 万元，与支出合计 1128.653175 万元不一致（差 0.000001 万元）"
    ]


def test_fund_spending_cannot_exceed_the_total(tmp_path, example_text):
    path = write_edited(example_text, tmp_path, ("基金预算支出: 137.26", "基金预算支出: 2000"))
    line = line_of(path, "基金预算支出: 2000")
    assert findings(path) == [
        f"{path}:{line}:5: 错误：字段「预算 › 支出 › 基金预算支出」：基金预算支出 2000 万元，超过了支出合计 1128.653175 万元"
    ]


def test_staff_split_must_add_up(tmp_path, example_text):
    path = write_edited(example_text, tmp_path, ("事业人员: 35", "事业人员: 36"))
    line = line_of(path, "在职人员: 64")
    assert findings(path) == [
        f"{path}:{line}:3: 错误：字段「人员情况 › 在职人员」：行政人员与事业人员之和 65 人，与在职人员 64 人不一致（差 1 人）"
    ]


def test_establishment_split_must_add_up(tmp_path, example_text):
    path = write_edited(example_text, tmp_path, ("事业编制: 38", "事业编制: 37"))
    line = line_of(path, "编制数: 70")
    assert findings(path) == [
        f"{path}:{line}:3: 错误：字段「人员情况 › 编制数」：行政编制与事业编制之和 69 人，与编制数 70 人不一致（差 1 人）"
    ]


def test_a_lone_part_cannot_exceed_its_total(tmp_path, example_text):
    path = write_edited(example_text, tmp_path, ("  事业人员: 35\n", ""), ("行政人员: 29", "行政人员: 70"))
    line = line_of(path, "行政人员: 70")
    assert findings(path) == [
        f"{path}:{line}:3: 错误：字段「人员情况 › 行政人员」：行政人员 70 人，超过了在职人员 64 人"
    ]


def test_establishment_split_without_establishment_is_questioned(tmp_path, example_text):
    path = write_edited(example_text, tmp_path, ("  编制数: 70\n", ""))
    line = line_of(path, "行政编制: 32")
    assert findings(path) == [
        f"{path}:{line}:3: 警告：字段「人员情况 › 行政编制」："
        "填了行政编制和事业编制，但没有填编制数；编制数是在职人员控制率的分母"
    ]


def test_no_staff_but_an_establishment_is_questioned(tmp_path, example_text):
    path = write_edited(
        example_text, tmp_path, ("在职人员: 64", "在职人员: 0"), ("  行政人员: 29\n", ""), ("  事业人员: 35\n", "")
    )
    line = line_of(path, "在职人员: 0")
    assert findings(path) == [
        f"{path}:{line}:3: 警告：字段「人员情况 › 在职人员」：在职人员为 0，而编制数为 70：请确认在职人员是否漏填"
    ]


def test_three_costs_cannot_exceed_spending(tmp_path, example_text):
    path = write_edited(example_text, tmp_path, ("公务用车购置及运行维护费: 3.5", "公务用车购置及运行维护费: 2000"))
    line = line_of(path, "本年:")
    assert findings(path) == [
        f"{path}:{line}:5: 错误：字段「预算 › 三公经费 › 本年」：本年三公经费合计 2000 万元，超过了支出合计 1128.653175 万元"
    ]


def test_future_year_is_an_error(example_path):
    line = line_of(example_path, "年度: 2021")
    assert findings(example_path, date(2020, 12, 31)) == [
        f"{example_path}:{line}:3: 错误：字段「单位 › 年度」：评价年度 2021 年还没有到（今年是 2020 年），请检查是否写错"
    ]


def test_year_long_past_is_a_warning(example_path):
    line = line_of(example_path, "年度: 2021")
    assert findings(example_path, date(2032, 1, 1)) == [
        f"{example_path}:{line}:3: 警告：字段「单位 › 年度」：评价年度 2021 年距今已超过 10 年，请确认没有写错"
    ]


def test_amounts_that_look_like_the_other_unit_are_questioned(tmp_path, example_text):
    path = write_edited(example_text, tmp_path, ("金额单位: 万元", "金额单位: 元"))
    line = line_of(path, "金额单位: 元")
    messages = findings(path)
    assert messages[0] == (
        f"{path}:{line}:1: 警告：字段「金额单位」：金额单位是「元」，而预算收支合计最多只有 1128.653175 元：金额是否按「万元」填写的？"
    )


def test_parts_the_scoring_table_divides_cannot_exceed_their_whole(tmp_path, example_text):
    path = write_edited(
        example_text, tmp_path, ("质量达标项目数: 7", "质量达标项目数: 8"), ("在用固定资产总额: 480.00", "在用固定资产总额: 500.01")
    )
    qualified, in_use = line_of(path, "质量达标项目数: 8"), line_of(path, "在用固定资产总额: 500.01")
    assert findings(path) == [
        f"{path}:{qualified}:3: 错误：字段「评分数据 › 质量达标项目数」：质量达标项目数 8 个，超过了已完成项目数 7 个",
        f"{path}:{in_use}:3: 错误：字段「评分数据 › 在用固定资产总额」：在用固定资产总额 500.01 万元，超过了固定资产总额 500.00 万元",
    ]


def test_stated_carry_over_must_match_the_year_end_figures(tmp_path, example_text):
    path = write_edited(example_text, tmp_path, ("  公用经费预算数: 80.00\n", "  结转结余总额: 1.5\n  公用经费预算数: 80.00\n"))
    line = line_of(path, "结转结余总额: 1.5")
    assert findings(path) == [
        f"{path}:{line}:3: 警告：字段「评分数据 › 结转结余总额」："
        "结转结余总额 1.5 万元，与按事实算出的 0 万元（「预算 › 年末结转」与「预算 › 年末结余」之和）不一致（差 1.5 万元）；评分使用评分数据中的数"
    ]


def test_satisfaction_rate_above_100_is_refused(tmp_path, example_text):
    path = write_edited(example_text, tmp_path, ("满意率: 90", "满意率: 900"))
    report = check_facts(path)
    line = line_of(path, "满意率: 900")
    assert [str(p) for p in report.problems] == [f"{path}:{line}:3: 错误：字段「满意度 › 满意率」：不能大于 100"]


def test_satisfaction_needs_a_rate_or_a_grade(tmp_path, example_text):
    path = write_edited(example_text, tmp_path, ("  满意率: 90\n", ""), ("  等级: 优秀\n", "  说明: 群众满意。\n"))
    report = check_facts(path)
    line = line_of(path, "满意度:")
    assert [str(p) for p in report.problems] == [
        f"{path}:{line}:1: 错误：字段「满意度」：「满意度」至少要填「满意率」或「等级」之一"
    ]


def test_blank_left_by_init_is_reported_at_its_line(tmp_path, example_text):
    path = write_edited(example_text, tmp_path, ("合计: 1104.784985", "合计: 待填写"), ("简称: 阎疃镇", "简称: 待填写"))
    report = check_facts(path)
    blank = "尚未填写（init 生成的空白）：请填上实际内容；不适用的可选项可整行删除"
    assert [str(p) for p in report.problems] == [
        f"{path}:{line_of(path, '简称: 待填写')}:3: 错误：字段「单位 › 简称」：{blank}",
        f"{path}:{line_of(path, '合计: 待填写')}:5: 错误：字段「预算 › 收入 › 合计」：{blank}",
    ]
    assert report.counts() == (2, 0)
    assert report.facts is None


def test_check_never_raises_for_a_missing_file(tmp_path):
    report = check_facts(tmp_path / "none.yaml")
    assert isinstance(report, CheckReport)
    assert report.counts() == (1, 0)
    assert report.problems[0].line is None


def test_counts_separate_errors_and_warnings(tmp_path, example_text):
    path = write_edited(example_text, tmp_path, ("金额单位: 万元", "金额单位: 元"), ("事业人员: 35", "事业人员: 36"))
    loaded = load_facts(path)
    report = CheckReport(consistency_problems(loaded.facts, loaded.source, AS_OF))
    assert report.counts() == (1, 1)


# ------------------------------------------------------------ with the scoring modules and indicator file


def test_example_passes_with_the_two_known_warnings(example_path):
    report = check_facts(example_path)
    assert report.counts()[0] == 0, [str(p) for p in report.problems]
    warned = " ".join(p.message + (p.field or "") for p in report.problems if not p.is_error)
    assert "固定资产利用率" in warned
    assert "资产管理完整性" in warned
    assert report.facts is not None and report.card is not None
    assert report.card.total == 95


def test_published_total_is_compared_with_the_computed_total(tmp_path, example_text):
    path = write_edited(example_text, tmp_path, ("自评总分: 95", "自评总分: 96"))
    line = line_of(path, "自评总分: 96")
    messages = [str(p) for p in check_facts(path).problems]
    assert f"{path}:{line}:1: 警告：字段「自评总分」：已公布的自评总分 96 分，与按规则计算的总分 95 分不一致（差 1 分）" in messages


def test_indicator_file_problems_are_included(tmp_path, example_path):
    missing = tmp_path / "no-such-indicators.yaml"
    report = check_facts(example_path, missing)
    assert f"{missing}: 错误：找不到这个文件，请检查路径是否正确" in [str(p) for p in report.problems]
    assert report.card is None


def test_cli_check_passes_the_example_and_strict_fails_it(run_cli, bundled_example_path):
    example_path = bundled_example_path
    result = run_cli("check", example_path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{example_path}：0 处错误，")
    assert result.stdout.rstrip().endswith("处警告，可以生成报告。")
    strict = run_cli("check", example_path, "--strict")
    assert strict.exit_code == 1
    assert "不能生成报告" in strict.stderr


def test_check_takes_many_files_and_gives_each_its_verdict(run_cli, bundled_example_path, tmp_path):
    example_path = bundled_example_path
    broken = tmp_path / "broken.yaml"
    broken.write_text("金额单位: 万元\n", encoding="utf-8")
    result = run_cli("check", example_path, broken)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"{example_path}：0 处错误，3 处警告，可以生成报告。"]
    assert result.stderr.splitlines()[-2:] == [
        f"{broken}：4 处错误，0 处警告，不能生成报告。",
        "共 2 个文件：1 个可以生成报告，1 个不能。",
    ]


def test_check_says_once_that_a_file_uses_the_0_2_layout(run_cli, example_path):
    result = run_cli("check", example_path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{example_path}：0 处错误，3 处警告，可以生成报告。",
        f"{example_path}：本文件用的是 jixiao 0.2 的写法（如「预算 › 收入 › 合计」只写一个金额），照常可用，读作年初预算数；"
        f"运行「jixiao upgrade {example_path}」可改写为分栏的写法（年初预算数、全年预算数、决算数），注释和顺序不变。",
    ]


def test_a_report_without_problems_or_remedies_is_warned_about(tmp_path, example_text):
    start, end = example_text.index("存在问题:"), example_text.index("评分数据:")
    path = write_edited(example_text, tmp_path, (example_text[start:end], ""))
    message = "没有填写「{0}」：报告将缺少这一部分，而缺少存在问题或改进措施的报告通常会被退回修改"
    assert findings(path) == [
        f"{path}: 警告：字段「存在问题」：{message.format('存在问题')}",
        f"{path}: 警告：字段「改进措施」：{message.format('改进措施')}",
    ]


@pytest.mark.parametrize(("written", "warned"), [("2021-12-30", True), ("2021-12-31", False), ("2022-01-10", False)])
def test_a_report_dated_before_the_years_end_is_warned_about(tmp_path, example_text, written, warned):
    path = write_edited(example_text, tmp_path, ("评分数据:", f"成文日期: {written}\n\n评分数据:"))
    expected = [
        f"{path}:{line_of(path, '成文日期:')}:1: 警告：字段「成文日期」："
        "成文日期 2021年12月30日 早于评价年度 2021 年年末：请确认日期或年度是否写错"
    ]
    assert findings(path) == (expected if warned else [])
