"""What the reader could not read, made findings by the check stage (pipeline.checks.reading):
the rule id is fixed, the clause and severity come from the standard's rules on the sheet or
column, the message names the cell in the workbook's language."""

from __future__ import annotations

import openpyxl
from workbooks import CLEAN_TODAY, clean_visit, company_rules, write_workbook

from pipeline.checks import check_workbook
from pipeline.checks.reading import reading_findings
from pipeline.reader import read_workbook
from pipeline.standard import load_standard

STD = load_standard()


def found(findings) -> list[tuple]:
    return [(f.rule, f.clause, f.severity, f.sheet, f.row, f.column, f.sheet_key, f.field) for f in findings]


def test_an_unreadable_cell_takes_the_clause_and_severity_of_the_rules_on_its_column(tmp_path):
    rows = clean_visit()
    rows["guests"][0]["smoker"] = "偶尔"  # guest.smoker: §3.1.2, a warning in the shipped rules
    path = write_workbook(tmp_path / "w.xlsx", rows)
    assert found(reading_findings(read_workbook(path, STD), STD)) == [
        ("value.invalid", "3.1.2", "warning", "来宾", 2, "是否吸烟", "guests", "smoker")]

    def stricter(data):
        rule = next(r for r in data["rules"] if r["id"] == "guest.smoker")
        rule.update(severity="error", clause="3.9")
    own = company_rules(tmp_path, stricter)
    assert found(reading_findings(read_workbook(path, own), own)) == [
        ("value.invalid", "3.9", "error", "来宾", 2, "是否吸烟", "guests", "smoker")]


def test_a_cell_of_a_column_no_rule_names_is_a_warning_of_its_sheets_clause(tmp_path):
    rows = clean_visit()
    rows["staff"][0]["rank"] = "第一"  # no rule on the staff's rank
    path = write_workbook(tmp_path / "w.xlsx", rows)
    [f] = reading_findings(read_workbook(path, STD), STD)
    assert (f.rule, f.clause, f.severity, f.sheet_key, f.field) == ("value.invalid", "3.3.2", "warning", "staff", "rank")


def test_a_missing_column_is_a_finding_when_a_rule_needs_it_or_it_is_a_checklist_item(tmp_path):
    drop = {"visits": {"theme", "notes"}, "preparation": {"whiteboard"}}
    wb = read_workbook(write_workbook(tmp_path / "w.xlsx", clean_visit(), lang="en", drop=drop), STD)
    assert found(reading_findings(wb, STD)) == [
        ("column.missing", "3.2.1", "error", "Visits", 1, "Theme", "visits", "theme"),
        ("column.missing", "3.3.1", "error", "Preparation", 1, "Whiteboard and markers", "preparation", "whiteboard"),
    ]  # the notes are optional: no rule asks for them
    assert [f.message for f in reading_findings(wb, STD)][0] == "sheet 'Visits' has no 'Theme' column: add it as in the template"


def test_a_missing_sheet_is_one_error_named_in_the_workbooks_language(tmp_path):
    path = write_workbook(tmp_path / "w.xlsx", clean_visit(), lang="en")
    book = openpyxl.load_workbook(path)
    del book["Bookings"]
    book.save(path)
    wb = read_workbook(path, STD)
    assert "bookings" not in wb.sheets
    [f] = reading_findings(wb, STD)
    assert found([f]) == [("sheet.missing", "3.2.2", "error", "Bookings", None, None, "bookings", None)]
    assert f.message.startswith("sheet 'Bookings' is missing")


def test_the_unreadable_cells_of_a_cancelled_visit_are_not_findings(tmp_path):
    rows = clean_visit()
    rows["visits"][0].update(status="cancelled", headcount="两个")
    wb = read_workbook(write_workbook(tmp_path / "w.xlsx", rows), STD)
    assert [u.field for u in wb.unreadable] == ["headcount"]
    assert [f.rule for f in reading_findings(wb, STD)] == ["value.invalid"]
    assert "value.invalid" not in {f.rule for f in check_workbook(wb, STD, CLEAN_TODAY).findings}


def test_a_number_out_of_its_range_says_the_range_a_receptionist_can_read(tmp_path):
    rows = clean_visit()
    rows["guests"][0]["rank"] = 0  # at least 1
    rows["visits"][0].update(status="completed", minutes="x", follow_up="y", satisfaction=7)  # 1 to 5
    said = {}
    for lang in ("zh", "en"):
        wb = read_workbook(write_workbook(tmp_path / f"{lang}.xlsx", rows, lang=lang), STD)
        said[lang] = sorted(f.message for f in reading_findings(wb, STD))
    assert said["en"] == ["'Protocol rank' should be a whole number of at least 1",
                          "'Satisfaction' should be a whole number from 1 to 5"]
    assert said["zh"] == ["“客户满意度”应为整数，取值 1 到 5", "“礼宾次序”应为整数，不小于 1"]
