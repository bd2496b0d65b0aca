"""The spreadsheet toolbox: what every xlsxwriter writer shares.

- `new_workbook`: a workbook that keeps every text a text (`=1+2`, `@SUM(A1)` and URLs
  stay as written; a writer puts formulas and links in on purpose);
- `Formats`: formats made once per distinct set of properties, on top of a writer's base;
- `print_setup`: A4, orientation, fit or scale, margins, rows and columns repeated on
  each page, page header and footer: the options that differ are its arguments;
- `print_header` / `header_text`: page header texts, escaped and cut as Excel wants them;
- `safe_sheet_name` / `fit_sheet_name`: names Excel accepts; `quote_sheet`: a name in a
  reference; `cut_utf16`: a text cut to a length as Excel counts it;
- `column_px`: a column's width in pixels, as Excel lays it out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import IO

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from .text import legal

A4 = 9  # xlsxwriter's paper code
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
TIME_FORMAT = "hh:mm"
LINE_HEIGHT = 16  # points per line of wrapped text at the default font: rows do not grow by themselves
MAX_SHEET_NAME = 31  # Excel's limit, in UTF-16 code units
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_TEXT_STAYS_TEXT = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}


def new_workbook(target: IO[bytes] | str, **options) -> xlsxwriter.Workbook:
    """An xlsxwriter workbook writing to `target` (a buffer: held in memory), in which a
    text never turns into a formula, number or link by itself; `options` add to these."""
    base = {"in_memory": True} if not isinstance(target, str) else {}
    return xlsxwriter.Workbook(target, {**base, **_TEXT_STAYS_TEXT, **options})


class Formats:
    """xlsxwriter formats, made once per distinct set of properties, each on top of
    `base` (`bare` leaves it out). Layers are merged in order, so a later one overrides:
    `formats(cell, {"bottom": 0}, bold=True)`."""

    def __init__(self, book: xlsxwriter.Workbook, base: Mapping | None = None):
        self._book = book
        self._base = dict(base or {})
        self._made: dict[tuple, Format] = {}

    def __call__(self, *layers: Mapping, **props) -> Format:
        return self._make({**self._base, **_merged(layers), **props})

    def bare(self, *layers: Mapping, **props) -> Format:
        """A format of these properties alone, without the base."""
        return self._make({**_merged(layers), **props})

    def _make(self, props: dict) -> Format:
        key = tuple(sorted(props.items()))
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = self._book.add_format(props)
        return made


def _merged(layers: tuple[Mapping, ...]) -> dict:
    out: dict = {}
    for layer in layers:
        out.update(layer)
    return out


def print_setup(ws: Worksheet, *, landscape: bool = True, pages_wide: int | None = 1, scale: int | None = None,
                margins: Mapping[str, float] | None = None, repeat_rows: tuple[int, int] | None = None,
                repeat_columns: tuple[int, int] | None = None, centre: bool = False,
                header: str | None = None, footer: str | None = None) -> None:
    """How a sheet prints, on A4: `pages_wide` pages across and as many down as it takes,
    or at a fixed `scale` (percent) instead; `margins` in inches (left, right, top,
    bottom; Excel's own where not given); `repeat_rows` and `repeat_columns` (first,
    last) on every page; `centre`d across the page; page `header` and `footer`."""
    ws.set_paper(A4)
    if landscape:
        ws.set_landscape()
    if scale is not None:
        ws.set_print_scale(scale)
    elif pages_wide:
        ws.fit_to_pages(pages_wide, 0)
    if margins:
        ws.set_margins(**margins)
    if repeat_rows is not None:
        ws.repeat_rows(*repeat_rows)
    if repeat_columns is not None:
        ws.repeat_columns(*repeat_columns)
    if centre:
        ws.center_horizontally()
    if header is not None:
        ws.set_header(header)
    if footer is not None:
        ws.set_footer(footer)


def print_header(company: str, title: str) -> str:
    """A printed sheet's header: the company left, the title right."""
    return f"&L{header_text(legal(company), 80)}&R{header_text(legal(title), 160)}"


def header_text(text: str, limit: int = 255) -> str:
    """Text for a page header or footer: `&` is a control character there, so it is
    doubled; cut to `limit` (Excel ignores a header over 255 characters) without
    splitting a doubled `&&`."""
    escaped = text.replace("&", "&&")[:limit]
    trailing = len(escaped) - len(escaped.rstrip("&"))
    return escaped[:-1] if trailing % 2 else escaped


def safe_sheet_name(name: str) -> str:
    """A sheet name Excel accepts: no []:*?/\\ and at most 31 characters."""
    return _SHEET_BAD.sub(" ", name).strip()[:MAX_SHEET_NAME] or "Sheet"


def without_bad_characters(name: str, replacement: str = "_") -> str:
    """`name` with the characters a sheet name cannot hold ([]:*?/\\) replaced."""
    return _SHEET_BAD.sub(replacement, name)


def fit_sheet_name(text: str, limit: int = MAX_SHEET_NAME) -> str:
    """At most `limit` UTF-16 code units (how Excel counts), no apostrophe at the end."""
    return cut_utf16(text, limit).rstrip("' ") or "_"


def cut_utf16(text: str, limit: int) -> str:
    """At most `limit` UTF-16 code units, as Excel counts a text's length, without
    splitting a character that takes two."""
    if len(text) * 2 <= limit:  # short enough however it is written
        return text
    return text.encode("utf-16-le")[:2 * limit].decode("utf-16-le", "ignore")


def quote_sheet(name: str) -> str:
    """A sheet name as a reference (`'Sheet'!A1`) writes it: in quotes, an apostrophe
    doubled."""
    return "'" + name.replace("'", "''") + "'"


def column_px(width: float) -> int:
    """A column `width` characters wide (as stored) in pixels, as Excel lays it out at
    its default font (Calibri 11: 7 pixels a digit)."""
    return max(0, int(width * 7 + 0.5))
