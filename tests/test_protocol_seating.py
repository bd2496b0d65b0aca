"""Seating orders (pipeline/protocol/seating.py): each layout under each precedence, as tables."""

from __future__ import annotations

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from pipeline.protocol.seating import (
    DEPUTY, GUEST, HOST, INTERPRETER, PRINCIPAL, ROUND, ROWS, TALKS, TABLE_HOST, Person, SeatingSettings, row_column,
    seat,
)

RIGHT = SeatingSettings()
LEFT = SeatingSettings(senior="left")


def guests(n: int, ranked: bool = True) -> list[Person]:
    return [Person(f"G{i}", GUEST, i if ranked else None, 10 + i, f"title {i}") for i in range(1, n + 1)]


def hosts(n: int, interpreter_at: int | None = None) -> list[Person]:
    """H1 (our main host), H2, … ranked in order; with `interpreter_at`, that one is our
    unranked interpreter I."""
    out = []
    for i in range(1, n + 1):
        if i == interpreter_at:
            out.append(Person("I", HOST, None, 50 + i, role="interpreter"))
        else:
            out.append(Person(f"H{i}", HOST, i, 50 + i, role="host" if i == 1 else "escort"))
    return out


def where(plan) -> dict[str, tuple]:
    """Each person's seat: (side, place) at talks, (table, place) round, (row, place) rows."""
    key = {TALKS: lambda s: (s.side, s.place), ROUND: lambda s: (s.table, s.place), ROWS: lambda s: (s.row, s.place)}
    return {s.person.name: key[plan.layout](s) for s in plan.seats if s.person}


# ---- talks table ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, settings, g, h, expected", [
    ("odd, right senior", RIGHT, guests(3), hosts(3),
     {"G1": 0, "G2": 1, "G3": -1, "H1": 0, "H2": 1, "H3": -1}),
    ("odd, left senior", LEFT, guests(3), hosts(3),
     {"G1": 0, "G2": -1, "G3": 1, "H1": 0, "H2": -1, "H3": 1}),
    ("even, more guests than hosts", RIGHT, guests(4), hosts(2),
     {"G1": 0, "G2": 1, "G3": -1, "G4": 2, "H1": 0, "H2": 1}),
    ("even, left senior", LEFT, guests(4), hosts(2),
     {"G1": 0, "G2": -1, "G3": 1, "G4": -2, "H1": 0, "H2": -1}),
    ("interpreter beside our principal, senior side", RIGHT, guests(3), hosts(3, interpreter_at=2),
     {"G1": 0, "G2": 1, "G3": -1, "H1": 0, "I": 1, "H3": -1}),
    ("interpreter, left senior", LEFT, guests(3), hosts(4, interpreter_at=2),
     {"G1": 0, "G2": -1, "G3": 1, "H1": 0, "I": -1, "H3": 1, "H4": -2}),
    ("only guests", RIGHT, guests(2), [], {"G1": 0, "G2": 1}),
])
def test_talks_principals_face_each_other_the_rest_alternate_from_the_senior_side(name, settings, g, h, expected):
    plan = seat(g, h, TALKS, settings)
    places = where(plan)
    assert {n: p for n, (_, p) in places.items()} == expected, name
    assert {n for n, (side, _) in places.items() if side == GUEST} == {p.name for p in g}
    parts = {s.person.name: s.part for s in plan.seats}
    assert parts["G1"] == PRINCIPAL and (not h or parts["H1"] == TABLE_HOST)
    assert parts.get("I", INTERPRETER) == INTERPRETER
    assert plan.size == len({p for _, p in places.values()})  # seats along each side
    assert not plan.overflow


def test_ranks_not_list_order_decide_and_the_unranked_follow_in_list_order():
    shuffled = [Person("C", GUEST, None, 1), Person("B", GUEST, 2, 2), Person("D", GUEST, None, 3),
                Person("A", GUEST, 1, 4)]
    plan = seat(shuffled, hosts(1), TALKS)
    assert [s.person.name for s in plan.seated()] == ["A", "B", "C", "D", "H1"]  # numbered in that order
    assert {n: p for n, (_, p) in where(plan).items()} == {"A": 0, "B": 1, "C": -1, "D": 2, "H1": 0}


def test_our_main_host_leads_our_side_when_unranked_and_others_are_not_ahead_by_rank():
    ours = [Person("E", HOST, None, 1, role="escort"), Person("M", HOST, None, 2, role="host")]
    assert where(seat(guests(1), ours, TALKS))["M"] == (HOST, 0)


# ---- round tables --------------------------------------------------------------------------

@pytest.mark.parametrize("name, settings, g, h, size, expected", [
    ("host faces the door, deputy opposite, guests 1-4 beside them, then around", RIGHT, guests(8), hosts(2), 10,
     {"H1": 0, "H2": 5, "G1": 1, "G2": 9, "G3": 6, "G4": 4, "G5": 2, "G6": 8, "G7": 7, "G8": 3}),
    ("left senior mirrors", LEFT, guests(8), hosts(2), 10,
     {"H1": 0, "H2": 5, "G1": 9, "G2": 1, "G3": 4, "G4": 6, "G5": 8, "G6": 2, "G7": 3, "G8": 7}),
    ("the rest alternate guest and host, nearest the host first", RIGHT, guests(6), hosts(4), 10,
     {"H1": 0, "H2": 5, "G1": 1, "G2": 9, "G3": 6, "G4": 4, "G5": 2, "H3": 8, "G6": 7, "H4": 3}),
    ("odd table", RIGHT, guests(7), hosts(2), 9,
     {"H1": 0, "H2": 4, "G1": 1, "G2": 8, "G3": 5, "G4": 3, "G5": 2, "G6": 7, "G7": 6}),
    ("fewer people than seats: as many places set, no deputy: guests around the host", RIGHT, guests(4), hosts(1),
     10, {"H1": 0, "G1": 1, "G2": 4, "G3": 2, "G4": 3}),
    ("interpreter on the principal guest's right", RIGHT, guests(3), hosts(3, interpreter_at=3), 10,
     {"H1": 0, "H2": 3, "G1": 1, "G2": 5, "G3": 4, "I": 2}),
    ("interpreter, left senior", LEFT, guests(3), hosts(3, interpreter_at=3), 10,
     {"H1": 0, "H2": 3, "G1": 5, "G2": 1, "G3": 2, "I": 4}),
])
def test_round_table(name, settings, g, h, size, expected):
    plan = seat(g, h, ROUND, settings, table_size=size)
    assert plan.tables == 1 and plan.size == min(size, len(g) + len(h))
    assert {n: p for n, (_, p) in where(plan).items()} == expected, name
    parts = {s.person.name: s.part for s in plan.seats}
    assert parts["H1"] == TABLE_HOST and parts["G1"] == PRINCIPAL
    assert parts.get("H2", DEPUTY) in (DEPUTY, "")


def test_two_round_tables_each_hosted_by_one_of_our_staff():
    plan = seat(guests(12), hosts(3), ROUND, table_size=8)  # 15 people, 8 a table
    assert plan.tables == 2
    places = where(plan)
    # our side dealt out in rank order: H1 hosts the main table, H2 the second, H3 is H1's deputy
    assert places["H1"] == (1, 0) and places["H2"] == (2, 0) and places["H3"] == (1, 4)
    assert [n for n, (t, _) in places.items() if t == 1 and n.startswith("G")] == [f"G{i}" for i in range(1, 7)]
    assert places["G1"] == (1, 1) and places["G2"] == (1, 7)
    assert places["G7"] == (2, 1) and places["G8"] == (2, 7)  # the second table's first guests beside its host
    assert all(sum(1 for t, _ in places.values() if t == n) <= 8 for n in (1, 2))


def test_a_table_without_any_of_our_staff_keeps_its_host_seat_free():
    plan = seat(guests(14), hosts(1), ROUND, table_size=8)
    assert plan.tables == 2
    free = [s for s in plan.seats if s.person is None]
    assert [(s.table, s.place, s.part) for s in free] == [(2, 0, TABLE_HOST)]
    assert len(plan.seated()) == 15


def test_the_booking_gives_the_table_size():
    assert seat(guests(8), hosts(2), ROUND, table_size=6).tables == 2
    assert seat(guests(8), hosts(2), ROUND).tables == 1  # the setting: 10


# ---- rows ----------------------------------------------------------------------------------

@pytest.mark.parametrize("settings, size, expected", [
    (RIGHT, 4, {"G1": (1, 0), "G2": (1, 1), "G3": (1, -1), "G4": (1, 2), "G5": (2, 0), "H1": (2, 1), "H2": (2, -1)}),
    (LEFT, 4, {"G1": (1, 0), "G2": (1, -1), "G3": (1, 1), "G4": (1, -2), "G5": (2, 0), "H1": (2, -1), "H2": (2, 1)}),
    (RIGHT, 3, {"G1": (1, 0), "G2": (1, 1), "G3": (1, -1), "G4": (2, 0), "G5": (2, 1), "H1": (2, -1), "H2": (3, 0)}),
])
def test_rows_from_the_front_centre_first_then_the_senior_side(settings, size, expected):
    plan = seat(guests(5), hosts(2), ROWS, SeatingSettings(senior=settings.senior, row_size=size))
    assert where(plan) == expected


@pytest.mark.parametrize("size, step, places, columns", [
    (4, 1, [0, 1, -1, 2], [1, 2, 0, 3]),  # even: the two middle seats go first
    (4, -1, [0, -1, 1, -2], [2, 1, 3, 0]),
    (5, 1, [0, 1, -1, 2, -2], [2, 3, 1, 4, 0]),
])
def test_row_columns_fill_each_row_from_the_middle(size, step, places, columns):
    assert [row_column(p, size, step) for p in places] == columns


# ---- more people than seats ----------------------------------------------------------------

@pytest.mark.parametrize("layout, g, h, capacity, overflow", [
    (TALKS, guests(3), hosts(3), 4, ["H2", "H3"]),  # our side gives way first
    (ROUND, guests(3), hosts(2), 3, ["G3", "H2"]),  # then the guests from the lowest rank
    (ROWS, guests(2), hosts(3, interpreter_at=2), 3, ["I", "H3"]),  # the interpreter last of ours
    (TALKS, guests(2), hosts(2), 1, ["G2", "H1", "H2"]),  # one seat: the principal guest's
])
def test_overflow_is_listed_never_dropped(layout, g, h, capacity, overflow):
    plan = seat(g, h, layout, capacity=capacity)
    assert sorted(p.name for p in plan.overflow) == sorted(overflow)
    assert len(plan.seated()) == capacity and plan.capacity == capacity
    assert {s.person.name for s in plan.seated()} | {p.name for p in plan.overflow} == {p.name for p in g + h}


@hsettings(max_examples=150, deadline=None)
@given(n_guests=st.integers(0, 25), n_hosts=st.integers(0, 8), layout=st.sampled_from([TALKS, ROUND, ROWS]),
       senior=st.sampled_from(["right", "left"]), size=st.integers(2, 12),
       capacity=st.none() | st.integers(0, 30), interpreter=st.booleans())
def test_everyone_has_one_seat_or_is_overflow_and_no_seat_is_shared(n_guests, n_hosts, layout, senior, size,
                                                                     capacity, interpreter):
    g = guests(n_guests, ranked=n_guests % 2 == 0)
    h = hosts(n_hosts, interpreter_at=2 if interpreter and n_hosts >= 2 else None)
    plan = seat(g, h, layout, SeatingSettings(senior=senior, row_size=size), capacity, table_size=size)
    seated = [s.person.name for s in plan.seated()]
    assert sorted(seated + [p.name for p in plan.overflow]) == sorted(p.name for p in g + h)
    assert len(set(seated)) == len(seated)
    spots = [(s.table, s.side, s.row, s.place) for s in plan.seats]
    assert len(set(spots)) == len(spots)
    assert [s.number for s in plan.seated()] == list(range(1, len(seated) + 1))
    if layout == ROUND:
        assert all(0 <= s.place < size for s in plan.seats)
        hosted = {s.table for s in plan.seats if s.place == 0}
        assert hosted == set(range(1, plan.tables + 1))  # every table has its host seat, taken or kept
    if capacity is not None:
        assert len(seated) <= capacity
