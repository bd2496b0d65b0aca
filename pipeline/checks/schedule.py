"""Checks on dates, times and the itinerary (§3.1.1, §3.2.1, §3.3.4, §5)."""

from __future__ import annotations

from datetime import datetime, timedelta

from .engine import Hit, VisitContext, visit_check
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
    send-off end late by the rules file's limits."""
    early = timedelta(hours=ctx.settings["pickup_early_hours"])
    late = timedelta(hours=ctx.settings["send_off_late_hours"])
    plain = visit_bounds(ctx.v)
    if plain is None:
        return
    for item, span in ctx.item_spans:
        if span is None:
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
def briefed_after_approval(ctx: VisitContext):
    """§3.3.4 the team is briefed on the approved plan."""
    briefed, approved = ctx.v.briefed_on, ctx.v.approved_on
    if briefed and approved and briefed < approved:
        yield Hit(None, "briefed_on")


@visit_check
def visit_closed_out(ctx: VisitContext):
    """§5 a visit whose guests have left is completed (or cancelled)."""
    departure = ctx.v.departure
    if departure is None or ctx.v.status in ("completed", "cancelled"):
        return
    if day_of(departure) < ctx.today:
        yield Hit(None, "status", {"departure": day_of(departure).isoformat()})
