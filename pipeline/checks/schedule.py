"""Checks on dates, times and the itinerary (§3.1.1, §3.2.1, §3.3.4, §5)."""

from __future__ import annotations

from datetime import datetime, timedelta
from operator import itemgetter, le

from ..contract import VISITS
from .engine import Hit, Said, VisitContext, visit_check
from ..places import place_form, same_place, word_forms
from .timing import day_of, describe, visit_bounds


@visit_check
def departure_after_arrival(ctx: VisitContext):
    """§3.1.1 departure after arrival."""
    arrival, departure = ctx.v.arrival, ctx.v.departure
    if arrival is None or departure is None:
        return
    if isinstance(arrival, datetime) and isinstance(departure, datetime):
        wrong = departure <= arrival
    else:
        wrong = day_of(departure) < day_of(arrival)
    if wrong:
        yield Hit(None, "departure")


@visit_check
def itinerary_present(ctx: VisitContext):
    """§3.2.1 a detailed itinerary."""
    if not ctx.visit.items:
        yield Hit(None, None)


@visit_check
def item_end_after_start(ctx: VisitContext):
    """§3.2.1 every item ends after it starts."""
    for item in ctx.visit.items:
        if item.start is not None and item.end is not None and item.end <= item.start:
            yield Hit(item, "end")


@visit_check
def item_within_visit(ctx: VisitContext):
    """§3.2.1 items fall between arrival and departure; a pick-up may start early and a
    send-off end late by the rules file's limits. An internal item (a staff pre-meeting
    the day before) may lie outside the stay (contract v2)."""
    early = timedelta(hours=ctx.settings["pickup_early_hours"])
    late = timedelta(hours=ctx.settings["send_off_late_hours"])
    plain = visit_bounds(ctx.v)
    if plain is None:
        return
    for item, span in ctx.item_spans:
        if span is None or item.client_facing is False:
            continue
        lo = plain[0] - early if item.kind == "pickup" else plain[0]
        hi = plain[1] + late if item.kind == "send_off" else plain[1]
        if span[0] < lo or span[1] > hi:
            yield Hit(item, "date", {"when": describe(span)})


@visit_check
def send_off_planned(ctx: VisitContext):
    """§5.1 a send-off near the departure time."""
    departure = ctx.v.departure
    if not isinstance(departure, datetime) or visit_bounds(ctx.v) is None:
        return
    window = timedelta(hours=ctx.settings["send_off_window_hours"])
    for item, span in ctx.item_spans:
        if item.kind == "send_off" and span and abs(span[0] - departure) <= window:
            return
    yield Hit(None, "departure")


@visit_check
def guest_items_overlap(ctx: VisitContext):
    """§3.2.1 no guest is in two items at once (a meeting running into lunch): one
    finding on the later of two overlapping items that share a guest. An item of the
    rules file's `umbrella_kinds` (a day's tour) may hold others whole."""
    spans = [span for _, span in ctx.item_spans if span is not None]
    if all(map(le, map(_END, spans), map(_START, spans[1:]))):
        return  # listed in time order, each ending before the next starts (the usual day): nothing overlaps
    items = sorted(((span, item) for item, span in ctx.item_spans if span is not None), key=_START)
    spans = [span for span, _ in items]
    if all(map(le, map(_END, spans), map(_START, spans[1:]))):
        return
    umbrella = ctx.settings.get("umbrella_kinds") or ()
    guests_at = ctx.visit.guests_at
    running: list[tuple] = []  # (span, item) of the items started earlier
    for span, item in items:
        running = [(s, other) for s, other in running if s[1] > span[0]]
        for s, other in running:
            if (other.kind in umbrella and span[1] <= s[1]) or (item.kind in umbrella and s[0] == span[0]
                                                                and s[1] <= span[1]):
                continue  # one holds the other whole
            if set(guests_at(item)) & set(guests_at(other)):
                yield Hit(item, "start", {"other": other.activity or "", "when": describe(s)})
                break
        running.append((span, item))


_START, _END = itemgetter(0), itemgetter(1)


def _place_fits(ctx: VisitContext, kind: str, moment: str):
    """The pick-up (arrival) or send-off (departure) nearest the guests' time is at the
    meeting or send-off point, when given, and not at a hub of another travel mode (an
    airport for guests leaving by train: the rules file's `travel_places`)."""
    items = ctx.items_by_kind.get(kind)
    if not items:
        return
    values = ctx.v.values
    mode, point = values.get(f"{moment}_mode"), values.get(f"{moment}_point")
    if len(items) > 1:
        items = [(item, span) for item, span in items if item.location and item.client_facing is not False]
        if not items:
            return
    if len(items) == 1:
        item = items[0][0]
    elif isinstance(when := values.get(moment), datetime):
        item = min(items, key=lambda x: abs(x[1][0] - when))[0]
    else:
        item = items[0 if moment == "arrival" else -1][0]
    location = item.location
    if not location or item.client_facing is False:
        return
    said = ctx.shared.get(("travel_place", moment))  # a workbook repeats its places: each judged once
    if said is None:
        said = ctx.shared[("travel_place", moment)] = {}
    verdict = said.get((location, mode, point), said)
    if verdict is said:
        verdict = said[(location, mode, point)] = _place_verdict(ctx, location, mode, point, moment)
    if verdict is not None:
        yield Hit(item, "location", {"location": location, "expected": verdict})


def _place_verdict(ctx: VisitContext, location: str, mode: str | None, point: str | None, moment: str) -> Said | None:
    """What a pick-up or send-off place does not fit (None: it fits): the point agreed
    (when given), or the travel mode, when the place names a hub of another mode and
    none of its own (a station for a flight; a lobby or a hotel names neither: guests
    may be met or seen off there)."""
    if point and not same_place(location, point):
        return Said(f"checks.place.{moment}_point", {"point": point})
    places = ctx.shared.get("travel_places")
    if places is None:  # the rules file's words, as looked for, once per run
        places = ctx.shared["travel_places"] = {
            m: word_forms(tuple(words or ())) for m, words in (ctx.settings.get("travel_places") or {}).items()}
    if mode in places:
        hubs = _hubs(place_form(location), places)
        if hubs and mode not in hubs:
            choice = next((c for c in VISITS.column(f"{moment}_mode").choices if c.key == mode), mode)
            return Said(f"checks.place.{moment}_mode", {"mode": choice})
    return None


def _hubs(form: str, places: dict[str, tuple[str, ...]]) -> set[str]:
    """The travel modes whose hub a place names: a word of the mode, not inside a longer
    word of another mode (the 站 of 航站楼 names no station)."""
    hubs = set()
    for mode, words in places.items():
        text = form
        for other, others in places.items():
            if other != mode:
                for longer in others:
                    if longer in text and any(w in longer and w != longer for w in words):
                        text = text.replace(longer, " ")
        if any(w in text for w in words):
            hubs.add(mode)
    return hubs


@visit_check
def pickup_place_fits(ctx: VisitContext):
    """§4.1.1 the pick-up is where the guests arrive."""
    yield from _place_fits(ctx, "pickup", "arrival")


@visit_check
def send_off_place_fits(ctx: VisitContext):
    """§5.1 the send-off is where the guests leave from."""
    yield from _place_fits(ctx, "send_off", "departure")


@visit_check
def approved_before_arrival(ctx: VisitContext):
    """§3.2.3 the plan was approved the rules file's `approval_lead_days` before arrival
    (not only before today)."""
    yield from _ahead_of_arrival(ctx, "approved_on", "approval_lead_days", "approved")


@visit_check
def briefed_before_arrival(ctx: VisitContext):
    """§3.3.4 the team was briefed `briefing_lead_days` before arrival."""
    yield from _ahead_of_arrival(ctx, "briefed_on", "briefing_lead_days", "briefed")


def _ahead_of_arrival(ctx: VisitContext, field: str, setting: str, name: str):
    done = ctx.v.values.get(field)
    if done is None:
        return
    arrival = ctx.v.arrival
    if arrival is None:
        return
    days = ctx.settings[setting]
    if day_of(done) > day_of(arrival) - timedelta(days=days):
        yield Hit(None, field, {name: day_of(done).isoformat(), "arrival": day_of(arrival).isoformat(), "days": days})


@visit_check
def briefed_after_approval(ctx: VisitContext):
    """§3.3.4 the team is briefed on the approved plan."""
    briefed, approved = ctx.v.briefed_on, ctx.v.approved_on
    if briefed and approved and briefed < approved:
        yield Hit(None, "briefed_on")


@visit_check
def completed_after_departure(ctx: VisitContext):
    """§1, §5 a visit is completed once its guests have left, not before."""
    departure = ctx.v.departure
    if ctx.v.status == "completed" and departure is not None and day_of(departure) > ctx.today:
        yield Hit(None, "status", {"departure": day_of(departure).isoformat()})


@visit_check
def visit_closed_out(ctx: VisitContext):
    """§5 a visit whose guests have left is completed (or cancelled)."""
    departure = ctx.v.departure
    if departure is None or ctx.v.status in ("completed", "cancelled"):
        return
    if day_of(departure) < ctx.today:
        yield Hit(None, "status", {"departure": day_of(departure).isoformat()})
