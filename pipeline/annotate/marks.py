"""Where each finding goes in the copy and what it says there: the cell it marks (or
none, for the notes sheet), the comment's text and the size of its box. Both ways of
making the copy (patched, and through openpyxl) take these from here."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..findings import SEVERITY_ORDER, Finding
from ..i18n import t
from ..layout.text import legal, wrapped_lines
from ..model import Workbook

AUTHOR = "reception pipeline"
COMMENT_WIDTH_PX = 320
COMMENT_LINE_UNITS = 48  # digit widths of comment text (Tahoma 9) on one line of that width
COMMENT_LINE_PX = 15
COMMENT_MAX_HEIGHT_PX = 420


@dataclass(frozen=True)
class Place:
    sheet: str  # the sheet name as written
    row: int  # Excel row
    col: int  # Excel column (1-based)


def place_findings(findings: list[Finding], wb: Workbook, sheet_names: set[str]
                   ) -> tuple[dict[Place, list[Finding]], list[Finding]]:
    """The findings grouped by the cell they go on, and those that have no cell."""
    placed: dict[Place, list[Finding]] = defaultdict(list)
    unplaced: list[Finding] = []
    for f in findings:
        if f.sheet not in sheet_names or f.row is None:
            unplaced.append(f)
            continue
        info = wb.sheets.get(f.sheet_key or "")
        columns = info.columns if info else {}
        index = columns.get(f.field) if f.field else None
        if index is None:  # the whole row, or a column the sheet lacks: the row's first cell
            index = columns.get("visit_id", 0)
        placed[Place(f.sheet, f.row, index + 1)].append(f)
    return dict(placed), unplaced


def comment_line(f: Finding, lang: str) -> str:
    """`[error] §3.1.1 visit.client_org: 'Client organisation' is blank: …`"""
    head = " ".join(p for p in (f"[{t(lang, f'severity.{f.severity}')}]", f"§{f.clause}" if f.clause else "",
                                f.rule) if p)
    return f"{head}: {f.message}"


def comment_text(findings: list[Finding], lang: str) -> str:
    """Our comment for one cell: its findings, the worst first."""
    findings = sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity])
    return legal("\n".join(comment_line(f, lang) for f in findings))


def comment_height(text: str) -> int:
    """The comment box's height in pixels, for its text wrapped at COMMENT_WIDTH_PX."""
    return min(COMMENT_LINE_PX * wrapped_lines(text, COMMENT_LINE_UNITS) + 12, COMMENT_MAX_HEIGHT_PX)


def with_theirs(ours: str, author: str, theirs: str) -> str:
    """Our text on a cell that already has a comment: the user's own comment kept below
    ours (a comment of an earlier annotated copy is replaced)."""
    return ours if author == AUTHOR else ours + "\n\n" + legal(theirs)
