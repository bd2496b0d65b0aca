"""Faults while writing: a kill mid-build, a full disk, a file locked by another program.
Nothing half-written under a final name, a clear error naming the file, earlier outputs
intact, and the next build completes the work."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest

from pipeline import build as recipe
from pipeline import output
from pipeline.errors import OutputError, said
from pipeline.standard import load_standard
from test_cli import cli
from workbooks import clean_visit, merge, write_workbook

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2027, 3, 5)


def options(inbox: Path, out: Path, workers: int = 1) -> recipe.Options:
    return recipe.Options(inbox, out, TODAY, load_standard(), workers=workers)


def many_visits(n: int) -> dict:
    return merge(*(clean_visit(f"V{i:03d}", day=1 + i % 27) for i in range(n)))


def finals(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(output.TEMP_PREFIX)]


def test_write_replaces_atomically_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "a" / "f.txt"
    output.write_text(path, "one")
    output.write_text(path, "two")
    assert path.read_text() == "two" and [p.name for p in path.parent.iterdir()] == ["f.txt"]


@pytest.mark.parametrize("step, code, words, words_zh", [
    ("replace", errno.ENOSPC, "No space left on device); the disk is full: free some space", "磁盘已满"),
    ("fsync", errno.ENOSPC, "No space left on device); the disk is full: free some space", "磁盘已满"),
    ("replace", errno.EACCES, "Permission denied); is it open in another program?",  # Windows, a file open in Excel
     "是否正在其他程序中打开"),
    ("mkstemp", errno.EACCES, "Permission denied); the folder is read-only: make it writable", "文件夹只读"),
    ("mkstemp", errno.EROFS, "Read-only file system); the folder is read-only", "文件夹只读"),
])
def test_a_failed_write_names_the_file_says_what_to_do_and_keeps_the_old_one(tmp_path, monkeypatch, step, code,
                                                                               words, words_zh):
    path = tmp_path / "report.xlsx"
    output.write_bytes(path, b"old")

    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(output.tempfile if step == "mkstemp" else output.os, step, fail)
    with pytest.raises(OutputError) as e:
        output.write_bytes(path, b"new")
    assert str(e.value) == f"{path}: cannot {'write in its folder' if step == 'mkstemp' else 'write the file'} (" \
                           + str(e.value).split(" (", 1)[1]
    assert words in str(e.value)
    assert words_zh in e.value.message_in("zh") and said(e.value, "zh").startswith(f"{path}：")
    assert path.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


@pytest.mark.slow
def test_an_output_error_is_said_in_the_workbooks_language(tmp_path):
    """`--output` names a file, not a folder: one error naming it, in Chinese for a
    Chinese workbook, in English with --lang en; exit 2."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    write_workbook(inbox / "wb.xlsx", many_visits(1))
    (tmp_path / "out").write_text("a file")
    for lang, words in ((None, "错误：" + str(tmp_path / "out" / "wb") + "：无法创建文件夹"),
                        ("en", "error: " + str(tmp_path / "out" / "wb") + ": cannot create the folder")):
        r = cli("check", "--input", inbox, "--output", tmp_path / "out", "--today", "2027-03-05",
                *(["--lang", lang] if lang else []))
        assert r.returncode == 2 and "Traceback" not in r.stderr
        assert [line for line in r.stderr.splitlines() if words in line], r.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder; the mkstemp case above "
                                                "stands in for it")
def test_a_really_read_only_folder(tmp_path):
    path = tmp_path / "out" / "report.xlsx"
    output.write_bytes(path, b"old")
    path.parent.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="the folder is read-only"):
            output.write_bytes(path, b"new")
    finally:
        path.parent.chmod(0o700)
    assert path.read_bytes() == b"old"


def test_folders_made_on_the_way_are_owner_only_and_those_there_keep_their_mode(tmp_path):
    import stat
    tmp_path.chmod(0o755)
    output.write_bytes(tmp_path / "a" / "b" / "c" / "f.txt", b"x")
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path, tmp_path / "a", tmp_path / "a" / "b",
                                                             tmp_path / "a" / "b" / "c")}
    assert modes == {tmp_path.name: 0o755, "a": 0o700, "b": 0o700, "c": 0o700}


def test_a_read_only_output_folder_during_build_is_one_error_and_the_earlier_outputs_stay(tmp_path, monkeypatch):
    inbox = tmp_path / "in"
    inbox.mkdir()
    write_workbook(inbox / "wb.xlsx", many_visits(2))
    out = tmp_path / "out"
    assert recipe.build(options(inbox, out)).exit_code == 0
    before = {p: p.read_bytes() for p in finals(out)}
    rows = many_visits(2)
    rows["visits"][0]["theme"] = "changed"
    write_workbook(inbox / "wb.xlsx", rows)
    real = output.tempfile.mkstemp

    def read_only(*args, dir=None, **kwargs):
        if Path(dir).name == "V000":
            raise OSError(errno.EACCES, os.strerror(errno.EACCES))
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(output.tempfile, "mkstemp", read_only)
    run = recipe.build(options(inbox, out))
    assert run.exit_code == 1  # the visit failed, the others were built
    [failed] = run.workbooks[0].documents.errors
    assert failed.visit_id == "V000" and "V000" in failed.error and "文件夹只读" in failed.error  # in the workbook's language
    assert {p: p.read_bytes() for p in (out / "wb" / "V000").iterdir()} == \
        {p: d for p, d in before.items() if p.parent.name == "V000"}


def test_a_full_disk_during_build_is_one_error_and_the_earlier_outputs_stay(tmp_path, monkeypatch):
    inbox = tmp_path / "in"
    inbox.mkdir()
    write_workbook(inbox / "wb.xlsx", many_visits(3))
    out = tmp_path / "out"
    first = recipe.build(options(inbox, out))
    assert first.exit_code == 0
    before = {p: p.read_bytes() for p in finals(out)}
    rows = many_visits(3)
    rows["visits"][0]["theme"] = "changed"  # so that the next build has something to write
    write_workbook(inbox / "wb.xlsx", rows)
    real = output.os.replace

    def full(src, dst):
        if str(dst).endswith(".xlsx"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(src, dst)

    monkeypatch.setattr(output.os, "replace", full)
    run = recipe.build(options(inbox, out))
    assert run.exit_code == 2
    assert "No space left on device" in str(run.workbooks[0].error)
    for path, data in before.items():
        if path.suffix == ".xlsx":
            assert path.read_bytes() == data, path  # the old file, whole
    assert not list(out.rglob(output.TEMP_PREFIX + "*"))
    monkeypatch.setattr(output.os, "replace", real)
    assert recipe.build(options(inbox, out)).exit_code == 0  # and the next build completes


@pytest.mark.slow
def test_a_build_killed_midway_leaves_only_whole_files_and_the_next_build_completes(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    write_workbook(inbox / "wb.xlsx", many_visits(120))
    out = tmp_path / "out"
    args = [sys.executable, "-m", "pipeline", "build", "--input", str(inbox), "--output", str(out),
            "--today", TODAY.isoformat(), "--workers", "2"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("wb/V*/*.docx"))) < 20:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)  # the command and its workers, as a power cut would
    proc.wait()
    written = finals(out)
    assert written, "the build was killed before it wrote anything"
    for path in written:
        if path.suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(path) as z:
                assert z.testzip() is None, path
    r = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode in (0, 1) and not r.stderr  # 1: the visits share rooms and staff (findings)
    assert len(list(out.glob("wb/V*/*.docx"))) == 360 and len(list(out.glob("wb/V*/*.xlsx"))) == 120
    assert not list(out.rglob(output.TEMP_PREFIX + "*"))


def test_sweep_removes_only_temporary_files(tmp_path):
    (tmp_path / "V1").mkdir()
    (tmp_path / "V1" / ".tmp-abc.docx").write_bytes(b"half")
    (tmp_path / "V1" / "mine.docx").write_bytes(b"mine")
    assert output.sweep_temporary(tmp_path) == 1
    assert [p.name for p in (tmp_path / "V1").iterdir()] == ["mine.docx"]
