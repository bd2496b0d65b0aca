"""The typed records read from a visits workbook."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from .findings import Finding


class Record:
    """One row of a sheet: its Excel row number and its parsed values by contract key.

    Fields are read as attributes (`visit.arrival`); a field the sheet lacks, or a blank
    cell, reads as None. `bad` holds the fields whose cell could not be parsed (they
    already have a finding, so "missing" rules skip them).
    """

    __slots__ = ("sheet", "row", "values", "bad")

    def __init__(self, sheet: str, row: int, values: dict, bad: frozenset = frozenset()):
        self.sheet = sheet
        self.row = row
        self.values = values
        self.bad = bad

    def __getattr__(self, key: str):
        if key.startswith("__"):
            raise AttributeError(key)
        return self.values.get(key)

    def get(self, key: str, default=None):
        v = self.values.get(key)
        return default if v is None else v

    def __repr__(self) -> str:
        return f"Record({self.sheet}!{self.row} {self.values!r})"


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

    def staff_names(self) -> set[str]:
        return {s.name for s in self.staff if s.name}

    def guests_in_order(self) -> list[Record]:
        """Guests in protocol order: by rank, unranked as listed after the ranked."""
        return sorted(self.guests, key=lambda g: (g.rank is None, g.rank or 0, g.row))


@dataclass
class Workbook:
    path: Path
    lang: str  # "zh" or "en": the language of its sheet names
    sheets: dict[str, SheetInfo]
    rows: dict[str, list[Record]]  # sheet key -> records, in workbook order
    problems: list[Finding] = field(default_factory=list)  # found while reading
    visits: dict[str, Visit] = field(default_factory=dict)  # by visit id, in workbook order
    orphans: list[Record] = field(default_factory=list)  # rows naming no known visit

    @property
    def name(self) -> str:
        return self.path.stem

    def header(self, sheet: str, key: str, fallback: str) -> str:
        info = self.sheets.get(sheet)
        return info.headers.get(key, fallback) if info else fallback

    def sheet_name(self, sheet: str, fallback: str) -> str:
        info = self.sheets.get(sheet)
        return info.name if info else fallback


def at(d: date | None, t: time | None) -> datetime | None:
    """A date and a time as one datetime (None when either is unknown)."""
    if d is None or t is None:
        return None
    return datetime.combine(d, t)
