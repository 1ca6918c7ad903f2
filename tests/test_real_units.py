"""Facts files written the way real units state them: townships, a 局 with sub-units, 三公 tables, amounts in 元."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from jixiao.checks import consistency_problems
from jixiao.facts import load_facts
from jixiao.figures import fact_figures, fact_values, figure_meanings, given_against_computed
from jixiao.indicators import load_indicators
from jixiao.report import build_document
from jixiao.scoring import score_facts

FACTS = Path(__file__).resolve().parent / "data" / "facts"
AS_OF = date(2026, 12, 1)


def findings(path: Path) -> list[str]:
    """Return the consistency findings on a facts file as printed lines (these files leave out 存在问题 and 改进措施
    on purpose: the warnings about those are tested in test_checks)."""
    loaded = load_facts(path)
    problems = consistency_problems(loaded.facts, loaded.source, AS_OF)
    return [str(p) for p in problems if p.field not in {"存在问题", "改进措施"}]


def line_of(path: Path, needle: str) -> int:
    """Return the 1-based line of the first line containing `needle`."""
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def edited(name: str, folder: Path, *changes: tuple[str, str]) -> Path:
    """Copy a facts file of tests/data/facts with text replacements."""
    text = (FACTS / name).read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_township_with_people_beside_its_staff_in_post():
    path = FACTS / "township-staff.yaml"
    facts = load_facts(path).facts
    staff = facts.staffing
    assert (staff.establishment, staff.administrative_establishment, staff.institutional_establishment) == (75, 32, 43)
    assert (staff.in_post, staff.retired, staff.counted_in_post) == (75, 70, 0)
    assert [(g.name, g.count, g.in_post) for g in staff.groups] == [("分流人员", 49, False)]
    assert findings(path) == []
    values = fact_values(facts)
    assert (values["在职人员数"], values["编制数"], values["离退休人员数"]) == (75, 75, 70)


def test_township_split_that_does_not_add_up_is_an_error(tmp_path):
    path = edited("township-staff.yaml", tmp_path, ("  事业编制: 43", "  事业编制: 44"))
    assert findings(path) == [
        f"{path}:{line_of(path, '编制数: 75')}:3: 错误：字段「人员情况 › 编制数」：行政编制与事业编制之和 76 人，与编制数 75 人不一致（差 1 人）"
    ]


def test_more_in_post_than_the_establishment_is_a_warning_and_amounts_in_yuan_are_exact():
    path = FACTS / "over-establishment.yaml"
    assert findings(path) == [
        f"{path}:{line_of(path, '在职人员: 185')}:3: 警告：字段「人员情况 › 在职人员」："
        "在职人员 185 人，超过编制数 128 人（超编 57 人）：请确认两个数的口径"
    ]
    values = fact_values(load_facts(path).facts)
    assert (values["预算数"], values["预算完成数"], values["结转结余总额"]) == (
        D("27815640.52"),
        D("27102003.17"),
        D("713637.35"),
    )
    assert str(values["公用经费预算数"]) == "2100000.00"  # 全年预算数 not given: 年初预算数, as written


def test_bureau_with_sub_units_and_people_not_in_post():
    path = FACTS / "bureau-subunits.yaml"
    facts = load_facts(path).facts
    assert [sub.name for sub in facts.staffing.sub_units] == ["局本级", "环卫处"]
    assert [(g.name, g.count) for g in facts.staffing.groups] == [("临聘人员", 35), ("协管员", 120), ("公司聘用人员", 210)]
    assert [str(body) for body in facts.organisations] == ["办公室", "市容管理科", "环境卫生管理处"]
    assert facts.unit.level == "区直部门"
    assert findings(path) == []


def test_sub_units_that_do_not_add_up_to_the_unit_are_an_error(tmp_path):
    path = edited("bureau-subunits.yaml", tmp_path, ("      在职人员: 52\n      事业人员: 52", "      在职人员: 50\n      事业人员: 50"))
    assert findings(path) == [
        f"{path}:{line_of(path, '在职人员: 80')}:3: 错误：字段「人员情况 › 在职人员」：各下属单位的在职人员之和 78 人，与全单位在职人员 80 人不一致（差 2 人）"
    ]


def test_income_brought_forward_is_kept_apart_from_this_years_income():
    facts = load_facts(FACTS / "township-staff.yaml").facts
    sources = facts.budget.income.sources
    assert [s.carried_in for s in sources] == [False, False, True]
    assert fact_values(facts)["上年结转结余收入"] == D("35.6")
    # This year's sources add up to 合计 in every column without the 35.6 brought forward.
    assert findings(FACTS / "township-staff.yaml") == []


def test_income_sources_are_checked_column_by_column(tmp_path):
    path = edited("township-staff.yaml", tmp_path, ("        决算数: 1690.2", "        决算数: 1690.3"))
    line = line_of(path, "合计: {年初预算数: 1500, 全年预算数: 1820.5, 决算数: 1790.2}")
    assert findings(path) == [
        f"{path}:{line}:38: 错误：字段「预算 › 收入 › 合计 › 决算数」："
        "收入来源的决算数合计 1790.3 万元，与收入合计的决算数 1790.2 万元不一致（差 0.1 万元）"
    ]


def test_published_three_costs_total_that_differs_from_its_parts_is_a_warning_naming_both_lines():
    path = FACTS / "three-costs-published.yaml"
    assert findings(path) == [
        f"{path}:{line_of(path, '合计: 24.86')}:9: 警告：字段「预算 › 三公经费 › 本年 › 决算数 › 合计」："
        "公布的合计 24.86 万元，与「预算 › 三公经费 › 本年 › 决算数」中因公出国（境）费、公务用车购置费、公务用车运行维护费、公务接待费之和"
        " 24.78 万元不一致（差 0.08 万元）；报告照公布的合计印出，评分按各项之和计算"
    ]
    facts = load_facts(path).facts
    final = facts.budget.three_costs.this_year.final
    assert (final.printed_total, final.total) == (D("24.86"), D("24.78"))
    values = fact_values(facts)
    # The 变动率 reads 预算数, as the scoring table defines it; 上年 gives 购置及运行维护费 combined.
    assert (values["三公经费本年"], values["三公经费上年"], values["三公经费本年决算数"]) == (D("26.00"), D("29.00"), D("24.78"))
    assert fact_figures(facts)["三公经费本年"].source == "「预算 › 三公经费 › 本年 › 预算数」"


def test_a_finding_kept_as_published_becomes_a_warning_repeating_the_reason(tmp_path):
    reason = "决算公开表原文如此，差额为四舍五入所致"
    path = edited(
        "township-staff.yaml",
        tmp_path,
        ("  事业编制: 43", "  事业编制: 44"),
        ("预算:\n", f"照公布数保留:\n  - 字段: 人员情况 › 编制数\n    理由: {reason}\n  - 字段: 预算 › 收入 › 合计\n    理由: 无\n预算:\n"),
    )
    assert findings(path) == [
        f"{path}:{line_of(path, '编制数: 75')}:3: 警告：字段「人员情况 › 编制数」："
        f"行政编制与事业编制之和 76 人，与编制数 75 人不一致（差 1 人）；已注明照公布数保留：{reason}",
        f"{path}:{line_of(path, '字段: 预算 › 收入 › 合计')}:5: 警告：字段「照公布数保留 › 第2项 › 字段」："
        "「预算 › 收入 › 合计」没有发现不一致，这一项可以删去（字段照 check 消息中的写法，如「预算 › 收入 › 合计」）",
    ]


def test_rates_are_computed_from_the_facts_and_a_different_given_figure_is_questioned(tmp_path):
    facts = load_facts(FACTS / "township-staff.yaml").facts
    card = score_facts(facts, load_indicators(None))
    rates = {item.name: item.measure for item in card.indicators if item.measure is not None}
    assert rates["预算完成率"] == D(1780) / D("1820.5") * 100
    assert rates["重点支出安排率"] == D(500) / D("870.5") * 100
    assert rates["公用经费控制率"] == D(115) / D(120) * 100
    path = edited("township-staff.yaml", tmp_path, ("  年末结余: 0\n", "  年末结余: 0\n评分数据:\n  预算数: 1800\n"))
    [found] = given_against_computed(load_facts(path).facts)
    assert (found.name, found.given.value, found.computed.source) == ("预算数", 1800, "「预算 › 支出 › 合计 › 全年预算数」")
    assert findings(path)[-1] == (
        f"{path}:{line_of(path, '预算数: 1800')}:3: 警告：字段「评分数据 › 预算数」："
        "预算数 1800 万元，与按事实算出的 1820.5 万元（「预算 › 支出 › 合计 › 全年预算数」）不一致（差 20.5 万元）；评分使用评分数据中的数"
    )


def test_own_figures_have_values_and_meanings(tmp_path):
    own = "评分数据:\n  自定义数据:\n    专项督查次数:\n      数值: 12\n      含义: 本年度开展的专项督查次数\n"
    path = edited("township-staff.yaml", tmp_path, ("  年末结余: 0\n", "  年末结余: 0\n" + own))
    facts = load_facts(path).facts
    assert fact_values(facts)["专项督查次数"] == 12
    assert figure_meanings(facts)["专项督查次数"] == "本年度开展的专项督查次数"
    assert figure_meanings(facts)["预算完成数"] == "本年度预算完成数（支出决算数）"


@pytest.mark.parametrize("name", ["township-staff.yaml", "over-establishment.yaml", "bureau-subunits.yaml", "three-costs-published.yaml"])
def test_each_unit_file_loads_without_a_problem_of_its_own(name):
    assert load_facts(FACTS / name).warnings == []


def test_upgrade_rewrites_a_0_2_file_in_place_keeping_comments(run_cli, example_path, bundled_example_path, tmp_path):
    path = tmp_path / "old.yaml"
    shutil.copy(example_path, path)
    result = run_cli("upgrade", path)
    assert result.exit_code == 0, result.stderr
    before, after = example_path.read_text(encoding="utf-8").splitlines(), path.read_text(encoding="utf-8").splitlines()
    changed = [(old, new) for old, new in zip(before, after, strict=True) if old != new]
    assert changed == [
        ("    合计: 1104.784985", "    合计: {年初预算数: 1104.784985}"),
        ("        金额: 1013.304904", "        年初预算数: 1013.304904"),
        ("        金额: 91.480081", "        年初预算数: 91.480081"),
        ("    合计: 1128.653175", "    合计: {年初预算数: 1128.653175}"),
        ("    基本支出: 446.204502", "    基本支出: {年初预算数: 446.204502}"),
        ("    项目支出: 682.448673", "    项目支出: {年初预算数: 682.448673}"),
        ("    基金预算支出: 137.26", "    基金预算支出: {年初预算数: 137.26}"),
    ]
    assert fact_values(load_facts(path).facts) == fact_values(load_facts(example_path).facts)
    again = run_cli("upgrade", path)
    assert (again.exit_code, again.stdout) == (0, f"{path} 已是新写法，未改动。\n")


def test_the_0_2_example_and_the_bundled_example_give_the_same_report(example_path, bundled_example_path):
    system = load_indicators(None)
    documents = []
    for path in (example_path, bundled_example_path):
        facts = load_facts(path).facts
        documents.append(build_document(facts, score_facts(facts, system)))
    assert documents[0] == documents[1]
    assert score_facts(load_facts(bundled_example_path).facts, system).total == 95


def test_schema_documents_every_field_in_chinese_with_an_example():
    from jixiao.skeleton import facts_json_schema

    schema = facts_json_schema()
    models = {"Facts": schema, **schema["$defs"]}
    for model, body in models.items():
        for key, field in body.get("properties", {}).items():
            # A field holding a section takes the section's Chinese title from its definition ($ref).
            assert field.get("title") == key or "$ref" in str(field), (model, key)
            assert field.get("description"), (model, key)
            assert field.get("examples"), (model, key)


def test_a_basis_can_name_the_facts_each_figure_came_from(example_path):
    from jixiao.figures import sources_clause

    facts = load_facts(FACTS / "township-staff.yaml").facts
    assert sources_clause(facts, ["预算完成数", "预算数", "固定资产总额"]) == (
        "预算完成数取自「预算 › 支出 › 合计 › 决算数」，预算数取自「预算 › 支出 › 合计 › 全年预算数」"
    )
    old = load_facts(example_path).facts
    assert sources_clause(old, ["编制数", "在职人员数"]) == "编制数取自「人员情况 › 编制数」，在职人员数取自「人员情况 › 在职人员」"


def test_economic_lines_and_projects_within_their_wholes_are_questioned(tmp_path):
    path = edited(
        "township-staff.yaml",
        tmp_path,
        ("公用经费: {年初预算数: 100, 全年预算数: 120, 决算数: 115}", "公用经费: {年初预算数: 100, 全年预算数: 130, 决算数: 115}"),
        ("      全年预算数: 370.5", "      全年预算数: 380.5"),
    )
    assert findings(path) == [
        f"{path}:{line_of(path, '公用经费: {')}:24: 警告：字段「预算 › 支出 › 公用经费 › 全年预算数」："
        "人员经费与公用经费的全年预算数之和 960 万元，超过了基本支出的全年预算数 950 万元",
        f"{path}:{line_of(path, '  项目:')}:3: 警告：字段「预算 › 项目」：各项目的预算之和 880.5 万元，超过了项目支出的预算 870.5 万元",
    ]
