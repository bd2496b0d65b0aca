"""The LibreOffice batch converter: many files per process, two processes for many files,
PDFs moved in whole and owner-only, and every way a conversion can go wrong settled as one
outcome per document, never a hang. The real LibreOffice where the PDFs matter, a
stand-in (fake_soffice.py) where LibreOffice has to misbehave."""

from __future__ import annotations

import stat
import subprocess
import time
from pathlib import Path

import pytest
from fake_soffice import make_fake_soffice
from workbooks import CLEAN_TODAY, clean_visit, write_workbook

from pipeline import output
from pipeline.checks import check_workbook
from pipeline.documents import libreoffice
from pipeline.documents.libreoffice import Converter, Job
from pipeline.documents.pdf import find_soffice
from pipeline.documents.roles import render_roles
from pipeline.documents.word import load_word_templates, render_itinerary, render_plan
from pipeline.errors import OutputError
from pipeline.reader import read_workbook
from pipeline.standard import load_standard

pytestmark = pytest.mark.slow  # every test here starts LibreOffice or its stand-in

SOFFICE = find_soffice()
needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")


def documents(folder: Path) -> list[Path]:
    """A visit's plan, itinerary and role sheets, written into `folder`."""
    std = load_standard()
    book = write_workbook(folder / "in.xlsx", clean_visit())
    result = check_workbook(read_workbook(book, std), std, CLEAN_TODAY)
    vr, word = result.visits[0], load_word_templates()
    rendered = {"plan.docx": render_plan(vr, result, std, "zh", word["plan"]),
                "itinerary.docx": render_itinerary(vr, result, std, "zh", word["itinerary"]),
                "roles.xlsx": render_roles(vr, result, std, "zh")}
    for name, data in rendered.items():
        (folder / name).write_bytes(data)
    return [folder / name for name in rendered]


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@needs_libreoffice
def test_many_documents_go_to_two_processes_and_come_back_whole_and_owner_only(tmp_path):
    sources = documents(tmp_path)
    # The same three documents for three visits: names that meet in one folder of PDFs.
    jobs = [Job(source, tmp_path / f"out{n}" / source.with_suffix(".pdf").name) for n in range(3) for source in sources]
    assert len(jobs) >= libreoffice.SPLIT_FROM
    with Converter(SOFFICE) as converter:
        outcomes = converter.wait(converter.submit(jobs))
        temporary = converter._folder
        assert converter.started == 2 and converter.failure is None
    assert [o.error for o in outcomes] == [None] * len(jobs)
    for job in jobs:
        assert job.target.read_bytes().startswith(b"%PDF")
        assert stat.S_IMODE(job.target.stat().st_mode) == 0o600
        assert pages(job.target) >= 1
    assert not [p for p in tmp_path.rglob("*") if output.is_temporary(p.name)]
    assert temporary is not None and not temporary.exists()  # profiles, copies and PDFs gone with the converter


@needs_libreoffice
def test_a_document_libreoffice_cannot_load_fails_alone(tmp_path):
    good = documents(tmp_path)[1]
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 not a workbook")
    jobs = [Job(bad, tmp_path / "broken.pdf"), Job(good, tmp_path / "good.pdf")]
    with Converter(SOFFICE) as converter:
        outcomes = converter.wait(converter.submit(jobs))
    assert [o.error for o in outcomes] == ["failed", None]
    assert not (tmp_path / "broken.pdf").exists() and (tmp_path / "good.pdf").is_file()


def sources(folder: Path, *texts: str) -> list[Job]:
    """Stand-in documents whose text tells fake_soffice what to do."""
    folder.mkdir(exist_ok=True)
    jobs = []
    for n, text in enumerate(texts):
        source = folder / f"d{n}.docx"
        source.write_text(text, encoding="utf-8")
        jobs.append(Job(source, folder / "pdf" / f"d{n}.pdf"))
    return jobs


def test_a_hanging_conversion_times_out_and_the_documents_after_it_still_convert(tmp_path):
    jobs = sources(tmp_path, "one", "HANG", "three")
    start = time.monotonic()
    with Converter(make_fake_soffice(tmp_path), start_limit=20, stall_limit=1) as converter:
        outcomes = converter.wait(converter.submit(jobs))
        assert converter.started == 2  # the rest went to a second process
    assert time.monotonic() - start < 15
    assert [o.error for o in outcomes] == [None, "timeout", None]
    assert not jobs[1].target.exists()  # half a PDF never reaches its name
    assert jobs[2].target.read_bytes().endswith(b"%%EOF\n")


def test_libreoffice_dying_on_a_document_stops_that_one_only(tmp_path):
    jobs = sources(tmp_path, "one", "DIE", "three")
    with Converter(make_fake_soffice(tmp_path)) as converter:
        outcomes = converter.wait(converter.submit(jobs))
    assert [o.error for o in outcomes] == [None, "stopped", None]


def test_libreoffice_that_cannot_start_makes_everything_unavailable_at_once(tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_SOFFICE_BROKEN", "1")
    with Converter(make_fake_soffice(tmp_path)) as converter:
        first = converter.wait(converter.submit(sources(tmp_path, "one", "two")))
        later = converter.submit(sources(tmp_path, "three"))
        assert later.done  # not tried again
        assert converter.started == 1
        assert converter.failure.startswith("exit status 1") and "cannot start" in converter.failure
    assert {o.error for o in first + later.results()} == {"unavailable"}


def test_a_program_that_is_not_there_makes_everything_unavailable(tmp_path):
    with Converter(str(tmp_path / "no-such-soffice")) as converter:
        outcomes = converter.wait(converter.submit(sources(tmp_path, "one")))
        assert converter.failure and converter.started == 0
    assert [o.error for o in outcomes] == ["unavailable"]


def test_a_pdf_that_cannot_be_written_is_one_outcome_with_the_reason(tmp_path):
    jobs = sources(tmp_path, "one", "two")
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / "d0.pdf").mkdir()  # a folder where the file should go
    with Converter(make_fake_soffice(tmp_path)) as converter:
        outcomes = converter.wait(converter.submit(jobs))
    assert outcomes[0].error == "unwritable" and isinstance(outcomes[0].cause, OutputError)
    assert outcomes[1].error is None


def test_batches_submitted_while_one_runs_are_collected_each(tmp_path):
    with Converter(make_fake_soffice(tmp_path), processes=1) as converter:
        first = converter.submit(sources(tmp_path / "a", "one"))
        second = converter.submit(sources(tmp_path / "b", "two"))
        assert [o.error for o in converter.wait(second)] == [None]
        assert first.done and [o.error for o in first.results()] == [None]
