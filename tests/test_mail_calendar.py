"""Calendar files: parsed back with icalendar; stable UIDs, SEQUENCE, cancellations."""

from __future__ import annotations

from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

from icalendar import Calendar
from test_mail_support import mail_visit
from workbooks import write_workbook

from pipeline.mail.calendar import Sent, ics_bytes, item_events, item_uids, sequences
from pipeline.reader import read_workbook
from pipeline.standard import load_standard

STAMP = datetime(2027, 3, 5, 8, 0, tzinfo=timezone.utc)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def visit(tmp_path, rows, name="visits.xlsx"):
    wb = read_workbook(write_workbook(tmp_path / name, rows), load_standard())
    return wb.visits["V1"]


def events_of(ics: bytes) -> list:
    return Calendar.from_ical(ics).walk("VEVENT")


def test_events_parse_back_with_time_zone_place_and_description(tmp_path):
    v = visit(tmp_path, mail_visit())
    events = item_events("visits", v, v.items, "zh")
    ics = ics_bytes(events, sequences(events, {}), SHANGHAI, "V1 华东精密机械有限公司", STAMP)
    cal = Calendar.from_ical(ics)
    assert cal["METHOD"] == "PUBLISH"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    parsed = events_of(ics)
    assert len(parsed) == 8
    first = parsed[0]
    assert str(first["SUMMARY"]) == "机场接机" and str(first["LOCATION"]) == "虹桥机场T2"
    assert first.decoded("DTSTART") == datetime(2027, 3, 10, 8, 30, tzinfo=SHANGHAI)
    assert first.decoded("DTSTART").tzinfo.key == "Asia/Shanghai"
    assert first.decoded("DTEND") == datetime(2027, 3, 10, 9, 45, tzinfo=SHANGHAI)
    assert str(first["DESCRIPTION"]).splitlines() == ["接站", "V1 华东精密机械有限公司"]
    assert first["SEQUENCE"] == 0 and first.decoded("DTSTAMP") == STAMP
    assert len({str(e["UID"]) for e in parsed}) == 8


def test_staff_events_say_whether_the_person_owns_or_attends(tmp_path):
    v = visit(tmp_path, mail_visit())
    mine = [i for i in v.items if i.owner == "王芳" or "王芳" in (i.attendees or ())]
    events = item_events("visits", v, mine, "en", person={"王芳"})
    assert [(e.summary, e.description.splitlines()[1]) for e in events] == [
        ("合作会谈", "Attending"), ("参观生产线", "In charge")]


def test_another_time_zone(tmp_path):
    v = visit(tmp_path, mail_visit())
    events = item_events("visits", v, v.items[:1], "en")
    ics = ics_bytes(events, sequences(events, {}), ZoneInfo("Europe/Berlin"), "V1", STAMP)
    assert events_of(ics)[0].decoded("DTSTART").tzinfo.key == "Europe/Berlin"
    assert b"TZID:Europe/Berlin" in ics


def test_uid_survives_inserted_rows_and_changed_time_or_place(tmp_path):
    rows = mail_visit()
    before = item_uids("visits", v := visit(tmp_path, rows))
    by_activity = {i.activity: before[id(i)] for i in v.items}
    rows["itinerary"].insert(0, dict(rows["itinerary"][3], activity="加餐", start=time(21, 0), end=time(22, 0)))
    meeting = next(i for i in rows["itinerary"] if i["activity"] == "合作会谈")
    meeting.update(start=time(14, 30), end=time(16, 30), location="B205会议室", activity="合作会谈（改）")
    v2 = visit(tmp_path, rows, "changed.xlsx")
    after = {i.activity: item_uids("visits", v2)[id(i)] for i in v2.items}
    assert after["合作会谈（改）"] == by_activity["合作会谈"]
    for activity in ("机场接机", "欢迎晚宴", "早餐", "送机"):  # the dinner stays the first meal of its day
        assert after[activity] == by_activity[activity]
    assert after["加餐"] not in by_activity.values()


def test_uid_differs_per_workbook_and_visit(tmp_path):
    v = visit(tmp_path, mail_visit())
    assert set(item_uids("a", v).values()).isdisjoint(item_uids("b", v).values())


def test_sequence_grows_only_when_an_event_changes(tmp_path):
    v = visit(tmp_path, mail_visit())
    events = item_events("visits", v, v.items[:2], "zh")
    first = sequences(events, {})
    assert [s.sequence for s in first.values()] == [0, 0]
    assert sequences(events, first) == first
    moved = [events[0], type(events[1])(events[1].uid, events[1].start, events[1].end, events[1].summary,
                                        "新地点", events[1].description)]
    second = sequences(moved, first)
    assert [second[e.uid].sequence for e in moved] == [0, 1]
    assert sequences(moved, second) == second


def test_a_removed_event_is_sent_once_as_cancelled(tmp_path):
    v = visit(tmp_path, mail_visit())
    events = item_events("visits", v, v.items[:2], "zh")
    sent = sequences(events, {})
    state = sequences(events[:1], sent)
    gone = events[1].uid
    assert state[gone] == Sent(1, "", sent[gone].start, cancelled=True)
    ics = ics_bytes(events[:1], state, SHANGHAI, "V1", STAMP, newly_cancelled={gone})
    cancelled = [e for e in events_of(ics) if str(e["UID"]) == gone]
    assert [(str(e["STATUS"]), e["SEQUENCE"]) for e in cancelled] == [("CANCELLED", 1)]
    assert cancelled[0].decoded("DTSTART") == events[1].start.replace(tzinfo=SHANGHAI)
    assert sequences(events[:1], state) == state  # not cancelled a second time


def test_items_without_a_date_or_start_are_left_out(tmp_path):
    rows = mail_visit()
    rows["itinerary"][0]["start"] = None
    v = visit(tmp_path, rows)
    assert "机场接机" not in [e.summary for e in item_events("visits", v, v.items, "zh")]


def test_summary_and_location_are_one_line(tmp_path):
    rows = mail_visit()
    rows["itinerary"][0].update(activity="机场接机\r\nATTENDEE:mailto:x@evil.example", location="T2\n到达层")
    v = visit(tmp_path, rows)
    events = item_events("visits", v, v.items[:1], "zh")
    ics = ics_bytes(events, sequences(events, {}), SHANGHAI, "V1", STAMP)
    parsed = events_of(ics)[0]
    assert str(parsed["SUMMARY"]) == "机场接机 ATTENDEE:mailto:x@evil.example"
    assert "ATTENDEE" not in parsed and str(parsed["LOCATION"]) == "T2 到达层"


def test_the_organizer_is_in_every_event_and_in_its_content(tmp_path):
    import hashlib
    from pipeline.mail.calendar import Person
    v = visit(tmp_path, mail_visit())
    desk = Person("明远精密仪器有限公司", "desk@mingyuan.example")
    events = item_events("visits", v, v.items, "zh", organizer=desk)
    parsed = events_of(ics_bytes(events, sequences(events, {}), SHANGHAI, "V1", STAMP))
    assert {str(e["ORGANIZER"]) for e in parsed} == {"mailto:desk@mingyuan.example"}
    assert {e["ORGANIZER"].params["CN"] for e in parsed} == {"明远精密仪器有限公司"}
    plain = item_events("visits", v, v.items, "zh")
    assert all("ORGANIZER" not in e for e in events_of(ics_bytes(plain, sequences(plain, {}), SHANGHAI, "V1", STAMP)))
    # Without an organizer an event hashes as it did before organizers were added, so a
    # send log kept from then sends nothing again; another organizer is a new SEQUENCE.
    first = plain[0]
    before = hashlib.sha256("\0".join((first.start.isoformat(), first.end.isoformat(), first.summary, first.location,
                                       first.description)).encode("utf-8")).hexdigest()[:16]
    assert first.digest == before and events[0].digest != before
    sent = sequences(plain, {})
    assert {s.sequence for s in sequences(events, sent).values()} == {1}
