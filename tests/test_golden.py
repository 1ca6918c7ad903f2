"""Golden files: the example report's text and styles, and its narrative against the seed, sentence by sentence.

Run `pytest tests/test_golden.py --update-golden` after an intended change to rewrite
the golden files, then read the diff before committing it. The seed comparison keeps
each difference's explanation (说明) across rewrites; a new difference gets an empty
one, which the test refuses until somebody explains it.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
import yaml

from docx_text import body_text, docx_lines
from jixiao.checks import check_facts
from jixiao.report import build_document, docx_bytes

GOLDEN = Path(__file__).parent / "golden"
EXAMPLE_GOLDEN = GOLDEN / "yantuan-2021.txt"
SEED_REPORT = GOLDEN / "seed-report.txt"  # the seed's report, one paragraph a line (PDF lines rejoined)
SEED_DIFFERENCES = GOLDEN / "seed-differences.yaml"

# Numbering is written by the templates in GB/T 9704 style (一、（一）1.), while the seed mixes
# 一、 1、 (一) for the same levels; paragraphs are compared with their leading list marker removed.
_MARKER = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、](?!\d))")
_WIDTH = str.maketrans({"(": "（", ")": "）", ":": "：", ";": "；", ",": "，"})


@pytest.fixture(scope="module")
def example_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Render the bundled example once for this module."""
    example = Path(__file__).resolve().parents[1] / "data" / "examples" / "yantuan-2021.yaml"
    checked = check_facts(example)
    assert checked.facts is not None and checked.card is not None
    path = tmp_path_factory.mktemp("golden") / "example.docx"
    path.write_bytes(docx_bytes(build_document(checked.facts, checked.card)))
    return path


def test_example_matches_golden_text_and_styles(example_docx: Path, update_golden: bool) -> None:
    lines = docx_lines(example_docx)
    if update_golden:
        EXAMPLE_GOLDEN.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = EXAMPLE_GOLDEN.read_text(encoding="utf-8").splitlines()
    assert lines == expected


CITY_UNIT = Path(__file__).parent / "data" / "facts" / "city-commission-2022.yaml"
EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "examples" / "yantuan-2021.yaml"
# Every bundled template set renders the example (a township) and a city commission (not a township).
SET_GOLDENS = [
    ("巨鹿", CITY_UNIT, "julu-city-commission-2022.txt"),
    ("湖南", EXAMPLE, "hunan-yantuan-2021.txt"),
    ("湖南", CITY_UNIT, "hunan-city-commission-2022.txt"),
    ("表格", EXAMPLE, "form-yantuan-2021.txt"),
    ("表格", CITY_UNIT, "form-city-commission-2022.txt"),
    ("得分优先", EXAMPLE, "score-first-yantuan-2021.txt"),
    ("得分优先", CITY_UNIT, "score-first-city-commission-2022.txt"),
]


@pytest.mark.parametrize(("template_set", "facts", "golden"), SET_GOLDENS, ids=[g[2] for g in SET_GOLDENS])
def test_each_template_set_matches_its_golden_files(template_set, facts, golden, tmp_path, update_golden):
    checked = check_facts(facts)
    assert checked.facts is not None and checked.card is not None
    path = tmp_path / "report.docx"
    path.write_bytes(docx_bytes(build_document(checked.facts, checked.card, template_set)))
    lines = docx_lines(path)
    if update_golden:
        (GOLDEN / golden).write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert lines == (GOLDEN / golden).read_text(encoding="utf-8").splitlines()


def test_every_bundled_set_has_golden_files():
    from jixiao.templatesets import bundled_sets

    covered = {name for name, _, _ in SET_GOLDENS} | {"巨鹿"}
    assert {s.name for s in bundled_sets()} == covered


def sentences(paragraphs: list[str]) -> list[str]:
    """Normalise paragraphs (spacing, half-width punctuation, list markers) and cut them at 。."""
    result = []
    for paragraph in paragraphs:
        flat = _MARKER.sub("", re.sub(r"\s+", "", paragraph).translate(_WIDTH))
        result.extend(s for s in flat.split("。") if s)
    return result


def narrative(paragraphs: list[str]) -> list[str]:
    """Return the report's paragraphs from the title to the end of section 六 (before 附件 and 落款)."""
    end = next(i for i, text in enumerate(paragraphs) if text.startswith("附件："))
    return paragraphs[:end]


def differences(seed: list[str], ours: list[str]) -> list[dict[str, list[str]]]:
    """List where our sentences differ from the seed's, as {原文: [...], 输出: [...]} pairs."""
    matcher = difflib.SequenceMatcher(a=seed, b=ours, autojunk=False)
    return [
        {"原文": seed[i1:i2], "输出": ours[j1:j2]}
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def test_narrative_reproduces_the_seed_sentence_for_sentence(example_docx: Path, update_golden: bool) -> None:
    seed = sentences(SEED_REPORT.read_text(encoding="utf-8").splitlines())
    ours = sentences(narrative(body_text(example_docx)))
    found = differences(seed, ours)
    if update_golden:
        _write_differences(found)
    documented = yaml.safe_load(SEED_DIFFERENCES.read_text(encoding="utf-8"))
    assert [{"原文": d["原文"], "输出": d["输出"]} for d in documented] == found
    unexplained = [d for d in documented if not d.get("说明")]
    assert not unexplained, "每处与原文不同的地方都要写明原因（说明）"


def test_the_comparison_can_see_a_changed_sentence() -> None:
    seed = sentences(["甲乙丙。丁戊己。"])
    assert differences(seed, sentences(["甲乙丙。丁戊庚。"])) == [{"原文": ["丁戊己"], "输出": ["丁戊庚"]}]
    assert differences(seed, sentences(["一、甲乙丙。", "(二)丁戊己"])) == []


def _write_differences(found: list[dict[str, list[str]]]) -> None:
    """Rewrite the differences file, keeping the explanation of every difference still present."""
    old = yaml.safe_load(SEED_DIFFERENCES.read_text(encoding="utf-8")) if SEED_DIFFERENCES.exists() else []
    reasons = {(tuple(d["原文"]), tuple(d["输出"])): d.get("说明", "") for d in old or []}
    entries = [{**d, "说明": reasons.get((tuple(d["原文"]), tuple(d["输出"])), "")} for d in found]
    header = (
        "# 示例报告正文与种子报告（tests/golden/seed-report.txt）逐句比较后的全部差异；每处都须在「说明」中写明原因。\n"
        "# 比较前统一了以下写法，不算差异：\n"
        "# - 编号按 GB/T 9704 写成 一、（一）1.：原文部门职责用「一、二、」（与一级标题重复）、工作任务用「1、」、\n"
        "#   第五、六部分用半角「(一)」；\n"
        "# - 原文把「1.统筹协调全镇工作。」等三级标题和正文写在同一段，本报告标题单独成段、不加句号；\n"
        "# - 原文部分标题末尾有句号（如「（一）评价对象绩效目标。」），本报告单独成段的标题不加句号\n"
        "#   （「存在的问题」各条是完整的句子，保留句号）；\n"
        "# - PDF 造成的断行和数字两侧的空格，以及半角冒号「:」（开头语末尾）。\n"
    )
    body = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=1000)
    SEED_DIFFERENCES.write_text(header + body, encoding="utf-8")
