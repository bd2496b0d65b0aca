"""What a visit's documents say, as their templates and writers take it: made once per
visit (and process), when first asked for.

The build plans one `VisitContexts` per workbook (pipeline.build). The renderer takes the
client itinerary's context and each person's run sheet from it; the mail stage, after
the build, takes the same for the messages that carry those documents (the client's
message quotes the itinerary's allowlist, a staff member's briefing their run sheet).
Visits rendered in this process have theirs made already; those rendered in the forked
workers (pipeline.documents.batch) are made here once, when the mail first asks.
"""

from __future__ import annotations

from ..checks import CheckResult, VisitResult
from ..model import Record
from ..standard import Standard
from .plan import itinerary_context
from .roles import Entry, run_sheet


class VisitContexts:
    """The contexts of one checked workbook's visits, in its output language."""

    def __init__(self, result: CheckResult, standard: Standard):
        self.result, self.standard = result, standard
        self._itineraries: dict[int, dict] = {}
        self._run_sheets: dict[int, list[Entry]] = {}

    def itinerary(self, vr: VisitResult) -> dict:
        """What the client may read of the visit (pipeline.documents.plan.itinerary_context)."""
        key = id(vr)  # the visit results live as long as the check result that holds them
        if key not in self._itineraries:
            self._itineraries[key] = itinerary_context(vr, self.result, self.standard, self.result.lang)
        return self._itineraries[key]

    def run_sheet(self, vr: VisitResult, person: Record) -> list[Entry]:
        """Everything on the plate of `person`, one of the visit's staff rows, in time order."""
        key = id(person)
        if key not in self._run_sheets:
            self._run_sheets[key] = run_sheet(person, vr.visit, self.standard, self.result.lang)
        return self._run_sheets[key]
