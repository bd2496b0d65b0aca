"""The role assignment workbook: summary of duties, one run sheet per person, print setup,
safe sheet names, text that stays text, no confidential guest data."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from datetime import date
from io import BytesIO

import openpyxl
import pytest

from extract import to_pdf

from pipeline.checks import check_workbook
from pipeline.documents import roles
from pipeline.documents.roles import MAX_SHEET_NAME, render_roles, sheet_names
from pipeline.errors import TemplateError
from pipeline.i18n import fill, t, texts
from pipeline.reader import read_workbook
from pipeline.standard import load_standard
from workbooks import CLEAN_TODAY, clean_visit, write_workbook

STD = load_standard()


def render(tmp_path, rows=None, lang="zh", edit=None):
    """(xlsx bytes, openpyxl workbook) for the first visit of `rows` (default: clean_visit())."""
    path = write_workbook(tmp_path / f"w_{lang}.xlsx", rows or clean_visit(), lang=lang)
    result = check_workbook(read_workbook(path, STD), STD, CLEAN_TODAY)
    vr = result.visits[0]
    if edit:
        edit(vr.visit)
    data = render_roles(vr, result, STD, lang)
    return data, openpyxl.load_workbook(BytesIO(data))


def summary(wb, lang="zh") -> dict[str, dict]:
    """name -> {role, department, phone, duties: [(text, source)]} from the summary sheet."""
    ws = wb[t(lang, "roles.summary_sheet")]
    people: dict[str, dict] = {}
    current = None
    for row in ws.iter_rows(min_row=3, values_only=True):
        name, role, department, phone, email, duty, source = row
        if name:
            current = people.setdefault(name, {"role": role, "department": department, "phone": phone,
                                               "duties": []})
        current["duties"].append((duty, source))
    return people


def run_rows(wb, sheet: str) -> list[tuple]:
    """(date, time, what, place, part, contacts, details) of a run sheet, top to bottom."""
    return [tuple(c or "" for c in row) for row in wb[sheet].iter_rows(min_row=3, values_only=True)]


def duty_texts(lang: str, role: str, **params) -> list[str]:
    return [fill(d["text"], **params) for d in texts(lang)["duties"][role]]


# ---- summary sheet ----------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_summary_lists_every_staff_member_with_role_and_standard_duties(tmp_path, lang):
    _, wb = render(tmp_path, lang=lang)
    people = summary(wb, lang)
    assert list(people) == ["李明", "王芳", "赵强", "陈静"]
    roles = texts(lang)
    assert people["李明"]["role"] == ("主接待人" if lang == "zh" else "Main host")
    assert people["李明"]["department"] == "销售部" and people["李明"]["phone"] == "021-5555"
    assert people["赵强"]["role"] == ("司机" if lang == "zh" else "Driver")

    host = people["李明"]["duties"]
    expected = duty_texts(lang, "host", meeting_point="虹桥机场T2", wait_minutes=30)
    assert [d for d, _ in host] == expected  # the visit has meals: the meal duties apply
    assert [s for _, s in host] == ["§4.1.1", "§4.1.2", "§4.2.2", "§4.3.1", "§4.3.2"]
    assert "虹桥机场T2" in host[0][0] and "30" in host[0][0]

    driver = people["赵强"]["duties"]
    assert [d for d, _ in driver] == duty_texts(lang, "driver")
    assert {s for _, s in driver} == {"§4.1.4"}
    minutes = people["陈静"]["duties"]
    assert minutes == [(d, "§4.2.3") for d in duty_texts(lang, "minutes")]
    assert roles["duties"]["guide"][0]["clause"] == "4.2.4"
    assert people["王芳"]["duties"][0][1] == "§4.2.4"


def test_workbook_duties_follow_the_standard_ones(tmp_path):
    rows = clean_visit()
    rows["staff"][0]["duties"] = "负责与客户高层沟通\n会后整理纪要并分发"
    _, wb = render(tmp_path, rows)
    host = summary(wb)["李明"]["duties"]
    assert host[-1] == ("负责与客户高层沟通\n会后整理纪要并分发", t("zh", "roles.workbook_duty"))
    assert len(host) == 6


def test_ashtray_duty_only_when_a_guest_smokes(tmp_path):
    rows = clean_visit()
    rows["staff"].append(dict(visit_id="V1", name="小刘", role="logistics", department="行政部"))
    _, wb = render(tmp_path, rows)
    assert not any("烟灰缸" in d for d, _ in summary(wb)["小刘"]["duties"])

    rows["guests"][1]["smoker"] = "是"
    _, wb = render(tmp_path, rows)
    duties = summary(wb)["小刘"]["duties"]
    assert any("烟灰缸" in d and s == "§4.2.3" for d, s in duties)
    assert duties[0][1] == "§4.2.1"


def test_meal_duties_only_when_the_itinerary_has_meals(tmp_path):
    rows = clean_visit()
    rows["itinerary"] = [i for i in rows["itinerary"] if i["kind"] != "meal"]
    _, wb = render(tmp_path, rows)
    sources = [s for _, s in summary(wb)["李明"]["duties"]]
    assert sources == ["§4.1.1", "§4.1.2", "§4.2.2"]


def test_an_unknown_duty_condition_names_the_locale_entry(tmp_path, monkeypatch):
    duties = {**texts("zh")["duties"], "driver": [{"clause": "4.1.4", "text": "x", "when": "raining"}]}
    monkeypatch.setattr(roles, "texts", lambda lang: {**texts(lang), "duties": duties})
    with pytest.raises(TemplateError) as e:
        render(tmp_path)
    assert e.value.field == "duties.driver.when" and "raining" in str(e.value)


# ---- run sheets --------------------------------------------------------------------------

def test_one_run_sheet_per_staff_member(tmp_path):
    _, wb = render(tmp_path)
    assert wb.sheetnames == ["人员分工", "李明", "王芳", "赵强", "陈静"]


def test_host_run_sheet_has_owned_and_attended_items_in_time_order(tmp_path):
    _, wb = render(tmp_path)
    rows = run_rows(wb, "李明")
    owner, attending, host = t("zh", "roles.owner"), t("zh", "roles.attending"), "主接待人"
    wait = t("zh", "roles.host_wait")
    assert [(r[1], r[2], r[4]) for r in rows] == [
        ("08:00", wait, host),  # §4.1.1: 30 minutes before the pick-up starts, which meets the 09:30 arrival
        ("08:30–09:45", "机场接机", attending),
        ("14:00–16:00", "合作会谈", owner),
        ("18:00–20:00", "欢迎晚宴", owner),
        ("07:30–08:30", "早餐", owner),
        ("12:00–13:00", "工作午餐", owner),
        ("14:00–15:00", "送机", attending),
    ]
    assert rows[0][0] == "2027年3月10日 星期三" and rows[-1][0] == "2027年3月11日 星期四"
    assert rows[0][3] == rows[1][3] == "虹桥机场T2"
    # the item owner's name and the client's contact, for the host
    assert "赵强" in rows[1][5] and "钱红 13800138000" in rows[1][5]
    assert "钱红 13800138000" in rows[2][5]
    assert "机场接机" in rows[0][6] and "MU5101" in rows[0][6] and "09:30" in rows[0][6]


@pytest.mark.parametrize("lang, pickup, transfer", [
    ("zh", "乘车座次（§4.1.4，尊者优先）：\n1号车（司机：赵强）：后排右 孙伟（总经理）；后排左 周敏（采购经理）；副驾 李明（销售部）",
     "1号车（司机：赵强）：后排右 孙伟（总经理）；后排左 周敏（采购经理）"),
    ("en", "Car seating (§4.1.4, seniors first):\nCar 1 (driver: 赵强): rear right 孙伟 (总经理); "
           "rear left 周敏 (采购经理); front passenger 李明 (销售部)",
     "Car 1 (driver: 赵强): rear right 孙伟 (总经理); rear left 周敏 (采购经理)"),
])
def test_driver_and_host_run_sheets_say_who_sits_where_in_the_car(tmp_path, lang, pickup, transfer):
    _, wb = render(tmp_path, lang=lang)
    driver = {r[2]: r[6] for r in run_rows(wb, "赵强")}
    host = {r[2]: r[6] for r in run_rows(wb, "李明")}
    assert driver["机场接机"] == host["机场接机"] == pickup
    assert driver["前往公司"].endswith(transfer) and "前往公司" not in host  # the host is not on the transfer
    assert "送机" in host and transfer.split("：")[0].split(":")[0] in host["送机"]  # a send-off is a car ride too
    assert "合作会谈" in host and not host["合作会谈"]  # no car at a meeting


def test_car_seating_is_for_the_driver_and_the_host_only_and_our_host_may_drive(tmp_path):
    rows = clean_visit()
    pickup = rows["itinerary"][0]
    pickup.update(owner="李明", attendees="陈静")  # no driver: our host drives, the front seat is senior
    _, wb = render(tmp_path, rows)
    host = {r[2]: r[6] for r in run_rows(wb, "李明")}
    assert host["机场接机"].endswith("1号车（李明驾车，副驾为上座）：副驾 孙伟（总经理）；后排右 周敏（采购经理）；后排左 陈静（销售部）")
    minutes = {r[2]: r[6] for r in run_rows(wb, "陈静")}
    assert "机场接机" in minutes and "乘车" not in minutes["机场接机"]


def test_an_arrival_without_an_earlier_pick_up_has_its_own_wait(tmp_path):
    rows = clean_visit()
    rows["itinerary"] = [r for r in rows["itinerary"] if r["kind"] != "pickup"]
    _, wb = render(tmp_path, rows)
    first = run_rows(wb, "李明")[0]
    assert (first[1], first[2], first[3]) == ("09:00", t("zh", "roles.host_wait"), "虹桥机场T2")
    assert "MU5101" in first[6] and "09:30" in first[6]


def test_run_sheet_lists_owned_bookings_and_the_checklist_of_its_owner(tmp_path):
    rows = clean_visit()
    rows["bookings"][0]["reference"] = "R-889"
    _, wb = render(tmp_path, rows)
    sheet = run_rows(wb, "陈静")  # minute-taker, owns the meeting-room booking and the checklist
    prep = [r for r in sheet if r[2].startswith(t("zh", "roles.prep_item", item=""))]
    assert [r[2] for r in prep] == [t("zh", "roles.prep_item", item=i.zh) for i in STD.preparation]
    assert sheet[: len(prep)] == prep  # before arrival: first
    assert {r[6] for r in prep} == {"已完成"}
    booking = next(r for r in sheet if r[2] == "会议室预订")
    assert (booking[1], booking[3], booking[4]) == ("13:30–16:30", "A301会议室", "负责")
    assert "R-889" in booking[6] and "已确认" in booking[6]
    meeting = next(r for r in sheet if r[2] == "合作会谈")
    assert meeting[4] == "参与" and "李明 021-5555" in meeting[5]
    assert "钱红" not in meeting[5]  # the client contact is for the host and escorts
    assert sheet.index(booking) < sheet.index(meeting)  # 13:30 before 14:00
    assert len(sheet) == len(STD.preparation) + 2


def test_booking_over_two_days_shows_the_end_date(tmp_path):
    rows = clean_visit()
    rows["bookings"][1]["owner"] = "王芳"  # the hotel, 14:00 on day 1 to 12:00 on day 2
    _, wb = render(tmp_path, rows)
    hotel = next(r for r in run_rows(wb, "王芳") if r[3] == "锦江酒店")
    assert hotel[1] == "14:00–3月11日 12:00"
    assert "数量：2" in hotel[6]


def test_staff_member_without_items_gets_a_note(tmp_path):
    rows = clean_visit()
    rows["staff"].append(dict(visit_id="V1", name="小刘", role="interpreter"))
    _, wb = render(tmp_path, rows)
    assert run_rows(wb, "小刘") == [(t("zh", "roles.nothing"),) + ("",) * 6]


def test_incomplete_visit_still_renders(tmp_path):
    rows = clean_visit()
    rows["visits"][0].update(arrival=None, arrival_point=None, contact_phone=None)
    rows["itinerary"][2].update(date=None, start=None)
    rows["bookings"][0].update(start=None, end=None)
    rows["staff"][0].update(role=None)
    _, wb = render(tmp_path, rows)
    assert "草稿" in wb["人员分工"]["A1"].value
    chen = run_rows(wb, "陈静")
    assert chen[-1][2] in ("合作会谈", "会议室预订")  # unknown times last
    assert summary(wb)["李明"]["duties"][0][1] == "§2.3"  # no role: the general duty


# ---- print setup, sheet names, text stays text, confidentiality --------------------------

def xml_parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(BytesIO(data)) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels"))}


def test_every_sheet_prints_landscape_a4_at_a_fixed_scale_with_repeated_header(tmp_path):
    data, wb = render(tmp_path)
    parts = xml_parts(data)
    sheets = sorted(n for n in parts if n.startswith("xl/worksheets/sheet"))
    assert len(sheets) == len(wb.sheetnames)
    for name in sheets:
        xml = parts[name]
        assert "fitToPage" not in xml  # a scale worked out here: LibreOffice converts it 3x faster than a fit
        setup = re.search(r"<pageSetup [^>]*/>", xml)[0]
        assert 'orientation="landscape"' in setup and 'paperSize="9"' in setup
        assert 'ySplit="2"' in xml and 'state="frozen"' in xml  # title and header stay in view
        header = re.search(r"<oddHeader>(.*?)</oddHeader>", xml)[1]
        footer = re.search(r"<oddFooter>(.*?)</oddFooter>", xml)[1]
        assert "V1" in header and "华东精密机械有限公司" in header
        assert "&amp;P" in footer and "&amp;N" in footer
    titles = re.findall(r'<definedName name="_xlnm.Print_Titles" localSheetId="(\d+)">([^<]*)</definedName>',
                        parts["xl/workbook.xml"])
    assert len(titles) == len(wb.sheetnames)
    assert all(ref.endswith("!$2:$2") for _, ref in titles)
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert roles.MIN_SCALE <= (ws.page_setup.scale or 100) <= 100


def printed_size(ws) -> tuple[float, float]:
    """(width, height) in points of a sheet's columns and rows at its print scale, columns
    counted in the widest stand-in font's digits (roles.WIDE_DIGITS)."""
    scale = (ws.page_setup.scale or 100) / 100
    widths = [ws.column_dimensions[c].width for c in "ABCDEFG"]  # as stored: with Excel's 5-pixel padding
    width = sum(round(w * 7) for w in widths) * 0.75 * roles.WIDE_DIGITS
    height = sum(ws.row_dimensions[r].height or 15 for r in range(1, ws.max_row + 1))
    return width * scale, height * scale


def test_the_scale_fits_each_sheet_one_page_wide_and_each_run_sheet_one_page_long(tmp_path):
    rows = clean_visit()
    many = [dict(rows["itinerary"][0], kind="meeting", activity=f"活动 {n}", attendees=None) for n in range(30)]
    rows["itinerary"].extend(many)  # the first item's owner gets a run sheet longer than a page at full size
    _, wb = render(tmp_path, rows)
    across = roles.PAGE[0] - 72 * (roles.MARGINS["left"] + roles.MARGINS["right"])
    down = roles.PAGE[1] - 72 * (roles.MARGINS["top"] + roles.MARGINS["bottom"])
    scales = {}
    for ws in wb.worksheets:
        width, height = printed_size(ws)
        assert width <= across, ws.title
        if ws.title != "人员分工":  # the summary may run over pages, one page wide
            assert height <= down, ws.title
        scales[ws.title] = ws.page_setup.scale or 100
    owner = rows["itinerary"][0]["owner"]
    assert scales[owner] < min(s for name, s in scales.items() if name != owner)


def test_a_run_sheet_too_long_for_one_legible_page_prints_on_more(tmp_path):
    rows = clean_visit()
    rows["itinerary"].extend(dict(rows["itinerary"][0], activity=f"活动 {n}") for n in range(200))
    _, wb = render(tmp_path, rows)
    assert wb[rows["itinerary"][0]["owner"]].page_setup.scale == roles.MIN_SCALE


def test_ampersand_in_client_is_escaped_in_the_page_header(tmp_path):
    rows = clean_visit()
    rows["visits"][0]["client_org"] = "A&B 公司"
    data, _ = render(tmp_path, rows)
    header = re.search(r"<oddHeader>(.*?)</oddHeader>", xml_parts(data)["xl/worksheets/sheet1.xml"])[1]
    assert "A&amp;&amp;B 公司" in header

    rows["visits"][0]["client_org"] = "&" * 300
    data, _ = render(tmp_path, rows)
    header = re.search(r"<oddHeader>(.*?)</oddHeader>", xml_parts(data)["xl/worksheets/sheet1.xml"])[1]
    text = header.replace("&amp;", "&")
    assert len(text) <= 255 and text.count("&&") >= 90


def test_sheet_names_are_safe_and_unique():
    names = sheet_names(["李明", "李明", "a[b]:c*d?e/f\\g", "x" * 40, "x" * 40, "History", "人员分工",
                         "'引号'",
                         None, "roles"], ["人员分工", "Roles"], "未命名")
    assert len(set(n.casefold() for n in names)) == len(names)
    for n in names:
        assert 0 < len(n.encode("utf-16-le")) // 2 <= MAX_SHEET_NAME
        assert not set("[]:*?/\\") & set(n)
        assert not n.startswith("'") and not n.endswith("'")
    assert names[0] == "李明" and names[1] == "李明 (2)"
    assert names[2] == "a_b_c_d_e_f_g"
    assert names[3] == "x" * 31 and names[4] == "x" * 27 + " (2)"
    assert names[5] != "History" and names[6] == "人员分工 (2)"
    assert names[8] == "未命名" and names[9] == "roles (2)"


def test_workbook_with_two_staff_of_one_name_and_odd_characters_opens(tmp_path):
    rows = clean_visit()
    rows["staff"].append(dict(visit_id="V1", name="李明", staff_id="E2001", role="escort",
                              department="市场部"))
    rows["staff"].append(dict(visit_id="V1", name="王[小]:芳*?/\\", role="other"))
    _, wb = render(tmp_path, rows)
    assert wb.sheetnames == ["人员分工", "李明", "王芳", "赵强", "陈静", "李明 (2)", "王_小_芳_"]
    # both people called 李明 see the items of that name
    assert len(run_rows(wb, "李明 (2)")) == len(run_rows(wb, "李明")) - 1  # no host wait for the escort


def test_values_that_look_like_formulas_stay_text(tmp_path):
    formula = '=HYPERLINK("http://evil.example/","click")'

    def edit(visit):
        visit.items[2].values["activity"] = formula
        visit.items[2].values["location"] = "+1+2"
        visit.staff[0].values["department"] = "@SUM(A1)"
        visit.staff[0].values["duties"] = "-3"
        visit.record.values["client_org"] = "=1+1"
        visit.staff[3].values["name"] = "=2+3"  # also a sheet name and a link's text

    data, wb = render(tmp_path, edit=edit)
    for name, xml in xml_parts(data).items():
        assert "<f>" not in xml and "<f " not in xml, name
    people = summary(wb)
    assert people["李明"]["department"] == "@SUM(A1)"
    assert people["李明"]["duties"][-1][0] == "-3"
    meeting = next(r for r in run_rows(wb, "李明") if r[2] == formula)
    assert meeting[3] == "+1+2"
    assert "=1+1" in wb["人员分工"]["A1"].value
    assert "=2+3" in people and "=2+3" in wb.sheetnames


def test_no_confidential_guest_value_anywhere(tmp_path):
    rows = clean_visit()
    markers = {"ethnicity": "MK-ETHNIC", "dietary": "MK-DIET", "preferences": "MK-PREF",
               "background": "MK-BACKGROUND", "phone": "MK-PHONE"}
    for g in rows["guests"]:
        g.update(markers, smoker="是")
    rows["staff"].append(dict(visit_id="V1", name="小刘", role="logistics"))
    for b in rows["bookings"]:
        b["owner"] = "小刘"
    data, _ = render(tmp_path, rows)
    with zipfile.ZipFile(BytesIO(data)) as z:
        text = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    for marker in markers.values():
        assert marker not in text
    assert "MK-" not in text


def test_rendering_is_deterministic(tmp_path):
    path = write_workbook(tmp_path / "w.xlsx", clean_visit())
    result = check_workbook(read_workbook(path, STD), STD, date(2027, 3, 5))
    vr = result.visits[0]
    assert render_roles(vr, result, STD, "zh") == render_roles(vr, result, STD, "zh")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.slow
def test_libreoffice_prints_the_role_sheets_in_both_languages(tmp_path):
    files = []
    for lang in ("zh", "en"):
        data, _ = render(tmp_path, lang=lang)
        files.append(tmp_path / f"roles_{lang}.xlsx")
        files[-1].write_bytes(data)
    for path, pdf in zip(files, to_pdf(files, tmp_path)):
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
            pages = text.split("\f")
            assert len([p for p in pages if p.strip()]) == 5  # the summary and one run sheet per person
            assert "华东精密机械有限公司" in pages[0] and "李明" in pages[0]
            footer = "第 1 页，共 5 页" if path.name.endswith("_zh.xlsx") else "Page 1 of 5"
            assert footer in pages[0]


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice or pdftotext is not installed")
@pytest.mark.slow
def test_libreoffice_prints_a_long_run_sheet_on_one_page(tmp_path):
    rows = clean_visit()
    rows["itinerary"].extend(dict(rows["itinerary"][0], kind="meeting", activity=f"活动 {n}", attendees=None)
                             for n in range(30))
    data, wb = render(tmp_path, rows)
    path = tmp_path / "roles_long.xlsx"
    path.write_bytes(data)
    pdf, = to_pdf([path], tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) == len(wb.sheetnames) == 5  # the summary, then one page per person
    for page, person in zip(pages[1:], wb.sheetnames[1:]):
        assert f"{person}（" in page  # its title: the person and their role
    owner = rows["itinerary"][0]["owner"]
    assert "活动 0" in pages[wb.sheetnames.index(owner)] and "活动 29" in pages[wb.sheetnames.index(owner)]


def test_the_printed_sheets_are_headed_by_the_company(tmp_path):
    from extract import xlsx_text
    from profiles import profile
    path = write_workbook(tmp_path / "w.xlsx", clean_visit(), lang="en")
    result = check_workbook(read_workbook(path, STD), STD, CLEAN_TODAY)
    with_profile = render_roles(result.visits[0], result, STD, "en", profile(tmp_path, name_en="A&B Precision"))
    headers = [line for line in xlsx_text(with_profile).splitlines() if line.startswith("header:")]
    assert len(headers) == 1 + len(result.visits[0].visit.staff)  # the summary and each run sheet
    # the company left (`&` doubled: it is a control character there), the visit in the middle
    assert set(headers) == {"header: A&&B Precision | V1  华东精密机械有限公司 | Role assignments"}
    with zipfile.ZipFile(BytesIO(with_profile)) as z:
        assert b"<Company>A&amp;B Precision</Company>" in z.read("docProps/app.xml")
    plain = [line for line in xlsx_text(render_roles(result.visits[0], result, STD, "en")).splitlines()
             if line.startswith("header:")]
    assert set(plain) == {"header: V1  华东精密机械有限公司 |  | Role assignments"}  # as before profiles
