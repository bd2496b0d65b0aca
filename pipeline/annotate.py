"""An annotated copy of the checked workbook: each cell at fault coloured by severity and
carrying a comment that lists its findings.

The user's workbook is loaded with openpyxl (not read-only, so its formatting is kept),
marked, and saved into memory; the input file is never written. Findings are grouped by
cell first, so the work grows with the number of findings, not the size of the workbook.
Findings that have no cell (a missing sheet) are listed on a "Check notes" sheet added
at the front, with a legend of the colours.
"""

from __future__ import annotations

import io
import warnings
from collections import defaultdict
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook as Book
from openpyxl.worksheet.worksheet import Worksheet

from .checks import CheckResult
from .findings import SEVERITIES, SEVERITY_ORDER, Finding, worst
from .i18n import t
from .model import Workbook
from .report import HEADER_COLOUR, LINE_HEIGHT, SEVERITY_COLOURS, legal, safe_sheet_name, wrapped_lines

AUTHOR = "reception pipeline"
FILLS = {s: PatternFill(fill_type="solid", start_color=fill, end_color=fill)
         for s, (fill, _) in SEVERITY_COLOURS.items()}
COMMENT_WIDTH_PX = 320
COMMENT_LINE_UNITS = 48  # digit widths of comment text (Tahoma 9) on one line of that width
COMMENT_LINE_PX = 15
COMMENT_MAX_HEIGHT_PX = 420
HEADER_FILL = PatternFill(fill_type="solid", start_color=HEADER_COLOUR, end_color=HEADER_COLOUR)
NOTE_COLUMNS = ("severity", "clause", "visit_id", "sheet", "row", "column", "rule", "message")
NOTE_WIDTHS = {"severity": 14, "clause": 12, "visit_id": 14, "sheet": 14, "row": 7, "column": 16, "rule": 24,
               "message": 80}


@dataclass(frozen=True)
class Place:
    sheet: str  # the sheet name as written
    row: int  # Excel row
    col: int  # Excel column (1-based)


def annotate_copy(result: CheckResult) -> bytes:
    """The checked workbook with its findings marked on their cells, as .xlsx bytes."""
    with warnings.catch_warnings():  # openpyxl warns about features it drops; the library never prints
        warnings.simplefilter("ignore")
        book = load_workbook(result.workbook.path)
    placed, unplaced = place_findings(result.findings, result.workbook, set(book.sheetnames))
    for where, findings in placed.items():
        _mark(_cell(book[where.sheet], where.row, where.col), findings, result.lang)
    _notes_sheet(book, result, unplaced, sum(len(fs) for fs in placed.values()))
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book.save(buf)
    return buf.getvalue()


def place_findings(findings: list[Finding], wb: Workbook, sheet_names: set[str]
                   ) -> tuple[dict[Place, list[Finding]], list[Finding]]:
    """The findings grouped by the cell they go on, and those that have no cell."""
    infos = {info.name: info for info in wb.sheets.values()}
    placed: dict[Place, list[Finding]] = defaultdict(list)
    unplaced: list[Finding] = []
    for f in findings:
        if f.sheet not in sheet_names or f.row is None:
            unplaced.append(f)
            continue
        info = infos.get(f.sheet)
        columns = info.columns if info else {}
        index = columns.get(f.field) if f.field else None
        if index is None:  # the whole row, or a column the sheet lacks: the row's first cell
            index = columns.get("visit_id", 0)
        placed[Place(f.sheet, f.row, index + 1)].append(f)
    return dict(placed), unplaced


def _cell(ws: Worksheet, row: int, col: int):
    """The cell at (row, col); inside a merged range, the range's top-left cell."""
    cell = ws.cell(row=row, column=col)
    if isinstance(cell, MergedCell):
        for rng in ws.merged_cells.ranges:
            if cell.coordinate in rng:
                return ws.cell(row=rng.min_row, column=rng.min_col)
    return cell


def _mark(cell, findings: list[Finding], lang: str) -> None:
    findings = sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity])
    cell.fill = FILLS[worst(findings)]
    text = "\n".join(comment_line(f, lang) for f in findings)
    if cell.comment is not None and cell.comment.author != AUTHOR:
        text += "\n\n" + cell.comment.text  # keep the user's own comment below ours
    cell.comment = _comment(legal(text))


def comment_line(f: Finding, lang: str) -> str:
    """`[error] §3.1.1 visit.client_org: 'Client organisation' is blank: …`"""
    head = " ".join(p for p in (f"[{t(lang, f'severity.{f.severity}')}]", f"§{f.clause}" if f.clause else "",
                                f.rule) if p)
    return f"{head}: {f.message}"


def _comment(text: str) -> Comment:
    height = min(COMMENT_LINE_PX * wrapped_lines(text, COMMENT_LINE_UNITS) + 12, COMMENT_MAX_HEIGHT_PX)
    return Comment(text, AUTHOR, height=height, width=COMMENT_WIDTH_PX)


# ---- the notes sheet ---------------------------------------------------------------------------

def _notes_sheet(book: Book, result: CheckResult, unplaced: list[Finding], placed: int) -> None:
    lang = result.lang
    ws = book.create_sheet(_free_name(book, t(lang, "report.annotated.notes_sheet")), 0)
    for other in book.worksheets:
        other.sheet_view.tabSelected = False
    book.active = 0
    ws.sheet_view.tabSelected = True
    font = _FontMaker(ws.cell(row=1, column=1).font)

    _put(ws, 1, 1, t(lang, "report.annotated.title", workbook=result.workbook.name, date=result.today.isoformat()),
         font(size=14))
    _put(ws, 3, 1, t(lang, "report.annotated.legend"), font())
    for j, severity in enumerate(SEVERITIES, start=2):
        label = _put(ws, 3, j, t(lang, f"severity.{severity}"), font(color=SEVERITY_COLOURS[severity][1]))
        label.fill = FILLS[severity]
    _put(ws, 3, len(SEVERITIES) + 2, t(lang, "report.annotated.legend_hint"))
    lines = []
    if not result.findings:
        lines.append(t(lang, "report.annotated.none"))
    if placed:
        lines.append(t(lang, "report.annotated.placed", count=placed))
    if unplaced:
        lines.append(t(lang, "report.annotated.unplaced", count=len(unplaced)))
    elif result.findings:
        lines.append(t(lang, "report.annotated.all_placed"))
    for i, line in enumerate(lines, start=5):
        _put(ws, i, 1, line)
    for j, key in enumerate(NOTE_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(j)].width = NOTE_WIDTHS[key]
    if unplaced:
        _notes_table(ws, 5 + len(lines) + 1, unplaced, lang, font)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _notes_table(ws: Worksheet, top: int, findings: list[Finding], lang: str, font: _FontMaker) -> None:
    for j, key in enumerate(NOTE_COLUMNS, start=1):
        _put(ws, top, j, t(lang, f"report.columns.{key}"), font()).fill = HEADER_FILL
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, f in enumerate(findings, start=top + 1):
        values = {"severity": t(lang, f"severity.{f.severity}"), "clause": f"§{f.clause}" if f.clause else "",
                  "rule": f.rule, "visit_id": f.visit_id or t(lang, "report.workbook_level"),
                  "sheet": f.sheet or "", "row": f.row, "column": f.column or "", "message": f.message}
        for j, key in enumerate(NOTE_COLUMNS, start=1):
            _put(ws, i, j, values[key]).alignment = wrap
        severity = ws.cell(row=i, column=1)
        severity.fill, severity.font = FILLS[f.severity], font(color=SEVERITY_COLOURS[f.severity][1])
        lines = wrapped_lines(f.message, NOTE_WIDTHS["message"])
        if lines > 1:
            ws.row_dimensions[i].height = LINE_HEIGHT * lines
    ws.auto_filter.ref = f"A{top}:{get_column_letter(len(NOTE_COLUMNS))}{top + len(findings)}"
    ws.freeze_panes = f"A{top + 1}"
    ws.print_title_rows = f"{top}:{top}"


class _FontMaker:
    """Bold fonts in the workbook's own default typeface (a theme font stays a theme font)."""

    def __init__(self, base: Font):
        self.base = base

    def __call__(self, size: float | None = None, color: str | None = None) -> Font:
        b = self.base
        return Font(name=b.name, size=size or b.size, family=b.family, scheme=b.scheme, bold=True, color=color)


def _put(ws: Worksheet, row: int, col: int, value, font: Font | None = None):
    """Write a value; text always stays text (openpyxl would take `=…` for a formula)."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = legal(value)
        cell.data_type = "s"
    else:
        cell.value = value
    if font is not None:
        cell.font = font
    return cell


def _free_name(book: Book, name: str) -> str:
    name = safe_sheet_name(name)
    taken = {n.casefold() for n in book.sheetnames}
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{name[:27]} ({n})"
    return candidate
