"""§3.2.3 a plan changed since its approval (pipeline/checks/approval.py), through the
check and the build as the command line runs them: the finding, the plan's section,
re-approval, cosmetic edits, and check and build agreeing."""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import subprocess
import sys
from datetime import date, time
from pathlib import Path

import pytest
import yaml
from docx import Document
from extract import docx_text
from workbooks import CLEAN_TODAY, clean_visit, flat, merge, write_workbook

from pipeline.build import Options, build, check
from pipeline.documents.plan import labels
from pipeline.standard import DEFAULT_STANDARD, load_standard
from pipeline.versions.store import Versions

ROOT = Path(__file__).resolve().parents[1]
RULE = "visit.unchanged_since_approval"


def run(tmp_path: Path, rows: dict, action=build, lang: str = "zh", standard=None):
    """Write the workbook and check or build it, keeping the versions in tmp_path/state."""
    (tmp_path / "input").mkdir(exist_ok=True)
    write_workbook(tmp_path / "input" / "visits.xlsx", rows, lang=lang)
    options = Options(tmp_path / "input", tmp_path / "output", CLEAN_TODAY, standard or load_standard(), None,
                      workers=1, pdf="none", versions=Versions(tmp_path / "state" / "sendlog.jsonl"))
    return action(options).workbooks[0]


def found(w) -> list:
    """The findings of the rule (an edit may also trip other rules, which are not this test's)."""
    return [f for f in w.result.findings if f.rule == RULE]


def plan(tmp_path: Path, visit: str = "V1") -> bytes:
    folder = tmp_path / "output" / "visits" / visit
    [path] = [*folder.glob("接待方案_*.docx"), *folder.glob("plan_*.docx")]
    return path.read_bytes()


def changes_table(data: bytes) -> list[list[str]]:
    for table in Document(io.BytesIO(data)).tables:
        rows = [[c.text for c in r.cells] for r in table.rows]
        if rows[0][:2] == ["类别", "改动"] or rows[0][:2] == ["Sheet", "Change"]:
            return rows[1:]
    return []


def test_approve_then_change_an_item_is_a_finding_and_a_section_of_the_plan(tmp_path):
    rows = clean_visit()
    assert flat(found(run(tmp_path, rows))) == []  # first seen approved: kept
    rows["itinerary"][2].update(start=time(14, 30), location="B205会议室")
    rows["guests"][1]["dietary"] = "素食"
    w = run(tmp_path, rows)
    assert flat(found(w)) == [("V1", RULE, "approved_on")]
    [finding] = found(w)
    assert finding.severity == "error" and finding.clause == "3.2.3"
    assert finding.message == "方案于 2027-03-01 批准后又有改动（行程 1 项、来宾 1 人）：请重新报批，批准后填写新的审批日期"
    assert "素食" not in finding.message  # counts, never a confidential value
    assert changes_table(plan(tmp_path)) == [
        ["来宾", "改动", "周敏（采购经理）", "", "饮食禁忌有改动（保密，见来宾名单）"],
        ["行程", "改动", "3月10日 14:30–16:00 合作会谈", "开始：14:00；地点：A301会议室", "开始：14:30；地点：B205会议室"]]
    text = docx_text(plan(tmp_path))
    assert labels("zh", "plan")["sec_changes"] in text and "本方案于 2027年3月1日 星期一 批准" in text
    assert w.result.visits[0].changes.severity == "error"

    rows["visits"][0].update(approved_on=date(2027, 3, 4), briefed_on=date(2027, 3, 4))  # approved again
    w = run(tmp_path, rows)
    assert flat(found(w)) == [] and w.result.visits[0].changes is None
    assert changes_table(plan(tmp_path)) == [] and labels("zh", "plan")["sec_changes"] not in docx_text(plan(tmp_path))
    rows["itinerary"][2]["end"] = time(16, 30)  # a change after the new approval is measured from it
    assert [f.message for f in found(run(tmp_path, rows))] == [
        "方案于 2027-03-04 批准后又有改动（行程 1 项）：请重新报批，批准后填写新的审批日期"]


def test_the_reports_follow_the_versions_kept_not_only_the_workbook(tmp_path):
    rows = clean_visit()
    run(tmp_path, rows)
    rows["itinerary"][2]["start"] = time(14, 30)
    run(tmp_path, rows)
    findings = tmp_path / "output" / "visits" / "findings.json"
    assert RULE in findings.read_text(encoding="utf-8")
    assert "批准后有改动" in (tmp_path / "output" / "visits" / "index.html").read_text(encoding="utf-8")
    shutil.rmtree(tmp_path / "state")  # the versions forgotten, the workbook as it was
    assert flat(found(run(tmp_path, rows))) == []  # kept again as it now stands ...
    assert RULE not in findings.read_text(encoding="utf-8")  # ... and the reports say so
    assert "批准后有改动" not in (tmp_path / "output" / "visits" / "index.html").read_text(encoding="utf-8")


def test_cosmetic_edits_after_approval_are_nothing(tmp_path):
    rows = clean_visit()
    run(tmp_path, rows)
    rows["itinerary"].reverse()
    rows["itinerary"][0]["location"] = " 虹桥机场Ｔ２ "
    rows["visits"][0]["objective"] = "签订 年度框架协议"
    rows["bookings"][0]["reference"] = "RM-1"  # progress
    rows["visits"][0]["approval_notes"] = "同意"
    w = run(tmp_path, rows)
    assert flat(found(w)) == [] and w.result.visits[0].changes is None


def test_check_and_build_agree_on_every_finding(tmp_path):
    rows = merge(clean_visit("V1"), clean_visit("V2", day=20))
    run(tmp_path, rows, check)  # check keeps the approved versions too
    rows["itinerary"][2]["activity"] = "合作会谈（延长）"
    rows["visits"][1]["arrival_point"] = "浦东机场T1"
    checked = run(tmp_path, rows, check)
    built = run(tmp_path, rows, build)
    again = run(tmp_path, rows, check)
    assert flat(found(checked)) == flat(found(built)) == flat(found(again)) == [
        ("V1", RULE, "approved_on"), ("V2", RULE, "approved_on")]
    assert (tmp_path / "output" / "visits" / "findings.json").read_text(encoding="utf-8").count(RULE) == 2
    assert "接站地点" in found(again)[1].message  # a field of the visit is named by its header


def test_submitted_again_the_finding_is_the_approval_rules_and_the_plan_still_shows_the_changes(tmp_path):
    rows = clean_visit()
    run(tmp_path, rows)
    rows["itinerary"][2]["start"] = time(14, 30)
    rows["visits"][0].update(approval="submitted", briefed_on=None)
    w = run(tmp_path, rows)
    assert found(w) == []
    assert w.result.visits[0].changes is not None and w.result.visits[0].changes.severity is None
    assert len(changes_table(plan(tmp_path))) == 1
    index = (tmp_path / "output" / "visits" / "index.html").read_text(encoding="utf-8")
    assert "批准后有改动（3月1日批准）" in index


def test_english_workbook_and_a_company_that_makes_it_a_warning(tmp_path):
    data = yaml.safe_load(DEFAULT_STANDARD.read_text(encoding="utf-8"))
    for rule in data["rules"]:
        if rule["id"] == RULE:
            rule["severity"] = "warning"
    (tmp_path / "rules.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    company = load_standard(tmp_path / "rules.yaml")
    rows = clean_visit()
    run(tmp_path, rows, lang="en", standard=company)
    del rows["itinerary"][4]
    rows["visits"][0]["arrival_point"] = "浦东机场T1"
    w = run(tmp_path, rows, lang="en", standard=company)
    [finding] = found(w)
    assert finding.severity == "warning"
    assert finding.message == ("changed since approval on 2027-03-01: Meeting point, 1 itinerary item: submit it "
                               "again, and once it is approved enter the new approval date")
    assert changes_table(plan(tmp_path)) == [["Visits", "Changed", "Meeting point", "虹桥机场T2", "浦东机场T1"],
                                             ["Itinerary", "Removed", "11 Mar 07:30–08:30 早餐 · 酒店早餐 · 李明", "", ""]]


def test_without_a_store_nothing_is_compared_or_kept(tmp_path):
    rows = clean_visit()
    (tmp_path / "input").mkdir()
    write_workbook(tmp_path / "input" / "visits.xlsx", rows)
    options = Options(tmp_path / "input", tmp_path / "output", CLEAN_TODAY, load_standard(), None, workers=1,
                      pdf="none")
    assert found(check(options).workbooks[0]) == []
    assert not (tmp_path / "state").exists()


def test_a_cancelled_visit_is_not_held_to_its_approval(tmp_path):
    rows = clean_visit()
    run(tmp_path, rows)
    rows["itinerary"][2]["start"] = time(14, 30)
    rows["visits"][0]["status"] = "cancelled"
    assert flat(found(run(tmp_path, rows))) == []


@pytest.mark.slow
def test_the_command_line_keeps_the_versions_beside_the_send_log(tmp_path):
    """`check` then `build` from a folder of one's own: .reception/ holds the versions."""
    rows = clean_visit()
    (tmp_path / "input").mkdir()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("RECEPTION_")}, "PYTHONPATH": str(ROOT)}

    def cli(command: str) -> subprocess.CompletedProcess:
        write_workbook(tmp_path / "input" / "visits.xlsx", rows)
        return subprocess.run([sys.executable, "-m", "pipeline", command, "--input", "input", "--output", "output",
                               "--today", CLEAN_TODAY.isoformat(), "--pdf", "none"], capture_output=True,
                              text=True, cwd=tmp_path, env=env, timeout=300)

    first = cli("check")
    assert first.returncode == 0, first.stderr
    assert "visits.xlsx：邮件标识 visits-" in first.stdout  # the identity recorded, said once
    state = tmp_path / ".reception"
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    assert sorted(p.name for p in (state / "sendlog.versions").rglob("*.json")) == ["V1.json", "index.json"]
    rows["itinerary"][2]["start"] = time(14, 30)
    second = cli("build")
    assert second.returncode == 1 and "邮件标识" not in second.stdout
    findings = json.loads((tmp_path / "output" / "visits" / "findings.json").read_text(encoding="utf-8"))
    assert [f["rule"] for f in findings if f["rule"] == RULE] == [RULE]
