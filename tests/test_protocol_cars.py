"""Car seating (pipeline/protocol/cars.py, §4.1.4): who sits where, by rank."""

from __future__ import annotations

import pytest

from pipeline.protocol.cars import car_seating
from pipeline.protocol.seating import GUEST, HOST, Person


def guests(n: int) -> list[Person]:
    # listed in reverse: the ranks, not the list, put the principal guest in the first car
    return [Person(f"G{i}", GUEST, i, 100 - i) for i in range(n, 0, -1)]


def staff(*roles: str) -> list[Person]:
    return [Person(f"{role}{i}", HOST, i, i, role=role) for i, role in enumerate(roles, 1)]


def layout(cars) -> list[tuple]:
    return [(c.number, c.driver.name if c.driver else None, [(seat, p.name) for seat, p in c.seats]) for c in cars]


@pytest.mark.parametrize("name, g, s, seats, expected", [
    ("professional driver: rear right, rear left, rear middle; the escort in front",
     guests(3), staff("driver", "escort"), 4,
     [(1, "driver1", [("rear_right", "G1"), ("rear_left", "G2"), ("rear_middle", "G3"), ("front", "escort2")])]),
    ("professional driver, no escort: the fourth guest in front",
     guests(4), staff("driver"), 4,
     [(1, "driver1", [("rear_right", "G1"), ("rear_left", "G2"), ("rear_middle", "G3"), ("front", "G4")])]),
    ("the interpreter takes the front before our host",
     guests(2), staff("driver", "host", "interpreter"), 4,
     [(1, "driver1", [("rear_right", "G1"), ("rear_left", "G2"), ("rear_middle", "host2"),
                      ("front", "interpreter3")])]),
    ("our host drives: the front passenger seat first",
     guests(3), staff("host", "escort"), 4,
     [(1, "host1", [("front", "G1"), ("rear_right", "G2"), ("rear_left", "G3"), ("rear_middle", "escort2")])]),
    ("more guests than one car: by rank across cars, the principal guest in the first",
     guests(6), staff("driver", "driver", "escort", "escort"), 4,
     [(1, "driver1", [("rear_right", "G1"), ("rear_left", "G2"), ("rear_middle", "G3"), ("front", "escort3")]),
      (2, "driver2", [("rear_right", "G4"), ("rear_left", "G5"), ("rear_middle", "G6"), ("front", "escort4")])]),
    ("a second car without a driver of ours names none",
     guests(5), staff("driver"), 4,
     [(1, "driver1", [("rear_right", "G1"), ("rear_left", "G2"), ("rear_middle", "G3"), ("front", "G4")]),
      (2, None, [("rear_right", "G5")])]),
    ("a van: seats beyond the four after them",
     guests(6), staff("driver"), 6,
     [(1, "driver1", [("rear_right", "G1"), ("rear_left", "G2"), ("rear_middle", "G3"), ("front", "G4"),
                      ("extra5", "G5"), ("extra6", "G6")])]),
    ("a two-seater: no front seat to give", guests(1), staff("driver", "escort"), 2,
     [(1, "driver1", [("rear_right", "G1"), ("rear_left", "escort2")])]),
])
def test_car_seating(name, g, s, seats, expected):
    assert layout(car_seating(g, s, seats)) == expected, name


def test_host_drives_is_marked_and_nobody_to_carry_means_no_car():
    assert car_seating(guests(1), staff("host"))[0].host_drives
    assert not car_seating(guests(1), staff("driver"))[0].host_drives
    assert car_seating([], staff("driver")) == ()
