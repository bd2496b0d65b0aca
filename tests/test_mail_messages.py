"""Who gets what: plan_messages on small workbooks, as flat tuples."""

from __future__ import annotations

from datetime import date

from test_mail_support import STAFF_EMAILS, mail_visit
from workbooks import CLEAN_TODAY, merge, write_workbook

from pipeline.checks import check_workbook
from pipeline.documents.batch import visit_files
from pipeline.mail.messages import plan_messages
from pipeline.reader import read_workbook
from pipeline.standard import load_standard


def plan(tmp_path, rows, today=CLEAN_TODAY, failed=frozenset()):
    standard = load_standard()
    wb = read_workbook(write_workbook(tmp_path / "visits.xlsx", rows), standard)
    result = check_workbook(wb, standard, today)
    messages, skips = plan_messages(result, visit_files(result), set(failed))
    return ([(m.visit_id, m.kind, m.to.address, m.documents) for m in messages],
            [(s.visit_id, s.kind, s.reason, s.row) for s in skips], messages)


def test_approved_plan_goes_to_every_staff_member_and_the_client(tmp_path):
    flat, skips, _ = plan(tmp_path, mail_visit())
    seated = {"李明", "王芳", "陈静"}  # at the meeting or a meal; the driver only in the car
    assert flat == [
        *[("V1", "briefing", address, ("plan", "roles", "seating") if name in seated else ("plan", "roles"))
          for name, address in STAFF_EMAILS.items()],
        ("V1", "itinerary", "qian.hong@example.com", ("itinerary",)),
    ]
    assert skips == []


def test_no_seating_document_for_anyone_when_the_visit_has_none(tmp_path):
    rows = mail_visit()
    rows["itinerary"] = [i for i in rows["itinerary"] if i["kind"] not in ("meeting", "meal")]
    flat, _, _ = plan(tmp_path, rows)
    assert all("seating" not in documents for *_, documents in flat)


def test_the_client_never_gets_an_internal_document(tmp_path):
    _, _, messages = plan(tmp_path, mail_visit())
    client = [m for m in messages if m.to.address == "qian.hong@example.com"]
    assert [m.documents for m in client] == [("itinerary",)]


def test_each_staff_calendar_holds_their_own_items(tmp_path):
    _, _, messages = plan(tmp_path, mail_visit())
    items = {m.to.name: sorted(i.activity for i in m.items) for m in messages if m.kind == "briefing"}
    assert items["王芳"] == ["参观生产线", "合作会谈"]  # owns the tour, attends the meeting
    assert items["赵强"] == ["前往公司", "机场接机", "送机"]
    assert items["陈静"] == ["合作会谈"]
    client = next(m for m in messages if m.kind == "itinerary")
    assert len(client.items) == 8


def test_submitted_plan_goes_to_the_approver_only(tmp_path):
    rows = mail_visit()
    rows["visits"][0].update(approval="submitted", approved_on=None, briefed_on=None)
    flat, skips, _ = plan(tmp_path, rows)
    assert flat == [("V1", "approval", "li.zong@example.com", ("plan",))]
    assert skips == []


def test_draft_and_returned_plans_send_nothing(tmp_path):
    for approval in ("draft", "returned"):
        rows = mail_visit()
        rows["visits"][0].update(approval=approval, approved_on=None, briefed_on=None)
        flat, skips, _ = plan(tmp_path, rows)
        assert flat == [] and skips == [("V1", None, "not_approved", None)]


def test_missing_addresses_are_skipped_by_row_not_by_name(tmp_path):
    rows = mail_visit()
    rows["staff"][1]["email"] = None  # 王芳, staff row 3
    rows["visits"][0]["contact_email"] = None
    flat, skips, _ = plan(tmp_path, rows)
    assert [to for _, _, to, _ in flat] == ["li.ming@example.com", "zhao.qiang@example.com", "chen.jing@example.com"]
    assert skips == [("V1", "briefing", "no_address", 3), ("V1", "itinerary", "no_address", 2)]


def test_submitted_without_approver_address_is_a_skip(tmp_path):
    rows = mail_visit()
    rows["visits"][0].update(approval="submitted", approver_email=None)
    flat, skips, _ = plan(tmp_path, rows)
    assert flat == [] and skips == [("V1", "approval", "no_address", 2)]


def test_a_person_listed_twice_gets_one_briefing(tmp_path):
    rows = mail_visit()
    rows["staff"].append(dict(rows["staff"][1], role="escort", rank=None))  # 王芳 again, as escort
    flat, _, messages = plan(tmp_path, rows)
    assert [to for _, kind, to, _ in flat if kind == "briefing"].count("wang.fang@example.com") == 1
    wang = next(m for m in messages if m.to.name == "王芳")
    assert [s.role for s in wang.staff] == ["guide", "escort"]


def test_a_visit_that_is_over_or_cancelled_or_failed_sends_nothing(tmp_path):
    rows = merge(mail_visit("V1", 10), mail_visit("V2", 12), mail_visit("V3", 14))
    rows["visits"][1]["status"] = "cancelled"
    flat, skips, _ = plan(tmp_path, rows, today=date(2027, 3, 12), failed={"V3"})
    # V1 left on 11 March; V2 is cancelled (it has no documents); V3's documents failed
    assert flat == []
    assert skips == [("V1", None, "over", None), ("V3", None, "no_documents", None)]


def test_message_keys_name_workbook_visit_kind_and_address(tmp_path):
    _, _, messages = plan(tmp_path, mail_visit())
    assert messages[0].key == "visits/V1/briefing/li.ming@example.com"


def test_cancellations_go_to_whoever_has_live_events_of_a_cancelled_or_removed_visit(tmp_path):
    from pipeline.mail.messages import plan_cancellations
    rows = merge(mail_visit("V1"), mail_visit("V2", day=20))
    rows["visits"][1]["status"] = "cancelled"
    standard = load_standard()
    result = check_workbook(read_workbook(write_workbook(tmp_path / "visits.xlsx", rows), standard), standard,
                            CLEAN_TODAY)
    live = {"u1": {"sequence": 0, "start": "2027-03-10T09:00:00"}}
    gone = {"u2": {"sequence": 1, "start": "2027-03-10T09:00:00", "cancelled": True}}
    sent = [
        {"visit": "V1", "kind": "briefing", "to": STAFF_EMAILS["王芳"], "events": live},  # still on: nothing
        {"visit": "V2", "kind": "briefing", "to": STAFF_EMAILS["王芳"], "events": live},  # cancelled
        {"visit": "V2", "kind": "itinerary", "to": "qian.hong@example.com", "events": {**live, **gone}},
        {"visit": "V2", "kind": "approval", "to": "li.zong@example.com", "events": {}},  # no calendar
        {"visit": "V3", "kind": "briefing", "to": STAFF_EMAILS["李明"], "events": live},  # removed
        {"visit": "V4", "kind": "briefing", "to": STAFF_EMAILS["李明"], "events": gone},  # cancelled already
    ]
    got = plan_cancellations(result, "wb-1", sent, {"V1", "v3"})
    assert [(m.visit_id, m.kind, m.cancels, m.to.address, m.to.name, m.files.folder, m.visit is None) for m in got] == [
        ("V2", "cancellation", "briefing", STAFF_EMAILS["王芳"], "王芳", "V2", False),
        ("V2", "cancellation", "itinerary", "qian.hong@example.com", "钱红", "V2", False),
        ("V3", "cancellation", "briefing", STAFF_EMAILS["李明"], "", "V3~2", True)]  # v3 is taken
    assert got[0].key == f"wb-1/V2/briefing/{STAFF_EMAILS['王芳']}"  # the message it cancels
