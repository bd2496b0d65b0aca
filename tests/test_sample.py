"""Golden test: the shipped sample's findings, flattened to (visit, rule, sheet, row, column);
and the sample's data (pipeline/sample.py): its dates move by whole weeks to a given day.

After an intended change, regenerate with `UPDATE_GOLDEN=1 make test` and review the diff.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from pipeline.checks import check_workbook
from pipeline.checks.reading import reading_findings
from pipeline.reader import read_workbook
from pipeline.sample import as_of, load_sample, render_sample, shift
from pipeline.standard import load_standard

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "input" / "2027年客户接待台账.xlsx"
GOLDEN = Path(__file__).parent / "golden" / "sample_findings.json"
TODAY = date(2026, 12, 1)  # the committed sample is as of this day (written with `make sample TODAY=2026-12-03`)


def sample_result():
    std = load_standard()
    return check_workbook(read_workbook(SAMPLE, std), std, TODAY)


def golden_rows(findings) -> list[list]:
    """The findings as the golden file lists them."""
    return [[f.visit_id, f.rule, f.severity, f.sheet, f.row, f.column] for f in findings]


def test_sample_findings_match_the_golden_file():
    result = sample_result()
    got = golden_rows(result.findings)
    if os.environ.get("UPDATE_GOLDEN"):
        lines = ",\n".join(json.dumps(x, ensure_ascii=False) for x in got)
        GOLDEN.write_text(f"[\n{lines}\n]\n", encoding="utf-8")
    assert got == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_sample_readiness():
    result = sample_result()
    readiness = {vr.visit.id: (vr.readiness, vr.urgent) for vr in result.visits}
    assert readiness["JD-2027-001"] == ("ready", False)
    assert readiness["JD-2027-005"] == ("cancelled", False)
    assert readiness["JD-2027-007"] == ("not_ready", True)
    assert readiness["JD-2027-013"] == ("attention", False)
    assert result.workbook.lang == "zh" and len(result.visits) == 13


@pytest.mark.slow
def test_sample_is_what_the_script_generates(tmp_path):
    """The committed sample is the script's output (review the data file, not the binary)."""
    import subprocess
    import sys
    out = tmp_path / "sample.xlsx"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_sample.py"), "--output", str(out),
                    "--today", TODAY.isoformat()], check=True, cwd=ROOT, capture_output=True)
    std = load_standard()
    a, b = read_workbook(out, std), read_workbook(SAMPLE, std)
    assert {k: [r.values for r in v] for k, v in a.rows.items()} == {k: [r.values for r in v] for k, v in b.rows.items()}


# ---- the sample's dates move to the day it is written for ------------------------------------

WRITTEN = date.fromisoformat(load_sample()["as_of"])  # the date the data is written as of
LATER = date(2027, 7, 1)  # a Thursday, 10 weeks and 2 days after it: moves the sample 10 weeks
DATED = ("date", "datetime")


@pytest.mark.parametrize("today", [WRITTEN, WRITTEN + timedelta(days=6), date(2026, 12, 3), LATER,
                                   date(2024, 2, 29), date(2031, 1, 1)])
def test_the_data_moves_by_whole_weeks_onto_the_day_or_the_same_weekday_before_it(today):
    moved = as_of(load_sample(), today)
    assert moved == WRITTEN + shift(WRITTEN, today)
    assert moved.weekday() == WRITTEN.weekday() and today - timedelta(days=6) <= moved <= today
    assert shift(WRITTEN, None) == timedelta(0)


def written(tmp_path: Path, today: date):
    std = load_standard()
    path = tmp_path / f"sample-{today}.xlsx"
    path.write_bytes(render_sample(std, today))
    return path, read_workbook(path, std)


def test_every_dated_cell_moves_by_the_shift_and_keeps_its_weekday_and_nothing_else_changes(tmp_path):
    std = load_standard()
    (_, a), (path_b, b) = written(tmp_path, WRITTEN), written(tmp_path, LATER)
    delta = timedelta(weeks=10)
    moved = texts = 0
    for key, rows in a.rows.items():
        types = {c.key: c.type for c in std.sheet(key).columns}
        assert [r.row for r in rows] == [r.row for r in b.rows[key]]
        for ra, rb in zip(rows, b.rows[key]):
            for column, va in ra.values.items():
                vb = rb.values[column]
                if types[column] in DATED and va is not None:
                    assert vb == va + delta and vb.weekday() == va.weekday(), (key, ra.row, column)
                    moved += 1
                elif va != vb:  # a date inside a text (a booking reference, a deadline in the minutes)
                    assert re.sub(r"\d+|[上中下]旬", "#", va) == re.sub(r"\d+|[上中下]旬", "#", vb), (va, vb)
                    texts += 1
    data = load_sample()
    dated = {(s, c.key) for s in a.rows for c in std.sheet(s).columns if c.type in DATED}
    in_data = sum(v is not None and (s, k) in dated for s in a.rows for row in data[s] for k, v in row.items())
    assert moved == in_data > 400  # every date and date-and-time cell of the sample, dates typed as text too
    with_dates = [v for sheet in a.rows for row in data[sheet] for v in row.values()
                  if isinstance(v, str) and re.search(r"\{\d{4}-\d\d-\d\d:", v)]
    assert texts == len(with_dates) > 50  # each text with a date in it, and no other
    follow_up = b.visits["JD-2027-001"].record.follow_up  # 1月29日, 2月中旬 in the data
    assert "赵磊：4月9日前发送" in follow_up and "徐磊：4月下旬前提交" in follow_up
    assert b.visits["JD-2027-001"].bookings[0].reference == "HY-0323-01"  # HY-0112-01 in the data
    import openpyxl
    book = openpyxl.load_workbook(path_b)
    cells = [c.value for row in book["行程"].iter_rows() for c in row]
    assert "2027/7/27" in cells and "2027年7月28日" in cells  # typed as 2027/5/18, 2027年5月19日: moved, still text
    assert book.properties.created.date() == date(2027, 1, 4) + delta


def test_a_text_date_the_sample_cannot_move_is_an_error_naming_it():
    from pipeline.sample import Text, sample_filling
    data = load_sample()
    data["itinerary"][0]["date"] = Text("下周二")
    with pytest.raises(ValueError, match="下周二"):
        sample_filling(data, load_standard(), LATER)


def flat_findings(result, delta: timedelta) -> list:
    return [(f.visit_id, f.rule, f.severity, f.sheet, f.row, f.column, f.due and f.due - delta)
            for f in result.findings]


def test_the_sample_written_for_two_days_has_the_same_findings_but_for_the_shift(tmp_path):
    """Each seen on its own as-of date: what a first build shows does not depend on the day."""
    std = load_standard()
    results = {}
    for today in (date(2026, 12, 3), LATER):
        _, wb = written(tmp_path, today)
        seen_on = as_of(load_sample(), today)
        results[today] = (check_workbook(wb, std, seen_on), seen_on - WRITTEN)
    (a, da), (b, db) = results.values()
    assert flat_findings(a, da) == flat_findings(b, db) and len(a.findings) > 50
    assert {v.visit.id: (v.readiness, v.urgent) for v in a.visits} == \
        {v.visit.id: (v.readiness, v.urgent) for v in b.visits}


def test_a_first_build_on_the_committed_sample_s_day_sees_visits_done_and_coming():
    result = sample_result()
    arrival = {vr.visit.id: vr.visit.record.arrival.date() for vr in result.visits}
    status = {vr.visit.id: vr.visit.record.status for vr in result.visits}
    assert all(arrival[v] < TODAY for v in arrival if status[v] == "completed")
    assert sum(arrival[v] > TODAY for v in arrival) == 7  # JD-2027-007 … 013
    assert status["JD-2027-005"] == "cancelled"


# ---- a version-1 workbook (the sample before contract v2) ------------------------------------

V1_SAMPLE = Path(__file__).parent / "fixtures" / "v1_sample.xlsx"
V1_FINDINGS = Path(__file__).parent / "fixtures" / "v1_sample_findings.json"  # as checked before issue 13
V1_TODAY = date(2027, 4, 20)  # the version-1 sample's own as-of date (it is a fixed file)
# What issue 13 changes on it, and nothing else:
V1_ADDED = [
    # the rules file asks for a capacity on room, restaurant and car bookings: one warning for the column
    [None, "column.missing", "warning", "资源预订", 1, "容纳人数"],
    # an unknown dietary need is a note until its deadline (3 days before arrival), then a warning
    ["JD-2027-012", "guest.dietary", "info", "来宾", 42, "饮食禁忌"],
]
V1_REMOVED = [
    ["JD-2027-012", "guest.dietary", "warning", "来宾", 42, "饮食禁忌"],
]


def test_a_version_1_workbook_reads_with_its_findings_but_those_issue_13_adds():
    std = load_standard()
    wb = read_workbook(V1_SAMPLE, std)
    result = check_workbook(wb, std, V1_TODAY)
    got = golden_rows(result.findings)
    before = json.loads(V1_FINDINGS.read_text(encoding="utf-8"))
    assert sorted(got, key=str) == sorted([f for f in before if f not in V1_REMOVED] + V1_ADDED, key=str)
    assert "capacity" not in wb.sheets["bookings"].columns and "guests" not in wb.sheets["itinerary"].columns
    for item in (i for v in wb.visits.values() for i in v.items):  # no v2 column: every item as in v1
        assert item.client_facing is None and item.guests is None and item.seating is None
    assert [(f.rule, f.field) for f in reading_findings(wb, std)] == [("column.missing", "capacity")]


def test_a_company_that_switches_the_capacity_rule_off_gets_no_column_warning_for_a_version_1_workbook(tmp_path):
    from workbooks import company_rules

    def capacity_off(data):
        next(r for r in data["rules"] if r["id"] == "booking.capacity")["enabled"] = False
    own = company_rules(tmp_path, capacity_off)
    assert reading_findings(read_workbook(V1_SAMPLE, own), own) == []
