"""The typed records read from a visits workbook."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from .contract import SHEETS


_NOTHING_HELD: dict = {}  # shared by the records that hold no placeholder (never written to)
# The fields of each sheet's records: the contract's columns (version 2's included).
_CONTRACT_FIELDS = {sheet.key: frozenset(c.key for c in sheet.columns) for sheet in SHEETS}


class Record:
    """One row of a sheet: its Excel row number and its parsed values by contract key.

    Fields are read as attributes (`visit.arrival`); a field the sheet lacks, or a blank
    cell, reads as None; a name that is no field of the sheet's contract (a misspelt
    field) is an AttributeError. `bad` holds the fields whose cell could not be parsed
    (they already have a finding, so "missing" rules skip them).

    The values dict is the instance's `__dict__`, so reading a field is a plain attribute
    lookup; only a field the row lacks goes through `__getattr__`. (`sheet`, `row`,
    `values`, `bad`, `held` and `get` are not contract keys. A Preparation record's
    checklist items come from the rules file: they are read with `values.get`.)

    `held` maps the fields whose cell held only a placeholder (`待定`, `TBD`, …) to what it
    held: such a field has no value (None), and a rule that needs it says so.
    """

    __slots__ = ("sheet", "row", "bad", "held", "__dict__")

    def __init__(self, sheet: str, row: int, values: dict, bad: frozenset = frozenset(), held: dict = _NOTHING_HELD):
        self.sheet = sheet
        self.row = row
        self.__dict__ = values
        self.bad = bad
        self.held = held

    def __getattr__(self, key: str):
        """None for a field of the sheet's contract the row lacks (a column the sheet
        lacks, a formula cell without a value, a record made with fewer fields)."""
        try:
            sheet = object.__getattribute__(self, "sheet")
        except AttributeError:  # not set yet (while unpickling): no field at all
            raise AttributeError(key) from None
        if key in _CONTRACT_FIELDS.get(sheet, ()):
            return None
        raise AttributeError(f"a record of the {sheet!r} sheet has no field {key!r} (see pipeline/contract.py)")

    def __getstate__(self):
        return self.sheet, self.row, self.__dict__, self.bad, self.held

    def __setstate__(self, state) -> None:
        self.sheet, self.row, self.__dict__, self.bad, self.held = state

    def get(self, key: str, default=None):
        v = self.values.get(key)
        return default if v is None else v

    def __repr__(self) -> str:
        return f"Record({self.sheet}!{self.row} {self.values!r})"


# `record.values` is the same C-level descriptor as `record.__dict__` (a property would
# cost a Python call on every one of the many reads of it).
Record.values = Record.__dict__["__dict__"]


@dataclass
class SheetInfo:
    """Where a contract sheet is in one workbook and how its headers are written."""

    key: str
    name: str  # as written in the workbook
    header_row: int  # Excel row number
    columns: dict[str, int] = field(default_factory=dict)  # key -> 0-based column index
    headers: dict[str, str] = field(default_factory=dict)  # key -> header as written


@dataclass
class Visit:
    """A visit with the rows of the other sheets that belong to it."""

    record: Record
    guests: list[Record] = field(default_factory=list)
    items: list[Record] = field(default_factory=list)
    staff: list[Record] = field(default_factory=list)
    bookings: list[Record] = field(default_factory=list)
    preparation: Record | None = None

    @property
    def id(self) -> str:
        return self.record.visit_id

    @property
    def cancelled(self) -> bool:
        return self.record.status == "cancelled"

    def over(self, today: date) -> bool:
        """Completed or cancelled, or the guests have left (by the departure, else the
        last itinerary day): no document or message for it is due any more."""
        v = self.record
        if v.status in ("completed", "cancelled"):
            return True
        last = v.departure or max((i.date for i in self.items if i.date), default=None)
        if isinstance(last, datetime):
            last = last.date()
        return last is not None and last < today

    def staff_names(self) -> set[str]:
        return {s.name for s in self.staff if s.name}

    def client_items(self) -> list[Record]:
        """The items shown to the client: all but the internal ones (`client_facing` = no,
        contract v2), which stay out of the client itinerary and the client's calendar."""
        return [i for i in self.items if i.client_facing is not False]

    def guests_at(self, item: Record) -> tuple[str, ...]:
        """The guests an item involves (contract v2): those its `guests` cell names, else
        every guest listed, or none for an internal item."""
        if item.guests:
            return item.guests
        if item.client_facing is False:
            return ()
        return tuple(g.name for g in self.guests if g.name)

    def guests_in_order(self) -> list[Record]:
        """Guests in protocol order: by rank, unranked as listed after the ranked."""
        return sorted(self.guests, key=lambda g: (g.rank is None, g.rank or 0, g.row))


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A cell the reader could not read: where it is (the record, the field's contract
    key), what it held, and why: a values.BadValue reason (`enum`, `date`, `range`, …) or
    FORMULA_UNCACHED. The check stage makes it a finding (pipeline.checks.reading)."""

    record: Record
    field: str
    reason: str
    value: object = field(repr=False)  # as the cell held it; never shown: it may be confidential (§2.5)


FORMULA_UNCACHED = "formula_uncached"  # a formula cell without a calculated value: it holds no value at all


@dataclass
class Workbook:
    path: Path
    lang: str  # "zh" or "en": the language of its sheet names
    sheets: dict[str, SheetInfo]  # the contract sheets found (with a header row), by key
    rows: dict[str, list[Record]]  # sheet key -> records, in workbook order
    unreadable: list[Unreadable] = field(default_factory=list)  # sheet by sheet, row by row
    visits: dict[str, Visit] = field(default_factory=dict)  # by visit id, in workbook order
    orphans: list[Record] = field(default_factory=list)  # rows naming no known visit
    # cells whose invisible control characters were removed: (record, field)
    cleaned: list[tuple[Record, str]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.stem

    def header(self, sheet: str, key: str, fallback: str) -> str:
        info = self.sheets.get(sheet)
        return info.headers.get(key, fallback) if info else fallback

    def sheet_name(self, sheet: str, fallback: str) -> str:
        info = self.sheets.get(sheet)
        return info.name if info else fallback


@contextmanager
def no_gc() -> Iterator[None]:
    """The cyclic garbage collector paused while a stage builds many objects that live on
    (records, findings): its collections would walk all of them again and again, and none
    of them is garbage. Restored as it was when the block ends.

    When it ends, what the block built goes straight to the oldest generation (freeze,
    then unfreeze: two list splices, no walk). Left in the youngest, it would all be
    walked by the first collection after the block (about 0.1 s after reading 10,000
    visits), and again by the next generation's, only to be found alive. Garbage among
    it is still found, by the next full collection."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()


def at(d: date | None, t: time | None) -> datetime | None:
    """A date and a time as one datetime (None when either is unknown)."""
    if d is None or t is None:
        return None
    return datetime.combine(d, t)
