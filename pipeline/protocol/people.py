"""The people an itinerary item seats, picked from a visit's records (workbook contract,
version 2: itinerary `seating`, `guests`, `client_facing`; bookings `capacity`).

- The layout: the item's `seating`; blank means talks for a meeting, round for a meal,
  none otherwise.
- The guests: those the item's `guests` names; blank means every guest, except on an
  internal item (`client_facing` no), which involves no guests unless it names some.
- Our side: the item's owner and attendees, as the Staff sheet knows them (a name it
  does not know is still seated, without rank: the check names it already).
"""

from __future__ import annotations

from datetime import datetime

from ..model import Record, Visit, at
from .cars import Car, car_seating
from .seating import GUEST, HOST, ROUND, Person, Plan, SeatingSettings, seat

DEFAULT_LAYOUT = {"meeting": "talks", "meal": "round"}
VEHICLE_ITEMS = ("pickup", "transfer", "send_off")  # §4.1.4: the items our cars drive
BOOKED_FOR = {"meeting": "meeting_room", "meal": "restaurant", "pickup": "vehicle", "transfer": "vehicle",
              "send_off": "vehicle"}
_UNLISTED = 1_000_000  # orders a name the Staff sheet lacks after everyone it lists


# The v2 columns are read with `values.get` (a dict lookup in C): the check asks for them
# on every item of every visit, and a workbook without the column would otherwise go
# through Record.__getattr__ each time.

def layout_of(item: Record) -> str | None:
    """`talks`, `round`, `rows`, or None: the item seats nobody."""
    layout = item.values.get("seating") or DEFAULT_LAYOUT.get(item.kind)
    return None if layout in (None, "none") else layout


def guests_of(visit: Visit, item: Record) -> list[Record]:
    """The guests attending the item, as the Guests sheet lists them."""
    named = item.values.get("guests")
    if named:
        wanted = set(named)
        return [g for g in visit.guests if g.name in wanted]
    if item.values.get("client_facing") is False:
        return []
    return list(visit.guests)


def staff_of(visit: Visit, item: Record) -> list[tuple[str, Record | None]]:
    """Our people on the item, owner first, each once: (name, their Staff row or None)."""
    rows: dict[str, Record] = {}
    for s in visit.staff:
        if s.name:
            rows.setdefault(s.name, s)
    names = dict.fromkeys(n for n in (item.owner, *(item.attendees or ())) if n)
    return [(name, rows.get(name)) for name in names]


def guest_person(g: Record) -> Person:
    return Person(g.name or "", GUEST, g.rank, g.row, g.title or "")


def staff_person(name: str, s: Record | None, index: int = 0) -> Person:
    """One of ours: shown with their title, or their department when the sheet has no title."""
    if s is None:
        return Person(name, HOST, None, _UNLISTED + index)
    return Person(name, HOST, s.rank, s.row, s.title or s.department or "", s.role)


def people_of(visit: Visit, item: Record) -> tuple[list[Person], list[Person]]:
    """(guests, our side) of the item."""
    return ([guest_person(g) for g in guests_of(visit, item)],
            [staff_person(name, s, i) for i, (name, s) in enumerate(staff_of(visit, item))])


PLACED_BY_ROLE = ("host", "interpreter")  # our main host leads our side; an interpreter sits by a principal


def unranked(visit: Visit) -> list[tuple[Record, list[Record]]]:
    """The Guests and Staff rows of the people the visit seats who have neither a rank
    nor a title, so are seated in list order, each with the items that seat them. Our
    main host and interpreters are placed by their role; a name the Staff sheet lacks has
    no row to give a rank on (the check names it already). Most visits have nobody to
    name: they are done before looking at any item."""
    guests = {id(g): g for g in visit.guests if g.rank is None and not g.title}
    first: dict[str, Record] = {}
    for s in visit.staff:
        if s.name:
            first.setdefault(s.name, s)
    staff = {n: s for n, s in first.items() if s.rank is None and not s.title and s.role not in PLACED_BY_ROLE}
    if not guests and not staff:
        return []
    found: dict[int, tuple[Record, list[Record]]] = {}
    for item in visit.items:
        if not layout_of(item):
            continue
        rows = [g for g in guests_of(visit, item) if id(g) in guests] if guests else []
        rows += [staff[n] for n in dict.fromkeys((item.owner, *(item.attendees or ()))) if n in staff]
        for row in rows:
            found.setdefault(id(row), (row, []))[1].append(item)
    return list(found.values())


def booking_for(item: Record, bookings: list[Record]) -> Record | None:
    """The booking that serves the item: the one at its place, or else one whose time
    covers its start (cancelled ones left out)."""
    live = [b for b in bookings if b.status != "cancelled"]
    for b in live:
        if b.resource and item.location and (b.resource in item.location or item.location in b.resource):
            return b
    start = at(item.date, item.start)
    for b in live:
        if start and isinstance(b.start, datetime) and isinstance(b.end, datetime) and b.start <= start < b.end:
            return b
    return None


def _booked(visit: Visit, item: Record) -> Record | None:
    kind = BOOKED_FOR.get(item.kind)
    return booking_for(item, [b for b in visit.bookings if b.kind == kind]) if kind else None


def plan_for(visit: Visit, item: Record, settings: SeatingSettings) -> Plan | None:
    """The item's seating plan, or None when it seats nobody. The booking serving it
    gives the seats in all (`capacity`) and, for round tables, the seats per table
    (`capacity` over `quantity`, the tables)."""
    layout = layout_of(item)
    if layout is None:
        return None
    guests, hosts = people_of(visit, item)
    if not guests and not hosts:
        return None
    booking = _booked(visit, item)
    capacity = booking.capacity if booking else None
    per_table = None
    if layout == ROUND and capacity and booking.quantity:
        per_table = max(2, capacity // booking.quantity)
    return seat(guests, hosts, layout, settings, capacity, per_table)


def cars_for(visit: Visit, item: Record, settings: SeatingSettings) -> tuple[Car, ...]:
    """The cars of a pick-up, transfer or send-off; seats per car from the vehicle
    booking (`capacity` over `quantity`) or the setting."""
    if item.kind not in VEHICLE_ITEMS:
        return ()
    guests, staff = people_of(visit, item)
    booking = _booked(visit, item)
    seats = settings.car_seats
    if booking is not None and booking.capacity and booking.quantity:
        seats = max(1, booking.capacity // booking.quantity)
    return car_seating(guests, staff, seats)
