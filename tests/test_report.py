"""The check report workbook, rendered from a real check of a small workbook and reopened."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from datetime import datetime

import openpyxl
import pytest
from workbooks import CLEAN_TODAY, clean_visit, merge, write_workbook, write_workbook_xlsxwriter

from pipeline.checks import check_workbook
from pipeline.i18n import t
from pipeline.reader import read_workbook
from pipeline.report import render_report
from pipeline.standard import load_standard

STD = load_standard()
FILLS = {"not_ready": "FFC7CE", "attention": "FFEB9C", "ready": "C6EFCE", "cancelled": "E7E6E6"}


def check(tmp_path, rows, lang="zh", writer=write_workbook, **kw):
    path = writer(tmp_path / "visits.xlsx", rows, lang=lang, **kw)
    return check_workbook(read_workbook(path, STD), STD, CLEAN_TODAY)


def reopen(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def four_visits() -> dict[str, list[dict]]:
    """V1 ready, V2 not ready (and urgent), V3 needs attention, V4 cancelled."""
    rows = merge(clean_visit("V1", 10), clean_visit("V2", 6), clean_visit("V3", 14), clean_visit("V4", 18))
    by_id = {v["visit_id"]: v for v in rows["visits"]}
    by_id["V2"]["client_org"] = None  # error
    by_id["V3"]["org_profile"] = None  # warning
    by_id["V4"]["status"] = "cancelled"
    by_id["V4"]["theme"] = None  # not checked: cancelled
    return rows


def summary_rows(ws) -> tuple[int, list[tuple]]:
    """The header row number and the data rows below it (the table starts under the title)."""
    header = next(c.row for c in ws["A"] if c.value in ("接待编号", "Visit ID"))
    rows = list(ws.iter_rows(min_row=header + 1, values_only=True))
    return header, [r for r in rows if any(v is not None for v in r)]


def test_chinese_summary_has_one_row_per_visit_with_its_readiness(tmp_path):
    result = check(tmp_path, four_visits())
    book = reopen(render_report(result))
    assert book.sheetnames == ["汇总", "问题清单"]
    ws = book["汇总"]
    assert "visits" in ws["A1"].value and "接待检查报告" in ws["A1"].value
    assert any("2027-03-05" in (c.value or "") for c in ws["A"][:4])
    header, rows = summary_rows(ws)
    assert [c.value for c in ws[header]] == ["接待编号", "客户单位", "抵达日期", "离开日期", "状态", "就绪情况",
                                             "紧急", "完整度", "错误", "警告", "提示"]
    assert [(r[0], r[5]) for r in rows] == [("V1", "已就绪"), ("V2", "未就绪"), ("V3", "需关注"), ("V4", "已取消")]
    assert [r[4] for r in rows] == ["已确认", "已确认", "已确认", "已取消"]
    expected = {vr.visit.id: vr for vr in result.visits}
    for i, r in enumerate(rows, start=header + 1):
        vr = expected[r[0]]
        assert ws.cell(i, 6).fill.fgColor.rgb.endswith(FILLS[vr.readiness])
        assert r[6] == ("紧急" if vr.urgent else None)
        if vr.readiness == "cancelled":
            assert r[7:] == (None, None, None, None)
        else:
            assert r[7] == pytest.approx(vr.completeness / 100)
            assert ws.cell(i, 8).number_format == "0%"
            assert r[8:] == (vr.count("error"), vr.count("warning"), vr.count("info"))
    assert rows[1][6] == "紧急"  # V2 arrives in two days with an open error
    assert rows[0][2] == datetime(2027, 3, 10) and rows[0][3] == datetime(2027, 3, 11)
    assert ws.cell(header + 1, 3).number_format == "yyyy-mm-dd"
    assert rows[1][1] is None and rows[0][1] == "华东精密机械有限公司"
    assert ws.freeze_panes == f"B{header + 1}"
    assert ws.auto_filter.ref == f"A{header}:K{header + 4}"


def test_findings_sheet_has_one_row_per_finding_in_order(tmp_path):
    rows = four_visits()
    rows["guests"].append(dict(rows["guests"][1], visit_id="V404"))  # a row naming no visit
    result = check(tmp_path, rows, drop={"bookings": {"reconfirmed"}})  # a workbook-level finding
    ws = reopen(render_report(result))["问题清单"]
    assert [c.value for c in ws[1]] == ["接待编号", "严重程度", "条款", "规则", "工作表", "行", "列", "问题说明",
                                        "截止日期"]
    got = [r for r in ws.iter_rows(min_row=2, values_only=True)]
    assert len(got) == len(result.findings) > 3
    for r, f in zip(got, result.findings):
        assert r == (f.visit_id or "（工作簿）", t("zh", f"severity.{f.severity}"), f"§{f.clause}", f.rule, f.sheet,
                     f.row, f.column, f.message,
                     None if f.due is None else datetime.combine(f.due, datetime.min.time()))
    rules = {(r[0], r[3]) for r in got}
    assert {("V2", "visit.client_org"), ("V3", "visit.org_profile"), ("V404", "row.visit_exists"),
            ("（工作簿）", "column.missing")} <= rules
    assert not any(r[0] == "V4" for r in got)  # a cancelled visit is not checked
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == f"A1:I{len(got) + 1}"
    assert ws.column_dimensions["H"].width >= 60 and ws["H2"].alignment.wrap_text
    severity_fill = {r[1]: ws.cell(i, 2).fill.fgColor.rgb[-6:] for i, r in enumerate(got, start=2)}
    assert severity_fill["错误"] == "FFC7CE" and severity_fill["警告"] == "FFEB9C"


def test_deferred_finding_shows_its_due_date(tmp_path):
    rows = clean_visit()
    rows["preparation"][0]["signage"] = "pending"
    result = check(tmp_path, rows)
    ws = reopen(render_report(result))["问题清单"]
    assert [(r[1], r[3], r[8]) for r in ws.iter_rows(min_row=2, values_only=True)] == [
        ("提示", "prep.item_done", datetime(2027, 3, 9))]  # due the day before arrival
    assert ws["B2"].fill.fgColor.rgb.endswith("DDEBF7") and ws["I2"].number_format == "yyyy-mm-dd"


def test_english_workbook_gets_an_english_report(tmp_path):
    result = check(tmp_path, four_visits(), lang="en")
    book = reopen(render_report(result))
    assert book.sheetnames == ["Summary", "Findings"]
    header, rows = summary_rows(book["Summary"])
    assert book["Summary"].cell(header, 6).value == "Readiness"
    assert [(r[0], r[4], r[5]) for r in rows] == [("V1", "Confirmed", "ready"), ("V2", "Confirmed", "not ready"),
                                                  ("V3", "Confirmed", "needs attention"),
                                                  ("V4", "Cancelled", "cancelled")]
    assert rows[1][6] == "URGENT"
    findings = book["Findings"]
    assert [c.value for c in findings[1]][:3] == ["Visit ID", "Severity", "Clause"]
    assert ("V2", "error", "§3.1.1", "visit.client_org", "Visits", 3, "Client organisation") in [
        r[:7] for r in findings.iter_rows(min_row=2, values_only=True)]
    assert not any("\u4e00" <= ch <= "\u9fff" for c in findings[1] for ch in c.value)


def test_clean_workbook_says_no_problems(tmp_path):
    result = check(tmp_path, clean_visit())
    book = reopen(render_report(result))
    assert book["问题清单"]["A2"].value == "未发现问题"
    _, rows = summary_rows(book["汇总"])
    assert [(r[0], r[5], r[7]) for r in rows] == [("V1", "已就绪", 1)]


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    rows = clean_visit()
    rows["visits"][0]["client_org"] = "=1+2"
    rows["guests"][1].update(name="@SUM(A1)", gender=None)  # the guest's name leads the message
    rows["staff"][3]["name"] = "-2+3"
    result = check(tmp_path, rows, writer=write_workbook_xlsxwriter)
    data = render_report(result)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)
    book = reopen(data)
    _, summary = summary_rows(book["汇总"])
    assert summary[0][1] == "=1+2"
    messages = [c for c in book["问题清单"]["H"][1:] if c.value]
    assert any(c.value.startswith("@SUM(A1)") for c in messages)
    assert all(c.data_type == "s" for c in messages)


def test_printing_is_landscape_one_page_wide(tmp_path):
    book = reopen(render_report(check(tmp_path, four_visits())))
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (1, None) and ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows


def test_report_language_follows_the_result_not_the_workbook(tmp_path):
    path = write_workbook(tmp_path / "visits.xlsx", four_visits(), lang="zh")
    result = check_workbook(read_workbook(path, STD), STD, CLEAN_TODAY, lang="en")
    book = reopen(render_report(result))
    assert book.sheetnames == ["Summary", "Findings"]
    assert ("V2", "error", "§3.1.1", "visit.client_org", "来访") == next(
        r[:5] for r in book["Findings"].iter_rows(min_row=2, values_only=True) if r[3] == "visit.client_org")



def test_control_characters_in_findings_are_dropped(tmp_path):
    """A message or value may carry a control character (the reader drops them, a rule
    may not): XML cannot hold it and a spreadsheet would show `_x0007_`."""
    rows = clean_visit()
    rows["guests"][1]["gender"] = None
    result = check(tmp_path, rows, writer=write_workbook_xlsxwriter)
    f = result.findings[0]
    result = dataclasses.replace(result, findings=[dataclasses.replace(
        f, message="周\x07敏：" + f.message, column="性\x07别", visit_id="V\x001")])
    row = [c.value for c in reopen(render_report(result))["问题清单"][2]]
    assert row[7].startswith("周敏：") and row[6] == "性别" and row[0] == "V1"
    assert not any("x00" in str(v) for v in row)


def test_the_printed_pages_are_headed_by_the_company_where_there_is_one(tmp_path):
    from profiles import profile
    result = check(tmp_path, clean_visit())
    book = reopen(render_report(result, profile(tmp_path)))
    for ws in book.worksheets:
        assert (ws.oddHeader.left.text, ws.oddHeader.right.text) == \
            ("明远精密仪器有限公司", t("zh", "report.title", workbook="visits"))
    for ws in reopen(render_report(result)).worksheets:  # no profile: no header, as before
        assert not (ws.oddHeader.left.text or ws.oddHeader.center.text or ws.oddHeader.right.text)
