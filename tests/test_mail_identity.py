"""A workbook's identity for mail: message keys and calendar UIDs survive a rename and do
not collide between two folders' workbooks of one name; an older send log is taken over."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

from icalendar import Calendar
from test_mail_support import attachments, config, mail_visit, options, outbox, reapprove, smtp_server, write
from workbooks import write_workbook

from pipeline.mail.recipe import send

__all__ = ["smtp_server"]


def uids(server, since: int = 0) -> dict[str, set[str]]:
    """UID -> the STATUS values it was sent with, over what the server received."""
    seen: dict[str, set[str]] = {}
    for r in server.received[since:]:
        for name, data in attachments(r.message).items():
            if name.endswith(".ics"):
                for e in Calendar.from_ical(data).walk("VEVENT"):
                    seen.setdefault(str(e["UID"]), set()).add(str(e.get("STATUS", "")))
    return seen


def department(tmp_path: Path, name: str, rows: dict) -> Path:
    folder = tmp_path / name
    folder.mkdir(exist_ok=True)
    write_workbook(folder / "visits.xlsx", rows)
    return folder


def test_two_folders_with_a_workbook_of_one_name_share_no_message_and_no_event(tmp_path, smtp_server):
    east = department(tmp_path, "east", mail_visit())
    west_rows = mail_visit()
    west_rows["itinerary"] = west_rows["itinerary"][:-1]  # west's visit V1 has no send-off
    west_rows["itinerary"][2]["location"] = "西区会议室"
    west = department(tmp_path, "west", west_rows)
    cfg = config(tmp_path, smtp_server)  # one send log for both, as from one working folder
    east_run = send(replace(options(tmp_path), input=east), cfg)
    assert len(smtp_server.received) == 5
    west_run = send(replace(options(tmp_path), input=west, output=tmp_path / "west-out"), cfg)
    assert len(smtp_server.received) == 10  # west's five are new, not updates of east's
    assert not any(o.update for o in west_run.mail[0].messages)
    east_uids, west_uids = set(uids(smtp_server)) - set(uids(smtp_server, 5)), set(uids(smtp_server, 5))
    assert east_uids and west_uids and east_uids.isdisjoint(west_uids)
    assert "CANCELLED" not in {s for statuses in uids(smtp_server).values() for s in statuses}
    assert east_run.mail[0].identity.name != west_run.mail[0].identity.name
    again = send(replace(options(tmp_path), input=east), cfg)
    assert len(smtp_server.received) == 10 and again.mail[0].unchanged == 5  # east is still east


def test_a_renamed_workbook_keeps_its_messages_and_its_events(tmp_path, smtp_server):
    rows = mail_visit()
    write(tmp_path, rows)
    first = send(options(tmp_path), config(tmp_path, smtp_server))
    before = uids(smtp_server)
    (tmp_path / "input" / "visits.xlsx").rename(tmp_path / "input" / "2027年客户接待台账.xlsx")
    run = send(options(tmp_path), config(tmp_path, smtp_server))
    assert len(smtp_server.received) == 5 and run.mail[0].unchanged == 5  # nothing again
    assert (run.mail[0].identity.name, run.mail[0].identity.how) == (first.mail[0].identity.name, "renamed")
    assert run.mail[0].identity.was == tmp_path.resolve() / "input" / "visits.xlsx"
    assert outbox(tmp_path, workbook="2027年客户接待台账") == {}
    rows["itinerary"][2]["location"] = "B205会议室"
    write(tmp_path, reapprove(rows, 3), name="2027年客户接待台账.xlsx")
    send(options(tmp_path), config(tmp_path, smtp_server))
    assert set(uids(smtp_server, 5)) and set(uids(smtp_server, 5)) <= set(before)  # the same events, updated
    known = json.loads((tmp_path / "state" / "sendlog.workbooks.json").read_text(encoding="utf-8"))
    assert known[first.mail[0].identity.name]["path"] == str(tmp_path.resolve() / "input" / "2027年客户接待台账.xlsx")


def test_an_existing_send_log_is_taken_over_in_place(tmp_path, smtp_server, monkeypatch):
    """A send log written before identities were kept knows a workbook by its file name:
    its messages are not sent again, its events keep their UIDs, and that name becomes the
    workbook's identity; another workbook of that name elsewhere gets an identity of its own."""
    from pipeline.mail import identity
    rows = mail_visit()
    write(tmp_path, rows)
    monkeypatch.setattr(identity, "_new_name", lambda stem: stem)  # identities as the file name: the old keys
    send(options(tmp_path), config(tmp_path, smtp_server))
    monkeypatch.undo()
    log = tmp_path / "state" / "sendlog.jsonl"
    old = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    old = [{k: v for k, v in line.items() if k in LEGACY_FIELDS} for line in old if line["status"] == "sent"]
    assert {line["key"].split("/")[0] for line in old} == {"visits"}
    log.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in old), encoding="utf-8")
    (tmp_path / "state" / "sendlog.workbooks.json").unlink()  # as it was: no identities kept
    before = uids(smtp_server)

    run = send(options(tmp_path), config(tmp_path, smtp_server))
    assert len(smtp_server.received) == 5 and run.mail[0].unchanged == 5
    assert (run.mail[0].identity.name, run.mail[0].identity.how) == ("visits", "taken_over")
    rows["itinerary"][2]["location"] = "B205会议室"
    write(tmp_path, reapprove(rows, 3))
    send(options(tmp_path), config(tmp_path, smtp_server))
    assert set(uids(smtp_server, 5)) and set(uids(smtp_server, 5)) <= set(before)  # updates of the events already in calendars
    assert log.read_text(encoding="utf-8").startswith("".join(json.dumps(line, ensure_ascii=False) + "\n"
                                                               for line in old))  # in place: appended to

    other = tmp_path / "elsewhere"
    other.mkdir()
    shutil.copytree(tmp_path / "input", other / "input")
    other_run = send(options(other),
                     config(tmp_path, smtp_server))
    assert other_run.mail[0].identity.name.startswith("visits-") and other_run.mail[0].unchanged == 0


LEGACY_FIELDS = {"at", "key", "to", "workbook", "visit", "kind", "digest", "message_id", "update", "status", "error",
                 "events"}
