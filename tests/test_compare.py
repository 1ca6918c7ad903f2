"""Comparing many units: ranking by total, tier subtotals, points lost, and files with errors left out."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.compare import compare_units, comparison_rows
from jixiao.dump import dump_facts
from jixiao.facts import load_facts


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
    ranked = [(u.rank, u.unit, u.card.total) for u in comparison.units]
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
