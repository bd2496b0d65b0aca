"""§3.2.3 the plan as approved: a plan changed since its approval is not approved."""

from __future__ import annotations

from ..contract import VISITS
from ..i18n import joined, t
from ..versions.diff import APPROVAL_CHECK, PlanChanges
from .engine import Hit, VisitContext, visit_check

SHEET_ORDER = ("itinerary", "guests", "staff", "bookings", "preparation")


@visit_check
def approved_plan_unchanged(ctx: VisitContext):
    """§3.2.3 while the approval says approved on the same date, the plan says what was
    approved (pipeline.versions: cosmetic edits and progress are no change)."""
    changes = ctx.changes.get(ctx.visit.id)
    v = ctx.v
    if changes is not None and v.approval == "approved" and v.approved_on == changes.approved_on:
        yield Hit(None, "approved_on", {"on": changes.approved_on.isoformat(),
                                        "changes": summary(changes, ctx.workbook.header, ctx.lang)})


assert approved_plan_unchanged.__name__ == APPROVAL_CHECK  # the name the rules file and the changes go by


def summary(changes: PlanChanges, header, lang: str) -> str:
    """`Arrival, 3 itinerary items, 1 guest`: the visit's fields changed by their headers
    (`header(sheet, key, fallback)`, as written in the workbook), then rows counted."""
    fields = dict.fromkeys(f for r in changes.rows if r.sheet == "visits" for f in r.fields)
    parts = [header("visits", f, VISITS.column(f).label(lang)) for f in fields]
    for sheet in SHEET_ORDER:
        n = changes.count(sheet)
        if n:
            parts.append(t(lang, f"changes.count.{sheet}.{'one' if n == 1 else 'other'}", n=n))
    return joined(lang, parts)
