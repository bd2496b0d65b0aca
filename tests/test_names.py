"""File names made from workbook values stay inside output/, are valid on Windows, macOS
and Linux, and never overwrite one another."""

from __future__ import annotations

import re
import shutil
import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from workbooks import clean_visit, merge, write_workbook

from pipeline import build as recipe
from pipeline import output
from pipeline.documents.names import MAX_STEM_BYTES, NameBook, safe_name
from pipeline.standard import load_standard

HOSTILE = ["../../x", "..\\..\\x", "/etc/passwd", "CON", "con.txt", "NUL.docx", "COM1", "LPT¹", "CONIN$", "a:b",
           'a<b>c"d|e?f*g', "x" * 300, "名" * 300, "abc\u202etxt.exe", "trailing. . ", " .", "", "\x00\x1f",
           "tab\there", "line\nbreak", "e\u0301", "\u00e9"]
_DEVICES = re.compile(r"^(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[1-9¹²³]|LPT[1-9¹²³])(\..*)?$", re.I)


def portable(name: str) -> bool:
    """A file name Windows, macOS and Linux all accept, that is one name (no path)."""
    return (bool(name) and len(name.encode("utf-8")) <= 255 and not re.search(r'[<>:"/\\|?*]', name)
            and not any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") for c in name)
            and not name.endswith((" ", ".")) and name not in (".", "..") and not _DEVICES.match(name)
            and unicodedata.normalize("NFC", name) == name)


@pytest.mark.parametrize("text", HOSTILE)
def test_each_hostile_part_gives_a_portable_name(text):
    for name in (safe_name(text), safe_name("plan", text, "V1", suffix=".docx"), safe_name(text, suffix=".eml")):
        assert portable(name), (text, name)
        assert len(name.encode()) <= MAX_STEM_BYTES + len(".docx")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(st.characters(codec=None), max_size=40), min_size=1, max_size=4))
def test_any_text_gives_a_portable_name(parts):
    assert portable(safe_name(*parts, suffix=".docx"))


def test_a_hash_never_reaches_a_file_name():
    """Legal on every system, but the Excel dashboard's link to a plan ends at a '#'."""
    assert safe_name("plan", "{# note #}", suffix=".docx") == "plan_{_ note _}.docx"


def test_names_that_clash_after_cleaning_or_by_case_are_told_apart():
    book = NameBook()
    names = [book.claim("plan", x, suffix=".docx") for x in ("a:b", "a/b", "A?B", "a_b", "x" * 300, "x" * 301)]
    assert len({n.casefold() for n in names}) == len(names)
    assert all(portable(n) for n in names)
    assert names[:4] == ["plan_a_b.docx", "plan_a_b~2.docx", "plan_A_B~3.docx", "plan_a_b~4.docx"]


def test_every_file_a_build_makes_from_hostile_names_is_inside_output_portable_and_distinct(tmp_path):
    rows = merge(*(clean_visit(vid, day=1 + i) for i, vid in enumerate(["V1", "V2", "V3", "V4", "v4", "CON"])))
    clients = ["../../x", "a:b", "x" * 300, "abc\u202etxt.exe", "a:b", "a/b"]
    for visit, client in zip(rows["visits"], clients):
        visit["client_org"] = client
    inbox = tmp_path / "input"
    inbox.mkdir()
    write_workbook(inbox / "w.xlsx", rows)
    out = tmp_path / "output"
    run = recipe.build(recipe.Options(inbox, out, date(2027, 3, 1), load_standard(), workers=1))
    assert not any(w.error for w in run.workbooks)
    made = [p for p in tmp_path.rglob("*") if p.is_file() and p.parent != inbox]
    assert all(out in p.parents for p in made)
    for p in made:
        assert all(portable(part) for part in p.relative_to(out).parts), p
    folders = [p for p in (out / "w").iterdir() if p.is_dir()]
    assert len(folders) == 6 and len({p.name.casefold() for p in folders}) == 6
    documents = [p for p in made if p.suffix in (".docx", ".xlsx") and p.parent.parent == out / "w"]
    assert len(documents) == 24  # four per visit: nothing overwrote anything


def test_two_workbooks_whose_folders_clash_are_one_error_not_an_overwrite(tmp_path):
    inbox = tmp_path / "input"
    inbox.mkdir()
    write_workbook(inbox / "east.xlsx", clean_visit("E1"))
    shutil.copy(inbox / "east.xlsx", inbox / "East.xlsm")
    run = recipe.check(recipe.Options(inbox, tmp_path / "out", date(2027, 3, 1), load_standard()))
    assert run.exit_code == 2
    failed = [w for w in run.workbooks if w.error]
    assert [w.path.name for w in failed] == ["east.xlsx"]  # sorted: East.xlsm came first and has the folder
    assert "rename one of the two" in str(failed[0].error)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [output.LOCK, "East"]


def test_a_workbook_named_like_the_pipelines_own_files_gets_another_folder(tmp_path):
    inbox = tmp_path / "input"
    inbox.mkdir()
    for name in ("index.html.xlsx", "visits_template.xlsx.xlsx", "README.md.xlsx"):
        write_workbook(inbox / name, clean_visit())
    out = tmp_path / "output"
    run = recipe.build(recipe.Options(inbox, out, date(2027, 3, 1), load_standard(), workers=1))
    assert run.exit_code == 0, [str(w.error) for w in run.workbooks]
    assert (out / "index.html").is_file() and "index.html_/dashboard.html" in (out / "index.html").read_text()
    assert sorted(p.name for p in out.iterdir()) == [output.LOCK, "README.md_", "index.html", "index.html_",
                                                    "visits_template.xlsx_"]
    assert (out / "index.html_" / "V1").is_dir()
    recipe.build(recipe.Options(inbox, out, date(2027, 3, 1), load_standard(), workers=1))
    from pipeline.template import write_templates
    write_templates(out, load_standard())  # `make template` beside them
    assert (out / "visits_template.xlsx").is_file() and (out / "visits_template.xlsx_" / "V1").is_dir()


def test_a_folder_in_the_way_of_a_file_says_so(tmp_path):
    inbox = tmp_path / "input"
    inbox.mkdir()
    write_workbook(inbox / "a.xlsx", clean_visit())
    out = tmp_path / "output"
    (out / "index.html").mkdir(parents=True)  # made by hand
    with pytest.raises(Exception) as e:
        recipe.build(recipe.Options(inbox, out, date(2027, 3, 1), load_standard(), workers=1))
    assert str(out / "index.html") in str(e.value) and "a folder of that name is in the way" in str(e.value)


def test_control_characters_in_a_workbook_file_name_never_reach_a_folder_or_file_name(tmp_path):
    inbox = tmp_path / "input"
    inbox.mkdir()
    write_workbook(inbox / "a\x1b[31mred\x07\nfake\u202e.xlsx", clean_visit())
    out = tmp_path / "output"
    run = recipe.build(recipe.Options(inbox, out, date(2027, 3, 1), load_standard(), workers=1))
    assert run.exit_code == 0
    made = [p.relative_to(out) for p in out.rglob("*")]
    assert made and all(portable(part) for p in made for part in p.parts), made
    assert (out / "a_[31mred_fake_" / "a_[31mred_fake_.checked.xlsx").is_file()
