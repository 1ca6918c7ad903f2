"""Comparing many units: ranking by total, tier subtotals, points lost, and files with errors left out."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.compare import CohortEnds, compare_units, comparison_rows
from jixiao.dump import dump_facts
from jixiao.facts import load_facts
from jixiao.indicators import load_indicators
from jixiao.rules import Bounds
from jixiao.scoring import score_facts


@pytest.fixture
def units(example_path: Path, tmp_path: Path) -> list[Path]:
    """Write three units: the example, one scoring lower, and one tying with the example."""
    facts = load_facts(example_path).facts
    lower_scoring = facts.scoring.model_copy(update={"budget_completed": Decimal("993.21479400")})  # 88% → 1.5
    variants = {
        "a.yaml": facts,
        "b.yaml": facts.model_copy(
            update={
                "unit": facts.unit.model_copy(update={"full_name": "巨鹿县某某镇人民政府"}),
                "scoring": lower_scoring,
                "declared_scores": {},
            }
        ),
        "c.yaml": facts.model_copy(update={"unit": facts.unit.model_copy(update={"full_name": "巨鹿县另一镇人民政府"})}),
    }
    paths = []
    for name, variant in variants.items():
        path = tmp_path / name
        path.write_text(dump_facts(variant), encoding="utf-8")
        paths.append(path)
    return paths


def test_units_are_ranked_by_total_and_ties_share_a_rank(units):
    comparison = compare_units([units[1], units[0], units[2]])
    ranked = [(u.rank, u.unit, u.total) for u in comparison.units]
    assert ranked == [
        (1, "巨鹿县阎疃镇人民政府", Decimal("95.00")),
        (1, "巨鹿县另一镇人民政府", Decimal("95.00")),
        (3, "巨鹿县某某镇人民政府", Decimal("92.50")),
    ]
    assert comparison.complete


def test_rows_show_tier_subtotals_total_and_the_points_lost(units):
    header, first, _, last = comparison_rows(compare_units(units))
    assert header == ("排名", "单位", "年度", "投入（10）", "过程（45）", "产出（25）", "效果（20）", "总分", "未得满分的指标")
    assert first[:8] == ("1", "巨鹿县阎疃镇人民政府", "2021", "10.00", "42.00", "24.50", "18.50", "95.00")
    assert last[4] == "39.50"
    assert last[-1].startswith("预算完成率−3.5、预算调整率−1、")


def test_a_file_with_errors_is_left_out_and_reported(run_cli, units, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("金额单位: 万元\n", encoding="utf-8")
    result = run_cli("compare", units[0], broken, units[1])
    assert result.exit_code == 1
    table = result.stdout.splitlines()
    assert len(table) == 3 and table[1].split()[:2] == ["1", "巨鹿县阎疃镇人民政府"]
    assert f"{broken}:1:1: 错误：字段「单位」：缺少必填项「单位」（被评价单位和评价年度）" in result.stderr
    assert result.stderr.rstrip().endswith("有 1 个文件有错误，未列入比较；改正上面列出的问题后重新运行。")


def test_csv_opens_in_excel_and_parses_back(run_cli, units):
    result = run_cli("compare", *units, "--csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert [row[1] for row in rows[1:]] == ["巨鹿县阎疃镇人民政府", "巨鹿县另一镇人民政府", "巨鹿县某某镇人民政府"]
    assert rows[3][7] == "92.50"


def test_cohort_scores_each_band_between_the_units_ends(units):
    comparison = compare_units(units, cohort=True)
    assert [(u.rank, u.unit, u.total) for u in comparison.units] == [
        (1, "巨鹿县阎疃镇人民政府", Decimal("96.00")),
        (1, "巨鹿县另一镇人民政府", Decimal("96.00")),
        (3, "巨鹿县某某镇人民政府", Decimal("91.00")),
    ]
    # Only 预算完成率 spreads the units (93% and 88%); every other band has them at one place.
    assert comparison.cohort == [CohortEnds("预算完成率", "%", Bounds(Decimal(93), Decimal(88), 3))]
    # A comparison keeps only its table's cells: score the units under the cohort's band to read the basis.
    system = load_indicators(None)
    completion = system.find("预算完成率")
    assert completion is not None
    banded = system.with_cohort({completion.key: comparison.cohort[0].bounds})
    lowest, highest = (
        next(i for i in score_facts(load_facts(path).facts, banded).indicators if i.name == "预算完成率")
        for path in (units[1], units[0])
    )
    assert lowest.basis.endswith("= 88.00%（预算完成数取自「评分数据 › 预算完成数」；预算数取自「评分数据 › 预算数」），为参与比较的 3 个单位中最低，得 0.00 分，扣 5.00 分")
    assert highest.basis.endswith("= 93.00%（预算完成数取自「评分数据 › 预算完成数」；预算数取自「评分数据 › 预算数」），为参与比较的 3 个单位中最高，得满分 5.00 分")


def test_cohort_is_stated_under_the_table(run_cli, units):
    result = run_cli("compare", *units, "--cohort")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-3:] == [
        "相对评分：以下线性区间指标按评分表公式中的 max/min，取参与比较各单位的测算值（先限定在评分表的两个阈值之间）：",
        "  预算完成率：3 个单位，最低 88.00%，最高 93.00%",
        "其余线性区间指标（各单位都在阈值以外、测算值相同，或「等于目标」类）按评分表的阈值评分。",
    ]


def test_cohort_of_units_at_one_place_keeps_the_thresholds(run_cli, units):
    comparison = compare_units([units[0], units[2]], cohort=True)
    assert comparison.cohort == []
    assert [u.total for u in comparison.units] == [Decimal("95.00")] * 2
    assert run_cli("compare", units[0], units[2], "--cohort").stdout.rstrip().endswith(
        "相对评分：各线性区间指标的测算值在阈值之间没有高低之分，均按评分表的阈值评分。"
    )


def test_without_cohort_the_thresholds_score_and_nothing_is_said(run_cli, units):
    assert compare_units(units).cohort is None
    assert "相对评分" not in run_cli("compare", *units).stdout


def test_csv_has_a_column_per_indicator_after_the_table(run_cli, units):
    rows = list(csv.reader(io.StringIO(run_cli("compare", *units, "--csv").stdout.lstrip("\ufeff"))))
    header, table_width = rows[0], len(comparison_rows(compare_units(units))[0])
    assert header[table_width:][:2] == ["职责明确（1）", "活动合规性（2）"]
    assert len(header) == table_width + 23
    completion = header.index("预算完成率（5）")
    assert [row[completion] for row in rows[1:]] == ["4.00", "4.00", "1.50"]
    assert all(len(row) == len(header) for row in rows)


def test_a_comparison_keeps_each_units_cells_not_its_facts_or_scorecard(units):
    """10,000 units must fit in a few hundred MB: each unit is kept as its row's cells, shared texts once."""
    comparison = compare_units([*units, units[0]], cohort=True)
    kept = {type(value) for unit in comparison.units for value in unit} | {
        type(cell) for unit in comparison.units for cells in unit if isinstance(cells, tuple) for cell in cells
    }
    assert kept <= {str, int, Decimal, tuple, type(units[0])}
    first, *others = comparison.units
    assert all(unit.tier_headings is first.tier_headings for unit in others)
    assert all(unit.indicator_headings is first.indicator_headings for unit in others)
    assert first.scores is comparison.units[1].scores  # 阎疃镇 twice: one tuple of score cells
    assert all(unit.measures == () for unit in comparison.units)  # Needed for the cohort's ends only.


def test_a_unit_scored_against_another_system_is_not_ranked_with_the_rest(units, tmp_path, repo_root):
    table = tmp_path / "other.yaml"
    julu = (repo_root / "data" / "indicators" / "julu-2021.yaml").read_text(encoding="utf-8")
    table.write_text(julu.replace("名称: 巨鹿县 2021 年", "名称: 某县 2021 年", 1), encoding="utf-8")
    other = units[2].read_text(encoding="utf-8").replace("金额单位:", "指标体系: other.yaml\n金额单位:", 1)
    units[2].write_text(other, encoding="utf-8")
    comparison = compare_units(units)
    assert sorted(unit.file for unit in comparison.units) == sorted(units[:2])
    [problem] = comparison.problems
    assert (problem.file, problem.field) == (str(units[2]), "指标体系")
    assert problem.message == (
        "按指标体系「某县 2021 年部门整体支出绩效评价指标体系评分表」评分，与前面的单位"
        "（「巨鹿县 2021 年部门整体支出绩效评价指标体系评分表」）不同，不能一起排名；"
        "请在事实数据中写同一个「指标体系」，或用 --indicators 指定"
    )
