"""The slow way, for a package the patcher refuses: the workbook loaded with openpyxl
(formatting kept), marked, given the notes sheet, and saved. What openpyxl does not
support (some charts, images, form controls, …) is lost, which is why this is only
the fallback."""

from __future__ import annotations

import io
import warnings

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook as Book
from openpyxl.worksheet.worksheet import Worksheet

from ..checks import CheckResult
from ..findings import Finding, worst
from ..layout.palette import SEVERITY_COLOURS
from ..layout.text import legal
from .marks import AUTHOR, COMMENT_WIDTH_PX, comment_height, comment_text, place_findings, with_theirs
from .notes import NoteCell, NotesSheet, notes_sheet

WRAP = Alignment(wrap_text=True, vertical="top")


def annotate_with_openpyxl(result: CheckResult) -> bytes:
    """Load the workbook with openpyxl (formatting kept), mark it, save it into memory."""
    with warnings.catch_warnings():  # openpyxl warns about features it drops; the library never prints
        warnings.simplefilter("ignore")
        book = load_workbook(result.workbook.path)
    placed, unplaced = place_findings(result.findings, result.workbook, set(book.sheetnames))
    for where, findings in placed.items():
        _mark(_cell(book[where.sheet], where.row, where.col), findings, result.lang)
    put_notes(book, notes_sheet(result, unplaced, sum(len(fs) for fs in placed.values()), book.sheetnames))
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book.save(buf)
    return buf.getvalue()


def _cell(ws: Worksheet, row: int, col: int):
    """The cell at (row, col); inside a merged range, the range's top-left cell."""
    cell = ws.cell(row=row, column=col)
    if isinstance(cell, MergedCell):
        for rng in ws.merged_cells.ranges:
            if cell.coordinate in rng:
                return ws.cell(row=rng.min_row, column=rng.min_col)
    return cell


def _mark(cell, findings: list[Finding], lang: str) -> None:
    cell.fill = _solid(SEVERITY_COLOURS[worst(findings)][0])
    text = comment_text(findings, lang)
    if cell.comment is not None:
        text = with_theirs(text, cell.comment.author, cell.comment.text)
    cell.comment = Comment(text, AUTHOR, height=comment_height(text), width=COMMENT_WIDTH_PX)


def _solid(rgb: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=rgb, end_color=rgb)


def put_notes(book: Book, notes: NotesSheet) -> None:
    """The notes sheet, first and selected."""
    ws = book.create_sheet(notes.name, 0)
    for other in book.worksheets:
        other.sheet_view.tabSelected = False
    book.active = 0
    ws.sheet_view.tabSelected = True
    font = _FontMaker(ws.cell(row=1, column=1).font)
    for cell in notes.cells:
        _put(ws, cell, font)
    for j, width in notes.widths.items():
        ws.column_dimensions[get_column_letter(j)].width = width
    for row, height in notes.heights.items():
        ws.row_dimensions[row].height = height
    if notes.findings:
        ws.auto_filter.ref = notes.table_ref()
        ws.freeze_panes = f"A{notes.top + 1}"
        ws.print_title_rows = f"{notes.top}:{notes.top}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


class _FontMaker:
    """Bold fonts in the workbook's own default typeface (a theme font stays a theme font)."""

    def __init__(self, base: Font):
        self.base = base

    def __call__(self, size: float | None = None, color: str | None = None) -> Font:
        b = self.base
        return Font(name=b.name, size=size or b.size, family=b.family, scheme=b.scheme, bold=True, color=color)


def _put(ws: Worksheet, note: NoteCell, font: _FontMaker) -> None:
    """Write a value in its format; text always stays text (openpyxl would take `=…` for
    a formula)."""
    cell = ws.cell(row=note.row, column=note.col)
    if isinstance(note.value, str):
        cell.value = legal(note.value)
        cell.data_type = "s"
    else:
        cell.value = note.value
    look = note.look
    if look is None:
        return
    if look.bold:
        cell.font = font(look.size, look.colour)
    if look.fill:
        cell.fill = _solid(look.fill)
    if look.wrap:
        cell.alignment = WRAP
