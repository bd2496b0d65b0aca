"""Golden test: the shipped sample's findings, flattened to (visit, rule, sheet, row, column).

After an intended change, regenerate with `UPDATE_GOLDEN=1 make test` and review the diff.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from pipeline.checks import check_workbook
from pipeline.checks.reading import reading_findings
from pipeline.reader import read_workbook
from pipeline.standard import load_standard

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "input" / "2027年客户接待台账.xlsx"
GOLDEN = Path(__file__).parent / "golden" / "sample_findings.json"
TODAY = date(2027, 4, 20)


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
    """The committed sample is the script's output (review the script, not the binary)."""
    import subprocess
    import sys
    out = tmp_path / "sample.xlsx"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_sample.py"), "--output", str(out)],
                   check=True, cwd=ROOT, capture_output=True)
    std = load_standard()
    a, b = read_workbook(out, std), read_workbook(SAMPLE, std)
    assert {k: [r.values for r in v] for k, v in a.rows.items()} == {k: [r.values for r in v] for k, v in b.rows.items()}


# ---- a version-1 workbook (the sample before contract v2) ------------------------------------

V1_SAMPLE = Path(__file__).parent / "fixtures" / "v1_sample.xlsx"
V1_FINDINGS = Path(__file__).parent / "fixtures" / "v1_sample_findings.json"  # as checked before issue 13
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
    result = check_workbook(wb, std, TODAY)
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
