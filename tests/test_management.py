"""The 湖南 set's management paragraphs: 预决算公开, 资产管理, 存量资金 and “三公”经费, from the facts and the scorecard."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.facts import load_facts
from jixiao.indicators import load_indicators
from jixiao.management import checklist_points
from jixiao.report import build_document, docx_bytes
from jixiao.scoring import score_facts
from ooxml_validate import invalid_parts

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "data" / "examples" / "yantuan-2021.yaml"
FACTS = Path(__file__).parent / "data" / "facts"
CITY_UNIT = FACTS / "city-commission-2022.yaml"

EXAMPLE_DISCLOSURE = (
    "我镇按照政府信息公开有关规定，公开了部门预算、部门决算和“三公”经费预决算信息。"
    "对照预决算信息公开性的评价要点，“公开预决算信息”“按规定内容公开预决算信息”“按规定时限公开预决算信息”均符合要求，"
    "该项指标得满分3分。"
)
EXAMPLE_ASSETS = (
    "我镇固定资产总额500.00万元，其中在用固定资产480.00万元，固定资产利用率为96.00%。"
    "对照资产管理完整性的评价要点，“资产保存完整”“资产账务管理合规，帐实相符”“资产有偿使用及处置收入及时足额上缴”均符合要求，"
    "该项指标得满分2分。"
)


def hunan(facts) -> list[str]:
    """Return the 湖南 report's paragraph texts for `facts`, scored with the bundled indicators."""
    card = score_facts(facts, load_indicators(None))
    return [b.text for b in build_document(facts, card, "湖南").blocks if hasattr(b, "text")]


def under(lines: list[str], heading: str) -> str:
    """Return the paragraph right under a heading that ends with `heading`."""
    found = [i for i, line in enumerate(lines) if line.endswith(heading) and line[0].isdigit()]
    assert len(found) == 1, (heading, found)
    return lines[found[0] + 1]


def edited(path: Path, folder: Path, *changes: tuple[str, str]) -> Path:
    """Copy a facts file with text replacements (each must be found)."""
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    copy = folder / path.name
    copy.write_text(text, encoding="utf-8")
    return copy


def with_checklists(facts, **answers):
    """Return the facts with some 评价要点 answers replaced (None removes one)."""
    checklists = {**facts.scoring.checklists, **answers}
    kept = {name: answer for name, answer in checklists.items() if answer is not None}
    return facts.model_copy(update={"scoring": facts.scoring.model_copy(update={"checklists": kept})})


@pytest.fixture
def example():
    return load_facts(EXAMPLE).facts


# --- What the example and the city unit state ----------------------------------------------------


def test_the_example_states_disclosure_and_assets_from_its_answers_and_figures(example):
    lines = hunan(example)
    assert under(lines, "预决算公开情况") == EXAMPLE_DISCLOSURE
    assert under(lines, "资产管理情况") == EXAMPLE_ASSETS
    assert under(lines, "存量资金情况") == "2021年末结转资金0万元，结余资金0万元。结转结余率为0.00%。"
    headings = [line for line in lines if line[:2] in {f"{n}." for n in range(1, 10)}]
    assert headings[2:9] == [
        "1.“三公”经费控制情况",
        "2.存量资金情况",
        "3.预决算公开情况",
        "4.资产管理情况",
        "5.政府采购情况",
        "6.履职成效",
        "7.群众满意度",
    ]


def test_the_city_unit_compares_with_the_budget_and_last_year():
    lines = hunan(load_facts(CITY_UNIT).facts)
    assert under(lines, "“三公”经费控制情况") == (
        "2022年“三公”经费预算数18.00万元，决算数14.98万元，其中：因公出国（境）费0万元，公务用车购置及运行维护费10.86万元，"
        "公务接待费4.12万元。决算数比预算数减少3.02万元，比上年17.24万元减少2.26万元，下降13.11%。"
        "另有会议费3.20万元、培训费2.45万元（不属于“三公”经费）。"
    )
    # 年初结转和结余 is the income brought forward (上年结转 42.18); 结转结余率 40.69 / 1936.45 is the scorecard's.
    assert under(lines, "存量资金情况") == (
        "2022年末结转资金40.69万元，结余资金0万元；年末结转和结余比年初42.18万元减少1.49万元，下降3.53%。结转结余率为2.10%。"
    )
    assert under(lines, "资产管理情况").startswith("我委固定资产总额860.00万元，其中在用固定资产840.00万元，固定资产利用率为97.67%。")


def test_the_julu_set_prints_none_of_the_new_paragraphs(example):
    card = score_facts(example, load_indicators(None))
    text = "".join(b.text for b in build_document(example, card).blocks if hasattr(b, "text"))
    assert "预决算公开情况" not in text and "资产管理情况" not in text and "评价要点，" not in text


# --- Points met and not met ------------------------------------------------------------------------


def test_points_not_met_are_named_in_the_indicator_systems_words(example):
    lines = hunan(with_checklists(example, 预决算信息公开性=[1, 2], 资产管理完整性=[1]))
    assert under(lines, "预决算公开情况") == (
        "对照预决算信息公开性的评价要点，“公开预决算信息”“按规定内容公开预决算信息”符合要求，"
        "“按规定时限公开预决算信息”未达到要求，该项指标得2分（分值3分）。"
    )
    assert under(lines, "资产管理情况") == (
        "我镇固定资产总额500.00万元，其中在用固定资产480.00万元，固定资产利用率为96.00%。"
        "对照资产管理完整性的评价要点，“资产保存完整”符合要求，"
        "“资产账务管理合规，帐实相符”“资产有偿使用及处置收入及时足额上缴”未达到要求，该项指标得1分（分值2分）。"
    )
    assert not any("公开了部门预算" in line for line in lines)  # the standard sentence needs every point met


def test_no_point_met_is_said_so(example):
    lines = hunan(with_checklists(example, 预决算信息公开性="全部不符合"))
    assert under(lines, "预决算公开情况") == (
        "对照预决算信息公开性的评价要点，“公开预决算信息”“按规定内容公开预决算信息”“按规定时限公开预决算信息”均未达到要求，"
        "该项指标得0分（分值3分）。"
    )


def test_without_answers_or_figures_the_paragraphs_are_left_out(example):
    unanswered = with_checklists(example, 预决算信息公开性=None, 资产管理完整性=None)
    lines = hunan(unanswered)
    assert not any(line.endswith("预决算公开情况") for line in lines)
    assert under(lines, "资产管理情况") == "我镇固定资产总额500.00万元，其中在用固定资产480.00万元，固定资产利用率为96.00%。"
    bare = unanswered.model_copy(update={"scoring": unanswered.scoring.model_copy(update={"assets_total": None, "assets_in_use": None})})
    lines = hunan(bare)
    assert not any(line.endswith(("预决算公开情况", "资产管理情况")) for line in lines)
    assert not any("评价要点" in line or "固定资产利用率" in line for line in lines[: lines.index("二、绩效自评情况")])


def test_units_without_answers_print_neither_paragraph():
    for name in ("bureau-subunits.yaml", "township-staff.yaml", "over-establishment.yaml", "three-costs-published.yaml"):
        lines = hunan(load_facts(FACTS / name).facts)
        assert not any(line.endswith(("预决算公开情况", "资产管理情况")) for line in lines), name


@pytest.mark.parametrize(
    ("explanation", "points"),
    [
        (
            "部门的资产是否保存完整。\n评价要点：\n1.资产保存完整；\n2.资产账务管理是否合规，帐实相符；\n3.资产有偿使用及处置收入及时足额上缴。",
            ("资产保存完整", "资产账务管理合规，帐实相符", "资产有偿使用及处置收入及时足额上缴"),
        ),
        (  # 财预53号: questions, and a note after the points
            "评价要点：\n1.是否按规定内容公开预决算信息；\n2.是否按规定时限公开预决算信息。\n预决算信息是指与部门预算……相关的信息。",
            ("按规定内容公开预决算信息", "按规定时限公开预决算信息"),
        ),
        ("固定资产利用率=（实际在用固定资产总额/所有固定资产总额）×100%。", ()),
        ("评价要点：\n2.从第二项开始的不算。", ()),
    ],
)
def test_checklist_points_are_read_from_the_explanation(explanation, points):
    assert checklist_points(explanation) == points


def test_points_the_explanation_does_not_list_are_not_guessed(example):
    """An indicator system whose explanation lists fewer points than its rule counts: no sentence on the points."""
    text = (REPO / "data" / "indicators" / "julu-2021.yaml").read_text(encoding="utf-8")
    assert "              3.按规定时限公开预决算信息。\n" in text
    card = score_facts(example, load_indicators(None))
    item = next(i for i in card.indicators if i.name == "预决算信息公开性")
    shortened = item._replace(explanation=item.explanation.replace("\n3.按规定时限公开预决算信息。", ""))
    from jixiao.management import points_outcome

    assert points_outcome(shortened) is None
    assert points_outcome(item) is not None and points_outcome(item).met[2] == "按规定时限公开预决算信息"


# --- The unit's own wording ------------------------------------------------------------------------

OWN_DISCLOSURE = "我镇按规定在县政府门户网站公开了2021年部门预算和2020年部门决算，公开内容完整、及时。"
OWN_ASSETS = "我镇建立了资产管理台账，资产账实相符。"


def test_the_units_own_wording_is_printed_instead_of_the_generated_one(tmp_path):
    path = edited(EXAMPLE, tmp_path, ("\n履职成效:", f"\n管理情况说明:\n  预决算公开: {OWN_DISCLOSURE}\n  资产管理: {OWN_ASSETS}\n\n履职成效:"))
    lines = hunan(load_facts(path).facts)
    assert under(lines, "预决算公开情况") == OWN_DISCLOSURE
    assert under(lines, "资产管理情况") == OWN_ASSETS
    assert EXAMPLE_DISCLOSURE not in lines and EXAMPLE_ASSETS not in lines


def test_own_wording_alone_prints_its_paragraph(example, tmp_path):
    path = edited(EXAMPLE, tmp_path, ("\n履职成效:", f"\n管理情况说明:\n  预决算公开: {OWN_DISCLOSURE}\n\n履职成效:"))
    facts = with_checklists(load_facts(path).facts, 预决算信息公开性=None)
    assert under(hunan(facts), "预决算公开情况") == OWN_DISCLOSURE
    assert under(hunan(facts), "资产管理情况") == EXAMPLE_ASSETS


# --- Money: zero, 元, exact --------------------------------------------------------------------------


def test_three_costs_of_zero_are_stated_as_zero(tmp_path):
    zero = ("因公出国（境）费: 0", "公务用车购置及运行维护费: 0", "公务接待费: 0")
    path = edited(
        CITY_UNIT,
        tmp_path,
        ("公务用车购置及运行维护费: 12.00", "公务用车购置及运行维护费: 0"),
        ("公务接待费: 6.00", "公务接待费: 0"),
        ("公务用车购置及运行维护费: 10.86", "公务用车购置及运行维护费: 0"),
        ("公务接待费: 4.12", "公务接待费: 0"),
        ("公务用车购置及运行维护费: 11.94", zero[1]),
        ("公务接待费: 5.30", zero[2]),
    )
    lines = hunan(load_facts(path).facts)
    assert under(lines, "“三公”经费控制情况") == (
        "2022年“三公”经费预算数0万元，决算数0万元，其中：因公出国（境）费0万元，公务用车购置及运行维护费0万元，公务接待费0万元。"
        "决算数与预算数持平，与上年持平。另有会议费3.20万元、培训费2.45万元（不属于“三公”经费）。"
    )


def test_a_rise_from_nothing_last_year_has_no_rate(tmp_path):
    path = edited(CITY_UNIT, tmp_path, ("公务用车购置及运行维护费: 11.94", "公务用车购置及运行维护费: 0"), ("公务接待费: 5.30", "公务接待费: 0"))
    sentence = under(hunan(load_facts(path).facts), "“三公”经费控制情况")
    assert "决算数比预算数减少3.02万元，比上年0万元增加14.98万元。另有" in sentence


def test_last_year_is_compared_in_the_same_column(tmp_path):
    """Last year given only as 预算数 is not set against this year's 决算数."""
    path = edited(CITY_UNIT, tmp_path, ("    上年:\n      决算数:", "    上年:\n      预算数:"))
    sentence = under(hunan(load_facts(path).facts), "“三公”经费控制情况")
    assert "上年" not in sentence
    assert "决算数比预算数减少3.02万元。另有" in sentence


def test_assets_in_yuan_are_exact(tmp_path):
    scoring = "评分数据:\n  固定资产总额: 12345678.90\n  在用固定资产总额: 11987654.32\n  评价要点:\n    资产管理完整性: [1, 3]\n"
    path = edited(FACTS / "over-establishment.yaml", tmp_path, ("预算:\n", scoring + "预算:\n"))
    lines = hunan(load_facts(path).facts)
    # 11987654.32 / 12345678.90 = 97.100000875…% (the scorecard's 固定资产利用率)
    assert under(lines, "资产管理情况") == (
        "我局固定资产总额12345678.90元，其中在用固定资产11987654.32元，固定资产利用率为97.10%。"
        "对照资产管理完整性的评价要点，“资产保存完整”“资产有偿使用及处置收入及时足额上缴”符合要求，"
        "“资产账务管理合规，帐实相符”未达到要求，该项指标得2分（分值2分）。"
    )


def test_the_package_with_every_variant_validates(example, tmp_path):
    path = edited(EXAMPLE, tmp_path, ("\n履职成效:", f"\n管理情况说明:\n  资产管理: {OWN_ASSETS}\n\n履职成效:"))
    facts = with_checklists(load_facts(path).facts, 预决算信息公开性=[2])
    card = score_facts(facts, load_indicators(None))
    assert invalid_parts(docx_bytes(build_document(facts, card, "湖南"))) == []


# --- Other indicator systems, 政府采购, 机关运行经费 ------------------------------------------------------


def test_the_points_are_those_of_the_indicator_system_in_use(tmp_path):
    """岳阳2018 calls the indicators 预决算信息公开性和完善性 and 资产管理安全性, with points of its own."""
    from jixiao.indicatorlibrary import choose_indicators

    facts = load_facts(CITY_UNIT).facts
    facts = with_checklists(facts, 预决算信息公开性=None, 资产管理完整性=None, 预决算信息公开性和完善性=[1, 3], 资产管理安全性="全部符合")
    card = score_facts(facts, load_indicators(choose_indicators("岳阳2018")))
    lines = [b.text for b in build_document(facts, card, "湖南").blocks if hasattr(b, "text")]
    assert under(lines, "预决算公开情况") == (
        "对照预决算信息公开性和完善性的评价要点，“按规定内容公开预决算信息”“基础数据信息和会计信息资料真实、完整、准确”符合要求，"
        "“按规定时限公开预决算信息”未达到要求，该项指标得2分（分值3分）。"
    )
    assert under(lines, "资产管理情况").endswith(
        "对照资产管理安全性的评价要点，“资产保存完整”“资产配置合理”“资产处置规范”“资产账务管理合规，账实相符”均符合要求，该项指标得满分4分。"
    )


def test_procurement_is_stated_with_the_scorecards_rate(example):
    assert under(hunan(example), "政府采购情况") == "2021年政府采购预算项目2个，实际政府采购项目2个，政府采购执行率为100.00%。"
    none_planned = example.scoring.model_copy(update={"procurement_planned": 0, "procurement_done": 0})
    lines = hunan(example.model_copy(update={"scoring": none_planned}))
    assert under(lines, "政府采购情况") == "2021年政府采购预算项目0个，实际政府采购项目0个。"  # 0 / 0 is no rate
    unstated = example.scoring.model_copy(update={"procurement_planned": None, "procurement_done": None})
    assert not any(line.endswith("政府采购情况") for line in hunan(example.model_copy(update={"scoring": unstated})))


def test_running_costs_and_vehicles_close_the_three_costs_paragraph(tmp_path):
    path = edited(
        CITY_UNIT,
        tmp_path,
        ("        会议费: 3.20\n", "        会议费: 3.20\n        机关运行经费: 35.60\n"),
        ("      决算数:\n        因公出国（境）费: 0\n        公务用车购置及运行维护费: 11.94", "      决算数:\n        机关运行经费: 40\n        因公出国（境）费: 0\n        公务用车购置及运行维护费: 11.94"),
        ("    上年:\n", "      公务用车保有量: 3\n      公务用车购置数: 0\n    上年:\n"),
    )
    sentence = under(hunan(load_facts(path).facts), "“三公”经费控制情况")
    assert sentence.endswith(
        "另有会议费3.20万元、培训费2.45万元（不属于“三公”经费）。"
        "机关运行经费决算数35.60万元，比上年40万元减少4.40万元，下降11.00%。年末公务用车保有量3辆，本年购置公务用车0辆。"
    )
