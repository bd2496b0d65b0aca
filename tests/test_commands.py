"""Every command (template, check, build, mail, send --dry-run, send) on one workbook whose
guests' confidential fields hold marker values: no output stream and no log shows one,
the input workbook is never written, and every file and folder they make is readable by
its owner only (§2.5)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from test_mail_support import STAFF_EMAILS, start_server
from workbooks import clean_visit, merge, write_workbook

pytestmark = pytest.mark.slow  # every test here runs the command line in another process

ROOT = Path(__file__).resolve().parents[1]
MARKER = "MARKER"  # every confidential value below holds it
CONFIDENTIAL = ("ethnicity", "dietary", "preferences", "background", "phone")


def marked_workbook(path: Path) -> Path:
    rows = merge(clean_visit("V1", day=10), clean_visit("V2", day=12))
    for s in rows["staff"]:
        s["email"] = STAFF_EMAILS[s["name"]]
    for n, guest in enumerate(rows["guests"]):
        for key in CONFIDENTIAL:
            guest[key] = f"{MARKER}-{key}-{n}"
        guest["smoker"] = f"{MARKER}-smoker"  # not yes or no: a finding on the cell, without its value
    rows["visits"][1]["approval"] = "submitted"  # V2's plan goes to its approver, with its findings
    rows["guests"][3]["name"] = None  # a guest without a name: findings that name the row instead
    return write_workbook(path, rows)


@pytest.fixture(scope="module")
def commands(tmp_path_factory):
    """Run every command in a fresh folder: the streams of each, and the folder."""
    home = tmp_path_factory.mktemp("commands")
    (home / "input").mkdir()
    workbook = marked_workbook(home / "input" / "visits.xlsx")
    before = (workbook.read_bytes(), workbook.stat().st_mtime_ns)
    server = start_server()
    server.handler.refuse.add("qian.hong@example.com")  # the client's itinerary stays in the outbox as a draft
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("RECEPTION_")}, "PYTHONPATH": str(ROOT),
           "RECEPTION_SMTP_HOST": "127.0.0.1", "RECEPTION_SMTP_PORT": str(server.port),
           "RECEPTION_SMTP_SECURITY": "none", "RECEPTION_MAIL_FROM": "reception@example.com"}
    runs = {}
    try:
        for command in (["template"], ["check"], ["build"], ["mail"], ["send", "--dry-run"], ["send"], ["build"]):
            args = [sys.executable, "-m", "pipeline", *command, "--output", "output"]
            if command != ["template"]:
                args += ["--input", "input", "--today", "2027-03-05"]
            runs[" ".join(command)] = subprocess.run(args, capture_output=True, text=True, cwd=home, env=env,
                                                     timeout=300)
    finally:
        server.controller.stop()
    return home, runs, before, server


def test_every_command_ran(commands):
    _, runs, _, server = commands
    for name, r in runs.items():
        assert r.returncode in (0, 1), (name, r.stderr)
        assert "Traceback" not in r.stderr, name
    assert server.received  # the send sent


def test_no_stream_and_no_log_shows_a_confidential_value(commands):
    home, runs, _, _ = commands
    for name, r in runs.items():
        assert MARKER not in r.stdout and MARKER not in r.stderr, name
    logs = [p for p in (home / ".reception").rglob("*") if p.is_file()]
    assert logs
    for log in logs:
        assert MARKER not in log.read_text(encoding="utf-8", errors="replace"), log
    findings = (home / "output" / "visits" / "findings.json").read_text(encoding="utf-8")
    assert MARKER not in findings and "smoker" in findings  # the bad cell is reported, not shown


def test_the_input_workbook_is_never_written(commands):
    home, _, before, _ = commands
    workbook = home / "input" / "visits.xlsx"
    assert (workbook.read_bytes(), workbook.stat().st_mtime_ns) == before
    assert sorted(p.name for p in (home / "input").iterdir()) == ["visits.xlsx"]


def test_every_file_and_folder_made_is_readable_by_its_owner_only(commands):
    home, _, _, _ = commands
    made = [p for top in (home / "output", home / ".reception") for p in (top, *top.rglob("*"))]
    assert any(p.suffix == ".eml" for p in made) and any(p.name == "sendlog.jsonl" for p in made)
    for p in made:
        mode = stat.S_IMODE(p.lstat().st_mode)
        assert mode == (0o700 if p.is_dir() else 0o600), (p, oct(mode))


def test_make_clean_removes_the_outputs_and_keeps_the_send_log(tmp_path):
    """`make clean` on a copy of the Makefile (it also removes .venv/ where it runs)."""
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    out = tmp_path / "output"
    (out / "visits" / "V1" / "outbox").mkdir(parents=True)
    for name in ("visits/V1/接待方案_V1.docx", "visits/V1/outbox/briefing.eml", "visits/findings.json",
                 "visits/.manifest.json", "visits/V1/.~reception-0123456789abcdef.tmp", "index.html", "接台账模板.xlsx"):
        (out / name).write_bytes(b"personal")
    (out / ".gitkeep").write_bytes(b"")
    (out / "README.md").write_text("what output/ holds")
    (tmp_path / ".reception").mkdir()
    (tmp_path / ".reception" / "sendlog.jsonl").write_text(json.dumps({"to": "a@example.com"}))
    (tmp_path / ".venv").mkdir()
    r = subprocess.run(["make", "clean"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == [".gitkeep", "README.md"]
    assert (tmp_path / ".reception" / "sendlog.jsonl").is_file()  # kept: only addresses, and it stops re-sends
    assert not (tmp_path / ".venv").exists()
