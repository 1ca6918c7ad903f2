"""Read a YAML file into plain Python values, keeping where every value came from.

Numbers become `Decimal` (or `int`) straight from their YAML text, never via float,
so 1104.784985 stays 1104.784985. Every mapping key and list item remembers its
line and column, so validation errors can name the line a person has to fix.
"""

from __future__ import annotations

import codecs
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from jixiao.errors import Problem, Severity
from jixiao.inputfile import Unreadable, read_limited

Loc = tuple[str | int, ...]

_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_NULL_TAG = "tag:yaml.org,2002:null"
# libyaml's parser, when PyYAML was built with it; None means only the pure-Python one.
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)
# Limits a document's shape never reaches (facts and indicator files nest fewer than 10 levels
# and hold a few thousand values), so garbage or hostile files are refused, not followed:
# references (*名称) can multiply a small file into billions of values, and libyaml's
# composer recurses in C, so nesting deep enough overflows the stack and kills the process.
MAX_DEPTH = 50
MAX_VALUES = 100_000
# Each level costs at least two characters («[ ]», «- »), so a text this short nests at most
# 10,000 levels, which the C composer survives (tested to 20,000); longer texts are checked first.
_UNCHECKED_LENGTH = 20_000
_PLAIN_DECIMAL = re.compile(r"^[-+]?(\d[\d_]*)?(\.\d[\d_]*)?([eE][-+]?\d+)?$")

# PyYAML's English phrases → what they mean for a person editing the file.
_YAML_PHRASES = (
    (
        "mapping values are not allowed here",
        "这里不能出现「: 」：可能是这一行比上一行多缩进了，或文字里有英文冒号加空格"
        "（请改用中文冒号「：」，或给整段文字加引号）",
    ),
    ("could not find expected ':'", "缺少「:」；每一行应写成「键: 值」"),
    ("found character '\\t' that cannot start any token", "不能用 Tab 缩进，请改用空格"),
    ("found undefined alias", "引用了未定义的锚点（*名称）"),
    ("found unexpected end of stream", "引号没有闭合：从这里开始的引号直到文件末尾都没有对应的结束引号"),
    ("found unexpected ':'", "出现了多余的「:」"),
    ("expected <block end>, but found", "缩进不一致：同一层的键应对齐"),
    ("did not find expected key", "缩进不一致或缺少「:」"),
    ("did not find expected '-' indicator", "列表项缩进不一致：同一列表的「- 」应对齐"),
    ("found a tab character", "不能用 Tab 缩进，请改用空格"),
    ("found unknown escape character", "双引号文字里有无法识别的转义（\\ 后的字符），请改用单引号或去掉反斜杠"),
    ("expected ',' or ']'", "方括号列表 [ … ] 没有闭合，或项与项之间缺少英文逗号「,」"),
    ("expected ',' or '}'", "花括号 { … } 没有闭合，或项与项之间缺少英文逗号「,」"),
    ("but found another document", "文件中出现了第二个文档分隔线「---」；一个文件只能写一份事实数据"),
    ("expected alphabetic or numeric character", "锚点或引用（& 或 * 后面）的名称不完整；文字以 & 或 * 开头时请加引号"),
    (
        "expected '<document start>'",
        "这里无法接着读下去：可能是多了一行「...」或以「%」开头的行，或引号后面还有文字（整段文字请都放在引号里）",
    ),
    ("that cannot start any token", "这个字符不能作为值的开头（@ 和 ` 是 YAML 的保留字符）；请给这段文字加引号"),
    ("expected the node content", "这里缺少值：括号或引号没有闭合，或「- 」「: 」后面没有内容"),
    ("expected a comment or a line break", "这一行多出了内容（例如引号闭合后还有文字）；整段文字请都放在引号里"),
)
_UNKNOWN_SYNTAX = "这里的写法无法识别；请检查缩进、冒号、引号和括号"


class SourceMap(NamedTuple):
    """Where each value of a loaded document stands in its file.

    For a workbook, `cells` names each recorded place ("预算收支!B7") and `positions`
    hold (order, column) pairs that sort the places sheet by sheet, row by row.
    """

    file: str
    positions: dict[Loc, tuple[int, int]]
    cells: dict[Loc, str] | None = None

    def locate(self, loc: Loc) -> tuple[int | None, int | None]:
        """Return (line, column) of `loc`, or of its nearest recorded ancestor."""
        found = self.recorded(loc)
        return (None, None) if found is None else self.positions[found]

    def recorded(self, loc: Loc) -> Loc | None:
        """Return `loc`, or its nearest ancestor, whose place is recorded; None when none is."""
        for end in range(len(loc), -1, -1):
            if tuple(loc[:end]) in self.positions:
                return tuple(loc[:end])
        return None

    def problem(self, loc: Loc, message: str, severity: Severity = Severity.ERROR) -> Problem:
        """Build a Problem placed at `loc`, naming the field in the file's own key names."""
        found = self.recorded(loc)
        line, column = (None, None) if found is None else self.positions[found]
        cell = self.cells.get(found) if self.cells is not None and found is not None else None
        return Problem(self.file, line, column, field_label(loc) or None, message, severity, cell)


def field_label(loc: Loc) -> str:
    """Render a location like ("预算", "收入", "来源", 1, "金额") as 「预算 › 收入 › 来源 › 第2项 › 金额」."""
    return " › ".join(f"第{part + 1}项" if isinstance(part, int) else str(part) for part in loc)


class Loaded(NamedTuple):
    """A YAML document read from a file: its data, where it came from, and what went wrong."""

    data: Any
    source: SourceMap
    problems: list[Problem]
    text: str = ""


def load_yaml(path: Path | str, raw: bytes | None = None) -> Loaded:
    """Read and parse `path` (or `raw`, its bytes when already read); problems are collected, not raised."""
    name = str(path)
    source = SourceMap(name, {})
    problems: list[Problem] = []
    if raw is None:
        raw, problems = read_bytes(Path(path))
    text, decode_problems = (None, []) if raw is None else decode(name, raw)
    problems.extend(decode_problems)
    if text is None:
        return Loaded(None, source, problems)
    data, parse_problems = parse_yaml(text, source)
    problems.extend(parse_problems)
    if data is None and not parse_problems:
        problems.append(Problem(name, 1, None, None, "文件是空的：没有任何内容可读"))
    return Loaded(data, source, problems, text)


def read_bytes(path: Path) -> tuple[bytes | None, list[Problem]]:
    """Read a file whole within bounds (`read_limited`); a file that cannot be read is a problem in Chinese."""
    try:
        return read_limited(path), []
    except Unreadable as exc:
        return None, [Problem(str(path), None, None, None, str(exc))]


def decode(name: str, raw: bytes) -> tuple[str | None, list[Problem]]:
    """Decode a file as UTF-8 (with or without BOM), UTF-32 or UTF-16 with BOM, or else GB18030 with a warning."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return _decode_wide(name, raw, encoding)
    if b"\0" in raw:
        line = raw[: raw.index(b"\0")].count(b"\n") + 1
        message = "文件含有 NUL 字节：可能是没有 BOM 的 UTF-16/UTF-32 文件，或根本不是文本文件；请在编辑器中另存为 UTF-8 编码"
        return None, [Problem(name, line, None, None, message)]
    try:
        return raw.removeprefix(codecs.BOM_UTF8).decode("utf-8"), []  # What "utf-8-sig" does, without loading its codec.
    except UnicodeDecodeError as exc:
        return _read_legacy(name, raw, exc)


# UTF-32's little-endian BOM begins with UTF-16's, so it is tried first.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decode_wide(name: str, raw: bytes, encoding: str) -> tuple[str | None, list[Problem]]:
    """Decode a UTF-16 or UTF-32 file, or say on which line its bytes stop making sense."""
    try:
        return raw.decode(encoding), []
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode(encoding, errors="replace")
        label = encoding.upper()
        message = f"文件是 {label} 编码，但这里的字节不是有效的 {label} 文字；请在编辑器中另存为 UTF-8 编码"
        return None, [Problem(name, before.count("\n") + 1, None, None, message)]


def _read_legacy(name: str, raw: bytes, exc: UnicodeDecodeError) -> tuple[str | None, list[Problem]]:
    """Read a Windows 中文 (GBK/GB18030) file, or explain where the bytes stop making sense."""
    line = raw[: exc.start].count(b"\n") + 1
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        message = "文件不是 UTF-8 编码，也不是 GBK 编码，无法识别；请在编辑器中另存为 UTF-8 编码"
        return None, [Problem(name, line, None, None, message)]
    message = "文件是 GBK（Windows 中文）编码，已按 GBK 读取；建议在编辑器中另存为 UTF-8 编码"
    return text, [Problem(name, line, None, None, message, Severity.WARNING)]


class _Refused(Exception):
    """A document beyond MAX_DEPTH or MAX_VALUES: building stops at the first place it is seen."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def parse_yaml(text: str, source: SourceMap) -> tuple[Any, list[Problem]]:
    """Parse YAML text into plain values with Decimal numbers, recording positions into `source`."""
    problems: list[Problem] = []
    if _YAML_ONLY_BREAKS.search(text):  # PyYAML would count them as lines, shifting every later line number.
        return None, _unprintable_problems(text, source, _YAML_ONLY_BREAKS)
    node = None  # Stays None when the depth check refuses the text before composing.
    try:
        _check_depth(text, source)
        node = compose(text)
        data = None if node is None else _construct(node, (), source, problems)
    except yaml.reader.ReaderError:
        return None, _unprintable_problems(text, source)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(source.file, exc)]
    except RecursionError:  # The pure-Python composer, at Python's own recursion limit.
        return None, [Problem(source.file, None, None, None, _too_deep_message())]
    except _Refused as exc:
        return None, [*problems, _said_plainly(exc.problem, node)]
    return data, problems


_TOO_MANY_ALIASED = (
    f"引用（*名称）展开后超过 {MAX_VALUES:,} 项，不再读取：请不要用锚点和引用（&名称、*名称）重复大段内容"
)
_TOO_MANY = f"文件中的值超过 {MAX_VALUES:,} 个，不再读取：事实数据和指标体系文件都只有几千个值，请检查是否选错了文件"


def _said_plainly(problem: Problem, root: yaml.Node | None) -> Problem:
    """Speak of references only when the document has some: a long plain list is just too long."""
    if problem.message == _TOO_MANY_ALIASED and root is not None and not _has_aliases(root):
        return problem._replace(message=_TOO_MANY)
    return problem


def _has_aliases(root: yaml.Node) -> bool:
    """Tell whether any node of the tree is reached twice (an alias: *名称)."""
    seen: set[int] = set()
    waiting = [root]
    while waiting:
        node = waiting.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            waiting.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            waiting.extend(child for pair in node.value for child in pair)
    return False


def _check_depth(text: str, source: SourceMap) -> None:
    """Refuse nesting deeper than MAX_DEPTH before composing, from the parser's events (no recursion)."""
    if len(text) <= _UNCHECKED_LENGTH:
        return
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_FAST_LOADER or yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    line, column = event.start_mark.line + 1, event.start_mark.column + 1
                    raise _Refused(Problem(source.file, line, column, None, _too_deep_message()))
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # Composing reports the syntax error with its own place and wording.


def _too_deep_message() -> str:
    return f"嵌套层次太深（超过 {MAX_DEPTH} 层），不再读取：事实数据和指标体系文件都只有几层，请检查方括号、花括号或缩进"


def compose(text: str) -> yaml.Node | None:
    """Compose YAML text into a node tree, with libyaml when available (several times faster).

    Node marks (line, column) are the same from both parsers. Their error reports are not:
    libyaml counts offsets in UTF-8 bytes and words its problems differently, so a document
    libyaml refuses is composed again with the pure-Python parser, whose errors we translate.
    """
    if _FAST_LOADER is not None:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def load_plain(text: str) -> Any:
    """Load a small YAML text into plain values (no positions, no Decimals), with libyaml when safe.

    For settings files such as a template set's profile.yaml: libyaml parses them ten times
    faster, and its composer recursion is safe on a text this short (see _UNCHECKED_LENGTH).
    Both parsers raise yaml.YAMLError for what they cannot read.
    """
    fast = _FAST_LOADER is not None and len(text) <= _UNCHECKED_LENGTH
    return yaml.load(text, Loader=_FAST_LOADER if fast else yaml.SafeLoader)


# Line breaks to YAML, but not to editors (nor to `grep -n`), which count \n (and \r) only.
_YAML_ONLY_BREAKS = re.compile("[\x85\u2028\u2029]")


def _unprintable_problems(
    text: str, source: SourceMap, refused: re.Pattern[str] = yaml.reader.Reader.NON_PRINTABLE
) -> list[Problem]:
    """Place every character YAML refuses (control characters), or `refused`, at its line, column and field."""
    found = list(refused.finditer(text))
    tree = _tree_without(text, found, refused)
    return [_unprintable_problem(text, source, match.start(), tree) for match in found]


def _tree_without(text: str, found: list[re.Match[str]], refused: re.Pattern[str]) -> yaml.Node | None:
    """Compose the document with each refused character replaced, to learn which field holds it."""
    # A CJK placeholder cannot be a YAML indicator, so the structure stays as the person wrote it.
    cleaned = refused.sub("字", text) if found else text
    try:
        return yaml.compose(cleaned, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return None


def _unprintable_problem(text: str, source: SourceMap, offset: int, tree: yaml.Node | None) -> Problem:
    """Describe one refused character: where it is, in which field, and what to do."""
    before = text[:offset]
    line = before.count("\n") + 1
    column = offset - (before.rfind("\n") + 1) + 1
    loc = _loc_at(tree, offset, ()) if tree is not None else ()
    message = character_message(text[offset])
    return Problem(source.file, line, column, field_label(loc) or None, message)


def _loc_at(node: yaml.Node, offset: int, loc: Loc, active: frozenset[int] = frozenset()) -> Loc:
    """Return the location of the innermost key or value whose text spans `offset`.

    `active` holds the collections on the way down; an alias to one of them is not entered.
    """
    inner = active | {id(node)}
    if len(loc) >= MAX_DEPTH:
        return loc
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            if _spans(key_node, offset):
                return (*loc, key)
            if id(value_node) not in inner and _spans(value_node, offset):
                return _loc_at(value_node, offset, (*loc, key), inner)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            if id(child) not in inner and _spans(child, offset):
                return _loc_at(child, offset, (*loc, index), inner)
    return loc


def _spans(node: yaml.Node, offset: int) -> bool:
    """Tell whether a node's text covers the character at `offset`."""
    return node.start_mark.index <= offset < node.end_mark.index


def _syntax_problem(name: str, exc: yaml.MarkedYAMLError) -> Problem:
    """Explain a YAML syntax error in Chinese at the line PyYAML points to."""
    unclosed = "found unexpected end of stream" in (exc.problem or "")
    # An unclosed quote is found at the end of the file; where it was opened is the place to fix.
    mark = (exc.context_mark if unclosed else None) or exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    english = f"{exc.context or ''} {exc.problem or ''}"
    for phrase, chinese in _YAML_PHRASES:
        if phrase in english:
            return Problem(name, line, column, None, f"YAML 格式错误：{chinese}")
    return Problem(name, line, column, None, f"YAML 格式错误：{_UNKNOWN_SYNTAX}")


def _construct(
    node: yaml.Node, loc: Loc, source: SourceMap, problems: list[Problem], active: frozenset = frozenset()
) -> Any:
    """Build plain Python values from a node tree, recording each child's position.

    `active` holds the collections being built on the way down, to catch an alias to an ancestor.
    """
    source.positions.setdefault(loc, (node.start_mark.line + 1, node.start_mark.column + 1))
    if len(loc) > MAX_DEPTH:
        raise _Refused(source_problem(source, node, loc[:2], _too_deep_message()))
    if len(source.positions) > MAX_VALUES:
        raise _Refused(source_problem(source, node, loc, _TOO_MANY_ALIASED))
    if id(node) in active:
        # An alias inside its own anchor («a: &x [*x]») would nest forever.
        problems.append(source_problem(source, node, loc, "锚点引用了它自身（&名称 … *名称），无法展开"))
        return None
    if isinstance(node, yaml.MappingNode):
        return _construct_mapping(node, loc, source, problems, active | {id(node)})
    if isinstance(node, yaml.SequenceNode):
        inner = active | {id(node)}
        return [_construct(child, (*loc, i), source, problems, inner) for i, child in enumerate(node.value)]
    return _checked_scalar(node, loc, source, problems)


def _checked_scalar(node: yaml.ScalarNode, loc: Loc, source: SourceMap, problems: list[Problem]) -> Any:
    """Resolve a scalar, refusing text no report can hold and numbers beyond what is computed exactly."""
    value = _scalar(node)
    # Plain «1e999999999» is text to YAML and a number to pydantic, so its range is checked here too.
    message = number_problem(value) or (quoted_number_problem(value) if not node.style else None)
    if message is not None:
        problems.append(source_problem(source, node, loc, message))
        return 0  # A stand-in, so validation adds no second message: the file is refused all the same.
    message = _text_problem(value) if isinstance(value, str) else None
    if message is not None:
        problems.append(source_problem(source, node, loc, message))
        return re.sub(_ODD_TEXT, " ", value)
    return value


# Line breaks str.splitlines knows besides \n that Word can hold; the others (\x0b \x0c \x1c-\x1e)
# are control characters Word cannot save, and are refused as such.
_LINE_BREAKS = {"\r": "回车符", "\x85": "下一行符", "\u2028": "行分隔符", "\u2029": "段分隔符"}
# Control characters are refused by the schemas' Text. The pattern is compiled on first use (re
# caches it): only a text that is not printable is searched, and most files have none.
_ODD_TEXT = "[\r\x85\u2028\u2029]"
_NUMBER_TEXT = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
MAX_DIGITS = 15  # 一千万亿 (10^15): beyond any amount, count or rate a report states
MAX_PLACES = 12


def _text_problem(text: str) -> str | None:
    """Say why a text cannot go into a report: a line break other than \n, or a character Word cannot save."""
    if text.isprintable():  # No line break, control or unusual space of any kind: nothing to look for.
        return None
    found = re.search(_ODD_TEXT, text)
    return None if found is None else character_message(found.group())


def character_message(char: str) -> str:
    """Say why a character cannot stand in a report's text: a line break other than \n, or one Word cannot save."""
    if char in _LINE_BREAKS:
        return (
            f"文字中含有{_LINE_BREAKS[char]} U+{ord(char):04X}：报告中只有普通换行（另起一段）；"
            "请改为普通换行，或删除它（常见于从其他文档复制粘贴）"
        )
    return f"含有不可见的控制字符 U+{ord(char):04X}，Word 无法保存；请删除它（常见于从其他文档复制粘贴）"


def looks_like_number(text: str) -> bool:
    """Tell whether unquoted text reads as a number to the loader («0E100», «1e5»), so a writer must quote it."""
    return bool(_NUMBER_TEXT.fullmatch(text.strip()))


def quoted_number_problem(value: Any) -> str | None:
    """Say why text written as a number («1e999999999») is out of range for a number field; None if not."""
    if isinstance(value, str) and looks_like_number(value):
        return number_problem(Decimal(value.strip()))
    return None


def number_problem(value: Any) -> str | None:
    """Say why a number is out of range: magnitude of 10^15 or more, or more than MAX_PLACES decimal places."""
    if not isinstance(value, int | Decimal) or isinstance(value, bool):
        return None
    number = Decimal(value)  # Read from its digits and exponent only: arithmetic on 1e999999999 overflows.
    if number.is_finite() and number.adjusted() < MAX_DIGITS and -int(number.as_tuple().exponent) <= MAX_PLACES:
        return None
    return f"数字超出范围：绝对值应小于 10^15（一千万亿），小数不超过 {MAX_PLACES} 位"


def _construct_mapping(
    node: yaml.MappingNode, loc: Loc, source: SourceMap, problems: list[Problem], active: frozenset
) -> dict:
    """Build a dict, refusing duplicate keys (YAML would silently keep the last one)."""
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = _key(key_node, loc, source, problems)
        child = (*loc, key)
        if key in result:
            first = source.positions[child][0]
            problems.append(source_problem(source, key_node, child, f"重复的字段（第 {first} 行已经写过）"))
            continue
        source.positions[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        result[key] = _construct(value_node, child, source, problems, active)
    return result


def _key(node: yaml.Node, loc: Loc, source: SourceMap, problems: list[Problem]) -> str:
    """Return a mapping key as text; a list or mapping written as a key is a problem."""
    if isinstance(node, yaml.ScalarNode):
        return str(_checked_scalar(node, loc, source, problems))
    problems.append(source_problem(source, node, loc, "键应为文字，不能是列表或「键: 值」（是否多写了「? 」或括号？）"))
    return f"第{node.start_mark.line + 1}行的键"


def source_problem(source: SourceMap, node: yaml.Node, loc: Loc, message: str) -> Problem:
    """Build a Problem at a node's own position."""
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    return Problem(source.file, line, column, field_label(loc), message)


def _scalar(node: yaml.ScalarNode) -> Any:
    """Resolve a scalar: numbers exactly (int or Decimal), booleans, null; everything else as text."""
    text = node.value
    if node.tag == _NULL_TAG:
        return None
    if node.tag == _BOOL_TAG:
        return text.lower() in {"true", "yes", "on", "y"}
    if node.tag == _INT_TAG:
        return _int(text)
    if node.tag == _FLOAT_TAG and _PLAIN_DECIMAL.match(text):
        try:
            return Decimal(text.replace("_", ""))
        except InvalidOperation:
            return text
    return text


def _int(text: str) -> int | str:
    """Read a YAML int (decimal, with optional underscores); leave exotic forms as text to be refused."""
    try:
        return int(text.replace("_", ""), 10)
    except ValueError:
        return text
