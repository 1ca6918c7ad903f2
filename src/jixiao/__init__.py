"""jixiao (绩效): draft the annual 部门整体支出绩效评价报告 as a Word document."""

__version__ = "0.3.1"
