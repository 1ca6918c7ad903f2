"""Lay out the scorecard as the attachment's 评分表 (附件3 of the seed)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from jixiao.render.blocks import Column, TableData
from jixiao.wording import points

if TYPE_CHECKING:
    from jixiao.scoring import Scorecard

SCORE_TABLE = "评分表"

# Relative widths follow the seed's table: long 解释说明 and 评分标准 columns, narrow tiers. The 得分
# column holds 100.00 in bold 五号 on one line (16 mm of the landscape page's 225 mm).
COLUMNS = (
    Column("一级指标", 1.4),
    Column("二级指标", 2.4),
    Column("三级指标", 2.0),
    Column("指标解释说明", 5.1),
    Column("评分标准", 4.6),
    Column("得分", 1.2),
)


def build_score_table(card: Scorecard) -> TableData:
    """Return the 评分表: one row per 三级指标, tiers merged, a 自评总分 row at the foot."""
    rows = tuple(
        (
            with_weight(tier1.name, tier1.weight),
            with_weight(tier2.name, tier2.weight),
            with_weight(item.name, item.weight),
            item.explanation,
            item.criteria,
            points(item.score),
        )
        for tier1 in card.tiers
        for tier2 in tier1.tiers
        for item in tier2.indicators
    )
    footer = (("自评总分", points(card.total)),)
    if card.grade is not None:  # The indicator system states grade bands (优 ≥ 90 …): say which the total reaches.
        footer = (*footer, ("评价等级", card.grade.name))
    return TableData(columns=COLUMNS, rows=rows, merge_levels=2, footer=footer)


def with_weight(name: str, weight: Decimal) -> str:
    """Write a tier or indicator name with its points below it, as the seed's table does: 投入\n（10分）."""
    return f"{name}\n（{points(weight)}分）"
