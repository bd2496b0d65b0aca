"""The seating document (pipeline/documents/seating.py): plans drawn and listed, name cards
that read upright on both faces, pick-up signs, in both languages."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from datetime import time

import pytest
import yaml
from docx import Document

from extract import docx_text, to_pdf
from test_plan import checked

from pipeline.contract import CONFIDENTIAL_GUEST_FIELDS
from pipeline.documents.drawing import PT_PER_CM, text_width
from pipeline.documents.seating import CARD, SIGN, has_seating, render_seating
from pipeline.documents.word import load_word_templates
from pipeline.standard import DEFAULT_STANDARD, load_standard
from workbooks import clean_visit

STD = load_standard()
TEMPLATE = load_word_templates()["seating"]


def render(tmp_path, rows=None, lang="zh", edit=None, std=STD) -> bytes:
    vr, result = checked(tmp_path, rows or clean_visit(), std, lang)
    if edit:
        edit(vr.visit)
    return render_seating(vr, result, std, lang, TEMPLATE)


def standard(tmp_path, **seating):
    data = yaml.safe_load(DEFAULT_STANDARD.read_text(encoding="utf-8"))
    data["seating"].update(seating)
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_standard(path)


def seat_lists(data: bytes) -> list[list[list[str]]]:
    """Every plan's list (header row dropped): [no, seat, name, title, side]."""
    return [[[c.text for c in r.cells] for r in t.rows][1:] for t in Document(io.BytesIO(data)).tables]


def item(visit, activity: str):
    return next(i for i in visit.items if i.activity == activity)


def document_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml").decode("utf-8")


# ---- the plans ------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, meeting", [
    ("zh", [["1", "客方 居中（主宾）", "孙伟", "总经理", "客方"], ["2", "客方 右1", "周敏", "采购经理", "客方"],
            ["3", "主方 居中（主谈人）", "李明", "销售部", "主方"], ["4", "主方 右1", "王芳", "市场部", "主方"],
            ["5", "主方 左1", "陈静", "销售部", "主方"]]),
    ("en", [["1", "Guests, centre (principal guest)", "孙伟", "总经理", "Guests"],
            ["2", "Guests, right 1", "周敏", "采购经理", "Guests"],
            ["3", "Hosts, centre (principal host)", "李明", "销售部", "Hosts"],
            ["4", "Hosts, right 1", "王芳", "市场部", "Hosts"], ["5", "Hosts, left 1", "陈静", "销售部", "Hosts"]]),
])
def test_the_meeting_gets_a_talks_plan_and_each_meal_a_round_table(tmp_path, lang, meeting):
    data = render(tmp_path, lang=lang)
    text = docx_text(data)
    lists = seat_lists(data)
    assert len(lists) == 4  # the meeting and three meals, in time order
    assert lists[0] == meeting
    host, right, left = ("主人位", "主人右1（主宾）", "主人左1") if lang == "zh" else \
        ("host", "host's right 1 (principal guest)", "host's left 1")
    assert [r[1:3] for r in lists[1]] == [[right, "孙伟"], [left, "周敏"], [host, "李明"]]
    for title in ("合作会谈", "欢迎晚宴", "早餐", "工作午餐"):
        assert title in text
    assert ("以右为尊" in text) and (("会谈桌（相对式）" in text) if lang == "zh" else ("Talks table" in text))


def test_the_diagrams_draw_every_seat_the_door_and_the_sides(tmp_path):
    xml = document_xml(render(tmp_path))
    groups = re.findall(r"<wpg:wgp>.*?</wpg:wgp>", xml)
    assert len(groups) == 4
    texts = [re.findall(r"<w:t[^>]*>([^<]*)</w:t>", g) for g in groups]
    assert {"1 孙伟", "2 周敏", "3 李明", "4 王芳", "5 陈静", "客方 ↓", "主方 ↑", "门"} <= set(texts[0])
    assert {"1 孙伟", "3 李明", "圆桌", "门"} <= set(texts[1])
    # a seat box per seat: two rows of three at the talks table (one empty), a table, a door, a frame
    assert groups[0].count("<wps:wsp>") == 6 + 1 + 1 + 1 + 3  # … and three labels
    assert 'Requires="wpg"' in xml and "<mc:Fallback>" in xml


@pytest.mark.parametrize("senior, talks, expected", [
    ("right", "along", ["客方 居中（主宾）", "客方 右1", "主方 居中（主谈人）", "主方 右1", "主方 左1"]),
    ("left", "facing_door", ["客方 居中（主宾）", "客方 左1", "主方 居中（主谈人）", "主方 左1", "主方 右1"]),
])
def test_the_rules_file_chooses_precedence_and_the_talks_table(tmp_path, senior, talks, expected):
    std = standard(tmp_path, senior=senior, talks=talks)
    data = render(tmp_path, std=std)
    assert [r[1] for r in seat_lists(data)[0]] == expected
    text = docx_text(data)
    assert ("以左为尊" in text) == (senior == "left")
    assert ("竖桌式" in text) == (talks == "along")
    if talks == "along":
        assert "进门右侧为客方" in text


def test_rows_from_the_front_centre_first(tmp_path):
    data = render(tmp_path, edit=lambda v: item(v, "合作会谈").values.update(seating="rows"))
    assert [r[1:3] for r in seat_lists(data)[0]] == [
        ["第1排 居中（主宾）", "孙伟"], ["第1排 右1", "周敏"], ["第1排 左1", "李明"], ["第1排 右2", "王芳"],
        ["第1排 左2", "陈静"]]
    assert "前方（讲台）" in document_xml(data)


@pytest.mark.parametrize("lang, seating, guests", [("zh", "课桌式", "周敏，孙伟"), ("en", "Rows", "周敏; 孙伟")])
def test_the_v2_cells_as_a_receptionist_writes_them_reach_the_plans(tmp_path, lang, seating, guests):
    """The reader's forms of the v2 columns are those the plans read: a seating label as
    its key, the guests attending as a tuple of names, shown to client as a yes/no."""
    rows = clean_visit()
    meeting = rows["itinerary"][2]
    meeting.update(seating=seating, guests=guests)
    rows["itinerary"].append(dict(meeting, start=time(8), end=time(9), activity="接待预备会", guests=None,
                                  seating=None, client_facing="否" if lang == "zh" else "no"))
    vr, result = checked(tmp_path, rows, STD, lang)
    talks, pre = (next(i for i in vr.visit.items if i.activity == a) for a in ("合作会谈", "接待预备会"))
    assert (talks.seating, talks.guests, pre.client_facing) == ("rows", ("周敏", "孙伟"), False)
    data = render_seating(vr, result, STD, lang, TEMPLATE)
    pre_plan, talks_plan = seat_lists(data)[:2]
    assert [r[2] for r in pre_plan] == ["李明", "王芳", "陈静"]  # internal: no guest
    assert [r[2] for r in talks_plan][:2] == ["孙伟", "周敏"]  # by rank, whatever the cell's order
    assert talks_plan[0][1].startswith("第1排" if lang == "zh" else "Row 1")  # rows, not the meeting's talks table


def test_more_guests_than_a_table_seats_get_a_second_table_hosted_by_our_staff(tmp_path):
    rows = clean_visit()
    rows["guests"] += [dict(visit_id="V1", name=f"来宾{i:02d}", title="工程师", rank=2 + i, gender="男", core="否",
                            dietary="无") for i in range(1, 11)]
    dinner = next(r for r in rows["itinerary"] if r["activity"] == "欢迎晚宴")
    dinner["attendees"] = "王芳"
    restaurant = next(b for b in rows["bookings"] if b["kind"] == "restaurant")
    restaurant.update(capacity=20, quantity=2)  # two tables of ten
    data = render(tmp_path, rows)
    dinner_list = seat_lists(data)[1]
    assert len(dinner_list) == 14  # 12 guests and 2 of ours: nobody left out
    seats = {r[2]: r[1] for r in dinner_list}
    assert seats["李明"] == "主桌 主人位" and seats["王芳"] == "2号桌 主人位"
    assert seats["孙伟"] == "主桌 主人右1（主宾）"
    assert "共 2 桌，每桌 10 座" in docx_text(data)


def test_more_people_than_the_booking_seats_are_shown_as_overflow_never_dropped(tmp_path):
    def small_room(visit):
        next(b for b in visit.bookings if b.kind == "meeting_room").values["capacity"] = 3
    data = render(tmp_path, edit=small_room)
    assert [r[2] for r in seat_lists(data)[0]] == ["孙伟", "周敏", "李明"]
    text = docx_text(data)
    assert "座位不足：共 3 座，以下 2 人未排座位：王芳（市场部）、陈静（销售部）" in text
    assert "未排座位 2 人（见下文）" in document_xml(data)  # in the drawing too


def test_a_table_without_staff_keeps_its_host_seat_for_us_to_name(tmp_path):
    rows = clean_visit()
    rows["guests"] += [dict(visit_id="V1", name=f"来宾{i:02d}", title="工程师", rank=2 + i, gender="男", core="否",
                            dietary="无") for i in range(1, 11)]
    next(b for b in rows["bookings"] if b["kind"] == "restaurant")["capacity"] = None  # tables of the setting's 10
    data = render(tmp_path, rows)
    dinner = seat_lists(data)[1]
    assert ["", "2号桌 主人位", "我方人员待定", "", "主方"] in dinner


# ---- name cards and signs ------------------------------------------------------------------

def _shapes(xml: str) -> list[dict]:
    """The WordArt shapes: text, box in cm from the page's top left, upside down or not."""
    out = []
    for style, text in re.findall(r'<v:shape [^>]*style="([^"]*)"[^>]*>.*?string="([^"]*)"', xml):
        num = {k: float(v) / PT_PER_CM for k, v in re.findall(r"(margin-left|margin-top|width|height):([\d.]+)pt",
                                                            style)}
        out.append({"text": text, "x": num["margin-left"], "y": num["margin-top"], "w": num["width"],
                    "h": num["height"], "upside_down": "rotation:180" in style})
    return out


def test_a_name_card_for_everyone_at_a_meeting_both_faces_upright_when_folded(tmp_path):
    xml = document_xml(render(tmp_path))
    shapes = _shapes(xml)
    names = [s["text"] for s in shapes if not s["upside_down"]]
    # guests first by rank, then ours; name then title; each person once however many meetings
    assert names == ["孙伟", "总经理", "周敏", "采购经理", "李明", "销售部", "王芳", "市场部", "陈静", "销售部"]
    half = CARD["height"] / 2
    for upright, turned in zip(shapes[0::2], shapes[1::2]):
        assert not upright["upside_down"] and turned["upside_down"] and upright["text"] == turned["text"]
        # the lower half upright, the upper half the same turned about the page's centre
        assert upright["y"] >= half and turned["y"] + turned["h"] <= half
        assert turned["x"] == pytest.approx(CARD["width"] - upright["x"] - upright["w"], abs=0.01)
        assert turned["y"] == pytest.approx(CARD["height"] - upright["y"] - upright["h"], abs=0.01)
        assert upright["w"] <= CARD["width"] - 2 * CARD["margin"] + 0.01
    assert xml.count('<v:shapetype id="_x0000_t136"') == 1
    assert xml.count('dashstyle="dash"') == 5  # a fold line on each card


def test_an_internal_meeting_gets_its_plan_but_no_name_cards(tmp_path):
    """Name cards stand before the guests: an internal meeting (contract v2, shown to
    client: no) of our own staff is seated, but its people get no card for it."""
    rows = clean_visit()
    meeting = rows["itinerary"][2]
    rows["itinerary"].append(dict(meeting, start=time(8), end=time(9), activity="接待预备会", attendees="赵强",
                                  client_facing="否"))
    data = render(tmp_path, rows)
    assert [r[2] for r in seat_lists(data)[0]] == ["李明", "赵强"]  # the pre-meeting: ours only, in time order
    names = [s["text"] for s in _shapes(document_xml(data)) if not s["upside_down"]]
    assert "赵强" not in names and names[:2] == ["孙伟", "总经理"]  # the client's meeting still has its cards
    rows["itinerary"][-1]["client_facing"] = "是"
    names = [s["text"] for s in _shapes(document_xml(render(tmp_path, rows))) if not s["upside_down"]]
    assert "赵强" in names  # the twin: shown to the client, the same meeting gives him a card


def test_a_long_name_is_made_smaller_to_fit_the_card(tmp_path):
    def long_name(visit):
        visit.guests[0].values["name"] = "Maximilian-Alexander von Hohenberg-Schönfeld"
    shapes = _shapes(document_xml(render(tmp_path, edit=long_name)))
    card = next(s for s in shapes if s["text"].startswith("Maximilian"))
    assert card["w"] == pytest.approx(CARD["width"] - 2 * CARD["margin"], abs=0.01) and card["h"] < CARD["name"]


@pytest.mark.parametrize("lang, lines", [
    ("zh", ["欢迎", "华东精密机械有限公司", "孙伟总经理一行"]),
    ("en", ["Welcome", "华东精密机械有限公司", "孙伟, 总经理, and party"]),
])
def test_a_pick_up_sign_per_pick_up_in_the_largest_type_that_fits(tmp_path, lang, lines):
    data = render(tmp_path, lang=lang)
    doc = Document(io.BytesIO(data))
    sign = doc.paragraphs[0]
    runs = [(r.text.strip(), r.font.size.pt) for r in sign.runs if r.text.strip()]  # the first: a blank line
    assert [text for text, _ in runs] == lines
    width = SIGN["width"] * PT_PER_CM
    for text, size in runs:
        assert size <= SIGN["max"] and text_width(text) * size <= width  # fits the line
        assert size == pytest.approx(SIGN["max"]) or text_width(text) * size > 0.85 * width  # and no smaller
    section = doc.sections[0]
    assert section.page_width > section.page_height  # A4 landscape, for the signs only
    assert doc.sections[-1].page_width < doc.sections[-1].page_height


def test_no_pick_up_no_sign_and_no_landscape_page(tmp_path):
    rows = clean_visit()
    rows["itinerary"] = [r for r in rows["itinerary"] if r["kind"] != "pickup"]
    doc = Document(io.BytesIO(render(tmp_path, rows)))
    assert len(doc.sections) == 1 and doc.paragraphs[0].text == "座次与桌签"


# ---- what the document holds and when it is made -------------------------------------------

def test_only_a_visit_with_someone_to_seat_has_the_document(tmp_path):
    vr, _ = checked(tmp_path, clean_visit(), STD)
    assert has_seating(vr.visit)
    for i in vr.visit.items:
        if i.kind in ("meeting", "meal"):
            i.values["seating"] = "none"
    assert not has_seating(vr.visit)


def test_no_confidential_guest_value_reaches_the_document(tmp_path):
    rows = clean_visit()
    data = render(tmp_path, rows)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        text = " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    for guest in rows["guests"]:
        for key in CONFIDENTIAL_GUEST_FIELDS:
            value = guest.get(key)
            if value and len(str(value)) > 1 and key != "smoker":
                assert str(value) not in text, key


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_libreoffice_prints_the_sign_the_plans_and_the_cards(tmp_path, lang):
    path = tmp_path / f"seating_{lang}.docx"
    path.write_bytes(render(tmp_path, lang=lang))
    (pdf,) = to_pdf([path], tmp_path)
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    landscape = [float(w) > float(h) for w, h in sizes]
    # the sign (landscape), the title with the talks plan, three meals, five cards
    assert landscape == [True] + [False] * 9
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert ("欢迎" if lang == "zh" else "Welcome") in text and "孙伟" in text
    # the sign: on its one page, every line whole, the block about the page's middle
    box = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True,
                         text=True).stdout
    words = [tuple(map(float, m)) for m in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"',
                                                      box)]
    width, height = map(float, sizes[0])
    assert len(words) >= 3 and all(0 < x0 and x1 < width and 0 < y0 and y1 < height for x0, y0, x1, y1 in words)
    middle = (min(w[1] for w in words) + max(w[3] for w in words)) / 2
    assert abs(middle - height / 2) < 0.1 * height


def test_the_document_is_well_formed_xml(tmp_path):
    from lxml import etree
    for lang in ("zh", "en"):
        etree.fromstring(document_xml(render(tmp_path, lang=lang)).encode("utf-8"))
