"""What a visit's documents say, as their templates and writers take it: made once per
visit (and process), when first asked for.

The build plans one `VisitContexts` per workbook (pipeline.build). The renderer takes the
client itinerary's context and each person's run sheet from it; the mail stage, after
the build, takes the same for the messages that carry those documents (the client's
message quotes the itinerary's allowlist, a staff member's briefing their run sheet).
Visits rendered in this process have theirs made already; those rendered in the forked
workers (pipeline.documents.batch) are made here once, when the mail first asks (a worker
keeps none of its own: it would only copy and collect them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ..checks import CheckResult, VisitResult
from ..model import Record
from ..standard import Standard
from .plan import itinerary_context
from .roles import Entry, run_sheet

T = TypeVar("T")


class VisitContexts:
    """The contexts of one checked workbook's visits, in its output language; `keep`: kept
    once made (a render worker keeps none: it has no one to give them to, and what it
    keeps it must also copy from the memory it shares with the build and collect)."""

    def __init__(self, result: CheckResult, standard: Standard, keep: bool = True):
        self.result, self.standard, self.keep = result, standard, keep
        self._itineraries: dict[int, dict] = {}
        self._run_sheets: dict[int, list[Entry]] = {}

    def itinerary(self, vr: VisitResult) -> dict:
        """What the client may read of the visit (pipeline.documents.plan.itinerary_context)."""
        # The visit results (and staff rows) live as long as the check result that holds them.
        return self._made(self._itineraries, id(vr),
                          lambda: itinerary_context(vr, self.result, self.standard, self.result.lang))

    def run_sheet(self, vr: VisitResult, person: Record) -> list[Entry]:
        """Everything on the plate of `person`, one of the visit's staff rows, in time order."""
        return self._made(self._run_sheets, id(person),
                          lambda: run_sheet(person, vr.visit, self.standard, self.result.lang))

    def _made(self, kept: dict[int, T], key: int, make: Callable[[], T]) -> T:
        if key in kept:
            return kept[key]
        value = make()
        if self.keep:
            kept[key] = value
        return value
