"""The fingerprints kept in the manifest: which files of the standard and the templates
count, said once (`sources_digest`)."""

from __future__ import annotations

import shutil

import pytest

from pipeline.incremental import sources_digest
from pipeline.standard import DEFAULT_STANDARD
from pipeline.templating import TEMPLATES


@pytest.fixture
def sources(tmp_path):
    standard = tmp_path / "standard.yaml"
    shutil.copy(DEFAULT_STANDARD, standard)
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    return standard, templates


def test_the_same_files_give_the_same_digest_wherever_they_are(sources, tmp_path):
    standard, templates = sources
    moved = tmp_path / "elsewhere"
    shutil.copytree(templates, moved)
    assert sources_digest(standard, templates) == sources_digest(standard, moved)


@pytest.mark.parametrize("name", ["plan.docx", "seating.docx", "index.html.j2", "mail/approval.en.j2"])
def test_every_template_counts(sources, name):
    standard, templates = sources
    before = sources_digest(standard, templates)
    with (templates / name).open("ab") as f:
        f.write(b" ")
    assert sources_digest(standard, templates) != before


def test_a_new_or_removed_template_counts(sources):
    standard, templates = sources
    before = sources_digest(standard, templates)
    (templates / "mail" / "briefing.zh.j2").unlink()  # the shipped one is taken instead
    assert sources_digest(standard, templates) != before


def test_the_standard_counts(sources):
    standard, templates = sources
    before = sources_digest(standard, templates)
    standard.write_text(standard.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert sources_digest(standard, templates) != before


def test_the_shipped_templates_a_folder_falls_back_on_count(sources, tmp_path, monkeypatch):
    from pipeline import incremental
    standard, templates = sources
    shipped = tmp_path / "shipped"
    shutil.copytree(TEMPLATES, shipped)
    monkeypatch.setattr(incremental, "TEMPLATES", shipped)
    (templates / "plan.docx").unlink()  # this folder takes the shipped plan
    before = sources_digest(standard, templates)
    with (shipped / "plan.docx").open("ab") as f:
        f.write(b" ")
    assert sources_digest(standard, templates) != before
