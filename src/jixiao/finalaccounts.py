"""Read a unit's 部门决算 workbook by the labels of its rows and columns, as a mapping file says.

The mapping (data/import/决算.yaml, or a county's own) names for each fact the sheet, the
row label and the column label to take it from; positions are never used, so row order,
blank columns, sheet names cut to 31 characters and two-level headers all vary freely.
Amounts are converted from the unit stated in the sheet's header (元 or 万元) exactly.
Legacy .xls files are converted to .xlsx by LibreOffice first.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import tempfile
import typing
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from jixiao.errors import FactsError, Problem
from jixiao.facts import Facts
from jixiao.resources import data_dir
from jixiao.validation import child_annotation, model_form, validate_into
from jixiao.workbook import parse_label
from jixiao.workbookread import Grid, cell_name, read_grids
from jixiao.yamlsource import Loc, field_label, load_yaml

DEFAULT_MAPPING = "import/决算.yaml"
HEADER_ROWS = 8  # the title, the unit and the first header rows of a 决算 sheet
_UNIT = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|元)")
_ENUMERATION = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|\d+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|其中[:：]?)+")
_NOISE = str.maketrans({"（": "(", "）": ")", "：": ":", "“": "", "”": "", '"': "", "‘": "", "’": "", "'": ""})
_NUMBERING_ROWS = {"栏次", "行次"}
_NUMBER = re.compile(r"^[-+]?\d+(\.\d+)?$")

Labels = str | list[str]


class _Mapping(BaseModel):
    """Base of the mapping file's models: Chinese keys, nothing unknown."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)


class Pick(_Mapping, title="取数"):
    """Where to take one fact, or several facts under one place (栏目 → 标题)."""

    fact: str = Field(alias="事实", description="事实数据中的位置，如「预算 › 收入 › 合计」")
    rows: Labels | dict[str, Labels] | None = Field(None, alias="行", description="行标题；不写则取列标题下第一个有数的行")
    columns: Labels | dict[str, Labels] = Field(alias="列", description="列标题；两层表头写「上层 › 下层」")
    item: dict[str, str] | None = Field(None, alias="项", description="事实是列表时，按名称找到或新增的那一项")
    kind: Literal["金额", "人数", "数量"] = Field("金额", alias="类型", description="金额（按单位换算），或人数、数量（整数，不换算）")


class SheetMap(_Mapping, title="表"):
    """One table of the 决算 workbook and the facts taken from it."""

    names: list[str] = Field(alias="表名", min_length=1, description="工作表名或表头中含有其中任一个即为这张表")
    picks: list[Pick] = Field(alias="取数", description="从这张表取的各项")


class ImportMap(_Mapping, title="决算导入对照表"):
    """The whole mapping file."""

    sheets: list[SheetMap] = Field(alias="表", description="各张决算表")


class Target(NamedTuple):
    """One fact to find: where it goes, and the labels of its row and column."""

    loc: Loc
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    item: dict[str, str] | None
    count: bool


class Found(NamedTuple):
    """A value read from the 决算 workbook, in the facts file's unit, with where and why."""

    target: Target
    value: Decimal | int
    cell: str
    row_label: str
    column_label: str


class Missing(NamedTuple):
    """A fact the workbook did not give, and why."""

    target: Target
    reason: str


class Reading(NamedTuple):
    """What one 决算 workbook gave: values found, facts not found, and the unit it stated."""

    found: list[Found]
    missing: list[Missing]
    notes: list[str]


def load_mapping(path: Path | None = None) -> ImportMap:
    """Load and validate a mapping file (the bundled one by default); FactsError lists every problem."""
    path = path or data_dir() / DEFAULT_MAPPING
    loaded = load_yaml(path)
    mapping, problems = (None, []) if loaded.data is None else validate_into(ImportMap, loaded.data, loaded.source)
    problems = [*loaded.problems, *problems]
    if mapping is None:
        raise FactsError(problems)
    unknown = [
        loaded.source.problem(("表", i, "取数", j, "事实"), message)
        for i, sheet in enumerate(mapping.sheets)
        for j, pick in enumerate(sheet.picks)
        if (message := _unknown_fact(pick))
    ]
    if unknown:
        raise FactsError(unknown)
    return mapping


def _unknown_fact(pick: Pick) -> str | None:
    """Say why a pick's fact is not a place of the facts schema, or None when it is."""
    for target in targets(pick):
        if not _in_schema(target.loc):
            return f"事实数据中没有「{field_label(target.loc)}」这一项"
    return None


def _in_schema(loc: Loc) -> bool:
    """Tell whether a place (list items left out) exists in the facts schema."""
    annotation: Any = Facts
    for part in loc:
        if typing.get_origin(model_form(annotation)) is list:
            annotation = child_annotation(annotation, 0)
        annotation = child_annotation(annotation, part)
        if annotation is None:
            return False
    return True


def targets(pick: Pick) -> list[Target]:
    """Expand a pick into one target per fact (a mapping of 栏目 → 标题 gives several)."""
    base = parse_label(pick.fact)
    count = pick.kind != "金额"
    if isinstance(pick.columns, dict):
        rows = _labels(pick.rows)  # type: ignore[arg-type]
        return [Target((*base, *parse_label(key)), rows, _labels(labels), pick.item, count) for key, labels in pick.columns.items()]
    if isinstance(pick.rows, dict):
        return [Target((*base, *parse_label(key)), _labels(labels), _labels(pick.columns), pick.item, count) for key, labels in pick.rows.items()]
    return [Target(base, _labels(pick.rows), _labels(pick.columns), pick.item, count)]


def _labels(labels: Labels | None) -> tuple[str, ...]:
    """Return labels as a tuple (one label, or none, alike)."""
    if labels is None:
        return ()
    return (labels,) if isinstance(labels, str) else tuple(labels)


def read_final_accounts(path: Path, mapping: ImportMap, money_unit: str) -> Reading:
    """Read every fact the mapping names from a 决算 workbook (.xlsx, or .xls through LibreOffice)."""
    grids = _open(path)
    found: list[Found] = []
    missing: list[Missing] = []
    notes: list[str] = []
    for sheet in mapping.sheets:
        grid = find_sheet(grids, sheet.names)
        for pick in sheet.picks:
            for target in targets(pick):
                if any(item.target.loc == target.loc and item.target.item == target.item for item in found):
                    continue  # an earlier table gave it
                result = _read_target(grid, sheet, target, money_unit, notes)
                (found if isinstance(result, Found) else missing).append(result)
    given = {(item.target.loc, _key(item.target.item)) for item in found}
    missing = _first_reasons([item for item in missing if (item.target.loc, _key(item.target.item)) not in given])
    return Reading(found, missing, list(dict.fromkeys(notes)))


def _key(item: dict[str, str] | None) -> tuple:
    """Return a hashable form of a pick's item."""
    return tuple(sorted((item or {}).items()))


def _first_reasons(missing: list[Missing]) -> list[Missing]:
    """Keep one reason per fact: the first table's."""
    seen: dict[tuple, Missing] = {}
    for item in missing:
        seen.setdefault((item.target.loc, _key(item.target.item)), item)
    return list(seen.values())


def _open(path: Path) -> list[Grid]:
    """Open a 决算 workbook; a legacy .xls is converted by LibreOffice into a temporary .xlsx."""
    if path.suffix.lower() == ".xls" and path.is_file():
        with tempfile.TemporaryDirectory(prefix="jixiao-xls-") as folder:
            return _grids_or_raise(convert_xls(path, Path(folder)))
    return _grids_or_raise(path)


def _grids_or_raise(path: Path) -> list[Grid]:
    """Return a workbook's sheets, or raise FactsError saying why it cannot be read."""
    grids, problems = read_grids(path)
    if grids is None:
        raise FactsError(problems)
    return grids


def convert_xls(path: Path, folder: Path) -> Path:
    """Convert a legacy .xls into `folder` as .xlsx with LibreOffice; FactsError if it cannot."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise FactsError([Problem(str(path), None, None, None, "读取 .xls 需要 LibreOffice（soffice），未找到；请在 Excel 或 WPS 中另存为 .xlsx 后再导入")])
    command = [office, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "xlsx", "--outdir", str(folder), str(path)]
    with contextlib.suppress(subprocess.TimeoutExpired):
        subprocess.run(command, capture_output=True, timeout=300, check=False)
    converted = folder / f"{path.stem}.xlsx"
    if not converted.is_file():
        raise FactsError([Problem(str(path), None, None, None, "LibreOffice 无法把这个 .xls 转换为 .xlsx；请在 Excel 或 WPS 中另存为 .xlsx 后再导入")])
    return converted


def normal(text: Any) -> str:
    """Return a label as compared: no spaces, half-width brackets, no quotes, no leading 一、 1. （一） 其中：."""
    cleaned = re.sub(r"\s+", "", str(text)).translate(_NOISE)
    return _ENUMERATION.sub("", cleaned).rstrip(":")


def find_sheet(grids: list[Grid], names: list[str]) -> Grid | None:
    """Return the first sheet whose name, or whose first rows, contain one of `names`."""
    wanted = [normal(name) for name in names]
    for grid in grids:
        title = normal(grid.name)
        if any(name in title or (title and title in name and len(title) >= 6) for name in wanted):
            return grid
    for grid in grids:
        top = "".join(normal(value) for row in grid.rows[:HEADER_ROWS] for value in row if value is not None)
        if any(name in top for name in wanted):
            return grid
    return None


def sheet_unit(grid: Grid) -> str | None:
    """Return the money unit a sheet's header states (元 or 万元), or None."""
    for row in grid.rows[:HEADER_ROWS]:
        for value in row:
            found = _UNIT.search(re.sub(r"\s+", "", str(value))) if value is not None else None
            if found:
                return found.group(1)
    return None


def _read_target(grid: Grid | None, sheet: SheetMap, target: Target, money_unit: str, notes: list[str]) -> Found | Missing:
    """Find one target's value in its sheet, or say what could not be found."""
    if grid is None:
        return Missing(target, f"没有找到工作表「{'」或「'.join(sheet.names)}」")
    place = locate(grid, target)
    if isinstance(place, str):
        return Missing(target, place)
    row, column, row_label, column_label = place
    value = _number(grid.rows[row][column])
    cell = cell_name(grid, row + 1, column + 1)
    if value is None:
        return Missing(target, f"{cell}（行「{row_label}」，列「{column_label}」）不是数字：{grid.rows[row][column]!r}")
    if target.count:
        return Found(target, int(value), cell, row_label, column_label)
    return Found(target, _converted(value, grid, money_unit, notes), cell, row_label, column_label)


def _converted(value: Decimal, grid: Grid, money_unit: str, notes: list[str]) -> Decimal:
    """Convert an amount from the sheet's unit into the facts file's, exactly."""
    unit = sheet_unit(grid)
    if unit is None:
        notes.append(f"工作表「{grid.name}」的表头没有写金额单位，按「元」读取")
        unit = "元"
    if unit == money_unit:
        return value
    notes.append(f"工作表「{grid.name}」的金额单位是{unit}，已换算为{money_unit}")
    return _plain(value / 10000 if unit == "元" else value * 10000)


def _plain(value: Decimal) -> Decimal:
    """Drop trailing zeros a conversion leaves (11047849.85 元 → 1104.784985 万元), keeping integers whole."""
    normal_value = value.normalize()
    return normal_value.quantize(Decimal(1)) if normal_value == normal_value.to_integral_value() else normal_value


def _number(value: Any) -> Decimal | None:
    """Read a cell as an exact number: a number cell by its 15 significant digits, text without separators."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(format(value, ".15g"))
    text = re.sub(r"[\s,，]", "", str(value))
    if text in ("-", "—", "－"):
        return Decimal(0)  # the 决算 software prints a dash for nothing
    try:
        return Decimal(text) if _NUMBER.match(text) else None
    except InvalidOperation:
        return None


def locate(grid: Grid, target: Target) -> tuple[int, int, str, str] | str:
    """Return (row, column, matched row label, matched column label), 0-based, or why there is none."""
    rows = [(r, c, text) for r, c, text in _cells(grid) if text in {normal(label) for label in target.rows}] if target.rows else []
    if target.rows and not rows:
        return f"工作表「{grid.name}」中没有标题为「{'」「'.join(target.rows)}」的行"
    for column_label in target.columns:
        for row, label_column, row_text in rows or [(None, -1, "")]:
            column = _column(grid, column_label, row, label_column)
            if column is not None:
                data_row = row if row is not None else _first_number_row(grid, column)
                if data_row is not None:
                    return data_row, column[0], row_text or "（第一行数据）", column_label
    return f"工作表「{grid.name}」中没有标题为「{'」「'.join(target.columns)}」的列" + (f"（在行「{rows[0][2]}」的右边）" if rows else "")


def _cells(grid: Grid) -> list[tuple[int, int, str]]:
    """Return every text cell of a sheet as (row, column, normalised text)."""
    return [(r, c, normal(value)) for r, row in enumerate(grid.rows) for c, value in enumerate(row) if isinstance(value, str)]


def _column(grid: Grid, label: str, row: int | None, label_column: int) -> tuple[int, int] | None:
    """Find the column headed `label` («上层 › 下层» for two header rows) above `row`, nearest right of the row label."""
    parts = [normal(part) for part in label.split("›")]
    candidates = []
    for r, c, text in _cells(grid):
        if text == parts[-1] and (row is None or r < row) and c > label_column and _under(grid, r, c, parts[:-1]):
            candidates.append((c, r))
    if not candidates:
        return None
    column, header_row = min(candidates)
    return column, header_row


def _under(grid: Grid, row: int, column: int, parents: list[str]) -> bool:
    """Tell whether the header cell at (row, column) stands under each of `parents`, nearest first."""
    for parent in reversed(parents):
        found = next(
            (r for r in range(row - 1, -1, -1) if normal(_spanning(grid, r, column) or "") == parent), None
        )
        if found is None:
            return False
        row = found
    return True


def _spanning(grid: Grid, row: int, column: int) -> Any:
    """Return the value shown at (row, column): its own, or that of a merged range covering it."""
    from openpyxl.utils import range_boundaries

    for cells in grid.merged:
        first_column, first_row, last_column, last_row = range_boundaries(cells)
        if first_row - 1 <= row <= last_row - 1 and first_column - 1 <= column <= last_column - 1:
            return grid.rows[first_row - 1][first_column - 1]
    return grid.rows[row][column] if column < len(grid.rows[row]) else None


def _first_number_row(grid: Grid, column: tuple[int, int]) -> int | None:
    """Return the first row below a column's header with a number in that column."""
    index, header_row = column
    for r in range(header_row + 1, len(grid.rows)):
        row = grid.rows[r]
        if any(normal(value) in _NUMBERING_ROWS for value in row if isinstance(value, str)):
            continue  # the 栏次 row numbers the columns: it holds no figures
        if index < len(row) and row[index] is not None and _number(row[index]) is not None:
            return r
    return None
