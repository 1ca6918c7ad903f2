"""Update a facts workbook in place: only the cells of the facts that change are written.

`jixiao import … --into 2022.xlsx` keeps what the officer made of the workbook: fills, column
widths, comments, extra sheets, data validation, frozen panes, protection and formulas. The
workbook is opened with openpyxl (formulas kept as formulas), each changed fact is written
into the cell the reader found it at (the source map's sheet!cell, found by the column-A
labels), a new list item into the first empty row under its table's last item (styled and
validated like the row above it), a field the workbook has no row for (a workbook made
before the field existed) into a row added at the end of its sheet as the writer lays it
out, and the result is read back to prove it holds exactly the
new facts before it replaces the old file. A value with no cell and no row to take it is
refused, naming the field, and nothing is written.
"""

from __future__ import annotations

import copy
import io
import os
import tempfile
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell

from jixiao.errors import OutputError, Problem
from jixiao.importfacts import value_at
from jixiao.validation import model_form
from jixiao.workbook import Columns as WorkbookColumns
from jixiao.workbook import Field as WorkbookField
from jixiao.workbook import annotation_at, is_collection, parse_label, sheet_plan, sheet_rows, to_cell
from jixiao.workbookcache import Results, lost_content, result_text, with_results
from jixiao.workbookread import cell_text, checked_bytes, is_path, read_workbook
from jixiao.workbookwrite import write_columns, write_field
from jixiao.yamlsource import Loc, SourceMap, field_label

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

_KEEP_CHANGES = "工作簿未改动"


class Place(NamedTuple):
    """A cell of the workbook: sheet title, row and column (1-based)."""

    sheet: str
    row: int
    column: int


class Table(NamedTuple):
    """A table of the workbook: where its title row is, its columns by heading, and its empty rows for new items."""

    loc: Loc
    sheet: str
    columns: dict[Loc, int]
    keyed_by_number: bool
    free: list[int]
    open_end: bool  # the table ends its sheet: rows may be added below it


def updated_workbook(path: Path, source: SourceMap, before: dict[str, Any], after: dict[str, Any]) -> bytes:
    """Return the workbook at `path` with the facts that differ between `before` and `after` written into their cells."""
    raw, problems = checked_bytes(path)
    if raw is None:
        raise OutputError(problems)
    with warnings.catch_warnings(record=True) as dropped:
        warnings.simplefilter("always")
        book = load_workbook(io.BytesIO(raw), keep_links=True, rich_text=True)
    writer = _Writer(book, source, after, str(path))
    for loc, value in changed_leaves(before, after):
        writer.put(loc, value)
    writer.finish()
    if writer.problems:
        raise OutputError(writer.problems)
    results = _formula_results(book, source, after)
    buffer = io.BytesIO()
    book.save(buffer)
    content = with_results(buffer.getvalue(), results)
    _keeps_everything(path, raw, content, [str(warning.message) for warning in dropped if _from_openpyxl(warning)])
    _prove(path, content, after)
    return content


def _from_openpyxl(warning: warnings.WarningMessage) -> bool:
    """Tell whether a warning is openpyxl's (it warns of what it will not save; other libraries' warnings mean nothing here)."""
    return issubclass(warning.category, UserWarning) and f"openpyxl{os.sep}" in warning.filename


def _keeps_everything(path: Path, raw: bytes, content: bytes, warned: list[str]) -> None:
    """Refuse an update that would lose content openpyxl cannot carry over (it warns, or a kind of part disappears)."""
    lost = [*lost_content(raw, content), *(f"openpyxl：{message}" for message in dict.fromkeys(warned))]
    if lost:
        message = (
            f"工作簿中有改写时无法保留的内容（{'；'.join(lost)}），为免丢失，{_KEEP_CHANGES}；"
            f"请改为导入到 YAML 文件（jixiao convert {path.name} {path.stem}.yaml，导入后再转换回来），或去掉这些内容后再导入"
        )
        raise OutputError([Problem(str(path), None, None, None, message)])


def _formula_results(book: Workbook, source: SourceMap, after: dict[str, Any]) -> Results:
    """Return the results of the formulas in fact cells, as read before (openpyxl saves formulas without them)."""
    results: Results = {}
    for loc, name in (source.cells or {}).items():
        place = _place(name)
        cell = book[place.sheet].cell(place.row, place.column)
        value = value_at(after, loc)
        if cell.data_type == "f" and result_text(value) is not None:
            results.setdefault(place.sheet, {})[cell.coordinate] = value
    return results


def changed_leaves(before: Any, after: Any) -> list[tuple[Loc, Any]]:
    """Return (place, value) of every value of `after` that `before` lacks or holds differently."""
    old = dict(_leaves(before))
    return [(loc, value) for loc, value in _leaves(after) if loc not in old or old[loc] != value]


def _leaves(value: Any, loc: Loc = ()) -> list[tuple[Loc, Any]]:
    """Return (place, value) of every value of plain data (a list of values, such as 评价要点, is one value)."""
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in _leaves(item, (*loc, key))]
    if isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
        return [leaf for index, item in enumerate(value) for leaf in _leaves(item, (*loc, index))]
    return [(loc, value)]


class _Writer:
    """Writes values into a loaded workbook at the places the reader recorded, collecting what has none."""

    def __init__(self, book: Workbook, source: SourceMap, after: dict[str, Any], file: str):
        self.book, self.source, self.after, self.file = book, source, after, file
        self.tables: dict[Loc, Table] = {}
        self.rows: dict[Loc, int | None] = {}
        self.appended: list[tuple[Loc, Any]] = []
        self.problems: list[Problem] = []

    def put(self, loc: Loc, value: Any) -> None:
        """Write one value into its cell or into a new row of its table; a field with neither is added at the end."""
        place = self._recorded(loc)
        if place is None and self._table(loc) is None:
            self.appended.append((loc, value))
            return
        place = place or self._in_table(loc)
        cell = None if place is None else self.book[place.sheet].cell(place.row, place.column)
        if isinstance(cell, MergedCell):
            self._refuse(loc, f"单元格 {place.sheet}!{cell.coordinate} 在合并的单元格中，无法填入；请取消合并后再导入")
        elif cell is not None:
            cell.value = to_cell(value)

    def finish(self) -> None:
        """Add the rows of fields the workbook lacks (after the tables have taken their rows), as the writer lays them out."""
        added: set[Loc] = set()
        for loc, _ in self.appended:
            found = _writer_row(loc)
            title = self._sheet_for(loc, found[0] if found else None)
            if found is None or title is None:
                self._refuse(loc, f"工作簿中没有「{field_label(loc)}」这一项的单元格，也无法为它单独加一行（它是表格的一部分），无法填入")
            elif found[1].loc not in added:
                added.add(found[1].loc)
                self._add_row(self.book[title], found[1])

    def _add_row(self, sheet: Worksheet, row: WorkbookField | WorkbookColumns) -> None:
        """Add a field's row (a line of amounts under its own 栏目 heading row) at the end of a sheet, filled from the new facts."""
        if isinstance(row, WorkbookField):
            write_field(sheet, row._replace(value=value_at(self.after, row.loc)))
        else:
            values = [value_at(self.after, (*row.loc, *parse_label(column.header))) for column in row.columns]
            write_columns(sheet, row._replace(values=values), ())

    def _sheet_for(self, loc: Loc, planned: str | None) -> str | None:
        """Return the sheet a new field row goes to: that of its nearest recorded part, else the one the writer plans."""
        for end in range(len(loc) - 1, 0, -1):
            recorded = self._recorded(loc[:end])
            if recorded is not None:
                return recorded.sheet
        return planned if planned in self.book.sheetnames else None

    def _recorded(self, loc: Loc) -> Place | None:
        """Return the cell the reader found a place at, if any."""
        name = (self.source.cells or {}).get(loc)
        return None if name is None else _place(name)

    def _in_table(self, loc: Loc) -> Place | None:
        """Return the cell of a value of a list item, taking an empty row under the table for a new item."""
        table = self._table(loc)
        assert table is not None  # put() calls this for places in a table only
        key, rest = loc[len(table.loc)], loc[len(table.loc) + 1 :]
        column = table.columns.get(rest) or (table.columns.get(()) if not rest else None)
        if column is None:
            return self._refuse(loc, f"工作簿中表格「{field_label(table.loc)}」没有「{field_label(rest)}」一列，无法填入；请在表头加上这一列后再导入")
        row = self._item_row(table, key)
        return None if row is None else Place(table.sheet, row, column)

    def _item_row(self, table: Table, key: Any) -> int | None:
        """Return the row of a table's item: where it stands, or (a new item) the next empty row, made like the one above."""
        item_loc = (*table.loc, key)
        recorded = self._recorded(item_loc)
        if recorded is not None:
            return recorded.row
        if item_loc not in self.rows:
            self.rows[item_loc] = self._new_row(table, item_loc)
        return self.rows[item_loc]

    def _new_row(self, table: Table, item_loc: Loc) -> int | None:
        """Take the table's next empty row for a new item, made like the row above and numbered; None (noted) if there is none."""
        if not table.free and table.open_end:
            table.free.append(self.book[table.sheet].max_row + 1)
        if not table.free:
            name = _item_name(self.after, item_loc)
            self._refuse(item_loc, f"工作簿中表格「{field_label(table.loc)}」的最后一项下面没有空行，无法添加新的一项{name}；请在这个表格下面插入一个空行后再导入")
            return None
        row, key = table.free.pop(0), item_loc[-1]
        sheet = self.book[table.sheet]
        _copy_row_style(sheet, row, max(table.columns.values()))
        if isinstance(key, str):
            sheet.cell(row, 1).value = key
        elif table.keyed_by_number and sheet.cell(row, 1).value is None:
            sheet.cell(row, 1).value = key + 1
        return row

    def _table(self, loc: Loc) -> Table | None:
        """Return the table a place stands in (the nearest list or mapping the reader recorded a row for), or None."""
        for end in range(len(loc) - 1, 0, -1):
            prefix = loc[:end]
            if prefix in (self.source.cells or {}) and is_collection(model_form(annotation_at(prefix))):
                if prefix not in self.tables:
                    self.tables[prefix] = _read_table(self.book, prefix, self._recorded(prefix))  # type: ignore[arg-type]
                return self.tables[prefix]
        return None

    def _refuse(self, loc: Loc, reason: str) -> None:
        """Note a value that cannot be written."""
        self.problems.append(Problem(self.file, None, None, field_label(loc), f"{reason}（{_KEEP_CHANGES}）"))


def _writer_row(loc: Loc) -> tuple[str, WorkbookField | WorkbookColumns] | None:
    """Return the sheet and the row the workbook writer lays a place out in (a field, or a line of amounts), or None."""
    for name, locs in sheet_plan():
        for row in sheet_rows(locs, {}):
            if isinstance(row, WorkbookField) and row.loc == loc:
                return name, row
            if isinstance(row, WorkbookColumns) and any((*row.loc, *parse_label(column.header)) == loc for column in row.columns):
                return name, row
    return None


def _place(name: str) -> Place:
    """Return the place of a cell name such as 预算收支!B7."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    sheet, coordinate = name.rsplit("!", 1)
    letters, row = coordinate_from_string(coordinate)
    return Place(sheet, row, column_index_from_string(letters))


def _read_table(book: Workbook, loc: Loc, title: Place) -> Table:
    """Read a table's heading row (under its title row) and find the empty rows after its last item."""
    sheet = book[title.sheet]
    heading = title.row + 1
    columns = {}
    for column in range(2, sheet.max_column + 1):
        text = cell_text(sheet.cell(heading, column).value)
        if text:
            columns[parse_label(text)] = column
    rows = _table_rows(sheet, heading, list(columns.values()))
    filled = [row for row, is_filled in rows if is_filled]
    free = [row for row, is_filled in rows if not is_filled and row > max(filled, default=heading)]
    open_end = not rows or rows[-1][0] == sheet.max_row
    return Table(loc, title.sheet, columns, cell_text(sheet.cell(heading, 1).value) == "序号", free, open_end)


def _table_rows(sheet: Worksheet, heading: int, columns: list[int]) -> list[tuple[int, bool]]:
    """Return (row, whether filled) for each row of a table, from under its heading to the next label in column A."""
    rows = []
    for row in range(heading + 1, sheet.max_row + 1):
        if is_path(cell_text(sheet.cell(row, 1).value)):
            break
        rows.append((row, any(cell_text(sheet.cell(row, column).value) for column in columns)))
    return rows


def _copy_row_style(sheet: Worksheet, row: int, last_column: int) -> None:
    """Give a row taken for a new item the style, protection and data validation of the row above, where it has none."""
    for column in range(1, last_column + 1):
        above, cell = sheet.cell(row - 1, column), sheet.cell(row, column)
        if cell.has_style or not above.has_style:
            continue
        cell._style = copy.copy(above._style)
        for validation in sheet.data_validations.dataValidation:
            if above.coordinate in validation.sqref:
                validation.add(cell)


def _item_name(data: Any, item_loc: Loc) -> str:
    """Name a new list item for a message: 「一般公共预算财政拨款收入」 by its 名称, else nothing."""
    item = value_at(data, item_loc)
    name = item.get("名称") if isinstance(item, dict) else None
    return f"「{name}」" if name else ""


def _prove(path: Path, content: bytes, expected: dict[str, Any]) -> None:
    """Refuse the updated workbook unless reading it back gives exactly the expected facts."""
    with tempfile.TemporaryDirectory(prefix="jixiao-import-") as folder:
        check = Path(folder) / "check.xlsx"
        check.write_bytes(content)
        again = read_workbook(check)
    if again.data != expected or any(problem.is_error for problem in again.problems):
        message = f"导入后的工作簿读回来与应填入的内容不一致（其中可能有程序不认识的内容）；请先改正 jixiao check 报告的问题；{_KEEP_CHANGES}"
        raise OutputError([Problem(str(path), None, None, None, message)])
