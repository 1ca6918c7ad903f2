"""Template sets (模板方案): chosen by name or folder, listed, exported; the unit's voice; section 四 in plain words."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.checks import check_facts
from jixiao.context import self_reference, unit_voice
from jixiao.dump import dump_facts
from jixiao.errors import TemplateError
from jixiao.facts import Unit, Voice, load_facts
from jixiao.report import build_document
from jixiao.shortfalls import account_for_losses
from jixiao.templatesets import bundled_sets, choose_set


@pytest.fixture
def example_facts(example_path: Path):
    return load_facts(example_path).facts


def write_facts(folder: Path, facts, name: str = "facts.yaml") -> Path:
    path = folder / name
    path.write_text(dump_facts(facts), encoding="utf-8")
    return path


def paragraphs(facts, templates=None) -> list[str]:
    """Score `facts` with the bundled indicators and return the report's paragraph texts in order."""
    from jixiao.indicators import load_indicators
    from jixiao.scoring import score_facts

    card = score_facts(facts, load_indicators(None))
    return [b.text for b in build_document(facts, card, templates).blocks if hasattr(b, "text")]


# --- Choosing a set -------------------------------------------------------------------------------


def test_templates_list_shows_each_bundled_set_on_one_line(run_cli):
    result = run_cli("templates", "list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == [s.name for s in bundled_sets()]
    assert [line.split("\t")[0] for line in lines] == ["巨鹿", "表格", "湖南", "得分优先"]
    assert all(len(line.split("\t")) == 2 and line.split("\t")[1] for line in lines)


def test_export_by_name_starts_a_countys_own_set(run_cli, tmp_path, example_path):
    result = run_cli("templates", "export", "巨鹿", tmp_path / "本县")
    assert result.exit_code == 0, result.stderr
    profile = (tmp_path / "本县" / "profile.yaml").read_text(encoding="utf-8")
    assert "名称: 本县\n" in profile and profile.endswith("基于: 巨鹿\n")
    (tmp_path / "本县" / "s5_problems.j2").unlink()  # falls back to the set it is based on
    chosen = choose_set(tmp_path / "本县")
    assert chosen.name == "本县"
    assert chosen.folders[0] == tmp_path / "本县"
    assert (chosen.folders[1] / "s5_problems.j2").is_file()


def test_an_unknown_set_name_is_refused_with_a_suggestion(run_cli, example_path, tmp_path):
    result = run_cli("render", example_path, "-o", tmp_path / "r.docx", "--templates", "巨麓")
    assert result.exit_code == 1
    assert result.stderr.startswith("--templates: 错误：没有名为「巨麓」的模板方案，也没有这个模板目录，是否想写「巨鹿」？")
    assert result.stderr.endswith("报告模板有 1 处错误，未生成任何文件。\n")
    assert not (tmp_path / "r.docx").exists()


def test_the_facts_file_names_its_set_and_the_option_wins(example_facts, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "title.j2").write_text("= 本县的标题\n", encoding="utf-8")
    facts = example_facts.model_copy(update={"template": "mine"})
    path = write_facts(tmp_path, facts)
    assert choose_set(None, facts.template, path).folders[0] == folder
    assert choose_set("巨鹿", facts.template, path).name == "巨鹿"
    assert paragraphs(facts.model_copy(update={"template": str(folder)}))[0] == "本县的标题"


def test_check_says_what_the_chosen_set_prints_and_the_file_lacks(example_facts, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "profile.yaml").write_text("名称: 本县\n需要:\n  - 预算 › 三公经费\n  - 单位 › 负责人\n", encoding="utf-8")
    path = write_facts(tmp_path, example_facts)
    problems = [p for p in check_facts(path, templates=folder).problems if "模板方案" in p.message]
    assert [(p.field, p.message, p.is_error) for p in problems] == [
        ("单位 › 负责人", "所选模板方案「本县」要用到「单位 › 负责人」，本文件没有填写；报告中相应的内容将省略", False)
    ]


def test_a_broken_profile_is_named_with_its_file(tmp_path):
    (tmp_path / "profile.yaml").write_text("小额扣分: 很多\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        choose_set(tmp_path)
    (problem,) = caught.value.problems
    assert problem.file == str(tmp_path / "profile.yaml")
    assert problem.message == "「小额扣分」应为不小于 0 的分数，如 0.5，而不是「很多」"


# --- The unit's voice -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("full_name", "short_name", "level", "expected"),
    [
        ("巨鹿县阎疃镇人民政府", "阎疃镇", "乡镇", "我镇"),
        ("某县某某乡人民政府", "某某乡", "乡镇", "我乡"),
        ("某市某某街道办事处", "某某街道", "街道", "我街道"),
        ("某市发展和改革局", "发改局", "市直部门", "我局"),
        ("某县工商业联合会", "工商联", "县直部门", "我会"),
        ("某县发展和改革委员会", "发改委", "县直部门", "我委"),
        ("某县人民医院", "人民医院", "其他", "我院"),
        ("某县农业技术推广站", "农技站", "其他", "我单位"),
    ],
)
def test_self_reference_is_inferred_from_the_unit(full_name, short_name, level, expected):
    unit = Unit.model_validate({"全称": full_name, "简称": short_name, "层级": level, "年度": 2021})
    assert self_reference(unit) == expected


def test_stated_phrases_win_and_the_seed_set_keeps_its_wording_otherwise(example_facts):
    assert unit_voice(example_facts).served == "群众"
    seed = paragraphs(example_facts)
    assert "我单位有在职人员64名，行政人员29名，事业人员35名。" in seed
    voice = Voice.model_validate({"开头语": "根据县财政局的通知，现报告如下：", "自称": "本镇", "满意度主体": "服务对象", "结束语": "特此报告。"})
    stated = paragraphs(example_facts.model_copy(update={"voice": voice}))
    assert stated[2] == "根据县财政局的通知，现报告如下："
    assert "本镇有在职人员64名，行政人员29名，事业人员35名。" in stated
    assert any(p.endswith("达到了90%以上的服务对象满意度。") for p in stated)
    assert stated[stated.index("附件：巨鹿县阎疃镇人民政府2021年部门整体支出绩效评价指标体系评分表") - 1] == "特此报告。"


# --- Section 四 in plain words --------------------------------------------------------------------

_LATIN_SPACING = re.compile(r"[\u4e00-\u9fff（）：，。；、] +[0-9A-Za-z]|[0-9A-Za-z%] +[\u4e00-\u9fff（）：，。；、]")
_INTERNAL = ("›", "评分数据", "测算值", "评定 ›", "得分依据", "=", "×", "÷")


def section_four(lines: list[str]) -> list[str]:
    start = next(i for i, text in enumerate(lines) if text.startswith("四、"))
    end = next(i for i, text in enumerate(lines) if i > start and re.match("[五六七]、", text))
    return lines[start + 1 : end]


def test_generated_section_four_reads_like_an_officer_wrote_it(example_facts, tmp_path):
    scoring = example_facts.scoring.model_copy(update={"measures": {"资产管理完整性": Decimal("50")}})
    facts = example_facts.model_copy(update={"reasons": [], "scoring": scoring})
    text = section_four(paragraphs(facts))
    assert text, "section 四 is generated"
    for line in text:
        assert not any(key in line for key in _INTERNAL), line
        assert not _LATIN_SPACING.search(line), line
    assert "预算完成率为93.00%，扣1分" in text[1]


def test_losses_below_the_threshold_are_summed_in_one_sentence(example_facts, tmp_path):
    card = check_facts(write_facts(tmp_path, example_facts)).card
    every = account_for_losses(card, Decimal(0))
    assert every.count == 6 and not every.minor.names
    summed = account_for_losses(card, Decimal(1))
    assert summed.count == 6
    assert summed.minor.names == ("履职完成情况", "经济效益")
    assert summed.minor.text == "另有履职完成情况、经济效益2项指标扣分较少，合计扣1分。"
    assert [group.tier1 for group in summed.groups] == ["过程", "效果"]
    assert summed.lost == every.lost == Decimal(5)


# --- What the non-seed sets print -----------------------------------------------------------------

CITY_UNIT = Path(__file__).parent / "data" / "facts" / "city-commission-2022.yaml"
BUREAU = Path(__file__).parent / "data" / "facts" / "bureau-subunits.yaml"


def test_staffing_says_what_the_unit_stated_and_nothing_from_scoring_data(example_facts):
    from jixiao.wording import staffing_sentence

    city = load_facts(CITY_UNIT).facts
    assert staffing_sentence(city.staffing, "我委") == (
        "我委编制数45名（行政编制38名、工勤编制2名、事业编制（价格认证中心）5名），"
        "在职人员43名（行政人员36名、事业人员5名、工勤人员2名），离退休人员21名（离休人员1名、退休人员20名）；另有临聘人员6名。"
    )
    # The bundled example's 编制数 70 is a figure chosen for scoring (评分数据 › 编制数): it is not printed.
    bundled = load_facts(Path(__file__).resolve().parents[1] / "data" / "examples" / "yantuan-2021.yaml").facts
    assert bundled.scoring.staff_establishment == 70
    assert staffing_sentence(bundled.staffing, "我镇") == "我镇在职人员64名（行政人员29名、事业人员35名）。"


def test_the_hunan_set_speaks_as_the_unit_and_leaves_out_empty_headings(tmp_path):
    lines = paragraphs(load_facts(CITY_UNIT).facts, "湖南")
    assert "8.服务对象满意度" in lines and not any("群众" in line for line in lines)
    assert "基本情况：" not in lines and "绩效评价工作过程。" not in "".join(lines)
    headings = [line for line in lines if re.match(r"^[一二三四五六七八九十]+、", line)]
    assert headings == ["一、基本情况", "二、绩效自评情况", "三、存在的问题及原因", "四、下一步改进措施"]
    bureau = paragraphs(load_facts(BUREAU).facts, "湖南")
    assert "其中，局本级编制数30名（行政编制30名），在职人员28名（行政人员28名）；另有协管员120名。" in bureau
    assert "（二）部门整体支出绩效目标" not in bureau  # the bureau states no goals, mission or tasks


def test_the_form_set_has_a_cover_and_places_its_tables(tmp_path):
    from jixiao.indicators import load_indicators
    from jixiao.render.blocks import TablePlaceholder
    from jixiao.scoring import score_facts

    facts = load_facts(CITY_UNIT).facts
    document = build_document(facts, score_facts(facts, load_indicators(None)), "表格")
    placed = [b.name for b in document.blocks if isinstance(b, TablePlaceholder)]
    assert placed == ["基本概况", "收支情况", "三公经费", "绩效目标完成", "得分情况"]
    assert set(document.tables) == set(placed)
    texts = [b.text for b in document.blocks if hasattr(b, "text")]
    assert texts[2:7] == ["部门名称：某市发展和改革委员会", "预算编码：", "评价方式：部门自评", "评价机构：某市发展和改革委员会", "报告日期：2023年3月15日"]
    money = document.tables["收支情况"]
    assert money.columns[0].title == "项目（万元）"
    assert money.rows[0] == ("收入合计", "1850.20", "1936.45", "1902.31", "98.24%")
    costs = dict((row[0], row[1:]) for row in document.tables["三公经费"].rows)
    assert costs["合计"] == ("18.00", "14.98", "17.24", "-2.26")
    assert document.tables["得分情况"].footer == (("总分", "100", "89.62", ""),)


def test_grade_bands_are_printed_when_the_indicator_system_states_them(tmp_path, run_cli):
    from docx_text import docx_lines

    bundled = Path(__file__).resolve().parents[1] / "data" / "indicators" / "julu-2021.yaml"
    indicators = tmp_path / "graded.yaml"
    indicators.write_text(bundled.read_text(encoding="utf-8") + "\n等级: {优: 90, 良: 80, 中: 60, 差: 0}\n", encoding="utf-8")
    example = Path(__file__).resolve().parents[1] / "data" / "examples" / "yantuan-2021.yaml"
    for name, sentence in (("巨鹿", "本单位自评得分95分，评价等级为“优”。"), ("湖南", "自评得分95分，评价等级为“优”。")):
        out = tmp_path / f"{name}.docx"
        result = run_cli("render", example, "-o", out, "-i", indicators, "--templates", name)
        assert result.exit_code == 0, result.stderr
        lines = docx_lines(out)
        assert any(sentence in line for line in lines), name
    assert lines[-2:] == ["表格 25,4（表格表头）｜评价等级", "表格 25,5（表格文字）｜优"]


# --- The score-first set (得分优先) ---------------------------------------------------------------

SCORE_FIRST_HEADINGS = ["一、自评得分情况", "二、部门（单位）基本情况", "三、绩效目标完成情况及主要成效", "四、存在的问题及原因", "五、改进措施和建议"]


def section(lines: list[str], heading: str) -> list[str]:
    """Return the paragraphs under a 一级 heading, up to the next one or the 附件 note."""
    start = lines.index(heading)
    end = next(i for i, text in enumerate(lines) if i > start and re.match(r"^(?:[一二三四五六七八九十]+、|附件：)", text))
    return lines[start + 1 : end]


def test_the_score_first_set_opens_with_the_score_and_the_points_lost():
    lines = paragraphs(load_facts(CITY_UNIT).facts, "得分优先")
    assert [line for line in lines if re.match(r"^[一二三四五六七八九十]+、", line)] == SCORE_FIRST_HEADINGS
    assert section(lines, "一、自评得分情况") == [
        "按照部门整体支出绩效评价指标体系逐项评分，我委2022年度部门整体支出绩效自评得分89.62分。"
        "其中：投入指标得6.89分（分值10分），过程指标得39.23分（分值45分），产出指标得24分（分值25分），效果指标得19.5分（分值20分）。",
        "对照评分表，共有9项指标未得满分，合计扣10.38分。",
        "一是投入方面扣3.11分：“三公经费”变动率为4.41%，扣1.25分；重点支出安排率为85.71%，扣1.86分。",
        "二是过程方面扣5.49分：预算调整率为4.45%，扣1.34分；公用经费控制率为102.69%，扣2.15分；资金使用合规性的8项评价要点中有1项未达到要求，扣2分。",
        "三是产出方面扣1分：履职完成情况方面，年度重点任务全部完成，但个别项目前期工作滞后，扣1分。",
        "四是效果方面扣0.5分：生态效益方面，节能审查工作开展较好，但缺少量化的生态效益指标，扣0.5分。",
        "另有支付进度率、结转结余率2项指标扣分较少，合计扣0.28分。",
        "各项指标的评分情况见附件。",
    ]
    # The points lost are said once, in 一: without stated reasons 四 has no 原因分析 repeating them.
    assert section(lines, "四、存在的问题及原因") == [
        "（一）存在的问题",
        "（1）部分项目前期工作不够扎实，预算执行进度不均衡。",
        "（2）绩效目标设置的量化程度还不够高。",
    ]


def test_the_score_first_set_states_the_grade_when_the_indicator_system_grades(tmp_path, run_cli):
    from docx_text import docx_lines

    bundled = Path(__file__).resolve().parents[1] / "data" / "indicators" / "julu-2021.yaml"
    indicators = tmp_path / "graded.yaml"
    indicators.write_text(bundled.read_text(encoding="utf-8") + "\n等级: {优: 90, 良: 80, 中: 60, 差: 0}\n", encoding="utf-8")
    out = tmp_path / "report.docx"
    result = run_cli("render", CITY_UNIT, "-o", out, "-i", indicators, "--templates", "得分优先")
    assert result.exit_code == 0, result.stderr
    lines = [line.split("｜", 1)[1] for line in docx_lines(out) if not line.startswith("表格 ")]
    graded = section(lines, "一、自评得分情况")
    assert graded[0] == (
        "按照部门整体支出绩效评价指标体系逐项评分，我委2022年度部门整体支出绩效自评得分89.62分，评价等级为“良”。"
        "其中：投入指标得6.89分（分值10分），过程指标得39.23分（分值45分），产出指标得24分（分值25分），效果指标得19.5分（分值20分）。"
    )
    assert graded[1:] == section(paragraphs(load_facts(CITY_UNIT).facts, "得分优先"), "一、自评得分情况")[1:]


def test_the_score_first_set_speaks_in_the_units_stated_phrases(example_facts):
    voice = Voice.model_validate({"开头语": "根据县财政局的通知，现报告如下：", "自称": "本镇", "结束语": "特此报告。"})
    lines = paragraphs(example_facts.model_copy(update={"voice": voice}), "得分优先")
    assert lines[2:4] == ["根据县财政局的通知，现报告如下：", "一、自评得分情况"]
    assert lines[4].startswith("按照部门整体支出绩效评价指标体系逐项评分，本镇2021年度部门整体支出绩效自评得分95分。")
    assert "本镇编制数70名（行政编制32名、事业编制38名），在职人员64名（行政人员29名、事业人员35名）。" in lines
    assert lines[lines.index("附件：巨鹿县阎疃镇人民政府2021年部门整体支出绩效评价指标体系评分表") - 1] == "特此报告。"


def test_the_score_first_set_says_so_when_no_points_were_lost(example_facts):
    from jixiao.indicators import load_indicators
    from jixiao.scoring import score_facts

    def no_loss(tier2):
        return tier2._replace(indicators=[item._replace(lost=Decimal(0)) for item in tier2.indicators])

    card = score_facts(example_facts, load_indicators(None))
    full = card._replace(tiers=[tier._replace(tiers=[no_loss(t2) for t2 in tier.tiers]) for tier in card.tiers])
    lines = [b.text for b in build_document(example_facts, full, "得分优先").blocks if hasattr(b, "text")]
    assert section(lines, "一、自评得分情况")[1:] == ["各项指标均得满分。", "各项指标的评分情况见附件。"]


def test_the_score_first_set_takes_the_files_it_lacks_from_the_hunan_set(run_cli, tmp_path):
    chosen = choose_set("得分优先")
    assert [folder.name for folder in chosen.folders] == ["score_first", "hunan"]
    assert chosen.needs[-1] == "履职成效 › 主要成绩"
    result = run_cli("templates", "export", "得分优先", tmp_path / "本县")
    assert result.exit_code == 0, result.stderr
    profile = (tmp_path / "本县" / "profile.yaml").read_text(encoding="utf-8")
    assert "基于: 湖南" not in profile and profile.endswith("基于: 得分优先\n")
    exported = choose_set(tmp_path / "本县")
    assert [folder.name for folder in exported.folders] == ["本县", "score_first", "hunan"]
    facts = load_facts(CITY_UNIT).facts
    assert paragraphs(facts, tmp_path / "本县") == paragraphs(facts, "得分优先")


def test_check_warns_when_a_fact_the_score_first_set_prints_is_missing(tmp_path):
    facts = load_facts(CITY_UNIT).facts
    path = write_facts(tmp_path, facts.model_copy(update={"performance": None}))
    problems = [p for p in check_facts(path, templates="得分优先").problems if "模板方案" in p.message]
    assert [(p.field, p.message, p.is_error) for p in problems] == [
        ("履职成效 › 主要成绩", "所选模板方案「得分优先」要用到「履职成效 › 主要成绩」，本文件没有填写；报告中相应的内容将省略", False)
    ]
    assert "（二）主要成效" not in paragraphs(facts.model_copy(update={"performance": None}), "得分优先")
