"""Measures (测算指标): the rates a scoring rule reads, as small formulas over the named figures.

A measure's 表达式 is arithmetic only — numbers, figure names, + - * / and parentheses —
parsed with Python's `ast` and evaluated in Decimal by walking the tree; nothing is
passed to eval. A formula that cannot be computed raises a MeasureError naming the
missing figures or the divisor that is zero, so scoring can say what to fill in.
"""

from __future__ import annotations

import ast
import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from jixiao.yamlsource import number_problem

# Full-width forms people type in Chinese text, read as their ASCII operators.
_FULL_WIDTH = str.maketrans({"（": "(", "）": ")", "×": "*", "÷": "/", "－": "-", "＋": "+", "\u3000": " "})
_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_SHOWN = {"+": " + ", "-": " - ", "*": " × ", "/": " ÷ "}
_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}
_ATOM = 3
_HUNDRED = Decimal(100)
# A measure is a rate over a few figures; these bound what a hostile file can make the parser and
# the evaluator (both recursive) do: a 5,000-term sum would exceed Python's recursion limit.
MAX_FORMULA_CHARS = 500
MAX_FORMULA_DEPTH = 50
# A number as written: digits, an optional fraction and exponent (read as Decimal from this text).
# Compiled on first use (re caches it): a render whose table comes from the cache parses no formula.
_NUMBER = r"(\d[\d_]*\.?\d*|\.\d+)([eE][-+]?\d+)?"


class Number(NamedTuple):
    """A number written in the expression, kept as its text."""

    value: Decimal
    text: str


class Name(NamedTuple):
    """A named figure read from the facts (see `figures.FIGURES`)."""

    name: str


class Operation(NamedTuple):
    """A binary operation: one of + - * /."""

    op: str
    left: Expression
    right: Expression


class Negation(NamedTuple):
    """A unary minus."""

    operand: Expression


Expression = Number | Name | Operation | Negation


class ExpressionError(ValueError):
    """An expression that is not plain arithmetic over names; the message is Chinese."""


class MeasureError(Exception):
    """A measure that cannot be computed from the facts at hand."""


class MissingFigures(MeasureError):
    """The facts do not hold some figures the expression reads."""

    def __init__(self, names: tuple[str, ...]):
        super().__init__("、".join(names))
        self.names = names


class ZeroDivisor(MeasureError):
    """The expression divides by something that is zero; `dividend` is what it divided (0/0 when it is 0 too)."""

    def __init__(self, divisor: Expression, dividend: Decimal):
        super().__init__(str(divisor))
        self.divisor = divisor
        self.dividend = dividend


class Measure(NamedTuple):
    """A measure defined in the indicator file: its displayed formula and how to compute it."""

    name: str
    formula: str
    expression: Expression | None
    unit: str = "%"


class Reading(NamedTuple):
    """A computed measure: its value and the arithmetic shown with the figures read."""

    value: Decimal
    shown: str


def parse_expression(text: str) -> Expression:
    """Parse an arithmetic expression over names; raise ExpressionError in Chinese."""
    source = text.translate(_FULL_WIDTH).strip()
    if len(source) > MAX_FORMULA_CHARS:
        raise ExpressionError(f"表达式太长（{len(source):,} 个字符，最多 {MAX_FORMULA_CHARS:,} 个）")
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # ValueError: a NUL; the others: nesting
        raise ExpressionError(f"表达式「{text}」写法有误：只能用数据名称、数字、+ - * / 和括号") from None
    return _convert(tree.body, source, 0)


def _convert(node: ast.AST, source: str, depth: int) -> Expression:
    """Turn an allowed ast node into an Expression; refuse everything else, and nesting beyond MAX_FORMULA_DEPTH."""
    if depth > MAX_FORMULA_DEPTH:
        raise ExpressionError(f"表达式嵌套太深（超过 {MAX_FORMULA_DEPTH} 层运算或括号）；请拆成几个测算指标")
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        left, right = _convert(node.left, source, depth + 1), _convert(node.right, source, depth + 1)
        if isinstance(node.op, ast.Div) and isinstance(right, Number) and right.value == 0:
            raise ExpressionError(f"表达式「{ast.get_source_segment(source, node)}」除以 0")
        return Operation(_OPERATORS[type(node.op)], left, right)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        operand = _convert(node.operand, source, depth + 1)
        return Negation(operand) if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.Name):
        return Name(node.id)
    piece = ast.get_source_segment(source, node) or ""
    if isinstance(node, ast.Constant) and re.fullmatch(_NUMBER, piece):
        return _number(piece)
    raise ExpressionError(f"表达式只能用数据名称、数字、+ - * / 和括号，不能用「{piece}」")


def _number(text: str) -> Number:
    """Read a number from its own text (never through float)."""
    try:
        value = Decimal(text.replace("_", ""))
    except InvalidOperation:
        raise ExpressionError(f"「{text}」不是数字") from None
    problem = number_problem(value)
    if problem is not None:
        raise ExpressionError(f"「{text}」{problem}")
    return Number(value, text)


def names(expression: Expression) -> list[str]:
    """Return the figure names an expression reads, in order of first use."""
    if isinstance(expression, Name):
        return [expression.name]
    if isinstance(expression, Operation):
        return list(dict.fromkeys(names(expression.left) + names(expression.right)))
    if isinstance(expression, Negation):
        return names(expression.operand)
    return []


def evaluate(expression: Expression, values: dict[str, Decimal]) -> Decimal:
    """Compute an expression in Decimal; raise MissingFigures or ZeroDivisor."""
    missing = tuple(name for name in names(expression) if name not in values)
    if missing:
        raise MissingFigures(missing)
    return _value(expression, values)


def _value(expression: Expression, values: dict[str, Decimal]) -> Decimal:
    """Walk the tree and compute it."""
    if isinstance(expression, Number):
        return expression.value
    if isinstance(expression, Name):
        return values[expression.name]
    if isinstance(expression, Negation):
        return -_value(expression.operand, values)
    left, right = _value(expression.left, values), _value(expression.right, values)
    if expression.op == "/" and right == 0:
        raise ZeroDivisor(expression.right, left)
    return _apply(expression.op, left, right)


def _apply(op: str, left: Decimal, right: Decimal) -> Decimal:
    """Apply one arithmetic operator."""
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    return left / right


def read(measure: Measure, values: dict[str, Decimal]) -> Reading:
    """Compute a measure and show its arithmetic with the figures read.

    Raises MissingFigures (with no names when the measure has no 表达式 and so must be
    given directly) or ZeroDivisor.
    """
    if measure.expression is None:
        raise MissingFigures(())
    return Reading(evaluate(measure.expression, values), show(measure.expression, values, measure.unit))


def show(expression: Expression, values: dict[str, Decimal], unit: str = "%") -> str:
    """Write an expression for people: 「在职人员数 64 ÷ 编制数 70 × 100%」."""
    if unit == "%" and isinstance(expression, Operation) and _times_hundred(expression):
        return f"{_shown(expression.left, values, _PRECEDENCE['*'])} × 100%"
    return _shown(expression, values, 0)


def _times_hundred(expression: Operation) -> bool:
    """Tell whether an operation is `… × 100`, which shows as a percentage."""
    return expression.op == "*" and isinstance(expression.right, Number) and expression.right.value == _HUNDRED


def _shown(expression: Expression, values: dict[str, Decimal], needed: int) -> str:
    """Write a subexpression, in full-width parentheses when it binds looser than `needed`."""
    text = _text(expression, values)
    return f"（{text}）" if _binding(expression) < needed else text


def _text(expression: Expression, values: dict[str, Decimal]) -> str:
    """Write one node with the values read for its names."""
    if isinstance(expression, Number):
        return expression.text
    if isinstance(expression, Name):
        value = values.get(expression.name)
        return expression.name if value is None else f"{expression.name} {value:f}"
    if isinstance(expression, Negation):
        return "-" + _shown(expression.operand, values, _ATOM)
    level = _PRECEDENCE[expression.op]
    # The right side of - and ÷ needs parentheses even at the same level: a - (b - c).
    right_level = level + 1 if expression.op in "-/" else level
    left = _shown(expression.left, values, level)
    return left + _SHOWN[expression.op] + _shown(expression.right, values, right_level)


def _binding(expression: Expression) -> int:
    """Return how tightly a node binds: atoms tightest."""
    return _PRECEDENCE[expression.op] if isinstance(expression, Operation) else _ATOM
