"""The check report workbook: one summary line per visit, then every finding.

Rendered in the result's language with xlsxwriter; it returns the file's bytes and the
write stage (output.py) puts them on disk. Every text that comes from the user's
workbook or a message is written with `write_string`, so a value such as `=1+2` or
`@SUM(A1)` stays text and never becomes a formula.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date, datetime

from xlsxwriter.worksheet import Worksheet

from .checks import CheckResult
from .company import NO_COMPANY, Company
from .i18n import t
from .layout.palette import HEADER_COLOUR, READINESS_COLOURS, SEVERITY_COLOURS
from .layout.sheets import DATE_FORMAT, LINE_HEIGHT, Formats, new_workbook, print_header, print_setup, safe_sheet_name
from .layout.text import display_width, legal, wrapped_lines
from .summary import status_label

BORDER_COLOUR = "#BFBFBF"
# The report's cells have a border and are aligned to the top, so wrapped messages read well.
REPORT_CELL = {"border": 1, "border_color": BORDER_COLOUR, "valign": "top"}

SUMMARY_COLUMNS = ("visit_id", "client_org", "arrival", "departure", "status", "readiness", "urgent",
                   "completeness", "error", "warning", "info")
FINDING_COLUMNS = ("visit_id", "severity", "clause", "rule", "sheet", "row", "column", "message", "due")
MIN_WIDTH, MAX_WIDTH = 6, 40
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.5, "bottom": 0.6}  # inches
FIXED_WIDTHS = {"message": 80, "due": 12, "arrival": 12, "departure": 12, "completeness": 10}


def render_report(result: CheckResult, company: Company = NO_COMPANY) -> bytes:
    """The report workbook for one checked workbook, as .xlsx bytes; printed, its pages
    are headed by the company where the profile names it."""
    buf = io.BytesIO()
    book = new_workbook(buf)
    book.set_properties({"title": t(result.lang, "report.title", workbook=result.workbook.name),
                         "author": "reception pipeline", "company": legal(company.name(result.lang)),
                         "created": datetime.combine(result.today, datetime.min.time())})
    styles = Formats(book, REPORT_CELL)
    summary = book.add_worksheet(safe_sheet_name(t(result.lang, "report.sheets.summary")))
    _summary_sheet(summary, styles, result)
    _findings_sheet(book.add_worksheet(safe_sheet_name(t(result.lang, "report.sheets.findings"))),
                    styles, result)
    if company.named:
        header = print_header(company.name(result.lang), t(result.lang, "report.title", workbook=result.workbook.name))
        for ws in book.worksheets():
            ws.set_header(header)
    summary.activate()
    book.close()
    return buf.getvalue()


# ---- the summary sheet -----------------------------------------------------------------------

def _summary_sheet(ws: Worksheet, styles: Formats, result: CheckResult) -> None:
    lang = result.lang
    lines = _title_lines(result)
    ws.write_string(0, 0, legal(lines[0]), styles.bare(bold=True, font_size=14))
    for i, line in enumerate(lines[1:], start=1):
        ws.write_string(i, 0, legal(line), styles.bare())
    top = len(lines) + 1
    _header(ws, styles, top, [t(lang, f"report.columns.{c}") for c in SUMMARY_COLUMNS])
    widths = _Widths(lang, SUMMARY_COLUMNS)
    c_id, c_org, c_arrival, c_departure, c_status, c_readiness, c_urgent, c_complete, c_error, c_warning, c_info \
        = range(len(SUMMARY_COLUMNS))
    plain, percent = styles(), styles(num_format="0%")
    date_style, urgent_style = styles(num_format=DATE_FORMAT), styles(font_color="#C00000", bold=True, align="center")
    readiness = {key: (t(lang, f"readiness.{key}"), styles(bg_color="#" + fill, font_color="#" + font, bold=True))
                 for key, (fill, font) in READINESS_COLOURS.items()}
    urgent_mark = t(lang, "report.urgent_mark")
    statuses: dict[str | None, str] = {}
    serial = _DateSerials(ws)
    text, write_number, write_blank = _text, ws.write_number, ws.write_blank
    for r, vr in enumerate(result.visits, start=top + 1):
        v = vr.visit.record
        if v.status not in statuses:
            statuses[v.status] = status_label(v.status, lang)
        visit_id, org, status = legal(vr.visit.id or ""), legal(_one_line(v.client_org)), statuses[v.status]
        text(ws, r, c_id, visit_id, plain)
        text(ws, r, c_org, org, plain)
        text(ws, r, c_status, status, plain)
        label, style = readiness[vr.readiness]
        text(ws, r, c_readiness, label, style)
        text(ws, r, c_urgent, urgent_mark if vr.urgent else "", urgent_style)
        for c, key in ((c_arrival, "arrival"), (c_departure, "departure")):
            number = serial(v.values.get(key))
            if number is None:
                write_blank(r, c, None, date_style)
            else:
                write_number(r, c, number, date_style)
        if vr.readiness == "cancelled":  # not checked: no completeness or counts to show
            for c in (c_complete, c_error, c_warning, c_info):
                write_blank(r, c, None, plain)
        else:
            write_number(r, c_complete, vr.completeness / 100, percent)
            counts = dict.fromkeys(SEVERITY_COLOURS, 0)
            for f in vr.findings:
                counts[f.severity] += 1
            write_number(r, c_error, counts["error"], plain)
            write_number(r, c_warning, counts["warning"], plain)
            write_number(r, c_info, counts["info"], plain)
        widths.see("visit_id", visit_id)
        widths.see("client_org", org)
        widths.see("status", status)
        widths.see("readiness", label)
        if vr.urgent:
            widths.see("urgent", urgent_mark)
    last = top + len(result.visits)
    widths.apply(ws)
    ws.autofilter(top, 0, last, len(SUMMARY_COLUMNS) - 1)
    ws.freeze_panes(top + 1, 1)
    _print_setup(ws, top, lang)


def _title_lines(result: CheckResult) -> list[str]:
    lang = result.lang
    totals = {"ready": 0, "attention": 0, "not_ready": 0}
    for vr in result.visits:
        if vr.readiness in totals:
            totals[vr.readiness] += 1
    lines = [t(lang, "report.title", workbook=result.workbook.name),
             t(lang, "report.checked_on", date=result.today.isoformat()),
             t(lang, "summary.totals", visits=len(result.visits), **totals, error=result.count("error"),
               warning=result.count("warning"), info=result.count("info"))]
    known = result.workbook.visits
    loose = [f for f in result.findings if f.visit_id is None or f.visit_id not in known]
    if loose:
        lines.append(t(lang, "summary.workbook_level", error=sum(f.severity == "error" for f in loose),
                       warning=sum(f.severity == "warning" for f in loose)))
    return lines


# ---- the findings sheet ----------------------------------------------------------------------

def _findings_sheet(ws: Worksheet, styles: Formats, result: CheckResult) -> None:
    lang = result.lang
    _header(ws, styles, 0, [t(lang, f"report.columns.{c}") for c in FINDING_COLUMNS])
    widths = _Widths(lang, FINDING_COLUMNS)
    plain, wrap = styles(), styles(text_wrap=True)
    severities = {s: (t(lang, f"severity.{s}"), styles(bg_color="#" + fill, font_color="#" + font, bold=True))
                  for s, (fill, font) in SEVERITY_COLOURS.items()}
    date_style = styles(num_format=DATE_FORMAT)
    workbook_level = t(lang, "report.workbook_level")
    c_id, c_severity, c_clause, c_rule, c_sheet, c_row, c_column, c_message, c_due = range(len(FINDING_COLUMNS))
    serial = _DateSerials(ws)
    text, write_number, write_blank = _text, ws.write_number, ws.write_blank
    message_width = FIXED_WIDTHS["message"]
    for r, f in enumerate(result.findings, start=1):
        lines = wrapped_lines(f.message, message_width)
        if lines > 1:
            ws.set_row(r, LINE_HEIGHT * lines)
        visit_id = legal(f.visit_id or workbook_level)
        clause, rule, sheet = legal(f"§{f.clause}" if f.clause else ""), legal(f.rule), legal(f.sheet or "")
        column = legal(_one_line(f.column))
        text(ws, r, c_id, visit_id, plain)
        label, style = severities[f.severity]
        ws.write_string(r, c_severity, label, style)
        text(ws, r, c_clause, clause, plain)
        text(ws, r, c_rule, rule, plain)
        text(ws, r, c_sheet, sheet, plain)
        if f.row is not None:
            write_number(r, c_row, f.row, plain)
        else:
            write_blank(r, c_row, None, plain)
        text(ws, r, c_column, column, plain)
        text(ws, r, c_message, legal(f.message), wrap)
        number = serial(f.due)
        if number is None:
            write_blank(r, c_due, None, date_style)
        else:
            write_number(r, c_due, number, date_style)
        widths.see("visit_id", visit_id)
        widths.see("clause", clause)
        widths.see("rule", rule)
        widths.see("sheet", sheet)
        widths.see("column", column)
    widths.see("severity", severities["warning"][0])
    last = len(result.findings)
    if not result.findings:
        last = 1
        ws.write_string(1, 0, t(lang, "report.no_findings"), styles.bare(italic=True, font_color="#595959"))
    widths.apply(ws)
    ws.autofilter(0, 0, last, len(FINDING_COLUMNS) - 1)
    ws.freeze_panes(1, 1)
    _print_setup(ws, 0, lang)


# ---- shared pieces ---------------------------------------------------------------------------

def _header(ws: Worksheet, styles: Formats, row: int, labels: list[str]) -> None:
    style = styles(bold=True, bg_color="#" + HEADER_COLOUR, text_wrap=True)
    for j, label in enumerate(labels):
        ws.write_string(row, j, label, style)


def _text(ws: Worksheet, row: int, col: int, value: str, style) -> None:
    """A text cell (the text already made `legal`), or a blank one with the style."""
    if value:
        ws.write_string(row, col, value, style)
    else:
        ws.write_blank(row, col, None, style)


class _DateSerials:
    """A date's (or a datetime's day's) serial number in the sheet's date system, the
    number `write_datetime` would store; None for anything that is not a date. Worked out
    here, as xlsxwriter does, because its conversion costs more than the rest of the cell."""

    def __init__(self, ws: Worksheet):
        self.date_1904 = ws.date_1904
        self.epoch = date(1904, 1, 1) if ws.date_1904 else date(1899, 12, 31)

    def __call__(self, value) -> float | None:
        if isinstance(value, datetime):
            value = value.date()
        if not isinstance(value, date):
            return None
        days = (value - self.epoch).days
        if not self.date_1904 and days > 59:  # Excel counts a 29 February 1900
            days += 1
        return float(days)


def _one_line(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _print_setup(ws: Worksheet, header_row: int, lang: str) -> None:
    print_setup(ws, margins=MARGINS, repeat_rows=(header_row, header_row), footer="&C" + t(lang, "report.footer"))


class _Widths:
    """Column widths that fit the header and the values seen, within bounds."""

    def __init__(self, lang: str, columns: Iterable[str]):
        self.columns = tuple(columns)
        self.widest = {c: display_width(t(lang, f"report.columns.{c}")) for c in self.columns}

    def see(self, key: str, value: str) -> None:
        """Widen the column to fit `value`. A text is at most two cells a character wide: one
        that cannot be wider than the widest so far, or a column already as wide as it may
        grow, is not measured."""
        widest = self.widest[key]
        if 2 * len(value) > widest and widest < MAX_WIDTH - 2 and key not in FIXED_WIDTHS:
            w = len(value) if value.isascii() and value.isprintable() else display_width(value)
            if w > widest:
                self.widest[key] = w

    def apply(self, ws: Worksheet) -> None:
        for j, key in enumerate(self.columns):
            width = FIXED_WIDTHS.get(key) or min(max(self.widest[key] + 2, MIN_WIDTH), MAX_WIDTH)
            ws.set_column(j, j, width)
