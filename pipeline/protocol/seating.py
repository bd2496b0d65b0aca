"""Seating by protocol rank at meetings and meals (§4.2.1, §4.3.1), as data.

`seat(guests, hosts, layout, settings)` is a pure function: the people to seat with
their ranks, the layout (`talks`, `round`, `rows`) and the company's settings in; a
`Plan` of seats out. No records, no language, no drawing: the seating document words and
draws it (pipeline/documents/seating.py).

Frames of reference. "Right" and "left" are always the seated person's own, as protocol
texts say them. `Seat.place` counts seats from the centre of a side or row (talks, rows)
or from the table's host (round), positive toward the seated person's right: everyone at
a round table faces its centre, so "to my right" runs the same way round for all. Which
side is senior is a setting (以右为尊, the default, or 以左为尊): the order of seniority
mirrors with it, the frame does not.

The protocol references the comments cite:
- [BIZ] 金正昆《商务礼仪》: 相对式会谈 "面门为上、以右为上、居中为上"; 中餐宴请 主人面门、
  主宾居主人之右、副主人与主人相对; 课桌式/排列 "前排为上、居中为上"; 乘车座次.
- [GOV] 金正昆《政务礼仪》: 国内政务活动 "以左为上".
- [INTL] the international practice of bilateral talks and banquets (以右为尊; the
  interpreter beside the principal they interpret for).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import count, islice
from math import ceil

RIGHT, LEFT = "right", "left"
FACING_DOOR, ALONG = "facing_door", "along"
TALKS, ROUND, ROWS = "talks", "round", "rows"
LAYOUTS = (TALKS, ROUND, ROWS)
GUEST, HOST = "guest", "host"
# What a seat is, beyond its place (the documents name it).
PRINCIPAL, TABLE_HOST, DEPUTY, INTERPRETER = "principal", "host", "deputy", "interpreter"


@dataclass(frozen=True)
class SeatingSettings:
    """The rules file's `seating:` section (validated in pipeline/standard.py)."""

    senior: str = RIGHT  # which side is senior: right (以右为尊) or left (以左为尊)
    talks: str = FACING_DOOR  # the talks table: across the room, guests facing the door; or along: away from it
    table_size: int = 10  # seats at a round table, when the booking does not say (fewer people: fewer places)
    row_size: int = 8  # seats in a row of the rows layout
    car_seats: int = 4  # passenger seats of a car, when the vehicle booking does not say

    @property
    def step(self) -> int:
        """+1 when the senior side is the right, -1 when it is the left."""
        return 1 if self.senior == RIGHT else -1


@dataclass(frozen=True)
class Person:
    """Someone to seat: a guest or one of our staff."""

    name: str
    side: str  # GUEST or HOST
    rank: int | None = None  # protocol rank, 1 = most senior
    order: int = 0  # place in the workbook: orders the unranked and breaks ties
    title: str = ""  # shown with the name
    role: str | None = None  # our staff's role (host, interpreter, driver, …)


@dataclass(frozen=True)
class Seat:
    person: Person | None  # None: a seat kept for one of our staff still to be named
    number: int = 0  # the person's number in the plan's list (0: nobody)
    table: int = 1  # round: the table (1 = the main table)
    side: str = ""  # talks: the side of the table, GUEST or HOST
    row: int = 0  # rows: 1 = the front row
    place: int = 0  # see the module's frames of reference
    part: str = ""  # PRINCIPAL, TABLE_HOST, DEPUTY, INTERPRETER or ""


@dataclass(frozen=True)
class Plan:
    layout: str
    settings: SeatingSettings
    seats: tuple[Seat, ...]  # by table, then by number; empty seats after the table's people
    overflow: tuple[Person, ...] = ()  # more people than seats: listed, never dropped
    tables: int = 1
    size: int = 0  # round: seats per table; rows: seats per row; talks: seats per side
    capacity: int | None = None  # seats in all, when the booking says

    def seated(self) -> list[Seat]:
        """The seats someone sits on, in list order."""
        return sorted((s for s in self.seats if s.person), key=lambda s: s.number)


def precedence(people: Sequence[Person]) -> list[Person]:
    """Protocol order: by rank (1 first), the unranked after the ranked; among equals our
    main host first, then as listed (§4.2.2, as the introductions go)."""
    return sorted(people, key=lambda p: (p.rank is None, p.rank or 0, p.role != "host", p.order))


def seat(guests: Sequence[Person], hosts: Sequence[Person], layout: str,
         settings: SeatingSettings = SeatingSettings(), capacity: int | None = None,
         table_size: int | None = None) -> Plan:
    """Everyone's seat. `capacity`: the seats booked in all (people beyond it are the
    plan's overflow); `table_size`: seats per round table (default: the setting)."""
    guests, hosts = precedence(guests), precedence(hosts)
    guests, hosts, overflow = _within(guests, hosts, capacity)
    numbers = {id(p): n for n, p in enumerate([*guests, *hosts], 1)}
    if layout == TALKS:
        seats, tables = _talks(guests, hosts, settings.step), 1
        size = len({s.place for s in seats})  # the seats along each side
    elif layout == ROUND:
        size = table_size or settings.table_size
        size = min(size, max(2, len(guests) + len(hosts)))  # one table: as many places set as people
        seats, tables = _round(guests, hosts, settings.step, size)
    elif layout == ROWS:
        size = settings.row_size
        seats, tables = _rows([*guests, *hosts], settings.step, size), 1
    else:
        raise ValueError(f"unknown layout {layout!r}")
    seats = [Seat(s.person, numbers[id(s.person)] if s.person else 0, s.table, s.side, s.row, s.place, s.part)
             for s in seats]
    seats.sort(key=lambda s: (s.table, s.person is None, s.number))
    return Plan(layout, settings, tuple(seats), tuple(overflow), tables, size, capacity)


# ---- more people than seats ----------------------------------------------------------------

def _within(guests: list[Person], hosts: list[Person], capacity: int | None):
    """(guests, hosts, overflow) for `capacity` seats. Our side gives up its seats first,
    from the lowest rank (the interpreter last of them), then the guests from the lowest;
    the principal host and the principal guest keep theirs as long as there are seats.
    (Hosts yield to guests: 客人优先 [BIZ].)"""
    if capacity is None or len(guests) + len(hosts) <= capacity:
        return guests, hosts, []
    others = hosts[1:]
    yielding = ([p for p in reversed(others) if p.role != "interpreter"]
                + [p for p in reversed(others) if p.role == "interpreter"]
                + list(reversed(guests[1:])) + hosts[:1] + guests[:1])
    out = {id(p) for p in yielding[:len(guests) + len(hosts) - max(capacity, 0)]}
    return ([p for p in guests if id(p) not in out], [p for p in hosts if id(p) not in out],
            [p for p in [*guests, *hosts] if id(p) in out])


def _interpreter(hosts: list[Person]) -> Person | None:
    """Our first interpreter, when someone else leads our side."""
    return next((p for p in hosts[1:] if p.role == "interpreter"), None)


def _outward(step: int) -> Iterator[int]:
    """0, then alternately one seat further to the senior side and to the other:
    0, +1, -1, +2, -2, … (mirrored when the left is senior)."""
    yield 0
    for k in count(1):
        yield k * step
        yield -k * step


# ---- talks table (相对式) -------------------------------------------------------------------

def _talks(guests: list[Person], hosts: list[Person], step: int) -> list[Seat]:
    """Two sides facing each other. Which side is the guests' (the seats facing the door
    or, when the table runs away from the door, the right as one enters) is the
    drawing's concern; here each side is ordered from its centre.

    - The principal guest and our principal host sit in the middle, facing each other
      (居中为上 [BIZ]).
    - The others by rank, alternately to their principal's right and left, the senior
      side first (以右为上 [BIZ], 以左为上 [GOV]).
    - Our interpreter sits beside our principal, on the senior side ([INTL]: 译员安排在
      主谈人右侧); the others go on outward past them.
    """
    seats = [Seat(p, side=GUEST, place=place, part=PRINCIPAL if i == 0 else "")
             for i, (p, place) in enumerate(zip(guests, _outward(step)))]
    interpreter = _interpreter(hosts)
    places = (x for x in _outward(step) if not (interpreter and x == step))
    for i, p in enumerate(x for x in hosts if x is not interpreter):
        seats.append(Seat(p, side=HOST, place=next(places), part=TABLE_HOST if i == 0 else ""))
    if interpreter:
        seats.append(Seat(interpreter, side=HOST, place=step, part=INTERPRETER))
    return seats


# ---- round tables (中餐圆桌) -----------------------------------------------------------------

def _round(guests: list[Person], hosts: list[Person], step: int, size: int) -> tuple[list[Seat], int]:
    """Tables of `size` seats; more people than one table seats go to further tables,
    each hosted by one of our staff: our side is dealt out in rank order, one to each
    table in turn (so the tables' hosts are our first ranks, their deputies the next),
    and the guests fill the tables in rank order, the main table first. A table with
    none of our staff keeps its host seat free for someone still to be named."""
    interpreter = _interpreter(hosts)
    ours = [p for p in hosts if p is not interpreter]
    people = len(guests) + len(hosts)
    tables = max(1, ceil(people / size))
    while tables * size - max(0, tables - len(ours)) < people:  # a host seat kept free per table without staff
        tables += 1
    staff: list[list[Person]] = [[] for _ in range(tables)]
    load = [1 if t == 0 and interpreter else 0 for t in range(tables)]  # the interpreter sits at the main table
    t = 0
    for p in ours:
        while load[t] >= size:
            t = (t + 1) % tables
        staff[t].append(p)
        load[t] += 1
        t = (t + 1) % tables
    rest = iter(guests)
    seats: list[Seat] = []
    for t in range(tables):
        room = size - load[t] - (0 if staff[t] else 1)
        table_guests = list(islice(rest, max(room, 0)))
        seats += _round_table(table_guests, staff[t], interpreter if t == 0 else None, size, step, t + 1)
    return seats, tables


def _round_table(guests: list[Person], hosts: list[Person], interpreter: Person | None, size: int,
                 step: int, table: int) -> list[Seat]:
    """One round table ([BIZ] 中餐宴请的桌次与位次):
    - the host faces the door (面门为上): place 0;
    - a deputy (our second rank) sits opposite the host;
    - the principal guest on the host's right, the second guest on the host's left, the
      third and fourth guests on the deputy's right and left (以右为上; mirrored when the
      left is senior);
    - our interpreter on the principal guest's right ([INTL]);
    - the rest by rank, guests and our staff alternating, the seats nearest the host
      first, then those nearest the deputy, the senior side first.
    """
    taken: dict[int, Seat] = {}

    def put(place: int, person: Person | None, part: str = "") -> None:
        taken[place % size] = Seat(person, table=table, place=place % size, part=part)

    put(0, hosts[0] if hosts else None, TABLE_HOST)
    deputy = size // 2 if len(hosts) > 1 and size >= 3 else None
    if deputy is not None:
        put(deputy, hosts[1], DEPUTY)
    waiting = list(guests)
    honours = [step, -step] + ([deputy + step, deputy - step] if deputy is not None else [])
    for place in honours:
        if waiting and place % size not in taken:
            person = waiting.pop(0)
            put(place, person, PRINCIPAL if table == 1 and person is guests[0] else "")
    free = [p for p in _by_seniority(size, step, deputy) if p not in taken]
    if interpreter is not None and free:
        beside = (2 * step) % size
        put(beside if beside in free else free[0], interpreter, INTERPRETER)
        free = [p for p in free if p not in taken]
    for place, person in zip(free, _alternate(waiting, hosts[2 if deputy is not None else 1:])):
        put(place, person)
    return [taken[p] for p in sorted(taken)]


def _by_seniority(size: int, step: int, deputy: int | None) -> list[int]:
    """The places other than the host's and the deputy's, most senior first: one seat
    from the host to the senior side, to the other, one from the deputy likewise, then
    two seats away, …"""
    order: list[int] = []
    for k in range(1, size):
        for base in (0,) if deputy is None else (0, deputy):
            for place in ((base + k * step) % size, (base - k * step) % size):
                if place not in order and place != 0 and place != deputy:
                    order.append(place)
    return order


def _alternate(first: list[Person], second: list[Person]) -> Iterator[Person]:
    """One of each in turn (a guest, one of ours, …), then whoever is left."""
    for a, b in zip(first, second):
        yield a
        yield b
    n = min(len(first), len(second))
    yield from first[n:]
    yield from second[n:]


# ---- rows (课桌式) ---------------------------------------------------------------------------

def _rows(people: list[Person], step: int, size: int) -> list[Seat]:
    """Rows facing the front: by rank from the front row, each row from its centre, then
    to the senior side, then the other (前排为上、居中为上、以右为上 [BIZ]); the guests
    first, then our side."""
    seats = []
    for i, p in enumerate(people):
        row, k = divmod(i, size)
        seats.append(Seat(p, row=row + 1, place=next(islice(_outward(step), k, None)),
                          part=PRINCIPAL if i == 0 and p.side == GUEST else ""))
    return seats


def row_column(place: int, size: int, step: int) -> int:
    """The 0-based column, counted from the seated person's left, of a seat `place` seats
    from the centre of a row of `size`: with an even row the centre is the middle seat on
    the junior side, so that the next (senior side) is the other middle seat."""
    centre = (size - 1) // 2 if step > 0 else size // 2
    return centre + place
