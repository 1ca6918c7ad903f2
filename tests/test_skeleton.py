"""`jixiao init` (plain and --from last year) and `jixiao schema`."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.errors import OutputError
from jixiao.facts import BLANK, Facts, load_facts
from jixiao.skeleton import blank_like, facts_json_schema, write_skeleton
from jixiao.yamlsource import load_yaml

BLANK_MESSAGE = "尚未填写（init 生成的空白）：请填上实际内容；不适用的可选项可整行删除"
CJK = re.compile(r"[\u4e00-\u9fff]")


def problem_lines(run_cli, path: Path) -> list[str]:
    """Run `jixiao check` on a skeleton, which must fail; return the problem lines (without the verdict)."""
    result = run_cli("check", path)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    return result.stderr.splitlines()[:-1]


def assert_only_blanks(run_cli, path: Path) -> int:
    """Check a generated file: every problem is a blank, placed at a 「待填写」 (also inside {…}); return how many."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    problems = problem_lines(run_cli, path)
    assert problems
    for problem in problems:
        place, message = problem.split(": 错误：", 1)
        assert message.endswith(BLANK_MESSAGE), problem
        line = int(place.rsplit(":", 2)[1])
        assert BLANK in lines[line - 1], problem
    values = [line.split("#")[0] for line in lines]
    assert len(problems) == sum(value.count(f" {BLANK}") for value in values)
    return len(problems)


def test_init_writes_a_skeleton_that_check_reports_blank_by_blank(run_cli, tmp_path):
    path = tmp_path / "新单位" / "2022.yaml"
    result = run_cli("init", path)
    assert result.exit_code == 0, result.stderr
    assert f"已新建：{path}" in result.stdout
    assert assert_only_blanks(run_cli, path) > 40


def test_skeleton_has_every_key_of_the_schema_with_a_comment(tmp_path):
    path = write_skeleton(tmp_path / "new.yaml")
    text = path.read_text(encoding="utf-8")
    loaded = load_yaml(path)
    assert loaded.problems == []
    assert set(loaded.data) == {info.alias for info in Facts.model_fields.values()}
    for name, info in Facts.model_fields.items():
        assert f"# {info.description}" in text, name
    assert "待填写" in text and "金额单位: 待填写" in text


def test_blank_like_fills_every_leaf():
    data = blank_like(Facts)
    assert data["单位"]["全称"] == BLANK
    assert data["工作任务"] == [{"标题": BLANK, "内容": BLANK}]
    assert data["自评得分"] == {}


def test_init_from_last_year_carries_stable_parts_and_moves_three_costs(run_cli, tmp_path, example_path):
    path = tmp_path / "yantuan-2022.yaml"
    result = run_cli("init", path, "--from", example_path)
    assert result.exit_code == 0, result.stderr
    assert_only_blanks(run_cli, path)
    last = load_facts(example_path).facts
    data = load_yaml(path).data
    assert data["单位"]["年度"] == 2022
    assert data["单位"]["全称"] == "巨鹿县阎疃镇人民政府"
    assert data["单位"]["评价依据"] == BLANK
    assert data["部门职责"]["职责"] == last.duties.items
    assert data["内设机构"] == last.organisations
    assert data["人员情况"]["在职人员"] == 64
    assert [task["标题"] for task in data["工作任务"]] == [task.title for task in last.tasks]
    assert data["评价组织"]["评价目的"] == last.evaluation.purposes
    three = data["预算"]["三公经费"]
    assert three["上年"] == {"因公出国（境）费": 0, "公务用车购置及运行维护费": Decimal("3.5"), "公务接待费": 0, "会议费": 0}
    assert set(three["本年"].values()) == {BLANK}
    assert data["预算"]["收入"]["合计"] == BLANK  # the file keeps its own (0.2) layout
    assert [s["名称"] for s in data["预算"]["收入"]["来源"]] == ["一般公共预算财政拨款收入", "基金预算收入"]
    assert data["预算绩效管理"] == BLANK
    assert data["履职成效"]["主要成绩"] == [{"标题": BLANK, "内容": BLANK}]
    assert set(data["评分数据"]["评价要点"]) == set(last.scoring.checklists)
    assert data["自评得分"] == {}


def test_init_marks_carried_parts_to_confirm(tmp_path, example_path):
    text = write_skeleton(tmp_path / "next.yaml", example_path).read_text(encoding="utf-8")
    assert "# ▲ 沿用上年度（2021 年）的人数，请按本年实际核对\n人员情况:" in text
    assert "  # ▲ 由上年度文件（2021 年）的「本年」移来\n    上年:" in text


def test_init_never_overwrites(run_cli, tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text("# 已经填了一半\n", encoding="utf-8")
    result = run_cli("init", path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}: 错误：文件已存在，不会覆盖；请换一个文件名，或先把原文件改名或移走",
        "输出文件有 1 处错误，未生成任何文件。",
    ]
    assert path.read_text(encoding="utf-8") == "# 已经填了一半\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facts.yaml"]


def test_init_from_refuses_to_overwrite_its_own_source(tmp_path, example_path):
    copy = tmp_path / "2021.yaml"
    copy.write_bytes(example_path.read_bytes())
    with pytest.raises(OutputError):
        write_skeleton(copy, copy)
    assert copy.read_bytes() == example_path.read_bytes()


def test_init_from_a_broken_file_writes_nothing(run_cli, tmp_path):
    path = tmp_path / "next.yaml"
    result = run_cli("init", path, "--from", tmp_path / "missing.yaml")
    assert result.exit_code == 1
    assert "找不到这个文件" in result.stderr
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_init_leaves_no_temporary_file(tmp_path):
    write_skeleton(tmp_path / "a.yaml")
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


def test_schema_is_json_with_chinese_descriptions_everywhere(run_cli):
    result = run_cli("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert CJK.search(schema["title"])
    models = [schema, *schema["$defs"].values()]
    for model in models:
        assert CJK.search(model["title"]), model["title"]
        for key, prop in model.get("properties", {}).items():
            assert CJK.search(prop.get("description", "")), key
    assert set(schema["properties"]) == {info.alias for info in Facts.model_fields.values()}


def test_schema_accepts_the_example_and_refuses_a_negative_amount(example_path):
    import jsonschema
    import yaml

    data = yaml.safe_load(example_path.read_text(encoding="utf-8"))
    jsonschema.validate(data, facts_json_schema())
    data["预算"]["收入"]["合计"] = -1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, facts_json_schema())


def test_init_into_a_folder_is_refused(run_cli, tmp_path):
    result = run_cli("init", tmp_path)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{tmp_path}: 错误：这是一个已有的文件夹；请给出要新建的文件名，如 文件夹/2022.yaml"


def test_a_file_that_appears_while_writing_is_not_replaced(tmp_path, monkeypatch):
    target = tmp_path / "facts.yaml"

    def someone_else_wins(source, destination):
        Path(destination).write_text("# 别人刚写的\n", encoding="utf-8")
        raise FileExistsError(destination)

    monkeypatch.setattr("jixiao.output.os.link", someone_else_wins)
    with pytest.raises(OutputError):
        write_skeleton(target)
    assert target.read_text(encoding="utf-8") == "# 别人刚写的\n"
    assert [p.name for p in tmp_path.iterdir()] == ["facts.yaml"]


def test_without_hard_links_the_file_is_still_created_exclusively(tmp_path, monkeypatch):
    def no_links(source, destination):
        raise PermissionError("hard links not supported")

    monkeypatch.setattr("jixiao.output.os.link", no_links)
    path = write_skeleton(tmp_path / "facts.yaml")
    assert path.read_text(encoding="utf-8").startswith("# 部门整体支出绩效评价")
    assert [p.name for p in tmp_path.iterdir()] == ["facts.yaml"]


def test_init_from_asks_for_this_years_report_date_when_last_year_had_one(run_cli, tmp_path, example_path):
    dated = tmp_path / "dated-2021.yaml"
    dated.write_text(example_path.read_text(encoding="utf-8") + "\n成文日期: 2022年1月10日\n", encoding="utf-8")
    path = tmp_path / "2022.yaml"
    assert run_cli("init", path, "--from", dated).exit_code == 0
    assert load_yaml(path).data["成文日期"] == BLANK
    check = run_cli("check", path)
    assert any(line.endswith("字段「成文日期」：" + "尚未填写（init 生成的空白）：请填上实际内容；不适用的可选项可整行删除")
               for line in check.stderr.splitlines())
    undated = tmp_path / "undated-2022.yaml"
    assert run_cli("init", undated, "--from", example_path).exit_code == 0
    assert "成文日期" not in load_yaml(undated).data


def test_init_from_keeps_last_years_comments_and_layout(run_cli, tmp_path, bundled_example_path):
    path = tmp_path / "2022.yaml"
    assert run_cli("init", path, "--from", bundled_example_path).exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert "  # 原文如此：「加快建设“经济强市、美丽邢台”提供有力支撑」一句前缺「为」字。\n" in text
    assert "    合计: {年初预算数: 待填写}\n" in text
    assert "    # ▲ 由上年度文件（2021 年）的「本年」移来\n    上年:\n      因公出国（境）费: 0\n" in text
    assert_only_blanks(run_cli, path)
