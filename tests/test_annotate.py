"""The annotated copy: faulty cells coloured by severity with a comment, the input untouched."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from datetime import date

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font
from workbooks import CLEAN_TODAY, clean_visit, merge, write_workbook, write_workbook_xlsxwriter

from pipeline.annotate import AUTHOR, annotate_copy
from pipeline.checks import check_workbook
from pipeline.findings import Finding
from pipeline.reader import read_workbook
from pipeline.standard import load_standard

STD = load_standard()
ERROR, WARNING, INFO = "FFC7CE", "FFEB9C", "DDEBF7"
ZH_SHEETS = ["来访", "来宾", "行程", "人员分工", "资源预订", "准备清单"]


def check(path):
    return check_workbook(read_workbook(path, STD), STD, CLEAN_TODAY)


def reopen(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def fill(cell) -> str | None:
    return cell.fill.fgColor.rgb[-6:] if cell.fill.fill_type == "solid" else None


def gaps() -> dict[str, list[dict]]:
    """V1 clean; V2 with an error, a warning and an info; V3 with two findings on one cell."""
    rows = merge(clean_visit("V1", 10), clean_visit("V2", 12), clean_visit("V3", 1))
    v2, v3 = rows["visits"][1], rows["visits"][2]
    v2["client_org"] = None  # error on 来访!B3
    v2["org_profile"] = None  # warning
    rows["preparation"][1]["signage"] = "pending"  # info: due on arrival
    # V3 left on 2027-03-02 and its status is blank: an error and a warning on the status cell
    v3.update(status=None, approved_on=date(2027, 2, 25), briefed_on=date(2027, 2, 26))
    return rows


def test_faulty_cells_are_coloured_and_commented(tmp_path):
    path = write_workbook(tmp_path / "visits.xlsx", gaps())
    result = check(path)
    book = reopen(annotate_copy(result))
    assert book.sheetnames == ["检查说明", *ZH_SHEETS]
    visits = book["来访"]
    header = [c.value for c in visits[1]]
    col = {label: i + 1 for i, label in enumerate(header)}

    cell = visits.cell(3, col["客户单位"])
    assert fill(cell) == ERROR
    assert cell.comment.author == AUTHOR
    assert cell.comment.text == "[错误] §3.1.1 visit.client_org: “客户单位”未填写：请填写客户单位全称"

    cell = visits.cell(3, col["单位概况"])
    assert fill(cell) == WARNING and "§3.1.2 visit.org_profile" in cell.comment.text
    assert cell.comment.text.startswith("[警告]")

    prep = book["准备清单"]
    cell = prep.cell(3, [c.value for c in prep[1]].index("引导标识") + 1)
    assert fill(cell) == INFO and "§3.3.1 prep.item_done" in cell.comment.text and "2027-03-12" in cell.comment.text

    # two findings on one cell: one comment, the worst colour, the worst first
    cell = visits.cell(4, col["状态"])
    lines = cell.comment.text.split("\n")
    assert fill(cell) == ERROR
    assert [re.match(r"\[(\S+)\] §\S+ (\S+):", x).groups() for x in lines] == [
        ("错误", "visit.status"), ("警告", "visit.close_out")]

    # the clean visit is untouched
    assert all(c.comment is None and fill(c) is None for c in visits[2])


def test_every_finding_with_a_cell_is_on_it(tmp_path):
    path = write_workbook(tmp_path / "visits.xlsx", gaps())
    result = check(path)
    book = reopen(annotate_copy(result))
    for f in result.findings:
        info = next(i for i in result.workbook.sheets.values() if i.name == f.sheet)
        column = info.columns.get(f.field, info.columns["visit_id"]) + 1
        cell = book[f.sheet].cell(f.row, column)
        assert f"§{f.clause} {f.rule}: {f.message}" in cell.comment.text
        assert fill(cell) is not None


def test_row_findings_go_on_the_visit_id_cell(tmp_path):
    rows = clean_visit()
    rows["staff"][0]["role"] = "escort"  # no main host: the visit's whole row
    path = write_workbook(tmp_path / "visits.xlsx", rows)
    book = reopen(annotate_copy(check(path)))
    cell = book["来访"]["A2"]
    assert fill(cell) == ERROR and "visit.main_host" in cell.comment.text and "§3.3.2" in cell.comment.text


def test_missing_column_is_marked_on_the_header_row(tmp_path):
    path = write_workbook(tmp_path / "visits.xlsx", clean_visit(), drop={"bookings": {"reconfirmed"}})
    book = reopen(annotate_copy(check(path)))
    cell = book["资源预订"]["A1"]
    assert fill(cell) == ERROR and "column.missing" in cell.comment.text and "已复核" in cell.comment.text


def test_findings_without_a_cell_are_listed_on_the_notes_sheet(tmp_path):
    path = write_workbook(tmp_path / "visits.xlsx", clean_visit())
    wb = openpyxl.load_workbook(path)
    del wb["资源预订"]
    wb.save(path)
    result = check(path)
    stray = Finding("V1", "test.stray", "9.9", "warning", "不存在", 7, "某列", "=HYPERLINK(\"http://x\")", field="x")
    result = dataclasses.replace(result, findings=[*result.findings, stray])
    data = annotate_copy(result)
    book = reopen(data)
    notes = book["检查说明"]
    assert book.active.title == "检查说明" and book.sheetnames[0] == "检查说明"
    legend = {c.value: fill(c) for c in notes[3] if c.value}
    assert legend["错误"] == ERROR and legend["警告"] == WARNING and legend["提示"] == INFO
    table = [r for r in notes.iter_rows(values_only=True)]
    header = table.index(("严重程度", "条款", "接待编号", "工作表", "行", "列", "规则", "问题说明"))
    listed = table[header + 1:]
    sheet_missing = next(f for f in result.findings if f.rule == "sheet.missing")
    assert ("错误", f"§{sheet_missing.clause}", "（工作簿）", "资源预订", None, None, "sheet.missing",
            sheet_missing.message) in listed
    assert ("警告", "§9.9", "V1", "不存在", 7, "某列", "test.stray", "=HYPERLINK(\"http://x\")") in listed
    assert len(listed) == 2
    assert notes.freeze_panes and notes.auto_filter.ref
    stray_cell = next(c for row in notes.iter_rows() for c in row if c.value == stray.message)
    assert stray_cell.data_type == "s"
    assert not _formulas(data)


def test_input_file_is_never_written(tmp_path):
    path = write_workbook(tmp_path / "visits.xlsx", gaps())
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    listing = sorted(tmp_path.iterdir())
    data = annotate_copy(check(path))
    assert data[:2] == b"PK"
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(tmp_path.iterdir()) == listing


def test_user_formatting_and_comments_are_kept(tmp_path):
    rows = clean_visit()
    rows["visits"][0]["client_org"] = None
    path = write_workbook(tmp_path / "visits.xlsx", rows)
    wb = openpyxl.load_workbook(path)
    ws = wb["来访"]
    ws.column_dimensions["B"].width = 33
    ws["A1"].font = Font(bold=True, color="FF0000")
    ws.freeze_panes = "B2"
    ws["B2"].comment = Comment("问过客户，下周回复", "王芳")
    wb.save(path)
    ws = reopen(annotate_copy(check(path)))["来访"]
    assert ws.column_dimensions["B"].width == 33 and ws["A1"].font.b and ws.freeze_panes == "B2"
    assert ws["B2"].comment.text.startswith("[错误] §3.1.1 visit.client_org")
    assert ws["B2"].comment.text.endswith("问过客户，下周回复")


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    rows = clean_visit()
    rows["visits"][0]["client_org"] = "=1+2"
    rows["guests"][1].update(name="=SUM(1,2)", gender=None)
    path = write_workbook_xlsxwriter(tmp_path / "visits.xlsx", rows)
    data = annotate_copy(check(path))
    assert not _formulas(data)
    book = reopen(data)
    assert book["来访"]["B2"].value == "=1+2" and book["来访"]["B2"].data_type == "s"
    guest = book["来宾"]["D3"]
    assert fill(guest) == ERROR and "guest.gender: =SUM(1,2)：“性别”未填写" in guest.comment.text


def test_english_workbook_gets_english_notes_and_comments(tmp_path):
    path = write_workbook(tmp_path / "visits.xlsx", gaps(), lang="en")
    book = reopen(annotate_copy(check(path)))
    assert book.sheetnames[0] == "Check notes"
    assert {c.value for c in book["Check notes"][3]} >= {"error", "warning", "info"}
    cell = book["Visits"]["B3"]
    assert fill(cell) == ERROR
    assert cell.comment.text.startswith("[error] §3.1.1 visit.client_org: 'Client organisation' is blank")


def test_notes_sheet_name_does_not_clash_with_the_users_sheet(tmp_path):
    path = write_workbook(tmp_path / "visits.xlsx", clean_visit())
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("检查说明")["A1"] = "我自己的说明"
    wb.save(path)
    book = reopen(annotate_copy(check(path)))
    assert book.sheetnames[0] == "检查说明 (2)" and book["检查说明"]["A1"].value == "我自己的说明"
    assert book["检查说明 (2)"]["A5"].value == "未发现问题。"


def _formulas(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [n for n in z.namelist() if n.startswith("xl/worksheets/sheet") and re.search(rb"<f[ >]", z.read(n))]


def test_control_characters_from_the_workbook_are_dropped(tmp_path):
    rows = clean_visit()
    rows["guests"][1].update(name="周\x07敏", gender=None)
    path = write_workbook_xlsxwriter(tmp_path / "visits.xlsx", rows)
    comment = reopen(annotate_copy(check(path)))["来宾"]["D3"].comment.text
    assert "guest.gender: 周敏：" in comment and "\x07" not in comment
