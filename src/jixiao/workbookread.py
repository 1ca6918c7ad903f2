"""Read a facts workbook into the plain data the YAML loader gives, every value placed at its sheet!cell.

A workbook is untrusted input: it is read within bounds (a regular file of at most
MAX_FILE_BYTES), and its package is checked (number of parts, unpacked size, no DTDs)
before openpyxl opens those bytes, formulas are never evaluated (their cached
results are read, and a formula without one is refused at its cell), and external links
are not loaded. Labels in column A say where each value belongs, so sheets may be renamed
or reordered; anything that cannot be placed is reported, never dropped in silence.
"""

from __future__ import annotations

import io
import typing
import warnings
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from jixiao.errors import Problem, Severity
from jixiao.inputfile import Unreadable, read_limited
from jixiao.validation import child_annotation, is_model, model_form
from jixiao.workbook import (
    GUIDE_SHEET,
    HEADER,
    LINE_HEADER,
    always_present,
    annotation_at,
    from_cell,
    is_collection,
    is_flat,
    is_line,
    loc_text,
    parse_label,
    short_form,
    table_columns,
    top_keys,
)
from jixiao.yamlsource import Loaded, Loc, SourceMap

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_PARTS = 2_000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 50
_ORDER = 1_000_000  # positions order sheet by sheet: sheet number × _ORDER + row


SECTION: Any = object()  # the entry of a required part's heading row: the part exists, maybe empty


class Uncomputed(NamedTuple):
    """A formula cell saved without its result (openpyxl and some tools write none)."""

    formula: str


class Grid(NamedTuple):
    """One sheet's cell values, row by row, with what the reader needs to place and judge them."""

    name: str
    number: int
    rows: list[list[Any]]
    hidden: list[int]
    merged: list[str]  # merged ranges, e.g. "B3:D3"


class Entry(NamedTuple):
    """A value read from one cell, and where it belongs."""

    loc: Loc
    value: Any
    order: int
    column: int
    cell: str


def _entry(grid: Grid, loc: Loc, value: Any, row: int, column: int) -> Entry:
    """Return the entry of one cell's value."""
    return Entry(loc, value, grid.number * _ORDER + row, column, cell_name(grid, row, column))


def read_workbook(path: Path | str) -> Loaded:
    """Read a facts workbook; problems are collected, not raised, as load_yaml does."""
    name = str(path)
    source = SourceMap(name, {}, {})
    grids, problems = read_grids(Path(path))
    if grids is None:
        return Loaded(None, source, problems)
    if not any(_is_facts_sheet(grid) for grid in grids):
        message = f"这不是 jixiao 的事实数据工作簿：没有一个工作表的 A1 是「{HEADER[0]}」；请用「jixiao init 文件名.xlsx」新建工作簿再填写"
        return Loaded(None, source, [*problems, Problem(name, None, None, None, message)])
    entries: list[Entry] = []
    for grid in grids:
        problems.extend(_sheet_entries(grid, source, entries))
    data, placing = _build(entries, source)
    return Loaded(data, source, [*problems, *placing])


def _is_facts_sheet(grid: Grid) -> bool:
    """Tell whether a sheet has the 字段 | 值 | 说明 heading of a facts sheet."""
    return bool(grid.rows) and bool(grid.rows[0]) and cell_text(grid.rows[0][0]) == HEADER[0]


def checked_bytes(path: Path) -> tuple[bytes | None, list[Problem]]:
    """Return a workbook's bytes once its size and package are checked safe for openpyxl; None with the reason otherwise."""
    try:
        raw = read_limited(path, MAX_FILE_BYTES)
    except Unreadable as exc:
        return None, [Problem(str(path), None, None, None, str(exc))]
    refused = _package_refusal(raw)
    if refused:
        return None, [Problem(str(path), None, None, None, refused)]
    return raw, []


def read_grids(path: Path) -> tuple[list[Grid] | None, list[Problem]]:
    """Open a workbook safely and return its sheets' values; None with the reason when it cannot be read."""
    raw, problems = checked_bytes(path)
    if raw is None:
        return None, problems
    try:
        return _grids(raw), []
    except Exception as exc:  # openpyxl raises many kinds on damaged files; all mean the same to a person.
        return None, [Problem(str(path), None, None, None, f"无法读取工作簿：文件已损坏或不是 .xlsx 格式（{type(exc).__name__}）")]


def _package_refusal(raw: bytes) -> str | None:
    """Return why a workbook's bytes must not be given to openpyxl (not a zip, too large unpacked, a DTD), or None."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return _archive_refusal(archive)
    except (zipfile.BadZipFile, OSError, EOFError):
        return "不是 .xlsx 工作簿（无法按 zip 包打开）；旧的 .xls 格式请先在 Excel、WPS 或 LibreOffice 中另存为 .xlsx"


def _archive_refusal(archive: zipfile.ZipFile) -> str | None:
    """Return why the zip package is refused: too many parts, too large unpacked, or an XML DTD."""
    parts = archive.infolist()
    if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        return "工作簿解压后过大（部件过多或超过 200 MB），未读取"
    for part in parts:
        if part.filename.endswith((".xml", ".rels", ".vml")) and _has_dtd(archive, part):
            return f"工作簿的部件 {part.filename} 含有 DTD 声明（<!DOCTYPE），可能是恶意文件，未读取"
    return None


def _has_dtd(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> bool:
    """Tell whether an XML part declares a DTD, reading no more than its stated size."""
    with archive.open(part) as stream:
        data = stream.read(part.file_size + 1)
    if len(data) > part.file_size:
        raise zipfile.BadZipFile("part larger than stated")
    return b"<!DOCTYPE" in data.upper()


def _grids(raw: bytes) -> list[Grid]:
    """Load every sheet's values; formula cells give their cached result."""
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        # openpyxl warns of what it would not save (Excel's extensions, shapes); reading saves nothing.
        warnings.simplefilter("ignore", UserWarning)
        book = load_workbook(io.BytesIO(raw), data_only=False, keep_links=False, rich_text=False)
        formulas = {sheet.title: _formula_cells(sheet) for sheet in book.worksheets}
        cached = load_workbook(io.BytesIO(raw), data_only=True, keep_links=False) if any(formulas.values()) else book
    return [_grid(sheet, number, formulas[sheet.title]) for number, sheet in enumerate(cached.worksheets, start=1)]


def _formula_cells(sheet: Worksheet) -> dict[tuple[int, int], str]:
    """Return the formulas of a sheet by (row, column)."""
    return {
        (cell.row, cell.column): str(cell.value)
        for row in sheet.iter_rows(max_row=min(sheet.max_row, MAX_ROWS), max_col=min(sheet.max_column, MAX_COLUMNS))
        for cell in row
        if cell.data_type == "f"
    }


def _grid(sheet: Worksheet, number: int, formulas: dict[tuple[int, int], str]) -> Grid:
    """Return one sheet's values, a formula without a cached result marked as Uncomputed."""
    rows = []
    for row in sheet.iter_rows(max_row=min(sheet.max_row, MAX_ROWS), max_col=min(sheet.max_column, MAX_COLUMNS)):
        rows.append([_value(cell.value, formulas.get((cell.row, cell.column))) for cell in row])
    hidden = [index for index, dimension in sheet.row_dimensions.items() if dimension.hidden]
    merged = [str(cells) for cells in sheet.merged_cells.ranges]
    return Grid(sheet.title, number, rows, sorted(hidden), merged)


def _value(value: Any, formula: str | None) -> Any:
    """Return a cell's value: its cached result for a formula, Uncomputed when there is none."""
    if formula is not None and value is None:
        return Uncomputed(formula)
    return value


def cell_name(grid: Grid, row: int, column: int) -> str:
    """Return a cell's name as a person finds it: 预算收支!B7."""
    from openpyxl.utils import get_column_letter

    return f"{grid.name}!{get_column_letter(column)}{row}"


def sheet_problem(source: SourceMap, grid: Grid, row: int, column: int, message: str, severity: Severity = Severity.ERROR) -> Problem:
    """Build a Problem at a cell that belongs to no field."""
    cell = cell_name(grid, row, column)
    return Problem(source.file, grid.number * _ORDER + row, column, None, message, severity, cell)


def _record(source: SourceMap, grid: Grid, loc: Loc, row: int, column: int) -> None:
    """Record where a place stands (the first record wins: a duplicate is reported, not moved)."""
    if loc not in source.positions:
        source.positions[loc] = (grid.number * _ORDER + row, column)
        source.cells[loc] = cell_name(grid, row, column)  # type: ignore[index]


def _sheet_entries(grid: Grid, source: SourceMap, entries: list[Entry]) -> list[Problem]:
    """Read one sheet's rows into entries; return what could not be read."""
    if grid.name == GUIDE_SHEET or not any(value is not None for row in grid.rows for value in row):
        return []
    if not _is_facts_sheet(grid):
        message = f"工作表「{grid.name}」不是 jixiao 的事实数据表（A1 不是「{HEADER[0]}」），其中的内容没有读取；如有事实数据，请移到对应的工作表"
        return [sheet_problem(source, grid, 1, 1, message, Severity.WARNING)]
    problems = [*_merged_problems(grid, source), *_hidden_problems(grid, source)]
    table: _TableState | None = None
    headings: dict[int, str] = {}
    for row_number, cells in enumerate(grid.rows[1:], start=2):
        first = cell_text(cells[0]) if cells else ""
        if table is not None and not is_path(first):
            problems.extend(table.read(cells, row_number, entries))
            continue
        table = None
        if first == LINE_HEADER:
            headings = {index: cell_text(value) for index, value in enumerate(cells) if index > 0 and cell_text(value)}
        elif first:
            line = _Line(grid, source, cells, row_number)
            table = _label_row(line, headings, entries, problems)
            headings = headings if _is_line_row(first) else {}  # a 栏目 row heads the run of amount rows below it
        elif any(_filled(value) for value in cells[1:2]):
            problems.append(sheet_problem(source, grid, row_number, 2, "这一行填了内容，但 A 列没有字段名，无法知道它属于哪一项；请补上字段名或删去这一行"))
    return problems


def _merged_problems(grid: Grid, source: SourceMap) -> list[Problem]:
    """Refuse cells merged across rows: only the first row of the merge keeps its content."""
    from openpyxl.utils import range_boundaries

    problems = []
    for cells in grid.merged:
        column, row, _, last_row = range_boundaries(cells)
        if last_row == row:
            continue  # merged across columns only: the content stays in its row
        message = f"合并了跨行的单元格 {cells}：合并后只有第一行还有内容，其余行会读不到；请取消合并"
        problems.append(sheet_problem(source, grid, row, column, message))
    return problems


def _hidden_problems(grid: Grid, source: SourceMap) -> list[Problem]:
    """Warn that hidden rows are read like any other."""
    if not grid.hidden:
        return []
    rows = "、".join(str(row) for row in grid.hidden[:10]) + ("……" if len(grid.hidden) > 10 else "")
    message = f"工作表「{grid.name}」有隐藏的行（第 {rows} 行），其中的内容照常读取"
    return [sheet_problem(source, grid, grid.hidden[0], 1, message, Severity.WARNING)]


class _Line(NamedTuple):
    """A row being read: its sheet, where the places go, its cells and its number."""

    grid: Grid
    source: SourceMap
    cells: list[Any]
    row: int


def _label_row(line: _Line, headings: dict[int, str], entries: list[Entry], problems: list[Problem]) -> _TableState | None:
    """Read a row whose column A names a place: a field's value, amounts in columns, a section, or a table's title."""
    grid, source, cells, row = line
    loc = parse_label(cell_text(cells[0]))
    annotation = annotation_at(loc)
    inner = model_form(annotation)
    if is_collection(inner) and is_flat(child_annotation(inner, 0)):
        _record(source, grid, loc, row, 1)
        return _TableState(grid, source, loc, inner, problems)
    # A line that may be one amount alone (年初预算数), with no 栏目 row above: a label/value row, as YAML allows.
    alone = is_model(inner) and is_line(inner) and not headings and short_form(annotation)
    if (is_model(inner) or is_collection(inner)) and not alone:
        _record(source, grid, loc, row, 1)
        if is_model(inner) and always_present(loc):
            # Present even when empty, so each empty required cell is reported where it stands.
            entries.append(_entry(grid, loc, SECTION, row, 1))
        if is_model(inner) and is_line(inner):
            problems.extend(_line_cells(line, loc, inner, headings, entries))
        else:
            message = f"「{loc_text(loc)}」是标题行，这里不填内容；请填在它下面的各行"
            problems.extend(
                sheet_problem(source, grid, row, index + 1, message)
                for index, value in enumerate(cells[1:], start=1)
                if index != 2 and _filled(value)
            )
        return None
    value = cells[1] if len(cells) > 1 else None
    _record(source, grid, loc, row, 2)
    entries.append(_entry(grid, loc, _cell_value(value, annotation), row, 2))
    problems.extend(_beyond_note(line, loc))
    return None


def _beyond_note(line: _Line, loc: Loc) -> list[Problem]:
    """Report what is typed right of the 说明 column of a label/value row: no field takes it."""
    message = f"「{loc_text(loc)}」这一行只有 B 列是填写的值，这一格的内容不会读取；请填在 B 列或删去"
    return [
        sheet_problem(line.source, line.grid, line.row, index + 1, message)
        for index, value in enumerate(line.cells[3:], start=3)
        if _filled(value)
    ]


def _is_line_row(label: str) -> bool:
    """Tell whether a column-A label names amounts laid out in columns."""
    inner = model_form(annotation_at(parse_label(label)))
    return is_model(inner) and is_line(inner)


def _line_cells(line: _Line, loc: Loc, model: Any, headings: dict[int, str], entries: list[Entry]) -> list[Problem]:
    """Read a row of amounts by the 栏目 heading row above it; a filled cell under a foreign heading is reported."""
    grid, source, cells, row = line

    columns = {column.header: column for column in table_columns(loc, model)}
    problems = []
    for index, value in enumerate(cells[1:], start=1):
        column = columns.get(headings.get(index, ""))
        if column is None:
            if _filled(value) and headings.get(index) != HEADER[2]:
                message = f"「{loc_text(loc)}」这一格上方的栏目不是它的栏目（{'、'.join(columns)}），无法知道内容属于哪一栏"
                problems.append(sheet_problem(source, grid, row, index + 1, message))
            continue
        place = (*loc, *parse_label(column.header))
        _record(source, grid, place, row, index + 1)
        entries.append(_entry(grid, place, _cell_value(value, column.annotation), row, index + 1))
    return problems


class _TableState:
    """The table being read: its heading row first, then one item per filled row."""

    def __init__(self, grid: Grid, source: SourceMap, loc: Loc, annotation: Any, problems: list[Problem]):
        self.grid, self.source, self.loc, self.problems = grid, source, loc, problems
        self.is_list = typing.get_origin(annotation) is list
        self.item = model_form(child_annotation(annotation, 0))
        self.short = short_form(child_annotation(annotation, 0))
        self.columns = {column.header: column for column in table_columns(loc, self.item)}
        self.headings: dict[int, str] | None = None
        self.count = 0

    def read(self, cells: list[Any], row: int, entries: list[Entry]) -> list[Problem]:
        """Read the table's next row: its heading row, or an item."""
        if self.headings is None:
            return self._heading(cells, row)
        if not any(_filled(value) for value in cells[1:]) and (self.is_list or not _filled(cells[0] if cells else None)):
            return []
        return self._item(cells, row, entries)

    def _heading(self, cells: list[Any], row: int) -> list[Problem]:
        """Read the heading row: which column holds which field (columns may be moved or added)."""
        self.headings = {index: self._heading_of(cell_text(value)) for index, value in enumerate(cells) if index > 0 and cell_text(value)}
        unknown = [text for text in self.headings.values() if text not in self.columns]
        if unknown:
            known = "、".join(self.columns)
            message = f"表格「{loc_text(self.loc)}」的表头有未知的列「{'、'.join(unknown)}」；这个表格的列是：{known}"
            return [sheet_problem(self.source, self.grid, row, 1, message)]
        return []

    def _heading_of(self, text: str) -> str:
        """Return the column a heading names; a table of items that were values alone (headed by the
        list's own name, as a workbook made before the items grew fields has it) reads it as the first column."""
        if self.short and text == str(self.loc[-1]) and text not in self.columns:
            return next(iter(self.columns))
        return text

    def _item(self, cells: list[Any], row: int, entries: list[Entry]) -> list[Problem]:
        """Read one item row into entries, placed at (table, index or name, column)."""
        key: str | int = self.count if self.is_list else cell_text(cells[0])
        if key == "":
            return [sheet_problem(self.source, self.grid, row, 1, f"表格「{loc_text(self.loc)}」这一行填了内容，但没有填名称（A 列）")]
        self.count += 1
        item_loc = (*self.loc, key)
        if item_loc in self.source.positions:
            first = self.source.cells[item_loc]  # type: ignore[index]
            return [sheet_problem(self.source, self.grid, row, 1, f"表格「{loc_text(self.loc)}」中名称「{key}」重复（{first} 已经写过）")]
        if is_model(self.item):
            _record(self.source, self.grid, item_loc, row, 1)
        return self._item_cells(cells, row, item_loc, entries)

    def _item_cells(self, cells: list[Any], row: int, item_loc: Loc, entries: list[Entry]) -> list[Problem]:
        """Read an item's cells by their headings; a filled cell under no heading is reported."""
        problems: list[Problem] = []
        found: list[Entry] = []
        for index, value in enumerate(cells[1:], start=1):
            heading = self.headings.get(index) if self.headings else None
            if heading is None:
                if _filled(value):
                    message = f"表格「{loc_text(self.loc)}」这一列没有表头，无法知道内容属于哪一项"
                    problems.append(sheet_problem(self.source, self.grid, row, index + 1, message))
                continue
            column = self.columns.get(heading)
            if column is None:
                continue
            loc = (*item_loc, *parse_label(heading)) if is_model(self.item) else item_loc
            _record(self.source, self.grid, loc, row, index + 1)
            found.append(_entry(self.grid, loc, _cell_value(value, column.annotation), row, index + 1))
        entries.extend(self._short(found, item_loc))
        return problems

    def _short(self, found: list[Entry], item_loc: Loc) -> list[Entry]:
        """Give an item that may be a value alone, and has only its first column filled, as that value."""
        filled = [entry for entry in found if entry.value is not None]
        first = next(iter(self.columns))
        if self.short and len(filled) == 1 and filled[0].loc[-1] == first:
            return [filled[0]._replace(loc=item_loc)]
        return found


def _cell_value(value: Any, annotation: Any) -> Any:
    """Return a cell's plain value for its field, keeping an Uncomputed formula for _build to report."""
    return value if isinstance(value, Uncomputed) else from_cell(value, annotation)


def cell_text(value: Any) -> str:
    """Return a cell's text, stripped; empty for an empty cell."""
    return "" if value is None or isinstance(value, Uncomputed) else str(value).strip()


def _filled(value: Any) -> bool:
    """Tell whether a cell holds anything."""
    return value is not None and (not isinstance(value, str) or value.strip() != "")


def is_path(text: str) -> bool:
    """Tell whether a column-A text names a place of the facts (rather than an item of a table)."""
    return bool(text) and str(parse_label(text)[0]) in top_keys()


def _build(entries: list[Entry], source: SourceMap) -> tuple[dict[str, Any], list[Problem]]:
    """Assemble the entries into nested plain data; report duplicates, formulas without results and clashes."""
    data: dict[Any, Any] = {}
    seen: dict[Loc, Entry] = {}
    problems = []
    for entry in entries:
        problem = _entry_problem(entry, seen, source)
        if problem is not None:
            problems.append(problem)
        elif entry.value is not None and not _insert(data, entry.loc, entry.value):
            problems.append(_at(source, entry, "这一项与上面的字段冲突（同一位置既有值又有下级字段），无法读取"))
    return _as_lists(data), problems


def _entry_problem(entry: Entry, seen: dict[Loc, Entry], source: SourceMap) -> Problem | None:
    """Return what is wrong with an entry itself: a repeated place, or a formula without a result."""
    if entry.loc in seen:
        return _at(source, entry, f"重复的字段（{source.cells[entry.loc]} 已经写过）")  # type: ignore[index]
    seen[entry.loc] = entry
    if isinstance(entry.value, Uncomputed):
        message = f"单元格中是公式「={entry.value.formula.lstrip('=')}」，但文件里没有保存计算结果：请在 Excel 或 WPS 中打开并保存一次，或直接填写数值"
        return _at(source, entry, message)
    return None


def _at(source: SourceMap, entry: Entry, message: str) -> Problem:
    """Build a Problem at an entry's own cell."""
    return source.problem(entry.loc, message)._replace(line=entry.order, column=entry.column, cell=entry.cell)


def _insert(data: dict[Any, Any], loc: Loc, value: Any) -> bool:
    """Put a value at a place of nested dicts (list indices as int keys); False if the place is taken by a value."""
    for part in loc[:-1]:
        child = data.setdefault(part, {})
        if not isinstance(child, dict):
            return False
        data = child
    if value is SECTION:
        return isinstance(data.setdefault(loc[-1], {}), dict)
    if isinstance(data.get(loc[-1]), dict):
        return False
    data[loc[-1]] = value
    return True


def _as_lists(data: Any) -> Any:
    """Turn dicts keyed by list indices into lists, in index order."""
    if not isinstance(data, dict):
        return data
    if data and all(isinstance(key, int) for key in data):
        return [_as_lists(data[key]) for key in sorted(data)]
    return {key: _as_lists(value) for key, value in data.items()}
