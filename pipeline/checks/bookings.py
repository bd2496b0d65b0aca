"""Checks on bookings (§3.2.2, §3.3.3)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from ..contract import SERVED, SERVES
from ..model import Record, Workbook
from ..standard import Standard
from ..values import is_none_answer, normalize
from .engine import Hit, VisitContext, visit_check, workbook_check
from ..places import names_any, word_forms
from ..serving import booking_span, seats_of
from .timing import clashes, day_of, describe, name_others, overlaps, visit_bounds


def _live(ctx: VisitContext, kind: str) -> list[tuple]:
    """Spans of the visit's bookings of a kind that are not cancelled."""
    return ctx.live_spans.get(kind, [])


def _uncovered(ctx: VisitContext, item_kinds: tuple[str, ...], skip=None):
    """The items of those kinds shown to the client (in workbook order) that no live
    booking of the kind serving them covers: starts no later and ends no earlier (the
    bookings of one resource back to back together, see VisitContext.live_spans). An
    internal item (a staff pre-meeting) may be held anywhere."""
    live, by_kind = ctx.live_spans, ctx.items_by_kind
    if len(item_kinds) == 1:
        items = by_kind.get(item_kinds[0], ())
    else:
        items = sorted((x for kind in item_kinds for x in by_kind.get(kind, ())), key=lambda x: x[0].row)
    for item, span in items:
        if item.client_facing is False:
            continue
        start, end = span
        for s, e in live.get(SERVES[item.kind], ()):
            if s <= start and end <= e:
                break
        else:  # no booking covers it
            if skip is None or not skip(item):
                yield item, span


@visit_check
def booking_end_after_start(ctx: VisitContext):
    """§3.2.2 a booking ends after it starts."""
    for b, span in ctx.booking_spans:
        if b.start is not None and b.end is not None and span is None:
            yield Hit(b, "end")


@visit_check
def meeting_room_booked(ctx: VisitContext):
    """§3.2.2 a meeting-room booking covers each meeting."""
    for item, span in _uncovered(ctx, ("meeting",)):
        yield Hit(item, "location", {"when": describe(span)})


@visit_check
def restaurant_booked(ctx: VisitContext):
    """§3.2.2 a restaurant booking covers each meal, except at in-house venues."""
    def in_house(item: Record) -> bool:
        return ctx.in_house(f"{item.location or ''} {item.activity or ''}")

    for item, span in _uncovered(ctx, ("meal",), in_house):
        yield Hit(item, "location", {"when": describe(span)})


@visit_check
def hotel_booked(ctx: VisitContext):
    """§3.2.1, §3.2.2 when accommodation is needed, hotel bookings cover every night."""
    v = ctx.v
    if not v.accommodation:
        return
    nights = _nights(v)
    stays = [(s.date(), e.date()) for s, e in _live(ctx, "hotel")]
    open_nights = [n for n in nights if not any(s <= n < e for s, e in stays)]
    if open_nights:
        yield Hit(None, "accommodation", {"nights": tuple(f"{n:%m-%d}" for n in open_nights)})


@visit_check
def vehicle_booked(ctx: VisitContext):
    """§3.2.2 when transport is needed, a vehicle covers each pick-up, transfer and send-off."""
    if not ctx.v.transport:
        return
    if not _live(ctx, "vehicle"):
        yield Hit(None, "transport", {"when": ""})
        return
    for item, span in _uncovered(ctx, ("pickup", "transfer", "send_off")):
        yield Hit(item, "activity", {"when": f" {describe(span)} "})


@visit_check
def meals_arranged(ctx: VisitContext):
    """§3.2.1, §3.3.3 meals needed: the itinerary has a meal or a restaurant is booked."""
    if ctx.v.catering and "restaurant" not in ctx.live_bookings and not any(i.kind == "meal" for i in ctx.visit.items):
        yield Hit(None, "catering")


def _needs(ctx: VisitContext) -> dict[str, tuple]:
    """Each guest's known dietary need (not blank, not "none") by name: the families of
    the rules file's `dietary_families` it names, or (None,) when it names none."""
    needs: dict[str, tuple] = {}
    for g in ctx.visit.guests:
        need = g.dietary
        if need and not is_none_answer(need):
            known = ctx.shared.setdefault("need_families", {})  # a workbook repeats its needs: each said once
            named = known.get(need)
            if named is None:
                named = known[need] = tuple(
                    f for f, words in _families(ctx).items() if names_any(need, words)) or (None,)
            needs[g.name or ""] = named
    return needs


def _families(ctx: VisitContext) -> dict[str, tuple[str, ...]]:
    """The rules file's dietary families, their words as looked for; once per run."""
    families = ctx.shared.get("dietary_families")
    if families is None:
        families = ctx.shared["dietary_families"] = {
            name: word_forms(tuple(words)) for name, words in (ctx.settings.get("dietary_families") or {}).items()}
    return families


@visit_check
def dietary_reaches_meals(ctx: VisitContext):
    """§3.1.1, §3.3.3 a restaurant booking of a meal a guest with a dietary need attends
    says what was arranged: one whose details are still blank is a step to do by its
    deadline (the rule's due_days)."""
    for b, missing in _dietary_gaps(ctx):
        if not b.details:
            yield Hit(b, "details", {"guests": missing})


@visit_check
def dietary_left_out(ctx: VisitContext):
    """§3.1.1, §3.3.3 a restaurant booking whose details say what was arranged, but not a
    dietary need of a guest at its meals: arranged without it, a mistake already made
    (no deadline to wait for: 晚宴写了“不吃辣”，漏了另一位的素食)."""
    for b, missing in _dietary_gaps(ctx):
        if b.details:
            yield Hit(b, "details", {"guests": missing})


def _dietary_gaps(ctx: VisitContext) -> list[tuple[Record, tuple[str, ...]]]:
    """Each live restaurant booking and the guests at its meals whose known dietary need
    it does not name: by a word of the need's family (清真 / halal …) in the details or
    the restaurant's name (伊兰清真餐厅), or, for a need of no family, by some details. A
    booking that serves no meal of the itinerary is taken to serve every guest. Worked
    out once for the two rules that ask."""
    gaps = ctx.memo.get("dietary_gaps")
    if gaps is None:
        gaps = ctx.memo["dietary_gaps"] = list(_find_dietary_gaps(ctx))
    return gaps


def _find_dietary_gaps(ctx: VisitContext):
    restaurants = ctx.live_bookings.get("restaurant")
    if not restaurants:
        return
    needs = _needs(ctx)
    if not needs:
        return
    families = _families(ctx)
    meals: dict[int, list[Record]] = {}  # id(booking) -> the meals it serves
    for item, _, serving, _ in ctx.served.get("restaurant", ()):
        for b in serving:
            meals.setdefault(id(b), []).append(item)
    for b, _ in restaurants:
        served = meals.get(id(b))
        attending = {name for item in served for name in ctx.visit.guests_at(item)} if served else needs
        said = f"{b.resource or ''} {b.details or ''}"  # a halal restaurant says it in its name
        missing = tuple(name for name, named in needs.items() if name in attending and not all(
            bool(b.details) if family is None else names_any(said, families[family]) for family in named))
        if missing:
            yield b, missing


# ---- capacity (§3.2.2, §4.1.4) ---------------------------------------------------------------

def _people(ctx: VisitContext, item: Record, booking_kind: str) -> tuple[int, int]:
    """(guests, staff) an item involves (contract v2): the guests attending (each name
    once; every guest listed, for an item that names none) and the staff who own or
    attend it; a vehicle's drivers drive, they are not passengers. (A headcount that
    differs from the guests listed is a finding of its own.) The seating plans count
    the same people (pipeline.protocol.people.people_of)."""
    named = item.guests
    guests = len(set(named)) if named else 0 if item.client_facing is False else len(ctx.visit.guests)
    staff = {item.owner, *(item.attendees or ())}
    staff.discard(None)
    if booking_kind == "vehicle":
        staff.difference_update(s.name for s in ctx.visit.staff if s.role == "driver")
    return guests, len(staff)


@visit_check
def capacity_enough(ctx: VisitContext):
    """§3.2.2, §4.1.4 the bookings serving an item seat its people: one finding per
    booking, at the first item it is too small for."""
    said: set[int] = set()
    everyone = len(ctx.visit.guests)
    for kind, entries in ctx.served.items():
        for item, span, serving, _ in entries:
            if not serving:
                continue
            seats = serving[0].capacity if len(serving) == 1 else seats_of(serving)
            if seats is None or id(serving[0]) in said:
                continue
            named, attendees = item.guests, item.attendees
            most = (len(named) if named else 0 if item.client_facing is False else everyone) + 1 + len(attendees or ())
            if most <= seats:
                continue  # the usual case: even counting everyone named, they fit
            guests, staff = _people(ctx, item, kind)
            if guests + staff > seats:
                said.add(id(serving[0]))
                yield Hit(serving[0], "capacity", {
                    "resource": serving[0].resource or "", "capacity": seats, "activity": item.activity or "",
                    "when": describe(span), "people": guests + staff, "guests": guests, "staff": staff})


def _nights(v: Record) -> list[date]:
    """The nights of the stay: from the arrival day to the day before departure."""
    if v.arrival is None or v.departure is None:
        return []
    first, last = day_of(v.arrival), day_of(v.departure)
    return [first + timedelta(days=i) for i in range((last - first).days)]


@visit_check
def hotel_capacity_enough(ctx: VisitContext):
    """§3.2.2 where the hotel bookings say how many their rooms sleep, they sleep every
    guest, night by night."""
    hotels = ctx.live_bookings.get("hotel")
    if not hotels:
        return
    guests = len(ctx.visit.guests)
    if len(hotels) == 1 and (hotels[0][0].capacity is None or hotels[0][0].capacity >= guests):
        return  # one booking that sleeps them all, or does not say
    short, first = [], None
    for night in _nights(ctx.v):
        staying = [b for b, (s, e) in hotels if s.date() <= night < e.date()]
        if staying and all(b.capacity is not None for b in staying) and sum(b.capacity for b in staying) < guests:
            short.append((night, sum(b.capacity for b in staying)))
            first = first or staying[0]
    if short:
        yield Hit(first, "capacity", {"nights": tuple(f"{n:%m-%d}" for n, _ in short),
                                      "capacity": min(c for _, c in short), "guests": guests})


# ---- the right resource (§3.2.2) ---------------------------------------------------------------

@visit_check
def location_matches_booking(ctx: VisitContext):
    """§3.2.2 a meeting or meal shown to the client is where its time is booked: its
    location names the room or restaurant of a booking over its time (see
    places.same_place)."""
    served = ctx.served
    for kind in ("meeting_room", "restaurant"):
        for item, _, serving, placed in served.get(kind, ()):
            if not placed and item.client_facing is not False:
                booked = tuple(dict.fromkeys(b.resource for b in serving if b.resource))
                yield Hit(item, "location", {"location": item.location, "booked": booked})


@visit_check
def booking_serves_item(ctx: VisitContext):
    """§3.2.2 every live booking serves something: a room, restaurant or vehicle an item
    of its kind over its time, a hotel the stay. One that serves nothing is booked in
    vain, or at the wrong time, or as the wrong kind. Not said while an item of its kinds
    has no time yet (it may be the one it serves), nor for a visit with no itinerary."""
    items, live = ctx.visit.items, ctx.live_bookings
    if not items or not live:
        return
    stay = visit_bounds(ctx.v) if "hotel" in live else None
    for b, span in live.get("hotel", ()) if stay else ():
        if not overlaps(span, stay):
            yield Hit(b, "start", {"when": describe(span)})
    used = ctx.serving_ids
    if len(used) == sum(len(live[k]) for k in SERVED if k in live):
        return  # every room, restaurant and car booked serves some item
    timeless = () if sum(map(len, ctx.items_by_kind.values())) == len(items) else \
        {i.kind for i, span in ctx.item_spans if span is None}
    for kind, served_kinds in SERVED.items():
        if kind in live and not any(k in timeless for k in served_kinds):
            for b, span in live[kind]:
                if id(b) not in used:
                    yield Hit(b, "start", {"when": describe(span)})


@workbook_check
def resource_clash(wb: Workbook, standard: Standard, today: date):
    """§3.2.2 a meeting room or vehicle is not booked by two visits at once (hotels and
    restaurants host many parties): one finding per booking, naming the other visits (see
    timing.clashes), at the time it overlaps the first of them."""
    by_resource = defaultdict(list)
    for visit in wb.visits.values():
        if visit.cancelled:
            continue
        for b in visit.bookings:
            if b.kind in ("meeting_room", "vehicle") and b.status != "cancelled" and b.resource:
                span = booking_span(b)
                if span:
                    by_resource[(b.kind, normalize(b.resource))].append((span, visit.id, b))
    for entries in by_resource.values():
        if len(entries) < 2:
            continue
        for span, _, b, named, total, first in clashes(entries):
            first = first or span
            when = describe((max(span[0], first[0]), min(span[1], first[1])))
            yield Hit(b, "resource", {"resource": b.resource, "when": when, "other": name_others(named, total)})
