"""One parsed sheet → its records.

The header row is found and the columns mapped by their labels; cells merged down a
column and numbers shown zero-padded are put as staff see them; the cells are parsed a
column at a time (pipeline.reader.columns) and put together row by row. A cell that
cannot be read is reported as it is, a plain problem (model.Unreadable): what it means
for the visit is the check stage's to say.
"""

from __future__ import annotations

import math
from collections import deque
from functools import partial
from itertools import compress, repeat, zip_longest
from operator import attrgetter
from typing import NamedTuple

from .. import values
from ..contract import Column, Sheet
from ..model import FORMULA_UNCACHED, Record, SheetInfo, Unreadable
from ..standard import Standard
from .columns import SCREENED, blank_rows, parse_column, parser_for
from .loader import ParsedSheet

HEADER_SEARCH_ROWS = 10


class SheetRead(NamedTuple):
    info: SheetInfo
    records: list[Record]  # its data rows, in order
    unreadable: list[Unreadable]  # row by row
    cleaned: list[tuple[Record, str]]  # the cells whose control characters were removed (Workbook.cleaned)


def read_sheet(parsed: ParsedSheet, sheet: Sheet, name: str, standard: Standard, memos: dict,
               date1904: bool = False) -> SheetRead | None:
    """The sheet `name` of the workbook, read as the contract's `sheet`; None when it has
    no header row. `memos`: each parser's results for text, shared by the sheets."""
    grid = parsed.grid
    header_row = _header_row(grid, sheet)
    if header_row is None:
        return None
    _fill_merged(grid, parsed.merged, header_row)
    info = _map_columns(sheet, name, header_row, grid[header_row - 1])
    _zero_padded(grid, parsed.xml.padded, sheet, info)
    return SheetRead(info, *_records(sheet, info, grid, parsed.xml.uncached, standard, memos, date1904))


# ---- the header ------------------------------------------------------------------------------

def _labels(column: Column) -> set[str]:
    return {values.normalize(x) for x in (column.key, column.zh, column.en, column.zh + column.en)}


def _header_keys(cell: object) -> set[str]:
    """The normalized forms a header cell can be matched by (each of its lines, and all)."""
    if not isinstance(cell, str) or not cell.strip():
        return set()
    lines = [values.normalize(x) for x in cell.splitlines() if x.strip()]
    return {values.normalize(cell), *lines}


def _header_row(grid: list[list], sheet: Sheet) -> int | None:
    id_labels = _labels(sheet.column("visit_id"))
    for i, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        if any(_header_keys(c) & id_labels for c in row):
            return i + 1
    return None


def _map_columns(sheet: Sheet, name: str, header_row: int, cells: list) -> SheetInfo:
    info = SheetInfo(key=sheet.key, name=name, header_row=header_row)
    by_label = {label: col for col in sheet.columns for label in _labels(col)}
    for i, cell in enumerate(cells):
        for k in _header_keys(cell):
            col = by_label.get(k)
            if col and col.key not in info.columns:
                info.columns[col.key] = i
                info.headers[col.key] = values.clean(str(cell)).strip()
                break
    return info


# ---- the grid as staff see it ----------------------------------------------------------------

def _fill_merged(grid: list[list], merged: list, header_row: int) -> None:
    """Give every row of a range merged across rows below the header its value, in the
    range's first column: staff merge a visit's ID (or a day's date) over its rows, and
    read it as written on each. (Excel keeps the value in the top-left cell only; a range
    merged across columns is layout, left as it is.) At most one pass over the grid's
    cells, whatever ranges the file lists."""
    if not merged:
        return
    budget = sum(map(len, grid))
    for (r0, c0), (r1, _) in merged:
        if r0 < header_row or r0 >= len(grid) or c0 >= len(grid[r0]):
            continue
        value = grid[r0][c0]
        for r in range(r0 + 1, min(r1, len(grid) - 1) + 1):
            budget -= 1
            if budget < 0:
                return
            if c0 < len(grid[r]) and values.is_blank(grid[r][c0]):
                grid[r][c0] = value


# Text columns whose numbers are read as the digits shown (phones, IDs).
_PADDED_TYPES = ("text", "id")


def _zero_padded(grid: list[list], padded: dict[tuple[int, int], int], sheet: Sheet, info: SheetInfo) -> None:
    """Whole numbers in the sheet's text columns (phones, IDs) that the workbook shows
    zero-padded become the digits shown: 2155550000 shown as 02155550000 is read as
    "02155550000"."""
    if not padded:
        return
    text_columns = {info.columns[c.key] for c in sheet.columns if c.type in _PADDED_TYPES and c.key in info.columns}
    for (excel_row, j), width in padded.items():
        if j not in text_columns or not 0 < excel_row <= len(grid) or j >= len(grid[excel_row - 1]):
            continue
        value = grid[excel_row - 1][j]
        if value.__class__ in (int, float) and math.isfinite(value) and value == int(value) and value >= 0:
            grid[excel_row - 1][j] = str(int(value)).zfill(width)


# ---- the records -----------------------------------------------------------------------------

_NOTHING_BAD: frozenset = frozenset()
_VALUES = attrgetter("values")


def _records(sheet: Sheet, info: SheetInfo, grid: list[list], uncached: set[tuple[int, int]],
             standard: Standard, memos: dict, date1904: bool = False
             ) -> tuple[list[Record], list[Unreadable], list[tuple[Record, str]]]:
    """The sheet's data rows as records, the cells that cannot be read, and the cells
    whose control characters were removed.

    The cells are parsed column by column (`memos` holds each parser's results for text,
    shared by the sheets), then put together row by row.
    """
    columns = [(c, info.columns[c.key]) for c in sheet.columns if c.key in info.columns]
    defaults = {c.key: standard.default(c.key) for c, _ in columns if standard.default(c.key)} \
        if sheet.key == "visits" else {}
    by_index = list(zip_longest(*grid[info.header_row:], fillvalue=None))
    rows = range(info.header_row, len(grid))  # 0-based, in the grid
    blank = blank_rows(by_index, info.columns.get("visit_id", 0))
    if blank:
        keep = [True] * len(rows)
        for i in blank:
            keep[i] = False
        rows = list(compress(rows, keep))
        by_index = [tuple(compress(column, keep)) for column in by_index]
    if not rows:
        return [], [], []
    keys = [c.key for c, _ in columns]
    years = tuple(standard.settings["plausible_years"])
    parsed_columns, problems = [], []  # problems: (row position, column position, reason, the cell)
    bad_at: dict[int, set[str]] = {}
    held_at: dict[int, dict[str, str]] = {}  # row position -> field -> the placeholder it held
    dirty: list[tuple[int, int]] = []  # (row position, column position)
    placeholders = standard.placeholders
    for n, (col, j) in enumerate(columns):
        parse = parser_for(col, date1904, years)
        memo = memos.setdefault(parse, {}) if not isinstance(parse, partial) else None
        out, bad, dirt = parse_column(by_index[j], parse, memo, placeholders, col.type in SCREENED)
        parsed_columns.append(out)
        for r, reason in bad.items():
            if reason == "placeholder":
                held_at.setdefault(r, {})[col.key] = by_index[j][r].strip()
            else:
                bad_at.setdefault(r, set()).add(col.key)
                problems.append((r, n, reason, by_index[j][r]))
        dirty.extend((r, n) for r in dirt)
    del by_index
    records = [Record(sheet.key, i + 1, dict(zip(keys, vals)), _NOTHING_BAD)
               for i, vals in zip(rows, zip(*parsed_columns))]
    absent = dict.fromkeys(c.key for c in sheet.columns if c.key not in info.columns)
    if absent:  # a column the sheet lacks reads as None, found in the dict (not through __getattr__)
        deque(map(dict.update, map(_VALUES, records), repeat(absent)), maxlen=0)
    for r, held in held_at.items():
        records[r].held = held

    # Formula cells without a value: no value at all (not even None) and marked bad.
    no_value: dict[int, list[int]] = {}  # row position -> column positions
    if uncached:
        position = {i + 1: r for r, i in enumerate(rows)}
        column_at = {j: n for n, (_, j) in enumerate(columns)}
        for excel_row, j in uncached:
            if excel_row in position and j in column_at:
                no_value.setdefault(position[excel_row], []).append(column_at[j])
        for r, ns in no_value.items():
            for n in ns:
                del records[r].values[keys[n]]
                bad_at.setdefault(r, set()).add(keys[n])
    for r, bad_keys in bad_at.items():
        records[r].bad = frozenset(bad_keys)
    if defaults:  # a blank cell takes the company's default; a placeholder still waits for its value
        for rec in records:
            for key, value in defaults.items():
                if rec.values.get(key) is None and key not in rec.held:
                    rec.values[key] = value

    # Row by row: the values that cannot be read, then the formulas without a value.
    found = [(r, 0, n, Unreadable(records[r], keys[n], reason, cell))
             for r, n, reason, cell in problems if n not in no_value.get(r, ())]
    found += [(r, 1, n, Unreadable(records[r], keys[n], FORMULA_UNCACHED, None))
              for r, ns in no_value.items() for n in ns]
    found.sort(key=lambda x: x[:3])
    cleaned = [(records[r], keys[n]) for r, n in sorted(dirty) if n not in no_value.get(r, ())]
    return records, [u for *_, u in found], cleaned
