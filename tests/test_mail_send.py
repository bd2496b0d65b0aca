"""Sending to a real SMTP server on loopback (aiosmtpd): who received what, never twice,
updates after a change, failures injected by the server and retried, TLS, safety."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import timedelta

import pytest
from icalendar import Calendar
from test_mail_support import (SENDER, STAFF_EMAILS, attachments, certificate, config, mail_visit, options, outbox,
                               password_checker, server_context, smtp_server, start_server, write)
from workbooks import CLEAN_TODAY

from pipeline.mail import MailError
from pipeline.mail.recipe import send
from pipeline.mail.sendlog import SendLog

__all__ = ["certificate", "smtp_server"]  # fixtures used below

CLIENT = "qian.hong@example.com"
EVERYONE = sorted([*STAFF_EMAILS.values(), CLIENT])
PLAN = "接待方案_V1_华东精密机械有限公司.docx"


def log_lines(tmp_path) -> list[dict]:
    path = tmp_path / "state" / "sendlog.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


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
    rows["staff"][3]["department"] = "总经办"  # 陈静: in the plan and the role sheet, not in the itinerary
    write(tmp_path, rows)
    send(options(tmp_path), config(tmp_path, smtp_server))
    again = {r.rcpt_tos[0]: r for r in smtp_server.received}
    assert sorted(again) == sorted(STAFF_EMAILS.values())  # the client's itinerary did not change
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
    write(tmp_path, rows)
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
    smtp_server.handler.drop.add(STAFF_EMAILS["王芳"])
    run = send(options(tmp_path), config(tmp_path, smtp_server))
    results = {o.message.to.address: r for o, r in run.mail[0].results}
    assert results[STAFF_EMAILS["王芳"]].error.startswith("connection lost")
    assert sorted(to for to, r in results.items() if r.ok) == sorted(set(EVERYONE) - {STAFF_EMAILS["王芳"]})
    smtp_server.handler.drop.clear()
    send(options(tmp_path), config(tmp_path, smtp_server))
    assert sorted(to for to, _ in received(smtp_server)) == EVERYONE


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
