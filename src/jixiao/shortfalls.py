"""Where the points were lost, in the words an officer would write them (section 四 when the unit gives no reasons).

Each indicator that lost points gets one plain clause built from what it measured —
「预算完成率为93.00%，扣1分」 — never from the scorecard's internal basis sentence, which
names facts-file paths (评分数据 › 测算值 › …) and spaces numbers apart for the console.
Clauses are grouped by 一级指标; losses smaller than the template set's 小额扣分 are summed
up in one sentence instead of being named one by one.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from jixiao.wording import points

if TYPE_CHECKING:
    from jixiao.scoring import IndicatorScore, Scorecard

_MET = r"(\d+)/(\d+)"  # compiled on first use (re caches it): only 要点计分 losses need it
_REASON = re.compile(r"理由：(?P<reason>.*)），得")
_LISTED_NAMES = 3  # More small losses than this are named by their first few and 等.


class LossGroup(NamedTuple):
    """The losses named under one 一级指标: its name, the points they lost and one clause each."""

    tier1: str
    lost: Decimal
    reasons: tuple[str, ...]

    @property
    def text(self) -> str:
        """Say the group as one sentence: 过程方面扣3分：预算完成率为93.00%，扣1分；…。"""
        return f"{self.tier1}方面扣{points(self.lost)}分：{'；'.join(self.reasons)}。"


class MinorLosses(NamedTuple):
    """The losses too small to name one by one, summed up."""

    names: tuple[str, ...]
    lost: Decimal

    @property
    def text(self) -> str:
        """Say them in one sentence: 另有资产管理完整性等4项指标扣分较少，合计扣0.04分。"""
        if not self.names:
            return ""
        shown = "、".join(self.names[:_LISTED_NAMES])
        more = "等" if len(self.names) > _LISTED_NAMES else ""
        return f"另有{shown}{more}{len(self.names)}项指标扣分较少，合计扣{points(self.lost)}分。"


class Shortfalls(NamedTuple):
    """Every loss of a scorecard: the total, the named groups in table order, and the minor ones."""

    lost: Decimal
    groups: tuple[LossGroup, ...]
    minor: MinorLosses

    @property
    def count(self) -> int:
        """How many indicators lost points."""
        return sum(len(group.reasons) for group in self.groups) + len(self.minor.names)


def account_for_losses(card: Scorecard, minor_loss: Decimal) -> Shortfalls:
    """Group the indicators that lost points by 一级指标, summing up those that lost less than `minor_loss`."""
    groups, minor = [], []
    for tier1 in card.tiers:
        lost = [item for tier2 in tier1.tiers for item in tier2.indicators if item.lost]
        named = [item for item in lost if item.lost >= minor_loss]
        minor.extend(item for item in lost if item.lost < minor_loss)
        if named:
            groups.append(LossGroup(tier1.name, _sum(named), tuple(loss_reason(item) for item in named)))
    every = [*(item for tier1 in card.tiers for tier2 in tier1.tiers for item in tier2.indicators if item.lost)]
    return Shortfalls(_sum(every), tuple(groups), MinorLosses(tuple(item.name for item in minor), _sum(minor)))


def loss_reason(item: IndicatorScore) -> str:
    """Say in one clause why an indicator lost points, from what it measured or the evaluator's reason."""
    lost = f"扣{points(item.lost)}分"
    if item.kind == "评定":
        return _assessed_reason(item, lost)
    if item.kind == "要点计分":
        met = re.search(_MET, item.measure_label)
        if met:
            missed = int(met[2]) - int(met[1])
            return f"{item.name}的{met[2]}项评价要点中有{missed}项未达到要求，{lost}"
    if item.kind == "等级":
        return f"{item.name}评定为{item.measure_label}，{lost}"
    if item.measure_name and item.measure is not None:
        subject = item.measure_name if item.measure_name == item.name else f"{item.name}方面，{item.measure_name}"
        return f"{subject}为{item.measure_label}，{lost}"
    return f"{item.name}得{points(item.score)}分，{lost}"


def _assessed_reason(item: IndicatorScore, lost: str) -> str:
    """Use the evaluator's own reason, adding the points lost unless the reason already says them."""
    found = _REASON.search(item.basis)
    if not found:
        return f"{item.name}经评价人员评定，{lost}"
    reason = found["reason"].rstrip("。；，")
    return f"{item.name}方面，{reason}" if "扣" in reason else f"{item.name}方面，{reason}，{lost}"


def _sum(items: list[IndicatorScore]) -> Decimal:
    """Add up the points the items lost."""
    return sum((item.lost or Decimal(0) for item in items), Decimal(0))
