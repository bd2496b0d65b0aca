"""Read a visits workbook (the contract in ../shared/WORKBOOK.md) into typed records.

The engine is python-calamine (the reader pandas uses as `engine="calamine"`), called
directly: on the 10,000-visit benchmark it reads the six sheets several times faster
than openpyxl and saves pandas' import and DataFrame building (see scripts/bench.py).
Calamine gives a formula's cached value but cannot tell a formula without one from a
blank, so sheets that hold formulas are scanned once in their XML for those cells.
Characters XML cannot hold (invisible control characters pasted from other systems) are
removed from every text cell, so no report or document fails on them; `Workbook.cleaned`
lists the cells, each a finding of the rules file's `control_characters_removed` check.
Before calamine sees a file, preflight.inspect tells what it is when it is no .xlsx and
refuses packages built to exhaust memory, and preflight.check_sheet refuses a sheet whose
cells span more than calamine can allocate; whatever the parsers still refuse is a
WorkbookError naming the file, never an exception of theirs.
"""

from __future__ import annotations

import math
import re
import threading
import zipfile
import zlib
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from functools import partial
from itertools import compress, count, groupby, repeat, zip_longest
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import NamedTuple

import python_calamine as calamine
from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from . import preflight, values
from .contract import SHEETS, Column, Sheet
from .errors import WorkbookError
from .findings import SEVERITY_ORDER, Finding
from .i18n import t
from .model import Record, SheetInfo, Visit, Workbook, no_gc
from .standard import Standard

HEADER_SEARCH_ROWS = 10
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
# Spreadsheets in other formats are not skipped but refused with what to do (save as .xlsx).
OTHER_SPREADSHEET_SUFFIXES = {".xls", ".xlsb", ".ods", ".csv", ".et", ".numbers"}
# What the parsers raise on a file they cannot read (zlib: a corrupt part; KeyError: a
# part the package names but lacks; the rest: zip and XML errors, a part too odd to read).
_UNREADABLE = (calamine.CalamineError, zipfile.BadZipFile, zlib.error, SafeET.ParseError, DefusedXmlException,
               KeyError, EOFError, NotImplementedError, RuntimeError, UnicodeError, ValueError, OSError)


# ---- finding the workbooks -------------------------------------------------------------

def find_workbooks(path: Path) -> tuple[list[Path], list[tuple[str, Path]]]:
    """The workbooks to process under `path` (a folder or one file), and the files skipped
    with the reason key (`skipped_lock`, `skipped_hidden`, `skipped_other`, `skipped_special`:
    not a regular file).

    An Excel lock file (`~$…`) is skipped too, but it fails the run once the rest is
    built (see `Run.exit_code`): the workbook it stands for is open in Excel or WPS, so
    what was read may not be what staff see on screen."""
    if path.is_file():
        return [path], []
    if not path.is_dir():  # a pipe, socket or device given as --input
        return [], [("skipped_special", path)]
    found, skipped = [], []
    for p in sorted(path.iterdir()):
        if p.is_dir():
            continue
        if not p.is_file():  # a FIFO would block the read forever; a socket or device is no workbook
            skipped.append(("skipped_special", p))
        elif p.name.startswith("~$"):
            skipped.append(("skipped_lock", p))
        elif p.name.startswith("."):
            skipped.append(("skipped_hidden", p))
        elif p.suffix.lower() in WORKBOOK_SUFFIXES | OTHER_SPREADSHEET_SUFFIXES:
            found.append(p)
        elif p.name.lower() not in ("readme.md", "readme.txt", ".gitkeep"):
            skipped.append(("skipped_other", p))
    return found, skipped


def locked_workbook(lock: Path) -> Path | None:
    """The workbook an Office lock file stands for, when it is beside it: the lock of
    `visits.xlsx` is `~$visits.xlsx`, or, as Office names it for some longer names, `~$`
    in place of the first two characters (`~$27年客户接待台账.xlsx`)."""
    rest = lock.name[2:]
    for p in sorted(lock.parent.iterdir()) if lock.parent.is_dir() else ():
        if p != lock and not p.name.startswith("~$") and (p.name == rest or p.name[2:] == rest):
            return p
    return None


# ---- reading one workbook --------------------------------------------------------------

def read_workbook(path: Path, standard: Standard) -> Workbook:
    """Read every contract sheet of the workbook at `path`.

    Raises WorkbookError when the file is not a readable visits workbook; every problem
    inside the workbook (a missing sheet or column, a value that cannot be read) becomes
    a finding in `Workbook.problems` instead.

    The sheets are parsed in background threads while this one turns each parsed sheet
    into records (see _SheetLoader); the garbage collector is paused meanwhile (see
    model.no_gc).
    """
    book = _open(path)
    names = [m.name for m in book.sheets_metadata]
    matched = {s.key: _match_sheet(s, names) for s in SHEETS}
    if matched["visits"] is None:
        raise WorkbookError.of(path, "file.no_visits_sheet")
    lang = "zh" if _has_cjk(matched["visits"]) else "en"

    wb = Workbook(path=path, lang=lang, sheets={}, rows={key: [] for key in matched})
    memos: dict = {}  # parser -> its results for text values, across sheets
    problems: dict[str, list[Finding]] = {}  # by sheet, put in contract order at the end
    cleaned: dict[str, list] = {}
    for key, name in matched.items():
        if name is None:
            problems[key] = [_sheet_missing(wb, standard.sheet(key))]
    with no_gc(), _SheetLoader(book, path, {n: k for k, n in matched.items() if n}) as sheets:
        for key, grid, xml, merged in sheets.parsed():
            sheet = standard.sheet(key)
            header_row = _header_row(grid, sheet)
            if header_row is None:
                if key == "visits":
                    raise WorkbookError.of(path, "file.no_header", sheet=matched[key])
                problems[key] = [_sheet_missing(wb, sheet)]
                continue
            _fill_merged(grid, merged, header_row)
            info = _map_columns(sheet, matched[key], header_row, grid[header_row - 1])
            _zero_padded(grid, xml.padded, sheet, info)
            wb.sheets[key] = info
            wb.rows[key], unreadable, cleaned[key] = _records(wb, sheet, info, grid, xml.uncached, standard, memos,
                                                              sheets.date1904)
            problems[key] = [*_missing_columns(wb, sheet, info, standard), *unreadable]
            del grid
        wb.problems = [f for key in matched for f in problems.get(key, ())]
        wb.cleaned = [c for key in matched for c in cleaned.get(key, ())]
        wb.sheets = {key: wb.sheets[key] for key in matched if key in wb.sheets}
        _group(wb)
    return wb


class _SheetLoader:
    """The parsed sheets, as each is ready: its grid, its formula cells without a value,
    its merged ranges.

    Two background threads parse the sheets while this thread takes each parsed sheet as
    it comes and turns it into records: calamine releases the GIL while it parses, so on
    two cores the parsing and the work on parsed sheets overlap. One thread starts on the
    largest sheet, so that it does not keep the others waiting at the end, the other on
    the smallest, so that this thread has work at once; then the rest, largest first.
    A workbook object parses one sheet at a time, so the second thread opens the file
    once more. Each thread also scans the sheet's XML for formulas without a value, which
    calamine cannot tell from blanks (zlib, too, releases the GIL while it inflates).
    """

    THREADS = 2

    def __init__(self, book, path: Path, sheets: dict[str, str]):
        """`sheets`: the workbook's sheet name -> the contract's key of the sheet."""
        self.path = path
        self.books = [book]  # a workbook object for each thread: this one, then new ones
        self.parts: dict[str, str] = {}
        self.zips: list[zipfile.ZipFile] = []  # each thread's own handle on the file
        self.lock = threading.Lock()
        self.local = threading.local()
        try:
            with zipfile.ZipFile(path) as z:
                self.parts = _sheet_parts(z)
                self.date1904 = _date1904(z)
                self.padded_styles = _padded_styles(z)
                sizes = {info.filename: info.file_size for info in z.infolist()}
        except _UNREADABLE:
            raise WorkbookError.of(path, "file.not_workbook") from None
        by_size = sorted(sheets, key=lambda name: -sizes.get(self.parts.get(name, ""), 0))
        order = by_size[:1] + by_size[-1:] + by_size[1:-1] if len(by_size) > 2 else by_size
        self.pool = ThreadPoolExecutor(max_workers=max(1, min(self.THREADS, len(sheets))),
                                       thread_name_prefix="read-sheets")
        self.jobs = {self.pool.submit(self._parse, name): sheets[name] for name in order}

    def _parse(self, name: str):
        if not hasattr(self.local, "book"):
            with self.lock:
                book = self.books.pop() if self.books else None
                self.local.zip = zipfile.ZipFile(self.path)
                self.zips.append(self.local.zip)
            self.local.book = book or calamine.CalamineWorkbook.from_path(str(self.path))
        part = self.parts.get(name)
        if part is None:  # calamine names a sheet workbook.xml does not give the same way
            raise WorkbookError.of(self.path, "file.not_workbook")
        data = self.local.zip.read(part)
        preflight.check_sheet(data, self.path, name)  # before calamine allocates its cells
        return self.local.book.get_sheet_by_name(name), SheetXml(_uncached_in_part(data),
                                                                 _padded_in_part(data, self.padded_styles))

    def parsed(self) -> Iterator[tuple[str, list[list], SheetXml, list]]:
        """(contract key, grid, what its XML tells beyond the values, merged ranges) of
        each sheet, in the order they are parsed."""
        for job in as_completed(self.jobs):
            try:
                sheet, xml = job.result()
                grid = sheet.to_python(skip_empty_area=False)
            except _UNREADABLE:
                raise WorkbookError.of(self.path, "file.not_workbook") from None
            yield self.jobs[job], grid, xml, sheet.merged_cell_ranges or []

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        for z in self.zips:
            z.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _open(path: Path):
    preflight.inspect(path)
    try:
        return calamine.CalamineWorkbook.from_path(str(path))
    except OSError as e:
        raise WorkbookError.of(path, "file.cannot_open", reason=e.strerror or str(e)) from None
    except Exception:  # calamine's own errors: broken zip, broken XML, password, …
        raise WorkbookError.of(path, "file.not_workbook") from None


_CJK = re.compile(r"[\u3400-\u9fff]")


def _has_cjk(s: str) -> bool:
    return bool(_CJK.search(s))


def _match_sheet(sheet: Sheet, names: list[str]) -> str | None:
    wanted = {values.normalize(x) for x in (sheet.zh, sheet.en, sheet.zh + sheet.en, sheet.en + sheet.zh)}
    for n in names:
        if values.normalize(n) in wanted:
            return n
    return None


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


def _field_severity(standard: Standard, sheet: str, key: str, default: str = "warning") -> tuple[str, str | None]:
    """The strongest severity and first clause of the rules on a field."""
    rules = standard.rules_for(sheet, key)
    if not rules:
        return default, None
    strongest = min((r.severity for r in rules), key=SEVERITY_ORDER.__getitem__)
    return strongest, rules[0].clause


def _sheet_missing(wb: Workbook, sheet: Sheet) -> Finding:
    return Finding(None, "sheet.missing", sheet.clause, "error", sheet.label(wb.lang), None, None,
                   t(wb.lang, "read.sheet_missing", sheet=sheet.label(wb.lang)), sheet_key=sheet.key)


def _missing_columns(wb: Workbook, sheet: Sheet, info: SheetInfo, standard: Standard) -> Iterator[Finding]:
    for col in sheet.columns:
        if col.key in info.columns:
            continue
        rules = standard.rules_for(sheet.key, col.key)
        if col.type == "prep" or col.key == "visit_id":
            rules = rules or [None]
        if not rules:
            continue  # an optional column: it simply has no values
        severity, clause = _field_severity(standard, sheet.key, col.key, "error")
        label = col.label(wb.lang)
        yield Finding(None, "column.missing", clause or sheet.clause, severity, info.name,
                      info.header_row, label, t(wb.lang, "read.column_missing", sheet=info.name, column=label),
                      field=col.key, sheet_key=sheet.key)


def _parser(column: Column, date1904: bool = False, years: tuple[int, int] | None = None
            ) -> Callable[[object], object]:
    if years and column.type in ("date", "datetime"):
        return partial(_within, _parser(column, date1904), years)
    if date1904 and column.type in ("date", "datetime"):
        return partial(_from_1904, _parser(column))
    match column.type:
        case "id":
            return values.visit_id
        case "int":
            return partial(values.whole_number, lo=column.min, hi=column.max)
        case "date":
            return values.date_value
        case "time":
            return values.time_value
        case "datetime":
            return values.datetime_value
        case "yesno":
            return values.yes_no
        case "enum" | "prep":
            return partial(values.choice, choices=column.choices)
        case "email":
            return values.email
        case "names":
            return values.names
        case _:
            return values.text


def _within(parse: Callable[[object], object], years: tuple[int, int], value: object):
    """A date in the rules file's plausible years (settings.plausible_years); another year
    is a typo (0001, 9999) that no visit has, and that date arithmetic cannot take."""
    parsed = parse(value)
    if parsed is not None and not years[0] <= parsed.year <= years[1]:
        raise values.BadValue("year")
    return parsed


_DAYS_1900_TO_1904 = 1462


def _from_1904(parse: Callable[[object], object], value: object):
    """A date typed as a number in a workbook on the 1904 date system (old Mac Excel):
    its serial counts from 1904, the parsers' from 1900. (Date cells calamine converts
    itself.)"""
    if value.__class__ in (int, float):
        value += _DAYS_1900_TO_1904
    return parse(value)


_NUMBERS = frozenset({bool, int, float})  # 1 == 1.0 == True: they would share a dict key


def _parse_column(cells: tuple, parse: Callable[[object], object], memo: dict | None = None,
                  placeholders: values.Placeholders | None = None, screen: bool = False):
    """A column's cells parsed: (values, {index: BadValue reason}, {indexes of cells that
    held invisible control characters, which are removed before parsing}).

    A cell that holds only a placeholder (`placeholders`: `待定`, `TBD`, …) has no value
    and the reason "placeholder": looked for among the strings of a text column
    (`screen`), where any string is a value, and among the strings another column cannot
    read (an enumeration takes `待确认` as its label first).

    Each distinct cell value is parsed once: a column repeats its values (enumerations,
    dates, names) and a dict lookup is much cheaper than a parser call. Values of
    different types that compare equal (1, 1.0, True) would share a key, so a column that
    mixes them is keyed by (type, value). `memo` keeps the parser's results for text
    across columns (visit IDs recur on every sheet): text value -> value or BadValue.
    """
    keys = cells
    distinct = set(cells)
    if not _NUMBERS.isdisjoint(map(type, distinct)) and len(_NUMBERS.intersection(map(type, cells))) > 1:
        keys = tuple(zip(map(type, cells), cells))
        distinct = set(keys)
    typed = keys is not cells
    raws = [k[1] for k in distinct] if typed else list(distinct)
    strings = [r for r in raws if r.__class__ is str]
    joined = "".join(strings)
    dirty_keys = set()
    if values.has_illegal(joined):
        dirty_keys = {k for k, r in zip(distinct, raws) if r.__class__ is str and values.has_illegal(r)}
    if memo is None:
        memo = {}
    parsed, bad_keys = {}, {}
    pending = zip(distinct, raws)
    many = values.MANY.get(parse)
    if many and strings and not typed and not dirty_keys and "\n" not in joined and "\r" not in joined:
        done = many(strings)
        if done is not None:  # the strings at once (see values.MANY); the other values below
            parsed, bad_keys = dict(zip(strings, done[0])), done[1]
            pending = [(r, r) for r in raws if r.__class__ is not str] if len(strings) < len(raws) else ()
    for k, raw in pending:
        if k in dirty_keys:
            raw = values.clean(raw)
        result = memo.get(raw, memo) if raw.__class__ is str else memo
        if result is memo:
            try:
                result = parse(raw)
            except values.BadValue as e:
                result = e
            if raw.__class__ is str:
                memo[raw] = result
        if result.__class__ is values.BadValue:
            parsed[k] = None
            bad_keys[k] = result.reason
        else:
            parsed[k] = result
    if placeholders and strings:
        _placeholders(placeholders, screen, distinct, raws, strings, parsed, bad_keys, parse(None))
    out = _lookup(parsed, keys)
    bad, dirty = {}, set()
    if bad_keys or dirty_keys:
        for i, k in enumerate(keys):
            if k in bad_keys:
                bad[i] = bad_keys[k]
            if k in dirty_keys:
                dirty.add(i)
    return out, bad, dirty


def _placeholders(placeholders: values.Placeholders, screen: bool, distinct, raws: list, strings: list[str],
                  parsed: dict, bad_keys: dict, blank: object) -> None:
    """Mark the distinct values that are placeholders: the column's `blank` value (None,
    or () for names), and the reason "placeholder"."""
    if screen:
        held = placeholders.among(strings)
    else:
        unread = [raw for k, raw in zip(distinct, raws) if k in bad_keys and raw.__class__ is str]
        held = placeholders.among(unread) if unread else ()
    if held:
        for k, raw in zip(distinct, raws):
            if raw.__class__ is str and raw in held:
                parsed[k] = blank
                bad_keys[k] = "placeholder"


def _lookup(mapping: dict, keys: tuple) -> tuple:
    """mapping[k] for each key, in C (itemgetter is quicker than map over __getitem__)."""
    if len(keys) < 2:
        return tuple(mapping[k] for k in keys)
    return itemgetter(*keys)(mapping)


def _blank_rows(columns: list[tuple], first: int) -> list[int]:
    """The positions of the rows whose every cell is blank (values.is_blank), found
    column by column: the rows with a blank in column `first` (the visit ID, which
    nearly every row has: one pass in C), then of those the rows with a blank in each
    other column."""
    if not columns:
        return []
    column = columns[first]
    blanks = {v for v in set(column) if values.is_blank(v)}
    rows = list(compress(count(), map(blanks.__contains__, column))) if blanks else []
    for j, column in enumerate(columns):
        if not rows:
            break
        if j != first:
            rows = [i for i in rows if values.is_blank(column[i])]
    return rows


_NOTHING_BAD: frozenset = frozenset()
# Columns where any string is a value, so placeholders are looked for among all their strings.
_SCREENED = frozenset({"text", "names"})


def _records(wb: Workbook, sheet: Sheet, info: SheetInfo, grid: list[list], uncached: set[tuple[int, int]],
             standard: Standard, memos: dict, date1904: bool = False
             ) -> tuple[list[Record], list[Finding], list[tuple[Record, str]]]:
    """The sheet's data rows as records, the findings on the cells that cannot be read,
    and the cells whose control characters were removed (for `Workbook.cleaned`).

    The cells are parsed column by column (see `_parse_column`; `memos` holds each
    parser's results for text, shared by the sheets), then put together row by row.
    """
    columns = [(c, info.columns[c.key]) for c in sheet.columns if c.key in info.columns]
    defaults = {c.key: standard.default(c.key) for c, _ in columns if standard.default(c.key)} \
        if sheet.key == "visits" else {}
    by_index = list(zip_longest(*grid[info.header_row:], fillvalue=None))
    rows = range(info.header_row, len(grid))  # 0-based, in the grid
    blank = _blank_rows(by_index, info.columns.get("visit_id", 0))
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
    parsed_columns, problems = [], []  # problems: (row position, column position, Finding)
    bad_at: dict[int, set[str]] = {}
    held_at: dict[int, dict[str, str]] = {}  # row position -> field -> the placeholder it held
    dirty: list[tuple[int, int]] = []  # (row position, column position)
    placeholders = standard.placeholders
    for n, (col, j) in enumerate(columns):
        parse = _parser(col, date1904, years)
        memo = memos.setdefault(parse, {}) if not isinstance(parse, partial) else None
        out, bad, dirt = _parse_column(by_index[j], parse, memo, placeholders, col.type in _SCREENED)
        parsed_columns.append(out)
        for r, reason in bad.items():
            if reason == "placeholder":
                held_at.setdefault(r, {})[col.key] = by_index[j][r].strip()
            else:
                bad_at.setdefault(r, set()).add(col.key)
                problems.append((r, n, reason))
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

    # Findings, row by row: the values that cannot be read, then formulas without a value.
    found = []
    for r, n, reason in problems:
        if n not in no_value.get(r, ()):
            found.append((r, 0, n, _bad_value(wb, sheet, info, records[r], columns[n][0], reason, standard)))
    for r, ns in no_value.items():
        for n in ns:
            found.append((r, 1, n, _formula_finding(wb, sheet, info, records[r].row, columns[n][0], standard,
                                                    records[r].values.get("visit_id"))))
    found.sort(key=lambda x: x[:3])
    cleaned = [(records[r], keys[n]) for r, n in sorted(dirty) if n not in no_value.get(r, ())]
    return records, [f for *_, f in found], cleaned


def _bad_value(wb: Workbook, sheet: Sheet, info: SheetInfo, record: Record, col: Column, reason: str,
               standard: Standard) -> Finding:
    severity, clause = _field_severity(standard, sheet.key, col.key)
    header = info.headers[col.key]
    sep = "、" if wb.lang == "zh" else ", "
    choices = sep.join(c.label(wb.lang) for c in col.choices)
    bounds = f"{col.min if col.min is not None else ''}–{col.max if col.max is not None else ''}"
    years = "–".join(map(str, standard.settings["plausible_years"]))
    message = t(wb.lang, f"read.value.{reason}", column=header, choices=choices, range=bounds, years=years)
    return Finding(record.values.get("visit_id"), "value.invalid", clause or sheet.clause, severity, info.name,
                   record.row, header, message, field=col.key, sheet_key=sheet.key)


def _formula_finding(wb: Workbook, sheet: Sheet, info: SheetInfo, row: int, col: Column, standard: Standard,
                     visit_id: str | None) -> Finding:
    severity, clause = _field_severity(standard, sheet.key, col.key)
    return Finding(visit_id, "value.formula_uncached", clause or sheet.clause, severity, info.name, row,
                   info.headers[col.key], t(wb.lang, "read.formula_uncached"), field=col.key, sheet_key=sheet.key)


class SheetXml(NamedTuple):
    """What a sheet's XML tells that calamine's values do not: cells are (Excel row,
    0-based column)."""
    uncached: set[tuple[int, int]]  # formula cells without a cached value
    padded: dict[tuple[int, int], int]  # number cells shown zero-padded -> digits shown


# ---- numbers shown with leading zeros -----------------------------------------------------

# Text columns whose numbers are read as the digits shown (phones, IDs).
_PADDED_TYPES = ("text", "id")
_ZERO_PADDING = re.compile(r"0{2,}")


def _padded_styles(z: zipfile.ZipFile) -> dict[int, int]:
    """Cell style (its index in cellXfs) -> digits, of the styles whose number format
    pads with zeros (`00000000000`: a phone 021… typed as a number keeps its 0 on
    screen). Excel has no such built-in format, so only the workbook's own count."""
    try:
        root = SafeET.fromstring(z.read("xl/styles.xml"))
    except KeyError:
        return {}
    widths: dict[str, int] = {}
    for el in root.iter():
        if el.tag.endswith("}numFmt"):
            code = (el.get("formatCode") or "").split(";")[0].strip()
            if _ZERO_PADDING.fullmatch(code):
                widths[el.get("numFmtId") or ""] = len(code)
    if not widths:
        return {}
    styles: dict[int, int] = {}
    for el in root.iter():
        if el.tag.endswith("}cellXfs"):
            for i, xf in enumerate(x for x in el if x.tag.endswith("}xf")):
                if xf.get("numFmtId") in widths:
                    styles[i] = widths[xf.get("numFmtId")]
    return styles


def _padded_in_part(data: bytes, styles: dict[int, int]) -> dict[tuple[int, int], int]:
    """The cells of the sheet XML with one of those styles -> digits shown. Most
    workbooks have no such style, and then the sheet is not searched."""
    if not styles:
        return {}
    ids = b"|".join(str(i).encode() for i in styles)
    tag = re.compile(rb"<(?:[\w.-]+:)?c\s[^>]*?(?<=\s)s\s*=\s*[\"'](" + ids + rb")[\"'][^>]*>")
    found = {}
    for m in tag.finditer(data):
        ref = preflight.reference_of(m[0])
        at = preflight.position(ref) if ref else None
        if at:
            found[(at[0] + 1, at[1])] = styles[int(m[1])]
    return found


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


# ---- formulas without a cached value -----------------------------------------------------

_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_TAG_NAME = re.compile(rb"\w+")
_FORMULA_TAG = re.compile(rb"<f[\s>/]")
_PREFIXED_FORMULA_TAG = re.compile(rb":f[\s>/]")


def _uncached_in_part(data: bytes) -> set[tuple[int, int]]:
    """The (Excel row, 0-based column) of the sheet part's formula cells with no cached
    value. Most sheets hold no formula at all: a plain byte search tells, and only a
    sheet with one is parsed as XML."""
    if not _has_formula(data):
        return set()
    return set(_formula_cells_without_value(data))


def _has_formula(data: bytes) -> bool:
    """Whether the sheet XML has an <f> element (or <x:f> with a namespace prefix). A `<`
    in text or an attribute is always escaped, so every `<f` starts a tag. (Two searches
    for a literal each are many times faster than one for either.)"""
    if _FORMULA_TAG.search(data):
        return True
    for m in _PREFIXED_FORMULA_TAG.finditer(data):
        lt = data.rfind(b"<", max(0, m.start() - 100), m.start())
        if lt != -1 and _TAG_NAME.fullmatch(data, lt + 1, m.start()):
            return True
    return False


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part in the zip, from workbook.xml and its relationships, found
    the way calamine finds it (so that the part checked here is the part it parses): a
    target under `/xl/` or `xl/` as it is, any other under `xl/`; of two sheets of one
    name, the first."""
    wb_xml = SafeET.fromstring(z.read("xl/workbook.xml"))
    rels = SafeET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") or "" for r in rels}
    parts: dict[str, str] = {}
    for el in wb_xml.iter():
        if el.tag.endswith("}sheet"):
            target = targets.get(el.get(_NS_REL), "")
            part = target[1:] if target.startswith("/xl/") else target if target.startswith("xl/") else f"xl/{target}"
            parts.setdefault(el.get("name"), part)
    return parts


def _date1904(z: zipfile.ZipFile) -> bool:
    """Whether the workbook counts dates from 1904 (`<workbookPr date1904="1"/>`)."""
    for el in SafeET.fromstring(z.read("xl/workbook.xml")).iter():
        if el.tag.endswith("}workbookPr"):
            return el.get("date1904", "0").strip().lower() in ("1", "true")
    return False


def _formula_cells_without_value(data: bytes) -> Iterator[tuple[int, int]]:
    root = SafeET.fromstring(data)
    for c in root.iter():
        if not c.tag.endswith("}c"):
            continue
        children = {ch.tag.rsplit("}", 1)[-1]: ch for ch in c}
        if "f" not in children:
            continue
        v = children.get("v")
        is_ = children.get("is")
        if (v is None or not (v.text or "").strip()) and is_ is None:
            at = preflight.position((c.get("r") or "").encode())
            if at:
                yield at[0] + 1, at[1]


# ---- grouping rows by visit ----------------------------------------------------------------

_VISIT_ID = attrgetter("visit_id")
_VALUES = attrgetter("values")


def _group(wb: Workbook) -> None:
    for rec in wb.rows["visits"]:
        vid = rec.visit_id
        if vid and vid not in wb.visits:
            wb.visits[vid] = Visit(record=rec)
    targets = {"guests": "guests", "itinerary": "items", "staff": "staff", "bookings": "bookings"}
    for sheet, attr in targets.items():
        for vid, recs in groupby(wb.rows[sheet], key=_VISIT_ID):  # a visit's rows mostly follow each other
            visit = wb.visits.get(vid)
            if visit is None:
                wb.orphans.extend(recs)
            else:
                getattr(visit, attr).extend(recs)
    for rec in wb.rows["preparation"]:
        visit = wb.visits.get(rec.visit_id)
        if visit is None:
            wb.orphans.append(rec)
        elif visit.preparation is None:
            visit.preparation = rec
