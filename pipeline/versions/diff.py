"""What changed between two versions: rows added, removed and changed, as data.

Rows are paired without regard to their order: first the rows that say the same (a row
moved up or down is no change), then by what names a row (a guest by name, an itinerary
item by its day, kind and activity, then by less and less), most telling first; what is
left was added or removed. Values are compared in the reader's normalised form
(values.normalize: spaces, full-width forms and case do not count; a list of names in
any order is the same list). Progress is not a change of the plan: how the approval
stands, the team briefed, the visit confirmed, a booking confirmed or reconfirmed with
its reference, a checklist item done (a booking cancelled, an item made n/a, are changes).

The same pairing serves a person's run sheet and the client's itinerary
(pipeline.versions.views), whose rows are display texts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from ..findings import SEVERITY_ORDER, Finding
from ..model import Workbook
from ..values import normalize
from .content import ROW, SHEETS, Approved, quick_digest, visit_content

# The check that compares a visit with its approved version (pipeline/checks/approval.py):
# the rules that name it make the finding whose severity the changes carry.
APPROVAL_CHECK = "approved_plan_unchanged"

# Keys that pair a row with its earlier self, per sheet, most telling first (a row is
# paired by a key only when it has every field of it).
MATCH: dict[str, tuple[tuple[str, ...], ...]] = {
    "visits": ((),),
    "preparation": ((),),
    "guests": (("name",),),
    "staff": (("name", "role"), ("name",)),
    "itinerary": (("date", "kind", "activity"), ("kind", "activity"), ("date", "kind", "start"),
                  ("date", "kind", "location")),
    "bookings": (("kind", "resource", "start"), ("kind", "resource"), ("kind", "start")),
}
# Progress, not a change of the plan (see the module's text).
PROGRESS: dict[str, frozenset[str]] = {
    "visits": frozenset({"approval", "approver", "approved_on", "approval_notes", "briefed_on", "status"}),
    "bookings": frozenset({"reconfirmed", "reference"}),
}
_NOTHING = frozenset()

Norm = Callable[[str, object], object]  # (field, value) -> what is compared; None: blank


@dataclass(frozen=True)
class RowChange:
    sheet: str  # a contract sheet key (or a view's own name)
    change: str  # added, removed, changed
    old: Mapping | None  # the row before (None: added)
    new: Mapping | None  # the row now (None: removed)
    fields: tuple[str, ...] = ()  # changed: the fields that differ, in the row's order

    def to_json(self) -> dict:
        return {"sheet": self.sheet, "change": self.change, "old": self.old, "new": self.new,
                "fields": list(self.fields)}


@dataclass(frozen=True)
class PlanChanges:
    """A visit's plan as it stands against its approved version."""

    approved_on: date
    rows: tuple[RowChange, ...]
    severity: str | None = None  # of the finding they make; None: no finding (approved again, or not approved)

    def count(self, sheet: str) -> int:
        """Rows of the sheet changed; on the visit's own row, its fields."""
        if sheet == "visits":
            return sum(len(r.fields) for r in self.rows if r.sheet == sheet)
        return sum(1 for r in self.rows if r.sheet == sheet)

    def to_json(self) -> dict:
        return {"approved_on": self.approved_on.isoformat(), "severity": self.severity,
                "rows": [r.to_json() for r in self.rows]}


def changes_since_approval(wb: Workbook, approved: Mapping[str, Approved], today: date) -> dict[str, PlanChanges]:
    """Each visit's changes since its approved version, for the visits that have one, are
    not over (nor cancelled) and differ from it. A visit approved again (another approval
    date) has none: as it stands, it is the approved version (pipeline.versions.store
    keeps it)."""
    out = {}
    for vid, version in approved.items():
        visit = wb.visits.get(vid)
        if visit is None or visit.over(today):
            continue
        v = visit.record
        if v.approval == "approved" and v.approved_on != version.on:
            continue
        if quick_digest(visit) == version.fingerprint:
            continue  # word for word the same
        before = version.load()
        if before is None:
            continue  # its file is gone: nothing to compare with (the store keeps the visit anew)
        rows = compare(before, visit_content(visit))
        if rows:
            out[vid] = PlanChanges(version.on, rows)
    return out


def with_severity(changes: PlanChanges, findings: Iterable[Finding], rules: Iterable) -> PlanChanges:
    """The changes with the severity of the finding they made (APPROVAL_CHECK's rules)."""
    ids = {r.id for r in rules if r.check == APPROVAL_CHECK}
    found = [f.severity for f in findings if f.rule in ids]
    return replace(changes, severity=min(found, key=SEVERITY_ORDER.__getitem__)) if found else changes


def compare(old: Mapping, new: Mapping) -> tuple[RowChange, ...]:
    """The changes from one version of a visit (pipeline.versions.content) to another."""
    changes: list[RowChange] = []
    for sheet in SHEETS:
        norm = _plan_norm(sheet)
        changes += compare_rows(sheet, _rows(old.get(sheet)), _rows(new.get(sheet)), MATCH[sheet], norm,
                                PROGRESS.get(sheet, _NOTHING))
    return tuple(changes)


def _rows(value) -> list[Mapping]:
    if value is None:
        return []
    return [value] if isinstance(value, Mapping) else list(value)


def _plan_norm(sheet: str) -> Norm:
    if sheet == "bookings":
        return lambda key, value: ("cancelled" if value == "cancelled" else None) if key == "status" \
            else plain_norm(key, value)
    if sheet == "preparation":  # an item done or not is progress; n/a is the plan's
        return lambda key, value: plain_norm(key, value) if key == "prep_owner" else ("n/a" if value == "n/a" else None)
    return plain_norm


def plain_norm(key: str, value: object) -> object:
    """The reader's normalised form: spaces, full-width forms and case aside."""
    if isinstance(value, str):
        return normalize(value) or None
    if isinstance(value, (list, tuple)):
        return tuple(sorted(normalize(str(v)) for v in value)) or None
    return value


def compare_rows(sheet: str, old: Sequence[Mapping], new: Sequence[Mapping], keys: tuple[tuple[str, ...], ...],
                 norm: Norm = plain_norm, ignore: frozenset[str] = _NOTHING) -> list[RowChange]:
    """Pair the rows (see the module's text); the changed pairs, then the rows added, then
    those removed."""
    def signature(row: Mapping) -> tuple:
        return tuple(sorted((k, n) for k, v in row.items() if k != ROW and k not in ignore
                            and (n := norm(k, v)) is not None))

    pool: dict[tuple, list[int]] = {}
    for i, row in enumerate(old):
        pool.setdefault(signature(row), []).append(i)
    left_new = []
    for row in new:
        same = pool.get(signature(row))
        if same:
            same.pop(0)
        else:
            left_new.append(row)
    left_old = sorted(i for indexes in pool.values() for i in indexes)
    if not left_new and not left_old:
        return []

    pairs: list[tuple[Mapping, Mapping]] = []
    for key in keys:
        if not left_new or not left_old:
            break
        by_key: dict[tuple, list[int]] = {}
        for i in left_old:
            k = _key(old[i], key, norm)
            if k is not None:
                by_key.setdefault(k, []).append(i)
        unpaired = []
        for row in left_new:
            k = _key(row, key, norm)
            found = by_key.get(k) if k is not None else None
            if found:
                i = found.pop(0)
                pairs.append((old[i], row))
                left_old.remove(i)
            else:
                unpaired.append(row)
        left_new = unpaired

    changes = [RowChange(sheet, "changed", o, n, _fields(o, n, norm, ignore)) for o, n in pairs]
    changes += [RowChange(sheet, "added", None, n) for n in left_new]
    changes += [RowChange(sheet, "removed", old[i], None) for i in left_old]
    return changes


def _key(row: Mapping, fields: tuple[str, ...], norm: Norm) -> tuple | None:
    values = tuple(norm(f, row.get(f)) for f in fields)
    return None if None in values else values


def _fields(old: Mapping, new: Mapping, norm: Norm, ignore: frozenset[str]) -> tuple[str, ...]:
    keys = [k for k in new if k != ROW] + [k for k in old if k != ROW and k not in new]
    return tuple(k for k in keys if k not in ignore and norm(k, old.get(k)) != norm(k, new.get(k)))
