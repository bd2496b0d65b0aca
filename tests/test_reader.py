"""Reading the workbook contract: writers, header forms, formulas, files in input/."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from workbooks import clean_visit, merge, write_workbook, write_workbook_xlsxwriter

from pipeline import values
from pipeline.errors import WorkbookError
from pipeline.reader import find_workbooks, read_workbook
from pipeline.standard import load_standard

STD = load_standard()


def records(wb):
    return {sheet: [r.values for r in rows] for sheet, rows in wb.rows.items()}


def two_visits():
    return merge(clean_visit("V1"), clean_visit("V2", day=20))


def test_openpyxl_and_xlsxwriter_read_the_same(tmp_path):
    a = read_workbook(write_workbook(tmp_path / "a.xlsx", two_visits()), STD)
    b = read_workbook(write_workbook_xlsxwriter(tmp_path / "b.xlsx", two_visits()), STD)
    assert records(a) == records(b)
    assert a.problems == b.problems == []
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
    assert lo.problems == []


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
    assert [(f.rule, f.sheet, f.row, f.column) for f in got.problems] == [
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
    got = [(f.rule, f.sheet, f.row, f.column, f.severity) for f in result.problems]
    assert got == [
        ("value.invalid", "来访", 2, "接待规格", "error"),
        ("value.invalid", "来访", 2, "来访人数", "error"),
        ("value.invalid", "来访", 2, "抵达时间", "error"),
        ("value.invalid", "来宾", 2, "是否吸烟", "warning"),
    ]
    assert "贵宾、高级、标准" in result.problems[0].message
    assert "偶尔" not in result.problems[3].message


def test_dates_outside_the_plausible_years_are_findings_on_their_cells(tmp_path):
    """A year 1 arrival or a 9999 item once crashed the check and the mail (OverflowError)."""
    from pipeline.checks import check_workbook
    rows = clean_visit()
    rows["visits"][0].update(arrival="0001-01-01 09:30", approved_on=date(1989, 12, 31))
    rows["itinerary"][0]["date"] = "9999-12-31"
    rows["itinerary"][1]["date"] = date(2100, 12, 31)  # the last plausible day
    rows["bookings"][0]["start"] = datetime(1990, 1, 1, 8)  # the first
    result = read_workbook(write_workbook(tmp_path / "w.xlsx", rows), STD)
    got = [(f.rule, f.sheet, f.row, f.column) for f in result.problems]
    assert got == [("value.invalid", "来访", 2, "抵达时间"), ("value.invalid", "来访", 2, "审批日期"),
                   ("value.invalid", "行程", 2, "日期")]
    assert "1990–2100" in result.problems[0].message
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
    assert [(f.column, f.message) for f in result.problems] == [
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
    from pipeline.reader import _has_formula
    assert _has_formula(b'<c r="A2"><f>1+1</f></c>')
    assert _has_formula(b'<c r="A2"><f t="shared" si="0"/></c>')
    assert _has_formula(b'<x:c r="A2"><x:f>1+1</x:f></x:c>')
    assert not _has_formula(b'<c r="A2" t="inlineStr"><is><t>see:f and &lt;f&gt;</t></is></c>')
    assert not _has_formula(b'<cols><col min="1"/></cols><sheetFormatPr defaultRowHeight="15"/>')


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


_CELLS = [None, "", "  ", True, False, 1, 1.0, 0, 0.0, 2.5, "1", " 1 ", "是", "否", "yes", "2027-03-10", 46091.0,
          date(2027, 3, 10), datetime(2027, 3, 10, 9, 30), datetime(2027, 3, 10), time(9, 30), "09:30", "V1",
          "V 1", "a@b.cn", "张三、李四", "\x07是", "周\x07敏", "Flight", "航班"]


def _cell_by_cell(cells: list, parse) -> tuple[list, dict, set]:
    """What _parse_column should give: each cell through the parser on its own."""
    expected, bad, dirty = [], {}, set()
    for i, cell in enumerate(cells):
        if isinstance(cell, str) and values.has_illegal(cell):
            dirty.add(i)
            cell = values.clean(cell)
        try:
            expected.append(parse(cell))
        except values.BadValue as e:
            expected.append(None)
            bad[i] = e.reason
    return expected, bad, dirty


@given(st.lists(st.sampled_from(_CELLS), max_size=25))
@settings(max_examples=200, deadline=None)
def test_a_column_parses_like_each_of_its_cells(cells):
    from pipeline.contract import SHEETS_BY_KEY
    from pipeline.reader import _parse_column, _parser
    for column in SHEETS_BY_KEY["visits"].columns[:16] + SHEETS_BY_KEY["itinerary"].columns:
        parse = _parser(column)
        expected, bad, dirty = _cell_by_cell(cells, parse)
        memo: dict = {}
        for _ in range(2):  # the second time from what the first one remembered
            out, got_bad, got_dirty = _parse_column(tuple(cells), parse, memo)
            assert (list(out), got_bad, got_dirty) == (expected, bad, dirty)
            assert [type(v) for v in out] == [type(v) for v in expected]


_ID_LIKE = st.text(st.sampled_from("Vv-_19 \t\u3000\u00a0Ｖ１é\n@.＠"), max_size=8)
_EMAILS = st.sampled_from(["a@b.cn", " a.b@c-d.example.com ", "a@b", "a@@b.cn", "Ａ@b.cn", "a@b.cn\n",
                           "x" * 250 + "@b.cn", "x" * 240 + "@b.cn", "a @b.cn"])
_NAMES = st.text(st.sampled_from("张三 、,，;；\u3000\n\tab"), max_size=10)


@given(st.lists(st.one_of(st.text(max_size=8), _ID_LIKE, _EMAILS, _NAMES, st.sampled_from(_CELLS)), max_size=30))
@settings(max_examples=300, deadline=None)
def test_text_and_id_columns_parse_their_strings_at_once_as_each_cell(cells):
    """values.MANY: a column's strings through str.strip in C give what the parser gives
    each cell (blanks, spaces of every kind, full-width and non-ASCII IDs and addresses,
    lists of names, line breaks and control characters, which go back to one by one)."""
    from pipeline.reader import _parse_column
    assert set(values.MANY) == {values.text, values.visit_id, values.email, values.names}
    for parse in values.MANY:
        expected, bad, dirty = _cell_by_cell(cells, parse)
        out, got_bad, got_dirty = _parse_column(tuple(cells), parse, {})
        assert (list(out), got_bad, got_dirty) == (expected, bad, dirty)


def test_a_plain_text_or_id_column_takes_its_strings_at_once(monkeypatch):
    from pipeline.reader import _parse_column
    taken = []
    monkeypatch.setattr(values, "MANY", {p: (lambda s, f=f: taken.append(len(s)) or f(s))
                                         for p, f in values.MANY.items()})
    assert _parse_column(("A-1", " B-2 ", "A-1", "C 3", None, ""), values.visit_id, {}) == (
        ("A-1", "B-2", "A-1", None, None, None), {3: "id"}, set())
    assert _parse_column(("张三", " 李四 ", 5.0), values.text, {})[0] == ("张三", "李四", "5")
    assert _parse_column(("a@b.cn", "a@b"), values.email, {}) == (("a@b.cn", None), {1: "email"}, set())
    assert taken == [4, 2, 2]


@given(st.lists(st.lists(st.sampled_from([None, "", " ", "\u3000", "x", 0, 0.0, False]), min_size=3, max_size=3),
                max_size=12), st.integers(0, 2))
def test_blank_rows_are_the_rows_whose_every_cell_is_blank(grid, first):
    from itertools import zip_longest

    from pipeline.reader import _blank_rows
    columns = list(zip_longest(*grid, fillvalue=None))
    expected = [i for i, row in enumerate(grid) if all(values.is_blank(c) for c in row)]
    assert _blank_rows(columns, first if columns else 0) == expected


_PLACEHOLDER_CELLS = ["待定", "（待定）", " TBD ", "?", "--", "待确认", "无", "none", "张三", "航班", "2027-03-10",
                      "09:30", "是", "否", "1", None, "", 3, "V1", "a@b.cn", "xx"]


@given(st.lists(st.sampled_from(_PLACEHOLDER_CELLS), max_size=20))
@settings(max_examples=150, deadline=None)
def test_a_placeholder_cell_has_no_value_and_the_reason_placeholder(cells):
    """A text column looks for placeholders among all its strings; another column among
    the strings it cannot read, so an enumeration's own label (待确认: pending) stays a value."""
    from pipeline.contract import SHEETS_BY_KEY
    from pipeline.reader import _SCREENED, _parse_column, _parser
    from pipeline.standard import load_standard
    held = load_standard().placeholders
    for column in SHEETS_BY_KEY["visits"].columns[:16] + SHEETS_BY_KEY["itinerary"].columns \
            + SHEETS_BY_KEY["bookings"].columns:
        parse = _parser(column)
        screened = column.type in _SCREENED
        expected, bad, dirty = _cell_by_cell(cells, parse)
        for i, cell in enumerate(cells):
            if held.matches(cell) and (screened or i in bad):
                expected[i], bad[i] = parse(None), "placeholder"  # the column's blank: None, or () for names
        out, got_bad, got_dirty = _parse_column(tuple(cells), parse, {}, held, screened)
        assert (list(out), got_bad, got_dirty) == (expected, bad, dirty), column.key


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
    assert wb.problems == []  # no "cannot be read": a placeholder is no bad value
    found = {(f.rule, f.field) for f in check_workbook(wb, std, date(2027, 3, 5)).findings}
    # notes, attendees and guests are optional: their placeholders only wait for a value
    assert found == {("visit.headcount", "headcount"), ("visit.arrival_mode", "arrival_mode"),
                     ("booking.confirmed", "status")}
