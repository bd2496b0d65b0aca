"""Faults while writing: a kill mid-build, a full disk, a file locked by another program.
Nothing half-written under a final name, a clear error naming the file, earlier outputs
intact, and the next build completes the work."""

from __future__ import annotations

import errno
import os
import re
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


def build_command(inbox: Path, out: Path, *extra: str) -> tuple[list[str], dict[str, str]]:
    """`python -m pipeline build` of `inbox` into `out` as a subprocess runs it, without PDF
    copies: (args, env)."""
    return ([sys.executable, "-m", "pipeline", "build", "--input", str(inbox), "--output", str(out),
             "--today", TODAY.isoformat(), "--pdf", "none", *extra], {**os.environ, "PYTHONPATH": str(ROOT)})


def finals(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(output.TEMP_PREFIX)]


def test_write_replaces_atomically_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "a" / "f.txt"
    output.write_text(path, "one", tmp_path)
    output.write_text(path, "two", tmp_path)
    assert path.read_text() == "two" and [p.name for p in path.parent.iterdir()] == ["f.txt"]


def test_a_document_written_not_durable_waits_for_one_flush_of_its_file_system(tmp_path, monkeypatch):
    """The visits' documents: no fsync each; `flush_to_disk` flushes the file system
    that holds the folder, once, for all of them."""
    fsyncs, flushed = [], []
    real_fsync = os.fsync
    monkeypatch.setattr(output.os, "fsync", lambda fd: fsyncs.append(fd) or real_fsync(fd))
    output.write_bytes(tmp_path / "v" / "plan.docx", b"plan", tmp_path, durable=False)
    output.write_bytes(tmp_path / "v" / "roles.xlsx", b"roles", tmp_path, durable=False)
    assert fsyncs == []
    output.write_bytes(tmp_path / "manifest.json", b"{}", tmp_path)  # any other file: on disk before its name
    assert len(fsyncs) == 1
    monkeypatch.setattr(output, "_SYNC_ALL", lambda fd: flushed.append(os.fstat(fd).st_ino))
    output.flush_to_disk(tmp_path / "v")
    assert flushed == [(tmp_path / "v").stat().st_ino]


def test_the_flush_of_the_file_system_really_runs_here(tmp_path):
    assert (output._SYNC_ALL is not None) == sys.platform.startswith("linux")  # elsewhere: an fsync per file
    output.write_bytes(tmp_path / "f", b"x", tmp_path, durable=False)
    output.flush_to_disk(tmp_path)


def test_where_a_file_system_cannot_be_flushed_at_once_each_document_is(tmp_path, monkeypatch):
    fsyncs = []
    real_fsync = os.fsync
    monkeypatch.setattr(output.os, "fsync", lambda fd: fsyncs.append(fd) or real_fsync(fd))
    monkeypatch.setattr(output, "_SYNC_ALL", None)
    output.write_bytes(tmp_path / "plan.docx", b"plan", tmp_path, durable=False)
    output.flush_to_disk(tmp_path)
    assert len(fsyncs) == 1


def test_a_flush_that_fails_names_the_folder_and_what_to_do(tmp_path, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(output, "_SYNC_ALL", full)
    with pytest.raises(OutputError) as e:
        output.flush_to_disk(tmp_path)
    assert str(e.value) == f"{tmp_path}: the documents written here could not be saved to the disk " \
                           "(No space left on device); check the disk or network drive, then run again"
    assert "未能保存到磁盘" in e.value.message_in("zh")


@pytest.mark.parametrize("step, code, words, words_zh", [
    ("replace", errno.ENOSPC, "No space left on device); the disk is full: free some space", "磁盘已满"),
    ("fsync", errno.ENOSPC, "No space left on device); the disk is full: free some space", "磁盘已满"),
    ("replace", errno.EACCES, "Permission denied); is it open in another program?",  # Windows, a file open in Excel
     "是否正在其他程序中打开"),
    ("open", errno.EACCES, "Permission denied); the folder is read-only: make it writable", "文件夹只读"),
    ("open", errno.EROFS, "Read-only file system); the folder is read-only", "文件夹只读"),
])
def test_a_failed_write_names_the_file_says_what_to_do_and_keeps_the_old_one(tmp_path, monkeypatch, step, code,
                                                                               words, words_zh):
    path = tmp_path / "report.xlsx"
    output.write_bytes(path, b"old", tmp_path)

    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(output.os, step, fail)
    with pytest.raises(OutputError) as e:
        output.write_bytes(path, b"new", tmp_path)
    assert str(e.value) == f"{path}: cannot {'write in its folder' if step == 'open' else 'write the file'} (" \
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


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder; the open case above "
                                                "stands in for it")
def test_a_really_read_only_folder(tmp_path):
    path = tmp_path / "out" / "report.xlsx"
    output.write_bytes(path, b"old", tmp_path)
    path.parent.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="the folder is read-only"):
            output.write_bytes(path, b"new", tmp_path)
    finally:
        path.parent.chmod(0o700)
    assert path.read_bytes() == b"old"


def test_folders_made_on_the_way_are_owner_only_and_those_there_keep_their_mode(tmp_path):
    import stat
    tmp_path.chmod(0o755)
    output.write_bytes(tmp_path / "a" / "b" / "c" / "f.txt", b"x", tmp_path)
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
    real = output.os.open

    def read_only(path, *args, **kwargs):
        if Path(path).parent.name == "V000":
            raise OSError(errno.EACCES, os.strerror(errno.EACCES))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(output.os, "open", read_only)
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
    args, env = build_command(inbox, out, "--workers", "2")
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
    (tmp_path / "V1" / (output.TEMP_PREFIX + "0123456789abcdef" + output.TEMP_SUFFIX)).write_bytes(b"half")
    (tmp_path / "V1" / "mine.docx").write_bytes(b"mine")
    assert output.sweep_temporary(tmp_path) == 1
    assert [p.name for p in (tmp_path / "V1").iterdir()] == ["mine.docx"]


# ---- the output folder is not trusted: every path stays inside it, no link is followed ------

def _built(tmp_path: Path, n: int = 2) -> tuple[Path, Path]:
    inbox = tmp_path / "in"
    inbox.mkdir()
    write_workbook(inbox / "wb.xlsx", many_visits(n))
    out = tmp_path / "out"
    assert recipe.build(options(inbox, out)).exit_code == 0
    return inbox, out


def test_a_manifest_naming_a_folder_outside_the_output_removes_nothing_there(tmp_path):
    import json
    inbox, out = _built(tmp_path)
    victim = tmp_path / "x" / "plan.docx"
    victim.parent.mkdir()
    victim.write_bytes(b"someone else's")
    manifest = out / "wb" / ".manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["visits"]["V000"].update(folder="../../x", files=["plan.docx"])
    data["visits"]["V999"] = {"fingerprint": "", "folder": "../../x", "files": ["plan.docx"]}
    manifest.write_text(json.dumps(data), encoding="utf-8")
    run = recipe.build(options(inbox, out))
    assert victim.read_bytes() == b"someone else's"
    assert run.exit_code == 2
    error = said(run.workbooks[0].error, "en")
    assert str(out / "wb" / "../../x") in error and "outside the output folder" in error
    assert str(out / "wb") in error and "refused" in error


def test_a_visit_folder_that_is_a_link_is_not_written_through(tmp_path):
    import stat
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o755)
    elsewhere.chmod(0o755)
    inbox = tmp_path / "in"
    inbox.mkdir()
    write_workbook(inbox / "wb.xlsx", many_visits(2))
    out = tmp_path / "out"
    (out / "wb").mkdir(parents=True)
    (out / "wb" / "V000").symlink_to(elsewhere, target_is_directory=True)
    run = recipe.build(options(inbox, out))
    assert list(elsewhere.iterdir()) == [] and stat.S_IMODE(elsewhere.stat().st_mode) == 0o755
    [failed] = run.workbooks[0].documents.errors
    assert failed.visit_id == "V000"
    assert str(out / "wb" / "V000") in failed.error and "符号链接" in failed.error
    assert (out / "wb" / "V001").is_dir() and not (out / "wb" / "V001").is_symlink()


def test_a_workbook_folder_or_a_file_that_is_a_link_is_refused(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    inbox = tmp_path / "in"
    inbox.mkdir()
    write_workbook(inbox / "wb.xlsx", many_visits(1))
    out = tmp_path / "out"
    out.mkdir()
    (out / "wb").symlink_to(elsewhere, target_is_directory=True)
    run = recipe.build(options(inbox, out))
    assert run.exit_code == 2 and list(elsewhere.iterdir()) == []
    assert str(out / "wb") in str(run.workbooks[0].error) and "symbolic link" in str(run.workbooks[0].error)
    (out / "wb").unlink()
    assert recipe.build(options(inbox, out)).exit_code == 0
    findings = out / "wb" / "findings.json"
    findings.unlink()
    findings.symlink_to(elsewhere / "target.json")
    run = recipe.build(options(inbox, out, ))
    assert run.exit_code == 2 and not (elsewhere / "target.json").exists()
    assert str(findings) in str(run.workbooks[0].error)


@pytest.mark.parametrize("write", [
    lambda root: output.write_bytes(root / ".." / "x.txt", b"x", root=root),
    lambda root: output.write_bytes(Path("/tmp/x.txt"), b"x", root=root),
    lambda root: output.remove(root / "a" / ".." / ".." / "x.txt", root=root),
    lambda root: output.remove_empty_dir(root / "..", root=root),
    lambda root: output.ensure_dir(root / "a" / ".." / "..", root=root),
])
def test_no_path_outside_the_root_is_written_or_removed(tmp_path, write):
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "x.txt").write_bytes(b"mine")
    with pytest.raises(OutputError, match="outside the output folder"):
        write(root)
    assert (tmp_path / "x.txt").read_bytes() == b"mine" and root.is_dir()


def test_the_sweep_leaves_a_users_own_tmp_files_alone(tmp_path):
    inbox, out = _built(tmp_path)
    mine = [out / "wb" / "V000" / ".tmp-mine.docx", out / "wb" / ".tmp-notes.txt", out / "wb" / "V000" / "x.tmp"]
    for path in mine:
        path.write_bytes(b"mine")
    killed = out / "wb" / "V000" / (output.TEMP_PREFIX + "0123456789abcdef" + output.TEMP_SUFFIX)
    killed.write_bytes(b"half")  # what a killed run leaves
    rows = many_visits(2)
    rows["visits"][0]["theme"] = "changed"
    write_workbook(inbox / "wb.xlsx", rows)
    assert recipe.build(options(inbox, out)).exit_code == 0
    assert all(path.read_bytes() == b"mine" for path in mine) and not killed.exists()


def test_temporary_names_are_the_pipelines_own(tmp_path, monkeypatch):
    seen = []
    real = output.os.replace

    def spy(src, dst):
        seen.append(Path(src).name)
        return real(src, dst)

    monkeypatch.setattr(output.os, "replace", spy)
    output.write_bytes(tmp_path / "f.docx", b"x", root=tmp_path)
    [name] = seen
    assert output.is_temporary(name) and not output.is_temporary(".tmp-abc.docx")
    assert re.fullmatch(r"\.~reception-[0-9a-f]{16}\.tmp", name)


# ---- two builds at once ----------------------------------------------------------------

def test_a_second_build_waits_for_the_first_then_says_another_build_is_running(tmp_path, monkeypatch):
    inbox = tmp_path / "in"
    inbox.mkdir()
    write_workbook(inbox / "wb.xlsx", many_visits(1))
    out = tmp_path / "out"
    monkeypatch.setattr(output, "LOCK_WAIT", 0.5)
    with output.locked(out):  # the first build, still running
        started = time.monotonic()
        with pytest.raises(OutputError) as e:
            recipe.build(options(inbox, out))
        assert time.monotonic() - started >= 0.5
    assert not (out / "wb").exists()
    assert str(out) in str(e.value) and "another build is running" in str(e.value)
    assert "另一个生成任务正在运行" in said(e.value, "zh")
    assert recipe.build(options(inbox, out)).exit_code == 0  # and once it has finished, this one runs


@pytest.mark.slow
def test_a_build_in_another_process_waits_while_one_runs(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    write_workbook(inbox / "wb.xlsx", many_visits(2))
    out = tmp_path / "out"
    args, env = build_command(inbox, out)
    with output.locked(out):
        proc = subprocess.Popen(args, cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(2)
        assert proc.poll() is None and not (out / "wb").exists()  # waiting, nothing written
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    assert (out / "wb" / "V000").is_dir()


@pytest.mark.slow
def test_a_killed_build_keeps_the_progress_it_made(tmp_path):
    """The manifest records each visit as its documents are written: after a kill the
    next build renders only the visits not finished, not all of them again."""
    import json
    inbox = tmp_path / "in"
    inbox.mkdir()
    write_workbook(inbox / "wb.xlsx", many_visits(120))
    out = tmp_path / "out"
    args, env = build_command(inbox, out, "--workers", "2", "--lang", "en")
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    manifest = out / "wb" / ".manifest.json"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("wb/V*/*.docx"))) < 60:
        time.sleep(0.02)
    deadline = time.monotonic() + 1
    while time.monotonic() < deadline and not manifest.is_file():
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    recorded = json.loads(manifest.read_text(encoding="utf-8"))["visits"] if manifest.is_file() else {}
    assert recorded, "nothing was recorded before the kill"
    assert len(recorded) < 120, "the build finished before it was killed"
    for entry in recorded.values():  # what is recorded is there, whole
        for name in entry["files"]:
            with zipfile.ZipFile(out / "wb" / entry["folder"] / name) as z:
                assert z.testzip() is None
    r = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode in (0, 1) and not r.stderr
    assert f"Documents: {120 - len(recorded)} visits rendered, {len(recorded)} unchanged" in r.stdout
    visits = json.loads(manifest.read_text(encoding="utf-8"))["visits"]
    assert len(visits) == 120 and all((out / "wb" / e["folder"] / name).is_file()
                                      for e in visits.values() for name in e["files"])
