"""Who gets what: the messages a checked workbook calls for, as plain data.

Once a visit's plan is approved (§3.2.3), every staff member with an e-mail address gets
the internal briefing (§3.3.4: the plan, the role assignment workbook, their own items as
a calendar, and the seating document when they sit at a meeting or meal it seats) and
the client's contact gets the itinerary and the schedule as a calendar,
never an internal document. While the plan is submitted and not yet approved, the
approver gets the plan and its open findings. A plan approved and changed since, while
that is an error (the rule visit.unchanged_since_approval), is not approved as it stands:
the approver gets it with the changes, staff and the client get nothing new until it is
approved again. A visit that is over, cancelled or whose documents could not be made gets
nothing. Whoever is left out is a `Skip` naming the workbook row, never the person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import values
from ..checks import CheckResult, VisitResult
from ..documents.batch import VisitFiles
from ..documents.names import NameBook
from ..model import Record, Visit
from ..protocol.people import layout_of

KINDS = ("briefing", "itinerary", "approval", "cancellation")
# The documents each kind of message carries (kinds of pipeline.documents.batch); the
# seating document goes with the briefing of those it seats, never to the client.
DOCUMENTS = {"briefing": ("plan", "roles"), "itinerary": ("itinerary",), "approval": ("plan",), "cancellation": ()}
# The forms they are attached in, where the document has a PDF copy: the client and the
# approver get the PDF alone, staff the PDF and the editable file. Without one, the file.
FORMS = {"briefing": ("pdf", "file"), "itinerary": ("pdf",), "approval": ("pdf",), "cancellation": ()}
SEATED_GET = ("seating",)
CALENDAR = {"briefing": True, "itinerary": True, "approval": False, "cancellation": True}


@dataclass(frozen=True)
class Recipient:
    address: str
    name: str  # as in the workbook; may be blank
    row: int | None  # the workbook row the address came from


@dataclass
class Message:
    """One message to one recipient about one visit, before it is composed."""

    kind: str
    workbook: str  # the workbook's identity (pipeline.mail.identity)
    visit: VisitResult | None  # None: a cancellation of a visit no longer in the workbook
    files: VisitFiles
    to: Recipient
    staff: list[Record] = field(default_factory=list)  # the recipient's rows on the visit's staff
    items: list[Record] = field(default_factory=list)  # the itinerary items of its calendar
    extra: tuple[str, ...] = ()  # documents for this recipient only (SEATED_GET)
    cancels: str | None = None  # a cancellation: the kind of message whose events it cancels

    @property
    def visit_id(self) -> str:
        return self.files.visit_id

    @property
    def key(self) -> str:
        """What the send log knows the message by: the same recipient gets one message of a
        kind per visit, updated when its content changes (a cancellation is the last
        version of the message it cancels)."""
        return f"{self.workbook}/{self.visit_id}/{self.cancels or self.kind}/{self.to.address.lower()}"

    @property
    def documents(self) -> tuple[str, ...]:
        return DOCUMENTS[self.kind] + self.extra


@dataclass(frozen=True)
class Skip:
    """A message that is not written, and why: over, cancelled, not_approved, no_address,
    bad_address, no_documents, changed_since_approval."""

    visit_id: str
    kind: str | None
    reason: str
    row: int | None = None


def plan_messages(result: CheckResult, files: list[tuple[VisitResult, VisitFiles]],
                  failed: set[str] = frozenset(), workbook: str | None = None) -> tuple[list[Message], list[Skip]]:
    """Every message the workbook calls for today, and what was left out. `files` are the
    visits with documents (pipeline.documents.batch.visit_files); `failed` the visit ids
    whose documents could not be made; `workbook` the workbook's identity
    (pipeline.mail.identity; default: its file name)."""
    messages: list[Message] = []
    skips: list[Skip] = []
    name = workbook or result.workbook.name
    for vr, vf in files:
        visit, v = vr.visit, vr.visit.record
        if vf.visit_id in failed:
            skips.append(Skip(vf.visit_id, None, "no_documents"))
        elif visit.over(result.today):
            skips.append(Skip(vf.visit_id, None, "over"))
        elif v.approval == "approved" and vr.changes is not None and vr.changes.severity == "error":
            skips.append(Skip(vf.visit_id, None, "changed_since_approval"))
            to = _recipient(v.approver_email, v.approver, v.row, vf.visit_id, "approval", skips)
            if to:
                messages.append(Message("approval", name, vr, vf, to))
        elif v.approval == "approved":
            for to, rows in _staff_by_address(visit, vf.visit_id, skips):
                items = [i for i in visit.items if _takes_part(i, {r.name for r in rows if r.name})]
                seated = any(layout_of(i) for i in items) and all(k in vf.files for k in SEATED_GET)
                messages.append(Message("briefing", name, vr, vf, to, rows, items, SEATED_GET if seated else ()))
            to = _recipient(v.contact_email, v.contact_name, v.row, vf.visit_id, "itinerary", skips)
            if to:
                messages.append(Message("itinerary", name, vr, vf, to, items=list(visit.items)))
        elif v.approval == "submitted":
            to = _recipient(v.approver_email, v.approver, v.row, vf.visit_id, "approval", skips)
            if to:
                messages.append(Message("approval", name, vr, vf, to))
        else:
            skips.append(Skip(vf.visit_id, None, "not_approved"))
    return messages, skips


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


def plan_cancellations(result: CheckResult, workbook: str, sent: list[dict], folders: set[str],
                       planned: list[Message] = ()) -> list[Message]:
    """A cancellation for each recipient whose calendar still holds events of a visit that
    is cancelled or no longer in the workbook, or of a visit whose calendars go out (in
    `planned`, plan_messages' messages) but no longer to them (a staff member taken off the
    visit, a client contact's address changed). `sent`: the send log's last sent entry of
    each message of the workbook (`workbook`, its identity); `folders`: the visit folders
    taken by the visits with documents (a cancellation's draft goes to its visit's own)."""
    visits = {vr.visit.id: vr for vr in result.visits}
    going = {m.visit_id: m.files for m in planned if CALENDAR[m.kind]}  # visits whose calendars go as usual
    due = {m.key for m in planned}
    book = NameBook()
    for taken in sorted(folders):
        book.claim(taken)
    files: dict[str, VisitFiles] = {}
    out = []
    for entry in sent:
        vid, vr = str(entry.get("visit")), visits.get(str(entry.get("visit")))
        if not entry.get("to") or all(e.get("cancelled") for e in (entry.get("events") or {}).values()):
            continue  # no event, or cancelled already: once
        if vr is not None and vr.readiness != "cancelled":
            if vid not in going or str(entry.get("key")) in due:
                continue  # still theirs, or the visit's messages wait (over, held, not approved)
            vf = going[vid]  # the recipient is no longer among the visit's
        else:
            vf = files.setdefault(vid, VisitFiles(vid, book.claim(vid)))
        to = Recipient(str(entry["to"]), _name_of(vr.visit, str(entry["to"])) if vr else "", None)
        out.append(Message("cancellation", workbook, vr, vf, to, cancels=str(entry.get("kind"))))
    return out


def _name_of(visit: Visit, address: str) -> str:
    """The name the workbook gives the address on the visit (blank when it gives none)."""
    v = visit.record
    people = [(s.email, s.name) for s in visit.staff] + [(v.contact_email, v.contact_name), (v.approver_email, v.approver)]
    return next((name or "" for email, name in people if email and email.lower() == address.lower()), "")
