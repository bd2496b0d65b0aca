"""The annotated copy: faulty cells coloured by severity with a comment, the input untouched.

The copy is made by patching the input's package; every test here fails if it falls
back to the openpyxl way (`patched_only`), except those about the fallback itself.
Outputs are checked by loading them with openpyxl and by `package_problems`, which
checks what a spreadsheet would refuse: relationships, content types, row and cell
order, style counts, comment shapes.
"""

from __future__ import annotations

import dataclasses
import io
import posixpath
import re
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from defusedxml import ElementTree as SafeET
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import column_index_from_string
from openpyxl.worksheet.datavalidation import DataValidation
from workbooks import CLEAN_TODAY, clean_visit, merge, write_workbook, write_workbook_xlsxwriter

from pipeline.annotate import AUTHOR, Unpatchable, annotate, annotate_copy, fallback, patch
from pipeline.checks import check_workbook
from pipeline.findings import Finding
from pipeline.reader import read_workbook
from pipeline.standard import load_standard

STD = load_standard()
ERROR, WARNING, INFO = "FFC7CE", "FFEB9C", "DDEBF7"
ZH_SHEETS = ["来访", "来宾", "行程", "人员分工", "资源预订", "准备清单"]


ORIGINAL_FALLBACK = fallback.annotate_with_openpyxl


@pytest.fixture(autouse=True)
def patched_only(monkeypatch):
    """The copy must come from patching the package, not from the openpyxl fallback."""
    def fail(result):
        raise AssertionError("the annotated copy fell back to openpyxl")
    monkeypatch.setattr(fallback, "annotate_with_openpyxl", fail)


def check(path):
    return check_workbook(read_workbook(path, STD), STD, CLEAN_TODAY)


def reopen(data: bytes, original: bytes | None = None) -> openpyxl.Workbook:
    """The annotated copy, checked as a package and loaded with openpyxl."""
    assert package_problems(data, original) == []
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
    assert fill(cell) == INFO and "§3.3.1 prep.item_done" in cell.comment.text and "2027-03-11" in cell.comment.text

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
    assert notes.freeze_panes == f"A{header + 2}" and notes.auto_filter.ref == f"A{header + 1}:H{header + 3}"
    assert notes.print_title_rows.replace("$", "") == f"{header + 1}:{header + 1}"
    assert notes.page_setup.orientation == "landscape" and notes.sheet_properties.pageSetUpPr.fitToPage
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


def test_both_ways_write_the_same_notes_sheet(tmp_path, monkeypatch):
    """The notes sheet is laid out once: patched or through openpyxl, the same values in
    the same formats, widths, heights, frozen header, filter and print titles."""
    path = write_workbook(tmp_path / "visits.xlsx", gaps())
    wb = openpyxl.load_workbook(path)
    del wb["资源预订"]
    wb.save(path)
    result = check(path)
    long = "很长的说明" * 40  # wraps: a taller row
    stray = Finding("V1", "test.stray", "9.9", "warning", "不存在", 7, "某列", long, field="x")
    result = dataclasses.replace(result, findings=[*result.findings, stray])
    monkeypatch.setattr(fallback, "annotate_with_openpyxl", ORIGINAL_FALLBACK)

    def notes_sheet(data: bytes) -> dict:
        ws = openpyxl.load_workbook(io.BytesIO(data))["检查说明"]
        return {"cells": {c.coordinate: (c.value, fill(c), bool(c.font.b), c.font.sz,
                                         font_colour(c), bool(c.alignment.wrap_text))
                          for row in ws.iter_rows() for c in row if c.value is not None or c.has_style},
                "widths": {k: d.width for k, d in ws.column_dimensions.items()},
                "heights": {k: d.height for k, d in ws.row_dimensions.items() if d.height},
                "frozen": ws.freeze_panes, "filter": ws.auto_filter.ref, "titles": ws.print_title_rows,
                "landscape": ws.page_setup.orientation, "selected": ws.sheet_view.tabSelected}

    def font_colour(cell) -> str | None:  # as RGB: openpyxl writes it with alpha 00, we with FF
        rgb = cell.font.color.rgb if cell.font.color is not None else None
        return rgb[-6:] if isinstance(rgb, str) else None

    patched = notes_sheet(patch.annotate_by_patching(result))
    assert patched == notes_sheet(fallback.annotate_with_openpyxl(result))
    assert patched["filter"] == "A8:H10" and patched["frozen"] == "A9" and patched["titles"] == "$8:$8"
    assert patched["cells"]["A10"] == ("警告", WARNING, True, 11, "9C5700", True)
    assert patched["cells"]["H10"] == (long, None, False, 11, None, True) and patched["heights"][10] > 16


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


# ---- the patched package -----------------------------------------------------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        return {n: z.read(n) for n in z.namelist()}


def package_problems(data: bytes, original: bytes | None = None) -> list[str]:
    """What Excel would repair or refuse in a package, as far as the annotated copy goes
    (comment shape ids the `original` already used twice, as openpyxl does, are its own)."""
    files = parts(data)
    problems = []
    lower = {n.lower(): n for n in files}
    types = SafeET.fromstring(files["[Content_Types].xml"])
    defaults = {e.get("Extension").lower(): e.get("ContentType") for e in types if e.tag.endswith("Default")}
    overrides = {e.get("PartName").lower(): e.get("ContentType") for e in types if e.tag.endswith("Override")}
    for name in files:
        if not name.endswith("/") and f"/{name.lower()}" not in overrides and \
                name.rsplit(".", 1)[-1].lower() not in defaults:
            problems.append(f"{name}: no content type")
    for part in overrides:
        if part.lstrip("/") not in lower:
            problems.append(f"{part}: a content type for a missing part")
    targets = {}
    for name in files:
        if name.endswith(".rels"):
            source = posixpath.join(posixpath.dirname(posixpath.dirname(name)), posixpath.basename(name)[:-5])
            ids = set()
            for rel in SafeET.fromstring(files[name]):
                if rel.get("Id") in ids:
                    problems.append(f"{name}: {rel.get('Id')} twice")
                ids.add(rel.get("Id"))
                if rel.get("TargetMode") == "External":
                    continue
                target = rel.get("Target")
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join(posixpath.dirname(source), target))
                targets[(source, rel.get("Id"))] = path
                if path.lower() not in lower:
                    problems.append(f"{name}: {target} is missing")
    styles = SafeET.fromstring(files["xl/styles.xml"])
    for local in ("fonts", "fills", "cellXfs"):
        el = styles.find(f"{{{MAIN}}}{local}")
        if el.get("count") is not None and int(el.get("count")) != len(el):
            problems.append(f"styles: {local} count {el.get('count')} for {len(el)}")
    n_xfs = len(styles.find(f"{{{MAIN}}}cellXfs"))
    n_fills, n_fonts = len(styles.find(f"{{{MAIN}}}fills")), len(styles.find(f"{{{MAIN}}}fonts"))
    for xf in styles.find(f"{{{MAIN}}}cellXfs"):
        if int(xf.get("fillId", 0)) >= n_fills or int(xf.get("fontId", 0)) >= n_fonts:
            problems.append("styles: a cell format with a fill or font out of range")
    book = SafeET.fromstring(files["xl/workbook.xml"])
    sheets = book.find(f"{{{MAIN}}}sheets")
    for dn in book.iter(f"{{{MAIN}}}definedName"):
        if dn.get("localSheetId") is not None and int(dn.get("localSheetId")) >= len(sheets):
            problems.append(f"defined name {dn.get('name')} on sheet {dn.get('localSheetId')}")
    selected, shape_ids = 0, []
    for sheet in sheets:
        part = targets[("xl/workbook.xml", sheet.get(f"{{{REL}}}id"))]
        root = SafeET.fromstring(files[lower[part.lower()]])
        selected += sum(v.get("tabSelected") in ("1", "true") for v in root.iter(f"{{{MAIN}}}sheetView"))
        order = [child.tag.rsplit("}", 1)[-1] for child in root]
        if "legacyDrawing" in order and "drawing" in order and order.index("drawing") > order.index("legacyDrawing"):
            problems.append(f"{part}: legacyDrawing before drawing")
        last_row = 0
        for row in root.iter(f"{{{MAIN}}}row"):
            r = int(row.get("r"))
            if r <= last_row:
                problems.append(f"{part}: row {r} after row {last_row}")
            last_row, last_col = r, 0
            for c in row:
                m = re.fullmatch(r"([A-Z]+)(\d+)", c.get("r"))
                col = column_index_from_string(m.group(1))
                if int(m.group(2)) != r or col <= last_col:
                    problems.append(f"{part}: cell {c.get('r')} out of place in row {r}")
                last_col = col
                if int(c.get("s", 0)) >= n_xfs:
                    problems.append(f"{part}: {c.get('r')} has style {c.get('s')} of {n_xfs}")
        legacy = root.find(f"{{{MAIN}}}legacyDrawing")
        comments = next((path for (src, _), path in targets.items() if src == part and "comments" in path), None)
        if comments:
            if legacy is None:
                problems.append(f"{part}: comments without a legacy drawing")
                continue
            vml = files[lower[targets[(part, legacy.get(f"{{{REL}}}id"))].lower()]].decode()
            refs = [c.get("ref") for c in SafeET.fromstring(files[lower[comments.lower()]]).iter(f"{{{MAIN}}}comment")]
            boxes = set(re.findall(r"<(?:\w+:)?Row>(\d+)</(?:\w+:)?Row>\s*<(?:\w+:)?Column>(\d+)<", vml))
            for ref in refs:
                m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
                if (str(int(m.group(2)) - 1), str(column_index_from_string(m.group(1)) - 1)) not in boxes:
                    problems.append(f"{part}: no comment box for {ref}")
            blocks = {int(b) for m in re.findall(r'idmap[^>]*data="([\d,]*)"', vml) for b in m.split(",") if b}
            for shape in re.findall(r'id="_x0000_s(\d+)"', vml):
                shape_ids.append(int(shape))
                if blocks and int(shape) // 1024 not in blocks:
                    problems.append(f"{part}: shape {shape} outside the drawing's blocks {blocks}")
    if selected != 1:
        problems.append(f"{selected} sheets selected")
    theirs = set()
    if original is not None:
        theirs = {int(i) for name, vml in parts(original).items() if name.endswith(".vml")
                  for i in re.findall(rb'_x0000_s(\d+)', vml)}
    ours = [i for i in shape_ids if i not in theirs]
    if len(ours) != len(set(ours)):
        problems.append("shape ids used twice")
    return problems


def fill_key(cell) -> tuple:
    f = cell.fill
    return f.fill_type, f.fgColor.rgb, f.fgColor.theme, f.bgColor.rgb


def cell_formats(ws) -> dict[str, tuple]:
    return {c.coordinate: (c.value, c.number_format, c.font.b, c.font.color.rgb if c.font.color else None,
                           c.font.sz, c.border.left.style, c.alignment.wrap_text, c.alignment.horizontal,
                           c.protection.locked) for row in ws.iter_rows() for c in row}


def test_the_users_workbook_is_kept_as_it_was_but_for_the_marks(tmp_path):
    """Values, formats, dates (1904 system), widths, validation, defined names and every
    part the marks do not touch come through exactly."""
    path = write_workbook(tmp_path / "visits.xlsx", gaps())
    wb = openpyxl.load_workbook(path)
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    visits, guests = wb["来访"], wb["来宾"]
    thin = Side(style="thin", color="FF000000")
    for cell in visits[1]:
        cell.font, cell.border = Font(bold=True, color="FF1F4E78"), Border(left=thin, right=thin, top=thin, bottom=thin)
        cell.fill = PatternFill("solid", start_color="FFD9E1F2")
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
    for row in visits.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy年m月d日 hh:mm"
    visits.column_dimensions["B"].width = 30
    dv = DataValidation(type="list", formula1='"男,女"')
    guests.add_data_validation(dv)
    dv.add("D2:D100")
    guests.print_area = "A1:L20"
    wb.active = 2  # 行程
    wb.save(path)

    result = check(path)
    data = annotate_copy(result)
    book = reopen(data)
    before = openpyxl.load_workbook(path)
    assert book.sheetnames == ["检查说明", *before.sheetnames] and book.active.title == "检查说明"
    assert book.epoch == before.epoch
    marked = 0
    for ws in before.worksheets:
        new = book[ws.title]
        old_cells, new_cells = cell_formats(ws), cell_formats(new)
        for ref, formats in old_cells.items():
            assert new_cells[ref] == formats, (ws.title, ref)
        for row in new.iter_rows():
            for c in row:
                if c.comment is not None:
                    marked += 1
                    assert fill(c) in (ERROR, WARNING, INFO)
                else:
                    assert fill_key(c) == fill_key(ws[c.coordinate]), (ws.title, c.coordinate)
        assert {k: d.width for k, d in new.column_dimensions.items()} == \
            {k: d.width for k, d in ws.column_dimensions.items()}
    assert marked == len({(f.sheet, f.row, f.column) for f in result.findings if f.row})
    assert book["来访"]["B3"].font.b is None or not book["来访"]["B3"].font.b
    arrival = [c.value for c in before["来访"][1]].index("抵达时间") + 1
    assert book["来访"]["A3"].value == "V2" and book["来访"].cell(2, arrival).value == datetime(2027, 3, 10, 9, 30)
    assert book["来访"].cell(2, arrival).number_format == "yyyy年m月d日 hh:mm"
    assert [str(r) for r in book["来宾"].data_validations.dataValidation[0].sqref.ranges] == ["D2:D100"]
    assert book["来宾"].print_area == before["来宾"].print_area
    assert not any(ws.sheet_view.tabSelected for ws in book.worksheets[1:])
    # parts the marks do not touch are copied byte for byte
    old, new = parts(path.read_bytes()), parts(data)
    assert old["xl/theme/theme1.xml"] == new["xl/theme/theme1.xml"]
    assert old["docProps/core.xml"] == new["docProps/core.xml"]
    assert set(old) < set(new)
    marked_sheets = {f.sheet for f in result.findings}
    clean = [(i, name) for i, name in enumerate(before.sheetnames) if name not in marked_sheets]
    assert clean
    for i, name in clean:  # openpyxl names the parts in sheet order
        part = f"xl/worksheets/sheet{i + 1}.xml"
        assert new[part] == (old[part].replace(b' tabSelected="1"', b"") if name == "行程" else old[part])


def test_blank_cells_and_rows_at_fault_are_made_in_order(tmp_path):
    """A blank cell between two cells, past the row's last cell, and rows the sheet does
    not have at all (a finding may point anywhere) are created where they belong."""
    path = write_workbook_xlsxwriter(tmp_path / "visits.xlsx", gaps())  # rows carry spans="1:36"
    result = check(path)
    v1 = result.findings[0]
    extra = [dataclasses.replace(v1, rule="test.far", row=60, field="status", severity="info"),
             dataclasses.replace(v1, rule="test.between", row=40, field="client_org", severity="warning"),
             dataclasses.replace(v1, rule="test.between", row=40, field="visit_id", severity="warning")]
    data = annotate_copy(dataclasses.replace(result, findings=[*result.findings, *extra]))
    assert package_problems(data) == []
    book = reopen(data)
    visits = book["来访"]
    header = [c.value for c in visits[1]]
    status = header.index("状态") + 1
    assert visits.cell(3, 2).value is None and fill(visits.cell(3, 2)) == ERROR  # between A3 and C3
    assert visits.cell(4, status).value is None and fill(visits.cell(4, status)) == ERROR  # V3's status, last
    assert fill(visits.cell(60, status)) == INFO and "test.far" in visits.cell(60, status).comment.text
    assert fill(visits["A40"]) == WARNING and fill(visits["B40"]) == WARNING
    sheet = parts(data)["xl/worksheets/sheet1.xml"].decode()
    assert re.search(r'<dimension ref="A1:[A-Z]+60"/>', sheet)
    spans = re.search(r'<row r="4" spans="(\d+):(\d+)"', sheet).groups()
    assert int(spans[1]) >= status
    app = parts(data)["docProps/app.xml"].decode()  # the sheet titles xlsxwriter lists
    assert "<vt:i4>7</vt:i4>" in app and '<vt:vector size="7" baseType="lpstr"><vt:lpstr>检查说明<' in app


def test_a_finding_inside_a_merged_range_goes_on_its_top_left_cell(tmp_path):
    path = write_workbook(tmp_path / "visits.xlsx", gaps())
    wb = openpyxl.load_workbook(path)
    wb["来访"].merge_cells("B3:D3")  # client_org (blank, at fault) to the client type
    wb.save(path)
    result = check(path)
    org_profile = next(f for f in result.findings if f.rule == "visit.org_profile")
    moved = dataclasses.replace(org_profile, rule="test.merged", field="client_type")  # C3
    data = annotate_copy(dataclasses.replace(result, findings=[*result.findings, moved]))
    assert package_problems(data) == []
    ws = reopen(data)["来访"]
    assert "test.merged" in ws["B3"].comment.text and "visit.client_org" in ws["B3"].comment.text
    assert ws["C3"].comment is None and "B3:D3" in {str(r) for r in ws.merged_cells.ranges}


def rewrite(src: Path, dst: Path, change, add: dict[str, bytes] | None = None) -> Path:
    """A copy of the package with each part passed through change(name, data) (None drops it)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            data = change(name, zin.read(name))
            if data is not None:
                zout.writestr(name, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dst


def on_path(result, path: Path):
    return dataclasses.replace(result, workbook=dataclasses.replace(result.workbook, path=path))


def test_prefixed_namespaces_and_absolute_targets(tmp_path):
    """Excel and WPS may write `<x:row>` with the main namespace under a prefix, and
    relationship targets as absolute part names."""
    path = write_workbook(tmp_path / "visits.xlsx", gaps())
    result = check(path)
    main = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'

    def change(name, data):
        if name.endswith(".rels"):
            return re.sub(rb'Target="(?!/)([^"]+)"', lambda m: b'Target="/xl/' + m.group(1) + b'"', data) \
                if name == "xl/_rels/workbook.xml.rels" else data
        if main in data:
            data = data.replace(main, main.replace(b"xmlns=", b"xmlns:x="))
            return re.sub(rb"<(/?)([A-Za-z][\w.-]*)(?=[\s/>])", rb"<\1x:\2", data)
        return data

    prefixed = rewrite(path, tmp_path / "prefixed.xlsx", change)
    assert b"<x:row" in parts(prefixed.read_bytes())["xl/worksheets/sheet1.xml"]
    data = annotate_copy(on_path(result, prefixed))
    assert package_problems(data) == []
    book = reopen(data)
    assert book.sheetnames[0] == "检查说明"
    cell = book["来访"]["B3"]
    assert fill(cell) == ERROR and cell.comment.text.startswith("[错误] §3.1.1 visit.client_org")
    files = parts(data)
    assert b'<x:c r="B3" s="' in files["xl/worksheets/sheet1.xml"]
    assert b"<x:legacyDrawing " in files["xl/worksheets/sheet1.xml"]
    assert re.search(rb"<x:xf [^>]*fillId=", files["xl/styles.xml"].split(b"<x:cellXfs")[1])


def test_macro_enabled_workbook_becomes_a_plain_xlsx(tmp_path):
    path = write_workbook(tmp_path / "visits.xlsx", gaps())
    result = check(path)
    vba_rel = (b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"'
               b' Target="vbaProject.bin"/></Relationships>')

    def change(name, data):
        if name == "[Content_Types].xml":
            data = data.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                                b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
            return data.replace(b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.'
                                              b'vbaProject"/></Types>')
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(b"</Relationships>", vba_rel)
        return data

    xlsm = rewrite(path, tmp_path / "visits.xlsm", change, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 not really"})
    assert b"macroEnabled" in parts(xlsm.read_bytes())["[Content_Types].xml"]
    data = annotate_copy(on_path(result, xlsm))
    files = parts(data)
    assert "xl/vbaProject.bin" not in files and b"vbaProject" not in files["xl/_rels/workbook.xml.rels"]
    assert b"macroEnabled" not in files["[Content_Types].xml"]
    assert package_problems(data) == []
    assert fill(reopen(data)["来访"]["B3"]) == ERROR


def test_comments_and_drawings_the_sheet_already_has_are_merged(tmp_path):
    """Two sheets with the user's comments (openpyxl's drawing uses ns0: prefixes and
    declares the namespace on <legacyDrawing>); every comment keeps a box, ids stay unique."""
    path = write_workbook(tmp_path / "visits.xlsx", gaps())
    wb = openpyxl.load_workbook(path)
    wb["来访"]["B3"].comment = Comment("客户还没定", "王芳")  # on a cell at fault
    wb["来访"]["A2"].comment = Comment("老客户", "王芳")  # on a clean cell
    wb["准备清单"]["A1"].comment = Comment("每周一更新", "陈静")
    wb.save(path)
    book = reopen(annotate_copy(check(path)), path.read_bytes())
    visits = book["来访"]
    assert visits["B3"].comment.text.startswith("[错误] §3.1.1") and visits["B3"].comment.text.endswith("客户还没定")
    assert visits["A2"].comment.text == "老客户" and visits["A2"].comment.author == "王芳" and fill(visits["A2"]) is None
    assert book["准备清单"]["A1"].comment.text == "每周一更新"
    prep = book["准备清单"]
    signage = prep.cell(3, [c.value for c in prep[1]].index("引导标识") + 1)
    assert "prep.item_done" in signage.comment.text


def test_a_copy_annotated_again_replaces_our_comments(tmp_path):
    path = write_workbook(tmp_path / "visits.xlsx", gaps())
    first = tmp_path / "visits.checked.xlsx"
    first.write_bytes(annotate_copy(check(path)))
    result = check(path)
    data = annotate_copy(on_path(result, first))
    assert package_problems(data) == []
    book = reopen(data)
    text = book["来访"]["B3"].comment.text
    assert text.count("visit.client_org") == 1
    assert book.sheetnames[:2] == ["检查说明 (2)", "检查说明"]


@pytest.mark.parametrize("damage", [
    lambda d: d.replace(b"<sheetData>", b"<!-- a note --><sheetData>"),
    lambda d: d.replace(b"<sheetData>", b"<sheetData><![CDATA[x]]>"),
    lambda d: re.sub(rb'<row r="3"', b"<row", d),  # a marked row without its number
])
def test_what_cannot_be_patched_safely_goes_the_openpyxl_way(tmp_path, monkeypatch, damage):
    path = write_workbook(tmp_path / "visits.xlsx", gaps())
    result = check(path)
    odd = rewrite(path, tmp_path / "odd.xlsx",
                  lambda name, data: damage(data) if name == "xl/worksheets/sheet1.xml" else data)
    odd_result = on_path(result, odd)
    with pytest.raises(Unpatchable):
        patch.annotate_by_patching(odd_result)
    monkeypatch.setattr(fallback, "annotate_with_openpyxl", ORIGINAL_FALLBACK)
    book = openpyxl.load_workbook(io.BytesIO(annotate_copy(odd_result)))
    assert book.sheetnames[0] == "检查说明"
    assert fill(book["来访"]["B3"]) == ERROR and "visit.client_org" in book["来访"]["B3"].comment.text


def test_the_slow_way_says_why(tmp_path, monkeypatch):
    """The copy made through openpyxl says what the patcher refused, naming the sheet; a
    patched copy has nothing to say."""
    path = write_workbook(tmp_path / "visits.xlsx", gaps())
    result = check(path)
    assert annotate(result).fallback is None
    odd = rewrite(path, tmp_path / "odd.xlsx", lambda name, data: data.replace(
        b"<sheetData>", b"<!-- a note --><sheetData>") if name == "xl/worksheets/sheet1.xml" else data)
    monkeypatch.setattr(fallback, "annotate_with_openpyxl", ORIGINAL_FALLBACK)
    copy = annotate(on_path(result, odd))
    assert copy.fallback == ("sheet '来访': xl/worksheets/sheet1.xml: "
                             "comments, CDATA, DTD or processing instructions")
    book = openpyxl.load_workbook(io.BytesIO(copy.data))
    assert book.sheetnames[0] == "检查说明" and fill(book["来访"]["B3"]) == ERROR


def test_an_unforeseen_error_is_told_by_its_kind_alone(tmp_path, monkeypatch):
    """An error the patcher did not foresee may quote the workbook (a guest's phone):
    only its kind is told."""
    path = write_workbook(tmp_path / "visits.xlsx", gaps())

    def slipped(result):
        raise ValueError("invalid literal for int() with base 10: '13800138000'")
    monkeypatch.setattr(patch, "annotate_by_patching", slipped)
    monkeypatch.setattr(fallback, "annotate_with_openpyxl", ORIGINAL_FALLBACK)
    copy = annotate(check(path))
    assert copy.fallback == "ValueError"
    assert "visit.client_org" in openpyxl.load_workbook(io.BytesIO(copy.data))["来访"]["B3"].comment.text


def test_entities_are_never_expanded(tmp_path):
    path = write_workbook(tmp_path / "visits.xlsx", gaps())
    result = check(path)
    dtd = b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY boom "boom">]>\n'
    evil = rewrite(path, tmp_path / "evil.xlsx", lambda name, data: dtd + re.sub(rb"\A<\?xml[^>]*\?>\s*", b"", data)
                   if name == "xl/styles.xml" else data)
    with pytest.raises(Exception) as e:
        patch.annotate_by_patching(on_path(result, evil))
    assert "DTD" in type(e.value).__name__ or isinstance(e.value, Unpatchable)


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
@pytest.mark.slow
def test_libreoffice_workbook_in_and_annotated_copy_back_into_libreoffice(tmp_path):
    """A workbook saved by LibreOffice (its own comments, `tabSelected="true"`, a drawing
    without an idmap) is patched; LibreOffice opens the copy and saves it again as .xlsx
    with every mark and comment."""
    src = write_workbook_xlsxwriter(tmp_path / "src.xlsx", gaps())
    wb = openpyxl.load_workbook(src)
    wb["来访"]["B3"].comment = Comment("客户还没定", "王芳")
    wb["来访"]["C2"].comment = Comment("老客户", "王芳")
    wb.save(src)
    lo = _soffice(tmp_path, src, tmp_path / "lo")
    assert b"shape_0" in parts(lo.read_bytes())["xl/drawings/vmlDrawing1.vml"]
    result = check(lo)
    data = annotate_copy(result)
    book = reopen(data)
    visits = book["来访"]
    assert fill(visits["B3"]) == ERROR and visits["B3"].comment.text.startswith("[错误] §3.1.1")
    assert visits["B3"].comment.text.endswith("客户还没定") and visits["C2"].comment.text == "老客户"
    marks = {(ws.title, c.coordinate): (fill(c), c.comment.text) for ws in book.worksheets
             for row in ws.iter_rows() for c in row if c.comment}
    assert len(marks) == 5  # B3, C2 (the user's only), the profile, V3's status, a preparation item

    copy = tmp_path / "copy.xlsx"
    copy.write_bytes(data)
    again = reopen(_soffice(tmp_path, copy, tmp_path / "again").read_bytes())
    assert again.sheetnames == book.sheetnames
    assert {(ws.title, c.coordinate): (fill(c), c.comment.text) for ws in again.worksheets
            for row in ws.iter_rows() for c in row if c.comment} == marks


def _soffice(tmp_path: Path, src: Path, out: Path) -> Path:
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=180)
    return out / src.name


def test_many_comments_on_one_sheet_take_several_id_blocks(tmp_path):
    rows = merge(*(clean_visit(f"V{i}", 10 + i % 15) for i in range(140)))
    for item in rows["itinerary"]:
        item["owner"] = None
    path = write_workbook(tmp_path / "visits.xlsx", rows)
    result = check(path)
    assert sum(f.rule == "item.owner" for f in result.findings) == 1120  # 140 visits × 8 items, one sheet
    data = annotate_copy(result)
    assert package_problems(data) == []  # every box within its drawing's blocks, no id twice
    idmaps = [re.search(rb'<o:idmap v:ext="edit" data="([\d,]+)"', v).group(1)
              for k, v in parts(data).items() if k.endswith(".vml")]
    assert b"1,2" in idmaps  # the itinerary's 1,120+ boxes take two blocks; the bookings' a block after
    assert len(set(b for m in idmaps for b in m.split(b","))) == sum(len(m.split(b",")) for m in idmaps)
