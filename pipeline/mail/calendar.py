"""Calendar files (.ics, RFC 5545) of itinerary items, written with the icalendar library.

Each item is one event in the configured time zone (a VTIMEZONE is included, so Outlook,
Google Calendar and Apple Calendar place it right), organized by the company's reception
desk where the company profile is set (its e-mail, else the sender's address). Its UID is stable: a hash of the
workbook's name, the visit id, the item's date and kind and its ordinal among the visit's
items of that kind on that day, so a changed time, place or title updates the same event
instead of adding a second. Row numbers are not part of it: inserting a row changes
nothing. Moving an item to another day makes it a new event; the old one is then sent as
cancelled.

SEQUENCE must grow with each change a calendar sees. It is kept per recipient in the send
log: the sequence last sent for that UID, plus one when the event's content (its hash)
differs from what was sent; 0 for an event never sent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress

from ..contract import ITINERARY
from ..documents.fmt import choice_label
from ..i18n import t
from ..model import Record, Visit
from .safety import display_name, one_line

PRODID = "-//reception-pipeline//visits//"
UID_DOMAIN = "reception-pipeline"
_KIND = ITINERARY.column("kind")


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    start: datetime  # local time in the calendar's zone
    end: datetime | None
    summary: str
    location: str
    description: str
    organizer: Person | None = None

    @property
    def digest(self) -> str:
        """The event's content: what makes a new SEQUENCE when it changes (an event
        without an organizer hashes as before organizers were added)."""
        parts = (self.start.isoformat(), self.end.isoformat() if self.end else "", self.summary, self.location,
                 self.description)
        if self.organizer is not None:
            parts += (self.organizer.name, self.organizer.address)
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:16]


def item_uids(workbook: str, visit: Visit) -> dict[int, str]:
    """id(item) -> its stable UID, for every item with a date."""
    seen: dict[tuple, int] = {}
    uids = {}
    for item in sorted((i for i in visit.items if i.date), key=lambda i: (i.date, i.start or time.min, i.row)):
        identity = (item.date.isoformat(), item.kind or "")
        seen[identity] = seen.get(identity, 0) + 1
        raw = "\0".join((workbook, visit.id or "", *identity, str(seen[identity])))
        uids[id(item)] = f"{hashlib.sha256(raw.encode('utf-8')).hexdigest()[:32]}@{UID_DOMAIN}"
    return uids


def item_events(workbook: str, visit: Visit, items: list[Record], lang: str,
                person: set[str] | None = None, organizer: Person | None = None) -> list[CalendarEvent]:
    """Events of the items that have a date and a start time. For a staff member
    (`person`: their names) the description says whether they own or attend the item;
    for the client it says only what kind of item it is."""
    uids = item_uids(workbook, visit)
    client = one_line(visit.record.client_org)
    events = []
    for item in items:
        if not item.date or not item.start:
            continue
        start = datetime.combine(item.date, item.start)
        end = datetime.combine(item.date, item.end) if item.end else None
        if end and end <= start:
            end = None
        kind = choice_label(_KIND, item.kind, lang)
        lines = [kind, f"{visit.id} {client}".strip()]
        if person is not None:
            lines.insert(1, t(lang, "roles.owner") if item.owner in person else t(lang, "roles.attending"))
        events.append(CalendarEvent(uids[id(item)], start, end, one_line(item.activity) or kind,
                                    one_line(item.location), "\n".join(lines), organizer))
    return sorted(events, key=lambda e: (e.start, e.uid))


@dataclass(frozen=True)
class Sent:
    """An event as the send log remembers it for one recipient."""

    sequence: int
    digest: str
    start: str  # ISO, local time: a cancelled event still needs its DTSTART
    cancelled: bool = False

    def to_json(self) -> dict:
        return {"sequence": self.sequence, "digest": self.digest, "start": self.start, "cancelled": self.cancelled}

    @classmethod
    def from_json(cls, data: Mapping) -> Sent:
        return cls(int(data.get("sequence", 0)), str(data.get("digest", "")), str(data.get("start", "")),
                   bool(data.get("cancelled", False)))


def sequences(events: list[CalendarEvent], before: Mapping[str, Sent]) -> dict[str, Sent]:
    """What the log will record once these events are sent: each event with its SEQUENCE,
    and the events sent before that are gone, as cancelled (once)."""
    now: dict[str, Sent] = {}
    for e in events:
        old = before.get(e.uid)
        if old is None:
            seq = 0
        elif old.digest == e.digest and not old.cancelled:
            seq = old.sequence
        else:
            seq = old.sequence + 1
        now[e.uid] = Sent(seq, e.digest, e.start.isoformat())
    for uid, old in before.items():
        if uid not in now:
            now[uid] = old if old.cancelled else Sent(old.sequence + 1, "", old.start, cancelled=True)
    return now


def ics_bytes(events: list[CalendarEvent], state: Mapping[str, Sent], zone: ZoneInfo, name: str,
              stamp: datetime, newly_cancelled: set[str] = frozenset(), method: str = "PUBLISH",
              people: tuple[Person, Person] | None = None) -> bytes:
    """The calendar file: the events, and the events cancelled since the last send. A
    cancellation of a whole visit is `method` CANCEL with `people`, (organizer, attendee):
    RFC 5546 has a CANCEL name both."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", zone.key)
    for e in events:
        event = _event(e.uid, e.start, e.end, state[e.uid].sequence, stamp, zone, e.summary, e.location,
                       e.description)
        if e.organizer is not None:
            event.add("organizer", _address(e.organizer))
        cal.add_component(event)
    for uid in sorted(newly_cancelled):
        sent = state[uid]
        start = datetime.fromisoformat(sent.start)
        event = _event(uid, start, None, sent.sequence, stamp, zone, name, "", "")
        event.add("status", "CANCELLED")
        for role, person in zip(("organizer", "attendee"), people or ()):
            if person.address:
                event.add(role, _address(person))
        cal.add_component(event)
    if events or newly_cancelled:
        starts = [e.start for e in events] + [datetime.fromisoformat(state[u].start) for u in newly_cancelled]
        cal.add_missing_timezones(first_date=min(starts).date() - timedelta(days=400),
                                  last_date=max(starts).date() + timedelta(days=400))
    return cal.to_ical()


@dataclass(frozen=True)
class Person:
    """An ORGANIZER or ATTENDEE: its CN is a display name (mail.safety.display_name)."""
    name: str
    address: str


def _address(person: Person) -> vCalAddress:
    value = vCalAddress(f"mailto:{person.address}")
    name = display_name(person.name)
    if name:
        value.params["cn"] = name
    return value


def _event(uid: str, start: datetime, end: datetime | None, sequence: int, stamp: datetime, zone: ZoneInfo,
           summary: str, location: str, description: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    event.add("dtstart", start.replace(tzinfo=zone))
    if end:
        event.add("dtend", end.replace(tzinfo=zone))
    event.add("summary", summary)
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    event.add("transp", "OPAQUE")
    return event
