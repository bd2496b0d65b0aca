"""A finding: one problem in a workbook, as data (rule, clause, severity, place, message)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from operator import attrgetter

SEVERITIES = ("error", "warning", "info")
SEVERITY_ORDER = {s: i for i, s in enumerate(SEVERITIES)}


@dataclass(frozen=True, slots=True)
class Finding:
    visit_id: str | None
    rule: str
    clause: str
    severity: str
    sheet: str | None  # the sheet name as written in the workbook (or the contract's, when it lacks the sheet)
    row: int | None  # the Excel row number the user sees
    column: str | None  # the column header as written in the workbook
    message: str
    due: date | None = None  # a deferred preparation finding: when it becomes due
    field: str | None = None  # the contract key of the column, for annotating cells
    sheet_key: str | None = None  # the contract key of the sheet (`visits`, `guests`, …)

    def to_json(self) -> dict:
        """The fields by name, in order, the due date as ISO text (what asdict gives, made
        directly: asdict deep-copies every value)."""
        return {"visit_id": self.visit_id, "rule": self.rule, "clause": self.clause, "severity": self.severity,
                "sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message,
                "due": self.due.isoformat() if self.due else None, "field": self.field,
                "sheet_key": self.sheet_key}

    def __reduce__(self):
        """Pickled as its fields (the forked check sends its findings back so): about
        twice as quick as a slotted dataclass's default, which goes field by field."""
        return Finding, _FIELDS(self)


_FIELDS = attrgetter(*(f.name for f in fields(Finding)))  # a finding's fields, in order


def sort_key(f: Finding, sheet_order: dict[str, int] | None = None) -> tuple:
    """Stable order: by visit (workbook-level last), sheet (`sheet_order`: contract key ->
    its place in the workbook), row, column, rule."""
    sheet = (sheet_order or {}).get(f.sheet_key or "", 99)
    return (f.visit_id or "\uffff", sheet, f.sheet or "", f.row or 0, f.column or "", f.rule,
            SEVERITY_ORDER[f.severity], f.message)


def worst(findings) -> str | None:
    """The most severe severity among findings, or None."""
    best = None
    for f in findings:
        if best is None or SEVERITY_ORDER[f.severity] < SEVERITY_ORDER[best]:
            best = f.severity
    return best
