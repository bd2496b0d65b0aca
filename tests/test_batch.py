"""Every visit's documents: names, folders, incremental rebuilds, parallel workers, failures."""

from __future__ import annotations

import os
import stat
import time
from datetime import timedelta

import pytest

from extract import docx_text

from pipeline.checks import check_workbook
from pipeline import output
from pipeline.company import NO_COMPANY
from pipeline.documents import batch
from pipeline.documents.batch import render_documents
from pipeline.incremental import MANIFEST, Manifest
from pipeline.reader import read_workbook
from workbooks import CLEAN_TODAY, clean_visit, merge, write_workbook


def visits(n: int, **changes) -> dict:
    """n clean visits on different days (V1 … Vn), each one's first row changed by `changes`."""
    parts = []
    for i in range(1, n + 1):
        v = clean_visit(f"V{i}", day=1 + (i * 2) % 26)
        v["visits"][0].update(changes.get(f"V{i}", {}))
        parts.append(v)
    return merge(*parts)


def run(tmp_path, rows, std, lang="zh", workers=1, today=CLEAN_TODAY, company=NO_COMPANY):
    path = write_workbook(tmp_path / "in.xlsx", rows, lang)
    result = check_workbook(read_workbook(path, std), std, today)
    folder = tmp_path / "out"
    manifest = Manifest.load(folder)
    out = render_documents(result, std, folder, manifest, workers=workers, company=company)
    manifest.save()
    return out, folder


def files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST)


def test_each_visit_gets_its_documents_named_by_kind_id_and_client(tmp_path, std):
    out, folder = run(tmp_path, visits(2), std)
    assert files(folder) == [
        "V1/人员分工_V1_华东精密机械有限公司.xlsx", "V1/客户行程_V1_华东精密机械有限公司.docx",
        "V1/座次与桌签_V1_华东精密机械有限公司.docx", "V1/接待方案_V1_华东精密机械有限公司.docx",
        "V2/人员分工_V2_华东精密机械有限公司.xlsx", "V2/客户行程_V2_华东精密机械有限公司.docx",
        "V2/座次与桌签_V2_华东精密机械有限公司.docx", "V2/接待方案_V2_华东精密机械有限公司.docx"]
    assert out.rendered == 2 and not out.errors
    assert "接待方案" in docx_text((folder / "V1/接待方案_V1_华东精密机械有限公司.docx").read_bytes())


def test_english_workbook_gives_english_names(tmp_path, std):
    _, folder = run(tmp_path, visits(1), std, lang="en")
    assert files(folder) == ["V1/itinerary_V1_华东精密机械有限公司.docx", "V1/plan_V1_华东精密机械有限公司.docx",
                             "V1/roles_V1_华东精密机械有限公司.xlsx", "V1/seating_V1_华东精密机械有限公司.docx"]


def test_files_and_folders_are_readable_by_their_owner_only(tmp_path, std):
    _, folder = run(tmp_path, visits(1), std)
    for p in folder.rglob("*"):
        mode = stat.S_IMODE(p.stat().st_mode)
        assert mode == (0o700 if p.is_dir() else 0o600), p


def test_cancelled_visit_gets_no_documents(tmp_path, std):
    _, folder = run(tmp_path, visits(2, V2={"status": "cancelled"}), std)
    assert {f.split("/")[0] for f in files(folder)} == {"V1"}


def test_second_build_renders_nothing_and_keeps_the_files(tmp_path, std):
    run(tmp_path, visits(3), std)
    before = {f: (tmp_path / "out" / f).stat().st_mtime_ns for f in files(tmp_path / "out")}
    out, folder = run(tmp_path, visits(3), std)
    assert out.rendered == 0 and len(out.visits) == 3
    assert {f: (folder / f).stat().st_mtime_ns for f in files(folder)} == before


def test_changing_one_visit_renders_that_visit_only(tmp_path, std):
    run(tmp_path, visits(3), std)
    out, folder = run(tmp_path, visits(3, V2={"theme": "新的主题"}), std)
    assert [v.visit_id for v in out.visits if v.rendered] == ["V2"]
    assert "新的主题" in docx_text((folder / "V2/接待方案_V2_华东精密机械有限公司.docx").read_bytes())


def test_a_deleted_document_is_made_again(tmp_path, std):
    _, folder = run(tmp_path, visits(2), std)
    (folder / "V1/客户行程_V1_华东精密机械有限公司.docx").unlink()
    out, _ = run(tmp_path, visits(2), std)
    assert [v.visit_id for v in out.visits if v.rendered] == ["V1"]
    assert (folder / "V1/客户行程_V1_华东精密机械有限公司.docx").is_file()


def test_an_empty_document_is_made_again(tmp_path, std):
    """As a power cut can leave one that was written again just before (its visit may be
    recorded from an earlier build with the same fingerprint)."""
    _, folder = run(tmp_path, visits(2), std)
    (folder / "V2/人员分工_V2_华东精密机械有限公司.xlsx").write_bytes(b"")
    out, _ = run(tmp_path, visits(2), std)
    assert [v.visit_id for v in out.visits if v.rendered] == ["V2"]
    assert (folder / "V2/人员分工_V2_华东精密机械有限公司.xlsx").stat().st_size > 0


def test_another_today_renders_again(tmp_path, std):
    run(tmp_path, visits(2), std)
    out, _ = run(tmp_path, visits(2), std, today=CLEAN_TODAY + timedelta(days=1))
    assert out.rendered == 2


def test_renamed_client_replaces_the_old_files(tmp_path, std):
    run(tmp_path, visits(2), std)
    out, folder = run(tmp_path, visits(2, V1={"client_org": "西南能源"}), std)
    assert [f for f in files(folder) if f.startswith("V1/")] == [
        "V1/人员分工_V1_西南能源.xlsx", "V1/客户行程_V1_西南能源.docx", "V1/座次与桌签_V1_西南能源.docx",
        "V1/接待方案_V1_西南能源.docx"]


def test_visits_that_left_or_were_cancelled_lose_their_files_but_user_files_stay(tmp_path, std):
    run(tmp_path, visits(3), std)
    (tmp_path / "out/V3/my notes.txt").write_text("mine")
    rows = visits(3, V2={"status": "cancelled"})
    rows = {k: [r for r in v if r["visit_id"] != "V3"] for k, v in rows.items()}
    _, folder = run(tmp_path, rows, std)
    assert {f.split("/")[0] for f in files(folder)} == {"V1", "V3"}
    assert files(folder)[-1] == "V3/my notes.txt" and not (folder / "V2").exists()


def test_a_visit_that_fails_is_reported_and_the_others_are_built(tmp_path, std, monkeypatch):
    real = batch.render_roles

    def roles(vr, *args):
        if vr.visit.id == "V2":
            raise ValueError("boom")
        return real(vr, *args)

    monkeypatch.setattr(batch, "render_roles", roles)
    out, folder = run(tmp_path, visits(3), std)
    assert [(v.visit_id, v.error) for v in out.errors] == [
        ("V2", "意外错误（ValueError）。这是程序缺陷：请把同一命令加 --debug 运行时显示的内容报告给维护人员")]
    assert [v.visit_id for v in out.defects] == ["V2"] and "ValueError: boom" in out.defects[0].trace
    assert {f.split("/")[0] for f in files(folder)} == {"V1", "V3"}
    monkeypatch.setattr(batch, "render_roles", real)
    out, _ = run(tmp_path, visits(3), std)  # the next build tries again
    assert [v.visit_id for v in out.visits if v.rendered] == ["V2"] and not out.errors


def test_two_workers_write_the_same_documents_as_one(tmp_path, std, monkeypatch):
    monkeypatch.setattr(batch, "PARALLEL_FROM", 2)
    pools = []

    class Pool(batch.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(args)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(batch, "ProcessPoolExecutor", Pool)
    seen = []
    rows = visits(10)
    (tmp_path / "a").mkdir()
    one, folder1 = run(tmp_path / "a", rows, std, workers=1)
    path = write_workbook(tmp_path / "in.xlsx", rows)
    result = check_workbook(read_workbook(path, std), std, CLEAN_TODAY)
    two = render_documents(result, std, tmp_path / "b", Manifest.load(tmp_path / "b"), workers=2,
                           on_progress=lambda done, total: seen.append((done, total)))
    assert pools == [(2,)] and two.rendered == one.rendered == 10
    assert files(tmp_path / "b") == files(folder1)
    for f in files(folder1):
        if f.endswith(".docx"):
            assert docx_text((tmp_path / "b" / f).read_bytes()) == docx_text((folder1 / f).read_bytes())
    assert seen[0] == (0, 10) and seen[-1] == (10, 10) and len(seen) > 2


def test_visit_ids_that_differ_only_in_case_get_distinct_folders(tmp_path, std):
    rows = merge(clean_visit("v-a", day=3), clean_visit("V-A", day=8))  # one folder on Windows and macOS
    _, folder = run(tmp_path, rows, std)
    assert sorted({f.split("/")[0] for f in files(folder)}) == ["V-A~2", "v-a"]


def test_the_templates_are_parsed_once_for_several_workbooks(tmp_path, std, monkeypatch):
    loads = []
    real = batch.load_word_templates
    monkeypatch.setattr(batch, "load_word_templates", lambda folder, company: loads.append(folder) or real(folder, company))
    batch._word_templates.cache_clear()
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        run(tmp_path / name, visits(1), std)
    assert len(loads) == 1


def saved_as_they_finish(tmp_path, std, monkeypatch):
    """(check result, output folder, manifest) of six visits rendered two at a time by
    forked workers (or here), the manifest saved after every visit."""
    monkeypatch.setattr(batch, "PARALLEL_FROM", 2)
    monkeypatch.setattr(batch, "CHUNK", 2)
    monkeypatch.setattr(batch, "PROGRESS_EVERY", 0)
    path = write_workbook(tmp_path / "in.xlsx", visits(6))
    result = check_workbook(read_workbook(path, std), std, CLEAN_TODAY)
    folder = tmp_path / "out"
    folder.mkdir()
    return result, folder, Manifest.load(folder)


def test_the_manifest_records_each_visit_as_it_finishes(tmp_path, std, monkeypatch):
    """Saved while the workers render (not only at the end), with what finished: a killed
    build keeps it."""
    result, folder, manifest = saved_as_they_finish(tmp_path, std, monkeypatch)
    saved = []
    real = manifest.save
    monkeypatch.setattr(manifest, "save", lambda: saved.append(sorted(manifest.visits)) or real())
    render_documents(result, std, folder, manifest, workers=2)
    assert saved[:3] == [["V1"], ["V1", "V2"], ["V1", "V2", "V3"]] and saved[-1] == [f"V{i}" for i in range(1, 7)]
    assert sorted(Manifest.load(folder).visits) == [f"V{i}" for i in range(1, 7)]


@pytest.mark.parametrize("workers", [1, 2])
def test_the_manifest_records_only_documents_already_flushed_to_disk(tmp_path, std, monkeypatch, workers):
    """The documents are written without an fsync each (a fifth of a build); the file
    system is flushed before each save of the manifest and before the caller's, so a
    power cut never leaves a visit recorded as made with its files not on disk."""
    result, folder, manifest = saved_as_they_finish(tmp_path, std, monkeypatch)
    flushes, saves, recorded_before_flush = [], [], []
    real_flush, real_save, real_fsync = output.flush_to_disk, manifest.save, os.fsync

    def flush(where):
        real_flush(where)
        flushes.append(time.time_ns())  # after: every file written before the call is on disk

    def save():
        saves.append(1)
        for entry in manifest.visits.values():
            for name in entry["files"]:
                if (folder / entry["folder"] / name).stat().st_mtime_ns > (flushes[-1] if flushes else -1):
                    recorded_before_flush.append(name)
        real_save()

    fsyncs = []
    monkeypatch.setattr(batch.output, "flush_to_disk", flush)
    monkeypatch.setattr(manifest, "save", save)
    monkeypatch.setattr(os, "fsync", lambda fd: fsyncs.append(fd) or real_fsync(fd))
    render_documents(result, std, folder, manifest, workers=workers)
    assert len(saves) >= 3 and recorded_before_flush == []
    last_written = max(p.stat().st_mtime_ns for p in folder.rglob("*.*") if p.name != MANIFEST)
    assert flushes and last_written <= flushes[-1]  # before the caller saves the manifest
    if workers == 1:  # rendered here: only the manifest's saves were flushed one by one
        assert len(fsyncs) == len(saves)


def test_the_workers_render_from_the_start_while_the_caller_works(tmp_path, std, monkeypatch):
    """Many visits: the workers fork when the rendering starts and write the documents
    before `finish` is called; few: they render in this process, when `finish` asks."""
    import time
    monkeypatch.setattr(batch, "PARALLEL_FROM", 4)
    path = write_workbook(tmp_path / "in.xlsx", visits(4))
    result = check_workbook(read_workbook(path, std), std, CLEAN_TODAY)
    folder = tmp_path / "out"
    rendering = batch.start_rendering(result, std, folder, Manifest.load(folder), workers=2)
    assert rendering.in_workers
    deadline = time.monotonic() + 60
    while len(files(folder)) < 16 and time.monotonic() < deadline:  # the caller's own work, meanwhile
        time.sleep(0.05)
    assert len(files(folder)) == 16
    assert rendering.finish().rendered == 4
    few = batch.start_rendering(result, std, tmp_path / "few", Manifest.load(tmp_path / "few"), workers=2,
                                planned=batch.visit_files(result)[:3])
    assert not few.in_workers and not (tmp_path / "few").exists()
    assert few.finish().rendered == 3 and len(files(tmp_path / "few")) == 12


def test_a_new_profile_or_logo_renders_every_visit_again_and_the_same_one_none(tmp_path, std):
    from images import png
    from profiles import profile
    rows = visits(3)
    assert run(tmp_path, rows, std)[0].rendered == 3
    assert run(tmp_path, rows, std)[0].rendered == 0
    company = profile(tmp_path)
    out, folder = run(tmp_path, rows, std, company=company)
    assert out.rendered == 3
    assert "明远精密仪器有限公司" in docx_text((folder / "V1/接待方案_V1_华东精密机械有限公司.docx").read_bytes())
    assert run(tmp_path, rows, std, company=profile(tmp_path))[0].rendered == 0  # the same profile, read again
    assert run(tmp_path, rows, std, company=profile(tmp_path, png(360, 120, (0, 120, 0))))[0].rendered == 3
    assert run(tmp_path, rows, std, company=profile(tmp_path, website="www.other.example"))[0].rendered == 3
    out, folder = run(tmp_path, rows, std)  # the profile removed: back to the neutral letterhead
    assert out.rendered == 3
    assert "明远" not in docx_text((folder / "V1/接待方案_V1_华东精密机械有限公司.docx").read_bytes())
