"""The mistakes a real receptionist makes (issue 13), rule by rule: each rule breaks on
one visit, and a near-identical visit (its false-alarm twin) does not break it.

Every case starts from the clean visit of tests/workbooks.py (a two-day visit arriving
2027-03-10 09:30), changes one thing for the visit that breaks the rule and a nearby
thing for its twin, and compares the flattened findings (visit, rule, column as written).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

import pytest
from workbooks import CLEAN_TODAY, clean_visit, company_rules, flat, merge, write_workbook

from pipeline.checks import check_workbook
from pipeline.reader import read_workbook
from pipeline.standard import load_standard

STD = load_standard()
AFTER = date(2027, 3, 20)  # the visit is over
LATE = date(2027, 3, 8)  # two days before arrival: deadlines of 3 days have passed
ARRIVAL = date(2027, 3, 10)  # deadlines of a day before arrival have passed too


def dt(day: int, h: int, m: int = 0) -> datetime:
    return datetime(2027, 3, day, h, m)


def run(tmp_path, rows, today=CLEAN_TODAY, lang="zh", standard=STD, name="wb.xlsx"):
    path = write_workbook(tmp_path / name, rows, lang=lang, standard=standard)
    return check_workbook(read_workbook(path, standard), standard, today)


# ---- changes to the clean visit ---------------------------------------------------------------
# The clean visit's rows: itinerary 0 pick-up, 1 transfer, 2 meeting (A301会议室), 3 dinner
# (福满楼), 4 breakfast, 5 tour, 6 lunch (公司食堂), 7 send-off; bookings 0 meeting room,
# 1 hotel, 2 restaurant, 3 and 4 the car; guests 孙伟 (清真), 周敏 (无).

Change = Callable[[dict], None]


def put(sheet: str, index: int, **values) -> Change:
    def change(rows):
        rows[sheet][index].update(values)
    return change


def add(sheet: str, **values) -> Change:
    def change(rows):
        rows[sheet].append({"visit_id": "V1", **values})
    return change


def drop(sheet: str, *indexes: int) -> Change:
    def change(rows):
        rows[sheet] = [r for i, r in enumerate(rows[sheet]) if i not in indexes]
    return change


def both(*changes: Change) -> Change:
    def change(rows):
        for c in changes:
            c(rows)
    return change


def nothing(rows) -> None:
    pass


def extra_car(start: datetime, end: datetime) -> Change:
    return add("bookings", kind="vehicle", resource="沪A·67890 轿车", start=start, end=end, capacity=4,
               status="confirmed")


def other_team(rows) -> None:
    """A second visit, V2, on the same days as V1 with its own staff, rooms and car (as
    the clean visit would be for another client): nothing is shared, so nothing clashes."""
    v2 = clean_visit("V2")
    renamed = {s["name"]: s["name"] + "二" for s in v2["staff"]}
    for s in v2["staff"]:
        s.update(name=renamed[s["name"]], staff_id="X" + s["staff_id"])
    for b in v2["bookings"]:
        b.update(resource="B" + b["resource"], owner=renamed.get(b.get("owner")))
    for item in v2["itinerary"]:
        item.update(owner=renamed[item["owner"]],
                    attendees="、".join(renamed[n] for n in (item.get("attendees") or "").split("、") if n) or None)
    rows.update(merge(rows, v2))


def v2_row(rows, sheet: str, **match) -> dict:
    return next(r for r in rows[sheet] if r["visit_id"] == "V2" and all(r.get(k) == v for k, v in match.items()))


def v2_shares(staff_id: str) -> Change:
    """V2 with 陈静 (staff ID `staff_id`) attending its meeting, which V1's 陈静 attends too."""
    def change(rows):
        other_team(rows)
        rows["staff"].append(dict(v2_row(rows, "staff", role="minutes"), name="陈静", staff_id=staff_id))
        v2_row(rows, "itinerary", kind="meeting")["attendees"] = "陈静"
    return change


def v2_car(resource: str) -> Change:
    def change(rows):
        other_team(rows)
        for b in rows["bookings"]:
            if b["visit_id"] == "V2" and b["kind"] == "vehicle":
                b["resource"] = resource
    return change


# 孙伟 lunches at 福满楼 (booked for him) while 周敏, a vegetarian, lunches at the canteen;
# the dinner is his alone, so no booking serves her but the lunch she takes.
TWO_LUNCHES = (
    put("guests", 1, dietary="素食"), put("itinerary", 3, guests="孙伟"), put("itinerary", 6, guests="周敏"),
    add("itinerary", date=date(2027, 3, 11), start=time(12), end=time(13), kind="meal", activity="工作午餐",
        location="福满楼", owner="李明", guests="孙伟"),
    add("bookings", kind="restaurant", resource="福满楼", start=dt(11, 11, 45), end=dt(11, 13, 15), capacity=4,
        details="清真菜单已确认", status="confirmed", reconfirmed="是"),
)


@dataclass
class Case:
    breaks: Change  # the visit that breaks the rule
    twin: Change  # the near-identical visit that does not
    expected: list[tuple]  # (rule, field) of the visit that breaks it (V1 unless given)
    today: date = CLEAN_TODAY


CASES: dict[str, Case] = {
    # ---- 1. needs against arrangements (§3.2.1, §3.2.2, §3.3.3) -------------------------------
    "visit.meals_arranged: meals needed, none planned or booked": Case(
        both(drop("itinerary", 3, 4, 6), drop("bookings", 2)),
        both(drop("itinerary", 3, 4, 6), drop("bookings", 2), put("visits", 0, catering="否")),
        [("visit.meals_arranged", "catering")]),
    "booking.hotel: the first night not covered": Case(
        put("bookings", 1, start=dt(11, 8)),
        both(put("bookings", 1, end=dt(10, 23, 59)), add("bookings", kind="hotel", resource="锦江酒店",
                                                         start=dt(10, 23, 59), end=dt(11, 12), capacity=2,
                                                         status="confirmed", reconfirmed="是")),
        [("booking.hotel", "accommodation")]),
    "booking.vehicle: transport needed, the send-off has no car": Case(
        drop("bookings", 4), both(drop("bookings", 4), extra_car(dt(11, 13, 30), dt(11, 15, 30))),
        [("booking.vehicle", "activity")]),

    # ---- 2. capacity (§3.2.2, §4.1.4) ----------------------------------------------------------
    "booking.capacity: a restaurant booking without its capacity": Case(
        put("bookings", 2, capacity=None), put("bookings", 1, capacity=None),  # a hotel's may be blank
        [("booking.capacity", "capacity")]),
    "booking.capacity_enough: the meeting room seats 4 of 5": Case(
        put("bookings", 0, capacity=4), put("bookings", 0, capacity=5),  # 2 guests, the owner and 2 attendees
        [("booking.capacity_enough", "capacity")]),
    "booking.capacity_enough: the driver is no passenger": Case(
        put("bookings", 3, capacity=2), put("bookings", 3, capacity=3),  # 2 guests and 李明; 赵强 drives
        [("booking.capacity_enough", "capacity")]),
    "booking.capacity_enough: a dinner for part of the delegation": Case(
        put("bookings", 2, capacity=2), both(put("bookings", 2, capacity=2), put("itinerary", 3, guests="孙伟")),
        [("booking.capacity_enough", "capacity")]),
    "booking.capacity_enough: two cars together seat the delegation": Case(
        put("bookings", 4, capacity=1),
        both(put("bookings", 4, capacity=1), extra_car(dt(11, 13), dt(11, 16))),
        [("booking.capacity_enough", "capacity")]),
    "booking.hotel_capacity: rooms for one of two guests": Case(
        put("bookings", 1, capacity=1), put("bookings", 1, capacity=2),
        [("booking.hotel_capacity", "capacity")]),

    # ---- 3. the right resource (§3.2.2) ---------------------------------------------------------
    "item.location_booked: the meeting is in another room than the one booked": Case(
        put("itinerary", 2, location="B205会议室"), put("itinerary", 2, location="3号楼 Ａ３０１"),
        [("item.location_booked", "location")]),
    "booking.meeting_room: back-to-back bookings of one room cover the meeting, of two rooms do not": Case(
        both(put("bookings", 0, end=dt(10, 15)),
             add("bookings", kind="meeting_room", resource="B205会议室", start=dt(10, 15), end=dt(10, 16, 30),
                 capacity=10, status="confirmed")),
        both(put("bookings", 0, end=dt(10, 15)),
             add("bookings", kind="meeting_room", resource="A301会议室", start=dt(10, 15), end=dt(10, 16, 30),
                 capacity=10, status="confirmed")),
        [("booking.meeting_room", "location"), ("booking.serves_item", "start")]),  # B205 then serves no item at B205
    "booking.serves_item: a car booked when nobody travels": Case(
        extra_car(dt(11, 18), dt(11, 20)), extra_car(dt(11, 13, 30), dt(11, 15, 30)),
        [("booking.serves_item", "start")]),
    "booking.serves_item: a hotel booked for other nights": Case(
        put("bookings", 1, start=dt(12, 14), end=dt(13, 12)),
        put("bookings", 1, start=dt(9, 14), end=dt(11, 12)),  # a night early as well: still serves the stay
        [("booking.hotel", "accommodation"), ("booking.serves_item", "start")]),

    # ---- 4. dietary needs reach the meals (§3.1.1, §3.3.3) ----------------------------------------
    "booking.dietary_left_out: a vegetarian the restaurant was not told of": Case(
        put("guests", 1, dietary="素食"),
        both(put("guests", 1, dietary="素食"), put("bookings", 2, details="清真、素食菜单已确认")),
        [("booking.dietary_left_out", "details")]),
    "booking.dietary_left_out: a halal restaurant says so in its name": Case(
        put("bookings", 2, details="8人包间"),
        both(put("bookings", 2, resource="伊兰清真餐厅 贵宾厅", details="8人包间"),
             put("itinerary", 3, location="伊兰清真餐厅 贵宾厅")),
        [("booking.dietary_left_out", "details")]),
    "booking.dietary_left_out: a need of a guest who does not come to the dinner": Case(
        put("guests", 1, dietary="素食"), both(put("guests", 1, dietary="素食"), put("itinerary", 3, guests="孙伟")),
        [("booking.dietary_left_out", "details")]),
    "booking.dietary_left_out: two lunches at once, the vegetarian's at the canteen": Case(
        both(*TWO_LUNCHES, put("itinerary", 6, location="福满楼 大厅")),
        both(*TWO_LUNCHES),
        [("booking.dietary_left_out", "details")]),
    "booking.dietary_left_out: the details name one guest's need and leave out another's": Case(
        both(put("guests", 1, dietary="素食"), put("bookings", 2, details="8人包间；一位客人清真")),
        both(put("guests", 1, dietary="素食"), put("bookings", 2, details="8人包间；一位客人清真，一位素食")),
        [("booking.dietary_left_out", "details")]),
    "booking.dietary_arranged: the details still blank after the deadline": Case(
        put("bookings", 2, details=None), both(put("bookings", 2, details=None), put("guests", 0, dietary="无")),
        [("booking.dietary_arranged", "details")], ARRIVAL),
    "guest.dietary: still a placeholder after its deadline": Case(
        put("guests", 1, dietary="待定"), put("guests", 1, dietary="无"), [("guest.dietary", "dietary")], LATE),

    # ---- 5. time against the visit and against each other (§3.2.1, §5.1) -------------------------
    "item.within_visit: the day before arrival, shown to the client (an internal one may be)": Case(
        add("itinerary", date=date(2027, 3, 9), start=time(17), end=time(17, 30), kind="other",
            activity="接待预备会", location="销售部办公室", owner="李明"),
        add("itinerary", date=date(2027, 3, 9), start=time(17), end=time(17, 30), kind="other",
            activity="接待预备会", location="销售部办公室", owner="李明", client_facing="否"),
        [("item.within_visit", "date")]),
    "item.guests_overlap: the meeting runs into dinner": Case(
        both(put("itinerary", 2, end=time(18, 30)), put("bookings", 0, end=dt(10, 18, 45))),
        both(put("itinerary", 2, end=time(18, 0)), put("bookings", 0, end=dt(10, 18, 45))),
        [("item.guests_overlap", "start")]),
    "item.guests_overlap: the itinerary listed out of time order": Case(
        both(put("itinerary", 2, end=time(18, 30)), put("bookings", 0, end=dt(10, 18, 45)),
             lambda rows: rows["itinerary"].reverse()),
        both(put("bookings", 0, end=dt(10, 18, 45)), lambda rows: rows["itinerary"].reverse()),
        [("item.guests_overlap", "start")]),
    "item.guests_overlap: at once, but for different guests": Case(
        both(put("itinerary", 2, end=time(18, 30)), put("bookings", 0, end=dt(10, 18, 45)),
             put("itinerary", 3, guests="孙伟")),
        both(put("itinerary", 2, end=time(18, 30), guests="周敏"), put("bookings", 0, end=dt(10, 18, 45)),
             put("itinerary", 3, guests="孙伟")),
        [("item.guests_overlap", "start")]),
    "item.send_off_place: leaving by train, seen off at the airport": Case(
        put("visits", 0, departure_mode="火车", departure_ref="G7", departure_point=None),
        put("visits", 0, departure_mode="航班", departure_ref="MU5102", departure_point=None),
        [("item.send_off_place", "location")]),
    "item.send_off_place: leaving by train from a terminal (航站楼 names no station)": Case(
        both(put("visits", 0, departure_mode="火车", departure_ref="G7", departure_point=None),
             put("itinerary", 7, location="虹桥机场T2航站楼")),
        both(put("visits", 0, departure_mode="火车", departure_ref="G7", departure_point=None),
             put("itinerary", 7, location="虹桥站 进站口")),
        [("item.send_off_place", "location")]),
    "item.send_off_place: another send-off point than the one agreed": Case(
        put("visits", 0, departure_point="浦东机场T1"), put("visits", 0, departure_point="虹桥机场 T2 出发层"),
        [("item.send_off_place", "location")]),
    "item.pickup_place: arriving by train, met at the airport": Case(
        put("visits", 0, arrival_mode="火车", arrival_ref="G8", arrival_point="虹桥站"),
        put("visits", 0, arrival_mode="航班", arrival_ref="MU5101", arrival_point="虹桥机场"),
        [("item.pickup_place", "location")]),
    "item.pickup_place: arriving by air, met at a station (a lobby is fine)": Case(
        both(put("visits", 0, arrival_point="虹桥火车站"), put("itinerary", 0, location="虹桥火车站")),
        both(put("visits", 0, arrival_point="公司一楼大堂"), put("itinerary", 0, location="公司一楼大堂")),
        [("item.pickup_place", "location")]),
    "visit.approved_in_time: approved two days before arrival": Case(
        put("visits", 0, approved_on=date(2027, 3, 8), briefed_on=date(2027, 3, 8)),
        put("visits", 0, approved_on=date(2027, 3, 7), briefed_on=date(2027, 3, 8)),
        [("visit.approved_in_time", "approved_on")], LATE),
    "visit.briefed_in_time: briefed on the day of arrival": Case(
        put("visits", 0, briefed_on=date(2027, 3, 10)), put("visits", 0, briefed_on=date(2027, 3, 9)),
        [("visit.briefed_in_time", "briefed_on")]),

    # ---- 6. people across visits (§3.3.2) -----------------------------------------------------
    "staff.double_booked: an attendee of two visits' meetings at once": Case(
        v2_shares("E1004"), v2_shares("E2004"),  # the same person, or two people of one name
        [("V1", "staff.double_booked", "attendees"), ("V2", "staff.double_booked", "attendees")]),
    "booking.resource_clash: one car in two places at once": Case(
        v2_car("沪A·12345 商务车"), v2_car("沪A·67890 商务车"),
        [("V1", "booking.resource_clash", "resource")] * 2 + [("V2", "booking.resource_clash", "resource")] * 2),

    # ---- 7. preparation n/a only where it may be (§3.3.1) -----------------------------------------
    "prep.na_allowed: venue ready n/a, but there is a meeting": Case(
        put("preparation", 0, venue_ready="n/a"), put("preparation", 0, whiteboard="n/a"),
        [("prep.na_allowed", "venue_ready")]),
    "prep.na_allowed: gifts wrapped n/a, but gifts are given": Case(
        put("preparation", 0, gifts_wrapped="n/a"),
        both(put("preparation", 0, gifts_wrapped="n/a"), put("visits", 0, gifts=None)),
        [("prep.na_allowed", "gifts_wrapped")]),
    "prep.na_allowed: gifts wrapped n/a, gifts 无 (none)": Case(
        both(put("preparation", 0, gifts_wrapped="n/a"), put("visits", 0, gifts="茶叶")),
        both(put("preparation", 0, gifts_wrapped="n/a"), put("visits", 0, gifts="无")),
        [("prep.na_allowed", "gifts_wrapped")]),
    "prep.na_allowed: brochures n/a for a product promotion": Case(
        both(put("preparation", 0, brochures="n/a"), put("visits", 0, purpose="promotion")),
        put("preparation", 0, brochures="n/a"),
        [("prep.na_allowed", "brochures")]),
    "prep.item_done: due the day before arrival, an error on the arrival day": Case(
        put("preparation", 0, signage="pending"), put("preparation", 0, signage="done"),
        [("prep.item_done", "signage")], date(2027, 3, 10)),

    # ---- 8. status against dates (§1, §5) ---------------------------------------------------------
    "visit.completed_early: completed before the guests have left": Case(
        put("visits", 0, status="completed", minutes="纪要", follow_up="跟进", satisfaction=5),
        put("visits", 0, status="confirmed"),
        [("visit.completed_early", "status")]),

    "visit.close_out: the guests have left, the visit is still confirmed": Case(
        nothing, put("visits", 0, status="completed", minutes="纪要", follow_up="跟进", satisfaction=5),
        [("visit.close_out", "status")], AFTER),

    # ---- contract v2: the new columns and placeholders ---------------------------------------------
    "item.guests_listed: a guest at lunch who is not on the guest list": Case(
        put("itinerary", 6, guests="孙伟、王总"), put("itinerary", 6, guests="孙伟、周敏"),
        [("item.guests_listed", "guests")]),
    "value.invalid: a capacity in words (one with its unit is a number)": Case(
        put("bookings", 0, capacity="十人"), put("bookings", 0, capacity="10人"),
        [("value.invalid", "capacity")]),
    "booking.restaurant: a hotel's breakfast needs no booking, a lunch at a restaurant does": Case(
        put("itinerary", 4, activity="商务午餐", location="福满楼", start=time(11, 30), end=time(12, 0)),
        put("itinerary", 4, activity="自助早餐", location="锦江酒店 西餐厅"),
        [("booking.restaurant", "location")]),
    "value.invalid: a seating the contract does not know": Case(
        put("itinerary", 2, seating="U形"), put("itinerary", 2, seating="会谈桌"),
        [("value.invalid", "seating")]),
    "value.invalid: shown to client neither yes nor no": Case(
        put("itinerary", 2, client_facing="内部"), put("itinerary", 6, client_facing="是"),
        [("value.invalid", "client_facing")]),
    "visit.objective: a placeholder is no objective": Case(
        put("visits", 0, objective="待定"), put("visits", 0, objective="待定价格的框架协议"),
        [("visit.objective", "objective")]),
    "visit.arrival_mode: a placeholder in a drop-down column": Case(
        put("visits", 0, arrival_mode="待定"), put("visits", 0, arrival_mode="航班"),
        [("visit.arrival_mode", "arrival_mode")]),
    "visit.approved_on: a placeholder date": Case(
        put("visits", 0, approved_on=" TBD "), put("visits", 0, approved_on="2027/3/1"),
        [("visit.approved_on", "approved_on")]),
    "prep.item_done: gifts still undecided (a placeholder) need wrapping": Case(
        both(put("visits", 0, gifts="待定"), put("preparation", 0, gifts_wrapped="pending")),
        both(put("visits", 0, gifts=None), put("preparation", 0, gifts_wrapped="pending")),
        [("prep.item_done", "gifts_wrapped")], LATE),
}


def rows_for(change: Change) -> dict:
    rows = clean_visit()
    change(rows)
    return rows


@pytest.mark.parametrize("name", list(CASES))
def test_a_visit_that_breaks_the_rule_and_its_twin_that_does_not(tmp_path, name):
    case = CASES[name]
    expected = sorted(x if len(x) == 3 else ("V1", *x) for x in case.expected)
    assert flat(run(tmp_path, rows_for(case.breaks), case.today, name="breaks.xlsx").findings) == expected
    assert flat(run(tmp_path, rows_for(case.twin), case.today, name="twin.xlsx").findings) == []


@pytest.mark.parametrize("name", [n for n in CASES if not n.startswith("value.")])
def test_each_message_names_the_cell_and_the_fix_in_both_languages(tmp_path, name):
    """Every placeholder of the message is filled, in Chinese and in English, and the
    finding points at a row and column."""
    case = CASES[name]
    for lang in ("zh", "en"):
        result = run(tmp_path, rows_for(case.breaks), case.today, lang=lang, name=f"{lang}.xlsx")
        for f in result.findings:
            assert "{" not in f.message and "}" not in f.message, f.message
            assert f.row and f.column, f
            assert ("：" if lang == "zh" else ":") in f.message, f.message  # the problem, then what to do


def test_a_placeholder_finding_says_what_the_cell_holds_and_that_it_is_still_to_fill(tmp_path):
    rows = clean_visit()
    rows["visits"][0]["objective"] = "（待定）"
    rows["guests"][1]["dietary"] = "TBD"
    zh = {f.rule: f for f in run(tmp_path, rows, LATE).findings}
    assert zh["visit.objective"].message == "“接待目标”填的是“（待定）”，尚待确定：请写明本次接待要达成的目标"
    # a confidential column's cell is never repeated (§2.5), not even its placeholder
    assert zh["guest.dietary"].severity == "warning" and "TBD" not in zh["guest.dietary"].message
    assert zh["guest.dietary"].message.startswith("周敏：“饮食禁忌”填的是占位符，尚待确定：")
    en = {f.rule: f for f in run(tmp_path, rows, LATE, lang="en", name="en.xlsx").findings}
    assert en["visit.objective"].message == (
        "'Objective' holds '（待定）', a placeholder still to be filled: describe what this reception should achieve")


def test_an_unknown_dietary_need_is_a_note_before_its_deadline_and_a_warning_after(tmp_path):
    rows = clean_visit()
    rows["guests"][1]["dietary"] = "待确认"
    before = run(tmp_path, rows, CLEAN_TODAY).findings
    after = run(tmp_path, rows, LATE, name="late.xlsx").findings
    assert [(f.rule, f.severity, f.due) for f in before] == [("guest.dietary", "info", date(2027, 3, 7))]
    assert [(f.rule, f.severity) for f in after] == [("guest.dietary", "warning")]


def test_a_need_left_out_of_written_details_is_an_error_at_once_blank_details_wait_for_their_deadline(tmp_path):
    """A month before arrival: details written without the vegetarian's need are a mistake
    already made (error); details still blank are a step to do by the day before arrival."""
    month_before = date(2027, 2, 10)
    left_out = rows_for(both(put("guests", 1, dietary="素食"), put("bookings", 2, details="8人包间；一位客人清真")))
    blank = rows_for(put("bookings", 2, details=None))
    found = {name: [(f.rule, f.severity, f.due) for f in run(tmp_path, rows, month_before, name=f"{name}.xlsx").findings]
             for name, rows in (("left_out", left_out), ("blank", blank))}
    assert found == {"left_out": [("booking.dietary_left_out", "error", None)],
                     "blank": [("booking.dietary_arranged", "info", date(2027, 3, 9))]}


def test_a_placeholder_security_waits_for_its_value_instead_of_taking_the_company_default(tmp_path):
    from test_checks import default_security
    std = company_rules(tmp_path, default_security)
    rows = clean_visit()
    rows["visits"][0]["security"] = "待定"
    result = run(tmp_path, rows, standard=std)
    assert result.workbook.visits["V1"].record.security is None
    assert [(f.rule, f.field) for f in result.findings] == [("visit.security", "security")]
