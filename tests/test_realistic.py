"""The realistic workbook (tests/realistic/) is well-formed, and the evaluation counts right.

What the check finds on it is measured by scripts/evaluate_check.py, not asserted here.
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import date, datetime
from itertools import combinations
from pathlib import Path

import openpyxl
import pytest
import yaml

from pipeline.contract import SHEETS_BY_KEY
from pipeline.findings import Finding
from pipeline.model import at
from pipeline.reader import read_workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "realistic"))

import build_workbook  # noqa: E402

GROUPS = {"needs", "capacity", "resource", "dietary", "time", "people", "preparation", "status", "placeholder",
          "older"}


def _evaluate_module():
    """scripts/evaluate_check.py, imported once (its dataclasses need it in sys.modules)."""
    if "evaluate_check" not in sys.modules:
        spec = importlib.util.spec_from_file_location("evaluate_check", ROOT / "scripts" / "evaluate_check.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return sys.modules["evaluate_check"]


@pytest.fixture(scope="module")
def built(tmp_path_factory, std):
    path = tmp_path_factory.mktemp("realistic") / "realistic.xlsx"
    expected = build_workbook.build(path)
    return path, expected, read_workbook(path, std)


def test_committed_expectations_are_what_the_builder_writes(built):
    _, expected, _ = built
    assert yaml.safe_load(build_workbook.EXPECTED.read_text(encoding="utf-8")) == expected


def test_enough_defects_and_traps_of_every_kind(built):
    _, expected, _ = built
    visits = expected["visits"].values()
    defects = [e for e in visits if not e["correct"]]
    tricky = [e for e in visits if e["correct"] and e["kind"] == "tricky"]
    assert len(defects) >= 25 and len(tricky) >= 8
    assert {e["group"] for e in defects} == GROUPS
    assert expected["today"] == "2027-03-01"


def test_every_visit_is_expected_and_every_expected_visit_is_there(built):
    path, expected, wb = built
    assert list(wb.visits) == list(expected["visits"])
    assert not wb.orphans


def test_reads_without_problems_and_holds_the_placeholder_in_a_date(built):
    """Every cell reads; the seeded `待定` in a date column is no unreadable value but a
    placeholder (contract v2): the field has no value and the record holds what it said."""
    _, expected, wb = built
    assert not wb.unreadable and not wb.cleaned
    placeholders_in_dates = {(vid, e["column"]) for vid, e in expected["visits"].items()
                             if not e["correct"] and e["group"] == "placeholder" and e["column"] == "approved_on"}
    assert len(placeholders_in_dates) == 1
    for vid, column in placeholders_in_dates:
        record = wb.visits[vid].record
        assert getattr(record, column) is None and record.held[column] == "待定"


def test_the_v2_columns_and_the_companys_own_layout_are_in_the_file(built):
    path, _, wb = built
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames[0] == "填写说明"
    headers = {name: [c.value for c in next(book[name].iter_rows(min_row=row, max_row=row))]
               for name, row in (("来访", 2), ("行程", 1), ("资源预订", 1))}
    assert "接待编号\nVisit ID" in headers["来访"] and "录入人\nEntered by" in headers["来访"]
    assert {"参与来宾", "对客展示", "座次安排"} <= set(headers["行程"]) and "容纳人数" in headers["资源预订"]
    assert wb.sheets["visits"].header_row == 2


def test_defects_point_at_a_row_of_their_visit(built):
    _, expected, wb = built
    for vid, e in expected["visits"].items():
        if e["correct"]:
            continue
        for place in [e, *e.get("or_at", ())]:
            rows = {r.row: r for r in wb.rows[place["sheet"]]}
            assert rows[place["row"]].visit_id == vid, (vid, place)
        if e.get("partner"):
            assert expected["visits"][e["partner"]]["correct"], vid


def test_no_clash_between_visits_but_the_seeded_ones(built):
    """A staff member (by id) or a vehicle busy in two visits at once only where a defect
    says so: the correct visits must really be correct across visits too."""
    _, expected, wb = built
    busy = []  # (who or what, visit, start, end)
    for vid, v in wb.visits.items():
        if v.cancelled:
            continue
        ids = {s.name: s.staff_id for s in v.staff}
        for item in v.items:
            for name in filter(None, (item.owner, *(item.attendees or ()))):
                busy.append((ids.get(name, name), vid, at(item.date, item.start), at(item.date, item.end)))
        for b in v.bookings:
            if b.kind == "vehicle" and b.status != "cancelled":
                busy.extend((car, vid, b.start, b.end) for car in b.resource.split("、"))
    seeded = {frozenset((vid, e["partner"])) for vid, e in expected["visits"].items() if e.get("partner")}
    clashes = {frozenset((a[1], b[1])) for a, b in combinations(busy, 2)
               if a[0] == b[0] and a[1] != b[1] and a[2] < b[3] and b[2] < a[3]}
    assert clashes == seeded


def test_the_fixed_today_is_between_the_past_and_the_upcoming_visits(built):
    _, expected, wb = built
    today = date.fromisoformat(expected["today"])
    arrivals = [v.record.arrival for v in wb.visits.values()]
    assert all(isinstance(a, datetime) for a in arrivals)
    assert sum(a.date() < today for a in arrivals) >= 10 and sum(a.date() > today for a in arrivals) >= 30


# ---- the evaluation's counting ---------------------------------------------------------------

def _finding(visit, clause, severity="error", sheet="visits", field=None, row=2, rule="r"):
    return Finding(visit, rule, clause, severity, SHEETS_BY_KEY[sheet].zh, row, field, "m", field=field, sheet_key=sheet)


EXPECTED = {
    "V1": dict(correct=False, group="time", case="c", clause="3.3.4", sheet="visits", row=2, column="briefed_on",
               or_at=[dict(sheet="itinerary", row=7)], severity="warning", mistake="m", related=["5.2"]),
    "V2": dict(correct=False, group="status", case="c", clause=["5", "1"], sheet="visits", row=3, column="status",
               severity="error", mistake="m", partner="V3"),
    "V3": dict(correct=True, kind="plain", case="c", note="n"),
    "V4": dict(correct=True, kind="tricky", case="c", note="n"),
}


def test_a_finding_of_the_clause_on_the_expected_cell_finds_the_defect():
    ev = _evaluate_module().evaluate(EXPECTED, [
        _finding("V1", "3.3.4", "warning", field="briefed_on", row=99),  # the row is not required
        _finding("V2", "5.2", field="status"),  # a sub-clause cites its clause
    ])
    assert [v.visit_id for v in ev.found] == ["V1", "V2"] and ev.false_alarms == 0


def test_a_place_as_good_finds_it_too():
    ev = _evaluate_module().evaluate(EXPECTED, [_finding("V1", "3.3.4", sheet="itinerary", field="location", row=7)])
    assert [v.visit_id for v in ev.found] == ["V1"]


def test_the_clause_elsewhere_is_related_not_found_and_not_a_false_alarm():
    ev = _evaluate_module().evaluate(EXPECTED, [
        _finding("V1", "3.3.4", field="approved_on"),
        _finding("V1", "3.3.4", sheet="bookings", field="briefed_on"),
        _finding("V1", "5.2", field="minutes"),
    ])
    v1 = ev.visits[0]
    assert not v1.found and len(v1.related) == 3 and ev.false_alarms == 0
    assert [v.visit_id for v in ev.missed] == ["V1", "V2"]


def test_false_alarms_on_correct_and_defect_visits_and_the_workbook_info_ignored():
    ev = _evaluate_module().evaluate(EXPECTED, [
        _finding("V1", "3.2.1"),  # unrelated to V1's defect
        _finding("V4", "3.2.2", "warning"),
        _finding("V4", "3.3.1", "info"),  # not counted
        _finding(None, "1", "warning"),
        _finding("V9", "1"),  # a visit expected.yaml does not know
    ])
    assert ev.false_alarms == 4
    assert [f.clause for f in ev.visits[0].false_alarms] == ["3.2.1"]
    assert [f.clause for f in ev.visits[3].false_alarms] == ["3.2.2"]
    assert len(ev.workbook_level) == 1 and len(ev.unknown) == 1


def test_the_partner_of_a_clash_is_excused_for_the_clash_only():
    ev = _evaluate_module().evaluate(EXPECTED, [_finding("V3", "5"), _finding("V3", "3.2.2")])
    v3 = ev.visits[2]
    assert [f.clause for f in v3.excused] == ["5"] and [f.clause for f in v3.false_alarms] == ["3.2.2"]


def test_the_report_gives_verdicts_and_totals():
    module = _evaluate_module()
    ev = module.evaluate(EXPECTED, [_finding("V1", "3.3.4", field="briefed_on"), _finding("V4", "3.2.2")])
    text = module.report(ev)
    assert "V1 FOUND" in text and "V2 MISSED" in text and "V4 FALSE" in text and "V3 clean" in text
    assert "defects: 1 found, 1 missed, of 2" in text
    assert "false alarms: 1 (1 on correct visits, 0 on defect visits" in text
