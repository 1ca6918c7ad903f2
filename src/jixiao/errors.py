"""One family of errors, each carrying every problem found, reported once at the CLI boundary."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import NamedTuple


class Severity(StrEnum):
    """How bad a finding is: errors stop rendering, warnings only with --strict, notes never."""

    ERROR = "错误"
    WARNING = "警告"
    NOTE = "说明"


class Problem(NamedTuple):
    """One finding about an input file, placed as precisely as we know.

    `line` and `column` are 1-based; None when the place is not a line (a missing file).
    `field` is the path in the user's own key names, e.g. "预算 › 收入 › 合计".
    `cell` names the place in a workbook, e.g. "预算收支!B7"; it is shown instead of the line
    and column, which then only order the problems (sheet by sheet, row by row).
    """

    file: str | None
    line: int | None
    column: int | None
    field: str | None
    message: str
    severity: Severity = Severity.ERROR
    cell: str | None = None

    def __str__(self) -> str:
        place = self.file or ""
        if self.cell is not None:
            place += f" {self.cell}"
        elif self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        where = f"字段「{self.field}」：" if self.field else ""
        prefix = f"{place}: " if place else ""
        return f"{prefix}{self.severity}：{where}{self.message}"

    @property
    def is_error(self) -> bool:
        """Tell whether this finding stops rendering."""
        return self.severity is Severity.ERROR


class ReportError(Exception):
    """Base of every error jixiao reports to a person: carries all problems found in one run."""

    kind = "输入文件"

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class FactsError(ReportError):
    """The facts file cannot be read or is not valid."""

    kind = "事实数据文件"


class IndicatorError(ReportError):
    """The indicator system file cannot be read or is not valid."""

    kind = "指标体系文件"


class TemplateError(ReportError):
    """A report template is missing, broken or names something that does not exist."""

    kind = "报告模板"


class OutputError(ReportError):
    """The output file cannot or must not be written."""

    kind = "输出文件"


class EditedDocumentError(ReportError):
    """The edited Word document to merge into or compare cannot be read, or has lost jixiao's record."""

    kind = "编辑过的文档"


def file_order(problem: Problem) -> tuple[int, int]:
    """Sort problems as they stand in the file; unplaced ones first."""
    return problem.line or 0, problem.column or 0


def only_errors(problems: Iterable[Problem]) -> list[Problem]:
    """Return the problems that stop rendering."""
    return [p for p in problems if p.is_error]
