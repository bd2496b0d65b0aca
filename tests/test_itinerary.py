"""The client itinerary: what the client needs, and nothing internal (§2.5).

The confidentiality scan gives every internal or confidential value of a visit a unique
marker, renders the itinerary and looks for each marker in every part of the file.
"""

from __future__ import annotations

import io
import zipfile
import pytest

from pipeline.contract import CONFIDENTIAL_GUEST_FIELDS
from pipeline.documents.word import render_itinerary, render_plan
from extract import docx_text
from test_plan import checked, table_with
from workbooks import clean_visit, merge


# Visit fields the client must not read: internal background, approval, close-out, notes.
INTERNAL_VISIT_FIELDS = ("objective", "requester", "contact_phone", "contact_email", "org_profile",
                         "business_domain", "industry_position", "gifts", "security", "emergency", "approver",
                         "approver_email", "approval_notes", "minutes", "follow_up", "notes")


def marked_visit() -> tuple[dict, list[str]]:
    """A clean visit whose every internal value is a unique marker; and the markers."""
    rows = clean_visit("ZQXVISITIDQZ")  # the visit id is internal too
    markers: list[str] = ["ZQXVISITIDQZ"]

    def mark(row: dict, key: str, tag: str) -> None:
        value = f"ZQX{tag}{len(markers)}QZ"
        row[key] = value
        markers.append(value)

    visit = rows["visits"][0]
    for key in INTERNAL_VISIT_FIELDS:
        if key.endswith("email"):
            visit[key] = f"zqx{key}{len(markers)}@example.com"
            markers.append(visit[key])
        else:
            mark(visit, key, key)
    for i, guest in enumerate(rows["guests"]):
        for key in CONFIDENTIAL_GUEST_FIELDS:
            if key == "smoker":
                guest[key] = "是"
            else:
                mark(guest, key, f"g{i}{key}")
    for i, item in enumerate(rows["itinerary"]):
        mark(item, "notes", f"item{i}")
    for i, booking in enumerate(rows["bookings"]):
        mark(booking, "details", f"bk{i}")
        mark(booking, "reference", f"ref{i}")
    for i, person in enumerate(rows["staff"]):
        mark(person, "duties", f"duty{i}")
        person["email"] = f"zqxstaff{i}@example.com"
        markers.append(person["email"])
    return rows, markers


def other_visit() -> tuple[dict, list[str]]:
    """A second visit of the same workbook: nothing of it may appear."""
    rows = clean_visit("V9", day=20)
    rows["visits"][0].update(client_org="ZQXOTHERCLIENTQZ", theme="ZQXOTHERTHEMEQZ")
    rows["itinerary"][2]["activity"] = "ZQXOTHERACTIVITYQZ"
    rows["bookings"][1]["resource"] = "ZQXOTHERHOTELQZ"
    return rows, ["ZQXOTHERCLIENTQZ", "ZQXOTHERTHEMEQZ", "ZQXOTHERACTIVITYQZ", "ZQXOTHERHOTELQZ"]


def all_parts_text(data: bytes) -> dict[str, str]:
    """Every part of the .docx, decoded: the XML parts as text, any other part as far as
    it decodes."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name).decode("utf-8", errors="replace") for name in z.namelist()}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_itinerary_carries_no_confidential_or_internal_value(tmp_path, std, templates, lang):
    rows, markers = marked_visit()
    other, other_markers = other_visit()
    vr, result = checked(tmp_path, merge(rows, other), std, lang)
    assert vr.visit.id == "ZQXVISITIDQZ"
    data = render_itinerary(vr, result, std, lang, templates["itinerary"])
    parts = all_parts_text(data)
    assert "word/document.xml" in parts
    for marker in markers + other_markers:
        for name, text in parts.items():
            assert marker.lower() not in text.lower(), f"{marker} leaked into {name}"
    text = docx_text(data)
    for word in ("吸烟", "smok", "民族", "ethnic", "饮食", "dietary", "审批", "approv", "§"):
        assert word not in text.lower(), word
    for finding in vr.findings:
        assert finding.message not in text


def test_itinerary_carries_no_finding(tmp_path, std, templates):
    rows = clean_visit()
    rows["visits"][0]["security"] = None
    rows["guests"][1]["dietary"] = None
    vr, result = checked(tmp_path, rows, std)
    assert vr.count("error")
    text = docx_text(render_itinerary(vr, result, std, "zh", templates["itinerary"]))
    for finding in vr.findings:
        assert finding.message not in text
    assert "草稿" not in text and "待补充" not in text and "未填写" not in text


@pytest.mark.parametrize("lang, expected", [
    ("zh", ["行程安排", "尊敬的华东精密机械有限公司各位来宾：", "“深化合作 共赢未来”",
            "2027年3月10日 星期三 – 2027年3月11日 星期四", "2027年3月10日 星期三 09:30  MU5101",
            "虹桥机场T2", "李明　主接待人　销售部", "锦江酒店", "021-5555", "迎接：李明"]),
    ("en", ["Your visit itinerary", "Dear guests from 华东精密机械有限公司,", "Wed 10 Mar 2027 – Thu 11 Mar 2027",
            "Meeting point", "李明, Main host, 销售部", "锦江酒店", "021-5555", "Met by 李明"]),
])
def test_itinerary_tells_the_client_what_they_need(tmp_path, std, templates, lang, expected):
    vr, result = checked(tmp_path, clean_visit(), std, lang)
    text = docx_text(render_itinerary(vr, result, std, lang, templates["itinerary"]))
    for value in expected:
        assert value in text, value
    for activity in ("机场接机", "合作会谈", "欢迎晚宴", "参观生产线", "送机"):
        assert activity in text
    assert "赵强" not in text  # item owners are internal; only the one who meets them is named


def test_schedule_without_owners_in_time_order(tmp_path, std, templates):
    rows = clean_visit()
    rows["itinerary"].reverse()
    vr, result = checked(tmp_path, rows, std)
    table = table_with(render_itinerary(vr, result, std, "zh", templates["itinerary"]), "活动内容")
    assert table[0] == ["时间", "活动内容", "地点"]
    assert table[1][0] == "2027年3月10日 星期三"
    assert table[2] == ["08:30–09:45", "机场接机\n迎接：李明", "虹桥机场T2"]
    assert table[-1] == ["14:00–15:00", "送机", "虹桥机场T2"]


def test_unknown_hotel_and_host_read_as_to_be_confirmed(tmp_path, std, templates):
    rows = clean_visit()
    rows["bookings"] = [b for b in rows["bookings"] if b["kind"] != "hotel"]
    rows["staff"][0]["role"] = "escort"  # no main host
    vr, result = checked(tmp_path, rows, std)
    text = docx_text(render_itinerary(vr, result, std, "zh", templates["itinerary"]))
    assert "入住酒店\n待定" in text
    assert "联系人\n待定" in text
    assert "迎接人员\n赵强　司机　行政部" in text  # the pick-up's owner meets them


def test_the_pick_up_names_who_meets_the_guests(tmp_path, std, templates):
    rows = clean_visit()
    rows["itinerary"][0]["attendees"] = None  # the host does not go to the airport
    vr, result = checked(tmp_path, rows, std)
    text = docx_text(render_itinerary(vr, result, std, "zh", templates["itinerary"]))
    assert "迎接人员\n赵强　司机　行政部" in text and "迎接：赵强" in text
    assert "联系人\n李明" in text


def test_the_markers_reach_the_internal_plan(tmp_path, std, templates):
    """The scan is only as good as its markers: the plan, built from the same visit,
    shows them (all but the fields no document prints)."""
    rows, markers = marked_visit()
    vr, result = checked(tmp_path, rows, std)
    parts = all_parts_text(render_plan(vr, result, std, "zh", templates["plan"]))
    plan = "\n".join(parts.values())
    unprinted = ("minutes", "follow_up", "approver_email", "zqxstaff")
    missing = [m for m in markers if m not in plan and not any(u in m for u in unprinted)]
    assert missing == []
    assert len(markers) > 40


def test_no_hotel_row_for_a_day_visit(tmp_path, std, templates):
    rows = clean_visit()
    rows["bookings"] = [b for b in rows["bookings"] if b["kind"] != "hotel"]
    rows["visits"][0]["accommodation"] = "否"
    vr, result = checked(tmp_path, rows, std)
    text = docx_text(render_itinerary(vr, result, std, "zh", templates["itinerary"]))
    assert "入住酒店" not in text


# ---- internal items (contract v2: client_facing = no) -----------------------------------------

PRE_MEETING = "ZQXPREMEETINGQZ 接待预备会"


def with_pre_meeting() -> dict:
    """The clean visit with the staff's internal pre-meeting the evening before arrival."""
    from datetime import date, time
    rows = clean_visit()
    rows["itinerary"].append(dict(visit_id="V1", date=date(2027, 3, 9), start=time(17), end=time(17, 30),
                                  kind="meeting", activity=PRE_MEETING, location="ZQXROOMQZ 销售部小会议室",
                                  owner="李明", attendees="陈静、王芳", client_facing="否", seating="不排座"))
    return rows


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_internal_item_stays_out_of_the_client_itinerary_and_in_the_plan(tmp_path, std, templates, lang):
    vr, result = checked(tmp_path, with_pre_meeting(), std, lang)
    assert vr.findings == []  # held the day before arrival with no room booked: fine for an internal item
    itinerary = all_parts_text(render_itinerary(vr, result, std, lang, templates["itinerary"]))
    for name, text in itinerary.items():
        assert "ZQXPREMEETINGQZ" not in text and "ZQXROOMQZ" not in text, name
    assert "2027" in docx_text(render_itinerary(vr, result, std, lang, templates["itinerary"]))
    plan = docx_text(render_plan(vr, result, std, lang, templates["plan"]))
    mark = "【内部】" if lang == "zh" else "[Internal] "
    assert mark + PRE_MEETING in plan and "ZQXROOMQZ" in plan


def test_an_internal_item_is_on_its_staff_run_sheets(tmp_path, std):
    from io import BytesIO

    import openpyxl

    from pipeline.documents.roles import render_roles
    vr, result = checked(tmp_path, with_pre_meeting(), std)
    book = openpyxl.load_workbook(BytesIO(render_roles(vr, result, std, "zh")))
    for person in ("李明", "陈静", "王芳"):
        assert any(PRE_MEETING in (c or "") for row in book[person].iter_rows(values_only=True) for c in row), person
    assert not any(PRE_MEETING in (c or "") for row in book["赵强"].iter_rows(values_only=True) for c in row)


def test_an_internal_item_stays_out_of_the_clients_calendar_and_in_the_staffs(tmp_path, std):
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    from test_mail_support import STAFF_EMAILS

    from pipeline.documents.batch import visit_files
    from pipeline.mail.calendar import ics_bytes, item_events, sequences
    from pipeline.mail.messages import plan_messages
    rows = with_pre_meeting()
    for person in rows["staff"]:
        person["email"] = STAFF_EMAILS.get(person["name"], person.get("email"))
    vr, result = checked(tmp_path, rows, std)
    messages, _ = plan_messages(result, visit_files(result))
    client = next(m for m in messages if m.kind == "itinerary")
    staff = {m.to.name: m for m in messages if m.kind == "briefing"}
    assert PRE_MEETING not in [i.activity for i in client.items] and len(client.items) == 8
    assert PRE_MEETING in [i.activity for i in staff["陈静"].items]

    def ics(message, person=None) -> bytes:
        events = item_events(result.workbook.name, vr.visit, message.items, "zh", person)
        return ics_bytes(events, sequences(events, {}), ZoneInfo("Asia/Shanghai"), "V1",
                         datetime(2027, 3, 5, tzinfo=timezone.utc))
    assert b"ZQXPREMEETINGQZ" not in ics(client) and b"ZQXROOMQZ" not in ics(client)
    assert b"ZQXPREMEETINGQZ" in ics(staff["陈静"], {"陈静"})
