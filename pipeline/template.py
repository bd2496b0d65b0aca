"""Blank visits workbooks (Chinese and English), built from the contract and the standard.

Sheet names, headers and drop-down lists come from the contract; which columns are
required, and when, comes from the company's rules file, as do the Preparation columns
(one per checklist item). So a company that edits its rules gets a matching template.

Header cells hold the label in the workbook's language only: the reader quotes the header
as written in every finding, so the other language's label goes into the header's
comment, with the requirement notes, rather than onto a second line of the cell.

The same writer fills rows in below the headers (a `Filling`): that is how the sample
workbook is written (`pipeline/sample.py`), so it looks exactly like the template.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path

from xlsxwriter.worksheet import Worksheet

from .contract import CONFIDENTIAL_GUEST_FIELDS, GUESTS, PREP_STATUS, SHEETS, SHEETS_BY_KEY, Column, Sheet
from .i18n import LANGS, fill, joined, other_lang, t, texts
from .layout.palette import HEADER_COLOUR
from .layout.sheets import DATE_FORMAT, DATETIME_FORMAT, LINE_HEIGHT, TIME_FORMAT, Formats, new_workbook, print_setup
from .layout.text import display_columns, lines_at
from .output import write_bytes
from .standard import Rule, Standard

LAST_ROW = 1000  # drop-downs and formats reach this Excel row

SECTION_ORDER = ("client", "travel", "background", "needs", "plan", "approval", "closeout")
SECTION_COLOURS = {
    "client": "#2F5597", "travel": "#548235", "background": "#BF8F00", "needs": "#C55A11",
    "plan": "#7030A0", "approval": "#1B7F7E", "closeout": "#595959",
}
SPARE_COLOURS = ("#A5243D", "#3B6E8F", "#6B8E23")  # sections a later contract may add
PLAIN_HEADER = "#" + HEADER_COLOUR
REQUIRED_FONT = "#C00000"

LONG_TEXT = frozenset({
    "objective", "org_profile", "business_domain", "industry_position", "gifts", "security",
    "emergency", "approval_notes", "minutes", "follow_up", "notes", "dietary", "preferences",
    "background", "activity", "details", "duties", "attendees", "guests",
})
TEXT_FORMAT = frozenset({"visit_id", "contact_phone", "phone", "staff_id", "reference"})  # keep leading zeros
NUMBER_FORMATS = {"datetime": DATETIME_FORMAT, "date": DATE_FORMAT, "time": TIME_FORMAT}
TEXT_LINE_UNITS = 118  # display units of text on one line of the instructions' 100-wide column
PRINT_PAGE_UNITS = 200  # column width per printed A4 landscape page (about 70% scale)
BASE_WIDTHS = {"id": 13, "datetime": 17, "date": 12, "time": 8, "int": 9, "yesno": 9, "email": 24, "names": 24}


def write_templates(folder: Path, standard: Standard) -> list[Path]:
    """Write the Chinese and the English blank workbook into `folder`."""
    return [write_bytes(Path(folder) / t(lang, "template.file"), render_template(standard, lang), Path(folder))
            for lang in LANGS]


@dataclass(frozen=True)
class Filling:
    """What a filled workbook holds beyond the blank template.

    `rows` maps a sheet key to its rows, each a mapping of column keys to values: a date,
    time or datetime is a date cell, an int a number, True/False the yes/no label, an
    enumeration key its label; any other string is text as given (a date typed as text
    stays text). A key the sheet has no column for is an error."""
    rows: Mapping[str, Sequence[Mapping[str, object]]]
    title: str | None = None  # a line above the Visits table, as many workbooks have
    properties: Mapping[str, object] = field(default_factory=dict)  # the file's title, author, created


def render_template(standard: Standard, lang: str, filling: Filling | None = None) -> bytes:
    """A visits workbook in `lang`: instructions, then the six contract sheets, blank or
    with `filling`'s rows."""
    buf = io.BytesIO()
    book = new_workbook(buf)
    if filling and filling.properties:
        book.set_properties(dict(filling.properties))
    styles = _Styles(book)
    sheets = [standard.sheet(s.key) for s in SHEETS]
    _instructions(book.add_worksheet(_text(lang)["instructions_sheet"]), styles, sheets, lang)
    for sheet in sheets:
        ws = book.add_worksheet(sheet.label(lang))
        title = filling.title if filling and sheet.key == "visits" else None
        layout = _data_sheet(ws, styles, standard, sheet, lang, title)
        if filling:
            _rows(ws, styles, layout, filling.rows.get(sheet.key, ()), lang)
    book.close()
    return buf.getvalue()


# ---- formats -------------------------------------------------------------------------------

class _Styles(Formats):
    """The shared format cache, with the template's own kinds of cell."""

    def header(self, fill_colour: str, required: bool):
        return self(bold=True, text_wrap=True, align="center", valign="vcenter", border=1,
                    border_color="#A6A6A6", bg_color=fill_colour,
                    font_color=REQUIRED_FONT if required else "#000000")

    def band(self, colour: str):
        return self(bold=True, font_color="#FFFFFF", bg_color=colour, align="center", valign="vcenter",
                    border=1, border_color="#FFFFFF")

    def cell(self, column: Column):
        props: dict = {"valign": "top"}
        if column.key in LONG_TEXT:
            props["text_wrap"] = True
        if column.type in NUMBER_FORMATS:
            props["num_format"] = NUMBER_FORMATS[column.type]
        elif column.key in TEXT_FORMAT:
            props["num_format"] = "@"
        return self(**props)


def _tint(colour: str, amount: float = 0.8) -> str:
    """`colour` mixed with white: the lighter tone of a section for its header cells."""
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02X}" for c in rgb)


def _section_colour(section: str, sections: list[str]) -> str:
    if section in SECTION_COLOURS:
        return SECTION_COLOURS[section]
    return SPARE_COLOURS[sections.index(section) % len(SPARE_COLOURS)]


# ---- texts ---------------------------------------------------------------------------------

def _text(lang: str) -> dict:
    return texts(lang)["template"]


def _value_label(column: Column | None, value: object, lang: str) -> str:
    if isinstance(value, bool):
        return texts(lang)["answer"]["yes" if value else "no"]
    for choice in column.choices if column else ():
        if choice.key == str(value):
            return choice.label(lang)
    return str(value)


def _values(column: Column | None, values: object, lang: str) -> str:
    """`a`, `a or b`, `a, b or c`."""
    items = [_value_label(column, v, lang) for v in (values if isinstance(values, (list, tuple)) else [values])]
    if len(items) == 1:
        return items[0]
    return joined(lang, items[:-1]) + _text(lang)["comment"]["or"] + items[-1]


def choice_labels(column: Column, lang: str) -> list[str]:
    """The drop-down list of an enumeration, yes/no or preparation column."""
    if column.type == "yesno":
        return [texts(lang)["answer"]["yes"], texts(lang)["answer"]["no"]]
    return [c.label(lang) for c in column.choices]


# ---- what a header says about its column -----------------------------------------------------

def is_required(standard: Standard, sheet: Sheet, column: Column) -> bool:
    """Always required: the visit ID, every checklist item, and fields with an unconditional
    error-level rule."""
    if column.key == "visit_id" or column.type == "prep":
        return True
    return any(r.severity == "error" and not r.when for r in standard.rules_for(sheet.key, column.key))


def requirement_notes(standard: Standard, sheet: Sheet, column: Column, lang: str) -> list[str]:
    """One line per rule on the column: required, recommended or a value it must take, and when."""
    words = _text(lang)["comment"]
    notes = [words["required"]] if column.key == "visit_id" or column.type == "prep" else []
    for rule in standard.rules_for(sheet.key, column.key):
        notes.append(_rule_note(rule, sheet, column, lang))
    if column.type == "prep":
        notes.extend(_na_note(standard, column, lang))
    return list(dict.fromkeys(notes))


def _rule_note(rule: Rule, sheet: Sheet, column: Column, lang: str) -> str:
    words = _text(lang)["comment"]
    if rule.equals is not None:
        what = fill(words["must_be"], values=_values(column, list(rule.equals), lang))
    else:
        what = words["required" if rule.severity == "error" else "recommended"]
    if rule.when:
        conditions = words["and"].join(_condition(field_, value, sheet, lang) for field_, value in rule.when.items())
        what = fill(words["when"], what=what, conditions=conditions)
    if rule.due_days:
        what = fill(words["due"], what=what, days=rule.due_days)
    return what


def _condition(field_: str, value: object, sheet: Sheet, lang: str) -> str:
    words = _text(lang)["comment"]
    target_sheet, _, key = field_.rpartition(".")
    on_visit = bool(target_sheet) and sheet.key != "visits"
    source = SHEETS_BY_KEY["visits"] if target_sheet else sheet
    column = next((c for c in source.columns if c.key == key), None)
    label = column.label(lang) if column else key
    if on_visit:
        label = fill(words["visit_column"], column=label)
    return fill(words["condition"], column=label, values=_values(column, value, lang))


def _na_note(standard: Standard, column: Column, lang: str) -> list[str]:
    item = next((i for i in standard.preparation if i.key == column.key), None)
    if item is None or not item.na_unless:
        return []
    visits = SHEETS_BY_KEY["visits"]
    target = next((c for c in visits.columns if c.key == item.na_unless), None)
    label = target.label(lang) if target else item.na_unless
    na = next(c for c in PREP_STATUS if c.key == "n/a").label(lang)
    return [fill(_text(lang)["comment"]["na_unless"], column=label, na=na)]


def header_comment(standard: Standard, sheet: Sheet, column: Column, lang: str) -> str:
    """The header's comment: the other language's label, then notes on filling it in."""
    tx = _text(lang)
    lines = [column.label(other_lang(lang)), *requirement_notes(standard, sheet, column, lang)]
    note = (tx.get("column_notes") or {}).get(sheet.key, {}).get(column.key)
    if note:
        lines.append(note)
    if sheet.key == GUESTS.key and column.key in CONFIDENTIAL_GUEST_FIELDS:
        lines.append(tx["comment"]["confidential"])
    return "\n".join(lines)


# ---- data sheets ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Layout:
    columns: tuple[Column, ...]  # in template order
    banded: bool  # a section band row above the header
    titled: bool = False  # a title row above it all

    @property
    def band_row(self) -> int:  # 0-based
        return int(self.titled)

    @property
    def header_row(self) -> int:  # 0-based
        return int(self.titled) + int(self.banded)


def _layout(sheet: Sheet, titled: bool = False) -> _Layout:
    """Visits columns sorted into their sections (column order does not matter to the
    reader); other sheets as the contract lists them."""
    if not any(c.section for c in sheet.columns):
        return _Layout(sheet.columns, False, titled)
    order = list(SECTION_ORDER) + [c.section for c in sheet.columns if c.section not in SECTION_ORDER]
    return _Layout(tuple(sorted(sheet.columns, key=lambda c: order.index(c.section))), True, titled)


def _width(column: Column, lang: str) -> int:
    if column.key in LONG_TEXT:
        return 36
    if column.type in ("enum", "prep", "yesno"):
        base = max(display_columns(x) for x in choice_labels(column, lang)) + 4  # room for the arrow
    else:
        base = BASE_WIDTHS.get(column.type, 14)
    return max(base, min(display_columns(column.label(lang)) + 3, 24))


def _header_height(columns: Iterable[Column], widths: list[int], lang: str) -> float:
    lines = max(lines_at(c.label(lang), max(w - 2, 1)) for c, w in zip(columns, widths))
    return LINE_HEIGHT * lines + 8


def _data_sheet(ws: Worksheet, styles: _Styles, standard: Standard, sheet: Sheet, lang: str,
                title: str | None = None) -> _Layout:
    layout = _layout(sheet, titled=title is not None)
    hr = layout.header_row
    if title is not None:
        ws.write_string(0, 0, title, styles(bold=True, font_size=16, font_color="#1F3864"))  # the instructions' title
        ws.set_row(0, 26)
    sections = list(dict.fromkeys(c.section for c in layout.columns))
    widths = [_width(c, lang) for c in layout.columns]
    for j, (column, width) in enumerate(zip(layout.columns, widths)):
        ws.set_column(j, j, width, styles.cell(column), _outline(layout, j))
        fill_colour = _tint(_section_colour(column.section, sections)) if layout.banded else PLAIN_HEADER
        ws.write_string(hr, j, column.label(lang), styles.header(fill_colour, is_required(standard, sheet, column)))
        comment = header_comment(standard, sheet, column, lang)
        ws.write_comment(hr, j, comment, {"x_scale": 2.2, "y_scale": 0.5 + 0.28 * comment.count("\n")})
        _validation(ws, column, hr + 1, j, lang)
    ws.set_row(hr, _header_height(layout.columns, widths, lang))
    if layout.banded:
        _band_row(ws, styles, layout, sections, lang)
        ws.outline_settings(True, True, False, False)  # group buttons over each section's first column
    ws.freeze_panes(hr + 1, 1)
    print_setup(ws, pages_wide=math.ceil(sum(widths) / PRINT_PAGE_UNITS), repeat_rows=(0, hr), repeat_columns=(0, 0))
    return layout


def _rows(ws: Worksheet, styles: _Styles, layout: _Layout, rows: Iterable[Mapping[str, object]], lang: str) -> None:
    """`rows` below the header, each cell in its column's format (see `Filling`)."""
    keys = {c.key for c in layout.columns}
    for i, row in enumerate(rows, layout.header_row + 1):
        unknown = set(row) - keys
        if unknown:
            raise KeyError(f"{ws.name}, row {i + 1}: no column for {sorted(unknown)}")
        for j, column in enumerate(layout.columns):
            value = row.get(column.key)
            if value is None:
                continue
            if isinstance(value, (date, time)):  # a datetime is a date
                ws.write_datetime(i, j, value, styles.cell(column))
            elif isinstance(value, int) and not isinstance(value, bool):
                ws.write_number(i, j, value, styles.cell(column))
            else:
                ws.write_string(i, j, _value_label(column, value, lang), styles.cell(column))


def _outline(layout: _Layout, j: int) -> dict:
    """Each section but the client's collapses to its first column. Adjacent columns of one
    outline level form a single group, so a section's first column stays at level 0: it
    separates the sections and keeps their key column (arrival, approval, status) in view."""
    if not layout.banded:
        return {}
    column = layout.columns[j]
    first_of_section = j == 0 or layout.columns[j - 1].section != column.section
    return {} if column.section == "client" or first_of_section else {"level": 1}


def _band_row(ws: Worksheet, styles: _Styles, layout: _Layout, sections: list[str], lang: str) -> None:
    names = _text(lang)["sections"]
    band = layout.band_row
    start = 0
    for j in range(1, len(layout.columns) + 1):
        if j < len(layout.columns) and layout.columns[j].section == layout.columns[start].section:
            continue
        section = layout.columns[start].section
        label, fmt = names.get(section, section), styles.band(_section_colour(section, sections))
        if j - 1 > start:
            ws.merge_range(band, start, band, j - 1, label, fmt)
        else:
            ws.write_string(band, start, label, fmt)
        start = j
    ws.set_row(band, 22)


def _validation(ws: Worksheet, column: Column, first_row: int, j: int, lang: str) -> None:
    title = _text(lang)
    label = column.label(lang)
    if column.type in ("enum", "yesno", "prep"):
        labels = choice_labels(column, lang)
        reason = {"yesno": "yesno", "prep": "prep"}.get(column.type, "enum")
        ws.data_validation(first_row, j, LAST_ROW - 1, j, {
            "validate": "list", "source": labels,
            # a warning, not a stop: the reader also takes keys, the other language and 有/无 …
            "error_type": "warning", "error_title": title["dropdown_title"],
            "error_message": t(lang, f"read.value.{reason}", column=label, choices=joined(lang, labels)),
        })
    elif column.type == "int":
        ws.data_validation(first_row, j, LAST_ROW - 1, j, {
            "validate": "integer", **_bounds(column), "error_type": "warning",
            "error_title": title["number_title"], "error_message": t(lang, "read.value.int", column=label),
        })


def _bounds(column: Column) -> dict:
    if column.max is not None:
        return {"criteria": "between", "minimum": column.min or 0, "maximum": column.max}
    return {"criteria": ">=", "value": column.min or 0}


# ---- the instructions sheet ------------------------------------------------------------------

def _instructions(ws: Worksheet, styles: _Styles, sheets: list[Sheet], lang: str) -> None:
    tx = _text(lang)
    ws.hide_gridlines(2)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 100, styles(text_wrap=True, valign="top"))
    heading = styles(bold=True, font_size=12, font_color="#1F3864")
    row = 0

    def line(a: str, b: str = "", a_fmt=None, b_fmt=None, lines: int = 1) -> None:
        nonlocal row
        ws.write_string(row, 0, a, a_fmt or styles(valign="top", bold=True))
        if b:
            ws.write_string(row, 1, b, b_fmt or styles(text_wrap=True, valign="top"))
        if lines > 1:
            ws.set_row(row, LINE_HEIGHT * lines)
        row += 1

    def wrapped_lines(text: str) -> int:
        return lines_at(text, TEXT_LINE_UNITS)

    ws.write_string(row, 0, tx["title"], styles(bold=True, font_size=16, font_color="#1F3864"))
    ws.set_row(row, 26)
    row += 1
    ws.merge_range(row, 0, row, 1, tx["intro"], styles(text_wrap=True, valign="top"))
    ws.set_row(row, LINE_HEIGHT * lines_at(tx["intro"], TEXT_LINE_UNITS * 1.25) + 4)
    row += 2

    line(tx["sheets_heading"], a_fmt=heading)
    for sheet in sheets:
        line(sheet.label(lang), tx["sheet_rows"].get(sheet.key, ""))
    row += 1

    line(tx["rules_heading"], a_fmt=heading)
    for i, rule in enumerate(tx["rules"], 1):
        line(f"{i}.", rule, a_fmt=styles(align="right", valign="top"), lines=wrapped_lines(rule))
    row += 1

    line(tx["legend_heading"], a_fmt=heading)
    visits = next(s for s in sheets if s.key == "visits")
    sample = visits.column("client_org"), visits.column("notes")
    line(sample[0].label(lang), tx["legend"]["required"], a_fmt=styles.header(PLAIN_HEADER, True))
    line(sample[1].label(lang), tx["legend"]["optional"], a_fmt=styles.header(PLAIN_HEADER, False))
    ws.write_comment(row, 0, sample[0].label(other_lang(lang)))
    line(visits.column("visit_id").label(lang), tx["legend"]["comment"], a_fmt=styles.header(PLAIN_HEADER, True),
         lines=wrapped_lines(tx["legend"]["comment"]))
    row += 1

    line(tx["sections_heading"], a_fmt=heading)
    line("", tx["sections_intro"], lines=wrapped_lines(tx["sections_intro"]))
    layout = _layout(visits)
    sections = list(dict.fromkeys(c.section for c in layout.columns))
    for section in sections:
        members = joined(lang, (c.label(lang) for c in layout.columns if c.section == section))
        line(tx["sections"].get(section, section), members, a_fmt=styles.band(_section_colour(section, sections)),
             lines=wrapped_lines(members))
    row += 1

    confidential = joined(lang, (GUESTS.column(k).label(lang) for k in CONFIDENTIAL_GUEST_FIELDS))
    text = fill(tx["confidential"], columns=confidential)
    line(tx["confidential_heading"], text, a_fmt=styles(bold=True, font_color=REQUIRED_FONT, valign="top"),
         b_fmt=styles(bold=True, text_wrap=True, valign="top"), lines=wrapped_lines(text))
    print_setup(ws)
