"""Time helpers shared by the checks: the visit's bounds, overlaps, clashes across visits
(the spans of items and bookings are pipeline.serving's)."""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections import defaultdict
from datetime import date, datetime, timedelta
from itertools import chain, islice

from ..model import Record
from ..serving import day_span
from .engine import Said


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
    span = day_span(visit.arrival, visit.departure)
    if span is None:
        return None  # wrong order: a finding of its own; nothing falls between
    return span[0] - early, span[1] + late


def day_of(d: date | datetime) -> date:
    return d.date() if isinstance(d, datetime) else d


# ---- the same resource or person at once in several visits ------------------------------------

SHOWN_OTHERS = 5  # a finding names this many other visits, then counts the rest
_SCAN_LIMIT = 500  # entries looked at to find the visits to name (the count is always exact)


def clashes(entries: list[tuple[tuple[datetime, datetime], str, object]]):
    """For each entry (span, visit id, payload) of one resource or person that overlaps
    entries of other visits: (span, visit id, payload, the other visits to name (at most
    SHOWN_OTHERS, in order of their start), how many other visits overlap in all, the span
    of the first one named).

    The entries sorted by start fall into runs that overlap nothing outside them (a run
    ends where nothing started so far is still going); only a run of two or more entries
    is looked into, by `_sweep`.
    """
    entries = sorted(entries, key=lambda e: e[0])
    run: list = []
    end = None
    for entry in entries:
        start, stop = entry[0]
        if run and start >= end:
            if len(run) > 1:
                yield from _sweep(run)
            run = []
        if not run or stop > end:
            end = stop
        run.append(entry)
    if len(run) > 1:
        yield from _sweep(run)


def _sweep(entries: list):
    """`clashes` over entries sorted by start, n log n however many overlap at once: the
    entries that started earlier and are still going are kept in a heap by end, the later
    ones that start before this one ends follow in sort order. The number of distinct
    other visits comes from counts, not from listing them: each visit's spans are merged,
    the merged spans overlapping an entry are counted with two binary searches, and a
    visit whose several merged spans all overlap it is counted once by subtracting the
    gaps between them that the entry spans."""
    by_visit: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for span, vid, _ in entries:
        by_visit[vid].append(span)
    if len(by_visit) < 2:
        return
    starts = [span[0] for span, _, _ in entries]
    merged_starts, merged_ends, gaps = [], [], []
    for spans in by_visit.values():
        lo, hi = spans[0]
        for s, e in spans[1:]:
            if s < hi:
                hi = max(hi, e)
            else:
                merged_starts.append(lo)
                merged_ends.append(hi)
                gaps.append((hi, s))
                lo, hi = s, e
        merged_starts.append(lo)
        merged_ends.append(hi)
    merged_starts.sort()
    merged_ends.sort()
    gaps.sort()
    gap_starts = [a for a, _ in gaps]

    active: dict[int, None] = {}  # earlier entries still going, in start order
    ending: list[tuple[datetime, int]] = []
    for i, (span, vid, payload) in enumerate(entries):
        s, e = span
        while ending and ending[0][0] <= s:
            del active[heapq.heappop(ending)[1]]
        total = bisect_left(merged_starts, e) - bisect_right(merged_ends, s) - 1  # less this entry's own visit
        if gaps:
            total -= sum(1 for k in range(bisect_right(gap_starts, s), bisect_left(gap_starts, e)) if gaps[k][1] < e)
        if total > 0:
            named: list[str] = []
            first = None
            for j in islice(chain(active, range(i + 1, bisect_left(starts, e))), _SCAN_LIMIT):
                other_span, other_vid, _ = entries[j]
                if other_vid != vid and other_vid not in named:
                    named.append(other_vid)
                    first = first or other_span
                    if len(named) == SHOWN_OTHERS:
                        break
            yield span, vid, payload, named, total, first
        active[i] = None
        heapq.heappush(ending, (e, i))


def name_others(named: list[str], total: int) -> tuple[str, ...] | Said:
    """The other visits of a clash, said as a list in the finding's language, and how
    many more there are (`V2、V3（+4）`, `V2, V3 (+4)`)."""
    if total > len(named):
        return Said("punct.aside", {"text": tuple(named), "aside": f"+{total - len(named)}"})
    return tuple(named)
