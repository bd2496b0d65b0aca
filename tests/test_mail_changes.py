"""Updates that say what changed for each recipient (pipeline/versions/views.py through
pipeline/mail/compose.py), read back from the drafts; nothing for whoever a change does
not concern; the approver gets a plan changed since approval; and an end-to-end run over
a real SMTP server with three edits of one workbook."""

from __future__ import annotations

import json
import re
from datetime import date, time

import pytest
from icalendar import Calendar
from test_mail_support import (STAFF_EMAILS, attachments, body, config, mail_visit, options, outbox, reapprove,
                               smtp_server, write)

from pipeline.contract import ITINERARY
from pipeline.mail.recipe import mail, send

__all__ = ["smtp_server"]
CLIENT = "qian.hong@example.com"
APPROVER = "li.zong@example.com"


def changes_listed(text: str, heading: str) -> list[str]:
    """The lines of the list under `heading` (up to the blank line that ends it)."""
    after = text.split(heading + "\n", 1)[1]
    return [line[2:] for line in after.split("\n\n", 1)[0].split("\n") if line.startswith("- ")]


def first_send(tmp_path, smtp_server, rows):
    write(tmp_path, rows)
    run = send(options(tmp_path), config(tmp_path, smtp_server))
    assert len(run.mail[0].results) == 5 and all(r.ok for _, r in run.mail[0].results)


def edit_for_everyone(rows: dict) -> dict:
    """The meeting (李明 owns it, 王芳 and 陈静 attend) an hour later in another room; the
    breakfast (李明's) dropped; the tour (王芳's) in another workshop. 赵强 drives: none of it
    is his."""
    rows["itinerary"][2].update(start=time(15, 0), end=time(16, 30), location="B205会议室")
    del rows["itinerary"][4]
    rows["itinerary"][4]["location"] = "三号厂房"  # the tour (after the deletion, index 4)
    return rows


def test_each_recipient_gets_exactly_their_changes(tmp_path, smtp_server):
    rows = mail_visit()
    first_send(tmp_path, smtp_server, rows)
    write(tmp_path, reapprove(edit_for_everyone(rows), 3))
    run = mail(options(tmp_path), config(tmp_path, smtp_server))
    drafts = outbox(tmp_path)
    assert sorted(drafts) == ["内部通报_李明.eml", "内部通报_王芳.eml", "内部通报_陈静.eml", "客户行程_钱红.eml"]
    assert run.mail[0].untouched == 1  # 赵强: no draft, no message
    meeting = "调整：合作会谈：2027年3月10日 星期三 14:00–16:00 · A301会议室 → 2027年3月10日 星期三 15:00–16:30 · B205会议室"
    staff = {name: changes_listed(body(drafts[f"内部通报_{name}.eml"]), "与您有关的改动：") for name in ("李明", "王芳", "陈静")}
    assert staff == {
        "李明": [meeting, "删除：2027年3月11日 星期四 07:30–08:30 · 早餐 · 酒店早餐（负责）"],
        "王芳": [meeting, "调整：参观生产线：2027年3月11日 星期四 09:00–10:30 · 二号厂房 → 2027年3月11日 星期四 09:00–10:30 · 三号厂房"],
        "陈静": [meeting]}
    for name in staff:
        assert drafts[f"内部通报_{name}.eml"]["Subject"].startswith("【更新】接待通报：V1")
    client = body(drafts["客户行程_钱红.eml"])
    assert changes_listed(client, "有以下调整：") == [
        "调整：合作会谈：2027年3月10日 星期三 14:00–16:00 · A301会议室 → 2027年3月10日 星期三 15:00–16:30 · B205会议室",
        "调整：参观生产线：2027年3月11日 星期四 09:00–10:30 · 二号厂房 → 2027年3月11日 星期四 09:00–10:30 · 三号厂房",
        "删除：2027年3月11日 星期四 07:30–08:30 · 早餐 · 酒店早餐"]
    assert "负责" not in client.split("完整行程如下：")[0]  # the client is told no staff part


def test_the_approver_gets_a_plan_changed_since_approval_and_nobody_else_gets_anything(tmp_path, smtp_server):
    rows = mail_visit()
    first_send(tmp_path, smtp_server, rows)
    rows["itinerary"][2]["start"] = time(14, 30)
    rows["guests"][1]["dietary"] = "素食"  # confidential (§2.5): named, never its value
    write(tmp_path, rows)
    run = mail(options(tmp_path), config(tmp_path, smtp_server))
    drafts = outbox(tmp_path)
    assert sorted(drafts) == ["方案报批_李总.eml"]
    assert ("V1", None, "changed_since_approval", None) in [(s.visit_id, s.kind, s.reason, s.row) for s in run.mail[0].skips]
    text = body(drafts["方案报批_李总.eml"])
    assert changes_listed(text, "本方案于 2027年3月1日 星期一 批准，此后有以下改动（方案中“批准后的改动”一节列有详情）：") == [
        "【来宾】改动：周敏（采购经理）：饮食禁忌有改动（保密，见来宾名单）",
        "【行程】改动：3月10日 14:30–16:00 合作会谈：开始：14:00 → 开始：14:30"]
    assert "素食" not in drafts["方案报批_李总.eml"].as_string()
    assert [a for a in attachments(drafts["方案报批_李总.eml"])] == ["接待方案_V1_华东精密机械有限公司.docx"]


def test_a_change_that_touches_nobody_sends_nothing_to_anyone(tmp_path, smtp_server):
    rows = mail_visit()
    first_send(tmp_path, smtp_server, rows)
    rows["staff"][3]["department"] = "总经办"  # in the plan and the role sheet; nobody's run sheet or itinerary
    rows["guests"][0]["preferences"] = "喜欢红茶"
    write(tmp_path, reapprove(rows, 3))
    run = send(options(tmp_path), config(tmp_path, smtp_server))
    assert len(smtp_server.received) == 5 and run.mail[0].results == []
    assert (run.mail[0].untouched, run.mail[0].unchanged) == (4, 1)  # the staff's plan changed; the client's not
    assert outbox(tmp_path) == {}


@pytest.mark.skipif("client_facing" not in {c.key for c in ITINERARY.columns},
                    reason="the itinerary's client_facing column (contract v2) is not on this branch yet")
def test_an_internal_item_changed_concerns_its_staff_and_never_the_client(tmp_path, smtp_server):
    rows = mail_visit()
    rows["itinerary"].insert(0, dict(visit_id="V1", date=date(2027, 3, 10), start=time(7, 30), end=time(8, 0),
                                     kind="other", activity="内部碰头会", location="B101会议室", owner="李明",
                                     attendees="赵强", client_facing="否"))
    first_send(tmp_path, smtp_server, rows)
    rows["itinerary"][0].update(start=time(7, 0), end=time(7, 30), location="B102会议室")
    write(tmp_path, reapprove(rows, 3))
    run = send(options(tmp_path), config(tmp_path, smtp_server))
    got = {r.rcpt_tos[0]: r.message for r in smtp_server.received[5:]}
    assert sorted(got) == sorted([STAFF_EMAILS["李明"], STAFF_EMAILS["赵强"]])
    assert changes_listed(body(got[STAFF_EMAILS["赵强"]]), "与您有关的改动：") == [
        "调整：内部碰头会：2027年3月10日 星期三 07:30–08:00 · B101会议室 → 2027年3月10日 星期三 07:00–07:30 · B102会议室"]
    assert run.mail[0].untouched == 2  # 王芳, 陈静; the client's itinerary never had it
    assert run.mail[0].unchanged == 1


def test_someone_taken_off_the_visit_gets_their_events_cancelled(tmp_path, smtp_server):
    rows = mail_visit()
    first_send(tmp_path, smtp_server, rows)
    rows["itinerary"][2]["attendees"] = "王芳"  # 陈静 no longer at the meeting ...
    rows["staff"] = [s for s in rows["staff"] if s["name"] != "陈静"]  # ... nor on the visit
    rows["bookings"][0]["owner"] = None
    rows["preparation"][0]["prep_owner"] = "李明"
    write(tmp_path, reapprove(rows, 3))
    send(options(tmp_path), config(tmp_path, smtp_server))
    to_her = [r for r in smtp_server.received[5:] if r.rcpt_tos == [STAFF_EMAILS["陈静"]]]
    assert [r.message["Subject"] for r in to_her] == ["取消：接待 V1 华东精密机械有限公司 的日程"]
    assert "您不再参与其中的安排" in body(to_her[0].message)
    cal = Calendar.from_ical(attachments(to_her[0].message)["日程_V1.ics"])
    assert str(cal["METHOD"]) == "CANCEL"
    assert {str(e["STATUS"]) for e in cal.walk("VEVENT")} == {"CANCELLED"} and len(cal.walk("VEVENT")) == 1
    again = send(options(tmp_path), config(tmp_path, smtp_server))  # once
    assert again.mail[0].results == []


def test_an_update_without_the_version_last_sent_says_only_that_the_documents_changed(tmp_path, smtp_server):
    rows = mail_visit()
    first_send(tmp_path, smtp_server, rows)
    log = tmp_path / "state" / "sendlog.jsonl"
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert all(re.fullmatch(r"[0-9a-f]{32}", line["version"]) for line in lines)  # each names its version
    log.write_text("".join(json.dumps({k: v for k, v in line.items() if k != "version"}) + "\n" for line in lines),
                   encoding="utf-8")  # a send log from before versions were kept
    rows["itinerary"][2]["start"] = time(14, 30)
    write(tmp_path, reapprove(rows, 3))
    send(options(tmp_path), config(tmp_path, smtp_server))
    received = {r.rcpt_tos[0]: body(r.message) for r in smtp_server.received[5:]}
    assert sorted(received) == sorted([CLIENT, *STAFF_EMAILS.values()])  # as before: everyone whose documents changed
    assert "与您有关的改动" not in received[STAFF_EMAILS["李明"]] and "本次接待的资料有更新" in received[STAFF_EMAILS["李明"]]


def events(message) -> dict[str, tuple[str, int, str]]:
    """SUMMARY -> (STATUS, SEQUENCE, DTSTART) of the calendar the message carries."""
    cal = Calendar.from_ical(attachments(message)["日程_V1.ics"])
    return {str(e["SUMMARY"]): (str(e.get("STATUS", "")), int(e["SEQUENCE"]), e.decoded("DTSTART").strftime("%d %H:%M"))
            for e in cal.walk("VEVENT")}


def test_three_edits_of_one_workbook_over_a_real_smtp_server(tmp_path, smtp_server):
    """Sent once; then (1) the meeting moved, not approved again: only the approver hears;
    re-approved: its people and the client get it, each told what changed, their events
    updated in place; (2) an item added and approved at once: only its owner and the client;
    (3) an item removed: its event cancelled for its owner and the client, nobody else."""
    rows = mail_visit()
    first_send(tmp_path, smtp_server, rows)
    seen = 5
    uids = {r.rcpt_tos[0]: {str(e["SUMMARY"]): str(e["UID"]) for e in Calendar.from_ical(
        attachments(r.message)["日程_V1.ics"]).walk("VEVENT")} for r in smtp_server.received if r.rcpt_tos[0] != APPROVER}

    def new_messages():
        nonlocal seen
        got = {r.rcpt_tos[0]: r.message for r in smtp_server.received[seen:]}
        assert len(got) == len(smtp_server.received) - seen  # one message each
        seen = len(smtp_server.received)
        return got

    # (1) the meeting half an hour later, not approved again
    rows["itinerary"][2]["start"] = time(14, 30)
    write(tmp_path, rows)
    send(options(tmp_path), config(tmp_path, smtp_server))
    got = new_messages()
    assert list(got) == [APPROVER] and "开始：14:00 → 开始：14:30" in body(got[APPROVER])
    write(tmp_path, reapprove(rows, 3))
    send(options(tmp_path), config(tmp_path, smtp_server))
    got = new_messages()
    assert sorted(got) == sorted([CLIENT, STAFF_EMAILS["李明"], STAFF_EMAILS["王芳"], STAFF_EMAILS["陈静"]])
    for to, message in got.items():
        assert message["Subject"].startswith("【更新】")
        assert "合作会谈：2027年3月10日 星期三 14:00–16:00 · A301会议室 → 2027年3月10日 星期三 14:30–16:00 · A301会议室" in body(message)
        cal = events(message)
        assert cal["合作会谈"] == ("", 1, "10 14:30")  # updated in place
        assert {s for name, (_, s, _) in cal.items() if name != "合作会谈"} <= {0}
        assert str(next(e["UID"] for e in Calendar.from_ical(attachments(message)["日程_V1.ics"]).walk("VEVENT")
                        if str(e["SUMMARY"]) == "合作会谈")) == uids[to]["合作会谈"]

    # (2) a product demonstration added on the second day, 王芳's, approved with it
    rows["itinerary"].append(dict(visit_id="V1", date=date(2027, 3, 11), start=time(10, 45), end=time(11, 30),
                                  kind="other", activity="产品演示", location="展厅", owner="王芳"))
    write(tmp_path, reapprove(rows, 4))
    send(options(tmp_path), config(tmp_path, smtp_server))
    got = new_messages()
    assert sorted(got) == sorted([CLIENT, STAFF_EMAILS["王芳"]])
    assert changes_listed(body(got[STAFF_EMAILS["王芳"]]), "与您有关的改动：") == [
        "新增：2027年3月11日 星期四 10:45–11:30 · 产品演示 · 展厅（负责）"]
    assert changes_listed(body(got[CLIENT]), "有以下调整：") == ["新增：2027年3月11日 星期四 10:45–11:30 · 产品演示 · 展厅"]
    for message in got.values():
        cal = events(message)
        assert cal["产品演示"] == ("", 0, "11 10:45") and cal["合作会谈"][1] == 1  # a new event; the others as they were

    # (3) the working lunch (李明's) dropped
    rows["itinerary"] = [i for i in rows["itinerary"] if i["activity"] != "工作午餐"]
    write(tmp_path, reapprove(rows, 5))
    send(options(tmp_path), config(tmp_path, smtp_server))
    got = new_messages()
    assert sorted(got) == sorted([CLIENT, STAFF_EMAILS["李明"]])
    assert changes_listed(body(got[STAFF_EMAILS["李明"]]), "与您有关的改动：") == [
        "删除：2027年3月11日 星期四 12:00–13:00 · 工作午餐 · 公司食堂（负责）"]
    for to, message in got.items():
        cal = Calendar.from_ical(attachments(message)["日程_V1.ics"])
        lunch = [e for e in cal.walk("VEVENT") if str(e["UID"]) == uids[to]["工作午餐"]]
        assert [(str(e["STATUS"]), int(e["SEQUENCE"])) for e in lunch] == [("CANCELLED", 1)]
    assert send(options(tmp_path), config(tmp_path, smtp_server)).mail[0].results == []  # and nothing twice
