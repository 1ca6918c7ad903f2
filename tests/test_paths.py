"""Indicators by path (一级 › 二级 › 三级): one name in two branches, a unique name alone, an ambiguous one refused."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from jixiao.facts import load_facts
from jixiao.indicators import IndicatorSystem, load_indicators, path_parts
from jixiao.scoring import Scorecard, score_facts

DATA = Path(__file__).parent / "data" / "indicators"
# 「资金使用合规性」 under both 决策 › 目标设定 and 决策 › 人员与资金.
TWIN = ("          - 名称: 目标明确\n", "          - 名称: 资金使用合规性\n")


@pytest.fixture
def twins(tmp_path: Path) -> IndicatorSystem:
    text = (DATA / "second.yaml").read_text(encoding="utf-8")
    assert text.count(TWIN[0]) == 1
    path = tmp_path / "twins.yaml"
    path.write_text(text.replace(*TWIN), encoding="utf-8")
    return load_indicators(path)


def _score(tmp_path: Path, system: IndicatorSystem, checklists: str) -> Scorecard:
    text = (DATA / "second-facts.yaml").read_text(encoding="utf-8")
    old = "    目标明确: [1]\n    资金使用合规性: [1, 2, 3, 4, 5, 6, 7]\n"
    assert text.count(old) == 1
    path = tmp_path / "facts.yaml"
    path.write_text(text.replace(old, checklists), encoding="utf-8")
    return score_facts(load_facts(path).facts, system)


def test_one_name_in_two_branches_loads_and_each_is_found_by_its_path(twins: IndicatorSystem) -> None:
    found = twins.matches("资金使用合规性")
    assert [item.path for item in found] == ["决策 › 目标设定 › 资金使用合规性", "决策 › 人员与资金 › 资金使用合规性"]
    assert twins.find("资金使用合规性") is None
    assert twins.find("决策 › 目标设定 › 资金使用合规性") is found[0]
    assert twins.find("人员与资金>资金使用合规性") is found[1]
    assert twins.find("「人员与资金」 ＞ 资金 使用合规性") is found[1]


def test_facts_keyed_by_path_score_each_twin(tmp_path: Path, twins: IndicatorSystem) -> None:
    card = _score(
        tmp_path,
        twins,
        "    决策 › 目标设定 › 资金使用合规性: [1]\n    人员与资金 › 资金使用合规性: [1, 2, 3, 4, 5, 6, 7]\n",
    )
    scores = [item.score for item in card.indicators if item.name == "资金使用合规性"]
    assert scores == [D("5.00"), D("6.00")]
    assert not [f for f in card.findings if f.severity == "错误"]


def test_an_ambiguous_name_is_refused_listing_the_paths(tmp_path: Path, twins: IndicatorSystem) -> None:
    card = _score(tmp_path, twins, "    资金使用合规性: [1, 2, 3, 4, 5, 6, 7]\n")
    [finding] = [f for f in card.findings if f.place == ("评分数据", "评价要点", "资金使用合规性")]
    assert finding.message == (
        "「资金使用合规性」对应 2 个三级指标，请写明路径（一级 › 二级 › 三级）："
        "「决策 › 目标设定 › 资金使用合规性」；「决策 › 人员与资金 › 资金使用合规性」"
    )
    assert [item.score for item in card.indicators if item.name == "资金使用合规性"] == [None, None]


def test_a_unique_name_may_still_be_used_alone(tmp_path: Path) -> None:
    card = _score(tmp_path, load_indicators(DATA / "second.yaml"), "    目标明确: [1]\n    资金使用合规性: [1, 2, 3, 4, 5, 6, 7]\n")
    assert [item.score for item in card.indicators[:3:2]] == [D("5.00"), D("6.00")]


def test_one_name_twice_in_one_branch_is_still_an_error(tmp_path: Path) -> None:
    text = (DATA / "second.yaml").read_text(encoding="utf-8").replace("- 名称: 群众满意率", "- 名称: 资金使用合规性")
    path = tmp_path / "same.yaml"
    path.write_text(text, encoding="utf-8")
    from jixiao.errors import IndicatorError

    with pytest.raises(IndicatorError) as caught:
        load_indicators(path)
    assert [p.message for p in caught.value.problems] == [
        "三级指标「资金使用合规性」与第 29 行的指标同在「决策 › 人员与资金」下重名；同一二级指标下名称不能重复"
    ]


@pytest.mark.parametrize(
    ("text", "parts"),
    [("资金使用合规性", ("资金使用合规性",)), ("过程 › 预算管理 › 管理制度健全性", ("过程", "预算管理", "管理制度健全性")),
     ("预算管理>“管理制度” 健全性", ("预算管理", "管理制度健全性"))],
)  # fmt: skip
def test_path_parts_split_on_the_arrow_and_ignore_quotes_and_spaces(text: str, parts: tuple[str, ...]) -> None:
    assert path_parts(text) == parts
