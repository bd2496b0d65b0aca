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
from pipeline.reader import read_workbook
from pipeline.standard import load_standard

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "input" / "2027年客户接待台账.xlsx"
GOLDEN = Path(__file__).parent / "golden" / "sample_findings.json"
TODAY = date(2027, 4, 20)


def sample_result():
    std = load_standard()
    return check_workbook(read_workbook(SAMPLE, std), std, TODAY)


def test_sample_findings_match_the_golden_file():
    result = sample_result()
    got = [[f.visit_id, f.rule, f.severity, f.sheet, f.row, f.column] for f in result.findings]
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
