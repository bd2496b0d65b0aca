"""Who sits where in the cars of a pick-up or transfer (§4.1.4 尊者、长者优先), as data.

`car_seating(guests, staff, seats)` is pure, like pipeline.protocol.seating: people and
ranks in, cars out. The run sheets word it (pipeline/documents/roles.py).

[BIZ] 金正昆《商务礼仪》, 乘车座次: with a professional driver the seat of honour is the
rear right, then rear left, then rear middle, and the front passenger seat is for an
escort or interpreter (随员座); when the host drives, the front passenger seat is the
seat of honour, then rear right, rear left, rear middle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import ceil

from .seating import Person, precedence

REAR_RIGHT, REAR_LEFT, REAR_MIDDLE, FRONT = "rear_right", "rear_left", "rear_middle", "front"
# Seat order, most senior first [BIZ].
WITH_DRIVER = (REAR_RIGHT, REAR_LEFT, REAR_MIDDLE, FRONT)
HOST_DRIVES = (FRONT, REAR_RIGHT, REAR_LEFT, REAR_MIDDLE)
# Our staff who take the front seat of a car with a professional driver [BIZ].
FRONT_ROLES = ("escort", "interpreter")


@dataclass(frozen=True)
class Car:
    number: int  # 1 = the principal guest's car
    driver: Person | None  # None: a driver still to be named
    seats: tuple[tuple[str, Person], ...]  # (seat, who), the most senior seat first
    host_drives: bool = False


def car_seating(guests: Sequence[Person], staff: Sequence[Person], seats: int = 4) -> tuple[Car, ...]:
    """The cars for these guests and our staff on the item, `seats` passenger seats each
    (beyond four: `extra5`, `extra6`, … after the four named ones).

    Our drivers (role `driver`) drive, one car each; with none, our most senior person
    on the item drives the first car. The guests fill the cars by rank, the principal
    guest in the first, each car in its seat order; with a professional driver the
    front seat goes to one of our staff (an escort or interpreter first) when one rides
    along, and the rest of our staff take the seats left."""
    drivers = [p for p in staff if p.role == "driver"]
    riders = precedence([p for p in staff if p.role != "driver"])
    host_drives = not drivers and bool(riders)
    if host_drives:
        drivers = [riders.pop(0)]
    guests = precedence(guests)
    if not guests and not riders:
        return ()
    order = (HOST_DRIVES if host_drives else WITH_DRIVER)[:seats] + tuple(f"extra{n}" for n in range(5, seats + 1))
    cars: list[dict[str, Person]] = [{} for _ in range(max(1, ceil((len(guests) + len(riders)) / seats)))]
    if not host_drives and FRONT in order:
        front = sorted(riders, key=lambda p: p.role not in FRONT_ROLES)[:len(cars)]
        for car, p in zip(cars, front):
            car[FRONT] = p
        riders = [p for p in riders if all(p is not q for q in front)]
    for person in [*guests, *riders]:
        car = next(c for c in cars if len(c) < len(order))
        car[next(s for s in order if s not in car)] = person
    return tuple(Car(n, drivers[n - 1] if n <= len(drivers) else None,
                     tuple((s, car[s]) for s in order if s in car), host_drives)
                 for n, car in enumerate(cars, 1))
