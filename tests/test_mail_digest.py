"""What counts as a change: the same visit rendered on two days is the same document;
a changed value is a changed document."""

from __future__ import annotations

from datetime import timedelta

from test_mail_support import mail_visit
from workbooks import CLEAN_TODAY, write_workbook

from pipeline.checks import check_workbook
from pipeline.documents.fmt import fmt_date
from pipeline.documents.roles import render_roles
from pipeline.documents.word import load_word_templates, render_itinerary, render_plan
from pipeline.mail.digest import document_digest, message_digest
from pipeline.reader import read_workbook
from pipeline.standard import load_standard


def documents(tmp_path, rows, today=CLEAN_TODAY, name="visits.xlsx") -> dict[str, tuple[bytes, str]]:
    """kind -> (bytes, the build date as the documents write it)."""
    std = load_standard()
    result = check_workbook(read_workbook(write_workbook(tmp_path / name, rows), std), std, today)
    vr, templates = result.visits[0], load_word_templates()
    stamp = fmt_date(today, result.lang)
    return {"plan": (render_plan(vr, result, std, result.lang, templates["plan"]), stamp),
            "itinerary": (render_itinerary(vr, result, std, result.lang, templates["itinerary"]), stamp),
            "roles": (render_roles(vr, result, std, result.lang), stamp)}


def test_the_next_days_build_is_the_same_document(tmp_path):
    today = documents(tmp_path, mail_visit())
    tomorrow = documents(tmp_path, mail_visit(), CLEAN_TODAY + timedelta(days=1))
    for kind in today:
        assert today[kind][0] != tomorrow[kind][0] or kind == "itinerary"  # the bytes do differ
        assert document_digest(*today[kind]) == document_digest(*tomorrow[kind]), kind


def test_a_changed_value_is_a_changed_document(tmp_path):
    rows = mail_visit()
    before = documents(tmp_path, rows)
    rows["itinerary"][2]["location"] = "B205会议室"
    after = documents(tmp_path, rows, name="changed.xlsx")
    for kind in before:
        assert document_digest(*before[kind]) != document_digest(*after[kind]), kind


def test_a_file_that_is_not_a_zip_is_hashed_as_it_is():
    assert document_digest(b"plain") == document_digest(b"plain") != document_digest(b"plain!")


def test_the_message_digest_covers_documents_events_and_findings():
    base = message_digest("briefing", [("plan", "a")], [("u1", "x")])
    assert base == message_digest("briefing", [("plan", "a")], [("u1", "x")])
    assert base != message_digest("briefing", [("plan", "b")], [("u1", "x")])
    assert base != message_digest("briefing", [("plan", "a")], [("u1", "y")])
    assert base != message_digest("briefing", [("plan", "a")], [])
    assert base != message_digest("briefing", [("plan", "a")], [("u1", "x")], ["error|3.1.1|…"])
