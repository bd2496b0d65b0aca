"""The mail recipe: the build first, then the mail of every workbook from what the build
planned (its visit files, the contexts of its documents, its output folders)."""

from __future__ import annotations

from dataclasses import replace

from test_mail_support import config, mail_visit, options, outbox, write

from pipeline import build as recipe
from pipeline.documents import batch, contexts
from pipeline.mail import compose
from pipeline.mail import recipe as mail_recipe
from pipeline.mail.recipe import mail


def counted(monkeypatch, module, name: str) -> list:
    calls = []
    real = getattr(module, name)
    monkeypatch.setattr(module, name, lambda *a, **k: calls.append(a) or real(*a, **k))
    return calls


def test_the_mail_takes_the_visit_plan_and_the_contexts_the_build_made(tmp_path, monkeypatch):
    """One visit, five messages: its files planned once, its itinerary's context and each
    person's run sheet made once, by the build's renderer, and quoted by the mail."""
    write(tmp_path, mail_visit())
    plans = counted(monkeypatch, recipe, "visit_files")
    itineraries = counted(monkeypatch, contexts, "itinerary_context")
    sheets = counted(monkeypatch, contexts, "run_sheet")
    run = mail(options(tmp_path), config(tmp_path))
    assert run.exit_code == 0 and len(outbox(tmp_path)) == 5
    assert len(plans) == 1 and len(itineraries) == 1 and len(sheets) == 4  # four staff


def test_each_document_is_read_for_its_digest_once_however_many_messages_carry_it(tmp_path, monkeypatch):
    """The itinerary goes to the client and four staff, the plan to the four staff: each
    document's content digest (an unzip and a hash) is worked out once for them all."""
    write(tmp_path, mail_visit())
    digested = counted(monkeypatch, compose, "file_digest")
    run = mail(options(tmp_path), config(tmp_path))
    assert run.exit_code == 0 and len(outbox(tmp_path)) == 5
    assert digested and len(digested) == len({path for path, _ in digested})


def test_visits_rendered_by_the_workers_have_their_contexts_made_once_for_the_mail(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "PARALLEL_FROM", 1)
    write(tmp_path, mail_visit())
    itineraries = counted(monkeypatch, contexts, "itinerary_context")  # (in this process: the workers' are theirs)
    run = mail(replace(options(tmp_path), workers=2), config(tmp_path))
    assert run.exit_code == 0 and len(outbox(tmp_path)) == 5
    assert len(itineraries) == 1  # for the five messages, each of which names the visit as the itinerary does


def test_the_build_is_done_before_any_mail_and_the_drafts_go_to_its_folders(tmp_path, monkeypatch):
    write(tmp_path, mail_visit(), "a.xlsx")
    write(tmp_path, mail_visit("V2"), "b.xlsx")
    steps = []
    real_build, real_mail = recipe.build_locked, mail_recipe._mail_workbook
    monkeypatch.setattr(recipe, "build_locked", lambda *a: steps.append("build") or real_build(*a))
    monkeypatch.setattr(mail_recipe, "_mail_workbook",
                        lambda m, *a: steps.append(("mail", m.workbook.folder.name)) or real_mail(m, *a))
    run = mail(options(tmp_path), config(tmp_path))
    assert run.exit_code == 0 and steps == ["build", ("mail", "a"), ("mail", "b")]
    assert len(outbox(tmp_path, "V1", "a")) == 5 and len(outbox(tmp_path, "V2", "b")) == 5
    assert [m.workbook for m in run.mail] == run.build.workbooks
