"""The check report workbook: one summary line per visit, then every finding.

Rendered in the result's language with xlsxwriter; it returns the file's bytes and the
write stage (output.py) puts them on disk. Every text that comes from the user's
workbook or a message is written with `write_string`, so a value such as `=1+2` or
`@SUM(A1)` stays text and never becomes a formula.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from .checks import CheckResult
from .findings import Finding
from .i18n import t
from .summary import status_label

# (fill, font) per severity and per readiness: Excel's own Bad / Neutral / Good colours
SEVERITY_COLOURS = {"error": ("FFC7CE", "9C0006"), "warning": ("FFEB9C", "9C5700"), "info": ("DDEBF7", "1F4E78")}
READINESS_COLOURS = {"not_ready": SEVERITY_COLOURS["error"], "attention": SEVERITY_COLOURS["warning"],
                     "ready": ("C6EFCE", "006100"), "cancelled": ("E7E6E6", "595959")}
HEADER_COLOUR = "D9E1F2"
BORDER_COLOUR = "#BFBFBF"
DATE_FORMAT = "yyyy-mm-dd"

SUMMARY_COLUMNS = ("visit_id", "client_org", "arrival", "departure", "status", "readiness", "urgent",
                   "completeness", "error", "warning", "info")
FINDING_COLUMNS = ("visit_id", "severity", "clause", "rule", "sheet", "row", "column", "message", "due")
MIN_WIDTH, MAX_WIDTH = 6, 40
FIXED_WIDTHS = {"message": 80, "due": 12, "arrival": 12, "departure": 12, "completeness": 10}
LINE_HEIGHT = 16  # points per line of wrapped text: spreadsheets do not grow rows by themselves
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what XML 1.0 cannot hold (tab and line breaks it can)


def render_report(result: CheckResult) -> bytes:
    """The report workbook for one checked workbook, as .xlsx bytes."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                     "strings_to_numbers": False, "strings_to_urls": False})
    book.set_properties({"title": t(result.lang, "report.title", workbook=result.workbook.name),
                         "author": "reception pipeline",
                         "created": datetime.combine(result.today, datetime.min.time())})
    styles = _Styles(book)
    summary = book.add_worksheet(safe_sheet_name(t(result.lang, "report.sheets.summary")))
    _summary_sheet(summary, styles, result)
    _findings_sheet(book.add_worksheet(safe_sheet_name(t(result.lang, "report.sheets.findings"))),
                    styles, result)
    summary.activate()
    book.close()
    return buf.getvalue()


# ---- the summary sheet -----------------------------------------------------------------------

def _summary_sheet(ws: Worksheet, styles: _Styles, result: CheckResult) -> None:
    lang = result.lang
    lines = _title_lines(result)
    ws.write_string(0, 0, legal(lines[0]), styles(border=0, bold=True, font_size=14))
    for i, line in enumerate(lines[1:], start=1):
        ws.write_string(i, 0, legal(line), styles(border=0))
    top = len(lines) + 1
    _header(ws, styles, top, [t(lang, f"report.columns.{c}") for c in SUMMARY_COLUMNS])
    widths = _Widths(lang, SUMMARY_COLUMNS)
    col = {key: i for i, key in enumerate(SUMMARY_COLUMNS)}
    plain, date_style, urgent_style = styles(), styles(num_format=DATE_FORMAT), \
        styles(font_color="#C00000", bold=True, align="center")
    for r, vr in enumerate(result.visits, start=top + 1):
        v = vr.visit.record
        fill, font = READINESS_COLOURS[vr.readiness]
        texts = {"visit_id": vr.visit.id or "", "client_org": _one_line(v.client_org),
                 "status": status_label(v.status, lang), "readiness": t(lang, f"readiness.{vr.readiness}"),
                 "urgent": t(lang, "report.urgent_mark") if vr.urgent else ""}
        for key in ("visit_id", "client_org", "status"):
            _text(ws, r, col[key], texts[key], plain)
        readiness_style = styles(bg_color="#" + fill, font_color="#" + font, bold=True)
        _text(ws, r, col["readiness"], texts["readiness"], readiness_style)
        _text(ws, r, col["urgent"], texts["urgent"], urgent_style)
        for key in ("arrival", "departure"):
            _date(ws, r, col[key], v.values.get(key), date_style)
        if vr.readiness == "cancelled":  # not checked: no completeness or counts to show
            for key in ("completeness", "error", "warning", "info"):
                ws.write_blank(r, col[key], None, plain)
        else:
            ws.write_number(r, col["completeness"], vr.completeness / 100, styles(num_format="0%"))
            for key in ("error", "warning", "info"):
                ws.write_number(r, col[key], vr.count(key), plain)
        widths.see(texts)
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

def _findings_sheet(ws: Worksheet, styles: _Styles, result: CheckResult) -> None:
    lang = result.lang
    _header(ws, styles, 0, [t(lang, f"report.columns.{c}") for c in FINDING_COLUMNS])
    widths = _Widths(lang, FINDING_COLUMNS)
    plain, wrap = styles(), styles(text_wrap=True)
    severity_styles = {s: styles(bg_color="#" + fill, font_color="#" + font, bold=True)
                       for s, (fill, font) in SEVERITY_COLOURS.items()}
    date_style = styles(num_format=DATE_FORMAT)
    col = {key: i for i, key in enumerate(FINDING_COLUMNS)}
    for r, f in enumerate(result.findings, start=1):
        texts = _finding_texts(f, lang)
        for key, value in texts.items():
            _text(ws, r, col[key], value, wrap if key == "message" else plain)
        ws.write_string(r, col["severity"], t(lang, f"severity.{f.severity}"), severity_styles[f.severity])
        if f.row is not None:
            ws.write_number(r, col["row"], f.row, plain)
        else:
            ws.write_blank(r, col["row"], None, plain)
        _date(ws, r, col["due"], f.due, date_style)
        lines = wrapped_lines(f.message, FIXED_WIDTHS["message"])
        if lines > 1:
            ws.set_row(r, LINE_HEIGHT * lines)
        widths.see(texts)
    widths.see({"severity": t(lang, "severity.warning")})
    last = len(result.findings)
    if not result.findings:
        last = 1
        ws.write_string(1, 0, t(lang, "report.no_findings"), styles(border=0, italic=True, font_color="#595959"))
    widths.apply(ws)
    ws.autofilter(0, 0, last, len(FINDING_COLUMNS) - 1)
    ws.freeze_panes(1, 1)
    _print_setup(ws, 0, lang)


def _finding_texts(f: Finding, lang: str) -> dict[str, str]:
    return {"visit_id": f.visit_id or t(lang, "report.workbook_level"),
            "clause": f"§{f.clause}" if f.clause else "", "rule": f.rule, "sheet": f.sheet or "",
            "column": _one_line(f.column), "message": f.message}


# ---- shared pieces ---------------------------------------------------------------------------

class _Styles:
    """xlsxwriter formats, made once per distinct set of properties; every cell has a border
    and is aligned to the top so wrapped messages read well."""

    BASE = {"border": 1, "border_color": BORDER_COLOUR, "valign": "top"}

    def __init__(self, book: xlsxwriter.Workbook):
        self._book = book
        self._made: dict[tuple, object] = {}

    def __call__(self, **props):
        key = tuple(sorted(props.items()))
        if key not in self._made:
            base = self.BASE if props.get("border", 1) else {}
            self._made[key] = self._book.add_format({**base, **props})
        return self._made[key]


def _header(ws: Worksheet, styles: _Styles, row: int, labels: list[str]) -> None:
    style = styles(bold=True, bg_color="#" + HEADER_COLOUR, text_wrap=True)
    for j, label in enumerate(labels):
        ws.write_string(row, j, label, style)


def _text(ws: Worksheet, row: int, col: int, value: str, style) -> None:
    if value:
        ws.write_string(row, col, legal(value), style)
    else:
        ws.write_blank(row, col, None, style)


def _date(ws: Worksheet, row: int, col: int, value: date | None, style) -> None:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        ws.write_datetime(row, col, value, style)
    else:
        ws.write_blank(row, col, None, style)


def legal(text: str) -> str:
    """Without control characters (a workbook value may carry them): XML cannot hold them,
    and a spreadsheet would show them as `_x0007_`."""
    return _CONTROL.sub("", text)


def _one_line(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _print_setup(ws: Worksheet, header_row: int, lang: str) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)  # one page wide, as many tall as it takes
    ws.repeat_rows(header_row)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.set_footer("&C" + t(lang, "report.footer"))


def display_width(text: str) -> int:
    """Width of the longest line in character cells: a Chinese character takes two."""
    return max((sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
                for line in text.splitlines()), default=0)


def wrapped_lines(text: str, width: float) -> int:
    """About how many lines `text` takes in a wrapping column `width` characters wide: a
    Chinese character is about two digits wide, a letter a little less than one (erring
    on the side of a line too many, never one too few)."""
    usable = max(width - 2, 1)

    def units(line: str) -> float:
        return sum(2.0 if unicodedata.east_asian_width(ch) in "WF" else 0.9 for ch in line)

    return sum(max(1, math.ceil(units(line) / usable)) for line in text.split("\n"))


class _Widths:
    """Column widths that fit the header and the values seen, within bounds."""

    def __init__(self, lang: str, columns: Iterable[str]):
        self.columns = tuple(columns)
        self.widest = {c: display_width(t(lang, f"report.columns.{c}")) for c in self.columns}

    def see(self, texts: dict[str, str]) -> None:
        for key, value in texts.items():
            if key not in FIXED_WIDTHS and value:
                w = display_width(value)
                if w > self.widest[key]:
                    self.widest[key] = w

    def apply(self, ws: Worksheet) -> None:
        for j, key in enumerate(self.columns):
            width = FIXED_WIDTHS.get(key) or min(max(self.widest[key] + 2, MIN_WIDTH), MAX_WIDTH)
            ws.set_column(j, j, width)


def safe_sheet_name(name: str) -> str:
    """A sheet name Excel accepts: no []:*?/\\ and at most 31 characters."""
    for ch in "[]:*?/\\":
        name = name.replace(ch, " ")
    return name.strip()[:31] or "Sheet"
