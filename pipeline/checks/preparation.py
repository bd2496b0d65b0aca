"""Checks on the preparation checklist (§3.3.1) and workbook-wide rows and cells."""

from __future__ import annotations

from datetime import date

from ..model import Workbook
from ..standard import Standard
from .engine import Hit, VisitContext, visit_check, workbook_check


@visit_check
def preparation_present(ctx: VisitContext):
    """§3.3.1 the visit has a checklist row."""
    if ctx.visit.preparation is None:
        yield Hit(None, None)


@visit_check
def preparation_done(ctx: VisitContext):
    """§3.3.1 every checklist item is done or n/a (an item tied to a blank Visits field,
    like gifts, is n/a by itself)."""
    prep = ctx.visit.preparation
    if prep is None:
        return
    items = ctx.shared.get("preparation_items")
    if items is None:  # the checklist items the sheet has, once per run
        info = ctx.workbook.sheets.get("preparation")
        items = ctx.shared["preparation_items"] = [
            (item.key, item.na_unless, item.label(ctx.workbook.lang))
            for item in ctx.standard.preparation if info is not None and item.key in info.columns]
    answers, visit = prep.values, ctx.v.values
    for key, na_unless, label in items:
        if answers.get(key) in _CLOSED or key in prep.bad:
            continue
        if na_unless and not visit.get(na_unless):
            continue
        yield Hit(prep, key, {"item": label})


_CLOSED = ("done", "n/a")


@workbook_check
def visit_ids_unique(wb: Workbook, standard: Standard, today: date):
    """Each visit has its own ID."""
    first: dict[str, int] = {}
    for rec in wb.rows["visits"]:
        if rec.visit_id is None:
            continue
        if rec.visit_id in first:
            yield Hit(rec, "visit_id", {"visit": rec.visit_id, "other": first[rec.visit_id]})
        else:
            first[rec.visit_id] = rec.row


@workbook_check
def rows_name_visits(wb: Workbook, standard: Standard, today: date):
    """Rows of the other sheets name a visit of the Visits sheet."""
    for rec in wb.orphans:
        if "visit_id" not in rec.bad:
            yield Hit(rec, "visit_id", {"visit": rec.visit_id or "—"})


@workbook_check
def control_characters_removed(wb: Workbook, standard: Standard, today: date):
    """A cell held characters XML cannot hold (invisible control characters): the reader
    removed them, so no report or document fails on them; this tells where."""
    for rec, key in wb.cleaned:
        yield Hit(rec, key)
