"""What changed between two versions of a visit: rows paired regardless of order, cosmetic
edits and progress no change; and a visit's content, which holds only what the plan does."""

from __future__ import annotations

import copy
from datetime import date, datetime, time

from hypothesis import given, settings, strategies as st
from workbooks import clean_visit, write_workbook

from pipeline.reader import read_workbook
from pipeline.versions.content import visit_content, visit_from
from pipeline.versions.diff import PlanChanges, compare, compare_rows


def content(tmp_path, rows, std, name="w.xlsx"):
    wb = read_workbook(write_workbook(tmp_path / name, rows), std)
    return visit_content(wb.visits["V1"])


def flat(changes):
    return [(c.sheet, c.change, c.fields) for c in changes]


def edited(tmp_path, std, edit):
    """The changes an edit of the clean visit makes."""
    rows = clean_visit()
    before = content(tmp_path, rows, std, "before.xlsx")
    edit(rows)
    return compare(before, content(tmp_path, rows, std, "after.xlsx"))


def test_the_same_visit_has_no_changes(tmp_path, std):
    assert edited(tmp_path, std, lambda rows: None) == ()


def test_cosmetic_edits_are_no_change(tmp_path, std):
    def cosmetic(rows):
        rows["itinerary"].reverse()  # row order
        rows["guests"].reverse()
        rows["bookings"].insert(0, rows["bookings"].pop())
        meeting = next(i for i in rows["itinerary"] if i["activity"] == "合作会谈")
        meeting.update(activity=" 合作 会谈 ", location="Ａ３０１会议室", attendees="王芳, 陈静")  # spaces, full width, order
        rows["visits"][0]["theme"] = "深化合作　共赢未来\n"
        rows["staff"][0]["department"] = "销售部 "
        next(g for g in rows["guests"] if g["name"] == "孙伟")["dietary"] = " 清 真"  # kept as a digest, normalised
    assert edited(tmp_path, std, cosmetic) == ()


def test_progress_is_no_change(tmp_path, std):
    def progress(rows):
        rows["visits"][0].update(approval="submitted", approved_on=date(2027, 3, 4), briefed_on=date(2027, 3, 4),
                                 status="planned", approval_notes="同意")
        rows["bookings"][0].update(status="pending", reference="RM-2027-88")
        rows["bookings"][1]["reconfirmed"] = "否"
        rows["preparation"][0]["signage"] = "pending"
        rows["staff"][1]["trained"] = "否"  # not in the plan
        rows["staff"][0]["email"] = "other@example.com"
    assert edited(tmp_path, std, progress) == ()


def test_a_moved_item_is_one_changed_row_with_its_fields(tmp_path, std):
    def move(rows):
        rows["itinerary"][2].update(start=time(14, 30), location="B205会议室")
    [change] = edited(tmp_path, std, move)
    assert (change.sheet, change.change, change.fields) == ("itinerary", "changed", ("start", "location"))
    assert (change.old["start"], change.new["start"]) == ("14:00:00", "14:30:00")
    assert (change.old["location"], change.new["location"]) == ("A301会议室", "B205会议室")


def test_an_item_moved_to_another_day_or_renamed_is_still_the_same_row(tmp_path, std):
    def move(rows):
        rows["itinerary"][5]["date"] = date(2027, 3, 10)  # the tour, a day earlier
        rows["itinerary"][6]["activity"] = "商务午餐"  # the lunch renamed: same day, kind and start
    assert flat(edited(tmp_path, std, move)) == [("itinerary", "changed", ("date",)),
                                                 ("itinerary", "changed", ("activity",))]


def test_rows_added_and_removed(tmp_path, std):
    def edit(rows):
        rows["guests"].append(dict(rows["guests"][1], name="吴刚", rank=3))
        del rows["itinerary"][4]  # the breakfast
        rows["staff"].pop()
        rows["visits"][0]["headcount"] = 3
    changes = edited(tmp_path, std, edit)
    assert flat(changes) == [("visits", "changed", ("headcount",)), ("guests", "added", ()),
                             ("itinerary", "removed", ()), ("staff", "removed", ())]
    assert changes[1].new["name"] == "吴刚" and changes[2].old["activity"] == "早餐" and changes[3].old["name"] == "陈静"


def test_a_booking_cancelled_and_an_item_made_na_are_changes(tmp_path, std):
    def edit(rows):
        rows["bookings"][2]["status"] = "cancelled"
        rows["preparation"][0]["gifts_wrapped"] = "n/a"
    assert flat(edited(tmp_path, std, edit)) == [("bookings", "changed", ("status",)),
                                                 ("preparation", "changed", ("gifts_wrapped",))]


def test_counts_name_rows_and_the_visits_fields():
    rows = compare({"visits": {"arrival": "2027-03-10T09:30:00", "theme": "a"}, "itinerary": [{"activity": "x"}]},
                   {"visits": {"arrival": "2027-03-10T11:00:00", "theme": "b"}, "itinerary": []})
    changes = PlanChanges(date(2027, 3, 1), rows)
    assert (changes.count("visits"), changes.count("itinerary"), changes.count("guests")) == (2, 1, 0)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="会谈A1 ", min_size=1, max_size=8), min_size=1, max_size=6), st.randoms())
def test_reordered_rows_with_spaces_added_are_no_change(activities, rnd):
    old = [{"row": i, "activity": a, "kind": "meeting"} for i, a in enumerate(activities)]
    new = [dict(r, row=r["row"] + 10, activity=" " + r["activity"].replace("会", "会 ") + "\u3000") for r in old]
    rnd.shuffle(new)
    assert compare_rows("itinerary", old, new, (("kind", "activity"),)) == []


def test_content_holds_only_what_the_plan_does_and_reads_back(tmp_path, std):
    rows = clean_visit()
    rows["visits"][0].update(minutes="纪要", satisfaction=5)
    wb = read_workbook(write_workbook(tmp_path / "w.xlsx", rows), std)
    visit = wb.visits["V1"]
    c = visit_content(visit)
    assert {"minutes", "satisfaction", "approver_email", "visit_id"}.isdisjoint(c["visits"])
    assert all({"email", "staff_id", "trained"}.isdisjoint(s) for s in c["staff"])
    assert c["itinerary"][0]["date"] == "2027-03-10" and c["itinerary"][0]["attendees"] == ["李明"]
    secrets = ("汉族", "清真", "喜欢绿茶", "从业二十年", "13900139000")
    assert not [s for s in secrets if s in str(c["guests"])] and c["guests"][0]["phone"].startswith("#")  # §2.5
    back = visit_from(copy.deepcopy(c), "V1", std)
    assert back.record.arrival == datetime(2027, 3, 10, 9, 30) and back.items[0].start == time(8, 30)
    assert back.items[2].attendees == ("陈静", "王芳") and back.guests[0].title == "总经理"
    assert back.guests[0].smoker is None and back.guests[0].dietary is None  # not kept, so not read back
    assert [i.row for i in back.items] == [i.row for i in visit.items]
    assert {k: v for k, v in visit_content(back).items() if k != "guests"} == \
        {k: v for k, v in c.items() if k != "guests"}  # the same version again, but for the guests' digests
