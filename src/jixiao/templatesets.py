"""Template sets (模板方案): bundled outlines of the report, chosen by name, and maintainers' own folders.

Each bundled set is a folder under templates/ holding the Jinja files and a `profile.yaml`
that names it, says in one line what it is, lists the facts it prints (需要) and how small
a loss section 四 sums up rather than lists (小额扣分). A maintainer's folder may hold only
the files it changes: the others come from the set its `profile.yaml` names under 基于
(巨鹿 when it has no profile.yaml, as folders exported by jixiao 0.2 do not). A bundled set
may be based on another bundled set the same way, as 得分优先 takes 湖南's title, closing,
attachment and shared paragraphs.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from jixiao.errors import OutputError, Problem, Severity, TemplateError
from jixiao.inputfile import Unreadable, read_limited
from jixiao.resources import templates_dir
from jixiao.wording import did_you_mean
from jixiao.yamlsource import load_plain

if TYPE_CHECKING:
    from jixiao.facts import Facts
    from jixiao.yamlsource import SourceMap

PROFILE_FILE = "profile.yaml"
DEFAULT_SET = "巨鹿"
TEMPLATE_SUFFIX = ".j2"
DEFAULT_MINOR_LOSS = Decimal("0.5")
_MAX_PROFILE_BYTES = 64 * 1024  # A profile is a dozen lines; anything larger is not one.
_PATH_SEPARATOR = "›"
_STATED = "报告模板"  # the facts file's key naming its set


class TemplateSet(NamedTuple):
    """A template set: where its files are found (first folder first), and what its profile says.

    `needs` are paths into the facts file (「预算 › 三公经费」) the set prints; `minor_loss`
    is the loss in points below which section 四 sums an indicator up instead of naming it;
    `based_on` names the bundled set a bundled set takes the files it lacks from (its 基于).
    """

    name: str
    description: str
    folders: tuple[Path, ...]
    needs: tuple[str, ...] = ()
    minor_loss: Decimal = DEFAULT_MINOR_LOSS
    based_on: str | None = None


def bundled_sets() -> list[TemplateSet]:
    """Return the bundled template sets, the default first; a set based on another (基于) falls back to its files."""
    folders = [folder for folder in sorted(templates_dir().iterdir()) if (folder / PROFILE_FILE).is_file()]
    own = [_read_set(folder, ()) for folder in folders]
    by_name = {s.name: s for s in own}
    sets = [s._replace(folders=(*s.folders, *by_name[s.based_on].folders)) if s.based_on else s for s in own]
    return sorted(sets, key=lambda s: s.name != DEFAULT_SET)


@cache
def _bundled_by_name() -> dict[str, TemplateSet]:
    """Return the bundled sets by name (read once per process)."""
    return {s.name: s for s in bundled_sets()}


def bundled_set(name: str, where: str = "--templates") -> TemplateSet:
    """Return the bundled set called `name`, or a TemplateError naming the sets there are."""
    found = _bundled_by_name().get(name)
    if found is None:
        known = list(_bundled_by_name())
        message = did_you_mean(f"没有名为「{name}」的模板方案，也没有这个模板目录", name, known, 0.5)
        raise TemplateError([Problem(where, None, None, None, f"{message}（内置方案：{'、'.join(known)}）")])
    return found


def choose_set(option: str | Path | None, stated: str | None = None, facts_path: Path | None = None) -> TemplateSet:
    """Return the set asked for: `--templates` (a name or a folder), else the facts file's 报告模板, else 巨鹿.

    A folder named in the facts file is found relative to the facts file.
    """
    if option is not None:
        return _named_or_folder(str(option), Path(option), "--templates")
    if stated is not None:
        base = facts_path.parent if facts_path is not None else Path()
        return _named_or_folder(stated, base / stated, _STATED)
    return bundled_set(DEFAULT_SET)


def _named_or_folder(choice: str, folder: Path, where: str) -> TemplateSet:
    """Read a maintainer's folder when `folder` is one, else look `choice` up among the bundled sets."""
    if folder.is_dir():
        return _read_set(folder, None)
    return bundled_set(choice, where)


def _read_set(folder: Path, base: tuple[Path, ...] | None) -> TemplateSet:
    """Read a set's profile; `base` None means a maintainer's folder, filled in from the set it is based on."""
    profile = _read_profile(folder / PROFILE_FILE)
    name = _text(profile, "名称", folder / PROFILE_FILE) or folder.name
    if base is None:
        parent = bundled_set(_text(profile, "基于", folder / PROFILE_FILE) or DEFAULT_SET, str(folder / PROFILE_FILE))
        return TemplateSet(
            name,
            _text(profile, "说明", folder / PROFILE_FILE) or parent.description,
            (folder, *parent.folders),
            _needs(profile, folder / PROFILE_FILE) if "需要" in profile else parent.needs,
            _minor_loss(profile, folder / PROFILE_FILE) if "小额扣分" in profile else parent.minor_loss,
        )
    return TemplateSet(
        name,
        _text(profile, "说明", folder / PROFILE_FILE) or "",
        (folder, *base),
        _needs(profile, folder / PROFILE_FILE),
        _minor_loss(profile, folder / PROFILE_FILE),
        _text(profile, "基于", folder / PROFILE_FILE),
    )


def _read_profile(path: Path) -> dict[str, Any]:
    """Read profile.yaml as a mapping (empty when the folder has none); refuse anything else."""
    import yaml  # The profile is plain YAML with no positions to keep; read it safely and bounded.

    if not os.path.lexists(path):
        return {}
    try:
        raw = read_limited(path, _MAX_PROFILE_BYTES)  # Regular files only: a FIFO or device is refused, not read.
        data = load_plain(raw.decode("utf-8"))
    except Unreadable as exc:
        raise _profile_error(path, str(exc)) from None
    except (UnicodeDecodeError, yaml.YAMLError):  # Said in Chinese: PyYAML's own wording is English.
        raise _profile_error(path, "无法读取：应为 UTF-8 编码的 YAML（请检查缩进、冒号和引号）") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise _profile_error(path, "应为「名称: …」「说明: …」等键值")
    return data


def _text(profile: dict[str, Any], key: str, path: Path) -> str | None:
    """Return a text entry of the profile, or None when absent."""
    value = profile.get(key)
    if value is None:
        return None
    if not isinstance(value, str | int):
        raise _profile_error(path, f"「{key}」应为一行文字")
    return str(value).strip()


def _needs(profile: dict[str, Any], path: Path) -> tuple[str, ...]:
    """Return the facts paths the set prints (「需要」: a list of 「预算 › 三公经费」-style paths)."""
    value = profile.get("需要") or []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _profile_error(path, "「需要」应为事实数据字段路径的列表，如 - 预算 › 三公经费")
    return tuple(item.strip() for item in value)


def _minor_loss(profile: dict[str, Any], path: Path) -> Decimal:
    """Return 小额扣分: a loss below it (points) is summed up in section 四 rather than named."""
    value = profile.get("小额扣分", DEFAULT_MINOR_LOSS)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = Decimal(-1)
    if isinstance(value, bool) or not number.is_finite() or number < 0:
        raise _profile_error(path, f"「小额扣分」应为不小于 0 的分数，如 0.5，而不是「{value}」")
    return number


def _profile_error(path: Path, message: str) -> TemplateError:
    """Say what is wrong with a profile.yaml."""
    return TemplateError([Problem(str(path), None, None, None, message)])


# --- What a set needs from the facts --------------------------------------------------------------


def template_problems(facts: Facts, source: SourceMap, option: str | Path | None = None) -> list[Problem]:
    """Return what the chosen template set needs and the facts file lacks (warnings), or why it cannot be chosen."""
    try:
        template_set = choose_set(option, facts.template, Path(source.file))
    except TemplateError as exc:
        return [_placed(problem, source) for problem in exc.problems]
    return [source.problem(loc, message, Severity.WARNING) for loc, message in lacking(template_set, source)]


def _placed(problem: Problem, source: SourceMap) -> Problem:
    """Place a problem with the facts file's 报告模板 on that line of the file."""
    return source.problem((_STATED,), problem.message) if problem.file == _STATED else problem


def lacking(template_set: TemplateSet, source: SourceMap) -> Iterator[tuple[tuple[str, ...], str]]:
    """Yield (path, message) for each fact the set prints that the facts file does not give."""
    for need in template_set.needs:
        loc = tuple(part.strip() for part in need.split(_PATH_SEPARATOR))
        if loc not in source.positions:
            message = f"所选模板方案「{template_set.name}」要用到「{need}」，本文件没有填写；报告中相应的内容将省略"
            yield loc, message


# --- Export ---------------------------------------------------------------------------------------


def export_set(directory: Path, name: str = DEFAULT_SET) -> list[Path]:
    """Copy a bundled set into `directory` as the start of a county's own, never overwriting a file there.

    The copied profile.yaml names the set it came from under 基于, so a file later deleted
    from the folder falls back to that set's file.
    """
    source = bundled_set(name, "templates export")
    folder = source.folders[0]
    files = [*sorted(folder.glob(f"*{TEMPLATE_SUFFIX}")), folder / PROFILE_FILE]
    directory.mkdir(parents=True, exist_ok=True)
    clashes = [directory / f.name for f in files if (directory / f.name).exists()]
    if clashes:
        message = "目录中已有同名模板文件，未复制任何文件；请换一个空目录，或先移走这些文件"
        raise OutputError([Problem(str(clash), None, None, None, message) for clash in clashes])
    for file in files[:-1]:
        shutil.copyfile(file, directory / file.name)
    lines = (folder / PROFILE_FILE).read_text(encoding="utf-8").splitlines()
    own = [f"名称: {directory.name}" if line.startswith("名称:") else line for line in lines if not line.startswith("基于:")]
    (directory / PROFILE_FILE).write_text("\n".join([*own, f"基于: {source.name}"]) + "\n", encoding="utf-8")
    return [directory / f.name for f in files]
