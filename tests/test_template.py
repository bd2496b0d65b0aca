"""The blank visits workbooks: structure, drop-downs, formats, and a round trip through the reader."""

from __future__ import annotations

import stat
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest
import yaml
from openpyxl.utils import get_column_letter

from pipeline.contract import CONFIDENTIAL_GUEST_FIELDS, GUESTS, SHEETS, Column
from pipeline.i18n import texts
from pipeline.reader import read_workbook
from pipeline.standard import DEFAULT_STANDARD, Standard, load_standard
from pipeline.template import Filling, choice_labels, render_template, write_templates

LANGS = ("zh", "en")
STANDARD = load_standard()
SECTIONS = ("client", "travel", "background", "needs", "plan", "approval", "closeout")


def words(lang: str) -> dict:
    return texts(lang)["template"]


def save(tmp_path: Path, standard: Standard, lang: str) -> Path:
    path = tmp_path / f"template-{lang}.xlsx"
    path.write_bytes(render_template(standard, lang))
    return path


@pytest.fixture(params=LANGS)
def lang(request) -> str:
    return request.param


@pytest.fixture
def book(tmp_path, lang) -> openpyxl.Workbook:
    return openpyxl.load_workbook(save(tmp_path, STANDARD, lang))


def header_row(ws, visit_id_label: str) -> int:
    for r in range(1, 11):
        if any(c.value == visit_id_label for c in ws[r]):
            return r
    raise AssertionError(f"no header row in {ws.title}")


def headers(ws, sheet, lang) -> tuple[int, dict[str, int]]:
    """The header row and label -> column number of a data sheet."""
    r = header_row(ws, sheet.column("visit_id").label(lang))
    return r, {c.value: c.column for c in ws[r] if c.value}


# ---- structure -------------------------------------------------------------------------------

def test_sheet_names(book, lang):
    assert book.sheetnames == [words(lang)["instructions_sheet"]] + [s.label(lang) for s in SHEETS]


def test_every_contract_column_has_a_header(book, lang):
    for contract_sheet in SHEETS:
        sheet = STANDARD.sheet(contract_sheet.key)
        _, cols = headers(book[sheet.label(lang)], sheet, lang)
        assert sorted(cols) == sorted(c.label(lang) for c in sheet.columns), sheet.key


def test_header_comment_holds_the_other_language(book, lang):
    other = "en" if lang == "zh" else "zh"
    visits = STANDARD.sheet("visits")
    ws = book[visits.label(lang)]
    r, cols = headers(ws, visits, lang)
    for column in visits.columns:
        comment = ws.cell(r, cols[column.label(lang)]).comment
        assert comment.text.splitlines()[0] == column.label(other)


def test_preparation_has_a_column_per_standard_item(book, lang):
    sheet = STANDARD.sheet("preparation")
    _, cols = headers(book[sheet.label(lang)], sheet, lang)
    assert list(cols) == [sheet.column("visit_id").label(lang), sheet.column("prep_owner").label(lang)] + [
        item.label(lang) for item in STANDARD.preparation]


def test_an_extra_preparation_item_gets_a_column(tmp_path, lang):
    data = yaml.safe_load(DEFAULT_STANDARD.read_text(encoding="utf-8"))
    data["preparation"].append({"key": "parking", "zh": "预留停车位", "en": "Parking reserved"})
    rules = tmp_path / "rules.yaml"
    rules.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    standard = load_standard(rules)
    path = save(tmp_path, standard, lang)

    sheet = standard.sheet("preparation")
    ws = openpyxl.load_workbook(path)[sheet.label(lang)]
    r, cols = headers(ws, sheet, lang)
    label = "预留停车位" if lang == "zh" else "Parking reserved"
    assert label in cols
    assert list_validation(ws, cols[label], r + 1) is not None
    assert "parking" in read_workbook(path, standard).sheets["preparation"].columns


def test_instructions_explain_the_workbook(book, lang):
    ws = book[words(lang)["instructions_sheet"]]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "2027-03-10 09:30" in text
    for sheet in SHEETS:
        assert sheet.label(lang) in text
    for key in CONFIDENTIAL_GUEST_FIELDS:
        assert GUESTS.column(key).label(lang) in text
    for section in SECTIONS:
        assert words(lang)["sections"][section] in text


# ---- drop-downs, formats, marks --------------------------------------------------------------

def column_dimension(ws, col: int):
    """The <col> entry covering column `col` (adjacent alike columns share one entry)."""
    for dim in ws.column_dimensions.values():
        if dim.min <= col <= dim.max:
            return dim
    raise AssertionError(f"no column entry for {col} in {ws.title}")


def list_validation(ws, col: int, first_row: int):
    letter = get_column_letter(col)
    for dv in ws.data_validations.dataValidation:
        if dv.type == "list" and f"{letter}{first_row}" in dv.sqref and f"{letter}1000" in dv.sqref:
            return dv
    return None


def test_every_enumeration_has_a_drop_down(book, lang):
    for contract_sheet in SHEETS:
        sheet = STANDARD.sheet(contract_sheet.key)
        ws = book[sheet.label(lang)]
        r, cols = headers(ws, sheet, lang)
        for column in sheet.columns:
            if column.type not in ("enum", "yesno", "prep"):
                continue
            dv = list_validation(ws, cols[column.label(lang)], r + 1)
            assert dv is not None, (sheet.key, column.key)
            assert dv.formula1.strip('"').split(",") == choice_labels(column, lang)


V2_COLUMNS = (("itinerary", "guests"), ("itinerary", "client_facing"), ("itinerary", "seating"),
              ("bookings", "capacity"))


def test_the_contract_v2_columns_have_their_drop_downs_notes_and_a_line_each_in_the_instructions(book, lang):
    rules = [c.value for row in book[words(lang)["instructions_sheet"]].iter_rows() for c in row
             if isinstance(c.value, str)]
    for sheet_key, key in V2_COLUMNS:
        sheet = STANDARD.sheet(sheet_key)
        column = sheet.column(key)
        ws = book[sheet.label(lang)]
        r, cols = headers(ws, sheet, lang)
        at = cols[column.label(lang)]
        if column.type in ("enum", "yesno"):
            assert list_validation(ws, at, r + 1).formula1.strip('"').split(",") == choice_labels(column, lang)
        if column.type == "int":
            letter = get_column_letter(at)
            assert any(dv.type == "whole" and f"{letter}{r + 1}" in dv.sqref for dv in ws.data_validations.dataValidation)
        note = words(lang)["column_notes"][sheet_key][key]
        assert note in ws.cell(r, at).comment.text, key
        assert len([line for line in rules if f"“{column.label(lang)}”" in line or f", {column.label(lang)}:" in line]) \
            == 1, key
    seating = choice_labels(STANDARD.sheet("itinerary").column("seating"), lang)
    assert seating == (["不排座", "会谈桌", "圆桌", "课桌式"] if lang == "zh" else
                       ["No seating plan", "Talks table", "Round table", "Rows"])
    assert any("TBD" in line and ("待定" in line) for line in rules)  # the placeholders' line


def test_drop_down_labels(lang):
    visits = STANDARD.sheet("visits")
    yes_no = choice_labels(visits.column("catering"), lang)
    prep = choice_labels(STANDARD.sheet("preparation").columns[-1], lang)
    assert (yes_no, prep) == ((["是", "否"], ["已完成", "未完成", "不适用"]) if lang == "zh"
                              else (["yes", "no"], ["Done", "Pending", "N/A"]))


FORMATS = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm", "time": "hh:mm"}


def test_date_and_time_columns_are_formatted(book, lang):
    seen = set()
    for contract_sheet in SHEETS:
        sheet = STANDARD.sheet(contract_sheet.key)
        ws = book[sheet.label(lang)]
        _, cols = headers(ws, sheet, lang)
        for column in sheet.columns:
            if column.type in FORMATS:
                dim = column_dimension(ws, cols[column.label(lang)])
                assert dim.number_format == FORMATS[column.type], column.key
                seen.add(column.type)
    assert seen == set(FORMATS)


def test_header_and_visit_id_are_frozen(book, lang):
    for sheet in SHEETS:
        assert book[sheet.label(lang)].freeze_panes == ("B3" if sheet.key == "visits" else "B2")


def test_required_columns_are_bold_red(book, lang):
    visits = STANDARD.sheet("visits")
    ws = book[visits.label(lang)]
    r, cols = headers(ws, visits, lang)

    def font(key):
        return ws.cell(r, cols[visits.column(key).label(lang)]).font

    for key in ("visit_id", "client_org", "arrival", "approval", "status"):
        assert font(key).b and font(key).color.rgb.endswith("C00000"), key
    for key in ("notes", "arrival_ref", "requester", "org_profile"):
        assert not font(key).color.rgb.endswith("C00000"), key


def test_conditional_requirement_is_in_the_comment(book, lang):
    visits = STANDARD.sheet("visits")
    ws = book[visits.label(lang)]
    r, cols = headers(ws, visits, lang)
    comment = ws.cell(r, cols[visits.column("arrival_ref").label(lang)]).comment.text
    assert ("必填：当抵达方式为航班或火车时" if lang == "zh" else "required when Arrival mode is Flight or Train") in comment


# ---- the Visits band -------------------------------------------------------------------------

def test_visits_band_names_each_section_over_its_columns(book, lang):
    visits = STANDARD.sheet("visits")
    ws = book[visits.label(lang)]
    _, cols = headers(ws, visits, lang)
    section_of = {cols[c.label(lang)]: c.section for c in visits.columns}
    names = words(lang)["sections"]
    bands = sorted((m for m in ws.merged_cells.ranges if m.min_row == 1), key=lambda m: m.min_col)
    assert [ws.cell(1, m.min_col).value for m in bands] == [names[s] for s in SECTIONS]
    covered = []
    for m, section in zip(bands, SECTIONS):
        assert m.max_row == 1
        cols_in_band = range(m.min_col, m.max_col + 1)
        assert {section_of[j] for j in cols_in_band} == {section}
        covered.extend(cols_in_band)
    assert covered == sorted(section_of)
    fills = {ws.cell(1, m.min_col).fill.fgColor.rgb for m in bands}
    assert len(fills) == len(SECTIONS)


def test_sections_other_than_client_collapse(book, lang):
    visits = STANDARD.sheet("visits")
    ws = book[visits.label(lang)]
    _, cols = headers(ws, visits, lang)
    by_section: dict[str, list[int]] = {}
    for c in visits.columns:
        by_section.setdefault(c.section, []).append(cols[c.label(lang)])
    for section, members in by_section.items():
        levels = [column_dimension(ws, j).outlineLevel for j in sorted(members)]
        expected = [0] * len(members) if section == "client" else [0] + [1] * (len(members) - 1)
        assert levels == expected, section


# ---- writing ---------------------------------------------------------------------------------

def test_write_templates(tmp_path):
    paths = write_templates(tmp_path / "out", STANDARD)
    assert [p.name for p in paths] == ["接待台账模板.xlsx", "visits_template.xlsx"]
    for p in paths:
        assert stat.S_IMODE(p.stat().st_mode) == 0o600
        assert openpyxl.load_workbook(p).sheetnames[1] in ("来访", "Visits")


# ---- round trip: fill the blank template, read it back --------------------------------------

VISIT = {
    "visit_id": "V2027-001", "client_org": "Acme Precision 华东精密", "client_type": "existing",
    "purpose": "negotiation", "objective": "Sign the 2027 framework agreement", "theme": "Partnership",
    "level": "vip", "headcount": 2, "arrival": datetime(2027, 3, 10, 9, 30), "arrival_mode": "flight",
    "arrival_ref": "MU5101", "arrival_point": "Hongqiao T2", "departure": "2027-03-11 16:00",
    "departure_mode": "train", "departure_ref": "G7", "departure_point": "Hongqiao station",
    "requester": "王芳", "contact_name": "Li Lei", "contact_phone": "01012345678",
    "contact_email": "li.lei@example.com", "org_profile": "Machine tools", "business_domain": "CNC",
    "industry_position": "Top three", "accommodation": True, "catering": True, "transport": False,
    "gifts": "Tea\ntwo boxes", "security": "Visitor badges", "emergency": "First-aid kit at reception",
    "approval": "approved", "approver": "赵总", "approver_email": "zhao@example.com",
    "approved_on": date(2027, 3, 1), "approval_notes": "OK", "briefed_on": "2027-03-02",
    "status": "confirmed", "minutes": "Agreed terms", "follow_up": "Send the draft", "satisfaction": 5,
    "notes": "Prefers tea",
}
GUEST = {"visit_id": "V2027-001", "name": "Li Lei", "title": "CEO", "gender": "male", "ethnicity": "Han",
         "rank": 1, "core": True, "dietary": "none", "smoker": False, "preferences": "Green tea",
         "background": "Engineer", "phone": "13800138000"}
ITEM = {"visit_id": "V2027-001", "date": date(2027, 3, 10), "start": time(10, 0), "end": "11:30",
        "kind": "meeting", "activity": "Talks", "location": "Room 3", "owner": "王芳",
        "attendees": "王芳、张伟", "guests": "Li Lei", "client_facing": True, "seating": "talks", "notes": "Projector"}
STAFF = {"visit_id": "V2027-001", "name": "王芳", "staff_id": "007", "role": "host", "department": "Sales",
         "phone": "13900000000", "email": "wang@example.com", "duties": "Hosts the talks", "trained": True,
         "rank": 1}
BOOKING = {"visit_id": "V2027-001", "kind": "meeting_room", "resource": "Room 3",
           "start": datetime(2027, 3, 10, 9, 30), "end": "2027-03-10 12:00", "quantity": 1, "capacity": 12,
           "details": "12 seats", "status": "confirmed", "reconfirmed": True, "reference": "R-1",
           "owner": "王芳"}
PREPARATION = {"visit_id": "V2027-001", "prep_owner": "王芳",
               **{item.key: "done" for item in STANDARD.preparation}, "signage": "n/a"}
ROWS = {"visits": VISIT, "guests": GUEST, "itinerary": ITEM, "staff": STAFF, "bookings": BOOKING,
        "preparation": PREPARATION}

# What the reader gives back where it differs from what was written.
EXPECTED = {
    "visits": {"departure": datetime(2027, 3, 11, 16, 0), "briefed_on": date(2027, 3, 2)},
    "itinerary": {"end": time(11, 30), "attendees": ("王芳", "张伟"), "guests": ("Li Lei",)},
    "bookings": {"end": datetime(2027, 3, 10, 12, 0)},
}


def as_written(column: Column, value, lang: str):
    """A value as a user picks it in the template: the drop-down label in the workbook's language."""
    if column.type == "yesno":
        return choice_labels(column, lang)[0 if value else 1]
    if column.choices:
        return next(c.label(lang) for c in column.choices if c.key == value)
    return value


def test_round_trip_through_the_reader(tmp_path, lang):
    path = save(tmp_path, STANDARD, lang)
    book = openpyxl.load_workbook(path)
    for key, values in ROWS.items():
        sheet = STANDARD.sheet(key)
        ws = book[sheet.label(lang)]
        r, cols = headers(ws, sheet, lang)
        for column in sheet.columns:
            ws.cell(r + 1, cols[column.label(lang)], as_written(column, values[column.key], lang))
    book.save(path)
    assert_reads_back(path, lang)


def assert_reads_back(path: Path, lang: str) -> None:
    """The workbook at `path` holds ROWS, one row a sheet, and reads back as EXPECTED."""
    wb = read_workbook(path, STANDARD)
    assert wb.lang == lang
    assert wb.unreadable == []
    for key, values in ROWS.items():
        sheet = STANDARD.sheet(key)
        assert set(wb.sheets[key].columns) == {c.key for c in sheet.columns}, key
        assert wb.sheets[key].headers["visit_id"] == sheet.column("visit_id").label(lang)
        [record] = wb.rows[key]
        for column in sheet.columns:
            expected = EXPECTED.get(key, {}).get(column.key, values[column.key])
            assert record.values[column.key] == expected, (key, column.key)
    visit = wb.visits["V2027-001"]
    assert len(visit.guests) == len(visit.items) == len(visit.staff) == len(visit.bookings) == 1
    assert visit.preparation is not None


# ---- filled by the writer itself (how the sample is written) --------------------------------

def test_rows_filled_in_by_the_writer_read_back_as_written(tmp_path, lang):
    """Keys become the language's labels, dates real date cells, strings text as given."""
    path = tmp_path / "filled.xlsx"
    filling = Filling({k: [v] for k, v in ROWS.items()}, title="来访 2027", properties={"title": "来访 2027"})
    path.write_bytes(render_template(STANDARD, lang, filling))
    assert_reads_back(path, lang)
    book = openpyxl.load_workbook(path)
    visits = STANDARD.sheet("visits")
    ws = book[visits.label(lang)]
    r, cols = headers(ws, visits, lang)
    assert ws["A1"].value == "来访 2027" and r == 3  # the title above the band, the band above the header
    assert {m.min_row for m in ws.merged_cells.ranges} == {2}
    assert ws.freeze_panes == "B4"
    arrival = ws.cell(r + 1, cols[visits.column("arrival").label(lang)])
    assert arrival.value == datetime(2027, 3, 10, 9, 30) and arrival.number_format == "yyyy-mm-dd hh:mm"
    assert ws.cell(r + 1, cols[visits.column("level").label(lang)]).value == as_written(
        visits.column("level"), "vip", lang)
    assert book.properties.title == "来访 2027"
    other = book[STANDARD.sheet("guests").label(lang)]
    assert header_row(other, GUESTS.column("visit_id").label(lang)) == 1  # the title is the Visits sheet's only


def test_a_row_with_a_key_the_sheet_has_no_column_for_is_refused(lang):
    with pytest.raises(KeyError, match="nickname"):
        render_template(STANDARD, lang, Filling({"guests": [{**GUEST, "nickname": "Lee"}]}))


def test_a_blank_template_has_no_rows(book, lang):
    for sheet in (STANDARD.sheet(s.key) for s in SHEETS):
        ws = book[sheet.label(lang)]
        r, _ = headers(ws, sheet, lang)
        assert ws.max_row == r, sheet.key
