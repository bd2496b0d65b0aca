"""What a visit's documents say, made once per visit when kept."""

from __future__ import annotations

from pipeline.checks import check_workbook
from pipeline.documents import contexts
from pipeline.documents.contexts import VisitContexts
from pipeline.documents.plan import itinerary_context
from pipeline.documents.roles import run_sheet
from pipeline.reader import read_workbook
from workbooks import CLEAN_TODAY, clean_visit, write_workbook


def checked(tmp_path, std):
    path = write_workbook(tmp_path / "in.xlsx", clean_visit())
    return check_workbook(read_workbook(path, std), std, CLEAN_TODAY)


def counted(monkeypatch, name: str) -> list:
    calls = []
    real = getattr(contexts, name)
    monkeypatch.setattr(contexts, name, lambda *a: calls.append(a) or real(*a))
    return calls


def test_the_contexts_are_the_documents_own_made_once(tmp_path, std, monkeypatch):
    result = checked(tmp_path, std)
    vr = result.visits[0]
    person = vr.visit.staff[0]
    itineraries, sheets = counted(monkeypatch, "itinerary_context"), counted(monkeypatch, "run_sheet")
    kept = VisitContexts(result, std)
    assert kept.itinerary(vr) == itinerary_context(vr, result, std, result.lang)
    assert kept.run_sheet(vr, person) == run_sheet(person, vr.visit, std, result.lang)
    assert kept.itinerary(vr) is kept.itinerary(vr) and kept.run_sheet(vr, person) is kept.run_sheet(vr, person)
    assert len(itineraries) == 1 and len(sheets) == 1


def test_contexts_not_kept_are_made_each_time(tmp_path, std, monkeypatch):
    result = checked(tmp_path, std)
    vr = result.visits[0]
    itineraries = counted(monkeypatch, "itinerary_context")
    workers = VisitContexts(result, std, keep=False)
    assert workers.itinerary(vr) == workers.itinerary(vr)
    assert len(itineraries) == 2
