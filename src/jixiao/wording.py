"""How the report words numbers and names: the one home of number wording, the template filters and did-you-mean.

Scoring, checks, the templates and the score table all write numbers the same way from
here: as entered (1104.784985), with two places (93.54), as points (95, 9.5), as a percentage
(93.00%), as money with its unit, as Chinese numerals and list numbers (一、（一）①一是).
Importing this module costs nothing: Jinja is imported only when the filters are asked for.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jixiao.facts import StaffingLines

_CENT = Decimal("0.01")
_CN_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_WAN = Decimal(10000)

REPORT_KIND = "部门整体支出绩效评价报告"


def report_title(full_name: str, year: int) -> str:
    """Return the report's title as one line: <全称><年度>年度部门整体支出绩效评价报告."""
    return f"{full_name}{year}年度{REPORT_KIND}"


# --- Numbers ------------------------------------------------------------------------------------


def two_places(value: Decimal) -> str:
    """Show a value with 2 decimals, rounded half up: 91.428… → 91.43."""
    return f"{value.quantize(_CENT, rounding=ROUND_HALF_UP):f}"


def plain(value: Decimal) -> str:
    """Show a threshold or weight without trailing zeros or exponent: 100.0 → 100."""
    text = f"{value.normalize():f}"
    return "0" if text == "-0" else text


def entered(value: Decimal | int) -> str:
    """Write a number at its entered precision, never in exponent form (1104.784985, 3.5, 0)."""
    text = format(Decimal(value), "f")
    return "0" if text in {"-0", "0E-0"} else text


def points(value: Decimal | int | None) -> str:
    """Write a score without trailing zeros: 95.00 → 95, 9.50 → 9.5."""
    return "—" if value is None else plain(Decimal(value))


def percent(value: Decimal | int | None, places: int = 2) -> str:
    """Write a percentage number (93 means 93%) with a fixed number of places: 93.00%."""
    if value is None:
        return "—"
    quantum = Decimal(1).scaleb(-places)
    return f"{Decimal(value).quantize(quantum):f}%"


def money(amount: Decimal | int, source_unit: str, unit: str | None = None) -> str:
    """Write an amount with its unit at the entered precision, converting 元↔万元 exactly when asked."""
    target = unit or source_unit
    value = Decimal(amount)
    if source_unit == "元" and target == "万元":
        value = value / _WAN
    elif source_unit == "万元" and target == "元":
        value = value * _WAN
    return entered(value.normalize() if target != source_unit else value) + target


# --- Chinese numbering --------------------------------------------------------------------------


def chinese_numeral(number: int) -> str:
    """Write 1–99 as 一 … 九十九 (公文 heading numbers never go beyond that)."""
    if not 0 < number < 100:
        raise ValueError(f"中文序号只支持 1–99，得到 {number}")
    tens, ones = divmod(number, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones else "")


def ordinal(number: int, pattern: str = "一、") -> str:
    """Number an item by example: 一、 （一） 1. （1） 1、 ① 一是 — the pattern shows the style for 1."""
    if "①" in pattern:
        if not 0 < number <= len(_CIRCLED):
            raise ValueError(f"带圈序号只支持 1–{len(_CIRCLED)}，得到 {number}")
        return pattern.replace("①", _CIRCLED[number - 1])
    if "一" in pattern:
        return pattern.replace("一", chinese_numeral(number), 1)
    if "1" in pattern:
        return pattern.replace("1", str(number), 1)
    raise ValueError(f"序号样式「{pattern}」里应含有 一、1 或 ① 之一")


def enumerate_inline(items: Iterable[str], pattern: str = "一是", sep: str = "；", end: str = "。") -> str:
    """Join items as one sentence: 一是…；二是…；三是…。 (trailing punctuation of items is dropped)."""
    parts = [ordinal(i, pattern) + _strip_end(item) for i, item in enumerate(items, start=1)]
    return sep.join(parts) + end if parts else ""


def chinese_date(value: date) -> str:
    """Write a date as GB/T 9704 7.3.5.4 wants: Arabic numerals, the year in full, no leading zeros (2022年1月10日)."""
    return f"{value.year}年{value.month}月{value.day}日"


def sentence(text: str, end: str = "。") -> str:
    """End a text with 。 unless it already ends with sentence punctuation."""
    return text if text.endswith(("。", "！", "？", "：", "；", "…")) else text + end


def _strip_end(text: str) -> str:
    """Drop one trailing 。；， from an item that is joined into a longer sentence."""
    return text[:-1] if text.endswith(("。", "；", "，")) else text


# --- Head counts ---------------------------------------------------------------------------------


def staffing_sentence(lines: StaffingLines, subject: str = "") -> str:
    """Say the head counts the unit stated, in its terms: 编制 and its split, 在职 and its split, the other groups.

    Nothing comes from 评分数据: a 编制数 typed only for scoring is not printed.
    """
    clauses = [
        _counted("编制数", lines.establishment, _establishment_parts(lines)),
        _counted("在职人员", lines.in_post, _in_post_parts(lines)),
        _counted("离退休人员", lines.retired, (("离休人员", lines.retired_cadres), ("退休人员", lines.retirees))),
        _counted("其他人员", lines.other, ()),
    ]
    groups = "、".join(f"{group.name}{group.count}名{'（已计入在职人员）' if group.in_post else ''}" for group in lines.groups)
    text = "，".join(clause for clause in clauses if clause)
    return f"{subject}{text}{f'；另有{groups}' if groups else ''}。"


def _establishment_parts(lines: StaffingLines) -> tuple[tuple[str, int | None], ...]:
    """The 编制 split as stated: 行政、事业、工勤 and the named others."""
    named = (("行政编制", lines.administrative_establishment), ("事业编制", lines.institutional_establishment))
    return (*named, ("工勤编制", lines.worker_establishment), *lines.other_establishment.items())


def _in_post_parts(lines: StaffingLines) -> tuple[tuple[str, int | None], ...]:
    """The in-post split as stated: 行政、参公、事业、工勤."""
    return (
        ("行政人员", lines.administrative),
        ("参照公务员法管理人员", lines.civil_service_managed),
        ("事业人员", lines.institutional),
        ("工勤人员", lines.workers),
    )


def _counted(name: str, count: int | None, parts: tuple[tuple[str, int | None], ...]) -> str:
    """Say 「编制数70名（行政编制32名、事业编制38名）」, leaving out what is not stated."""
    if count is None:
        return ""
    split = "、".join(f"{part}{number}名" for part, number in parts if number is not None)
    return f"{name}{count}名{f'（{split}）' if split else ''}"


# --- Names --------------------------------------------------------------------------------------


def closest(name: str, known: Iterable[str], cutoff: float = 0.6, key: Callable[[str], str] | None = None) -> str | None:
    """Return the known name closest to `name` (each compared through `key`, if given), if any is close enough."""
    by_key = {(key or str)(candidate): candidate for candidate in known}
    close = difflib.get_close_matches((key or str)(name), list(by_key), n=1, cutoff=cutoff)
    return by_key[close[0]] if close else None


def did_you_mean(
    message: str, name: str, known: Iterable[str], cutoff: float = 0.6, key: Callable[[str], str] | None = None
) -> str:
    """Add the closest known name to a message about an unknown one: …，是否想写「…」？"""
    close = closest(name, known, cutoff, key)
    return f"{message}，是否想写「{close}」？" if close else message


# --- Template filters ---------------------------------------------------------------------------


def template_filters() -> Mapping[str, Callable[..., Any]]:
    """Return the filters the report templates use, by the name templates call them."""
    import jinja2  # Only rendering needs Jinja; checking and scoring import this module without it.

    @jinja2.pass_context
    def money_filter(context: Any, amount: Decimal | int, unit: str | None = None) -> str:
        """Write an amount in the facts file's money unit, or converted to `unit` (元 or 万元)."""
        return money(amount, context["money_unit"], unit)

    return {
        "cn": chinese_numeral,
        "ordinal": ordinal,
        "money": money_filter,
        "percent": percent,
        "points": points,
        "enumerate_inline": enumerate_inline,
        "sentence": sentence,
        "plain": entered,
        "date": chinese_date,
        "staffing": staffing_sentence,
    }
