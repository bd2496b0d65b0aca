"""The people an item seats, from a visit's records (pipeline/protocol/people.py)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from pipeline.model import Record, Visit
from pipeline.protocol.people import cars_for, guests_of, layout_of, plan_for, staff_of, unranked
from pipeline.protocol.seating import GUEST, HOST, SeatingSettings
from pipeline.serving import Serving

DAY = date(2027, 3, 10)


def item(row: int = 20, **values) -> Record:
    base = dict(visit_id="V1", date=DAY, start=time(14), end=time(16), kind="meeting", activity="会谈",
                location="A301会议室", owner="李明")
    return Record("itinerary", row, {**base, **values})


def visit(items=(), bookings=()) -> Visit:
    guests = [Record("guests", 2, dict(visit_id="V1", name="孙伟", title="总经理", rank=1)),
              Record("guests", 3, dict(visit_id="V1", name="周敏", title="采购经理", rank=2)),
              Record("guests", 4, dict(visit_id="V1", name="吴刚"))]
    staff = [Record("staff", 2, dict(visit_id="V1", name="李明", role="host", rank=1, department="销售部")),
             Record("staff", 3, dict(visit_id="V1", name="王芳", role="guide")),
             Record("staff", 4, dict(visit_id="V1", name="孙悦", role="interpreter")),
             Record("staff", 5, dict(visit_id="V1", name="赵强", role="driver")),
             Record("staff", 6, dict(visit_id="V1", name="李明", role="escort"))]  # listed twice: two roles
    return Visit(Record("visits", 2, dict(visit_id="V1")), guests, list(items), staff, list(bookings))


@pytest.mark.parametrize("values, layout", [
    (dict(kind="meeting"), "talks"), (dict(kind="meal"), "round"), (dict(kind="tour"), None),
    (dict(kind="meeting", seating="rows"), "rows"), (dict(kind="meal", seating="none"), None),
    (dict(kind="other", seating="round"), "round"),
])
def test_blank_seating_means_talks_for_a_meeting_round_for_a_meal_none_otherwise(values, layout):
    assert layout_of(item(**values)) == layout


@pytest.mark.parametrize("values, names", [
    ({}, ["孙伟", "周敏", "吴刚"]),  # blank: every guest
    (dict(guests=("周敏", "无此人")), ["周敏"]),  # the names it gives (an unknown one is the check's)
    (dict(client_facing=False), []),  # an internal item involves no guests …
    (dict(client_facing=False, guests=("孙伟",)), ["孙伟"]),  # … unless it names some
])
def test_the_guests_an_item_seats(values, names):
    assert [g.name for g in guests_of(visit(), item(**values))] == names


def test_our_side_is_the_owner_and_attendees_once_each_as_the_staff_sheet_knows_them():
    people = staff_of(visit(), item(owner="王芳", attendees=("李明", "王芳", "不在名单")))
    assert [(name, s.row if s else None) for name, s in people] == [("王芳", 3), ("李明", 2), ("不在名单", None)]


def test_unranked_gives_the_rows_of_people_without_rank_or_title_but_not_the_host_or_interpreter():
    meeting = item(attendees=("王芳", "孙悦", "不在名单"))  # a name the Staff sheet lacks has no row to rank
    meal = item(21, kind="meal", attendees=("王芳",))
    tour = item(22, kind="tour", attendees=("王芳",))  # seats nobody
    found = unranked(visit([meeting, meal, tour]))
    assert [((r.sheet, r.row), [i.row for i in items]) for r, items in found] == [
        (("guests", 4), [20, 21]), (("staff", 3), [20, 21])]
    assert unranked(visit([item(kind="meal", guests=("孙伟",))])) == []


def planned(it: Record, bookings=(), settings: SeatingSettings = SeatingSettings()):
    """The plan of an item of the visit, with these bookings."""
    return plan_for(Serving(visit([it], bookings)), it, settings)


def cars(it: Record, bookings=(), settings: SeatingSettings = SeatingSettings()):
    return cars_for(Serving(visit([it], bookings)), it, settings)


def booking(row: int, kind: str, resource: str, start: int, end: int, **values) -> Record:
    return Record("bookings", row, dict(kind=kind, resource=resource, status="confirmed",
                                        start=datetime(2027, 3, 10, start), end=datetime(2027, 3, 10, end), **values))


def test_a_meeting_plan_puts_guests_and_staff_on_their_sides_with_titles():
    plan = planned(item(attendees=("孙悦", "王芳")))
    seats = {s.person.name: (s.side, s.place, s.person.title) for s in plan.seats}
    assert seats["孙伟"] == (GUEST, 0, "总经理") and seats["李明"] == (HOST, 0, "销售部")
    assert seats["孙悦"][:2] == (HOST, 1)  # the interpreter beside our principal
    assert planned(item(kind="tour")) is None


def test_a_guest_the_item_names_but_the_guests_sheet_lacks_is_seated_without_rank():
    plan = planned(item(guests=("周敏", "无此人", "周敏")))  # named twice: seated once
    assert [(s.person.name, s.person.rank) for s in plan.seated() if s.person.side == GUEST] == [
        ("周敏", 2), ("无此人", None)]


def test_the_booking_serving_the_item_limits_the_seats_and_sizes_the_tables():
    room = booking(2, "meeting_room", "A301会议室", 13, 17, capacity=3)
    plan = planned(item(attendees=("王芳",)), [room])
    assert plan.capacity == 3 and [p.name for p in plan.overflow] == ["吴刚", "王芳"]  # guests listed first
    restaurant = booking(3, "restaurant", "福满楼", 18, 21, capacity=8, quantity=2)
    meal = item(kind="meal", location="福满楼", start=time(18, 30), end=time(20), attendees=("王芳", "孙悦"))
    plan = planned(meal, [restaurant])
    assert (plan.size, plan.tables, plan.capacity) == (4, 2, 8)
    cancelled = Record("bookings", 4, dict(restaurant.values, status="cancelled", capacity=2))
    assert planned(meal, [cancelled]).capacity is None


@pytest.mark.parametrize("bookings, capacity", [
    # one room booked back to back: its seats once, the smaller booking's
    ([booking(2, "meeting_room", "A301会议室", 13, 15, capacity=10),
      booking(3, "meeting_room", "A301会议室", 15, 17, capacity=4)], 4),
    # two rooms at once for two groups: the one at the item's place
    ([booking(2, "meeting_room", "A301会议室", 13, 17, capacity=6),
      booking(3, "meeting_room", "B205会议室", 13, 17, capacity=20)], 6),
    # a room booked for another time serves the item not, though it is at its place
    ([booking(2, "meeting_room", "A301会议室", 8, 12, capacity=2)], None),
])
def test_the_seats_are_those_of_the_bookings_serving_the_item(bookings, capacity):
    assert planned(item(), bookings).capacity == capacity


def test_a_canteen_meal_beside_a_booked_restaurant_is_served_by_no_booking():
    lunch = item(kind="meal", location="公司食堂", start=time(12), end=time(13))
    restaurant = booking(2, "restaurant", "福满楼", 11, 14, capacity=1)
    assert plan_for(Serving(visit([lunch], [restaurant]), ["食堂"]), lunch, SeatingSettings()).capacity is None
    assert planned(lunch, [restaurant]).capacity == 1  # no in-house venue said: the restaurant serves it


@pytest.mark.parametrize("bookings, seats", [
    ([booking(2, "vehicle", "商务车", 13, 17, capacity=12, quantity=2)], 6),  # 6 a vehicle
    ([booking(2, "vehicle", "商务车", 13, 17, capacity=6)], 6),  # a quantity left blank: one vehicle
    ([booking(2, "vehicle", "商务车", 13, 17, capacity=3),  # two cars at once: their seats over two
      booking(3, "vehicle", "轿车", 13, 17, capacity=3)], 3),
    ([booking(2, "vehicle", "商务车", 13, 17)], 2),  # no capacity: the rules file's car_seats
])
def test_the_seats_of_a_car_are_those_of_the_vehicle_bookings_serving_the_item(bookings, seats):
    pickup = item(kind="pickup", location="虹桥机场T2", owner="赵强", attendees=("李明", "王芳"))  # 3 guests, 2 of ours
    found = cars(pickup, bookings, SeatingSettings(car_seats=2))
    assert len(found) == -(-5 // seats) and max(len(c.seats) for c in found) <= seats
    assert sum(len(c.seats) for c in found) == 5


def test_cars_of_a_pick_up_by_rank_with_our_driver():
    pickup = item(kind="pickup", location="虹桥机场T2", owner="赵强", attendees=("李明",))
    (car,) = cars(pickup)
    assert car.driver.name == "赵强"
    assert [(seat, p.name) for seat, p in car.seats] == [
        ("rear_right", "孙伟"), ("rear_left", "周敏"), ("rear_middle", "吴刚"), ("front", "李明")]
    assert cars(item(kind="meeting")) == ()
    van = Record("bookings", 2, dict(kind="vehicle", resource="商务车", status="confirmed", capacity=12, quantity=2,
                                     start=datetime(2027, 3, 10, 13), end=datetime(2027, 3, 10, 17)))
    (car,) = cars(pickup, [van], SeatingSettings(car_seats=2))  # the booking: 6 a vehicle
    assert len(car.seats) == 4


# ---- the plans' overflow and the check agree (booking.capacity_enough) ------------------------

def _change(sheet: str, index: int, **values):
    def change(rows):
        rows[sheet][index].update(values)
    return change


def _add_room(capacity: int):
    """The meeting's room booked again from 15:00, back to back (it serves with the first)."""
    def change(rows):
        rows["bookings"][0]["end"] = datetime(2027, 3, 10, 15)
        rows["bookings"].append(dict(rows["bookings"][0], start=datetime(2027, 3, 10, 15),
                                     end=datetime(2027, 3, 10, 16, 30), capacity=capacity))
    return change


# The clean visit's meeting seats 5 (2 guests, 李明, 陈静, 王芳) in A301 (10 seats); its dinner
# 3 (2 guests and 李明) at 福满楼 (8); its canteen lunch is served by no booking.
AGREEMENT = {
    "a room for 4 of 5": (_change("bookings", 0, capacity=4), True),
    "a room for 5 of 5": (_change("bookings", 0, capacity=5), False),
    "one room back to back, the second booking for 4": (_add_room(4), True),
    "one room back to back, both for 5": (_add_room(5), False),
    "a table for 2 at a dinner for 孙伟 and 李明": (lambda rows: (
        _change("bookings", 2, capacity=2)(rows), _change("itinerary", 3, guests="孙伟")(rows)), False),
    "a table for 2 at a dinner for the 3 of them": (_change("bookings", 2, capacity=2), True),
    "a guest named twice and one the list lacks: 5 in a room for 5": (lambda rows: (
        _change("bookings", 0, capacity=5)(rows), _change("itinerary", 2, guests="孙伟、孙伟、外宾甲")(rows)), False),
    "the same in a room for 4": (lambda rows: (
        _change("bookings", 0, capacity=4)(rows), _change("itinerary", 2, guests="孙伟、孙伟、外宾甲")(rows)), True),
    "an internal meeting of our 3 in a room for 3": (lambda rows: (
        _change("bookings", 0, capacity=3)(rows), _change("itinerary", 2, client_facing="否")(rows)), False),
    "an internal meeting of our 3 in a room for 2": (lambda rows: (
        _change("bookings", 0, capacity=2)(rows), _change("itinerary", 2, client_facing="否")(rows)), True),
    "a canteen lunch beside a restaurant booked for 1": (lambda rows: rows["bookings"].append(dict(
        rows["bookings"][2], start=datetime(2027, 3, 11, 11, 30), end=datetime(2027, 3, 11, 13, 30), capacity=1)),
        False),
}


@pytest.mark.parametrize("name", list(AGREEMENT))
def test_a_plan_overflows_exactly_where_the_check_finds_the_booking_too_small(tmp_path, name):
    from workbooks import CLEAN_TODAY, clean_visit, write_workbook

    from pipeline.checks import check_workbook
    from pipeline.reader import read_workbook
    from pipeline.standard import load_standard

    std = load_standard()
    rows = clean_visit()
    change, short = AGREEMENT[name]
    change(rows)
    wb = read_workbook(write_workbook(tmp_path / "w.xlsx", rows), std)
    too_small = {f.row for f in check_workbook(wb, std, CLEAN_TODAY).findings if f.rule == "booking.capacity_enough"}
    visit = wb.visits["V1"]
    serving = Serving.of(visit, std.settings)
    overflowing = set()
    for it in visit.items:
        plan = plan_for(serving, it, std.seating)
        if plan is not None and plan.overflow:
            overflowing.add(serving.bookings_for(it)[0].row)
    assert overflowing == too_small
    assert bool(too_small) == short
