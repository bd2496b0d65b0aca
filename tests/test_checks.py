"""Each check seeds one defect into a clean visit and expects exactly its finding."""

from __future__ import annotations

import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from workbooks import CLEAN_TODAY, clean_visit, company_rules, flat, merge, write_workbook

from pipeline.checks import check_workbook
from pipeline.checks.engine import said
from pipeline.reader import read_workbook
from pipeline.standard import load_standard

STD = load_standard()


def run(tmp_path, rows, today=CLEAN_TODAY, lang="zh", **kw):
    path = write_workbook(tmp_path / "wb.xlsx", rows, lang=lang, **kw)
    return check_workbook(read_workbook(path, STD), STD, today)


def test_clean_visit_has_no_findings(tmp_path):
    result = run(tmp_path, clean_visit())
    assert result.findings == []
    assert result.visits[0].readiness == "ready"
    assert result.visits[0].completeness == 100


def _set(sheet, index, **values):
    def change(rows):
        rows[sheet][index].update(values)
    return change


def _drop(sheet, index):
    def change(rows):
        del rows[sheet][index]
    return change


def _drop_kind(sheet, kind):
    def change(rows):
        rows[sheet] = [r for r in rows[sheet] if r.get("kind") != kind]
    return change


AFTER = date(2027, 3, 20)  # the clean visit is over: for a visit marked completed

CASES = {
    # every "required" of the contract (a sample per sheet; all go through one interpreter)
    "client_org blank": (_set("visits", 0, client_org=None), [("visit.client_org", "client_org")]),
    "client_type blank": (_set("visits", 0, client_type=None), [("visit.client_type", "client_type")]),
    "purpose blank": (_set("visits", 0, purpose=None), [("visit.purpose", "purpose")]),
    "objective blank": (_set("visits", 0, objective=None), [("visit.objective", "objective")]),
    "theme blank": (_set("visits", 0, theme=None), [("visit.theme", "theme")]),
    "level blank": (_set("visits", 0, level=None), [("visit.level", "level")]),
    "contact phone blank": (_set("visits", 0, contact_phone=None), [("visit.contact_phone", "contact_phone")]),
    "security blank": (_set("visits", 0, security=None), [("visit.security", "security")]),
    "emergency blank": (_set("visits", 0, emergency=None), [("visit.emergency", "emergency")]),
    "status blank": (_set("visits", 0, status=None), [("visit.status", "status")]),
    "arrival point blank": (_set("visits", 0, arrival_point=None), [("visit.arrival_point", "arrival_point")]),
    "accommodation blank": (_set("visits", 0, accommodation=None), [("visit.accommodation", "accommodation")]),
    "guest name blank": (_set("guests", 1, name=None), [("guest.name", "name")]),
    "guest gender blank": (_set("guests", 1, gender=None), [("guest.gender", "gender")]),
    "staff role blank": (_set("staff", 3, role=None), [("staff.role", "role")]),
    "booking resource blank": (_set("bookings", 0, resource=None), [("booking.resource", "resource")]),
    "prep owner blank": (_set("preparation", 0, prep_owner=None), [("prep.owner", "prep_owner")]),
    # arrival given as a date only: the time counts as missing
    "arrival without time": (_set("visits", 0, arrival=date(2027, 3, 10)), [("visit.arrival", "arrival")]),
    # §3.1.1
    "headcount differs": (_set("visits", 0, headcount=3), [("visit.headcount_matches", "headcount")]),
    "no core person": (_set("guests", 0, core="否"), [("visit.core_person", None)]),
    "departure before arrival": (_set("visits", 0, departure=datetime(2027, 3, 9, 16)),
                                 [("visit.departure_after_arrival", "departure")]),
    "flight without number": (_set("visits", 0, arrival_ref=None), [("visit.arrival_ref", "arrival_ref")]),
    "departure train without number": (
        lambda rows: (_set("visits", 0, departure_mode="train", departure_ref=None, departure_point="虹桥站")(rows),
                      _set("itinerary", 7, location="虹桥站")(rows)),
        [("visit.departure_ref", "departure_ref")]),
    "car needs no number": (_set("visits", 0, arrival_mode="car", arrival_ref=None), []),
    "core title blank": (_set("guests", 0, title=None), [("guest.title", "title")]),
    "core ethnicity blank": (_set("guests", 0, ethnicity=None), [("guest.ethnicity", "ethnicity")]),
    "non-core ethnicity blank is fine": (_set("guests", 1, ethnicity=None), []),
    "dietary not asked": (_set("guests", 1, dietary=None), [("guest.dietary", "dietary")]),
    "rank twice": (_set("guests", 1, rank=1), [("guest.rank_unique", "rank")]),
    # §3.1.2 (warnings)
    "core background blank": (_set("guests", 0, background=None), [("guest.background", "background")]),
    "core preferences blank": (_set("guests", 0, preferences=None), [("guest.preferences", "preferences")]),
    "core smoker blank": (_set("guests", 0, smoker=None), [("guest.smoker", "smoker")]),
    "org profile blank": (_set("visits", 0, org_profile=None), [("visit.org_profile", "org_profile")]),
    # §3.2.1 itinerary
    "item date blank": (_set("itinerary", 2, date=None), [("item.date", "date")]),
    "item start blank": (_set("itinerary", 2, start=None), [("item.start", "start")]),
    "item kind blank": (_set("itinerary", 5, kind=None), [("item.kind", "kind")]),
    "item activity blank": (_set("itinerary", 2, activity=None), [("item.activity", "activity")]),
    "item location blank": (_set("itinerary", 5, location=None), [("item.location", "location")]),
    "item owner blank": (_set("itinerary", 4, owner=None), [("item.owner", "owner")]),
    "item ends before start": (_set("itinerary", 5, end=time(8, 0)), [("item.end_after_start", "end")]),
    "owner not on staff": (_set("itinerary", 4, owner="路人甲"), [("item.owner_on_staff", "owner")]),
    "attendee not on staff": (_set("itinerary", 2, attendees="陈静、路人乙"), [("item.owner_on_staff", "attendees")]),
    "item after departure": (_set("itinerary", 5, date=date(2027, 3, 12)), [("item.within_visit", "date")]),
    "pick-up 2 hours early is fine": (_set("itinerary", 0, start=time(7, 30)), []),
    "pick-up 3 hours early": (
        lambda rows: (_set("itinerary", 0, start=time(6, 0))(rows),
                      _set("bookings", 3, start=datetime(2027, 3, 10, 5, 30))(rows)),
        [("item.within_visit", "date")]),
    "tour before arrival": (_set("itinerary", 5, date=date(2027, 3, 10), start=time(6), end=time(7)),
                            [("item.within_visit", "date")]),
    "no itinerary": (lambda rows: rows.update(itinerary=[]),
                     [("visit.itinerary", None), ("item.send_off", "departure")]),
    # the car booked for it then serves nothing either
    "no send-off": (_drop_kind("itinerary", "send_off"), [("item.send_off", "departure"), ("booking.serves_item", "start")]),
    # §3.3.2 staff
    "no main host": (_set("staff", 0, role="escort"), [("visit.main_host", None)]),
    "tour without guide": (_set("itinerary", 5, owner="李明"), [("item.tour_guide", "owner")]),
    "guide not trained": (_set("staff", 1, trained="否"), [("staff.guide_trained", "trained")]),
    # §4.3.1 seating by rank: who has neither rank nor title is seated in list order (info)
    "seated staff without rank": (_set("staff", 3, rank=None), [("person.seating_rank", "rank")]),
    "seated guest without rank or title": (_set("guests", 1, rank=None, title=None),
                                           [("person.seating_rank", "rank")]),
    "a guest's title places them": (_set("guests", 1, rank=None), []),
    "staff not seated need no rank": (_set("staff", 2, rank=None), []),  # the driver: cars only
    "the main host is placed by role": (_set("staff", 0, rank=None), []),
    # §3.2.2 bookings
    "meeting not covered": (_set("bookings", 0, end=datetime(2027, 3, 10, 15)),
                            [("booking.meeting_room", "location")]),
    "no hotel": (_drop("bookings", 1), [("booking.hotel", "accommodation")]),
    "hotel not needed": (lambda rows: (_drop("bookings", 1)(rows), _set("visits", 0, accommodation="否")(rows)), []),
    "hotel ending on the last morning is fine": (_set("bookings", 1, end=datetime(2027, 3, 11, 11)), []),
    "hotel ending before the last night": (_set("bookings", 1, end=datetime(2027, 3, 10, 23)),
                                           [("booking.hotel", "accommodation")]),
    "meal not booked": (_drop("bookings", 2), [("booking.restaurant", "location")]),
    "canteen needs no booking": (lambda rows: (_set("itinerary", 3, location="公司食堂")(rows), _drop("bookings", 2)(rows)),
                                 []),
    "no vehicle": (lambda rows: rows.update(bookings=[b for b in rows["bookings"] if b["kind"] != "vehicle"]),
                   [("booking.vehicle", "transport")]),
    "send-off not covered by a vehicle": (_drop("bookings", 4), [("booking.vehicle", "activity")]),
    "booking ends before start": (_set("bookings", 0, end=datetime(2027, 3, 10, 13)),
                                  [("booking.end_after_start", "end"), ("booking.meeting_room", "location")]),
    "booking owner not on staff": (_set("bookings", 0, owner="路人丙"), [("booking.owner_on_staff", "owner")]),
    # §3.3.3 reconfirmation and dietary needs
    "hotel not reconfirmed": (_set("bookings", 1, reconfirmed="否"), [("booking.reconfirmed", "reconfirmed")]),
    "restaurant not reconfirmed": (_set("bookings", 2, reconfirmed=None), [("booking.reconfirmed", "reconfirmed")]),
    "dietary need not arranged": (_set("bookings", 2, details=None), [("booking.dietary_arranged", "details")]),
    "no dietary need, no details needed": (
        lambda rows: (_set("bookings", 2, details=None)(rows), _set("guests", 0, dietary="无")(rows)), []),
    # §3.2.3 approval, §3.3.4 briefing
    "approver missing": (_set("visits", 0, approver=None), [("visit.approver", "approver")]),
    "approval date missing": (_set("visits", 0, approved_on=None), [("visit.approved_on", "approved_on")]),
    "briefed before approval": (_set("visits", 0, briefed_on=date(2027, 2, 27)),
                                [("visit.briefed_after_approval", "briefed_on")]),
    # §3.3.1 preparation
    "prep item pending": (_set("preparation", 0, av_tested="pending"), [("prep.item_done", "av_tested")]),
    "gifts wrapping n/a without gifts": (
        lambda rows: (_set("visits", 0, gifts=None)(rows), _set("preparation", 0, gifts_wrapped="pending")(rows)), []),
    "no preparation row": (lambda rows: rows.update(preparation=[]), [("prep.present", None)]),
    # §5 close-out
    "completed without minutes": (
        lambda rows: _set("visits", 0, status="completed", follow_up="寄送报价", satisfaction=5)(rows),
        [("visit.minutes", "minutes")], AFTER),
    "satisfaction out of range": (
        lambda rows: _set("visits", 0, status="completed", minutes="x", follow_up="y", satisfaction=7)(rows),
        [("value.invalid", "satisfaction")], AFTER),
    # rows naming a visit that does not exist
    "orphan row": (lambda rows: rows["guests"].append(dict(rows["guests"][1], visit_id="V404")),
                   [("row.visit_exists", "visit_id")]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_one_defect_one_finding(tmp_path, name):
    change, expected, *today = CASES[name]
    rows = clean_visit()
    change(rows)
    got = [(rule, field) for _, rule, field in flat(run(tmp_path, rows, *today).findings)]
    assert got == sorted(expected, key=lambda e: (e[0], e[1] or ""))


def test_missing_required_column_is_one_error_and_the_rest_is_checked(tmp_path):
    rows = clean_visit()
    rows["guests"][1]["gender"] = None
    result = run(tmp_path, rows, drop={"visits": {"theme"}})
    missing = [f for f in result.findings if f.rule == "column.missing"]
    assert [(f.sheet, f.column, f.severity) for f in missing] == [("来访", "接待主题", "error")]
    assert ("V1", "guest.gender", "gender") in flat(result.findings)


def test_missing_sheet_is_one_error(tmp_path):
    path = tmp_path / "wb.xlsx"
    write_workbook(path, clean_visit())
    import openpyxl
    wb = openpyxl.load_workbook(path)
    del wb["资源预订"]
    wb.save(path)
    result = check_workbook(read_workbook(path, STD), STD, CLEAN_TODAY)
    assert [(f.rule, f.sheet) for f in result.findings if f.rule == "sheet.missing"] == [("sheet.missing", "资源预订")]


class TestTimeAware:
    def test_preparation_far_ahead_is_info_with_due_date(self, tmp_path):
        rows = clean_visit()
        rows["visits"][0].update(approval="draft", approver=None, approved_on=None, briefed_on=None)
        rows["bookings"][1].update(status="pending", reconfirmed="否")
        result = run(tmp_path, rows, today=date(2026, 12, 1))
        assert {(f.rule, f.severity, f.due) for f in result.findings} == {
            ("visit.approved", "info", date(2027, 3, 7)),
            ("visit.briefed", "info", date(2027, 3, 9)),
            ("booking.confirmed", "info", date(2027, 3, 7)),
            ("booking.reconfirmed", "info", date(2027, 3, 9)),
        }
        assert all("2027-03-0" in f.message for f in result.findings)
        assert not result.has_errors

    def test_past_the_deadline_takes_the_rules_severity(self, tmp_path):
        rows = clean_visit()
        rows["visits"][0].update(approval="draft", approver=None, approved_on=None, briefed_on=None)
        result = run(tmp_path, rows, today=date(2027, 3, 8))
        assert {(f.rule, f.severity) for f in result.findings} == {
            ("visit.approved", "error"), ("visit.briefed", "info")}
        assert result.visits[0].urgent

    def test_missing_facts_are_never_deferred(self, tmp_path):
        rows = clean_visit()
        rows["visits"][0]["client_org"] = None
        result = run(tmp_path, rows, today=date(2026, 12, 1))
        assert [(f.rule, f.severity) for f in result.findings] == [("visit.client_org", "error")]

    def test_departed_but_not_closed(self, tmp_path):
        result = run(tmp_path, clean_visit(), today=date(2027, 3, 20))
        assert [(f.rule, f.severity) for f in result.findings] == [("visit.close_out", "warning")]

    def test_urgent_only_within_the_window(self, tmp_path):
        rows = clean_visit()
        rows["guests"][1]["dietary"] = None
        assert run(tmp_path, rows, today=date(2027, 3, 7)).visits[0].urgent
        assert not run(tmp_path, rows, today=date(2027, 3, 1)).visits[0].urgent


class TestAcrossVisits:
    def test_same_room_overlapping_is_an_error_on_both(self, tmp_path):
        result = run(tmp_path, merge(clean_visit("V1"), clean_visit("V2")))
        clash = [(f.visit_id, f.field, f.severity) for f in result.findings if f.rule == "booking.resource_clash"]
        # the meeting room and both vehicle bookings of each visit clash
        assert ("V1", "resource", "error") in clash and ("V2", "resource", "error") in clash
        assert len(clash) == 6
        assert {f.rule for f in result.findings} == {"booking.resource_clash", "staff.double_booked"}

    def test_hotels_and_restaurants_do_not_clash(self, tmp_path):
        a, b = clean_visit("V1"), clean_visit("V2")
        b["bookings"] = [x for x in b["bookings"] if x["kind"] in ("hotel", "restaurant")]
        b["bookings"] += [dict(x, visit_id="V2", resource="B" + x["resource"]) for x in a["bookings"]
                          if x["kind"] in ("meeting_room", "vehicle")]
        for s in b["staff"]:
            s["staff_id"] = "X" + s["staff_id"]
            s["name"] += "二"
        for x in b["bookings"]:
            x["owner"] = x.get("owner") and x["owner"] + "二"
        for item in b["itinerary"]:
            item["owner"] += "二"
            item["attendees"] = None
        result = run(tmp_path, merge(a, b))
        assert result.findings == []

    def test_staff_owning_overlapping_items_in_two_visits_is_a_warning(self, tmp_path):
        a, b = clean_visit("V1"), clean_visit("V2", day=20)
        b["itinerary"][2].update(date=date(2027, 3, 10), owner="李明", attendees=None)  # the meeting, on V1's day
        b["staff"][0]["staff_id"] = "E1001"
        result = run(tmp_path, merge(a, b), today=CLEAN_TODAY)
        dup = [(f.visit_id, f.severity) for f in result.findings if f.rule == "staff.double_booked"]
        assert sorted(dup) == [("V1", "warning"), ("V2", "warning")]

    def test_duplicate_visit_id(self, tmp_path):
        rows = clean_visit()
        rows["visits"].append(dict(rows["visits"][0]))
        result = run(tmp_path, rows)
        assert [(f.rule, f.row) for f in result.findings if f.rule == "visit.id_unique"] == [("visit.id_unique", 3)]


def test_cancelled_visits_are_listed_not_checked(tmp_path):
    rows = clean_visit()
    rows["visits"][0].update(status="cancelled", client_org=None)
    rows["guests"][0]["core"] = "否"
    result = run(tmp_path, rows)
    assert result.findings == []
    assert [v.readiness for v in result.visits] == ["cancelled"]


def default_security(data: dict) -> None:
    data["settings"]["defaults"]["security"] = "按公司访客安全制度执行"


def test_company_default_fills_blank_security(tmp_path):
    std = company_rules(tmp_path, default_security)
    rows = clean_visit()
    rows["visits"][0]["security"] = None
    path = write_workbook(tmp_path / "wb.xlsx", rows)
    wb = read_workbook(path, std)
    assert wb.visits["V1"].record.security == "按公司访客安全制度执行"
    assert check_workbook(wb, std, CLEAN_TODAY).findings == []


def test_messages_follow_the_workbook_language_and_name_clause_and_place(tmp_path):
    rows = clean_visit()
    rows["guests"][0]["title"] = None
    zh = run(tmp_path, rows).findings[0]
    assert (zh.clause, zh.sheet, zh.row, zh.column) == ("3.1.1", "来宾", 2, "职务")
    assert "孙伟" in zh.message and "职务" in zh.message
    en = run(tmp_path, rows, lang="en").findings[0]
    assert (en.sheet, en.column) == ("Guests", "Title")
    assert en.message.startswith("孙伟: 'Title' is blank")


def test_messages_never_show_confidential_values(tmp_path):
    rows = clean_visit()
    rows["guests"][0].update(title=None, background=None, preferences=None)
    rows["bookings"][2]["details"] = None
    result = run(tmp_path, rows)
    text = " ".join(f.message for f in result.findings)
    for secret in ("清真", "喜欢绿茶", "13900139000", "汉族"):
        assert secret not in text


# ---- across visits at scale: one finding per row, whatever the number of visits ----------------

def _crowd(n: int):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    from big_workbook import crowd_workbook
    return crowd_workbook(n)


@pytest.mark.parametrize("check, field", [("resource_clash", "resource"), ("staff_double_booked", "owner")])
def test_one_room_or_person_shared_by_2000_visits_at_once(check, field):
    """(scripts/bench.py times it: the crowd line.)"""
    from pipeline.checks import WORKBOOK_CHECKS
    wb = _crowd(2000)
    hits = list(WORKBOOK_CHECKS[check](wb, STD, CLEAN_TODAY))
    assert len(hits) == 2000  # one per booking or item, not one per pair (about four million)
    assert {h.record.visit_id for h in hits} == set(wb.visits)
    first = next(h for h in hits if h.record.visit_id == "V0000")
    assert first.field == field
    assert said(first.params["other"], "en") == "V0001, V0002, V0003, V0004, V0005 (+1994)"
    assert said(first.params["other"], "zh") == "V0001、V0002、V0003、V0004、V0005（+1994）"
    last = next(h for h in hits if h.record.visit_id == "V1999")
    assert said(last.params["other"], "en") == "V0000, V0001, V0002, V0003, V0004 (+1994)"


def test_2000_visits_sharing_a_room_check_with_one_finding_each():
    """(scripts/bench.py times it: the crowd line.)"""
    wb = _crowd(2000)
    result = check_workbook(wb, STD, CLEAN_TODAY)
    clash = [f for f in result.findings if f.rule == "booking.resource_clash"]
    assert len(clash) == 2000
    assert "V0001、V0002、V0003、V0004、V0005（+1994）" in next(f.message for f in clash if f.visit_id == "V0000")
    assert len([f for f in result.findings if f.rule == "staff.double_booked"]) == 2000


def test_a_clash_with_one_other_visit_names_it_and_the_overlap():
    wb = _crowd(2)
    b = wb.visits["V0001"].bookings[0]
    b.values.update(start=datetime(2027, 3, 10, 15), end=datetime(2027, 3, 10, 17))
    from pipeline.checks import WORKBOOK_CHECKS
    hits = {h.record.visit_id: h.params for h in WORKBOOK_CHECKS["resource_clash"](wb, STD, CLEAN_TODAY)}
    assert hits == {"V0000": {"resource": "A301会议室", "when": "2027-03-10 15:00–16:00", "other": ("V0001",)},
                    "V0001": {"resource": "A301会议室", "when": "2027-03-10 15:00–16:00", "other": ("V0000",)}}


def _brute_force(entries):
    """(visit, payload) -> (the first five other visits, how many) by comparing every pair."""
    ordered = sorted(entries, key=lambda e: e[0])
    out = {}
    for span, vid, payload in ordered:
        others = []
        for other_span, other_vid, _ in ordered:
            if other_vid != vid and other_span[0] < span[1] and span[0] < other_span[1] and other_vid not in others:
                others.append(other_vid)
        if others:
            out[payload] = (others[:5], len(others))
    return out


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 12), st.sampled_from("ABCDEFGH")), max_size=60))
@settings(max_examples=300, deadline=None)
def test_clashes_count_and_name_the_other_visits_like_comparing_every_pair(raw):
    from pipeline.checks.timing import clashes
    base = datetime(2027, 3, 10)
    entries = [((base + timedelta(hours=s), base + timedelta(hours=s + d)), vid, i)
               for i, (s, d, vid) in enumerate(raw)]
    got = {payload: (named, total) for _, _, payload, named, total, _ in clashes(entries)}
    assert got == _brute_force(entries)


def test_as_date_takes_the_date_of_a_datetime_only():
    from pipeline.checks.engine import as_date

    class Stamp:  # has a date() but is no datetime: left as it is
        def date(self):
            raise AssertionError("called")

    assert as_date(datetime(2027, 3, 10, 9, 30)) == date(2027, 3, 10)
    assert type(as_date(datetime(2027, 3, 10, 9, 30))) is date
    assert as_date(date(2027, 3, 10)) == date(2027, 3, 10)
    stamp = Stamp()
    assert as_date(stamp) is stamp


def test_finding_to_json_is_asdict_with_the_due_date_as_text():
    from dataclasses import asdict

    from pipeline.findings import Finding
    f = Finding("V1", "visit.approved", "3.2.3", "info", "来访", 2, "审批状态", "m", date(2027, 3, 7), "approval")
    assert f.to_json() == {**asdict(f), "due": "2027-03-07"}
    assert list(f.to_json()) == list(asdict(f))
    g = Finding(None, "sheet.missing", "3.2.2", "error", "资源预订", None, None, "m")
    assert g.to_json() == {**asdict(g), "due": None}


def test_visit_checks_in_a_forked_process_find_what_this_process_finds(tmp_path, monkeypatch, std):
    """From engine.PARALLEL_FROM visits the visits' own checks run in a forked child and,
    once done with the rest, here (parallel.Shared): the same findings, in the same
    order, and the same readiness as all checked here."""
    import os
    import sys
    import time

    from pipeline.checks import engine, parallel
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    from big_workbook import write_big_workbook

    wb = read_workbook(write_big_workbook(tmp_path / "big.xlsx", 120), std)
    today = date(2027, 3, 1)
    pids = tmp_path / "pids"
    checked_in = engine._visit_findings

    def findings(*args):
        with pids.open("a") as f:
            f.write(f"{os.getpid()}\n")
        if os.getpid() == parent:
            time.sleep(0.005)  # so that the child, however late it starts, has visits left to check
        return checked_in(*args)

    parent = os.getpid()
    monkeypatch.setattr(engine, "_visit_findings", findings)

    def everything(result):
        return ([f.to_json() for f in result.findings],
                [(vr.visit.id, vr.readiness, vr.completeness, vr.urgent) for vr in result.visits])

    here = check_workbook(wb, std, today)
    assert set(pids.read_text().split()) == {str(parent)}  # all visits here
    pids.unlink()
    monkeypatch.setattr(engine, "PARALLEL_FROM", 1)
    monkeypatch.setattr(parallel, "CHUNK", 3)
    forked = check_workbook(wb, std, today)
    assert everything(forked) == everything(here)
    assert len(here.findings) > 20 and {vr.readiness for vr in here.visits} >= {"ready", "not_ready"}
    chunks, live = pids.read_text().split(), [v for v in wb.visits.values() if not v.cancelled]
    assert len(chunks) >= len(live) / 3 and len(set(chunks)) == 2 and str(parent) in chunks  # some here, some in the child


def test_a_killed_check_process_is_made_up_for_here(tmp_path, monkeypatch, std):
    """The forked child killed (out of memory, say): this process checks the visits itself."""
    import os
    import signal
    import sys
    import time

    from pipeline.checks import engine, parallel
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    from big_workbook import write_big_workbook

    wb = read_workbook(write_big_workbook(tmp_path / "big.xlsx", 40), std)
    today = date(2027, 3, 1)
    here = check_workbook(wb, std, today)
    monkeypatch.setattr(engine, "PARALLEL_FROM", 1)
    monkeypatch.setattr(parallel, "CHUNK", 3)  # chunks for both processes
    parent, checked_in = os.getpid(), engine._visit_findings
    killed = tmp_path / "killed"

    def findings(*args):
        if os.getpid() != parent:
            killed.write_text(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(0.005)  # so that the child, however late it starts, has visits left to check
        return checked_in(*args)

    monkeypatch.setattr(engine, "_visit_findings", findings)
    again = check_workbook(wb, std, today)
    assert [f.to_json() for f in again.findings] == [f.to_json() for f in here.findings] and here.findings
    assert killed.read_text() != str(parent)  # a child was forked, and killed


def test_a_finding_pickles_as_its_fields():
    """The forked check sends its findings back pickled (Finding.__reduce__)."""
    import pickle
    from dataclasses import fields

    from pipeline.findings import Finding
    f = Finding("V1", "r", "3.1", "info", "来访", 7, "日期", "due", date(2027, 3, 7), "arrival")
    back = pickle.loads(pickle.dumps(f))
    assert back == f and [getattr(back, x.name) for x in fields(Finding)] == [getattr(f, x.name) for x in fields(Finding)]


@pytest.mark.parametrize("change", [{}, {"arrival_mode": "car", "arrival_ref": None},
                                    {"status": "completed", "minutes": "纪要", "follow_up": "跟进", "satisfaction": 5}])
def test_completeness_counts_each_requirement_that_applies_to_the_visit(tmp_path, change):
    """A rule with conditions applies when a row of the visit meets them (the flight
    number only to a visit arriving by air or rail, the close-out fields only to a
    completed visit); every code rule about one visit applies to it."""
    from pipeline.checks.engine import ROWS_OF, VISIT_CHECKS

    rows = clean_visit()
    rows["visits"][0].update(change)
    result = run(tmp_path, rows)
    visit = result.workbook.visits[rows["visits"][0]["visit_id"]]

    def meets(rule, row) -> bool:
        for cond, expected in rule.when.items():
            target, _, key = cond.rpartition(".")
            value = (visit.record if target else row).values.get(key)
            if value not in (expected if isinstance(expected, list) else [expected]):
                return False
        return True

    field_rules = [r for r in STD.rules if r.field and r.field in result.workbook.sheets[r.sheet].columns]
    applying = sum(1 for r in field_rules if any(meets(r, row) for row in ROWS_OF[r.sheet](visit)))
    applying += sum(1 for r in STD.rules if r.check in VISIT_CHECKS)
    failed = {f.rule for f in result.visits[0].findings}
    assert result.visits[0].applicable == applying + len(failed - {r.id for r in STD.rules})
    assert result.visits[0].completeness == 100 * (result.visits[0].applicable - len(failed)) // result.visits[0].applicable


@pytest.mark.parametrize("lang, message", [
    ("zh", "陈静：既无礼宾次序也无职务，2027-03-10 14:00 的座次按名单顺序排定：如需调整，请填写礼宾次序"),
    ("en", "陈静: has neither a protocol rank nor a title, so is seated in list order at 2027-03-10 14:00: give a "
           "protocol rank to change that"),
])
def test_someone_seated_without_rank_is_one_note_on_their_rank_cell_naming_the_items(tmp_path, lang, message):
    rows = clean_visit()
    rows["staff"][3]["rank"] = None
    (finding,) = run(tmp_path, rows, lang=lang).findings
    assert (finding.severity, finding.clause, finding.row, finding.field) == ("info", "4.3.1", 5, "rank")
    assert finding.message == message
    assert run(tmp_path, rows, lang=lang).visits[0].readiness == "attention"
