"""Checks on guests and staff (§3.1.1, §3.3.2, §4.2.2, §4.2.4, §4.3.1)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from itertools import compress, repeat
from operator import attrgetter

from ..model import Record, Workbook, at
from ..protocol.people import unranked
from ..standard import Standard
from .engine import Hit, VisitContext, visit_check, workbook_check
from ..serving import item_span
from .timing import clashes, describe, name_others


@visit_check
def headcount_matches_guests(ctx: VisitContext):
    """§3.1.1 the number of visitors equals the guests listed."""
    headcount = ctx.v.headcount
    if headcount is not None and headcount != len(ctx.visit.guests):
        yield Hit(None, "headcount", {"headcount": headcount, "listed": len(ctx.visit.guests)})


@visit_check
def core_person_present(ctx: VisitContext):
    """§3.1.1 at least one guest is a core person."""
    if not any(g.core for g in ctx.visit.guests):
        yield Hit(None, None)


@visit_check
def guest_rank_unique(ctx: VisitContext):
    """§4.2.2 protocol ranks tell one order: no rank twice in a visit."""
    seen, twice = set(), set()
    for g in ctx.visit.guests:
        rank = g.rank
        if rank is not None:
            if rank in seen and rank not in twice:
                twice.add(rank)
                yield Hit(g, "rank", {"rank": rank})
            seen.add(rank)


@visit_check
def seated_people_ranked(ctx: VisitContext):
    """§4.3.1 (§4.2.1) the meetings and meals to be seated: whoever they seat with neither
    a protocol rank nor a title is seated in list order. One finding per person, on
    their rank cell, naming the items by their time (an activity's wording may say more
    than a finding should: "午餐（另备素食）"); pipeline.protocol.people.unranked says who."""
    for row, items in unranked(ctx.visit):
        times = (f"{start:%Y-%m-%d %H:%M}" if start else f"#{item.row}"
                 for item, start in ((i, at(i.date, i.start)) for i in items))
        yield Hit(row, "rank", {"items": tuple(dict.fromkeys(times))})


@visit_check
def main_host_assigned(ctx: VisitContext):
    """§3.3.2 a main host."""
    if not any(s.role == "host" for s in ctx.visit.staff):
        yield Hit(None, None)


@visit_check
def tour_has_guide(ctx: VisitContext):
    """§3.3.2, §4.2.4 every tour has a guide among its owner and attendees."""
    guides = {s.name for s in ctx.visit.staff if s.role == "guide"}
    for item in ctx.visit.items:
        if item.kind == "tour" and not ({item.owner, *(item.attendees or ())} & guides):
            yield Hit(item, "owner")


@visit_check
def item_people_on_staff(ctx: VisitContext):
    """§3.3.2 every itinerary owner and attendee is on the visit's staff."""
    names = ctx.visit.staff_names()
    for item in ctx.visit.items:
        if item.owner and item.owner not in names:
            yield Hit(item, "owner", {"person": item.owner})
        for person in item.attendees or ():
            if person not in names:
                yield Hit(item, "attendees", {"person": person})


@visit_check
def item_guests_listed(ctx: VisitContext):
    """Contract v2: the guests an item names are on the visit's guest list."""
    strangers = ctx.shared.get("guests_not_listed")
    if strangers is None:
        strangers = ctx.shared["guests_not_listed"] = _guests_not_listed(ctx.workbook)
    for item, person in strangers.get(ctx.visit.id, ()):
        yield Hit(item, "guests", {"person": person})


def _guests_not_listed(wb: Workbook) -> dict[str, list[tuple[Record, str]]]:
    """By visit, each name an itinerary row's guests cell gives that is not on that
    visit's guest list: worked out once per run, over the (visit, name) pairs of the
    Guests sheet and only the itinerary rows that name guests (both found in C)."""
    guests = list(map(_VALUES, wb.rows.get("guests", [])))
    listed = set(zip(map(dict.get, guests, repeat("visit_id")), map(dict.get, guests, repeat("name"))))
    rows = wb.rows.get("itinerary", [])
    strangers: dict[str, list[tuple[Record, str]]] = {}
    for item in compress(rows, map(dict.get, map(_VALUES, rows), repeat("guests"))):
        for person in item.guests:
            if (item.visit_id, person) not in listed:
                strangers.setdefault(item.visit_id, []).append((item, person))
    return strangers


_VALUES = attrgetter("values")


@visit_check
def booking_owner_on_staff(ctx: VisitContext):
    """§3.3.2 a booking's owner is on the visit's staff."""
    names = ctx.visit.staff_names()
    for b in ctx.visit.bookings:
        if b.owner and b.owner not in names:
            yield Hit(b, "owner", {"person": b.owner})


@workbook_check
def staff_double_booked(wb: Workbook, standard: Standard, today: date):
    """§3.3.2 nobody owns or attends overlapping items of two visits: one finding per
    item and person, naming the other visits (see timing.clashes). A person is known by
    staff ID, else by name: two people of one name with their own IDs are two people.
    One pass over every item builds the index by person; only a person's own items are
    compared."""
    on_items = defaultdict(list)
    for visit in wb.visits.values():
        if visit.cancelled:
            continue
        ids = {s.name: s.staff_id for s in visit.staff if s.name}
        for item in visit.items:
            span = item_span(item)
            if span is None:
                continue
            if item.owner:
                on_items[ids.get(item.owner) or item.owner].append((span, visit.id, (item, "owner", item.owner)))
            for person in item.attendees or ():
                if person != item.owner:
                    on_items[ids.get(person) or person].append((span, visit.id, (item, "attendees", person)))
    for entries in on_items.values():
        if len(entries) < 2:
            continue
        for span, _, (item, field, person), named, total, _ in clashes(entries):
            yield Hit(item, field, {"person": person, "when": describe(span), "other": name_others(named, total)})
