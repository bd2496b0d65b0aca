"""The recipe: its steps in order, what runs alongside what, and what one fingerprint of
the standard and the templates sends round again."""

from __future__ import annotations

import re
import shutil
import threading
import zipfile
from pathlib import Path

import pytest

from fake_soffice import make_fake_soffice
from pipeline import build as recipe
from pipeline import incremental
from pipeline.documents import batch
from pipeline.errors import OutputError
from pipeline.incremental import Manifest
from pipeline.standard import load_standard
from pipeline.templating import TEMPLATES
from workbooks import CLEAN_TODAY, clean_visit, merge, write_workbook

STD = load_standard()


def visits(n: int) -> dict:
    return merge(*(clean_visit(f"V{i}", day=1 + (i * 2) % 26) for i in range(1, n + 1)))


def options(tmp_path: Path, **kwargs) -> recipe.Options:
    settings = {"today": CLEAN_TODAY, "standard": STD, "workers": 1, **kwargs}
    return recipe.Options(tmp_path / "input", tmp_path / "output", **settings)


def write(tmp_path: Path, rows: dict, name: str = "visits.xlsx") -> None:
    (tmp_path / "input").mkdir(exist_ok=True)
    write_workbook(tmp_path / "input" / name, rows)


def test_with_many_visits_the_reports_are_written_in_a_thread_while_the_workers_render(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "PARALLEL_FROM", 2)
    write(tmp_path, visits(4))
    seen = []
    real_finish, real_reports = batch.Rendering.finish, recipe._write_reports

    def finish(self, *args):
        out = real_finish(self, *args)
        seen.append("rendered")
        return out

    def reports(*args):
        seen.append(("reports", threading.current_thread() is threading.main_thread()))
        return real_reports(*args)

    monkeypatch.setattr(batch.Rendering, "finish", finish)
    monkeypatch.setattr(recipe, "_write_reports", reports)
    run = recipe.build(options(tmp_path, workers=2))
    assert run.exit_code == 0 and run.workbooks[0].documents.rendered == 4
    assert seen == [("reports", False), "rendered"]


@pytest.mark.slow  # starts the stand-in LibreOffice
def test_with_few_visits_the_reports_are_written_once_libreoffice_has_the_pdfs_to_make(tmp_path, monkeypatch):
    write(tmp_path, visits(2))
    seen = []
    real_copies, real_reports = recipe.start_copies, recipe._write_reports
    monkeypatch.setattr(recipe, "start_copies", lambda *a: seen.append("pdfs started") or real_copies(*a))
    monkeypatch.setattr(recipe, "_write_reports",
                        lambda *a: seen.append(("reports", threading.current_thread() is threading.main_thread()))
                        or real_reports(*a))
    run = recipe.build(options(tmp_path, soffice=make_fake_soffice(tmp_path), pdf="all"))
    assert run.exit_code == 0, (run.workbooks[0].error, run.workbooks[0].error.__cause__)
    assert run.workbooks[0].pdfs.converted == 6
    assert seen == ["pdfs started", ("reports", True)]


@pytest.mark.slow  # starts the stand-in LibreOffice
@pytest.mark.parametrize("workers", [1, 2])
def test_reports_that_cannot_be_written_stop_the_workbook_and_its_documents_are_kept(tmp_path, monkeypatch,
                                                                                  workers):
    monkeypatch.setattr(batch, "PARALLEL_FROM", 2)
    write(tmp_path, visits(3))

    def full(*args):
        raise OutputError.of(tmp_path / "output" / "report.xlsx", "output.file_disk_full", reason="disk full")

    monkeypatch.setattr(recipe, "_write_report", full)
    run = recipe.build(options(tmp_path, workers=workers, soffice=make_fake_soffice(tmp_path), pdf="all"))
    w = run.workbooks[0]
    assert run.exit_code == 2 and isinstance(w.error, OutputError)
    manifest = Manifest.load(tmp_path / "output" / "visits")
    assert sorted(manifest.visits) == ["V1", "V2", "V3"] and manifest.workbook == ""
    assert all(len(e["pdfs"]) == 3 for e in manifest.visits.values())  # the PDFs made meanwhile are recorded
    monkeypatch.undo()
    again = recipe.build(options(tmp_path, workers=workers, soffice=make_fake_soffice(tmp_path), pdf="all"))
    w = again.workbooks[0]
    assert again.exit_code == 0 and w.documents.rendered == 0 and w.pdfs.converted == 0
    assert (tmp_path / "output" / "visits" / "检查报告.xlsx").is_file()


@pytest.mark.slow  # starts the stand-in LibreOffice
def test_the_dashboards_link_the_documents_and_the_index_their_pdf_copies_too(tmp_path):
    """The dashboards are written while the PDFs are made (and not again when only they
    change): they never link one, even one there from the last build."""
    write(tmp_path, clean_visit())  # upcoming: on the dashboards
    recipe.build(options(tmp_path, soffice=make_fake_soffice(tmp_path), pdf="all"))
    recipe.build(options(tmp_path, soffice=make_fake_soffice(tmp_path), pdf="all", today=CLEAN_TODAY.replace(day=6)))
    folder = tmp_path / "output" / "visits"
    index = (folder / "index.html").read_text(encoding="utf-8")
    dashboard = (folder / "dashboard.html").read_text(encoding="utf-8")
    assert len(re.findall(r'href="V1/[^"]+\.pdf"', index)) == 3
    assert re.findall(r'href="V1/[^"]+\.docx"', dashboard) and not re.findall(r'\.pdf"', dashboard)


def test_the_standard_and_the_templates_are_fingerprinted_once_per_run(tmp_path, monkeypatch):
    write(tmp_path, visits(1), "a.xlsx")
    write(tmp_path, clean_visit("V7"), "b.xlsx")
    calls = []
    real = incremental.sources_digest
    monkeypatch.setattr(incremental, "sources_digest", lambda *a: calls.append(a) or real(*a))
    monkeypatch.setattr(recipe, "sources_digest", incremental.sources_digest)
    monkeypatch.setattr(batch, "sources_digest", incremental.sources_digest)
    assert recipe.build(options(tmp_path)).exit_code == 0
    assert calls == [(STD.path, TEMPLATES)]


@pytest.mark.parametrize("template", ["plan.docx", "dashboard.html.j2", "mail/briefing.zh.j2"])
def test_any_template_changed_renders_every_visit_and_writes_every_report_again(tmp_path, template):
    write(tmp_path, visits(2))
    mine = tmp_path / "templates"
    shutil.copytree(TEMPLATES, mine)
    first = recipe.build(options(tmp_path, templates=mine)).workbooks[0]
    assert first.documents.rendered == 2 and not first.unchanged
    same = recipe.build(options(tmp_path, templates=mine)).workbooks[0]
    assert same.documents.rendered == 0 and same.unchanged
    if template.endswith(".docx"):  # the same parts, saved again on another day
        with zipfile.ZipFile(TEMPLATES / template) as old, zipfile.ZipFile(mine / template, "w") as new:
            for name in old.namelist():
                new.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), old.read(name))
    else:
        with (mine / template).open("a", encoding="utf-8") as f:
            f.write("\n")
    again = recipe.build(options(tmp_path, templates=mine)).workbooks[0]
    assert again.documents.rendered == 2 and not again.unchanged
