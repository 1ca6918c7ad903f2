"""Writing reports on shared folders: the umask and a replaced file's mode, only regular targets, no temporaries left."""

from __future__ import annotations

import os
import signal
import stat
import time
from pathlib import Path

import pytest

from jixiao import output
from jixiao.facts import load_facts
from jixiao.output import STALE_TEMPORARY, default_output_path
from test_report import named

NOT_REGULAR = "目标不是普通文件（而是设备、管道或套接字），不写入，也不替换它"


@pytest.fixture
def umask_022():
    """Run with the umask most systems give their users, whatever the test runner had."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_report_gets_the_mode_the_umask_gives(run_cli, example_path, tmp_path, umask_022):
    target = tmp_path / "report.docx"
    assert run_cli("render", example_path, "-o", target).exit_code == 0
    assert mode(target) == 0o644


def test_a_replaced_report_keeps_its_mode_and_group(run_cli, example_path, tmp_path, umask_022):
    target = tmp_path / "report.docx"
    assert run_cli("render", example_path, "-o", target).exit_code == 0
    target.chmod(0o660)
    group = next((g for g in (100, 1, 2) if g != target.stat().st_gid), None)
    if os.geteuid() == 0 and group is not None:  # Only root may give a file to any group.
        os.chown(target, -1, group)
    before = target.stat()
    assert run_cli("render", example_path, "-o", target).exit_code == 0
    assert target.stat().st_ino != before.st_ino  # Replaced, not rewritten in place.
    assert mode(target) == 0o660
    assert target.stat().st_gid == before.st_gid


def test_cache_entries_stay_private_whatever_the_umask(run_cli, example_path, tmp_path, monkeypatch, umask_022):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert run_cli("render", example_path, "-o", tmp_path / "report.docx").exit_code == 0
    entries = [p for p in (tmp_path / "cache" / "jixiao").rglob("*") if p.is_file()]
    assert entries
    assert {mode(p) for p in entries} == {0o600}


@pytest.mark.parametrize("device", ["/dev/null", "/dev/full", "/dev/zero"])
def test_a_device_is_never_replaced_nor_read(run_cli, example_path, device):
    before = os.stat(device)
    result = run_cli("render", example_path, "-o", device, "--force")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{device}: 错误：{NOT_REGULAR}", "输出文件有 1 处错误，未生成任何文件。"]
    after = os.stat(device)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_a_fifo_target_is_refused_without_hanging(run_cli, example_path, tmp_path, force):
    fifo = tmp_path / "report.docx"
    os.mkfifo(fifo)
    result = run_cli("render", example_path, "-o", fifo, *force)
    assert result.stderr.splitlines()[0] == f"{fifo}: 错误：{NOT_REGULAR}"
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_folder_target_is_refused(run_cli, example_path, tmp_path):
    folder = tmp_path / "report.docx"
    folder.mkdir()
    result = run_cli("render", example_path, "-o", folder, "--force")
    assert result.stderr.splitlines()[0] == f"{folder}: 错误：目标不是普通文件（而是文件夹），不写入，也不替换它"


def test_sigterm_during_the_write_removes_the_temporary_file(run_cli, example_path, tmp_path, monkeypatch):
    target = tmp_path / "report.docx"
    assert run_cli("render", example_path, "-o", target).exit_code == 0
    before = target.read_bytes()
    real_fsync = output.os.fsync

    def terminated(descriptor):
        real_fsync(descriptor)
        os.kill(os.getpid(), signal.SIGTERM)  # As `kill` or a logout does, while the bytes are on disk.

    monkeypatch.setattr(output.os, "fsync", terminated)
    result = run_cli("render", example_path, "-o", target)
    assert result.exit_code == 128 + signal.SIGTERM
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.docx"]
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # The handler was only there for the write.


def test_stale_temporaries_of_ours_are_swept_and_nothing_else(run_cli, example_path, tmp_path):
    old = time.time() - STALE_TEMPORARY - 60
    stale, fresh = tmp_path / ".~jixiao-k1ll3d_9.tmp", tmp_path / ".~jixiao-writing.tmp"
    others = [tmp_path / ".~jixiao-notes.txt", tmp_path / "~$report.docx", tmp_path / ".~jixiao-old.tmp.bak"]
    for path in [stale, fresh, *others]:
        path.write_bytes(b"half a report")
    for path in [stale, *others]:
        os.utime(path, (old, old))
    assert run_cli("render", example_path, "-o", tmp_path / "report.docx").exit_code == 0
    assert not stale.exists()
    assert fresh.exists() and all(path.exists() for path in others)


def test_two_long_names_that_share_their_start_get_two_files(run_cli, example_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    example_facts = load_facts(example_path).facts
    common = "巨鹿县" + "某某乡镇人民政府" * 12
    first = named(tmp_path, example_facts, common + "甲办公室", "a.yaml")
    second = named(tmp_path, example_facts, common + "乙办公室", "b.yaml")
    result = run_cli("render", first, second)
    assert result.exit_code == 0, result.stderr
    written = [Path(line) for line in result.stdout.splitlines()]
    assert len(set(written)) == 2
    assert "全称和年度相同" not in result.stderr
    assert all(len(path.name.encode()) <= 240 and path.name.startswith("巨鹿县某某乡镇") for path in written)


def test_a_shortened_name_keeps_its_start_and_ends_with_a_hash_of_the_whole():
    name = default_output_path("巨鹿县" + "某" * 100, 2021).name
    assert len(name.encode()) <= 240
    assert name.startswith("巨鹿县某某某")
    assert name.endswith(".docx")
    assert name[-14:-5].startswith("-") and all(c in "0123456789abcdef" for c in name[-13:-5])
    assert default_output_path("巨鹿县" + "某" * 100 + "乙", 2021).name != name


def test_the_largest_field_the_limits_allow_gives_a_document_python_docx_opens(run_cli, example_path, tmp_path):
    """Input files stop at 2 MB and template output at 2,000,000 characters, below libxml2's 10 MB text node."""
    import docx

    text = example_path.read_text(encoding="utf-8")
    start = text.index("    - 讨论和决定")
    facts = tmp_path / "facts.yaml"
    facts.write_text(text[:start] + '    - "' + "&<😀" * 300_000 + '"\n' + text[start:], encoding="utf-8")
    target = tmp_path / "report.docx"
    assert run_cli("render", facts, "-o", target).exit_code == 0
    assert any(p.text.endswith("&<😀" * 300_000) for p in docx.Document(str(target)).paragraphs)
