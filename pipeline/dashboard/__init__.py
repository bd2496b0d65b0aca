"""The dashboards of a checked workbook: every figure computed once (figures.py), then laid
out as an Excel workbook with native charts (excel.py) and as one offline HTML page with
inline SVG charts (html.py), plus the overall index of output/ (html.render_overview).

No confidential field (§2.5) is ever read here: the figures hold visits, counts, owners'
names and the findings' messages, which never carry a confidential value.
"""

from .figures import Figures, dashboard_figures

__all__ = ["Figures", "dashboard_figures"]
