"""Time helpers shared by the checks: item and booking intervals, overlaps."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from ..model import Record, at


def item_span(item: Record) -> tuple[datetime, datetime] | None:
    """An itinerary item's start and end, when its date and both times are known."""
    start, end = at(item.date, item.start), at(item.date, item.end)
    if start is None or end is None or end <= start:
        return None
    return start, end


def booking_span(booking: Record) -> tuple[datetime, datetime] | None:
    """A booking's span; a date without a time counts as the whole day (its missing time
    is a finding of its own)."""
    start, end = booking.start, booking.end
    if start is None or end is None:
        return None
    if not isinstance(start, datetime):
        start = datetime.combine(start, time.min)
    if not isinstance(end, datetime):
        end = datetime.combine(end, time.max)
    return (start, end) if end > start else None


def covers(span: tuple[datetime, datetime], inner: tuple[datetime, datetime]) -> bool:
    return span[0] <= inner[0] and inner[1] <= span[1]


def overlaps(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def describe(span: tuple[datetime, datetime]) -> str:
    start, end = span
    if start.date() == end.date():
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
    return f"{start:%Y-%m-%d %H:%M}–{end:%Y-%m-%d %H:%M}"


def visit_bounds(visit: Record, early: timedelta = timedelta(), late: timedelta = timedelta()):
    """The visit's arrival and departure as datetimes (a date alone spans its whole day);
    None when either is unknown or they are in the wrong order."""
    arrival, departure = visit.arrival, visit.departure
    if arrival is None or departure is None:
        return None
    if not isinstance(arrival, datetime):
        arrival = datetime.combine(arrival, time.min)
    if not isinstance(departure, datetime):
        departure = datetime.combine(departure, time.max)
    if departure <= arrival:
        return None  # a finding of its own; nothing falls between
    return arrival - early, departure + late


def day_of(d: date | datetime) -> date:
    return d.date() if isinstance(d, datetime) else d
