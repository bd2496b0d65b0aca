"""The "Check notes" sheet put first in the copy: title, legend of the colours, counts,
and the table of the findings that have no cell. What goes where is laid out once
(`notes_sheet`); the patched copy writes it as worksheet XML (`notes_xml`), the
openpyxl fallback through openpyxl (`fallback.put_notes`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from ..checks import CheckResult
from ..findings import SEVERITIES, Finding
from ..i18n import t
from ..layout.palette import HEADER_COLOUR, SEVERITY_COLOURS
from ..layout.sheets import LINE_HEIGHT, safe_sheet_name
from ..layout.text import legal, wrapped_lines
from ..ooxml.schema import MAIN_NS, REL_NS
from ..ooxml.xmltext import DECLARATION, esc
from .styles import StyleSheet

NOTE_COLUMNS = ("severity", "clause", "visit_id", "sheet", "row", "column", "rule", "message")
NOTE_WIDTHS = {"severity": 14, "clause": 12, "visit_id": 14, "sheet": 14, "row": 7, "column": 16, "rule": 24,
               "message": 80}
FIRST_LINE = 5  # the row of the first line of counts; the table follows a blank row after them


@dataclass(frozen=True)
class Look:
    """A cell's format: bold text in the workbook's default font (at `size`, in
    `colour`), a solid `fill`, text wrapped and aligned to the top."""
    bold: bool = False
    size: float | None = None
    colour: str | None = None
    fill: str | None = None
    wrap: bool = False


@dataclass(frozen=True)
class NoteCell:
    row: int
    col: int
    value: str | int | None
    look: Look | None = None


@dataclass(frozen=True)
class NotesSheet:
    """The notes sheet as laid out, for either way of writing it."""
    name: str
    cells: list[NoteCell]  # in the order their formats are first made
    heights: dict[int, float]  # row -> points, for the rows whose message wraps
    top: int  # the table's header row
    findings: int  # rows of the table (0: no table)

    @property
    def last_col(self) -> int:
        return len(NOTE_COLUMNS) if self.findings else len(SEVERITIES) + 2

    @property
    def widths(self) -> dict[int, float]:
        return {j: NOTE_WIDTHS[key] for j, key in enumerate(NOTE_COLUMNS, start=1)}

    def table_ref(self, absolute: bool = False) -> str:
        """The table with its header row, `A7:H12` (`$A$7:$H$12`)."""
        d = "$" if absolute else ""
        return f"{d}A{d}{self.top}:{d}{get_column_letter(len(NOTE_COLUMNS))}{d}{self.top + self.findings}"


def notes_sheet(result: CheckResult, unplaced: list[Finding], placed: int, taken_names: Iterable[str]
                ) -> NotesSheet:
    """The notes sheet of `result`, named so that no sheet of `taken_names` clashes."""
    lang = result.lang
    name = free_name(taken_names, t(lang, "report.annotated.notes_sheet"))
    cells = [NoteCell(1, 1, t(lang, "report.annotated.title", workbook=result.workbook.name,
                              date=result.today.isoformat()), Look(bold=True, size=14)),
             NoteCell(3, 1, t(lang, "report.annotated.legend"), Look(bold=True))]
    for j, severity in enumerate(SEVERITIES, start=2):
        fill, font = SEVERITY_COLOURS[severity]
        cells.append(NoteCell(3, j, t(lang, f"severity.{severity}"), Look(bold=True, colour=font, fill=fill)))
    cells.append(NoteCell(3, len(SEVERITIES) + 2, t(lang, "report.annotated.legend_hint")))
    lines = _lines(result, unplaced, placed)
    cells += [NoteCell(i, 1, line) for i, line in enumerate(lines, start=FIRST_LINE)]
    top = FIRST_LINE + len(lines) + 1
    heights: dict[int, float] = {}
    if unplaced:
        header = Look(bold=True, fill=HEADER_COLOUR)
        cells += [NoteCell(top, j, t(lang, f"report.columns.{key}"), header)
                  for j, key in enumerate(NOTE_COLUMNS, start=1)]
        for i, f in enumerate(unplaced, start=top + 1):
            cells += _table_row(i, f, lang)
            lines_of_message = wrapped_lines(f.message, NOTE_WIDTHS["message"])
            if lines_of_message > 1:
                heights[i] = LINE_HEIGHT * lines_of_message
    return NotesSheet(name, cells, heights, top, len(unplaced))


def _table_row(row: int, f: Finding, lang: str) -> list[NoteCell]:
    """One finding's row. The severity (the first column, in the severity's colours)
    comes last: the plain format is made first, so the styles part lists the formats in
    the order it always has."""
    values = {"severity": t(lang, f"severity.{f.severity}"), "clause": f"§{f.clause}" if f.clause else "",
              "rule": f.rule, "visit_id": f.visit_id or t(lang, "report.workbook_level"),
              "sheet": f.sheet or "", "row": f.row, "column": f.column or "", "message": f.message}
    fill, font = SEVERITY_COLOURS[f.severity]
    plain = [NoteCell(row, j, values[key], Look(wrap=True)) for j, key in enumerate(NOTE_COLUMNS[1:], start=2)]
    return plain + [NoteCell(row, 1, values["severity"], Look(bold=True, colour=font, fill=fill, wrap=True))]


def _lines(result: CheckResult, unplaced: list[Finding], placed: int) -> list[str]:
    lang = result.lang
    lines = []
    if not result.findings:
        lines.append(t(lang, "report.annotated.none"))
    if placed:
        lines.append(t(lang, "report.annotated.placed", count=placed))
    if unplaced:
        lines.append(t(lang, "report.annotated.unplaced", count=len(unplaced)))
    elif result.findings:
        lines.append(t(lang, "report.annotated.all_placed"))
    return lines


def free_name(taken_names: Iterable[str], name: str) -> str:
    """`name`, or `name (2)`, … where a sheet of that name exists (Excel compares them
    ignoring case)."""
    name = safe_sheet_name(name)
    taken = {n.casefold() for n in taken_names}
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{name[:27]} ({n})"
    return candidate


# ---- as worksheet XML --------------------------------------------------------------------------

def notes_xml(sheet: NotesSheet, styles: StyleSheet) -> bytes:
    """The notes sheet as a worksheet part (inline strings), its formats added to `styles`."""
    rows: dict[int, list[tuple[int, bytes]]] = defaultdict(list)
    for cell in sheet.cells:
        look = cell.look
        style = styles.note(look.bold, look.size, look.colour, look.fill, look.wrap) if look else 0
        xml = _cell_xml(cell, style)
        if xml:
            rows[cell.row].append((cell.col, xml))
    view = b'<sheetView tabSelected="1" workbookViewId="0">'
    if sheet.findings:
        first = sheet.top + 1
        view += (b'<pane ySplit="%d" topLeftCell="A%d" activePane="bottomLeft" state="frozen"/>'
                 b'<selection pane="bottomLeft" activeCell="A%d" sqref="A%d"/>' % (sheet.top, first, first, first))
    view += b"</sheetView>"
    cols = b"".join(b'<col min="%d" max="%d" width="%s" customWidth="1"/>' % (j, j, str(width).encode())
                    for j, width in sheet.widths.items())
    body = []
    for r in sorted(rows):
        height = b' ht="%s" customHeight="1"' % str(sheet.heights[r]).encode() if r in sheet.heights else b""
        body.append(b'<row r="%d"%s>%s</row>' % (r, height, b"".join(xml for _, xml in sorted(rows[r]))))
    autofilter = b'<autoFilter ref="%s"/>' % sheet.table_ref().encode() if sheet.findings else b""
    return (DECLARATION + b'<worksheet xmlns="%s" xmlns:r="%s"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            b'<dimension ref="A1:%s%d"/><sheetViews>%s</sheetViews><sheetFormatPr defaultRowHeight="15"/>'
            b"<cols>%s</cols><sheetData>%s</sheetData>%s"
            b'<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
            b'<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>'
            % (MAIN_NS.encode(), REL_NS.encode(), get_column_letter(sheet.last_col).encode(), max(rows), view,
               cols, b"".join(body), autofilter))


def _cell_xml(cell: NoteCell, style: int) -> bytes:
    """A cell element; nothing for a blank cell without a format."""
    ref = f"{get_column_letter(cell.col)}{cell.row}".encode()
    s = b' s="%d"' % style if style else b""
    value = cell.value
    if isinstance(value, str) and value:
        return b'<c r="%s"%s t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>' % (ref, s, esc(legal(value)))
    if value is None or value == "":
        return b'<c r="%s"%s/>' % (ref, s) if style else b""
    return b'<c r="%s"%s><v>%s</v></c>' % (ref, s, str(value).encode())


def defined_names(sheet: NotesSheet) -> list[tuple[str, str]]:
    """The names the table needs on the notes sheet: its filter range and print titles."""
    if not sheet.findings:
        return []
    return [("_xlnm._FilterDatabase", sheet.table_ref(absolute=True)),
            ("_xlnm.Print_Titles", f"${sheet.top}:${sheet.top}")]
