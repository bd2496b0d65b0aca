"""A checked workbook as pandas DataFrames, for analysts in a notebook.

    from pipeline.frames import load_frames
    frames = load_frames("input/2027年客户接待台账.xlsx", today=date(2026, 12, 1))
    frames.sheets["itinerary"].groupby("kind").size()
    frames.findings.query("severity == 'error'")
    frames.readiness.set_index("visit_id").loc["V2027-001"]

The workbook is read and checked exactly as `make check` does (the same reader, rules and
findings); only the shape is new. Each sheet is one frame with a column per contract key
(whatever the headers were called in the workbook) plus `row`, the Excel row number the
user sees. Values are typed: text as `string`, whole numbers as `Int64`, yes/no as
`boolean`, enumerations as `category` over the contract's keys, dates and datetimes as
`datetime64` (a datetime whose time is unknown is at midnight), times as `datetime.time`
objects, name lists (attendees) as tuples. A blank cell, or one that could not be read
(it has a finding), is missing (`<NA>` / `NaT`).

The frames hold what the workbook holds, confidential guest fields (§2.5) included: keep
them where the workbook itself may be.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from .checks import CheckResult, check_workbook
from .contract import PREPARATION, SHEETS, Column, prep_column
from .reader import read_workbook
from .standard import Standard, load_standard

FINDING_COLUMNS = ("visit_id", "rule", "clause", "severity", "sheet", "row", "column", "message", "due", "field",
                   "sheet_key")


@dataclass
class Frames:
    """One checked workbook: a frame per sheet (by contract key), its findings, and each
    visit's readiness."""

    sheets: dict[str, pd.DataFrame]
    findings: pd.DataFrame
    readiness: pd.DataFrame
    result: CheckResult  # what the frames were made from, for anything they leave out

    def __getitem__(self, sheet: str) -> pd.DataFrame:
        return self.sheets[sheet]


def load_frames(path: Path | str, today: date | None = None, standard: Standard | Path | str | None = None,
                lang: str | None = None) -> Frames:
    """Read and check one workbook (as `make check` would, with `today` as the date the
    time-aware rules take, default the real date) and return it as DataFrames."""
    if not isinstance(standard, Standard):
        standard = load_standard(Path(standard) if standard else None)
    wb = read_workbook(Path(path), standard)
    return frames_of(check_workbook(wb, standard, today or date.today(), lang))


def frames_of(result: CheckResult) -> Frames:
    """The frames of a workbook already checked."""
    wb = result.workbook
    columns = {s.key: s.columns for s in SHEETS}
    columns["preparation"] += _checklist_columns(result)
    sheets = {key: _sheet_frame(cols, wb.rows.get(key, [])) for key, cols in columns.items()}
    return Frames(sheets, findings_frame(result), readiness_frame(result), result)


def _checklist_columns(result: CheckResult) -> tuple[Column, ...]:
    """The Preparation sheet's checklist items the workbook was read with (they come from
    the rules file, so they are not in the contract)."""
    info = result.workbook.sheets.get("preparation")
    fixed = {c.key for c in PREPARATION.columns}
    return tuple(prep_column(key, info.headers[key], info.headers[key])
                 for key in (info.columns if info else {}) if key not in fixed)


def _sheet_frame(columns: tuple[Column, ...], records: list) -> pd.DataFrame:
    data = {"row": pd.array([r.row for r in records], dtype="Int64")}
    for column in columns:
        data[column.key] = _typed([r.values.get(column.key) for r in records], column)
    return pd.DataFrame(data)


def _typed(values: list, column: Column) -> pd.Series | pd.api.extensions.ExtensionArray:
    kind = column.type
    if kind in ("text", "id", "email"):
        return pd.array(values, dtype="string")
    if kind == "int":
        return pd.array(values, dtype="Int64")
    if kind == "yesno":
        return pd.array(values, dtype="boolean")
    if kind in ("enum", "prep"):
        return pd.Categorical(values, categories=[c.key for c in column.choices])
    if kind in ("date", "datetime"):
        return pd.to_datetime(pd.Series(values, dtype=object)).astype("datetime64[s]")
    return pd.Series(values, dtype=object)  # times, name lists


def findings_frame(result: CheckResult) -> pd.DataFrame:
    """Every finding, one row each, in the check's order (the columns of findings.json)."""
    rows = [f.to_json() for f in result.findings]
    frame = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    frame = frame.astype({"visit_id": "string", "rule": "string", "clause": "string", "sheet": "string",
                          "column": "string", "message": "string", "field": "string", "sheet_key": "string",
                          "row": "Int64"})
    frame["severity"] = pd.Categorical(frame["severity"], categories=["error", "warning", "info"], ordered=True)
    frame["due"] = pd.to_datetime(frame["due"]).astype("datetime64[s]")
    return frame


def readiness_frame(result: CheckResult) -> pd.DataFrame:
    """One row per visit: readiness, completeness and its open findings by severity."""
    return pd.DataFrame({
        "visit_id": pd.array([vr.visit.id for vr in result.visits], dtype="string"),
        "readiness": pd.Categorical([vr.readiness for vr in result.visits],
                                    categories=["ready", "attention", "not_ready", "cancelled"]),
        "completeness": pd.array([vr.completeness for vr in result.visits], dtype="Int64"),
        "urgent": pd.array([vr.urgent for vr in result.visits], dtype="boolean"),
        "errors": pd.array([vr.count("error") for vr in result.visits], dtype="Int64"),
        "warnings": pd.array([vr.count("warning") for vr in result.visits], dtype="Int64"),
        "info": pd.array([vr.count("info") for vr in result.visits], dtype="Int64"),
    })
