"""Reading the workbook contract: writers, header forms, formulas, files in input/."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest
from workbooks import clean_visit, merge, write_workbook, write_workbook_xlsxwriter

from pipeline import values
from pipeline.checks.reading import reading_findings
from pipeline.errors import WorkbookError
from pipeline.reader import find_workbooks, read_workbook
from pipeline.standard import load_standard

STD = load_standard()


def records(wb):
    return {sheet: [r.values for r in rows] for sheet, rows in wb.rows.items()}


def unreadable(wb):
    """The cells the reader could not read: (sheet, row, field, why, what the cell held)."""
    return [(u.record.sheet, u.record.row, u.field, u.reason, u.value) for u in wb.unreadable]


def two_visits():
    return merge(clean_visit("V1"), clean_visit("V2", day=20))


def test_openpyxl_and_xlsxwriter_read_the_same(tmp_path):
    a = read_workbook(write_workbook(tmp_path / "a.xlsx", two_visits()), STD)
    b = read_workbook(write_workbook_xlsxwriter(tmp_path / "b.xlsx", two_visits()), STD)
    assert records(a) == records(b)
    assert reading_findings(a, STD) == reading_findings(b, STD) == []  # no sheet, column or cell amiss
    v = a.visits["V1"].record
    assert v.arrival == datetime(2027, 3, 10, 9, 30)
    assert v.level == "vip" and v.accommodation is True and v.headcount == 2
    assert a.visits["V1"].items[0].start == time(8, 30)
    assert a.visits["V1"].items[2].attendees == ("陈静", "王芳")


def test_text_in_the_shared_strings_table_or_in_each_cell_reads_the_same(tmp_path):
    """The benchmark's two forms of one workbook (scripts/bench.py times both)."""
    import sys
    import zipfile
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    from big_workbook import write_big_workbook

    shared = write_big_workbook(tmp_path / "shared.xlsx", 30)
    inline = write_big_workbook(tmp_path / "inline.xlsx", 30, inline_strings=True)
    with zipfile.ZipFile(shared) as a, zipfile.ZipFile(inline) as b:
        assert "xl/sharedStrings.xml" in a.namelist() and "xl/sharedStrings.xml" not in b.namelist()
        assert b't="inlineStr"' in b.read("xl/worksheets/sheet1.xml")
    a, b = read_workbook(shared, STD), read_workbook(inline, STD)
    assert records(a) == records(b) and len(a.visits) == 30


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
@pytest.mark.slow
def test_libreoffice_saved_workbook_reads_the_same(tmp_path):
    src = write_workbook_xlsxwriter(tmp_path / "src.xlsx", two_visits())
    out = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=180)
    lo = read_workbook(out / "src.xlsx", STD)
    assert records(lo) == records(read_workbook(src, STD))
    assert reading_findings(lo, STD) == []


def test_english_headers_and_sheets(tmp_path):
    zh = read_workbook(write_workbook(tmp_path / "zh.xlsx", clean_visit()), STD)
    en = read_workbook(write_workbook(tmp_path / "en.xlsx", clean_visit(), lang="en"), STD)
    assert (zh.lang, en.lang) == ("zh", "en")
    assert records(zh) == records(en)


def test_header_forms_order_title_rows_and_blank_rows(tmp_path):
    """Two-line headers, keys, odd case and width, shuffled columns, a title above the
    table, blank rows in the middle: all read the same."""
    path = write_workbook(tmp_path / "plain.xlsx", clean_visit())
    plain = read_workbook(path, STD)
    wb = openpyxl.load_workbook(path)
    ws = wb["来访"]
    for cell in ws[1]:
        col = next(c for c in STD.sheet("visits").columns if c.zh == cell.value)
        cell.value = {0: f"{col.zh}\n{col.en}", 1: col.en.upper(), 2: col.key}[cell.column % 3]
    ws.insert_rows(1, 2)
    ws["A1"] = "2027年客户接待台账"
    guests = wb["来宾"]
    guests.move_range("A1:L3", cols=2)
    guests.cell(row=1, column=1, value="自定义列")
    guests.insert_rows(3)  # a blank row between two guests
    ws.title = "来访 Visits"
    wb["行程"].title = " ITINERARY "
    wb["人员分工"]["A1"] = "ＶＩＳＩＴ ＩＤ"  # full-width
    wb.save(tmp_path / "messy.xlsx")
    messy = read_workbook(tmp_path / "messy.xlsx", STD)
    assert records(messy) == records(plain)
    assert messy.sheets["visits"].header_row == 3 and messy.lang == "zh"
    assert messy.visits["V1"].record.row == 4
    assert [g.row for g in messy.visits["V1"].guests] == [2, 4]


def test_formula_cached_value_counts_and_uncached_is_a_finding(tmp_path):
    import xlsxwriter

    rows = clean_visit()
    path = write_workbook_xlsxwriter(tmp_path / "f.xlsx", rows)
    # rewrite with formulas: headcount with a cached value, contact phone without one
    wb = xlsxwriter.Workbook(str(tmp_path / "g.xlsx"))
    src = read_workbook(path, STD)
    for key, info in src.sheets.items():
        ws = wb.add_worksheet(info.name)
        for col_key, j in info.columns.items():
            ws.write_string(0, j, info.headers[col_key])
        for i, rec in enumerate(src.rows[key], start=1):
            for col_key, j in info.columns.items():
                v = rec.values.get(col_key)
                if key == "visits" and col_key == "headcount":
                    ws.write_formula(i, j, "=1+1", None, 2)
                elif key == "visits" and col_key == "contact_name":
                    ws.write_formula(i, j, '=""&"钱红"', None, "")
                elif v is None or v == ():
                    continue
                elif isinstance(v, tuple):
                    ws.write_string(i, j, "、".join(v))
                elif isinstance(v, bool):
                    ws.write_string(i, j, "是" if v else "否")
                elif isinstance(v, (datetime, date, time)):
                    ws.write_datetime(i, j, v, wb.add_format({"num_format": "yyyy-mm-dd hh:mm"}))
                elif isinstance(v, str):
                    ws.write_string(i, j, v)
                else:
                    ws.write_number(i, j, v)
    wb.close()
    _strip_cached_value(tmp_path / "g.xlsx", tmp_path / "h.xlsx")
    got = read_workbook(tmp_path / "h.xlsx", STD)
    assert got.visits["V1"].record.headcount == 2
    assert unreadable(got) == [("visits", 2, "contact_name", "formula_uncached", None)]
    assert "contact_name" not in got.visits["V1"].record.values  # no value at all, not even None
    assert [(f.rule, f.sheet, f.row, f.column) for f in reading_findings(got, STD)] == [
        ("value.formula_uncached", "来访", 2, "客户对接人")]


def _strip_cached_value(src, dst):
    """xlsxwriter writes <v></v> for an empty cached string; drop it like a program that
    never calculated the workbook."""
    import re
    import zipfile
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'(<c r="[A-Z]+2"[^>]*t="str"[^>]*><f>[^<]*</f>)<v></v>', rb"\1", data)
            zout.writestr(item, data)


def test_invalid_values_are_findings_on_their_cells(tmp_path):
    rows = clean_visit()
    rows["visits"][0].update(level="超级", headcount="两个", arrival="下周二")
    rows["guests"][0]["smoker"] = "偶尔"
    result = read_workbook(write_workbook(tmp_path / "w.xlsx", rows), STD)
    assert unreadable(result) == [("visits", 2, "level", "enum", "超级"), ("visits", 2, "headcount", "int", "两个"),
                                  ("visits", 2, "arrival", "datetime", "下周二"), ("guests", 2, "smoker", "yesno", "偶尔")]
    assert result.visits["V1"].record.bad == {"level", "headcount", "arrival"}
    # the check stage: the clause and severity of the rules on the column, a message naming the cell
    findings = reading_findings(result, STD)
    got = [(f.rule, f.sheet, f.row, f.column, f.severity, f.sheet_key, f.field) for f in findings]
    assert got == [
        ("value.invalid", "来访", 2, "接待规格", "error", "visits", "level"),
        ("value.invalid", "来访", 2, "来访人数", "error", "visits", "headcount"),
        ("value.invalid", "来访", 2, "抵达时间", "error", "visits", "arrival"),
        ("value.invalid", "来宾", 2, "是否吸烟", "warning", "guests", "smoker"),
    ]
    assert "贵宾、高级、标准" in findings[0].message
    assert "偶尔" not in findings[3].message  # a confidential field's value is never repeated (§2.5)


def test_dates_outside_the_plausible_years_are_findings_on_their_cells(tmp_path):
    """A year 1 arrival or a 9999 item once crashed the check and the mail (OverflowError)."""
    from pipeline.checks import check_workbook
    rows = clean_visit()
    rows["visits"][0].update(arrival="0001-01-01 09:30", approved_on=date(1989, 12, 31))
    rows["itinerary"][0]["date"] = "9999-12-31"
    rows["itinerary"][1]["date"] = date(2100, 12, 31)  # the last plausible day
    rows["bookings"][0]["start"] = datetime(1990, 1, 1, 8)  # the first
    result = read_workbook(write_workbook(tmp_path / "w.xlsx", rows), STD)
    assert [(u.record.sheet, u.field, u.reason) for u in result.unreadable] == [
        ("visits", "arrival", "year"), ("visits", "approved_on", "year"), ("itinerary", "date", "year")]
    findings = reading_findings(result, STD)
    got = [(f.rule, f.sheet, f.row, f.column) for f in findings]
    assert got == [("value.invalid", "来访", 2, "抵达时间"), ("value.invalid", "来访", 2, "审批日期"),
                   ("value.invalid", "行程", 2, "日期")]
    assert "1990–2100" in findings[0].message
    visit = result.visits["V1"]
    assert visit.record.arrival is None and visit.items[0].date is None and visit.items[1].date == date(2100, 12, 31)
    check_workbook(result, STD, date(2027, 3, 5))  # and the check runs


def test_the_plausible_years_come_from_the_rules_file(tmp_path):
    text = STD.path.read_text(encoding="utf-8").replace("plausible_years: [1990, 2100]", "plausible_years: [2020, 2030]")
    assert text != STD.path.read_text(encoding="utf-8")
    (tmp_path / "rules.yaml").write_text(text, encoding="utf-8")
    own = load_standard(tmp_path / "rules.yaml")
    rows = clean_visit()
    rows["visits"][0]["approved_on"] = date(2019, 6, 1)
    result = read_workbook(write_workbook(tmp_path / "w.xlsx", rows), own)
    assert [(f.column, f.message) for f in reading_findings(result, own)] == [
        ("审批日期", "“审批日期”的年份须在 2020–2030 之间：请检查年份")]


def test_no_visits_sheet_is_an_error_naming_the_file(tmp_path):
    path = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Budget"
    wb.save(path)
    with pytest.raises(WorkbookError) as e:
        read_workbook(path, STD)
    assert "other.xlsx" in str(e.value) and "Visits" in str(e.value)


@pytest.mark.parametrize("content, words", [
    (b"", "not a valid .xlsx"), (b"visit_id,client\nV1,x\n", "not a valid .xlsx"),
    (b"PK\x03\x04truncated", "not a valid .xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old-format Excel file (.xls)"),
])
def test_unreadable_files(tmp_path, content, words):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    with pytest.raises(WorkbookError) as e:
        read_workbook(path, STD)
    assert words in e.value.message


def test_find_workbooks_skips_lock_hidden_and_other_files(tmp_path):
    for name in ("b.xlsx", "a.xlsx", "~$a.xlsx", ".hidden.xlsx", "notes.txt", "README.md"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "sub").mkdir()
    found, skipped = find_workbooks(tmp_path)
    assert [p.name for p in found] == ["a.xlsx", "b.xlsx"]
    assert [(reason, p.name) for reason, p in skipped] == [
        ("skipped_hidden", ".hidden.xlsx"), ("skipped_other", "notes.txt"), ("skipped_lock", "~$a.xlsx")]


def test_a_pipe_socket_or_device_in_the_input_is_skipped_not_opened(tmp_path):
    """Opening a FIFO named like a workbook would wait for a writer forever."""
    import socket
    write_workbook(tmp_path / "a.xlsx", clean_visit())
    os.mkfifo(tmp_path / "pipe.xlsx")
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(tmp_path / "sock.xlsx"))
        found, skipped = find_workbooks(tmp_path)
    assert [p.name for p in found] == ["a.xlsx"]
    assert [(reason, p.name) for reason, p in skipped] == [("skipped_special", "pipe.xlsx"),
                                                          ("skipped_special", "sock.xlsx")]
    assert find_workbooks(tmp_path / "pipe.xlsx") == ([], [("skipped_special", tmp_path / "pipe.xlsx")])


def test_rows_are_grouped_by_visit(tmp_path):
    wb = read_workbook(write_workbook(tmp_path / "w.xlsx", two_visits()), STD)
    assert list(wb.visits) == ["V1", "V2"]
    v2 = wb.visits["V2"]
    assert len(v2.guests) == 2 and len(v2.items) == 8 and len(v2.staff) == 4 and v2.preparation is not None
    assert [g.name for g in v2.guests_in_order()] == ["孙伟", "周敏"]


def test_invisible_control_characters_are_removed_and_each_cell_is_a_finding(tmp_path):
    from workbooks import CLEAN_TODAY

    from pipeline.checks import check_workbook
    rows = clean_visit()
    rows["guests"][1]["name"] = "周\x07敏"
    rows["visits"][0]["objective"] = "签订\x0b年度\x01框架协议"
    rows["itinerary"][1]["kind"] = "\x08交通"
    wb = read_workbook(write_workbook_xlsxwriter(tmp_path / "w.xlsx", rows), STD)
    assert wb.visits["V1"].guests[1].name == "周敏"
    assert wb.visits["V1"].record.objective == "签订年度框架协议"
    assert wb.visits["V1"].items[1].kind == "transfer"
    assert [(rec.sheet, rec.row, key) for rec, key in wb.cleaned] == [
        ("visits", 2, "objective"), ("guests", 3, "name"), ("itinerary", 3, "kind")]
    result = check_workbook(wb, STD, CLEAN_TODAY)
    assert [(f.rule, f.severity, f.sheet, f.row, f.column) for f in result.findings] == [
        ("value.control_characters", "info", "来访", 2, "接待目标"),
        ("value.control_characters", "info", "来宾", 3, "姓名"),
        ("value.control_characters", "info", "行程", 3, "类型"),
    ]
    assert result.findings[1].message.startswith("周敏：“姓名”中有不可见的控制字符")
    for f in result.findings:
        assert not values.has_illegal(f.message + f.column)


def test_formula_marks_are_found_in_the_sheet_xml():
    from pipeline.reader.sheetxml import has_formula
    assert has_formula(b'<c r="A2"><f>1+1</f></c>')
    assert has_formula(b'<c r="A2"><f t="shared" si="0"/></c>')
    assert has_formula(b'<x:c r="A2"><x:f>1+1</x:f></x:c>')
    assert not has_formula(b'<c r="A2" t="inlineStr"><is><t>see:f and &lt;f&gt;</t></is></c>')
    assert not has_formula(b'<cols><col min="1"/></cols><sheetFormatPr defaultRowHeight="15"/>')


def test_the_garbage_collector_is_left_as_it_was(tmp_path):
    import gc
    path = write_workbook(tmp_path / "w.xlsx", clean_visit())
    assert gc.isenabled()
    read_workbook(path, STD)
    assert gc.isenabled()
    gc.disable()
    try:
        read_workbook(path, STD)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_record_reads_its_fields_as_attributes_and_survives_pickling():
    import pickle

    from pipeline.model import Record
    rec = Record("guests", 3, {"visit_id": "V1", "name": "周敏", "rank": None}, frozenset({"rank"}), {"title": "待定"})
    assert (rec.name, rec.rank, rec.title, rec.sheet, rec.row) == ("周敏", None, None, "guests", 3)
    assert rec.values == {"visit_id": "V1", "name": "周敏", "rank": None}
    rec.values["title"] = "经理"
    assert rec.title == "经理" and rec.get("rank", 0) == 0
    back = pickle.loads(pickle.dumps(rec))
    assert (back.sheet, back.row, back.values, back.bad, back.held) == (rec.sheet, rec.row, rec.values, rec.bad,
                                                                       {"title": "待定"})
    assert Record("guests", 4, {}).held == {}


def test_a_misspelt_field_is_an_error_not_a_blank(tmp_path):
    """A field of the sheet's contract reads as None where the row lacks it (a version-1
    workbook has no seating column); a name the contract does not know is an error."""
    from pipeline.model import Record
    wb = read_workbook(write_workbook(tmp_path / "w.xlsx", clean_visit(), drop={"itinerary": {"seating"}}), STD)
    item = wb.visits["V1"].items[0]
    assert item.seating is None and item.guests == ()
    with pytest.raises(AttributeError, match="seatting"):
        item.seatting
    with pytest.raises(AttributeError, match="title"):
        wb.visits["V1"].staff[0].title  # the Staff sheet has no title column
    assert Record("guests", 2, {}).title is None
    assert getattr(item, "__html__", "no") == "no"  # protocols asked of any object find nothing either


def test_placeholders_are_held_on_their_records_and_reported_only_where_a_value_is_required(tmp_path):
    from workbooks import clean_visit, write_workbook

    from pipeline.checks import check_workbook
    from pipeline.standard import load_standard
    std = load_standard()
    rows = clean_visit()
    rows["visits"][0].update(headcount="待定", notes="?", arrival_mode="TBD")
    rows["itinerary"][2].update(attendees="待定", guests="-")
    rows["bookings"][1].update(status="待确认")  # the label of "pending", not a placeholder
    wb = read_workbook(write_workbook(tmp_path / "w.xlsx", rows), std)
    visit = wb.visits["V1"]
    assert visit.record.held == {"headcount": "待定", "notes": "?", "arrival_mode": "TBD"}
    assert (visit.record.headcount, visit.record.notes, visit.record.arrival_mode) == (None, None, None)
    assert (visit.items[2].attendees, visit.items[2].guests, visit.items[2].held) == (
        (), (), {"attendees": "待定", "guests": "-"})
    assert visit.bookings[1].status == "pending" and visit.bookings[1].held == {}
    assert wb.unreadable == []  # no "cannot be read": a placeholder is no bad value
    found = {(f.rule, f.field) for f in check_workbook(wb, std, date(2027, 3, 5)).findings}
    # notes, attendees and guests are optional: their placeholders only wait for a value
    assert found == {("visit.headcount", "headcount"), ("visit.arrival_mode", "arrival_mode"),
                     ("booking.confirmed", "status")}
