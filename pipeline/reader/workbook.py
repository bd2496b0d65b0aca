"""Read a visits workbook (the contract in ../shared/WORKBOOK.md) into typed records.

Calamine gives a formula's cached value but cannot tell a formula without one from a
blank, so sheets that hold formulas are scanned once in their XML for those cells
(pipeline.reader.sheetxml). Characters XML cannot hold (invisible control characters
pasted from other systems) are removed from every text cell, so no report or document
fails on them; `Workbook.cleaned` lists the cells, each a finding of the rules file's
`control_characters_removed` check.
"""

from __future__ import annotations

import re
from itertools import groupby
from operator import attrgetter
from pathlib import Path

from .. import values
from ..contract import SHEETS, Sheet
from ..errors import WorkbookError
from ..model import Visit, Workbook, no_gc
from ..standard import Standard
from .loader import SheetLoader, open_book
from .records import SheetRead, read_sheet


def read_workbook(path: Path, standard: Standard) -> Workbook:
    """Read every contract sheet of the workbook at `path`.

    Raises WorkbookError when the file is not a readable visits workbook; a sheet or
    column the workbook lacks is left out of `Workbook.sheets` (the check stage says
    what that means), a cell that cannot be read is one of `Workbook.unreadable`.

    The sheets are parsed in background threads while this one turns each parsed sheet
    into records (pipeline.reader.loader); the garbage collector is paused meanwhile (see
    model.no_gc).
    """
    book = open_book(path)
    matched = _match_sheets(book.sheet_names)
    if matched["visits"] is None:
        raise WorkbookError.of(path, "file.no_visits_sheet")
    wb = Workbook(path=path, lang="zh" if _has_cjk(matched["visits"]) else "en", sheets={},
                  rows={key: [] for key in matched})
    read: dict[str, SheetRead] = {}
    memos: dict = {}  # parser -> its results for text values, across sheets
    with no_gc(), SheetLoader(book, path, {n: k for k, n in matched.items() if n}) as loader:
        for parsed in loader.parsed():
            sheet = read_sheet(parsed, standard.sheet(parsed.key), matched[parsed.key], standard, memos,
                               loader.date1904)
            if sheet is None and parsed.key == "visits":
                raise WorkbookError.of(path, "file.no_header", sheet=matched["visits"])
            if sheet is not None:
                read[parsed.key] = sheet
        in_order = [read[key] for key in matched if key in read]  # as the contract lists them
        wb.sheets = {s.info.key: s.info for s in in_order}
        wb.rows.update((s.info.key, s.records) for s in in_order)
        wb.unreadable = [u for s in in_order for u in s.unreadable]
        wb.cleaned = [c for s in in_order for c in s.cleaned]
        _group(wb)
    return wb


# ---- the sheets ---------------------------------------------------------------------------

_CJK = re.compile(r"[\u3400-\u9fff]")


def _has_cjk(s: str) -> bool:
    return bool(_CJK.search(s))


def _match_sheets(names: list[str]) -> dict[str, str | None]:
    """Contract key -> the workbook's sheet of that name, in either language (None: none)."""
    return {sheet.key: _match_sheet(sheet, names) for sheet in SHEETS}


def _match_sheet(sheet: Sheet, names: list[str]) -> str | None:
    wanted = {values.normalize(x) for x in (sheet.zh, sheet.en, sheet.zh + sheet.en, sheet.en + sheet.zh)}
    for n in names:
        if values.normalize(n) in wanted:
            return n
    return None


# ---- grouping rows by visit ----------------------------------------------------------------

_VISIT_ID = attrgetter("visit_id")


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
