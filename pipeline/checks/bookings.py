"""Checks on bookings (§3.2.2, §3.3.3)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from functools import lru_cache

from ..model import Record, Workbook
from ..standard import Standard
from ..values import is_none_answer, normalize
from .engine import Hit, VisitContext, visit_check, workbook_check
from .timing import booking_span, clashes, day_of, describe, name_others

# Which booking serves which kind of itinerary item.
SERVES = {"meeting": "meeting_room", "meal": "restaurant", "pickup": "vehicle",
          "transfer": "vehicle", "send_off": "vehicle"}


@lru_cache(maxsize=8)
def _normalized(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(normalize(n) for n in names)


def _live(ctx: VisitContext, kind: str) -> list[tuple]:
    """Spans of the visit's bookings of a kind that are not cancelled."""
    return ctx.live_spans.get(kind, [])


def _uncovered(ctx: VisitContext, item_kinds: tuple[str, ...], skip=None):
    """The items of those kinds (in workbook order) that no live booking of the kind
    serving them covers: starts no later and ends no earlier."""
    live, by_kind = ctx.live_spans, ctx.items_by_kind
    if len(item_kinds) == 1:
        items = by_kind.get(item_kinds[0], ())
    else:
        items = sorted((x for kind in item_kinds for x in by_kind.get(kind, ())), key=lambda x: x[0].row)
    for item, span in items:
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
    venues = _normalized(tuple(ctx.settings["in_house_venues"]))

    def in_house(item: Record) -> bool:
        where = normalize(f"{item.location or ''}{item.activity or ''}")
        return any(v in where for v in venues)

    for item, span in _uncovered(ctx, ("meal",), in_house):
        yield Hit(item, "location", {"when": describe(span)})


@visit_check
def hotel_booked(ctx: VisitContext):
    """§3.2.2 when accommodation is needed, hotel bookings cover every night."""
    v = ctx.v
    if not v.accommodation or v.arrival is None or v.departure is None:
        return
    first, last = day_of(v.arrival), day_of(v.departure)
    nights = [first + timedelta(days=i) for i in range((last - first).days)]
    stays = [(s.date(), e.date()) for s, e in _live(ctx, "hotel")]
    open_nights = [n for n in nights if not any(s <= n < e for s, e in stays)]
    if open_nights:
        yield Hit(None, "accommodation", {"nights": "、".join(f"{n:%m-%d}" for n in open_nights)})


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
def dietary_reaches_meals(ctx: VisitContext):
    """§3.3.3 a guest's dietary need reaches every restaurant booking's details."""
    if not any(g.dietary and not is_none_answer(g.dietary) for g in ctx.visit.guests):
        return
    for b in ctx.visit.bookings:
        if b.kind == "restaurant" and b.status != "cancelled" and not b.details:
            yield Hit(b, "details")


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
