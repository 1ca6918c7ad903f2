"""Loading the example and dumping it back loses no figure and no sentence."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.dump import dump_facts
from jixiao.facts import Facts, load_facts
from jixiao.records import Record

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "examples" / "yantuan-2021.yaml"

# Sentences of the seed report, rejoined from its PDF lines, that must survive a round trip.
SEED_SENTENCES = (
    "承办上级党委、人大、政府交办的其他事项。",
    "20个村支书平均年龄44岁，较上届下降1岁，大专及以上学历占比40%",
    "积极组织集中学习《严肃换届纪律 加强换届风气监督宣传册》",
    "截至11月底，全镇共完成固定资产投资4.75亿元，超全年目标任务32%，同比增47%。",
    "“三资”及招投标领域突出问专项整治等专项监督",
    "加快建设“经济强市、美丽邢台”提供有力支撑。",
    "与部门年度的任务数相对应;与本年度部门预算资金相匹配。",
    "通过绩效评众有助于政府在公众中建立和巩固对政府的信任，从而起到吸引更多政治资源的效果",
    "办理上级人民政府交办的其他事项",
    "对于上述存在的问题，我镇将在以后工作中加以解决。",
    "严格落实会计核算、报销审批制度，加强对资金使用环节的监督。",
)


def leaves(value: Any, path: tuple = ()) -> list[tuple[tuple, Any]]:
    """Return every (path, leaf value) of a model, in order."""
    if isinstance(value, Record):
        return [leaf for name, item in value for leaf in leaves(item, (*path, name))]
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in leaves(item, (*path, key))]
    if isinstance(value, list):
        return [leaf for index, item in enumerate(value) for leaf in leaves(item, (*path, index))]
    return [(path, value)]


def reloaded(facts: Facts, folder: Path) -> tuple[str, Facts]:
    """Dump facts to a file and load it back."""
    text = dump_facts(facts)
    path = folder / "dumped.yaml"
    path.write_text(text, encoding="utf-8")
    return text, load_facts(path).facts


def test_example_round_trips_to_equal_facts(example_path, tmp_path):
    facts = load_facts(example_path).facts
    _, again = reloaded(facts, tmp_path)
    assert again == facts


def test_every_decimal_keeps_its_exact_text(example_path, tmp_path):
    facts = load_facts(example_path).facts
    text, again = reloaded(facts, tmp_path)
    before = [(path, str(v)) for path, v in leaves(facts) if isinstance(v, Decimal)]
    after = [(path, str(v)) for path, v in leaves(again) if isinstance(v, Decimal)]
    assert after == before
    texts = [t for _, t in before]
    for entered in ("1104.784985", "1013.304904", "91.480081", "137.26", "660.00", "1049.64745275", "4.0"):
        assert entered in texts
        assert f": {entered}\n" in text


def test_every_sentence_survives(example_path, tmp_path):
    facts = load_facts(example_path).facts
    text, again = reloaded(facts, tmp_path)
    strings = [v for _, v in leaves(facts) if isinstance(v, str)]
    assert [v for _, v in leaves(again) if isinstance(v, str)] == strings
    for sentence in SEED_SENTENCES:
        assert any(sentence in s for s in strings), sentence
        assert sentence in text


def test_dump_keeps_schema_order_and_chinese_keys(example_path):
    text = dump_facts(load_facts(example_path).facts)
    tops = [line.split(":")[0] for line in text.splitlines() if line and not line.startswith((" ", "#"))]
    assert tops == [
        "金额单位", "单位", "部门职责", "内设机构", "人员情况", "履职总体目标", "年度绩效目标", "工作任务", "预算",
        "预算绩效管理", "履职成效", "满意度", "评价组织", "差异原因", "存在问题", "改进措施", "评分数据", "自评得分",
        "自评总分",
    ]  # fmt: skip


# Text that tempts a YAML writer: leading dashes and quotes, colons, hashes, digits, yes/no, line breaks.
_TRICKY = st.text(
    alphabet=st.sampled_from(list("阎疃镇“”「」：；。、 -:#'\"!&*?|>%@`{}[],0123456789.eEyesnoNULL~\n")),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() and s.strip() != "待填写")


@settings(max_examples=150, deadline=None)
@given(title=_TRICKY, amount=st.decimals(min_value=0, max_value=10**9, allow_nan=False, places=6))
def test_any_text_and_amount_round_trip(tmp_path_factory, title, amount):
    data = load_facts(EXAMPLE).facts.model_dump(by_alias=True, exclude_none=True)
    data["工作任务"][0]["标题"] = title
    data["预算"]["年末结余"] = amount
    facts = Facts.model_validate(data)
    _, again = reloaded(facts, tmp_path_factory.mktemp("rt"))
    assert again == facts
    assert again.tasks[0].title == facts.tasks[0].title
    assert str(again.budget.balance) == str(amount)
