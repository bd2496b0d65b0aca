"""A visit's content as the plan holds it: plain JSON values, and back.

A version is the visit's rows, sheet by sheet, each row its fields by contract key with
JSON values (dates, times and datetimes as ISO text, name lists as lists) and its Excel
row number. It holds the fields the reception plan (and its run sheets) show and no
other: not the staff's e-mail addresses or staff IDs, not what is written after the
visit (minutes, follow-up, satisfaction). The guests' confidential fields (§2.5:
ethnicity, dietary needs, smoking, preferences, background, phone) are kept only as a
digest of their normalised value: enough to tell that one changed, never what it says, so
no confidential value lies in .reception/ beside the send log. It can be made back into a Visit, so that a
person's run sheet or the client's itinerary of an earlier version is worked out by the
same code as today's.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from ..contract import CONFIDENTIAL_GUEST_FIELDS
from ..model import Record, Visit
from ..standard import Standard
from ..values import normalize

SHEETS = ("visits", "guests", "itinerary", "staff", "bookings", "preparation")
ROW = "row"  # the Excel row number, kept for order; never compared
# Fields no version keeps: the plan does not hold them.
LEFT_OUT = {
    "visits": frozenset({"visit_id", "approver_email", "minutes", "follow_up", "satisfaction"}),
    "guests": frozenset({"visit_id"}),
    "itinerary": frozenset({"visit_id"}),
    "staff": frozenset({"visit_id", "staff_id", "email", "trained"}),
    "bookings": frozenset({"visit_id"}),
    "preparation": frozenset({"visit_id"}),
}
_MANY = {"guests": "guests", "itinerary": "items", "staff": "staff", "bookings": "bookings"}


@dataclass(frozen=True)
class Approved:
    """A visit's approved version: its approval date, the quick digest of the visit as
    approved (`quick_digest`: the same now means unchanged) and its content, read only
    when the visit differs (None: it could not be read)."""

    on: date
    fingerprint: str
    load: Callable[[], dict | None] = field(repr=False, compare=False)


def visit_content(visit: Visit) -> dict:
    """The visit as a version: {sheet: row or rows}."""
    prep = visit.preparation
    return {
        "visits": _row(visit.record, LEFT_OUT["visits"]),
        **{sheet: [_row(r, LEFT_OUT[sheet], sheet == "guests") for r in getattr(visit, attr)]
           for sheet, attr in _MANY.items()},
        "preparation": _row(prep, LEFT_OUT["preparation"]) if prep is not None else None,
    }


def _row(record: Record, left_out: frozenset, guest: bool = False) -> dict:
    row = {ROW: record.row}
    for key, value in record.values.items():
        if value is not None and key not in left_out:
            row[key] = withheld(value) if guest and key in CONFIDENTIAL_GUEST_FIELDS else _plain(value)
    return row


WITHHELD = "#"  # the mark of a confidential value kept as its digest


def withheld(value) -> str:
    """A confidential value (§2.5) as a digest of its normalised form: the same answer
    written with other spaces or widths has the same digest."""
    text = normalize(str(value)) if isinstance(value, str) else repr(value)
    return WITHHELD + hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def _plain(value):
    if isinstance(value, (date, time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def quick_digest(visit: Visit) -> str:
    """The visit's rows as read, hashed: the quick test for "word for word the same" that
    spares making the content of every visit on every check (pickle, in C, is about three
    times quicker than the content's JSON). Any difference, even of order or of a field
    no version keeps, only sends the visit to the full comparison."""
    rows = (visit.record.values, [r.values for r in visit.guests], [r.values for r in visit.items],
            [r.values for r in visit.staff], [r.values for r in visit.bookings],
            visit.preparation.values if visit.preparation is not None else None)
    return hashlib.blake2b(pickle.dumps(rows, 5), digest_size=16).hexdigest()


def content_digest(content: dict) -> str:
    """The version's hash: its name in the store, and the quick test for "unchanged"."""
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def visit_from(content: dict, visit_id: str, standard: Standard) -> Visit:
    """The version made back into a Visit (rows with their typed values)."""
    def record(sheet: str, row: dict) -> Record:
        types = _types(standard, sheet)
        values = {key: _typed(types.get(key), value) for key, value in row.items()
                  if key != ROW and not (sheet == "guests" and key in CONFIDENTIAL_GUEST_FIELDS)}  # digests only
        values["visit_id"] = visit_id
        return Record(sheet, int(row.get(ROW) or 0), values)

    visit = Visit(record("visits", content.get("visits") or {}))
    for sheet, attr in _MANY.items():
        getattr(visit, attr).extend(record(sheet, r) for r in content.get(sheet) or ())
    prep = content.get("preparation")
    visit.preparation = record("preparation", prep) if prep else None
    return visit


def _types(standard: Standard, sheet: str) -> dict[str, str]:
    return {c.key: c.type for c in standard.sheet(sheet).columns}


def _typed(kind: str | None, value):
    """A JSON value as the reader types it."""
    if not isinstance(value, (str, list)):
        return value
    try:
        if kind == "date":
            return date.fromisoformat(value)
        if kind == "time":
            return time.fromisoformat(value)
        if kind == "datetime":
            return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    except (TypeError, ValueError):
        return value
    if isinstance(value, list):
        return tuple(value)
    return value
