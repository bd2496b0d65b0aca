"""Derived aids (§2.4): what the pipeline works out so that staff need not.

Each aid is data in no particular language; the documents word and format it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..model import Record, Visit, at
from ..values import is_none_answer, normalize

# §3.1.1 asks for ethnicity because of dietary customs. These ethnic groups commonly keep
# dietary customs (mostly halal) that a kitchen should confirm with the guest; a company
# may give its own list as `dietary_ethnicities` in the rules file's settings.
DIETARY_ETHNICITIES = (
    "回族", "维吾尔族", "哈萨克族", "柯尔克孜族", "塔吉克族", "乌孜别克族", "塔塔尔族", "撒拉族",
    "东乡族", "保安族", "Hui", "Uyghur", "Uighur", "Kazakh", "Kyrgyz", "Tajik", "Uzbek", "Tatar",
    "Salar", "Dongxiang", "Bonan",
)


def host(visit: Visit) -> Record | None:
    """The main host (§3.3.2): the first staff member with the host role."""
    return next((s for s in visit.staff if s.role == "host"), None)


def host_side_order(visit: Visit) -> list[Record]:
    """Our staff in introduction order (§4.2.2): by rank (1 = most senior), then the
    unranked, the main host first and the others as listed."""
    return sorted(visit.staff, key=lambda s: (s.rank is None, s.rank or 0, s.role != "host", s.row))


def guest_side_order(visit: Visit) -> list[Record]:
    """The guests in introduction order (§4.2.2): their protocol order."""
    return visit.guests_in_order()


def boarding_order(visit: Visit) -> list[Record]:
    """The order in which guests are seated in the vehicle (§4.1.4): seniors first."""
    return visit.guests_in_order()


@dataclass(frozen=True)
class Wait:
    """The host must be at `place` by `be_there`, ahead of `at` (§4.1.1)."""

    what: str  # "arrival" or "pickup"
    place: str | None
    at: datetime
    be_there: datetime
    item: Record | None = None  # the pick-up item, for "pickup"


def host_waits(visit: Visit, settings: dict) -> list[Wait]:
    """When the host must be waiting: before the arrival and before each pick-up item."""
    ahead = timedelta(minutes=settings["host_wait_minutes"])
    waits = []
    arrival = visit.record.arrival
    if isinstance(arrival, datetime):
        waits.append(Wait("arrival", visit.record.arrival_point, arrival, arrival - ahead))
    for item in visit.items:
        start = at(item.date, item.start)
        if item.kind == "pickup" and start is not None:
            waits.append(Wait("pickup", item.location, start, start - ahead, item))
    return sorted(waits, key=lambda w: w.be_there)


@dataclass(frozen=True)
class Diet:
    """One guest's line of the kitchen's dietary summary (§3.3.3)."""

    guest: Record
    status: str  # "need", "none" (asked: none) or "unknown" (blank: not yet asked)
    need: str | None


def dietary_summary(visit: Visit) -> list[Diet]:
    """Every guest's dietary need in protocol order; a blank is unknown, never none."""
    lines = []
    for g in visit.guests_in_order():
        if g.dietary is None:
            lines.append(Diet(g, "unknown", None))
        elif is_none_answer(g.dietary):
            lines.append(Diet(g, "none", g.dietary))
        else:
            lines.append(Diet(g, "need", g.dietary))
    return lines


def ethnicity_hints(visit: Visit, settings: dict) -> list[Record]:
    """Guests whose ethnicity suggests dietary customs to confirm (internal only)."""
    names = settings.get("dietary_ethnicities") or DIETARY_ETHNICITIES
    known = {normalize(n) for n in names} | {normalize(n).removesuffix("族") for n in names}
    return [g for g in visit.guests_in_order()
            if g.ethnicity and normalize(g.ethnicity).removesuffix("族") in known]


def smokers(visit: Visit) -> list[Record]:
    """Guests who smoke: a smoking area and ashtrays are needed (§4.2.3)."""
    return [g for g in visit.guests_in_order() if g.smoker is True]

