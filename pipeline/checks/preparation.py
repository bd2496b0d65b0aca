"""Checks on the preparation checklist (§3.3.1) and workbook-wide rows and cells."""

from __future__ import annotations

from datetime import date

from ..contract import ITEM_KINDS, VISITS
from ..model import Workbook
from ..standard import Standard
from ..values import is_none_answer
from .engine import Hit, Said, VisitContext, visit_check, workbook_check


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
    answers, visit, held = prep.values, ctx.v.values, ctx.v.held
    for key, na_unless, label in items:
        if answers.get(key) in _CLOSED or key in prep.bad:
            continue
        if na_unless and _none(visit.get(na_unless)) and na_unless not in held:  # a placeholder is no "none"
            continue
        yield Hit(prep, key, {"item": label})


_CLOSED = ("done", "n/a")


def _none(value) -> bool:
    """A field that says none: blank, or an answer such as 无 / none (gifts: 无 means no gifts)."""
    return not value or (isinstance(value, str) and is_none_answer(value))


_KIND = {c.key: c for c in ITEM_KINDS}


@visit_check
def preparation_na_allowed(ctx: VisitContext):
    """§3.3.1 n/a only where an item may be: not where the rules file's `needed_when`
    says it applies (gifts given but "gifts wrapped" n/a; a meeting but "venue ready" n/a)."""
    prep = ctx.visit.preparation
    if prep is None:
        return
    items = ctx.shared.get("needed_items")
    if items is None:  # the checklist items that say when they apply, once per run
        info = ctx.workbook.sheets.get("preparation")
        items = ctx.shared["needed_items"] = [
            (item.key, item.needed_when, item.label(ctx.workbook.lang)) for item in ctx.standard.preparation
            if item.needed_when and info is not None and item.key in info.columns]
    answers = prep.values
    for key, needed_when, label in items:
        if answers.get(key) == "n/a":
            reason = _needed(ctx, needed_when)
            if reason is not None:
                yield Hit(prep, key, {"item": label, "reason": reason})


def _needed(ctx: VisitContext, needed_when: tuple) -> Said | None:
    """Why the item applies to this visit (the first condition said), or None when one
    of its conditions does not hold."""
    reasons = []
    v = ctx.v.values
    for key, expected in needed_when:
        if key == "itinerary":
            kinds = expected if isinstance(expected, tuple) else (expected,)
            kind = next((i.kind for i in ctx.visit.client_items() if i.kind in kinds), None)
            if kind is None:
                return None
            reasons.append(Said("checks.needed.itinerary", {"kind": _KIND[kind]}))
        elif key == "filled":
            if _none(v.get(expected)):
                return None
            reasons.append(Said("checks.needed.filled", {"column": VISITS.column(expected)}))
        else:
            allowed = expected if isinstance(expected, tuple) else (expected,)
            if v.get(key) not in allowed:
                return None
            column = VISITS.column(key)
            value = next((c for c in column.choices if c.key == v.get(key)), v.get(key))
            reasons.append(Said("checks.needed.field", {"column": column, "value": value}))
    return reasons[0] if reasons else None


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
