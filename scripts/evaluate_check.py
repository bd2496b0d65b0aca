"""How many realistic mistakes does the check find? (issue 13)

    python scripts/evaluate_check.py [--standard FILE] [--keep DIR]

Builds the realistic workbook (tests/realistic/: visits written independently of the
check, one mistake each, plus correct visits that set traps), reads and checks it through
the library as the pipeline does, on the workbook's fixed today, and prints per visit
what was found, missed and falsely raised, then the totals. It measures; it does not
fail: the exit status is 0 whatever the score.

Counting (only findings of severity warning or error count; info is ignored):
- a defect is *found* when a finding names its visit and its clause (one of the expected
  clauses; a finding citing a sub-clause, 5.2, cites its clause, 5), on the expected
  sheet and column when expected.yaml gives them (or one of its `or_at` places); the row
  is reported, not required;
- on a defect visit, a finding of the expected or a `related` clause is part of the
  defect; any other is a *false alarm*;
- on a correct visit, every finding is a false alarm, except one of a clash's clause on
  the visit named as a defect's `partner` (the other end of that clash);
- workbook-level findings (no visit) are listed apart, as false alarms.

The workbook's people are invented, so findings' messages are printed in full.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "realistic"))

from pipeline.checks import check_workbook  # noqa: E402
from pipeline.findings import Finding  # noqa: E402
from pipeline.reader import read_workbook  # noqa: E402
from pipeline.standard import load_standard  # noqa: E402

EXPECTED = ROOT / "tests" / "realistic" / "expected.yaml"
COUNTED = ("error", "warning")


@dataclass
class VisitOutcome:
    visit_id: str
    expected: dict
    found: list[Finding] = field(default_factory=list)  # findings that count as finding the defect
    related: list[Finding] = field(default_factory=list)  # the defect's, elsewhere or of a related clause
    excused: list[Finding] = field(default_factory=list)  # the other end of a partner's clash
    false_alarms: list[Finding] = field(default_factory=list)

    @property
    def is_defect(self) -> bool:
        return not self.expected["correct"]


@dataclass
class Evaluation:
    visits: list[VisitOutcome]
    workbook_level: list[Finding]  # counted findings that name no visit
    unknown: list[Finding]  # counted findings naming a visit expected.yaml does not know

    @property
    def defects(self) -> list[VisitOutcome]:
        return [v for v in self.visits if v.is_defect]

    @property
    def found(self) -> list[VisitOutcome]:
        return [v for v in self.defects if v.found]

    @property
    def missed(self) -> list[VisitOutcome]:
        return [v for v in self.defects if not v.found]

    @property
    def false_alarms(self) -> int:
        return sum(len(v.false_alarms) for v in self.visits) + len(self.workbook_level) + len(self.unknown)


def clauses(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [str(c) for c in (value if isinstance(value, list) else [value])]


def cites(finding: Finding, wanted: list[str]) -> bool:
    """The finding cites one of the clauses (or a sub-clause of one)."""
    c = str(finding.clause or "").lstrip("§")
    return any(c == w or c.startswith(w + ".") for w in wanted)


def in_place(finding: Finding, expected: dict) -> bool:
    """On the expected sheet and column (when expected.yaml names them), or on one of the
    places as good (`or_at`)."""
    return any(_at(finding, place) for place in [expected, *expected.get("or_at", ())])


def _at(finding: Finding, place: dict) -> bool:
    if place.get("sheet") and finding.sheet_key != place["sheet"]:
        return False
    return not place.get("column") or finding.field == place["column"]


def evaluate(expected: dict[str, dict], findings: list[Finding]) -> Evaluation:
    """Sort the counted findings into found / part of the defect / excused / false alarm."""
    counted = [f for f in findings if f.severity in COUNTED]
    by_visit: dict[str | None, list[Finding]] = {}
    for f in counted:
        by_visit.setdefault(f.visit_id, []).append(f)
    clashes: dict[str, list[str]] = {}  # partner visit -> the clauses of the clash it is part of
    for e in expected.values():
        if not e["correct"] and e.get("partner"):
            clashes.setdefault(e["partner"], []).extend(clauses(e["clause"]))
    outcomes = []
    for vid, e in expected.items():
        outcome = VisitOutcome(vid, e)
        wanted, related = clauses(e.get("clause")), clauses(e.get("related"))
        for f in by_visit.get(vid, []):
            if outcome.is_defect and cites(f, wanted) and in_place(f, e):
                outcome.found.append(f)
            elif outcome.is_defect and cites(f, wanted + related):
                outcome.related.append(f)
            elif cites(f, clashes.get(vid, [])):
                outcome.excused.append(f)
            else:
                outcome.false_alarms.append(f)
        outcomes.append(outcome)
    unknown = [f for vid, fs in by_visit.items() if vid is not None and vid not in expected for f in fs]
    return Evaluation(outcomes, by_visit.get(None, []), unknown)


# ---- running the check -------------------------------------------------------------------

def run_check(workbook: Path, today: date, standard_path: Path | None = None):
    """Read and check the workbook through the library, as pipeline.build does."""
    standard = load_standard(standard_path)
    wb = read_workbook(workbook, standard)
    return wb, check_workbook(wb, standard, today)


# ---- the report --------------------------------------------------------------------------

def place(f: Finding) -> str:
    where = f.sheet or "-"
    if f.row:
        where += f"!{f.row}"
    if f.field:
        where += f" {f.field}"
    return where


def describe(f: Finding) -> str:
    return f"{f.severity:7} {f.rule} §{f.clause} @ {place(f)}: {f.message}"


def expectation(e: dict) -> str:
    where = " or ".join(f"{p['sheet']}!{p['row']}" + (f" {p['column']}" if p.get("column") else "")
                        for p in [e, *e.get("or_at", ())])
    return f"§{'/'.join(clauses(e['clause']))} @ {where} ({e['severity']}): {e['mistake']}"


def report(ev: Evaluation) -> str:
    lines = []
    for v in ev.visits:
        e = v.expected
        if v.is_defect:
            verdict = "FOUND " if v.found else "MISSED"
            lines.append(f"{v.visit_id} {verdict} [{e['group']}] {e['case']}: {expectation(e)}")
            for f in v.found:
                rows = [e["row"], *(p["row"] for p in e.get("or_at", ()))]
                row = "row ok" if f.row in rows else f"row {f.row} (expected {'/'.join(map(str, rows))})"
                lines.append(f"    found by {f.rule} ({f.severity}, {place(f)}, {row})")
            for f in v.related:
                lines.append(f"    related: {describe(f)}")
        else:
            verdict = "clean " if not v.false_alarms else "FALSE "
            lines.append(f"{v.visit_id} {verdict} [correct, {e['kind']}] {e['case']}: {e['note']}")
        for f in v.excused:
            lines.append(f"    other end of a clash: {describe(f)}")
        for f in v.false_alarms:
            lines.append(f"    FALSE ALARM: {describe(f)}")
    for f in ev.workbook_level:
        lines.append(f"(workbook) FALSE ALARM: {describe(f)}")
    for f in ev.unknown:
        lines.append(f"(visit {f.visit_id} not in expected.yaml) FALSE ALARM: {describe(f)}")
    lines += ["", *totals(ev)]
    return "\n".join(lines)


def totals(ev: Evaluation) -> list[str]:
    correct = [v for v in ev.visits if not v.is_defect]
    on_correct = sum(len(v.false_alarms) for v in correct)
    on_defects = sum(len(v.false_alarms) for v in ev.defects)
    groups = Counter(v.expected["group"] for v in ev.defects)
    found_groups = Counter(v.expected["group"] for v in ev.found)
    rules = Counter(f.rule for v in ev.visits for f in v.false_alarms)
    lines = [
        f"defects: {len(ev.found)} found, {len(ev.missed)} missed, of {len(ev.defects)}",
        "by group: " + ", ".join(f"{g} {found_groups[g]}/{n}" for g, n in sorted(groups.items())),
        f"correct visits: {sum(1 for v in correct if not v.false_alarms)} clean of {len(correct)}",
        f"false alarms: {ev.false_alarms} ({on_correct} on correct visits, {on_defects} on defect visits, "
        f"{len(ev.workbook_level)} workbook-level, {len(ev.unknown)} on unknown visits)",
    ]
    if rules:
        lines.append("false alarms by rule: " + ", ".join(f"{r} {n}" for r, n in rules.most_common()))
    return lines


def main() -> None:
    from build_workbook import build

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--standard", type=Path, help="a rules file other than the shipped standard")
    ap.add_argument("--keep", type=Path, help="write the workbook into this folder and keep it")
    args = ap.parse_args()
    expected = yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        workbook = folder / expected["workbook"]
        if build(workbook) != expected:
            sys.exit(f"{EXPECTED} is out of date: rerun tests/realistic/build_workbook.py with --expected")
        _, result = run_check(workbook, date.fromisoformat(expected["today"]), args.standard)
    print(report(evaluate(expected["visits"], result.findings)))


if __name__ == "__main__":
    main()
