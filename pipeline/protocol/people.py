"""The people an itinerary item seats, picked from a visit's records (workbook contract,
version 2: itinerary `seating`, `guests`, `client_facing`; bookings `capacity`).

- The layout: the item's `seating`; blank means talks for a meeting, round for a meal,
  none otherwise.
- The guests: those the item's `guests` names (each name once; one the Guests sheet
  lacks is still seated, without rank: the check names it already); blank means every
  guest, except on an internal item (`client_facing` no), which involves no guests
  unless it names some.
- Our side: the item's owner and attendees, as the Staff sheet knows them (a name it
  does not know is still seated, without rank, likewise).
- The seats: those of the bookings serving the item, as pipeline.serving finds them for
  the checks too, so a plan has an overflow exactly when booking.capacity_enough says
  the booking is too small.
"""

from __future__ import annotations

from ..model import Record, Visit
from ..serving import Serving, seats_of, units_of
from .cars import Car, car_seating
from .seating import GUEST, HOST, ROUND, Person, Plan, SeatingSettings, seat

DEFAULT_LAYOUT = {"meeting": "talks", "meal": "round"}
VEHICLE_ITEMS = ("pickup", "transfer", "send_off")  # §4.1.4: the items our cars drive
_UNLISTED = 1_000_000  # orders a name the Staff sheet lacks after everyone it lists


# The v2 columns are read with `values.get` (a dict lookup in C): the check asks for them
# on every item of every visit, and a workbook without the column would otherwise go
# through Record.__getattr__ each time.

def layout_of(item: Record) -> str | None:
    """`talks`, `round`, `rows`, or None: the item seats nobody."""
    layout = item.values.get("seating") or DEFAULT_LAYOUT.get(item.kind)
    return None if layout in (None, "none") else layout


def guests_of(visit: Visit, item: Record) -> list[Record]:
    """The guests attending the item, as the Guests sheet lists them: for a name the item
    gives, the first guest of that name."""
    named = item.values.get("guests")
    if named:
        rows: dict[str, Record] = {}
        for g in visit.guests:
            if g.name:
                rows.setdefault(g.name, g)
        return [rows[name] for name in dict.fromkeys(named) if name in rows]
    if item.values.get("client_facing") is False:
        return []
    return list(visit.guests)


def unlisted_guests(visit: Visit, item: Record) -> list[str]:
    """The names an item's guests cell gives that the Guests sheet lacks."""
    named = item.values.get("guests")
    if not named:
        return []
    listed = {g.name for g in visit.guests}
    return [name for name in dict.fromkeys(named) if name not in listed]


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
    """One of ours: shown with their department (the Staff sheet has no title column)."""
    if s is None:
        return Person(name, HOST, None, _UNLISTED + index)
    return Person(name, HOST, s.rank, s.row, s.department or "", s.role)


def people_of(visit: Visit, item: Record) -> tuple[list[Person], list[Person]]:
    """(guests, our side) of the item; a name a sheet lacks is seated after those it lists."""
    guests = [guest_person(g) for g in guests_of(visit, item)]
    guests += [Person(name, GUEST, None, _UNLISTED + i) for i, name in enumerate(unlisted_guests(visit, item))]
    return guests, [staff_person(name, s, i) for i, (name, s) in enumerate(staff_of(visit, item))]


PLACED_BY_ROLE = ("host", "interpreter")  # our main host leads our side; an interpreter sits by a principal


def unranked(visit: Visit) -> list[tuple[Record, list[Record]]]:
    """The Guests and Staff rows of the people the visit seats who have neither a rank
    nor a title (the Staff sheet has no title column: staff without a rank), so are
    seated in list order, each with the items that seat them. Our
    main host and interpreters are placed by their role; a name the Staff sheet lacks has
    no row to give a rank on (the check names it already). Most visits have nobody to
    name: they are done before looking at any item."""
    guests = {id(g): g for g in visit.guests if g.rank is None and not g.title}
    first: dict[str, Record] = {}
    for s in visit.staff:
        if s.name:
            first.setdefault(s.name, s)
    staff = {n: s for n, s in first.items() if s.rank is None and s.role not in PLACED_BY_ROLE}
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


def plan_for(serving: Serving, item: Record, settings: SeatingSettings) -> Plan | None:
    """The item's seating plan, or None when it seats nobody. The bookings serving it
    (pipeline.serving) give the seats in all (`capacity`, as booking.capacity_enough
    counts them) and, for round tables, the seats per table (`capacity` over `quantity`,
    the tables)."""
    layout = layout_of(item)
    if layout is None:
        return None
    guests, hosts = people_of(serving.visit, item)
    if not guests and not hosts:
        return None
    bookings = serving.bookings_for(item)
    capacity = seats_of(bookings) if bookings else None
    tables = units_of(bookings) if layout == ROUND and capacity else None
    per_table = max(2, capacity // tables) if tables else None
    return seat(guests, hosts, layout, settings, capacity, per_table)


def cars_for(serving: Serving, item: Record, settings: SeatingSettings) -> tuple[Car, ...]:
    """The cars of a pick-up, transfer or send-off; seats per car from the vehicle
    bookings serving it (their `capacity` over their vehicles, `quantity`, one when
    blank) or the setting."""
    if item.kind not in VEHICLE_ITEMS:
        return ()
    guests, staff = people_of(serving.visit, item)
    bookings = serving.bookings_for(item)
    capacity = seats_of(bookings) if bookings else None
    seats = max(1, capacity // units_of(bookings, blank=1)) if capacity else settings.car_seats
    return car_seating(guests, staff, seats)
