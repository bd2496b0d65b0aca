"""Sending to a real SMTP server on loopback (aiosmtpd): who received what, never twice,
updates after a change, failures injected by the server and retried, TLS, safety."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from datetime import time, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from test_mail_support import (SENDER, STAFF_EMAILS, attachments, body, certificate, config, mail_visit, options,
                               outbox, password_checker, reapprove, server_context, smtp_server, start_server,
                               write)
from workbooks import CLEAN_TODAY

from pipeline.mail import MailError
from pipeline.mail.recipe import send
from pipeline.mail.sendlog import SendLog

__all__ = ["certificate", "smtp_server"]  # fixtures used below

CLIENT = "qian.hong@example.com"
EVERYONE = sorted([*STAFF_EMAILS.values(), CLIENT])
PLAN = "接待方案_V1_华东精密机械有限公司.docx"


def log_lines(tmp_path, attempts: bool = False) -> list[dict]:
    """The send log's outcomes (with `attempts`: also the line written before each send)."""
    path = tmp_path / "state" / "sendlog.jsonl"
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []
    return [line for line in lines if attempts or line["status"] != "sending"]


def received(server) -> list[tuple[str, str]]:
    """(recipient, subject) of everything the server accepted, in order."""
    return [(to, r.message["Subject"]) for r in server.received for to in r.rcpt_tos]


def test_each_recipient_gets_one_message_with_their_attachments(tmp_path, smtp_server):
    write(tmp_path, mail_visit())
    run = send(options(tmp_path), config(tmp_path, smtp_server))
    got = smtp_server.by_recipient()
    assert sorted(got) == EVERYONE and all(len(v) == 1 for v in got.values())
    for to, (r,) in got.items():
        assert r.mail_from == SENDER and r.rcpt_tos == [to]
        assert r.message["To"].addresses[0].addr_spec == to
        assert r.message["X-Unsent"] is None  # a draft's mark, not on what is sent
        names = set(attachments(r.message))
        seated = to != STAFF_EMAILS["赵强"]  # the driver sits at no meeting or meal
        assert names == ({"客户行程_V1_华东精密机械有限公司.docx", "日程_V1.ics"} if to == CLIENT
                         else {PLAN, "人员分工_V1_华东精密机械有限公司.xlsx", "日程_V1.ics"}
                         | ({"座次与桌签_V1_华东精密机械有限公司.docx"} if seated else set()))
    assert attachments(got[STAFF_EMAILS["王芳"]][0].message)[PLAN] == \
        (tmp_path / "output" / "visits" / "V1" / PLAN).read_bytes()
    assert [r.ok for _, r in run.mail[0].results] == [True] * 5 and run.exit_code == 0
    assert outbox(tmp_path) == {}  # what was sent is no longer a draft


def test_the_log_records_who_got_what_and_no_names(tmp_path, smtp_server):
    write(tmp_path, mail_visit())
    send(options(tmp_path), config(tmp_path, smtp_server))
    lines = log_lines(tmp_path)
    assert sorted(line["to"] for line in lines) == EVERYONE
    assert {line["status"] for line in lines} == {"sent"}
    ids = {r.rcpt_tos[0]: r.message["Message-ID"] for r in smtp_server.received}
    assert all(ids[line["to"]] == line["message_id"] for line in lines)
    text = (tmp_path / "state" / "sendlog.jsonl").read_text(encoding="utf-8")
    for name in ("李明", "王芳", "赵强", "陈静", "钱红", "孙伟", "13800138000"):
        assert name not in text


def test_each_attempt_is_on_disk_before_its_message_goes(tmp_path, smtp_server):
    write(tmp_path, mail_visit())
    send(options(tmp_path), config(tmp_path, smtp_server))
    lines = log_lines(tmp_path, attempts=True)
    assert [line["status"] for line in lines] == ["sending", "sent"] * 5
    assert [line["key"] for line in lines[::2]] == [line["key"] for line in lines[1::2]]


def test_nothing_is_sent_twice_not_even_after_cleaning_the_outputs(tmp_path, smtp_server):
    write(tmp_path, mail_visit())
    send(options(tmp_path), config(tmp_path, smtp_server))
    assert len(smtp_server.received) == 5
    run = send(options(tmp_path), config(tmp_path, smtp_server))
    assert len(smtp_server.received) == 5 and run.mail[0].unchanged == 5
    shutil.rmtree(tmp_path / "output")  # make clean, then a build on another day
    send(options(tmp_path, CLEAN_TODAY + timedelta(days=1)), config(tmp_path, smtp_server))
    assert len(smtp_server.received) == 5
    assert outbox(tmp_path) == {}


def test_a_changed_document_goes_again_marked_as_an_update(tmp_path, smtp_server):
    rows = mail_visit()
    write(tmp_path, rows)
    send(options(tmp_path), config(tmp_path, smtp_server))
    first = {r.rcpt_tos[0]: r for r in smtp_server.received}
    smtp_server.received.clear()
    rows["itinerary"][2]["start"] = time(14, 30)  # the meeting: 李明 owns it, 陈静 and 王芳 attend, the client comes
    write(tmp_path, reapprove(rows, 3))
    run = send(options(tmp_path), config(tmp_path, smtp_server))
    again = {r.rcpt_tos[0]: r for r in smtp_server.received}
    assert sorted(again) == sorted([CLIENT] + [STAFF_EMAILS[n] for n in ("李明", "王芳", "陈静")])
    assert run.mail[0].untouched == 1  # 赵强 drives: his part did not change
    for to, r in again.items():
        assert r.message["Subject"] == "【更新】" + first[to].message["Subject"]
        assert r.message["Message-ID"] != first[to].message["Message-ID"]
    assert [line["update"] for line in log_lines(tmp_path)[-4:]] == [True] * 4


def test_a_changed_item_updates_the_same_calendar_event(tmp_path, smtp_server):
    rows = mail_visit()
    write(tmp_path, rows)
    send(options(tmp_path), config(tmp_path, smtp_server))

    def meeting(to):
        r = [r for r in smtp_server.received if r.rcpt_tos == [to]][-1]
        cal = Calendar.from_ical(attachments(r.message)["日程_V1.ics"])
        return next(e for e in cal.walk("VEVENT") if str(e["SUMMARY"]).startswith("合作会谈"))

    before = meeting(CLIENT)
    rows["itinerary"][2]["location"] = "B205会议室"
    write(tmp_path, reapprove(rows, 3))
    send(options(tmp_path), config(tmp_path, smtp_server))
    after = meeting(CLIENT)
    assert str(after["UID"]) == str(before["UID"])
    assert (before["SEQUENCE"], after["SEQUENCE"]) == (0, 1)
    assert str(after["LOCATION"]) == "B205会议室"
    others = Calendar.from_ical(attachments([r for r in smtp_server.received if r.rcpt_tos == [CLIENT]][-1]
                                            .message)["日程_V1.ics"]).walk("VEVENT")
    assert sorted(e["SEQUENCE"] for e in others) == [0] * 7 + [1]


def test_a_refused_recipient_is_reported_and_retried_without_duplicates(tmp_path, smtp_server):
    write(tmp_path, mail_visit())
    smtp_server.handler.refuse.add(STAFF_EMAILS["王芳"])
    run = send(options(tmp_path), config(tmp_path, smtp_server))
    results = {o.message.to.address: r for o, r in run.mail[0].results}
    assert results[STAFF_EMAILS["王芳"]].error == "recipient refused (550)"
    assert sum(r.ok for r in results.values()) == 4 and run.exit_code == 1
    assert [line["to"] for line in log_lines(tmp_path) if line["status"] == "failed"] == [STAFF_EMAILS["王芳"]]
    assert list(outbox(tmp_path)) == ["内部通报_王芳.eml"]  # still to send

    smtp_server.handler.refuse.clear()
    send(options(tmp_path), config(tmp_path, smtp_server))
    assert sorted(to for to, _ in received(smtp_server)) == EVERYONE  # each exactly once
    assert outbox(tmp_path) == {}


def test_a_dropped_connection_fails_that_message_and_the_rest_still_go(tmp_path, smtp_server):
    write(tmp_path, mail_visit())
    smtp_server.handler.drop_rcpt.add(STAFF_EMAILS["王芳"])  # before the message went: it was not delivered
    run = send(options(tmp_path), config(tmp_path, smtp_server))
    results = {o.message.to.address: r for o, r in run.mail[0].results}
    assert results[STAFF_EMAILS["王芳"]].error.startswith("connection lost")
    assert results[STAFF_EMAILS["王芳"]].status == "failed"
    assert sorted(to for to, r in results.items() if r.ok) == sorted(set(EVERYONE) - {STAFF_EMAILS["王芳"]})
    smtp_server.handler.drop_rcpt.clear()
    send(options(tmp_path), config(tmp_path, smtp_server))
    assert sorted(to for to, _ in received(smtp_server)) == EVERYONE


@pytest.mark.parametrize("delivered", [True, False])
def test_a_connection_dropped_after_the_message_went_is_delivery_unknown(tmp_path, smtp_server, delivered):
    """The server may have taken the message, or not: SMTP cannot tell. It is marked
    "delivery unknown" (not "failed"), kept in the outbox, and sent again next time."""
    wang = STAFF_EMAILS["王芳"]
    write(tmp_path, mail_visit())
    (smtp_server.handler.accept_then_drop if delivered else smtp_server.handler.drop).add(wang)
    run = send(options(tmp_path), config(tmp_path, smtp_server))
    results = {o.message.to.address: r for o, r in run.mail[0].results}
    assert results[wang].status == "unknown" and not results[wang].ok
    assert results[wang].error.startswith("the connection was lost after the message went, before the server")
    assert sum(r.ok for r in results.values()) == 4 and run.exit_code == 1
    assert [line["status"] for line in log_lines(tmp_path) if line["to"] == wang] == ["unknown"]
    assert list(outbox(tmp_path)) == ["内部通报_王芳.eml"]
    smtp_server.handler.accept_then_drop.clear()
    smtp_server.handler.drop.clear()
    send(options(tmp_path), config(tmp_path, smtp_server))
    assert [to for to, _ in received(smtp_server)].count(wang) == (2 if delivered else 1)
    assert outbox(tmp_path) == {}


def _log_unwritable(monkeypatch, when):
    """The send log's writes fail (as a full disk or a read-only file would, even for
    root) while `when(path)` holds; reading it still works."""
    from pipeline.mail import sendlog
    real = sendlog.os.open

    def guarded(path, flags, *args):
        if flags & os.O_WRONLY and str(path).endswith("sendlog.jsonl") and when(Path(path)):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, flags, *args)

    monkeypatch.setattr(sendlog.os, "open", guarded)


def test_a_send_log_that_cannot_be_written_sends_nothing(tmp_path, smtp_server, monkeypatch):
    write(tmp_path, mail_visit())
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / "sendlog.jsonl").write_text("")
    _log_unwritable(monkeypatch, lambda path: True)
    for _ in range(2):  # every run: before, each delivered one message and then stopped
        with pytest.raises(MailError, match="cannot write the send log"):
            send(options(tmp_path), config(tmp_path, smtp_server))
    assert smtp_server.received == []


def test_a_send_log_that_fails_midway_stops_before_the_next_message(tmp_path, smtp_server, monkeypatch):
    write(tmp_path, mail_visit())
    _log_unwritable(monkeypatch, lambda path: path.is_file() and '"status": "sent"' in path.read_text())
    with pytest.raises(MailError, match="cannot write the send log"):
        send(options(tmp_path), config(tmp_path, smtp_server))
    assert len(smtp_server.received) == 1  # the first, recorded; the second was never sent
    monkeypatch.undo()
    send(options(tmp_path), config(tmp_path, smtp_server))
    assert sorted(to for to, _ in received(smtp_server)) == EVERYONE  # each exactly once


def test_a_failed_login_sends_nothing_and_the_next_run_sends_everything(tmp_path, monkeypatch):
    server = start_server(authenticator=password_checker("reception", "right"), auth_require_tls=False)
    try:
        write(tmp_path, mail_visit())
        cfg = config(tmp_path, server, user="reception")
        monkeypatch.setenv("RECEPTION_SMTP_PASSWORD", "wrong")
        run = send(options(tmp_path), cfg)
        assert {r.error for _, r in run.mail[0].results} == {"login failed (535)"}
        assert server.received == [] and len(outbox(tmp_path)) == 5
        assert [line["status"] for line in log_lines(tmp_path)] == ["failed"] * 5
        monkeypatch.setenv("RECEPTION_SMTP_PASSWORD", "right")
        send(options(tmp_path), cfg)
        assert sorted(to for to, _ in received(server)) == EVERYONE
    finally:
        server.controller.stop()


def test_no_password_no_connection(tmp_path, smtp_server, monkeypatch):
    monkeypatch.delenv("RECEPTION_SMTP_PASSWORD", raising=False)
    write(tmp_path, mail_visit())
    with pytest.raises(MailError, match="RECEPTION_SMTP_PASSWORD"):
        send(options(tmp_path), config(tmp_path, smtp_server, user="reception"))
    assert smtp_server.handler.connections == 0


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls(tmp_path, certificate, security):
    context = server_context(certificate)
    kwargs = {"tls_context": context, "require_starttls": True} if security == "starttls" else {"ssl_context": context}
    server = start_server(**kwargs)
    try:
        write(tmp_path, mail_visit())
        cfg = config(tmp_path, server)
        cfg = replace(cfg, smtp=replace(cfg.smtp, security=security, cafile=str(certificate[0])))
        send(options(tmp_path), cfg)
        assert sorted(to for to, _ in received(server)) == EVERYONE
    finally:
        server.controller.stop()


def test_starttls_is_never_skipped(tmp_path, smtp_server):
    write(tmp_path, mail_visit())
    cfg = config(tmp_path, smtp_server)
    run = send(options(tmp_path), replace(cfg, smtp=replace(cfg.smtp, security="starttls")))
    assert smtp_server.received == []
    assert {r.error for _, r in run.mail[0].results} == {
        "the server does not offer STARTTLS; nothing was sent in clear text"}


def test_newlines_in_names_and_subject_add_no_recipient(tmp_path, smtp_server):
    rows = mail_visit()
    rows["staff"][1]["name"] = "王芳\r\nBcc: evil@example.com"
    rows["itinerary"] = [dict(i, owner="王芳\r\nBcc: evil@example.com") if i["owner"] == "王芳" else i
                         for i in rows["itinerary"]]
    rows["visits"][0]["client_org"] = "华东\r\nBcc: evil@example.com\r\nX-Evil: yes"
    rows["visits"][0]["contact_name"] = "钱红\nTo: evil@example.com"
    write(tmp_path, rows)
    send(options(tmp_path), config(tmp_path, smtp_server))
    assert sorted(to for to, _ in received(smtp_server)) == EVERYONE
    for r in smtp_server.received:
        assert b"\nBcc:" not in r.raw and b"\nX-Evil" not in r.raw
        assert r.message["Bcc"] is None and len(r.message["To"].addresses) == 1


def test_dry_run_sends_and_logs_nothing(tmp_path, smtp_server):
    write(tmp_path, mail_visit())
    run = send(options(tmp_path), config(tmp_path, smtp_server), dry_run=True)
    assert sorted(o.message.to.address for o in run.mail[0].pending) == EVERYONE
    assert smtp_server.handler.connections == 0 and log_lines(tmp_path) == []


def test_the_send_log_must_live_outside_the_output_folder(tmp_path, smtp_server):
    write(tmp_path, mail_visit())
    cfg = replace(config(tmp_path, smtp_server), sendlog=tmp_path / "output" / "sendlog.jsonl")
    with pytest.raises(MailError, match="outside the output folder"):
        send(options(tmp_path), cfg)


def test_one_send_at_a_time(tmp_path):
    log = SendLog(tmp_path / "log.jsonl")
    with log.locked():
        with pytest.raises(MailError, match="another send is running"):
            with SendLog(tmp_path / "log.jsonl").locked():
                pass


def test_a_torn_last_line_is_skipped(tmp_path):
    path = tmp_path / "log.jsonl"
    SendLog(path).record({"key": "k", "status": "sent", "digest": "d"})
    with path.open("a", encoding="utf-8") as f:
        f.write('{"key": "k", "status": "sent", "dig')
    assert SendLog(path).last_sent("k")["digest"] == "d"
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_a_nested_send_log_path_makes_owner_only_folders_whatever_the_umask(tmp_path):
    import stat
    old = os.umask(0)
    try:
        SendLog(tmp_path / "a" / "b" / "c" / "log.jsonl").record({"key": "k", "status": "sent"})
    finally:
        os.umask(old)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "a", tmp_path / "a" / "b",
                                                             tmp_path / "a" / "b" / "c")}
    assert modes == {"a": 0o700, "b": 0o700, "c": 0o700}
    assert stat.S_IMODE((tmp_path / "a" / "b" / "c" / "log.jsonl").stat().st_mode) == 0o600


def test_names_that_decode_to_addresses_add_no_recipient_to_what_is_sent(tmp_path, smtp_server):
    from test_mail_eml import assert_one_recipient, hostile_rows
    write(tmp_path, hostile_rows())
    send(options(tmp_path), config(tmp_path, smtp_server))
    assert sorted(to for to, _ in received(smtp_server)) == EVERYONE
    documents = {p.name for p in (tmp_path / "output" / "visits" / "V1").glob("*.*")}
    for r in smtp_server.received:
        assert_one_recipient(r.raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"), r.rcpt_tos[0],
                             documents | {"日程_V1.ics"})


# ---- a cancelled or removed visit: its events are cancelled, once -------------------------

def calendar_of(r, name: str = "日程_V1.ics") -> Calendar:
    return Calendar.from_ical(attachments(r.message)[name])


@pytest.mark.parametrize("how", ["cancelled", "removed"])
def test_a_cancelled_or_removed_visit_cancels_its_events_in_every_calendar_once(tmp_path, smtp_server, how):
    from workbooks import merge
    rows = merge(mail_visit("V1"), mail_visit("V2", day=20))
    write(tmp_path, rows)
    send(options(tmp_path), config(tmp_path, smtp_server))
    first = {r.rcpt_tos[0]: calendar_of(r) for r in smtp_server.received if "日程_V1.ics" in attachments(r.message)}
    assert sorted(first) == EVERYONE
    if how == "cancelled":
        rows["visits"][0]["status"] = "cancelled"
    else:
        rows = {sheet: [r for r in sheet_rows if r["visit_id"] != "V1"] for sheet, sheet_rows in rows.items()}
    write(tmp_path, rows)
    smtp_server.received.clear()
    run = send(options(tmp_path), config(tmp_path, smtp_server))
    assert sorted(to for to, _ in received(smtp_server)) == EVERYONE  # V2 unchanged: nothing for it
    for r in smtp_server.received:
        to = r.rcpt_tos[0]
        assert "V1" in r.message["Subject"] and "取消" in r.message["Subject"], r.message["Subject"]
        assert list(attachments(r.message)) == ["日程_V1.ics"]
        assert ("已取消" if how == "cancelled" else "已从接待台账中删除") in body(r.message)
        cal = calendar_of(r)
        assert cal["METHOD"] == "CANCEL"
        [part] = [p for p in r.message.iter_attachments()]
        assert part.get_param("method") == "CANCEL"
        before = {str(e["UID"]): e["SEQUENCE"] for e in first[to].walk("VEVENT")}
        after = {str(e["UID"]): e for e in cal.walk("VEVENT")}
        assert set(after) == set(before)  # the same events, each of them
        for uid, e in after.items():
            assert e["SEQUENCE"] == before[uid] + 1 and str(e["STATUS"]) == "CANCELLED"
            assert str(e["ORGANIZER"]) == f"mailto:{SENDER}" and str(e["ATTENDEE"]) == f"mailto:{to}"
    assert {o.message.kind for o, _ in run.mail[0].results} == {"cancellation"}
    assert outbox(tmp_path) == {}
    send(options(tmp_path), config(tmp_path, smtp_server))
    assert len(smtp_server.received) == 5  # once
    if how == "cancelled":  # and if the visit comes back, its events come back, updated
        rows["visits"][0]["status"] = "confirmed"
        write(tmp_path, rows)
        send(options(tmp_path), config(tmp_path, smtp_server))
        back = [r for r in smtp_server.received[5:]]
        assert sorted(r.rcpt_tos[0] for r in back) == EVERYONE
        for r in back:
            events = calendar_of(r).walk("VEVENT")
            assert events and all(str(e.get("STATUS", "")) != "CANCELLED" and e["SEQUENCE"] == 2 for e in events)


def test_a_cancellation_names_organizer_and_attendee_without_a_hostile_name_adding_anyone(tmp_path, smtp_server):
    from test_mail_eml import ATTACKER, assert_one_recipient, hostile_rows
    rows = hostile_rows()
    hostile = {old: s["name"] for old, s in zip(STAFF_EMAILS, rows["staff"])}
    for item in rows["itinerary"]:  # the staff's own items, so that their calendars have events
        item["owner"] = hostile[item["owner"]]
    write(tmp_path, rows)
    cfg = replace(config(tmp_path, smtp_server), sender_name='接待办 "x" =?utf-8?q?=3Cspy=40attacker=2Ecom=3E?=')
    send(options(tmp_path), cfg)
    with_events = sorted(r.rcpt_tos[0] for r in smtp_server.received if "日程_V1.ics" in attachments(r.message))
    assert len(with_events) == 4  # 李明, 王芳, 赵强 own items; the client has them all
    rows["visits"][0]["status"] = "cancelled"
    write(tmp_path, rows)
    smtp_server.received.clear()
    send(options(tmp_path), cfg)
    assert sorted(to for to, _ in received(smtp_server)) == with_events
    for r in smtp_server.received:
        to = r.rcpt_tos[0]
        assert_one_recipient(r.raw, to, {"日程_V1.ics"})
        ics = attachments(r.message)["日程_V1.ics"].decode("utf-8")
        assert ATTACKER not in ics
        for e in Calendar.from_ical(ics).walk("VEVENT"):
            organizer, attendee = e["ORGANIZER"], e["ATTENDEE"]
            assert str(organizer) == f"mailto:{SENDER}" and str(attendee) == f"mailto:{to}"
            assert set(organizer.params) <= {"CN"} and set(attendee.params) <= {"CN"}
            assert not any(c in organizer.params.get("CN", "") + attendee.params.get("CN", "") for c in '"@<>:;,')


def test_a_cancellation_is_drafted_like_any_message_until_it_is_sent(tmp_path, smtp_server):
    from pipeline.mail.recipe import mail
    rows = mail_visit()
    write(tmp_path, rows)
    send(options(tmp_path), config(tmp_path, smtp_server))
    rows = {sheet: [] for sheet in rows}  # every visit removed from the workbook
    rows["visits"] = [dict(mail_visit("V9", day=20)["visits"][0], approval="draft")]
    write(tmp_path, rows)
    mail(options(tmp_path), config(tmp_path, smtp_server))
    box = outbox(tmp_path)
    assert sorted(box) == sorted(f"取消通知_{a}.eml" for a in EVERYONE)  # no names known: the addresses
    msg = box["取消通知_qian.hong@example.com.eml"]
    assert msg["Subject"] == "取消：接待 V1 的日程" and msg["X-Unsent"] == "1"
    assert "接待 V1已从接待台账中删除" in body(msg)
    run = send(options(tmp_path), config(tmp_path, smtp_server), dry_run=True)
    assert sorted(o.message.to.address for o in run.mail[0].pending) == EVERYONE
    send(options(tmp_path), config(tmp_path, smtp_server))
    assert outbox(tmp_path) == {} and len(smtp_server.received) == 10


def test_a_new_company_profile_or_logo_is_a_change_of_content(tmp_path, smtp_server):
    from images import png
    from profiles import profile
    write(tmp_path, mail_visit())
    send(options(tmp_path), config(tmp_path, smtp_server))
    first = {to: subject for to, subject in received(smtp_server)}
    assert sorted(first) == EVERYONE

    def send_with(company) -> list[tuple[str, str]]:
        smtp_server.received.clear()
        send(replace(options(tmp_path), company=company), config(tmp_path, smtp_server))
        return received(smtp_server)

    company = profile(tmp_path)
    again = send_with(company)  # the letterhead, signature and organizer are new: everyone gets an update
    assert sorted(to for to, _ in again) == EVERYONE
    assert all(subject == "【更新】" + first[to] for to, subject in again)
    assert send_with(company) == []  # the same profile: nothing new
    assert send_with(profile(tmp_path, png(360, 120, (150, 20, 20)))) != []  # another logo under the same name
    assert send_with(profile(tmp_path, png(360, 120, (150, 20, 20)))) == []
