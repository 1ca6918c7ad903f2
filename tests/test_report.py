"""The rendered report: what the facts and scores make of it, and what maintainers' templates change."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from docx_text import body_text
from jixiao.dump import dump_facts
from jixiao.facts import load_facts


@pytest.fixture
def example_facts(example_path: Path):
    """Return the bundled example's validated facts."""
    return load_facts(example_path).facts


def write_facts(folder: Path, facts) -> Path:
    """Write facts to a YAML file in `folder` and return its path."""
    path = folder / "facts.yaml"
    path.write_text(dump_facts(facts), encoding="utf-8")
    return path


def render(run_cli, facts_path: Path, out: Path, *extra: str) -> list[str]:
    """Render with the CLI, assert success, and return the body paragraphs."""
    result = run_cli("render", facts_path, "-o", out, *extra)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(out)
    return body_text(out)


def headings(path: Path, style: str) -> list[str]:
    """Return the texts of the paragraphs in a given style."""
    return [p.text for p in docx.Document(str(path)).paragraphs if p.style.name == style]


def test_default_output_path_is_under_out(run_cli, example_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("render", example_path)
    assert result.exit_code == 0, result.stderr
    expected = Path("out") / "巨鹿县阎疃镇人民政府2021年度部门整体支出绩效评价报告.docx"
    assert result.stdout.strip() == str(expected)
    assert (tmp_path / expected).is_file()


def test_score_sentence_uses_the_computed_total(run_cli, example_facts, tmp_path):
    scoring = example_facts.scoring.model_copy(update={"budget_completed": Decimal("993.21479400")})  # 88.00%
    facts = example_facts.model_copy(update={"scoring": scoring, "declared_scores": {}})
    paragraphs = render(run_cli, write_facts(tmp_path, facts), tmp_path / "r.docx")
    # 预算完成率 88% → (88−85)/(95−85) × 5 = 1.5 points instead of 4: the total drops by 2.5.
    assert any(p.endswith("通过认真自评，本单位自评得分92.5分。") for p in paragraphs)


def test_optional_parts_leave_no_gap_in_the_numbering(run_cli, example_facts, tmp_path):
    facts = example_facts.model_copy(
        update={"performance": None, "evaluation": None, "problems": [], "mission": None}
    )
    out = tmp_path / "r.docx"
    render(run_cli, write_facts(tmp_path, facts), out)
    assert headings(out, "公文一级标题") == [
        "一、基本概况",
        "二、预算绩效管理开展及整体绩效实现情况",
        "三、各项绩效目标的实现程度及差异性原因分析",
        "四、采取的纠偏措施及改进绩效管理建议",
    ]
    second = headings(out, "公文二级标题")
    assert [h[:3] for h in second[:6]] == ["（一）", "（二）", "（三）", "（四）", "（一）", "（二）"]
    assert second[2] == "（三）年度整体绩效目标和工作任务"
    assert second[5] == "（二）实施履职活动的服务对象满意程度"


def test_variance_section_is_built_from_lost_points_when_no_reasons_are_given(run_cli, example_facts, tmp_path):
    facts = example_facts.model_copy(update={"reasons": []})
    paragraphs = render(run_cli, write_facts(tmp_path, facts), tmp_path / "r.docx")
    start = paragraphs.index("四、各项绩效目标的实现程度及差异性原因分析")
    assert paragraphs[start + 1] == "对照评分表，本年度自评得分95分，共有6项三级指标未得满分，合计扣5分，原因如下："
    assert paragraphs[start + 2] == (
        "一是过程方面扣3分：预算完成率为93.00%，扣1分；预算调整率为3.33%，扣1分；公用经费控制率为101.25%，扣1分。"
    )
    assert paragraphs[start + 3].startswith("二是产出方面扣0.5分：履职完成情况方面，年度主要任务均已分解落实")
    assert paragraphs[start + 4].startswith("三是效果方面扣1.5分：经济效益方面，")
    assert paragraphs[start + 5] == "五、存在的问题"


def test_maintainers_template_change_shows_up_and_the_rest_falls_back(run_cli, example_path, tmp_path):
    folder = tmp_path / "mine"
    assert run_cli("templates", "export", folder).exit_code == 0
    problems = folder / "s5_problems.j2"
    problems.write_text(
        problems.read_text(encoding="utf-8").replace("存在的问题", "存在的主要问题"), encoding="utf-8"
    )
    for other in folder.glob("*.j2"):
        if other.name not in {"s5_problems.j2", "report.j2"}:
            other.unlink()  # Missing files fall back to the bundled defaults.
    out = tmp_path / "r.docx"
    render(run_cli, example_path, out, "--templates", folder)
    assert "五、存在的主要问题" in headings(out, "公文一级标题")
    assert "一、基本概况" in headings(out, "公文一级标题")


def test_template_error_names_file_line_and_name_and_writes_nothing(run_cli, example_path, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "title.j2").write_text("= {{ unit.full_name }}\n= {{ yaer }}年度部门整体支出绩效评价报告\n", encoding="utf-8")
    out = tmp_path / "r.docx"
    result = run_cli("render", example_path, "-o", out, "--templates", folder)
    assert result.exit_code == 1
    assert f"{folder / 'title.j2'}:2: 错误：名称「yaer」不存在，是否想写「year」？" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not out.exists()


def test_facts_with_errors_render_nothing(run_cli, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("金额单位: 万元\n单位:\n  全称: 某镇\n", encoding="utf-8")
    out = tmp_path / "r.docx"
    out.write_bytes(b"previous")
    result = run_cli("render", broken, "-o", out)
    assert result.exit_code == 1
    assert "未生成任何文件" in result.stderr
    assert out.read_bytes() == b"previous"


def test_attachment_table_has_every_indicator_merged_tiers_and_the_total(run_cli, example_path, tmp_path):
    out = tmp_path / "r.docx"
    render(run_cli, example_path, out)
    table = docx.Document(str(out)).tables[0]
    assert len(table.rows) == 1 + 23 + 1
    assert [c.text for c in table.rows[0].cells] == ["一级指标", "二级指标", "三级指标", "指标解释说明", "评分标准", "得分"]
    first_tier = {table.rows[r].cells[0].text for r in range(1, 7)}
    assert first_tier == {"投入\n（10分）"}  # Six 投入 rows share one merged cell.
    assert table.rows[-1].cells[0].text == "自评总分"
    assert table.rows[-1].cells[-1].text == "95"
    fixed_assets = next(row for row in table.rows if row.cells[2].text.startswith("固定资产利用率"))
    assert fixed_assets.cells[-1].text == "3"


def test_a_broken_indicator_file_is_named_in_the_summary(run_cli, example_path, tmp_path):
    indicators = tmp_path / "indicators.yaml"
    indicators.write_text("名称: 某县评分表\n", encoding="utf-8")
    out = tmp_path / "r.docx"
    result = run_cli("render", example_path, "--indicators", indicators, "-o", out)
    assert result.exit_code == 1
    assert f"{indicators}:1:1: 错误：字段「一级指标」：缺少必填项「一级指标」" in result.stderr
    assert result.stderr.rstrip().endswith("指标体系文件有 1 处错误，未生成任何文件。")
    assert not out.exists()


def named(folder: Path, facts, name: str, file: str) -> Path:
    """Write the facts of a unit called `name` to `folder / file`."""
    path = folder / file
    unit = facts.unit.model_copy(update={"full_name": name})
    path.write_text(dump_facts(facts.model_copy(update={"unit": unit})), encoding="utf-8")
    return path


def test_many_facts_files_render_in_one_run_and_a_bad_one_does_not_stop_the_rest(
    run_cli, example_facts, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    first = named(tmp_path, example_facts, "甲镇人民政府", "a.yaml")
    second = named(tmp_path, example_facts, "乙镇人民政府", "b.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("金额单位: 万元\n", encoding="utf-8")
    result = run_cli("render", first, broken, second)
    assert result.exit_code == 1
    reports = [Path("out") / f"{name}2021年度部门整体支出绩效评价报告.docx" for name in ("甲镇人民政府", "乙镇人民政府")]
    assert result.stdout.splitlines() == [str(path) for path in reports]
    assert all((tmp_path / path).exists() for path in reports)
    assert body_text(tmp_path / reports[1])[0] != body_text(tmp_path / reports[0])[0]
    assert f"{broken}:1:1: 错误：字段「单位」：缺少必填项「单位」（被评价单位和评价年度）" in result.stderr
    assert result.stderr.rstrip().endswith("1 个文件有错误，未生成；其余 2 个文件的报告已生成。")
    # The indicator file's warning is the same for every unit: it is said once.
    assert result.stderr.count("资产管理完整性：评分标准最高 3 分") == 1


def test_two_files_for_one_unit_and_year_do_not_overwrite_each_other(run_cli, example_facts, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = named(tmp_path, example_facts, "甲镇人民政府", "a.yaml")
    again = named(tmp_path, example_facts, "甲镇人民政府", "again.yaml")
    result = run_cli("render", first, again)
    assert result.exit_code == 1
    target = Path("out") / "甲镇人民政府2021年度部门整体支出绩效评价报告.docx"
    assert result.stdout.splitlines() == [str(target)]
    assert (
        f"{again}: 错误：与 {first} 的单位全称和年度相同，会写到同一个文件 {target}，未生成；请检查这两个文件的「单位」"
        in result.stderr
    )


def test_one_output_path_for_many_files_is_a_usage_error(run_cli, example_path, tmp_path):
    result = run_cli("render", example_path, example_path, "-o", tmp_path / "x.docx")
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：给了 2 个事实数据文件时不能用 -o：每个文件各自输出到 out/ 下")
    assert not (tmp_path / "x.docx").exists()


def test_a_report_date_goes_under_the_signature(run_cli, example_facts, tmp_path):
    dated = write_facts(tmp_path, example_facts.model_copy(update={"report_date": date(2022, 1, 10)}))
    render(run_cli, dated, tmp_path / "dated.docx")
    styled = [(p.style.name, p.text) for p in docx.Document(str(tmp_path / "dated.docx")).paragraphs]
    signature = styled.index(("落款", "巨鹿县阎疃镇人民政府"))
    assert styled[signature - 1][0] == "附件说明"
    assert styled[signature + 1] == ("成文日期", "2022年1月10日")


def test_without_a_report_date_the_signature_ends_the_body(run_cli, example_path, tmp_path):
    render(run_cli, example_path, tmp_path / "plain.docx")
    styles = [p.style.name for p in docx.Document(str(tmp_path / "plain.docx")).paragraphs]
    assert "成文日期" not in styles


def test_a_broken_indicator_file_is_reported_once_for_a_whole_batch(run_cli, example_facts, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    units = [named(tmp_path, example_facts, f"{n}镇人民政府", f"{n}.yaml") for n in "甲乙丙"]
    broken = tmp_path / "indicators.yaml"
    broken.write_text("名称: 某县评分表\n", encoding="utf-8")
    result = run_cli("render", *units, "--indicators", broken)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[-1] == "3 个文件有错误，未生成；其余 0 个文件的报告已生成。"
    assert len(lines) == len(set(lines))
    assert any(line.startswith(f"{broken}:") for line in lines)
