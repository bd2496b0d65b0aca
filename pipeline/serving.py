"""Which bookings serve which itinerary items of a visit (workbook contract, version 2).

A booking serves the items whose time it overlaps and whose kind it is for (a meeting room
meetings, a restaurant meals, a vehicle pick-ups, transfers and send-offs:
contract.SERVES); of several at once, those at the place the item names (two rooms for two
groups), and none for a meal at an in-house venue (the rules file's `in_house_venues`: a
canteen lunch beside a booked lunch). Bookings of one resource back to back serve
together. The checks (pipeline.checks: coverage, capacity, location, dietary needs) and
the protocol aids (pipeline.protocol.people: the seats of a table or a car) both ask this
index, so they agree on which booking an item has.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time

from .contract import SERVES
from .model import Record, Visit
from .places import names_any, same_place, word_forms
from .values import normalize


def item_span(item: Record) -> tuple[datetime, datetime] | None:
    """An itinerary item's start and end, when its date and both times are known."""
    day, start, end = item.date, item.start, item.end
    if day is None or start is None or end is None:
        return None
    start, end = datetime.combine(day, start), datetime.combine(day, end)
    return (start, end) if end > start else None


def booking_span(booking: Record) -> tuple[datetime, datetime] | None:
    """A booking's span; a date without a time counts as the whole day (its missing time
    is a finding of its own)."""
    return day_span(booking.start, booking.end)


def day_span(start: date | datetime | None, end: date | datetime | None) -> tuple[datetime, datetime] | None:
    """From start to end, a date alone taken as its whole day; None when either is
    unknown or they are in the wrong order."""
    if start is None or end is None:
        return None
    if not isinstance(start, datetime):
        start = datetime.combine(start, time.min)
    if not isinstance(end, datetime):
        end = datetime.combine(end, time.max)
    return (start, end) if end > start else None


def seats_of(bookings: list[Record]) -> int | None:
    """What bookings serving one item seat together: one resource's back-to-back
    bookings count once (the same room), different resources add up (two cars); None
    when a booking's capacity is not given."""
    if len(bookings) == 1:
        return bookings[0].capacity
    by_resource: dict[str, int] = {}
    for b in bookings:
        if b.capacity is None:
            return None
        key = normalize(b.resource or "")
        by_resource[key] = min(by_resource.get(key, b.capacity), b.capacity)
    return sum(by_resource.values())


def units_of(bookings: list[Record], blank: int | None = None) -> int | None:
    """How many tables or cars bookings serving one item hold together (their
    `quantity`, counted like seats_of); a booking that does not say counts as `blank`
    (None: then the total is unknown)."""
    by_resource: dict[str, int] = {}
    for b in bookings:
        units = b.quantity or blank
        if not units:
            return None
        key = normalize(b.resource or "")
        by_resource[key] = min(by_resource.get(key, units), units)
    return sum(by_resource.values()) or None


class once:
    """A property worked out on first use and kept in the instance (functools'
    cached_property without its lock: an index serves one thread)."""

    def __init__(self, fn: Callable):
        self.fn, self.name, self.__doc__ = fn, fn.__name__, fn.__doc__

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.fn(obj)
        return value


Served = tuple[Record, tuple, list[Record], bool]  # (item, span, bookings serving it, at their place)


class Serving:
    """The bookings of one visit and the items they serve, each worked out on first use.
    `in_house_venues`: the rules file's words for the places where a meal needs no
    restaurant booking. (pipeline.checks.engine.VisitContext is one of these.)"""

    visit: Visit

    def __init__(self, visit: Visit, in_house_venues: Iterable[str] = ()):
        self.visit = visit
        self.venues = word_forms(tuple(in_house_venues))

    @classmethod
    def of(cls, visit: Visit, settings: dict) -> Serving:
        """The index of a visit under a rules file's settings."""
        return cls(visit, settings.get("in_house_venues") or ())

    @once
    def item_spans(self) -> list[tuple[Record, tuple | None]]:
        """Each itinerary item with its span (item_span), worked out once per visit."""
        return [(item, item_span(item)) for item in self.visit.items]

    @once
    def items_by_kind(self) -> dict[str | None, list[tuple[Record, tuple]]]:
        """The items that have a span, with it, by kind of item."""
        items: dict[str | None, list[tuple[Record, tuple]]] = {}
        for item, span in self.item_spans:
            if span is not None:
                items.setdefault(item.kind, []).append((item, span))
        return items

    @once
    def booking_spans(self) -> list[tuple[Record, tuple | None]]:
        """Each booking with its span (booking_span), worked out once per visit."""
        return [(b, booking_span(b)) for b in self.visit.bookings]

    @once
    def live_bookings(self) -> dict[str, list[tuple[Record, tuple]]]:
        """The bookings that are not cancelled and have a span, with it, by kind of booking."""
        live: dict[str, list[tuple[Record, tuple]]] = {}
        for b, span in self.booking_spans:
            if span and b.status != "cancelled":
                live.setdefault(b.kind, []).append((b, span))
        return live

    @once
    def live_spans(self) -> dict[str, list[tuple]]:
        """The time each resource is booked for, by kind of booking: the spans of the
        bookings that are not cancelled, those of one resource back to back (or
        overlapping) joined into one (contract v2: they serve together)."""
        spans: dict[str, list[tuple]] = {}
        for kind, live in self.live_bookings.items():
            if len(live) == 1:
                spans[kind] = [live[0][1]]
                continue
            by_resource: dict[str, list[tuple]] = {}
            for b, span in live:
                by_resource.setdefault(normalize(b.resource or ""), []).append(span)
            joined = spans[kind] = []
            for resource_spans in by_resource.values():
                resource_spans.sort()
                start, end = resource_spans[0]
                for s, e in resource_spans[1:]:
                    if s <= end:
                        end = max(end, e)
                    else:
                        joined.append((start, end))
                        start, end = s, e
                joined.append((start, end))
        return spans

    @once
    def served(self) -> dict[str, list[Served]]:
        """By kind of booking, each item of a kind it serves that has a span and a booking
        serving it: (item, span, the live bookings serving it, whether they are at the
        place the item names). One pass per visit for everything that asks which booking
        an item has; `serving_ids` are the bookings that serve some item."""
        live = self.live_bookings
        served: dict[str, list[Served]] = {}
        used: set[int] = set()
        self.serving_ids = used
        if not live:
            return served
        for kind, items in self.items_by_kind.items():
            booking_kind = SERVES.get(kind)
            bookings = live.get(booking_kind)
            if not bookings:
                continue
            entries = served.setdefault(booking_kind, [])
            one, (first, first_span) = len(bookings) == 1, bookings[0]
            for item, span in items:
                start, end = span
                if one:  # the usual case, without a comprehension
                    over = [first] if first_span[0] < end and start < first_span[1] else []
                else:
                    over = [b for b, s in bookings if s[0] < end and start < s[1]]
                placed = True
                if over and booking_kind != "vehicle":
                    location = item.location
                    if location and (len(over) > 1 or over[0].resource != location):
                        over, placed = self._at_place(location, over)
                if over:  # an item no booking serves is the coverage rules' business, not these
                    used.update(map(id, over))
                    entries.append((item, span, over, placed))
        return served

    @once
    def serving_ids(self) -> set[int]:
        """The ids of the live bookings that serve some item (`served` works them out
        and keeps them in the instance, where this is found from then on)."""
        _ = self.served
        return self.__dict__["serving_ids"]

    @once
    def _by_item(self) -> dict[int, list[Record]]:
        return {id(item): over for entries in self.served.values() for item, _, over, _ in entries}

    def bookings_for(self, item: Record) -> list[Record]:
        """The live bookings serving an item (none for an item without a time, a kind no
        booking serves, or a meal at an in-house venue)."""
        return self._by_item.get(id(item), [])

    def in_house(self, text: str) -> bool:
        """Whether a place (or an activity) names one of the rules file's in-house venues,
        where a meal needs no restaurant booking (the canteen, the hotel's breakfast)."""
        return names_any(text, self.venues)

    def _at_place(self, location: str, bookings: list[Record]) -> tuple[list[Record], bool]:
        """Of the bookings over an item's time, those at its location; none when it is at
        an in-house venue that none of them is; all when it names none of their places
        (then not placed: it is somewhere else than booked)."""
        at = [b for b in bookings if b.resource and same_place(location, b.resource)]
        if at:
            return at, True
        if self.in_house(location):
            return [], True
        return bookings, not any(b.resource for b in bookings)  # no place named: nothing to compare
