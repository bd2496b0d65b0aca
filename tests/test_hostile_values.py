"""Values that would be code somewhere else stay text everywhere: formulas in every .xlsx
output, Jinja and HTML in every document, page and message. Characters XML cannot hold
are removed once, at read time, reported once per cell, and every output shows the same
cleaned text. One build and one `mail` of a workbook full of such values."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest
from extract import docx_text
from test_mail_support import STAFF_EMAILS, config, parse
from workbooks import CLEAN_TODAY, clean_visit, merge, write_workbook_xlsxwriter

from pipeline.build import Options
from pipeline.templating import TEMPLATES
from pipeline.mail.recipe import mail
from pipeline.standard import load_standard

FORMULAS = ['=HYPERLINK("http://evil.example/","click")', "+1+2", "-3+4", "@SUM(A1)", "=cmd|' /C calc'!A0",
            "=1+1"]
JINJA = "{{ 7*7 }}{% if true %}yes{% endif %}{# note #}"
HTML = "<script>alert(1)</script><b>bold</b>&amp;"
# V1's values that would be code; V2's that hold characters XML cannot.
CODE = {
    ("visits", 0, "client_org"): f"{FORMULAS[0]} {HTML} {JINJA}",
    ("visits", 0, "theme"): FORMULAS[1] + " " + JINJA,
    ("visits", 0, "objective"): FORMULAS[2] + " " + HTML,
    ("visits", 0, "contact_name"): FORMULAS[3] + " {{ config }}",
    ("itinerary", 2, "activity"): FORMULAS[4],
    ("itinerary", 2, "location"): FORMULAS[5] + " <i>A301</i>",
    ("staff", 0, "department"): "=SUM(1,2)",
    ("staff", 0, "duties"): "-5 {% raw %}x{% endraw %}",
    ("bookings", 0, "resource"): "@A301 {{ 1+1 }}",
    ("guests", 0, "title"): "+总经理 <u>u</u>",
}
CONTROL = {
    ("visits", 0, "client_org"): ("华东\x0b精密\x07机械", "华东精密机械"),
    ("visits", 0, "theme"): ("深化\x00合作\x1f共赢", "深化合作共赢"),
    ("itinerary", 2, "activity"): ("合作\x08会谈", "合作会谈"),
    ("staff", 0, "department"): ("销售\x0c部", "销售部"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile")
    v1, v2 = clean_visit("V1", day=10), clean_visit("V2", day=20)
    for rows in (v1, v2):
        for s in rows["staff"]:
            s["email"] = STAFF_EMAILS[s["name"]]
    for (sheet, i, key), value in CODE.items():
        v1[sheet][i][key] = value
    for (sheet, i, key), (value, _) in CONTROL.items():
        v2[sheet][i][key] = value
    (tmp / "input").mkdir()
    write_workbook_xlsxwriter(tmp / "input" / "w.xlsx", merge(v1, v2))
    options = Options(tmp / "input", tmp / "output", CLEAN_TODAY, load_standard(), None, TEMPLATES, 1)
    run = mail(options, config(tmp))
    assert not any(w.error for w in run.workbooks), [w.error for w in run.workbooks]
    return tmp / "output"


def outputs(out: Path, *suffixes: str) -> list[Path]:
    found = sorted(p for p in out.rglob("*") if p.suffix in suffixes)
    assert found
    return found


def xml_of(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels", ".vml"))}


def cells(path: Path):
    book = openpyxl.load_workbook(path)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            yield from (c for c in row if c.value is not None)


def texts(path: Path) -> str:
    """Everything a person can see in the file, markup removed (entities decoded)."""
    if path.suffix == ".docx":
        return docx_text(path.read_bytes())
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path)
        seen = [str(c.value) for c in cells(path)]
        seen += [c.comment.text for c in cells(path) if c.comment]
        seen += [h.text or "" for ws in book.worksheets for hf in (ws.oddHeader, ws.oddFooter)
                 for h in (hf.left, hf.center, hf.right)]
        return "\n".join(seen)
    if path.suffix == ".eml":
        msg = parse(path)
        return str(msg["Subject"]) + "\n" + msg.get_body(("plain",)).get_content()
    return html.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))


def test_no_xlsx_output_has_a_formula_or_a_link_made_from_a_value(built):
    files = outputs(built, ".xlsx")
    assert {p.name for p in files} >= {"检查报告.xlsx", "w.checked.xlsx", "接待总览.xlsx"}
    assert any(p.name.startswith("人员分工_") for p in files)
    values = {*CODE.values()}
    for path in files:
        for cell in cells(path):
            if cell.data_type == "f":  # only the dashboard's own figures over its tables
                assert path.name == "接待总览.xlsx", (path.name, cell.coordinate)
                assert not any(f in cell.value for f in ("HYPERLINK", "evil", "cmd", "A1)", "1,2", "1+", "3+")), cell.value
            if cell.value in values:
                assert cell.data_type == "s", (path.name, cell.coordinate)
        for name, xml in xml_of(path).items():  # a link goes to a sheet of the file or to one of ours
            for target in re.findall(r'Target="([^"]*)" TargetMode="External"', xml):
                target = unquote(html.unescape(target)).replace("\\", "/")
                assert "://" not in target and ":" not in target.split("/")[0], (path.name, target)
                assert (path.parent / target).resolve().is_file(), (path.name, target)
            for location in re.findall(r'location="([^"]*)"', xml):
                assert re.fullmatch(r"'?[^'!]+'?!\$?[A-Z]+\$?[0-9]+", html.unescape(location)), location
    # each value is there, as text
    report_and_copy = texts(built / "w" / "w.checked.xlsx")
    for value in (FORMULAS[0], FORMULAS[1] + " " + JINJA, FORMULAS[4]):
        assert value in report_and_copy
    roles = texts(next((built / "w" / "V1").glob("人员分工_*.xlsx")))
    assert FORMULAS[4] in roles and "=SUM(1,2)" in roles and "-5 {% raw %}x{% endraw %}" in roles


def test_there_is_no_csv_output_to_neutralise(built):
    assert not list(built.rglob("*.csv"))


def test_jinja_and_html_in_values_appear_literally_in_every_document_page_and_message(built):
    client = CODE[("visits", 0, "client_org")]
    files = [*outputs(built / "w" / "V1", ".docx", ".xlsx"), *outputs(built, ".html"),
             *outputs(built / "w" / "V1" / "outbox", ".eml")]
    for path in files:
        assert client in texts(path), path  # {{ 7*7 }} and <script> as written, not run
    for path in outputs(built, ".html"):
        raw = path.read_text(encoding="utf-8")
        assert "<script>alert" not in raw and "<b>bold</b>" not in raw and "&lt;script&gt;" in raw, path
    plan = texts(next((built / "w" / "V1").glob("接待方案_*.docx")))
    for value in CODE.values():
        if "{% raw %}" not in value and value != CODE[("staff", 0, "duties")]:
            assert value in plan or value.split(" ")[0] in plan


def test_control_characters_are_reported_once_per_cell(built):
    import json
    findings = json.loads((built / "w" / "findings.json").read_text(encoding="utf-8"))
    reported = [(f["visit_id"], f["sheet"], f["row"], f["field"]) for f in findings if f["rule"] ==
                "value.control_characters"]
    assert sorted(reported) == sorted({("V2", *where) for where in [
        ("来访", 3, "client_org"), ("来访", 3, "theme"), ("行程", 12, "activity"), ("人员分工", 6, "department")]})


def test_every_output_shows_the_same_cleaned_text(built):
    files = [*outputs(built / "w" / "V2", ".docx", ".xlsx"), *outputs(built, ".html"),
             *outputs(built / "w" / "V2" / "outbox", ".eml"), built / "w" / "检查报告.xlsx", built / "w" / "接待总览.xlsx"]
    for path in files:
        seen = texts(path)
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", seen), path
        assert "_x000" not in seen and "_x001" not in seen, path
        if path.suffix != ".xlsx" or "接待总览" in path.name or "人员分工" in path.name:
            assert "华东精密机械" in seen, path
    plan = texts(next((built / "w" / "V2").glob("接待方案_*.docx")))
    for _, cleaned in CONTROL.values():
        assert cleaned in plan
    roles = texts(next((built / "w" / "V2").glob("人员分工_*.xlsx")))
    assert "合作会谈" in roles and "销售部" in roles


def test_the_annotated_copy_keeps_the_cell_as_written_and_marks_it(built):
    """The copy is the user's workbook: their cell stays as they wrote it (escaped, so the
    XML is valid), with the finding's comment on it, to retype."""
    cell = openpyxl.load_workbook(built / "w" / "w.checked.xlsx")["来访"]["B3"]
    original = openpyxl.load_workbook(built.parent / "input" / "w.xlsx")["来访"]["B3"]
    assert cell.value == original.value == "华东_x000B_精密_x0007_机械"  # how openpyxl shows the escapes
    assert "value.control_characters" in cell.comment.text
