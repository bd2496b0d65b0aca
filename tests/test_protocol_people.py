"""The people an item seats, from a visit's records (pipeline/protocol/people.py)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from pipeline.model import Record, Visit
from pipeline.protocol.people import cars_for, guests_of, layout_of, plan_for, staff_of, unranked
from pipeline.protocol.seating import GUEST, HOST, SeatingSettings

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


def test_a_meeting_plan_puts_guests_and_staff_on_their_sides_with_titles():
    plan = plan_for(visit(), item(attendees=("孙悦", "王芳")), SeatingSettings())
    seats = {s.person.name: (s.side, s.place, s.person.title) for s in plan.seats}
    assert seats["孙伟"] == (GUEST, 0, "总经理") and seats["李明"] == (HOST, 0, "销售部")
    assert seats["孙悦"][:2] == (HOST, 1)  # the interpreter beside our principal
    assert plan_for(visit(), item(kind="tour"), SeatingSettings()) is None


def test_the_booking_serving_the_item_limits_the_seats_and_sizes_the_tables():
    room = Record("bookings", 2, dict(kind="meeting_room", resource="A301会议室", status="confirmed", capacity=3,
                                      start=datetime(2027, 3, 10, 13), end=datetime(2027, 3, 10, 17)))
    plan = plan_for(visit(bookings=[room]), item(attendees=("王芳",)), SeatingSettings())
    assert plan.capacity == 3 and [p.name for p in plan.overflow] == ["吴刚", "王芳"]  # guests listed first
    restaurant = Record("bookings", 3, dict(kind="restaurant", resource="福满楼", status="confirmed", capacity=8,
                                            quantity=2, start=datetime(2027, 3, 10, 18),
                                            end=datetime(2027, 3, 10, 21)))
    meal = item(kind="meal", location="福满楼", start=time(18, 30), attendees=("王芳", "孙悦"))
    plan = plan_for(visit(bookings=[restaurant]), meal, SeatingSettings())
    assert (plan.size, plan.tables, plan.capacity) == (4, 2, 8)
    cancelled = Record("bookings", 4, dict(kind="restaurant", resource="福满楼", status="cancelled", capacity=2))
    assert plan_for(visit(bookings=[cancelled]), meal, SeatingSettings()).capacity is None


def test_cars_of_a_pick_up_by_rank_with_our_driver():
    pickup = item(kind="pickup", location="虹桥机场T2", owner="赵强", attendees=("李明",))
    (car,) = cars_for(visit(), pickup, SeatingSettings())
    assert car.driver.name == "赵强"
    assert [(seat, p.name) for seat, p in car.seats] == [
        ("rear_right", "孙伟"), ("rear_left", "周敏"), ("rear_middle", "吴刚"), ("front", "李明")]
    assert cars_for(visit(), item(kind="meeting"), SeatingSettings()) == ()
    van = Record("bookings", 2, dict(kind="vehicle", resource="商务车", status="confirmed", capacity=12, quantity=2,
                                     start=datetime(2027, 3, 10, 13), end=datetime(2027, 3, 10, 17)))
    (car,) = cars_for(visit(bookings=[van]), pickup, SeatingSettings(car_seats=2))  # the booking: 6 a vehicle
    assert len(car.seats) == 4
