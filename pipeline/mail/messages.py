"""Who gets what: the messages a checked workbook calls for, as plain data.

Once a visit's plan is approved (§3.2.3), every staff member with an e-mail address gets
the internal briefing (§3.3.4: the plan, the role assignment workbook, their own items as
a calendar) and the client's contact gets the itinerary and the schedule as a calendar,
never an internal document. While the plan is submitted and not yet approved, the
approver gets the plan and its open findings. A visit that is over, cancelled or whose
documents could not be made gets nothing. Whoever is left out is a `Skip` naming the
workbook row, never the person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from .. import values
from ..checks import CheckResult, VisitResult
from ..documents.batch import VisitFiles
from ..model import Record, Visit

KINDS = ("briefing", "itinerary", "approval")
# The documents each kind of message carries (kinds of pipeline.documents.batch).
DOCUMENTS = {"briefing": ("plan", "roles"), "itinerary": ("itinerary",), "approval": ("plan",)}
CALENDAR = {"briefing": True, "itinerary": True, "approval": False}


@dataclass(frozen=True)
class Recipient:
    address: str
    name: str  # as in the workbook; may be blank
    row: int | None  # the workbook row the address came from


@dataclass
class Message:
    """One message to one recipient about one visit, before it is composed."""

    kind: str
    workbook: str
    visit: VisitResult
    files: VisitFiles
    to: Recipient
    staff: list[Record] = field(default_factory=list)  # the recipient's rows on the visit's staff
    items: list[Record] = field(default_factory=list)  # the itinerary items of its calendar

    @property
    def visit_id(self) -> str:
        return self.visit.visit.id

    @property
    def key(self) -> str:
        """What the send log knows the message by: the same recipient gets one message of a
        kind per visit, updated when its content changes."""
        return f"{self.workbook}/{self.visit_id}/{self.kind}/{self.to.address.lower()}"

    @property
    def documents(self) -> tuple[str, ...]:
        return DOCUMENTS[self.kind]


@dataclass(frozen=True)
class Skip:
    """A message that is not written, and why: over, cancelled, not_approved, no_address,
    bad_address, no_documents."""

    visit_id: str
    kind: str | None
    reason: str
    row: int | None = None


def plan_messages(result: CheckResult, files: list[tuple[VisitResult, VisitFiles]],
                  failed: set[str] = frozenset()) -> tuple[list[Message], list[Skip]]:
    """Every message the workbook calls for today, and what was left out. `files` are the
    visits with documents (pipeline.documents.batch.visit_files); `failed` the visit ids
    whose documents could not be made."""
    messages: list[Message] = []
    skips: list[Skip] = []
    name = result.workbook.name
    for vr, vf in files:
        visit, v = vr.visit, vr.visit.record
        if vf.visit_id in failed:
            skips.append(Skip(vf.visit_id, None, "no_documents"))
        elif _over(visit, result.today):
            skips.append(Skip(vf.visit_id, None, "over"))
        elif v.approval == "approved":
            for to, rows in _staff_by_address(visit, vf.visit_id, skips):
                items = [i for i in visit.items if _takes_part(i, {r.name for r in rows if r.name})]
                messages.append(Message("briefing", name, vr, vf, to, rows, items))
            to = _recipient(v.contact_email, v.contact_name, v.row, vf.visit_id, "itinerary", skips)
            if to:
                messages.append(Message("itinerary", name, vr, vf, to, items=visit.client_items()))
        elif v.approval == "submitted":
            to = _recipient(v.approver_email, v.approver, v.row, vf.visit_id, "approval", skips)
            if to:
                messages.append(Message("approval", name, vr, vf, to))
        else:
            skips.append(Skip(vf.visit_id, None, "not_approved"))
    return messages, skips


def _over(visit: Visit, today: date) -> bool:
    """Completed, or the guests have left: a briefing or an itinerary comes too late."""
    v = visit.record
    if v.status in ("completed", "cancelled"):
        return True
    last = v.departure or max((i.date for i in visit.items if i.date), default=None)
    if isinstance(last, datetime):
        last = last.date()
    return last is not None and last < today


def _staff_by_address(visit: Visit, visit_id: str, skips: list[Skip]) -> list[tuple[Recipient, list[Record]]]:
    """One recipient per address: a person listed twice (two roles) gets one briefing."""
    by_address: dict[str, tuple[Recipient, list[Record]]] = {}
    for s in visit.staff:
        to = _recipient(s.email, s.name, s.row, visit_id, "briefing", skips)
        if to:
            by_address.setdefault(to.address.lower(), (to, []))[1].append(s)
    return list(by_address.values())


def _recipient(address: str | None, name: str | None, row: int | None, visit_id: str, kind: str,
               skips: list[Skip]) -> Recipient | None:
    if not address:
        skips.append(Skip(visit_id, kind, "no_address", row))
        return None
    try:
        checked = values.email(address)
    except values.BadValue:
        checked = None
    if not checked:
        skips.append(Skip(visit_id, kind, "bad_address", row))
        return None
    return Recipient(checked, name or "", row)


def _takes_part(item: Record, names: set[str]) -> bool:
    return item.owner in names or any(n in names for n in (item.attendees or ()))
