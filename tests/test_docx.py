"""The Word engine: templates written in Word (split runs, block tags) filled safely."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from pipeline.documents.docx import DocxTemplate
from pipeline.documents.seating import render_seating
from pipeline.documents.word import load_word_templates, render_itinerary, render_plan
from pipeline.errors import TemplateError, said
from pipeline.standard import load_standard
from extract import docx_text
from test_plan import checked
from workbooks import clean_visit


def template(tmp_path: Path, build, name: str = "t.docx") -> Path:
    doc = Document()
    build(doc)
    path = tmp_path / name
    doc.save(path)
    return path


def opened(data: bytes):
    return Document(io.BytesIO(data))


def body_text(data: bytes) -> str:
    doc = opened(data)
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append(" | ".join(c.text for c in row.cells))
    return "\n".join(lines)


def document_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_tag_split_over_runs_is_joined(tmp_path):
    def build(doc):
        p = doc.add_paragraph()
        p.add_run("Hello {{ na")
        p._p.append(_proof_err())  # Word's spell-check marks split runs too
        p.add_run("me").bold = True
        p.add_run(" }}!")
    tpl = DocxTemplate.load(template(tmp_path, build))
    assert tpl.fields == {"name"}
    assert body_text(tpl.render({"name": "Alice"})) == "Hello Alice!"


def _proof_err():
    e = OxmlElement("w:proofErr")
    e.set(qn("w:type"), "spellStart")
    return e


def test_word_quotes_inside_tags_are_plain_quotes(tmp_path):
    def build(doc):
        doc.add_paragraph("{% if kind == “a” %}yes{% else %}no{% endif %}")
    tpl = DocxTemplate.load(template(tmp_path, build))
    assert body_text(tpl.render({"kind": "a"})) == "yes"


def test_row_loop_repeats_the_row(tmp_path):
    def build(doc):
        table = doc.add_table(rows=4, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "Name", "Age"
        table.cell(1, 0).text = "{%tr for p in people %}"
        table.cell(2, 0).text, table.cell(2, 1).text = "{{ p.name }}", "{{ p.age }}"
        table.cell(3, 0).text = "{%tr endfor %}"
    tpl = DocxTemplate.load(template(tmp_path, build))
    data = tpl.render({"people": [{"name": "A", "age": 1}, {"name": "B", "age": 2}]})
    rows = [[c.text for c in r.cells] for r in opened(data).tables[0].rows]
    assert rows == [["Name", "Age"], ["A", "1"], ["B", "2"]]
    assert len(opened(tpl.render({"people": []})).tables[0].rows) == 1


def test_paragraph_tags_remove_their_paragraphs(tmp_path):
    def build(doc):
        doc.add_paragraph("before")
        doc.add_paragraph("{%p if show %}")
        doc.add_paragraph("shown")
        doc.add_paragraph("{%p endif %}")
        doc.add_paragraph("after")
    tpl = DocxTemplate.load(template(tmp_path, build))
    assert [p.text for p in opened(tpl.render({"show": True})).paragraphs] == ["before", "shown", "after"]
    assert [p.text for p in opened(tpl.render({"show": False})).paragraphs] == ["before", "after"]


def test_block_tag_beside_other_text_is_an_error(tmp_path):
    def build(doc):
        doc.add_paragraph("Guests: {%p if show %}")
    with pytest.raises(TemplateError, match="would be lost") as e:
        DocxTemplate.load(template(tmp_path, build))
    assert e.value.template == "t.docx"


@pytest.mark.parametrize("value", ["<b>&amp; \"q\" 'a' & < >", "{{ 7*7 }}", "{% if x %}", "{#c#}", "]]>"])
def test_values_appear_as_written_never_evaluated(tmp_path, value):
    tpl = DocxTemplate.load(template(tmp_path, lambda doc: doc.add_paragraph("[{{ v }}]")))
    data = tpl.render({"v": value})
    assert body_text(data) == f"[{value}]"
    assert "49" not in body_text(data)


def test_line_breaks_and_tabs_stay_in_the_run(tmp_path):
    tpl = DocxTemplate.load(template(tmp_path, lambda doc: doc.add_paragraph("{{ v }}")))
    data = tpl.render({"v": "line one\nline two\r\nline\tthree"})
    assert opened(data).paragraphs[0].text == "line one\nline two\nline\tthree"
    assert len(opened(data).paragraphs) == 1
    assert document_xml(data).count("<w:br/>") == 2


def test_characters_illegal_in_xml_are_dropped(tmp_path):
    tpl = DocxTemplate.load(template(tmp_path, lambda doc: doc.add_paragraph("{{ v }}")))
    data = tpl.render({"v": "a\x00b\x01c\x0bd\x1fe\ufffef"})
    assert body_text(data) == "abcdef"


def test_none_renders_blank(tmp_path):
    tpl = DocxTemplate.load(template(tmp_path, lambda doc: doc.add_paragraph("[{{ v }}]")))
    assert body_text(tpl.render({"v": None})) == "[]"


def test_headers_and_footers_are_filled(tmp_path):
    def build(doc):
        doc.sections[0].header.paragraphs[0].text = "head {{ v }}"
        doc.sections[0].footer.paragraphs[0].text = "foot {{ v }}"
        doc.add_paragraph("body")
    tpl = DocxTemplate.load(template(tmp_path, build))
    section = opened(tpl.render({"v": "X"})).sections[0]
    assert section.header.paragraphs[0].text == "head X"
    assert section.footer.paragraphs[0].text == "foot X"


def test_output_is_a_valid_and_stable_zip(tmp_path):
    tpl = DocxTemplate.load(template(tmp_path, lambda doc: doc.add_paragraph("{{ v }}")))
    data = tpl.render({"v": "x"})
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        with zipfile.ZipFile(tmp_path / "t.docx") as original:
            assert z.namelist() == original.namelist()
            assert z.read("word/styles.xml") == original.read("word/styles.xml")
    assert tpl.render({"v": "x"}) == data


# -- errors name the template and the field --------------------------------------------

SHAPE = {"L": {"guests", "name"}, "visit": {"id"}, "guests": [{"name", "title"}]}


@pytest.mark.parametrize("text, field", [
    ("{{ L.gusts }}", "L.gusts"),
    ("{{ vist.id }}", "vist"),
    ("{{ visit.idd }}", "visit.idd"),
    ("{% for g in guests %}{{ g.nmae }}{% endfor %}", "g.nmae"),
])
def test_misspelt_field_is_reported_at_load(tmp_path, text, field):
    path = template(tmp_path, lambda doc: doc.add_paragraph(text), "plan.docx")
    with pytest.raises(TemplateError) as e:
        DocxTemplate.load(path, SHAPE)
    assert e.value.field == field
    assert e.value.template == "plan.docx"
    assert "plan.docx" in str(e.value) and field in str(e.value)


def test_misspelt_field_in_a_row_loop_is_reported(tmp_path):
    def build(doc):
        table = doc.add_table(rows=3, cols=1)
        table.cell(0, 0).text = "{%tr for g in guests %}"
        table.cell(1, 0).text = "{{ g.titel }}"
        table.cell(2, 0).text = "{%tr endfor %}"
    with pytest.raises(TemplateError) as e:
        DocxTemplate.load(template(tmp_path, build), SHAPE)
    assert e.value.field == "g.titel"


def test_known_fields_pass(tmp_path):
    text = "{{ L.guests }} {{ visit.id }} {% for g in guests %}{{ g.name }} {{ loop.index }}{% endfor %}"
    DocxTemplate.load(template(tmp_path, lambda doc: doc.add_paragraph(text)), SHAPE)


def test_undefined_field_at_render_names_it(tmp_path):
    tpl = DocxTemplate.load(template(tmp_path, lambda doc: doc.add_paragraph("{{ visit.theme }}"), "p.docx"))
    with pytest.raises(TemplateError) as e:
        tpl.render({"visit": {}})
    assert e.value.field == "theme"
    assert e.value.template == "p.docx"


def test_syntax_error_names_template_and_paragraph(tmp_path):
    def build(doc):
        doc.add_paragraph("fine")
        doc.add_paragraph("Guests: {% for g in guests %}{{ g.name }}")
    with pytest.raises(TemplateError) as e:
        DocxTemplate.load(template(tmp_path, build, "plan.docx"))
    assert "plan.docx" in str(e.value)
    assert "Guests:" in str(e.value)


def test_not_a_docx_is_a_template_error(tmp_path):
    path = tmp_path / "plan.docx"
    path.write_text("not a zip")
    with pytest.raises(TemplateError, match="plan.docx"):
        DocxTemplate.load(path)


def test_shipped_templates_load_and_validate():
    templates = load_word_templates()
    assert set(templates) == {"plan", "itinerary", "seating"}
    assert templates["seating"].fields == {"L", "visit", "rules_note", "plans", "cards", "signs", "company"}
    assert {"L", "visit", "guests", "aids", "open_items"} <= templates["plan"].fields
    assert templates["itinerary"].fields == {"L", "visit", "welcome", "meeting", "hotel", "contact", "days", "company"}


def test_a_misspelt_label_in_a_shipped_template_is_caught(tmp_path):
    """A company edits the template in Word and mistypes a label."""
    source = Path(__file__).parent.parent / "templates" / "itinerary.docx"
    with zipfile.ZipFile(source) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"L.sec_schedule", b"L.sec_shcedule")
    edited = tmp_path / "itinerary.docx"
    with zipfile.ZipFile(edited, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    for name in ("plan.docx",):
        (tmp_path / name).write_bytes((source.parent / name).read_bytes())
    with pytest.raises(TemplateError) as e:
        load_word_templates(tmp_path)
    assert e.value.field == "L.sec_shcedule"
    assert e.value.template == "itinerary.docx"
    assert "did you mean 'L.sec_schedule'?" in str(e.value)
    # said in the reader's language (the command line says it in the workbook's)
    assert said(e.value, "zh") == ("模板 itinerary.docx（字段“L.sec_shcedule”）："
                                   "未知字段 “L.sec_shcedule”（是否应为“L.sec_schedule”？）")
    assert said(e.value, "en") == str(e.value)


def test_a_block_tag_outside_its_kind_is_said_in_either_language(tmp_path):
    """`{%tr …%}` in a plain paragraph: the kind of thing it must be in, named in the
    reader's language."""
    with pytest.raises(TemplateError) as e:
        DocxTemplate.load(template(tmp_path, lambda doc: doc.add_paragraph("{%tr for g in guests %}"), "p.docx"))
    assert "is not inside a table row" in str(e.value)
    assert "不在表格行之内" in said(e.value, "zh") and said(e.value, "zh").startswith("模板 p.docx：")



@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.slow
def test_templates_saved_by_libreoffice_still_render(tmp_path):
    """A company restyles the templates in LibreOffice, which rewrites every run."""
    source = Path(__file__).parent.parent / "templates"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "saved"),
                    str(source / "plan.docx"), str(source / "itinerary.docx"), str(source / "seating.docx")],
                   check=True, capture_output=True, timeout=300)
    saved, shipped = load_word_templates(tmp_path / "saved"), load_word_templates(source)
    std = load_standard()
    vr, result = checked(tmp_path, clean_visit(), std)

    def text(render, template) -> list[str]:
        lines = docx_text(render(vr, result, std, "zh", template)).splitlines()
        return [line for line in lines if "页，共" not in line]  # page fields keep their last value

    for kind, render in (("plan", render_plan), ("itinerary", render_itinerary), ("seating", render_seating)):
        assert text(render, saved[kind]) == text(render, shipped[kind])
