"""Messy but legitimate workbooks read as their authors meant them: merged cells, hidden
sheets, trailing formatted rows, the 1904 date system, dates as serial numbers and as
text, full-width digits, numbers stored as text and phone numbers stored as numbers.
(A header below a title row: test_reader.test_header_forms_order_title_rows_and_blank_rows;
formulas with and without a cached value: test_reader.test_formula_cached_value_counts_and_uncached_is_a_finding.)"""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest
from extract import docx_text
from openpyxl.styles import PatternFill
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from workbooks import CLEAN_TODAY, clean_visit, merge, write_workbook

from pipeline import build as recipe
from pipeline.checks import check_workbook
from pipeline.reader import read_workbook
from pipeline.standard import load_standard

STD = load_standard()


def findings(path: Path) -> list[tuple]:
    return [(f.rule, f.sheet, f.row, f.column) for f in check_workbook(read_workbook(path, STD), STD, CLEAN_TODAY).findings]


def edited(tmp_path: Path, rows: dict, change, name: str = "w.xlsx") -> Path:
    path = write_workbook(tmp_path / name, rows)
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)
    return path


def test_an_id_or_a_date_merged_over_several_rows_belongs_to_each(tmp_path):
    rows = merge(clean_visit("V1"), clean_visit("V2", day=20))

    def merge_cells(book):
        guests = book["来宾"]
        guests["A3"] = guests["A5"] = None
        guests.merge_cells("A2:A3")  # V1's two guests
        guests.merge_cells("A4:A5")  # V2's
        items = book["行程"]
        for r in range(3, 6):
            items.cell(r, 2).value = None
        items.merge_cells("B2:B5")  # V1's first day, over its first four items
        book["来访"].merge_cells("E2:F2")  # merged across columns: layout, not a value for both

    wb = read_workbook(edited(tmp_path, rows, merge_cells), STD)
    assert [g.visit_id for g in wb.rows["guests"]] == ["V1", "V1", "V2", "V2"]
    assert [i.date for i in wb.visits["V1"].items[:4]] == [date(2027, 3, 10)] * 4
    assert wb.visits["V1"].record.objective == "签订年度框架协议" and wb.visits["V1"].record.theme is None


def test_hidden_sheets_are_read_and_other_sheets_ignored(tmp_path):
    def hide(book):
        book["来宾"].sheet_state = "hidden"
        lists = book.create_sheet("下拉列表")
        lists["A1"] = "接待编号"  # a helper sheet, even one with a contract header
        lists.sheet_state = "veryHidden"

    path = edited(tmp_path, clean_visit(), hide)
    assert len(read_workbook(path, STD).rows["guests"]) == 2
    assert findings(path) == []


def test_trailing_formatted_but_empty_rows_are_no_rows(tmp_path):
    fill = PatternFill(fill_type="solid", start_color="FFFF00", end_color="FFFF00")

    def format_rows(book):
        for ws in book.worksheets:
            for r in range(ws.max_row + 1, 3000):
                for c in range(1, 8):
                    ws.cell(r, c).fill = fill
                ws.row_dimensions[r].height = 20

    path = edited(tmp_path, clean_visit(), format_rows)
    assert findings(path) == []
    assert len(read_workbook(path, STD).rows["itinerary"]) == 8


def test_the_1904_date_system(tmp_path):
    rows = clean_visit()
    rows["visits"][0]["approved_on"] = 44985  # a date typed as a number: 2027-03-01 counted from 1904

    def to_1904(book):
        book.epoch = CALENDAR_MAC_1904  # the date cells are written as 1904 serials

    path = edited(tmp_path, rows, to_1904)
    wb = read_workbook(path, STD)
    v = wb.visits["V1"]
    assert v.record.arrival == datetime(2027, 3, 10, 9, 30) and v.record.approved_on == date(2027, 3, 1)
    assert v.items[0].date == date(2027, 3, 10) and v.items[0].start == time(8, 30)
    assert findings(path) == []


def test_dates_as_serial_numbers_and_as_text_and_full_width_digits(tmp_path):
    rows = clean_visit()
    rows["visits"][0].update(approved_on=46447, briefed_on="２０２７年３月２日", arrival="2027/3/10 9:30",
                             departure="2027.3.11 16:00", headcount="２")
    rows["itinerary"][0].update(date="46456", start="８:３０", end="9.45")
    rows["bookings"][0]["start"] = 46456.5625  # 13:30
    path = write_workbook(tmp_path / "w.xlsx", rows)
    v = read_workbook(path, STD).visits["V1"]
    assert (v.record.approved_on, v.record.briefed_on) == (date(2027, 3, 1), date(2027, 3, 2))
    assert (v.record.arrival, v.record.departure) == (datetime(2027, 3, 10, 9, 30), datetime(2027, 3, 11, 16))
    assert v.record.headcount == 2
    assert (v.items[0].date, v.items[0].start, v.items[0].end) == (date(2027, 3, 10), time(8, 30), time(9, 45))
    assert v.bookings[0].start == datetime(2027, 3, 10, 13, 30)
    assert findings(path) == []


def test_numbers_stored_as_text(tmp_path):
    rows = clean_visit()
    rows["visits"][0].update(headcount="2", status="completed", satisfaction=" 5 ", minutes="x", follow_up="y")
    rows["guests"][0]["rank"] = "1"
    rows["bookings"][1]["quantity"] = "2"
    v = read_workbook(write_workbook(tmp_path / "w.xlsx", rows), STD).visits["V1"]
    assert (v.record.headcount, v.record.satisfaction, v.guests[0].rank, v.bookings[1].quantity) == (2, 5, 1, 2)


@pytest.fixture
def phones(tmp_path):
    """A build of a visit whose phones and IDs are stored as numbers and as text with a
    leading zero."""
    rows = clean_visit()
    rows["visits"][0]["contact_phone"] = 13800138000  # a number: Excel shows 1.38E+10 in a narrow column
    rows["guests"][0]["phone"] = "013900139000"
    rows["staff"][0].update(phone="02155550000", staff_id=1001.0)
    rows["staff"][1].update(phone=2155550001, staff_id="007")
    inbox = tmp_path / "in"
    inbox.mkdir()
    write_workbook(inbox / "w.xlsx", rows)
    run = recipe.build(recipe.Options(inbox, tmp_path / "out", CLEAN_TODAY, STD, workers=1))
    assert run.exit_code == 0
    return read_workbook(inbox / "w.xlsx", STD).visits["V1"], tmp_path / "out" / "w" / "V1"


def test_phones_and_ids_keep_their_digits_in_the_records(phones):
    v, _ = phones
    assert v.record.contact_phone == "13800138000" and v.guests[0].phone == "013900139000"
    assert [(s.phone, s.staff_id) for s in v.staff[:2]] == [("02155550000", "1001"), ("2155550001", "007")]


def test_numbers_shown_with_leading_zeros_keep_them(tmp_path):
    """A phone typed as a number in a cell formatted `00000000000` shows its leading 0 in
    Excel: it is read as shown. A number column with such a format stays a number, and a
    text column's number without one stays as typed."""
    rows = clean_visit()
    rows["visits"][0].update(contact_phone=2161234567, headcount=2)
    rows["staff"][0].update(phone=2155550000, staff_id=7)
    rows["staff"][1].update(phone=2155550001)
    path = write_workbook(tmp_path / "w.xlsx", rows)
    book = openpyxl.load_workbook(path)
    formats = {2161234567: "00000000000", 2155550000: "00000000000", 7: "0000", 2: "000"}
    for ws in book.worksheets:
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if cell.value in formats and cell.data_type == "n":
                    cell.number_format = formats[cell.value]
    book.save(path)
    v = read_workbook(path, STD).visits["V1"]
    assert (v.record.contact_phone, v.record.headcount) == ("02161234567", 2)
    assert [(s.phone, s.staff_id) for s in v.staff[:2]] == [("02155550000", "0007"), ("2155550001", "E1002")]


def test_phones_and_ids_keep_their_digits_in_the_documents(phones):
    _, folder = phones
    plan = docx_text(next(folder.glob("接待方案_*.docx")).read_bytes())
    assert "13800138000" in plan and "013900139000" in plan
    roles = openpyxl.load_workbook(next(folder.glob("人员分工_*.xlsx")))
    cells = [c.value for ws in roles.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert "02155550000" in cells and "2155550001" in cells
    text = " ".join(map(str, cells)) + plan
    for wrong in ("1.38e", "1.38E", "13800138000.0", "2155550001.0", "1001.0", "E+10"):
        assert wrong not in text
