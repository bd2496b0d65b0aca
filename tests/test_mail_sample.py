"""`mail` on the sample workbook: every .eml parsed back and checked against the workbook:
recipients, subjects, attachments (the built files themselves), calendars, and bodies free
of the sample's confidential guest values."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from test_mail_support import attachments, body, parse
from test_sample import SAMPLE, TODAY

from pipeline.contract import CONFIDENTIAL_GUEST_FIELDS
from pipeline.reader import read_workbook
from pipeline.documents.pdf import find_soffice
from pipeline.protocol.people import layout_of
from pipeline.standard import load_standard

pytestmark = pytest.mark.slow  # every test here runs the command line in another process

ROOT = Path(__file__).resolve().parents[1]
PREFIX = {"内部通报": "briefing", "客户行程": "itinerary", "方案报批": "approval"}


@pytest.fixture(scope="module")
def mailed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sample-mail")
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECEPTION_")}
    r = subprocess.run([sys.executable, "-m", "pipeline", "mail", "--input", str(SAMPLE), "--output", "output",
                        "--today", TODAY.isoformat()], capture_output=True, text=True, cwd=folder, timeout=600,
                       env={**env, "PYTHONPATH": str(ROOT), "RECEPTION_MAIL_FROM": "reception@example.com"})
    assert r.returncode in (0, 1), r.stderr  # 1: the sample has error-level findings by design
    out = folder / "output" / SAMPLE.stem
    drafts = {}
    for path in sorted(out.glob("*/outbox/*.eml")):
        drafts.setdefault(path.parent.parent.name, {})[path.name] = parse(path)
    return r, out, drafts, read_workbook(SAMPLE, load_standard())


def expected(visit) -> set[tuple[str, str]]:
    """(kind, address) the sample calls for on TODAY, from the workbook itself."""
    v = visit.record
    departure = v.departure.date() if v.departure else None
    if v.status in ("completed", "cancelled") or (departure and departure < TODAY):
        return set()
    if v.approval == "approved":
        return {("briefing", s.email) for s in visit.staff if s.email} | \
            ({("itinerary", v.contact_email)} if v.contact_email else set())
    if v.approval == "submitted" and v.approver_email:
        return {("approval", v.approver_email)}
    return set()


def test_every_visit_gets_exactly_the_messages_it_calls_for(mailed):
    _, _, drafts, wb = mailed
    for vid, visit in wb.visits.items():
        got = {(PREFIX[name.split("_")[0]], msg["To"].addresses[0].addr_spec)
               for name, msg in drafts.get(vid, {}).items()}
        assert got == expected(visit), vid
    assert sum(len(d) for d in drafts.values()) == sum(len(expected(v)) for v in wb.visits.values()) == 37


def forms(kind: str, document: str) -> tuple[str, ...]:
    """The files a document goes as: with LibreOffice there, the client gets the PDF and
    staff the PDF and the file (every visit with mail is upcoming, so has PDFs)."""
    source = ".xlsx" if document == "人员分工" else ".docx"
    if find_soffice() is None or document == "座次与桌签":  # the seating document has no PDF copy
        return (source,)
    return (".pdf", source) if kind == "briefing" else (".pdf",)


def test_headers_subjects_and_attachments(mailed):
    _, out, drafts, wb = mailed
    for vid, box in drafts.items():
        visit = wb.visits[vid]
        client = visit.record.client_org
        for name, msg in box.items():
            kind = PREFIX[name.split("_")[0]]
            assert len(msg["To"].addresses) == 1 and msg["X-Unsent"] == "1"
            assert msg["From"].addresses[0].addr_spec == "reception@example.com"
            assert client in msg["Subject"]
            assert msg["Subject"].startswith({"briefing": f"接待通报：{vid} ", "itinerary": "来访行程："}[kind])
            files = attachments(msg)
            docs = {n for n in files if not n.endswith(".ics")}
            wanted = {"briefing": ("接待方案", "人员分工"), "itinerary": ("客户行程",)}[kind]
            staff = {s.name for s in visit.staff if s.email == msg["To"].addresses[0].addr_spec}
            if kind == "briefing" and any(layout_of(i) and staff & {i.owner, *(i.attendees or ())}
                                          for i in visit.items):
                wanted += ("座次与桌签",)  # seated at an item with a seating plan (none for one marked 不排座)
            assert docs == {f"{w}_{vid}_{client}{suffix}" for w in wanted for suffix in forms(kind, w)}, name
            for n in docs:
                assert files[n] == (out / vid / n).read_bytes()


def test_calendars_parse_and_carry_the_right_events(mailed):
    _, _, drafts, wb = mailed
    shanghai = ZoneInfo("Asia/Shanghai")
    checked = 0
    for vid, box in drafts.items():
        visit = wb.visits[vid]
        for name, msg in box.items():
            staff = [s for s in visit.staff if s.email == msg["To"].addresses[0].addr_spec]
            names = {s.name for s in staff}
            items = [i for i in visit.items if i.date and i.start and  # the client's: no internal item
                     (i.owner in names or names & set(i.attendees or ()) if staff else i.client_facing is not False)]
            events = Calendar.from_ical(attachments(msg)[f"日程_{vid}.ics"]).walk("VEVENT") if items else []
            assert sorted((e.decoded("DTSTART").replace(tzinfo=None), str(e["SUMMARY"])) for e in events) == \
                sorted((datetime.combine(i.date, i.start), i.activity) for i in items), name
            assert all(e.decoded("DTSTART").tzinfo == shanghai and e["SEQUENCE"] == 0 for e in events)
            checked += len(events)
    assert checked > 100


def test_bodies_carry_no_confidential_guest_value(mailed):
    _, _, drafts, wb = mailed
    checked = 0
    for vid, box in drafts.items():
        visit = wb.visits[vid]
        secrets = {str(g.values[k]) for g in visit.guests for k in CONFIDENTIAL_GUEST_FIELDS
                   if k != "smoker" and g.values.get(k) is not None}
        shown = " ".join(str(x) for item in visit.items for x in (item.activity, item.location) if x)
        secrets = {s for s in secrets if len(s) >= 2 and s not in shown}
        for name, msg in box.items():
            text = msg["Subject"] + body(msg)
            for secret in secrets:
                assert secret not in text, (vid, name, secret)
                checked += 1
    assert checked > 100


def test_the_terminal_shows_no_names(mailed):
    r, _, _, wb = mailed
    shown = r.stdout + r.stderr
    people = {s.name for v in wb.visits.values() for s in v.staff} | \
        {g.name for v in wb.visits.values() for g in v.guests} | \
        {v.record.contact_name for v in wb.visits.values()} - {None}
    assert [p for p in people if p and p in shown] == []
    assert "JD-2027-011：来访表第 14 行没有邮箱地址，方案报批无法发送" in r.stdout
