"""The Excel dashboard (dashboard.xlsx / 接待总览.xlsx), written with xlsxwriter.

Its first sheet reads like a dashboard: the headline figures and seven native Excel
charts. The charts read the data sheets behind them (Excel tables with filters), so they
stay live: a filter on a data sheet hides the bars of the hidden rows, and the counts of
the chart-data sheet are formulas over the Visits sheet, so editing a visit's status,
purpose or month moves the charts. Their values are also written as the formulas'
results, for viewers that do not recalculate.

Every text from the workbook is written with `write_string` (links with `write_url`,
whose text is a string too), so a value such as `=1+2` or `@SUM(A1)` stays text. No guest
data is read, so no confidential field (§2.5) can appear.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePosixPath

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from ..company import NO_COMPANY, Company
from ..contract import CLIENT_TYPES, PURPOSES, VISIT_STATUS
from ..documents.fmt import fmt_date
from ..findings import SEVERITIES
from ..i18n import joined, t, texts
from ..layout.palette import READINESS_COLOURS, SEVERITY_COLOURS, font
from ..layout.sheets import (DATE_FORMAT, DATETIME_FORMAT, Formats, new_workbook, print_header, print_setup,
                             quote_sheet, safe_sheet_name)
from ..layout.text import legal
from .figures import (BAR_COLOUR, LINE_COLOUR, MONTH_COLOURS, READINESS, STATUS_COLOURS, Figures, VisitRow,
                      clause_text, severity_counts)
from .html import TOP_CLAUSES, TOP_PEOPLE, choice, clause_heading, kpis

CHART_SIZE = (500, 300)  # pixels
ROW_PX = 20  # the default row height, in pixels
GRID_COLUMNS = 16  # columns of the dashboard sheet: two charts side by side
FIRST_CHART_ROW = 9
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.5, "bottom": 0.5}  # inches


@dataclass(frozen=True)
class _Column:
    """A column of a data table: its header and how wide it is."""

    key: str
    width: float


VISIT_COLUMNS = (_Column("visit_id", 14), _Column("client", 30), _Column("client_type", 12), _Column("purpose", 14),
                 _Column("status", 10), _Column("arrival", 17), _Column("departure", 17), _Column("month", 10),
                 _Column("readiness", 12), _Column("urgent", 8), _Column("completeness", 10), _Column("errors", 8),
                 _Column("warnings", 8), _Column("info", 8), _Column("satisfaction", 10),
                 _Column("upcoming", 8), _Column("days_to_go", 10), _Column("changed", 12))
UPCOMING_COLUMNS = (_Column("arrival", 17), _Column("days_to_go", 10), _Column("visit_id", 14),
                    _Column("client", 30), _Column("status", 10), _Column("readiness", 12), _Column("urgent", 8),
                    _Column("completeness", 10), _Column("errors", 8), _Column("warnings", 8), _Column("info", 8),
                    _Column("plan", 44), _Column("changed", 12))


def dashboard_file_name(lang: str) -> str:
    """`接待总览.xlsx` / `dashboard.xlsx`."""
    return t(lang, "dashboard.files.xlsx")


def render_dashboard_xlsx(figures: Figures, lang: str | None = None, plan_links: dict[str, str] | None = None,
                          company: Company = NO_COMPANY) -> bytes:
    """The Excel dashboard as .xlsx bytes. `plan_links` maps a visit id to its plan's path
    relative to the dashboard file (`V001/接待方案_V001_华东精密.docx`). The company, where
    the profile names it, heads the dashboard and every printed page."""
    lang = lang or figures.lang
    buf = io.BytesIO()
    book = new_workbook(buf, default_format_properties={"font_name": font(lang), "font_size": 10})
    book.set_properties({"title": t(lang, "dashboard.title", workbook=figures.workbook),
                         "author": "reception pipeline", "company": legal(company.name(lang)),
                         "created": datetime.combine(figures.today, datetime.min.time())})
    writer = _Writer(book, figures, lang, plan_links or {}, company.name(lang))
    writer.write()
    if company.named:
        header = print_header(company.name(lang), t(lang, "dashboard.title", workbook=figures.workbook))
        for ws in book.worksheets():
            ws.set_header(header)
    book.close()
    return buf.getvalue()


class _Writer:
    def __init__(self, book: xlsxwriter.Workbook, figures: Figures, lang: str, plan_links: dict[str, str],
                 company: str = ""):
        self.book, self.figures, self.lang, self.plan_links, self.company = book, figures, lang, plan_links, company
        self.labels = texts(lang)["dashboard"]
        self.answer = texts(lang)["answer"]
        self.font = font(lang)
        names = self.labels["sheets"]
        self.dashboard = book.add_worksheet(safe_sheet_name(names["dashboard"]))
        self.upcoming_sheet = book.add_worksheet(safe_sheet_name(names["upcoming"]))
        self.visits_sheet = book.add_worksheet(safe_sheet_name(names["visits"]))
        self.clauses_sheet = book.add_worksheet(safe_sheet_name(names["clauses"]))
        self.workload_sheet = book.add_worksheet(safe_sheet_name(names["workload"]))
        self.data_sheet = book.add_worksheet(safe_sheet_name(names["chart_data"]))
        self.fmt = _Formats(book)
        self.visit_col = {c.key: i for i, c in enumerate(VISIT_COLUMNS)}
        self._data_row = 0  # the next free row of the chart-data sheet

    def write(self) -> None:
        self._visits()
        charts = [
            self._by_month_chart(),
            self._readiness_chart(),
            self._clauses(),
            self._workload(),
            self._tally_chart("by_purpose", "Purposes", self.label("purpose"), PURPOSES, self.figures.by_purpose,
                              "purpose", "bar"),
            self._tally_chart("by_client_type", "ClientTypes", self.label("client_type"), CLIENT_TYPES,
                              self.figures.by_client_type, "client_type", "pie"),
            self._satisfaction_chart(),
        ]
        self._upcoming()
        self._dashboard(charts)
        self.dashboard.activate()

    # ---- data sheets ---------------------------------------------------------------

    def label(self, key: str) -> str:
        return self.labels["columns"][key]

    def changed(self, v: VisitRow) -> str:
        """The approval date its plan differs from (§3.2.3), blank while it does not."""
        return v.changed_since.isoformat() if v.changed_since else ""

    def yes_no(self, value: bool) -> str:
        return self.answer["yes" if value else "no"]

    def ref(self, sheet: Worksheet, first_row: int | None, col: int, last_row: int | None = None) -> str:
        """`'接待数据'!$A$2:$A$14`, one cell without last_row, a whole column without first_row."""
        name = quote_sheet(sheet.get_name())
        if first_row is None:
            letter = xl_col_to_name(col)
            return f"{name}!${letter}:${letter}"
        start = xl_rowcol_to_cell(first_row, col, True, True)
        if last_row is None:
            return f"{name}!{start}"
        return f"{name}!{start}:{xl_rowcol_to_cell(last_row, col, True, True)}"

    def visit_column(self, key: str) -> str:
        return self.ref(self.visits_sheet, None, self.visit_col[key])

    def _table(self, ws: Worksheet, first_row: int, first_col: int, columns: list[str], rows: int, name: str,
               widths: list[float] | None = None) -> None:
        """An Excel table with filters over rows already written (header at first_row)."""
        last_row = first_row + max(rows, 1)
        ws.add_table(first_row, first_col, last_row, first_col + len(columns) - 1, {
            "name": name, "style": "Table Style Light 9", "autofilter": True,
            "columns": [{"header": legal(c), "header_format": self.fmt.header} for c in columns]})
        for i, width in enumerate(widths or []):
            ws.set_column(first_col + i, first_col + i, width)

    def _visits(self) -> None:
        ws, fmt, lang = self.visits_sheet, self.fmt, self.lang
        for r, v in enumerate(self.figures.visits, start=1):
            values = {
                "visit_id": v.visit_id, "client": v.client,
                "client_type": choice(CLIENT_TYPES, v.client_type, lang),
                "purpose": choice(PURPOSES, v.purpose, lang), "status": choice(VISIT_STATUS, v.status, lang),
                "month": v.month or self.labels["no_date"], "readiness": t(lang, f"readiness.{v.readiness}"),
                "urgent": self.yes_no(v.urgent), "upcoming": self.yes_no(v.upcoming), "changed": self.changed(v),
            }
            for key, text in values.items():
                ws.write_string(r, self.visit_col[key], legal(text), fmt.cell)
            _moment(ws, r, self.visit_col["arrival"], v.arrival, fmt)
            _moment(ws, r, self.visit_col["departure"], v.departure, fmt)
            numbers = {"completeness": v.completeness / 100, "errors": v.errors, "warnings": v.warnings,
                       "info": v.info, "satisfaction": v.satisfaction, "days_to_go": v.days_to_go}
            for key, n in numbers.items():
                style = fmt.percent if key == "completeness" else fmt.number
                if n is None:
                    ws.write_blank(r, self.visit_col[key], None, style)
                else:
                    ws.write_number(r, self.visit_col[key], n, style)
        self._table(ws, 0, 0, [self.label(c.key) for c in VISIT_COLUMNS], len(self.figures.visits), "Visits",
                    [c.width for c in VISIT_COLUMNS])
        ws.freeze_panes(1, 1)
        print_setup(ws, margins=MARGINS)

    def _clauses(self):
        """The findings-by-clause sheet and the chart of the clauses that fail most often."""
        ws, fmt, labels = self.clauses_sheet, self.fmt, self.labels
        columns = labels["columns"]
        headers = [columns["clause"], labels["axis"]["clause"] + " #", columns["title"], columns["errors"],
                   columns["warnings"], columns["info"], columns["total"], columns["visits"], columns["text"]]
        for r, c in enumerate(self.figures.clauses, start=1):
            words = clause_text(c.clause, self.lang)
            ws.write_string(r, 0, legal(clause_heading(c, self.lang)), fmt.cell)
            ws.write_string(r, 1, legal(c.clause), fmt.cell)
            ws.write_string(r, 2, legal(words.title), fmt.cell)
            for i, n in enumerate(severity_counts(c)):
                ws.write_number(r, 3 + i, n, fmt.number)
            ws.write_formula(r, 6, f"=SUM({xl_rowcol_to_cell(r, 3)}:{xl_rowcol_to_cell(r, 5)})", fmt.number, c.total)
            ws.write_number(r, 7, c.visits, fmt.number)
            ws.write_string(r, 8, legal(words.text), fmt.wrap)
        self._table(ws, 0, 0, headers, len(self.figures.clauses), "FindingsByClause", [30, 8, 22, 8, 8, 8, 8, 8, 90])
        ws.freeze_panes(1, 1)
        print_setup(ws, margins=MARGINS)
        shown = min(len(self.figures.clauses), TOP_CLAUSES)
        title = labels["charts"]["clauses"] + (t(self.lang, "dashboard.charts.top", n=TOP_CLAUSES)
                                          if len(self.figures.clauses) > TOP_CLAUSES else "")
        chart = self._chart({"type": "bar", "subtype": "stacked"}, title)
        for i, s in enumerate(SEVERITIES):
            fill, line = SEVERITY_COLOURS[s]
            chart.add_series(self._series(ws, 0, 3 + i, shown, 0, fill, line))
        self._category_axis(chart, reverse=True)
        return chart

    def _workload(self):
        ws, fmt, labels, load = self.workload_sheet, self.fmt, self.labels, self.figures.workload
        months = [m or labels["no_date"] for m in load.months]
        headers = [labels["columns"]["person"], *months, labels["columns"]["total"]]
        for r, p in enumerate(load.people, start=1):
            ws.write_string(r, 0, legal(p.name), fmt.cell)
            for i, n in enumerate(p.per_month):
                ws.write_number(r, 1 + i, n, fmt.number)
            last = len(load.months)
            total = f"=SUM({xl_rowcol_to_cell(r, 1)}:{xl_rowcol_to_cell(r, last)})" if last else "=0"
            ws.write_formula(r, last + 1, total, fmt.number, p.total)
        self._table(ws, 0, 0, headers, len(load.people), "Workload", [16, *([10] * len(months)), 8])
        ws.freeze_panes(1, 1)
        print_setup(ws, margins=MARGINS)
        ws.write_string(len(load.people) + 3, 0, legal(labels["charts"]["workload_note"]), fmt.note)
        shown = min(len(load.people), TOP_PEOPLE)
        title = labels["charts"]["workload"] + (t(self.lang, "dashboard.charts.top", n=TOP_PEOPLE)
                                           if len(load.people) > TOP_PEOPLE else "")
        chart = self._chart({"type": "bar", "subtype": "stacked"}, title, max(CHART_SIZE[1], 110 + 24 * shown))
        for i in range(len(load.months)):
            colour = MONTH_COLOURS[i % len(MONTH_COLOURS)]
            chart.add_series(self._series(ws, 0, 1 + i, shown, 0, colour, colour, labels=False))
        if not load.months:  # nobody owns anything yet: an empty chart over the Total column
            chart.add_series(self._series(ws, 0, 1, 0, 0, *BAR_COLOUR, labels=False))
        self._category_axis(chart, reverse=True)
        return chart

    # ---- chart-data sheet: counts as formulas over the Visits sheet ---------------

    def _data_block(self, title: str) -> int:
        """Start a block of the chart-data sheet: its title, then its table's header row."""
        self.data_sheet.write_string(self._data_row, 0, legal(title), self.fmt.bold)
        return self._data_row + 1

    def _end_block(self, header_row: int, rows: int) -> None:
        self._data_row = header_row + max(rows, 1) + 3

    def _countifs(self, *pairs: tuple[str, str]) -> str:
        return "=COUNTIFS(" + ",".join(f"{rng},{crit}" for rng, crit in pairs) + ")"

    def _by_month_chart(self):
        ws, fmt, labels, lang = self.data_sheet, self.fmt, self.labels, self.lang
        statuses = self.figures.statuses
        header = self._data_block(labels["charts"]["by_month"])
        columns = [labels["columns"]["month"], *(choice(VISIT_STATUS, s, lang) for s in statuses)]
        for r, m in enumerate(self.figures.by_month, start=header + 1):
            ws.write_string(r, 0, legal(m.month or labels["no_date"]), fmt.cell)
            for i, n in enumerate(m.counts, start=1):
                formula = self._countifs((self.visit_column("month"), f"${xl_col_to_name(0)}{r + 1}"),
                                         (self.visit_column("status"), f"{xl_col_to_name(i)}${header + 1}"))
                ws.write_formula(r, i, formula, fmt.number, n)
        self._table(ws, header, 0, columns, len(self.figures.by_month), "VisitsByMonth")
        self._end_block(header, len(self.figures.by_month))
        chart = self._chart({"type": "column", "subtype": "stacked"}, labels["charts"]["by_month"])
        for i, s in enumerate(statuses, start=1):
            fill, line = STATUS_COLOURS[s]
            chart.add_series(self._series(ws, header, i, len(self.figures.by_month), 0, fill, line))
        chart.set_y_axis(self._value_axis(labels["axis"]["visits"]))
        self._category_axis(chart)
        return chart

    def _readiness_chart(self):
        ws, fmt, labels, lang = self.data_sheet, self.fmt, self.labels, self.lang
        title = t(lang, "dashboard.charts.readiness", days=self.figures.upcoming_days)
        header = self._data_block(title)
        for r, (key, n) in enumerate(self.figures.upcoming_readiness, start=header + 1):
            ws.write_string(r, 0, legal(t(lang, f"readiness.{key}")), fmt.cell)
            formula = self._countifs((self.visit_column("upcoming"), '"' + self.answer["yes"] + '"'),
                                     (self.visit_column("readiness"), f"$A{r + 1}"))
            ws.write_formula(r, 1, formula, fmt.number, n)
        self._table(ws, header, 0, [labels["columns"]["readiness"], labels["axis"]["visits"]], len(READINESS),
                    "UpcomingReadiness")
        self._end_block(header, len(READINESS))
        chart = self._chart({"type": "doughnut"}, title)
        points = [{"fill": {"color": "#" + READINESS_COLOURS[r][0]},
                   "border": {"color": "#" + READINESS_COLOURS[r][1]}} for r in READINESS]
        chart.add_series({
            "name": self.ref(ws, header, 1),
            "categories": self.ref(ws, header + 1, 0, header + len(READINESS)),
            "values": self.ref(ws, header + 1, 1, header + len(READINESS)),
            "points": points,
            "data_labels": {"value": True, "num_format": "0;;;", "font": self._font(10, bold=True)},
        })
        chart.set_hole_size(45)
        chart.set_legend({"position": "right", "font": self._font(9)})
        return chart

    def _tally_chart(self, key: str, table: str, header_label: str, choices, tally, column: str, kind: str):
        ws, fmt, labels, lang = self.data_sheet, self.fmt, self.labels, self.lang
        title = labels["charts"][key]
        header = self._data_block(title)
        for r, (value, n) in enumerate(tally, start=header + 1):
            ws.write_string(r, 0, legal(choice(choices, value, lang)), fmt.cell)
            ws.write_formula(r, 1, self._countifs((self.visit_column(column), f"$A{r + 1}")), fmt.number, n)
        self._table(ws, header, 0, [header_label, labels["axis"]["visits"]], len(tally), table)
        self._end_block(header, len(tally))
        chart = self._chart({"type": kind}, title)
        series = self._series(ws, header, 1, len(tally), 0, *BAR_COLOUR)
        if kind == "pie":
            colours = ("5B9BD5", "ED7D31", "A5A5A5", "FFC000", "70AD47", "264478")
            series["points"] = [{"fill": {"color": "#" + colours[i % len(colours)]},
                                 "border": {"color": "#FFFFFF"}} for i in range(len(tally))]
            series.pop("fill"), series.pop("border")
            series["data_labels"] = {"value": True, "num_format": "0;;;", "font": self._font(10, bold=True)}
            chart.add_series(series)
            chart.set_legend({"position": "right", "font": self._font(9)})
        else:
            chart.add_series(series)
            chart.set_legend({"none": True})
            self._category_axis(chart, reverse=True)
        return chart

    def _satisfaction_chart(self):
        ws, fmt, labels = self.data_sheet, self.fmt, self.labels
        title = labels["charts"]["satisfaction"]
        header = self._data_block(title)
        completed = '"' + choice(VISIT_STATUS, "completed", self.lang) + '"'
        for r, s in enumerate(self.figures.satisfaction, start=header + 1):
            ws.write_string(r, 0, s.month, fmt.cell)
            month = (self.visit_column("month"), f"$A{r + 1}")
            status = (self.visit_column("status"), completed)
            average = (f"=AVERAGEIFS({self.visit_column('satisfaction')},{month[0]},{month[1]},"
                       f"{status[0]},{status[1]})")
            ws.write_formula(r, 1, average, fmt.decimal, s.average)
            ws.write_formula(r, 2, self._countifs(month, status, (self.visit_column("satisfaction"), '">0"')),
                             fmt.number, s.visits)
        self._table(ws, header, 0, [self.label("month"), self.label("average"), self.label("rated")],
                    len(self.figures.satisfaction), "SatisfactionByMonth")
        self._end_block(header, len(self.figures.satisfaction))
        ws.set_column(0, 0, 30)
        ws.set_column(1, 8, 11)
        print_setup(ws, landscape=False, margins=MARGINS)
        chart = self._chart({"type": "line"}, title)
        chart.add_series({
            "name": self.ref(ws, header, 1),
            "categories": self.ref(ws, header + 1, 0, header + max(len(self.figures.satisfaction), 1)),
            "values": self.ref(ws, header + 1, 1, header + max(len(self.figures.satisfaction), 1)),
            "line": {"color": "#" + LINE_COLOUR, "width": 2.25},
            "marker": {"type": "circle", "size": 7, "fill": {"color": "#" + LINE_COLOUR},
                       "border": {"color": "#" + LINE_COLOUR}},
            "data_labels": {"value": True, "position": "right", "num_format": "0.0", "font": self._font(9, bold=True)},
        })
        chart.set_y_axis({**self._value_axis(labels["axis"]["score"]), "min": 0, "max": 5, "major_unit": 1})
        self._category_axis(chart)
        chart.set_legend({"none": True})
        return chart

    # ---- chart helpers -----------------------------------------------------------

    def _font(self, size: float = 10, bold: bool = False) -> dict:
        return {"name": self.font, "size": size, "bold": bold, "color": "#1F2328"}

    def _chart(self, kind: dict, title: str, height: int = CHART_SIZE[1]):
        chart = self.book.add_chart(kind)
        chart.set_title({"name": legal(title), "name_font": self._font(11, bold=True), "overlay": False})
        chart.set_legend({"position": "top", "font": self._font(9)})
        chart.set_size({"width": CHART_SIZE[0], "height": height})
        chart.height_px = height  # for laying the dashboard out
        chart.set_chartarea({"border": {"color": "#D0D7DE"}})
        return chart

    def _value_axis(self, name: str) -> dict:
        return {"name": name, "name_font": self._font(9), "num_font": self._font(9),
                "major_gridlines": {"visible": True, "line": {"color": "#E6E9ED"}}, "num_format": "0"}

    def _category_axis(self, chart, reverse: bool = False) -> None:
        """Categories read top to bottom in a bar chart (Excel draws the first at the bottom)."""
        axis = {"num_font": self._font(9), "reverse": reverse, "interval_unit": 1}
        if reverse:  # a bar chart: the category axis is its y axis; values stay at the bottom
            chart.set_y_axis({**axis, "crossing": "max"})
            chart.set_x_axis({"num_font": self._font(9), "num_format": "0",
                              "major_gridlines": {"visible": True, "line": {"color": "#E6E9ED"}}})
        else:
            chart.set_x_axis(axis)

    def _series(self, ws: Worksheet, header: int, col: int, rows: int, cat_col: int, fill: str, line: str,
                labels: bool = True) -> dict:
        """A series over `rows` rows below a table's header row (at least one, so an empty
        table still makes a valid chart)."""
        last = header + max(rows, 1)
        series = {"name": self.ref(ws, header, col), "categories": self.ref(ws, header + 1, cat_col, last),
                  "values": self.ref(ws, header + 1, col, last),
                  "fill": {"color": "#" + fill}, "border": {"color": "#" + line}, "gap": 60}
        if labels:
            series["data_labels"] = {"value": True, "num_format": "0;;;", "font": self._font(8)}
        return series

    # ---- the upcoming table and the dashboard sheet ----------------------------------

    def _upcoming(self) -> None:
        ws, fmt, lang, figures = self.upcoming_sheet, self.fmt, self.lang, self.figures
        ws.write_string(0, 0, legal(t(lang, "dashboard.upcoming.heading", days=figures.upcoming_days)), fmt.title)
        ws.write_string(1, 0, legal(t(lang, "dashboard.upcoming.note", soon=figures.soon_days)), fmt.note)
        header = 3
        col = {c.key: i for i, c in enumerate(UPCOMING_COLUMNS)}
        for r, v in enumerate(figures.upcoming, start=header + 1):
            _moment(ws, r, col["arrival"], v.arrival, fmt)
            ws.write_number(r, col["days_to_go"], v.days_to_go, fmt.number)
            texts_ = {"visit_id": v.visit_id, "client": v.client,
                      "status": choice(VISIT_STATUS, v.status, lang),
                      "readiness": t(lang, f"readiness.{v.readiness}"), "urgent": self.yes_no(v.urgent),
                      "changed": self.changed(v)}
            for key, text in texts_.items():
                ws.write_string(r, col[key], legal(text), fmt.cell)
            ws.write_number(r, col["completeness"], v.completeness / 100, fmt.percent)
            for key, n in (("errors", v.errors), ("warnings", v.warnings), ("info", v.info)):
                ws.write_number(r, col[key], n, fmt.number)
            self._plan_link(ws, r, col["plan"], v)
        self._table(ws, header, 0, [self.label(c.key) for c in UPCOMING_COLUMNS], len(figures.upcoming), "Upcoming",
                    [c.width for c in UPCOMING_COLUMNS])
        if figures.upcoming:
            first, last = header + 1, header + len(figures.upcoming)
            errors, warnings = xl_col_to_name(col["errors"]), xl_col_to_name(col["warnings"])
            days = xl_col_to_name(col["days_to_go"])
            span = (first, 0, last, len(UPCOMING_COLUMNS) - 1)
            soon = f"=AND(${errors}{first + 1}>0,${days}{first + 1}<={figures.soon_days})"
            ws.conditional_format(*span, {"type": "formula", "criteria": soon, "format": fmt.red, "stop_if_true": True})
            ws.conditional_format(*span, {"type": "formula", "format": fmt.amber,
                                          "criteria": f"=${warnings}{first + 1}>0"})
        else:
            none = t(lang, "dashboard.upcoming.none", days=figures.upcoming_days)
            ws.write_string(header + 2, 0, legal(none), fmt.note)
        ws.freeze_panes(header + 1, 0)
        print_setup(ws, margins=MARGINS)

    def _plan_link(self, ws: Worksheet, row: int, col: int, v: VisitRow) -> None:
        path = self.plan_links.get(v.visit_id)
        if not path:
            ws.write_blank(row, col, None, self.fmt.cell)
            return
        name = PurePosixPath(str(path).replace("\\", "/")).name
        ws.write_url(row, col, "external:" + str(path).replace("\\", "/"), self.fmt.link, legal(name),
                     tip=legal(self.label("plan")))

    def _dashboard(self, charts: list) -> None:
        ws, fmt, lang, figures = self.dashboard, self.fmt, self.lang, self.figures
        ws.hide_gridlines(2)
        ws.set_column(0, GRID_COLUMNS - 1, 8.43)
        title = t(lang, "dashboard.title", workbook=figures.workbook)
        ws.merge_range(0, 0, 0, GRID_COLUMNS - 1, legal(title), fmt.title)
        checked = t(lang, "dashboard.checked_on", date=fmt_date(figures.today, lang))
        ws.merge_range(1, 0, 1, GRID_COLUMNS - 1,
                       legal(joined(lang, (p for p in (self.company, checked) if p), "parts")), fmt.note)
        ws.set_row(0, 26)
        ws.set_row(4, 34)
        for i, k in enumerate(kpis(figures, lang)):
            c = 2 * i
            tone = fmt.kpi_tones.get(k["key"], fmt.kpi_value)
            ws.merge_range(3, c, 3, c + 1, legal(k["label"]), fmt.kpi_label)
            number = k["number"]
            if number is None:
                ws.merge_range(4, c, 4, c + 1, "–", tone)
            else:
                decimal = isinstance(number, float)
                ws.merge_range(4, c, 4, c + 1, "", tone)
                ws.write_number(4, c, round(number, 1) if decimal else number, fmt.kpi_decimal if decimal else tone)
            ws.merge_range(5, c, 5, c + 1, legal(k["note"]), fmt.kpi_note)
        ws.set_row(5, 30)
        ws.write_url(7, 0, f"internal:{quote_sheet(self.upcoming_sheet.get_name())}!A1", fmt.link_bold,
                     legal(t(lang, "dashboard.upcoming.to_all", n=len(figures.upcoming)) + " →"))
        ws.write_string(7, 6, legal(t(lang, "dashboard.upcoming.note", soon=figures.soon_days)), fmt.note)
        row = FIRST_CHART_ROW
        for i in range(0, len(charts), 2):
            pair = charts[i:i + 2]
            for j, chart in enumerate(pair):
                ws.insert_chart(row, j * GRID_COLUMNS // 2, chart, {"x_offset": 4, "y_offset": 4})
            row += -(-max(c.height_px for c in pair) // ROW_PX) + 1
        ws.print_area(0, 0, row, GRID_COLUMNS - 1)
        print_setup(ws, landscape=False, margins=MARGINS)


def _moment(ws: Worksheet, row: int, col: int, value: date | None, fmt: "_Formats") -> None:
    if value is None:
        ws.write_blank(row, col, None, fmt.cell)
    elif isinstance(value, datetime):
        ws.write_datetime(row, col, value, fmt.datetime)
    else:
        ws.write_datetime(row, col, datetime.combine(value, datetime.min.time()), fmt.date)


class _Formats:
    """The dashboard's formats (from the shared cache), in the workbook's default font."""

    def __init__(self, book: xlsxwriter.Workbook):
        add = Formats(book)
        self.cell = add(valign="top")
        self.wrap = add(valign="top", text_wrap=True)
        self.number = add(valign="top", num_format="0")
        self.decimal = add(valign="top", num_format="0.0")
        self.percent = add(valign="top", num_format="0%")
        self.date = add(valign="top", num_format=DATE_FORMAT, align="left")
        self.datetime = add(valign="top", num_format=DATETIME_FORMAT, align="left")
        self.header = add(bold=True, text_wrap=True, valign="top")
        self.bold = add(bold=True, font_size=11)
        self.title = add(bold=True, font_size=16, valign="vcenter")
        self.note = add(font_color="#59636E", italic=True)
        self.link = add(font_color="#0563C1", underline=1, valign="top")
        self.link_bold = add(font_color="#0563C1", underline=1, bold=True)
        tile = {"bg_color": "#F6F8FA", "left": 5, "left_color": "#5B9BD5", "right": 1, "right_color": "#D0D7DE",
                "indent": 1, "align": "left"}
        figure = {**tile, "bold": True, "font_size": 22, "align": "left", "valign": "vcenter"}
        self.kpi_label = add(tile, top=1, top_color="#D0D7DE", font_color="#59636E", font_size=9)
        self.kpi_value = add(figure)
        self.kpi_decimal = add(figure, num_format="0.0", left_color=READINESS_COLOURS["ready"][1])
        self.kpi_note = add(tile, bottom=1, bottom_color="#D0D7DE", font_color="#59636E", font_size=8, text_wrap=True,
                            valign="top")
        self.kpi_tones = {key: add(figure, font_color="#" + colour, left_color="#" + colour)
                          for key, colour in (("ready", READINESS_COLOURS["ready"][1]),
                                              ("attention", READINESS_COLOURS["attention"][1]),
                                              ("not_ready", READINESS_COLOURS["not_ready"][1]),
                                              ("errors", SEVERITY_COLOURS["error"][1]))}
        fill, font_colour = SEVERITY_COLOURS["error"]
        self.red = add(bg_color="#" + fill, font_color="#" + font_colour)
        fill, font_colour = SEVERITY_COLOURS["warning"]
        self.amber = add(bg_color="#" + fill, font_color="#" + font_colour)
