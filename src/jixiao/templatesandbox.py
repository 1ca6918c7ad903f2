"""The sandbox report templates run in: they read the report's data and nothing else, in bounded time and size.

A template folder is shared between offices (a county's folder used by its townships), so
a template is untrusted input. Jinja's ImmutableSandboxedEnvironment refuses Python's
internals (`''.__class__`, `cycler.__init__.__globals__`) and changes to lists and dicts;
on top of it every way a short template can ask for a lot of work or memory is bounded:
`range`, repeating or joining text, printf and str.format widths, filter arguments,
and the whole render is held to MAX_SECONDS and MAX_OUTPUT_CHARS. The checks need no
thread or signal: the clock is read at each call, attribute, item, loop step and output piece.
"""

from __future__ import annotations

import inspect
import os
import posixpath
import re
import time
from collections.abc import Callable, Iterator
from functools import wraps
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, TemplateNotFound, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.filters import FILTERS as JINJA_FILTERS
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError, modifies_known_mutable
from jinja2.utils import _PassArg

from jixiao.inputfile import Unreadable, read_limited

MAX_SECONDS = 10.0  # The bundled report renders in about 5 ms.
MAX_OUTPUT_CHARS = 2_000_000  # The bundled report is about 40,000 characters.
MAX_VALUE_CHARS = MAX_OUTPUT_CHARS  # Largest text or list one expression may build.
MAX_RANGE = 10_000  # Items one range() may give.
MAX_EXPONENT = 1_000
MAX_POWER_BITS = 1_000_000  # An integer power's size: 10 ** 1000 ** 1000 would take hours.
# A printf or str.format width of six digits or more asks for a megabyte of spaces (a pattern
# compiled on first use, re caches it: templates seldom format).
_WIDE_FORMAT = r"\d{6,}"


class Refused(SecurityError):
    """Something a template may not do; the message is Chinese and says what was refused.

    `place` is the template file and line, when the render was paused there (not on the stack).
    """

    def __init__(self, message: str, pieces: Any = None):
        super().__init__(message)
        self.place = suspended_place(pieces)


class ReportSandbox(ImmutableSandboxedEnvironment):
    """The report's Jinja environment: sandboxed, and bounded in time, output and value size."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class: type[CodeGenerator]  # BoundedCodeGenerator, set below its definition

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = self.bounded_range
        del self.globals["lipsum"]  # Sample text: no report needs it, and its size is a parameter.
        self.filters.update({name: _guarded(f) for name, f in JINJA_FILTERS.items() if name in self.filters})
        self.deadline = float("inf")

    def generate_bounded(self, template: Any, context: Any) -> Iterator[str]:
        """Yield the template's output pieces, refusing output beyond MAX_OUTPUT_CHARS or MAX_SECONDS."""
        self.deadline = time.monotonic() + MAX_SECONDS
        size = 0
        pieces = template.generate(context)
        for piece in pieces:
            size += len(piece)
            if size > MAX_OUTPUT_CHARS:
                raise Refused(f"模板输出超过 {MAX_OUTPUT_CHARS:,} 个字符，已停止（可能是循环次数过多）", pieces)
            self.tick(pieces)
            yield piece

    def tick(self, pieces: Any = None) -> None:
        """Refuse to go on once the render has run for MAX_SECONDS (`pieces`: the paused render, if any)."""
        if time.monotonic() > self.deadline:
            raise Refused(f"模板运行超过 {MAX_SECONDS:g} 秒，已停止（可能是循环次数过多或无限递归）", pieces)

    def bounded_range(self, *args: int) -> Iterator[int]:
        """range() for templates: at most MAX_RANGE items, the clock read at each."""
        numbers = range(*args)
        if len(numbers) > MAX_RANGE:
            raise Refused(f"range() 最多给出 {MAX_RANGE:,} 个数，这里要 {len(numbers):,} 个")
        for number in numbers:
            self.tick()
            yield number

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Call something from a template, within the clock and the size bounds."""
        __self.tick()
        if not __self.is_safe_callable(__obj):
            raise Refused(f"模板不能调用「{getattr(__obj, '__name__', type(__obj).__name__)}」")
        if getattr(__obj, "__func__", None) is not ReportSandbox.bounded_range:  # It says so itself.
            _check_arguments(getattr(__obj, "__self__", None), args, kwargs)
        return __context.call(__obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Read an attribute from a template, within the clock."""
        self.tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """Read an item from a template, within the clock."""
        self.tick()
        return super().getitem(obj, argument)

    def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
        """Refuse an attribute in Chinese: Python internals, or a method that changes data."""
        if modifies_known_mutable(obj, attribute):
            message = f"模板不能修改数据（「{attribute}」会改动列表、字典或集合）"
        else:
            message = f"模板不能访问 Python 内部属性「{attribute}」（模板只能读取报告数据）"
        return self.undefined(message, name=attribute, obj=obj, exc=Refused)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Sandbox str.format as Jinja does, refusing widths that ask for megabytes."""
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_format(value.__self__)
        return wrapped

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        """Apply * ** + % with their results bounded."""
        self.tick()
        _BINOP_CHECKS[operator_name](left, right)
        return self.binop_table[operator_name](left, right)

    def concatenate(self, parts: tuple[Any, ...]) -> str:
        """Join the operands of ~ into one text, refusing a result beyond MAX_VALUE_CHARS."""
        texts = [str(part) for part in parts]
        _check_size(sum(map(len, texts)))
        return "".join(texts)


class BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with ~ going through `ReportSandbox.concatenate` so its result is bounded."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.concatenate((")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write("))")


ReportSandbox.code_generator_class = BoundedCodeGenerator


def _guarded(function: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a Jinja filter so its arguments cannot ask for more than MAX_VALUE_CHARS."""
    skip = 1 if _PassArg.from_obj(function) else 0  # The context or environment Jinja passes first.
    printf = function is JINJA_FILTERS["format"]

    @wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        value, *parameters = args[skip:] or (None,)
        _check_arguments(value, tuple(parameters), kwargs)
        if printf:
            _check_format(value)
        return function(*args, **kwargs)

    return guarded


def _check_arguments(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse a call whose numbers or texts could make a result beyond MAX_VALUE_CHARS (center(10**9), replace).

    `value` is what a filter filters or a method belongs to; its own size counts, a number it holds does not.
    """
    parameters = [*args, *kwargs.values()]
    if any(isinstance(n, int) and not isinstance(n, bool) and abs(n) > MAX_VALUE_CHARS for n in parameters):
        raise Refused(f"数字参数太大（超过 {MAX_VALUE_CHARS:,}），模板不能要求这么多字符或次数")
    sizes = sorted(len(v) for v in (value, *parameters) if isinstance(v, str | list | tuple))
    if len(sizes) > 1:
        _check_size(sizes[-1] * max(sizes[-2], 1))


def _check_format(text: Any) -> None:
    """Refuse a format string with a width or precision of six digits or more."""
    if isinstance(text, str) and re.search(_WIDE_FORMAT, text):
        raise Refused("格式字符串中的宽度或精度太大（六位数以上）")


def _check_size(size: int) -> None:
    if size > MAX_VALUE_CHARS:
        raise Refused(f"模板要生成的文字或列表太长（超过 {MAX_VALUE_CHARS:,} 项）")


def _check_repeat(left: Any, right: Any) -> None:
    """Bound text or list repetition: 'x' * 10**9."""
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, str | list | tuple) and isinstance(count, int):
            _check_size(len(sequence) * count)


def _check_power(left: Any, right: Any) -> None:
    """Bound exponents and integer powers: 2 ** 10 ** 9 would compute for hours."""
    if isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
        raise Refused(f"乘方的指数太大（超过 {MAX_EXPONENT:,}）")
    if isinstance(left, int) and isinstance(right, int) and left.bit_length() * right > MAX_POWER_BITS:
        raise Refused(f"乘方的结果太大（超过 {MAX_POWER_BITS:,} 位二进制数）")


def _check_join(left: Any, right: Any) -> None:
    """Bound text and list concatenation with +."""
    if isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
        _check_size(len(left) + len(right))


def _check_printf(left: Any, right: Any) -> None:
    """Bound printf-style formatting: '%0999999999d' % 1."""
    _check_format(left)


_BINOP_CHECKS: dict[str, Callable[[Any, Any], None]] = {
    "*": _check_repeat,
    "**": _check_power,
    "+": _check_join,
    "%": _check_printf,
}


class TemplateUnreadable(Exception):
    """A template file that cannot be read or holds characters no report can; message in Chinese."""

    def __init__(self, filename: str, line: int | None, message: str):
        super().__init__(message)
        self.filename, self.line, self.message = filename, line, message


# Characters no Word document can hold (XML 1.0), other than tab and line breaks; \x1f is markup's own.
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1e\ud800-\udfff\ufffe\uffff]")


class BoundedLoader(FileSystemLoader):
    """Jinja's folder loader, reading each template with `read_limited` (regular files, bounded size)."""

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        """Return the template's text from the first folder that has it; refuse what cannot be read."""
        pieces = split_template_path(template)
        for folder in self.searchpath:
            filename = posixpath.join(folder, *pieces)
            if os.path.lexists(filename):
                return _template_text(filename), os.path.normpath(filename), lambda: True
        raise TemplateNotFound(template)


def _template_text(filename: str) -> str:
    """Read and decode one template file, refusing what no report could be written from."""
    try:
        text = read_limited(Path(filename)).decode("utf-8")
    except Unreadable as exc:
        raise TemplateUnreadable(filename, None, f"无法读取模板文件：{exc}") from None
    except UnicodeDecodeError as exc:
        raise TemplateUnreadable(filename, None, "模板文件不是 UTF-8 编码；请在编辑器中另存为 UTF-8") from exc
    found = UNWRITABLE.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        message = f"模板含有 Word 无法保存的控制字符 U+{ord(found.group()):04X}；请删除它"
        raise TemplateUnreadable(filename, line, message)
    return text


def suspended_place(generator: Any) -> tuple[str | None, int | None]:
    """Return the template file and line where a paused render (`Template.generate`) stands.

    The render is a chain of generators: `yield from` for the main template, and a local
    `gen` for each {% include %} being output; the innermost template frame is the place.
    """
    place: tuple[str | None, int | None] = (None, None)
    while inspect.isgenerator(generator) and generator.gi_frame is not None:
        frame = generator.gi_frame
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            place = (template.filename, template.get_corresponding_lineno(frame.f_lineno))
        generator = generator.gi_yieldfrom or frame.f_locals.get("gen")
    return place


def output_line_place(env: Any, context: Any, name: str, text: str, line: int) -> tuple[str | None, int | None]:
    """Render again and return the template file and line that wrote output line `line` (1-based) of `text`.

    The piece of output holding the line is found by rendering again; within that template,
    the line is the first at or after the piece's own line whose text is the output line's
    (a marker line is written as it stands). Any failure gives (None, None): only a better
    place was sought, and the problem is reported all the same.
    """
    try:
        env.deadline = time.monotonic() + MAX_SECONDS
        pieces = env.get_template(name).generate(context)
        written = 0
        for piece in pieces:
            breaks = piece.count("\n")
            if written + breaks >= line - 1:
                filename, start = suspended_place(pieces)
                wanted = text.split("\n")[line - 1]
                return filename, _line_with(filename, start, wanted, line - 1 - written)
            written += breaks
    except Exception:  # Only a better place was sought; the problem is reported all the same.
        pass
    return None, None


def _line_with(filename: str | None, start: int | None, wanted: str, offset: int) -> int | None:
    """Return the first line from `start` in template `filename` reading `wanted`; else `start` + `offset`."""
    if filename is None or start is None:
        return start
    lines = _template_text(filename).split("\n")
    found = (i for i in range(start - 1, len(lines)) if lines[i].strip() == wanted.strip())
    return next(found, start - 1 + offset) + 1
