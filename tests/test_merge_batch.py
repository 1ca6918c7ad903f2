"""`render a.yaml b.yaml … --merge`: each unit merged into its own report, as `render --merge` does for one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from lxml import etree

from jixiao.merge.edited import recorded_base
from ooxml_validate import invalid_parts
from test_batch import render_in, unit_file
from test_merge import (
    CAR,
    COSTS,
    COSTS_EDITED,
    COSTS_NEW,
    STAFF,
    STAFF_EDITED,
    W,
    accepted,
    body,
    edit_paragraph,
    merged_message,
    paragraph_reading,
    revisions,
    without_record,
)

Run = Callable[..., Any]
REPORT = "out/{}镇人民政府2021年度部门整体支出绩效评价报告.docx"


def report(name: str) -> Path:
    """Return where the unit `name`镇人民政府's report goes, relative to the folder the run is in."""
    return Path(REPORT.format(name))


def backup(name: str) -> Path:
    """Return where the unit's report is kept before a merge."""
    return report(name).with_name(report(name).stem + ".bak.docx")


def change_facts(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of `old` in a facts file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def prepare(folder: Path, example: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Three units in `folder`: 甲's report edited and its 公务用车 figure corrected, 乙 with no report yet, 丙's unchanged.

    The editor rewrote 甲's 人员情况 sentence and added to its 三公经费 paragraph, which
    the corrected figure changes too.
    """
    (folder / "units").mkdir(parents=True)
    units = [unit_file(example, folder / "units", f"{name}.yaml", f"{name}镇人民政府") for name in "甲乙丙"]
    assert render_in(folder, run_cli, monkeypatch, units[0], units[2], "--jobs", "1").exit_code == 0
    edit_paragraph(folder / report("甲"), STAFF, STAFF_EDITED)
    edit_paragraph(folder / report("甲"), COSTS, COSTS_EDITED)
    change_facts(units[0], *CAR)
    return units


@pytest.fixture
def units(example_path: Path, tmp_path: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Return the three units of `prepare`, in tmp_path (the run's working folder)."""
    return prepare(tmp_path, example_path, run_cli, monkeypatch)


def test_each_unit_is_merged_into_its_own_report_or_written_new(
    run_cli: Run, units: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = {name: report(name).read_bytes() for name in "甲丙"}
    result = render_in(tmp_path, run_cli, monkeypatch, *units, "--merge")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        str(report("甲")),
        str(report("乙")),
        str(report("丙")),
        merged_message(report("甲"), 1, both=1),
        f"合并前的文件另存为 {backup('甲')}",
        f"已合并到 {report('丙')}：重新生成的内容与编辑的文档没有新的差异，未加修订。",
        f"合并前的文件另存为 {backup('丙')}",
    ]
    assert {name: backup(name).read_bytes() for name in "甲丙"} == before
    assert not backup("乙").exists()
    staff = paragraph_reading(report("甲"), STAFF_EDITED)
    assert revisions(staff, "ins") == revisions(staff, "del") == []
    inserted = paragraph_reading(report("甲"), COSTS_EDITED).getnext()
    assert revisions(inserted, "ins") == [COSTS_NEW]
    assert [author for author, _ in comments(report("甲"))] == ["jixiao"]
    assert recorded_base(docx.Document(str(report("乙")))) is not None
    assert accepted(report("丙")) == accepted(backup("丙"))
    assert not list(body(report("丙")).iter(f"{{{W}}}ins", f"{{{W}}}del"))
    for name in "甲乙丙":
        assert invalid_parts(report(name).read_bytes()) == []


def comments(path: Path) -> list[tuple[str, str]]:
    """Return (author, text) of each comment in the document."""
    return [(comment.author, comment.text) for comment in docx.Document(str(path)).comments]


def test_no_backup_keeps_no_copy_of_any_report(
    run_cli: Run, units: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = render_in(tmp_path, run_cli, monkeypatch, *units, "--merge", "--no-backup")
    assert result.exit_code == 0, result.stderr
    assert not [line for line in result.stdout.splitlines() if line.startswith("合并前的文件另存为")]
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == sorted(report(n).name for n in "甲乙丙")


def test_a_unit_with_errors_is_left_out_and_its_report_untouched(
    run_cli: Run, units: list[Path], example_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """丙's facts have an error, 丁's report lost jixiao's record: both are listed, 甲 and 乙 are done."""
    change_facts(units[2], "      公务用车购置及运行维护费: 3.5\n", "      公务用车购置及运行维护费: 三点五\n")
    lost = unit_file(example_path, tmp_path / "units", "丁.yaml", "丁镇人民政府")
    report("丁").write_bytes(report("丙").read_bytes())
    without_record(report("丁"))
    untouched = {name: report(name).read_bytes() for name in "丙丁"}
    result = render_in(tmp_path, run_cli, monkeypatch, *units, lost, "--merge")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        str(report("甲")),
        str(report("乙")),
        merged_message(report("甲"), 1, both=1),
        f"合并前的文件另存为 {backup('甲')}",
    ]
    assert result.stderr.splitlines()[-3:] == [
        f"{units[2]}:110:7: 错误：字段「预算 › 三公经费 › 本年 › 公务用车购置及运行维护费」："
        "应为数字，例如 1104.784985（不带单位和千分位逗号）",
        f"{report('丁')}: 错误：文档中没有找到 jixiao 上次生成时记下的内容（可能被另存为 .doc 或经某些软件另存时删去了），"
        f"无法分辨哪些是编辑改的、哪些是生成改的，未合并，原文件未改动。可运行「jixiao diff {report('丁')} {lost}」"
        "逐段查看它与重新生成内容的差异（两方比较）",
        "2 个文件有错误，未生成，也未合并；其余 2 个文件的报告已生成或合并。",
    ]
    assert {name: report(name).read_bytes() for name in "丙丁"} == untouched
    assert not backup("丙").exists() and not backup("丁").exists()


@pytest.mark.office
def test_merged_and_new_reports_alike_get_their_pdfs(
    run_cli: Run, units: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = render_in(tmp_path, run_cli, monkeypatch, *units[:2], "--merge", "--no-backup", "--pdf")
    assert result.exit_code == 0, result.stderr
    pdfs = [report(name).with_suffix(".pdf") for name in "甲乙"]
    assert result.stdout.splitlines() == [
        str(report("甲")),
        str(pdfs[0]),
        str(report("乙")),
        str(pdfs[1]),
        merged_message(report("甲"), 1, both=1),
    ]
    assert all(pdf.read_bytes().startswith(b"%PDF") for pdf in pdfs)


def test_a_file_given_twice_is_merged_once_and_the_editors_file_kept(
    run_cli: Run, units: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edited = report("甲").read_bytes()
    result = render_in(tmp_path, run_cli, monkeypatch, units[0], units[0], "--merge")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        str(report("甲")),
        merged_message(report("甲"), 1, both=1),
        f"合并前的文件另存为 {backup('甲')}",
    ]
    assert backup("甲").read_bytes() == edited


def test_two_jobs_merge_the_same_and_say_the_same_as_one(
    run_cli: Run, example_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = {}
    for jobs in ("1", "2"):
        folder = tmp_path / jobs
        units = [path.relative_to(folder) for path in prepare(folder, example_path, run_cli, monkeypatch)]
        result = render_in(folder, run_cli, monkeypatch, *units, "--merge", "--jobs", jobs)
        runs[jobs] = (result.exit_code, result.stdout, result.stderr), contents(folder / "out")
    assert runs["2"] == runs["1"]
    assert runs["1"][0][0] == 0 and len(runs["1"][1]) == 5  # three reports, two backups
    assert runs["1"][1][report("甲").name][1]  # with tracked changes to compare


def contents(folder: Path) -> dict[str, tuple[list[str], list[bytes]]]:
    """Return each report's text (changes accepted) and its tracked changes' XML, undated, by file name."""
    return {path.name: (accepted(path), tracked_changes(path)) for path in sorted(folder.iterdir())}


def tracked_changes(path: Path) -> list[bytes]:
    """Return the XML of each w:ins and w:del in the body, without the date the merge gave it."""
    found = []
    for mark in body(path).iter(f"{{{W}}}ins", f"{{{W}}}del"):
        copy = etree.fromstring(etree.tostring(mark))
        copy.attrib.pop(f"{{{W}}}date", None)
        found.append(etree.tostring(copy))
    return found
